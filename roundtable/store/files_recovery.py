"""Completing the batches a crash (or a failed set write) left unfinished in a journal.

A batch whose records come with set members opens with an intent line
(journal.py's ``intent_line``) naming those members; once they are in their
sets, the intent is erased in place. An intent still there when the journal's
lock is next taken is the mark of a batch left unfinished, and is completed
here, before anything else is written: see docs/storage.md, "One atomic
submission".
"""

import json
import logging
import os

from . import sets
from .atomic import describe
from .base import check_stream_name
from .errors import DamagedFileError, WriteFailedError
from .journal import PENDING_KEY, erased

# The file store's log: what recovery did is reported beside the store's other warnings.
log = logging.getLogger(__package__ + ".files")


def complete_unfinished(journal, pending, add_marks):
    """Finish the batches whose intents start at the offsets ``pending`` of ``journal``.

    Called under the journal's lock.

    A batch whose records are all in the journal gets its members added
    to their sets (by ``add_marks``), then its intent erased (fsynced). A
    batch cut short (fewer complete lines than its intent counts) was never
    acknowledged and is the journal's tail: it is cut off, intent and all.
    Any reader of the journal must read it again from the top afterwards.
    """
    try:
        with open(journal, "rb") as file:
            payload = file.read()
    except OSError as error:
        raise DamagedFileError(journal, f"cannot be read ({describe(error)})") from error
    for offset in sorted(pending):
        end = payload.find(b"\n", offset)
        if end < 0:
            continue
        try:
            intent = json.loads(payload[offset:end]).get(PENDING_KEY)
        except (ValueError, AttributeError):
            continue  # not an intent any more (erased, or the journal was replaced)
        if not intent:
            continue
        try:
            count = int(intent["records"])
            marks = [
                (check_stream_name(name), sets.check_member(member).decode()) for name, member in intent["members"]
            ]
        except (KeyError, TypeError, ValueError) as error:
            raise DamagedFileError(journal, f"an unfinished batch at byte {offset} is unreadable") from error
        position, complete = end + 1, 0
        while complete < count and (newline := payload.find(b"\n", position)) >= 0:
            position, complete = newline + 1, complete + 1
        try:
            fd = os.open(journal, os.O_WRONLY)
            try:
                if complete < count:
                    os.ftruncate(fd, offset)
                else:
                    add_marks(marks)
                    line = payload[offset : end + 1]
                    if os.pwrite(fd, erased(line), offset) != len(line):
                        raise OSError(28, "short write")
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            raise WriteFailedError(journal, describe(error)) from error
        if complete < count:
            log.warning("a batch cut short by a crash, never acknowledged, was removed from %s", journal)
            break
        log.warning("a batch a crash left unfinished was completed in %s", journal)
