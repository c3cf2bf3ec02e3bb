"""Reading a journal incrementally: only the bytes added since the last read are parsed.

See journal.py for the journal's format and how it is written.
"""

import contextlib
import os
import threading

from .cache import UNPARSED_BYTES_PER_RECORD
from .journal import fd_signature, parse_lines


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
            return fd_signature(fd)
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
            now = fd_signature(file.fileno())
            inode = now[0]
            if inode != self.inode:
                self._reset(inode)
            file.seek(self.offset - len(self.last))
            payload = file.read()
            if not payload.startswith(self.last):
                self._reset(inode)
                file.seek(0)
                payload = file.read()
            payload = payload[len(self.last) :]
        records, consumed = parse_lines(self.path, payload, self.lines + 1, self.pending, self.offset)
        if consumed:
            # Rebind rather than extend: a caller may still hold the old list.
            self.records = self.records + records
            self.offset += consumed
            self.lines += payload[:consumed].count(b"\n")
            self.last = payload[payload.rfind(b"\n", 0, consumed - 1) + 1 : consumed]
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
            self.last = payload[payload.rfind(b"\n", 0, len(payload) - 1) + 1 :]
            self.seen = after
