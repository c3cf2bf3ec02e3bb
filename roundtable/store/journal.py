"""Append-only journals: one JSON record per line, fsynced before it is acknowledged.

A record is acknowledged only after its whole line is on disk. A crash in the
middle of a write leaves, at worst, a last line with no newline: that line was
never acknowledged, so readers skip it and the next writer cuts it off. Any
other unreadable line is damage and is refused. Reading a journal as it
grows is journal_reader.py's.
"""

import json
import os

from .atomic import (
    GENERATION_HEAD,
    GENERATION_KEY,
    cut_back,
    describe,
    fsync_directory,
    generation_of,
    new_generation,
    write_all,
)
from .errors import DamagedFileError, WriteFailedError


def encode_record(record):
    """Encode one record as a journal line."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


# A batch whose records come with set members opens with an *intent* line
# {"_pending": {"records": n, "members": [[set, member], ...]}}, overwritten in
# place by a mark of the same length once the members are in their sets: see
# docs/storage.md, "One atomic submission".
PENDING_KEY = "_pending"
_ERASED = b'{"' + PENDING_KEY.encode() + b'":0}'


def intent_line(records, members):
    """The line that opens a batch of ``records`` records stored with ``members`` ((set, member) pairs)."""
    return encode_record({PENDING_KEY: {"records": records, "members": [list(pair) for pair in members]}})


def erased(line):
    """What an intent ``line`` becomes once done: a mark of the same length that says nothing."""
    return _ERASED + b" " * (len(line) - len(_ERASED) - 1) + b"\n"


def parse_lines(path, payload, first_line=1, pending=None, base=0):
    """Parse complete journal lines; return (records, bytes consumed).

    Bytes after the last newline (a torn write) are not consumed. Intent
    lines are not records: the offsets (``base`` + offset in ``payload``) of
    those not yet erased are added to ``pending`` when it is given.
    """
    end = payload.rfind(b"\n") + 1
    records = []
    offset = 0
    for number, line in enumerate(payload[:end].splitlines(), start=first_line):
        start, offset = offset, offset + len(line) + 1
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError) as error:
            raise DamagedFileError(path, f"line {number} is not valid JSON ({error})") from error
        if not isinstance(record, dict):
            raise DamagedFileError(path, f"line {number} is not a record")
        if len(record) == 1 and (GENERATION_KEY in record or PENDING_KEY in record):
            # The journal's generation mark (its first line), or an intent: not a record.
            if pending is not None and record.get(PENDING_KEY):
                pending.add(base + start)
            continue
        records.append(record)
    return records, end


def _last_newline_end(fd, size):
    """The length of the file at ``fd`` (``size`` bytes) up to and including its last newline."""
    keep = size
    block = 4096
    while keep > 0:
        start = max(0, keep - block)
        newline = os.pread(fd, keep - start, start).rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        keep = start
    return 0


def _cut(fd, size):
    """Cut a torn last line off the open journal ``fd`` of ``size`` bytes; return the new size."""
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    keep = _last_newline_end(fd, size)
    os.ftruncate(fd, keep)
    os.fsync(fd)
    return keep


def cut_torn_tail(path):
    """Cut an unacknowledged partial last line off ``path``; return bytes cut.

    Call only while holding the journal's lock.
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise WriteFailedError(path, str(error)) from error
    try:
        size = os.fstat(fd).st_size
        return size - _cut(fd, size)
    except OSError as error:
        raise WriteFailedError(path, str(error)) from error
    finally:
        os.close(fd)


def fd_signature(fd):
    """(inode, size, mtime, generation) of the open journal ``fd``: see ``atomic.signature_of``."""
    stat = os.fstat(fd)
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, generation_of(os.pread(fd, GENERATION_HEAD, 0)))


def generation_line():
    """The first line of every new journal: a random mark that tells it from any journal before it."""
    return encode_record({GENERATION_KEY: new_generation()})


def append_lines(path, lines):
    """Append encoded records with one write and one fsync; return the journal's signatures (before, after).

    A torn last line is cut off first. If the write or an fsync fails, the
    journal is cut back to its former size: lines never acknowledged must
    not be read as records. Call only while holding the journal's lock.
    """
    payload = b"".join(lines)
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as error:
        raise WriteFailedError(path, describe(error)) from error
    try:
        stat = os.fstat(fd)
        size = _cut(fd, stat.st_size)
        head = os.pread(fd, GENERATION_HEAD, 0) if size else b""
        before = (stat.st_ino, size, stat.st_mtime_ns if size == stat.st_size else None, generation_of(head))
        if size == 0:
            payload = generation_line() + payload
        try:
            write_all(fd, payload)
            os.fsync(fd)
            if size == 0:
                # A new journal (or one a fold just emptied): make its name durable too.
                fsync_directory(os.path.dirname(path) or ".")
        except OSError:
            cut_back(fd, size)
            raise
        return before, fd_signature(fd)
    except OSError as error:
        raise WriteFailedError(path, describe(error)) from error
    finally:
        os.close(fd)


def erase_intent(path, offset, line):
    """Overwrite the intent ``line`` at ``offset`` by its erased mark (no fsync); return the journal's signature."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError as error:
        raise WriteFailedError(path, describe(error)) from error
    try:
        if os.pwrite(fd, erased(line), offset) != len(line):
            raise OSError(28, "short write")
        return fd_signature(fd)
    except OSError as error:
        raise WriteFailedError(path, describe(error)) from error
    finally:
        os.close(fd)
