"""Append-only journals: one JSON record per line, fsynced before it is acknowledged.

A record is acknowledged only after its whole line is on disk. A crash in the
middle of a write leaves, at worst, a last line with no newline: that line was
never acknowledged, so readers skip it and the next writer cuts it off. Any
other unreadable line is damage and is refused.
"""

import contextlib
import json
import os
import threading

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
from .cache import UNPARSED_BYTES_PER_RECORD
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


def _signature(fd):
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
        return before, _signature(fd)
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
        return _signature(fd)
    except OSError as error:
        raise WriteFailedError(path, describe(error)) from error
    finally:
        os.close(fd)


class JournalReader:
    """Reads a journal incrementally: only bytes added since the last read are parsed.

    A fold replaces the journal by a new empty file, so a journal file, once
    opened, only ever grows. The reader remembers the last line it consumed
    and checks that it is still where it was before trusting its offset: a
    journal replaced since (even one that reuses the old inode number) is
    read again from its start.
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        self.inode = None
        self.offset = 0
        self.lines = 0
        self.last = b""
        self.records = []
        self.unparsed = []  # lines this process appended, counted in offset but not parsed yet
        self.unparsed_bytes = 0
        self.partial = False  # records were dropped (see drop): the next read starts from the top
        self.seen = None  # the journal's signature when the reader had consumed all of it
        self.pending = set()  # offsets of intent lines seen not yet erased (see parse_lines)
        self._lock = threading.Lock()

    def _reset(self, inode):
        self.inode, self.offset, self.lines, self.last, self.records = inode, 0, 0, b"", []
        self.unparsed, self.unparsed_bytes = [], 0
        self.partial = False
        self.pending = set()

    def size(self):
        """Records held (unparsed lines counted by their bytes), for the bounded cache."""
        return len(self.records) + self.unparsed_bytes // UNPARSED_BYTES_PER_RECORD

    def drop(self):
        """Let go of the parsed records; the next ``read`` starts again from the top of the journal."""
        with self._lock:
            self.records, self.unparsed, self.unparsed_bytes, self.partial = [], [], 0, True

    def read(self):
        """Return every complete record in the journal (a list shared with the cache)."""
        with self._lock:
            if self.partial:
                self._reset(None)
                self.seen = None
            self._parse_unparsed()
            return self._read(self._look())

    def check(self):
        """Make sure every line of the journal parses (DamagedFileError if not), parsing only what is new."""
        with self._lock:
            signature = self._look()
            if signature is not None and signature == self.seen:
                return
            if signature is None or signature[0] != self.inode:
                # Lines of a journal since replaced (folded): read again from the new one.
                self.unparsed, self.unparsed_bytes = [], 0
            self._parse_unparsed()
            self._read(signature)

    def _look(self):
        """The journal's signature now, or None if it does not exist."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            return _signature(fd)
        finally:
            os.close(fd)

    def _parse_unparsed(self):
        if self.partial:
            # Valid, as this process wrote them; the next read starts from the top anyway.
            self.unparsed, self.unparsed_bytes = [], 0
        if self.unparsed:
            payload = b"".join(self.unparsed)
            records, _ = parse_lines(self.path, payload, self.lines - payload.count(b"\n") + 1)
            self.records = self.records + records
            self.unparsed, self.unparsed_bytes = [], 0

    def _read(self, signature):
        """Read what was added since the last read; ``signature`` is the journal's as just looked at."""
        if signature is not None and signature == self.seen:
            return self.records  # unchanged since it was read to its end
        file = None
        if signature is not None:
            with contextlib.suppress(FileNotFoundError):
                file = open(self.path, "rb")
        if file is None:
            self._reset(None)
            self.seen = None
            return self.records
        with file:
            now = _signature(file.fileno())
            inode = now[0]
            if inode != self.inode:
                self._reset(inode)
            file.seek(self.offset - len(self.last))
            payload = file.read()
            if not payload.startswith(self.last):
                self._reset(inode)
                file.seek(0)
                payload = file.read()
            payload = payload[len(self.last):]
        records, consumed = parse_lines(self.path, payload, self.lines + 1, self.pending, self.offset)
        if consumed:
            # Rebind rather than extend: a caller may still hold the old list.
            self.records = self.records + records
            self.offset += consumed
            self.lines += payload[:consumed].count(b"\n")
            self.last = payload[payload.rfind(b"\n", 0, consumed - 1) + 1:consumed]
        self.seen = now if self.offset == now[1] else None
        return self.records

    def appended(self, before, after, lines):
        """Take in the ``lines`` the caller appended, without reading the file back.

        Only if the reader had read the journal to its end just before, when
        the journal's signature was ``before``; ``after`` is its signature now.
        Call while holding the journal's lock, right after the append.
        """
        with self._lock:
            if self.seen is None or self.seen != before or before[1] == 0:
                return  # not read to its end just before (or a new journal, whose first line is its mark)
            payload = b"".join(lines)
            # Parsed only when someone reads the records: a check has nothing to learn from them.
            self.unparsed.append(payload)
            self.unparsed_bytes += len(payload)
            self.offset += len(payload)
            self.lines += payload.count(b"\n")
            self.last = payload[payload.rfind(b"\n", 0, len(payload) - 1) + 1:]
            self.seen = after
