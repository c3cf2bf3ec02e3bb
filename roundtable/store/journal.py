"""Append-only journals: one JSON record per line, fsynced before it is acknowledged.

A record is acknowledged only after its whole line is on disk. A crash in the
middle of a write leaves, at worst, a last line with no newline: that line was
never acknowledged, so readers skip it and the next writer cuts it off. Any
other unreadable line is damage and is refused.
"""

import json
import os
import threading

from .atomic import append_line
from .errors import DamagedFileError, WriteFailedError


def encode_record(record):
    """Encode one record as a journal line."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def parse_lines(path, payload, first_line=1):
    """Parse complete journal lines; return (records, bytes consumed).

    Bytes after the last newline (a torn write) are not consumed.
    """
    end = payload.rfind(b"\n") + 1
    records = []
    for number, line in enumerate(payload[:end].splitlines(), start=first_line):
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError) as error:
            raise DamagedFileError(path, f"line {number} is not valid JSON ({error})") from error
        if not isinstance(record, dict):
            raise DamagedFileError(path, f"line {number} is not a record")
        records.append(record)
    return records, end


def cut_torn_tail(path):
    """Cut an unacknowledged partial last line off ``path``; return bytes cut.

    Call only while holding the journal's lock.
    """
    try:
        with open(path, "rb+") as file:
            size = file.seek(0, os.SEEK_END)
            if size == 0:
                return 0
            file.seek(size - 1)
            if file.read(1) == b"\n":
                return 0
            keep = size
            block = 4096
            while keep > 0:
                start = max(0, keep - block)
                file.seek(start)
                chunk = file.read(keep - start)
                newline = chunk.rfind(b"\n")
                if newline >= 0:
                    keep = start + newline + 1
                    break
                keep = start
            file.truncate(keep)
            file.flush()
            os.fsync(file.fileno())
            return size - keep
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise WriteFailedError(path, str(error)) from error


def append_record(path, record):
    """Append ``record`` durably. Call only while holding the journal's lock."""
    cut_torn_tail(path)
    append_line(path, encode_record(record))


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
        self._lock = threading.Lock()

    def _reset(self, inode):
        self.inode, self.offset, self.lines, self.last, self.records = inode, 0, 0, b"", []

    def read(self):
        """Return every complete record in the journal (a list shared with the cache)."""
        with self._lock:
            try:
                file = open(self.path, "rb")
            except FileNotFoundError:
                self._reset(None)
                return self.records
            with file:
                inode = os.fstat(file.fileno()).st_ino
                if inode != self.inode:
                    self._reset(inode)
                file.seek(self.offset - len(self.last))
                payload = file.read()
                if not payload.startswith(self.last):
                    self._reset(inode)
                    file.seek(0)
                    payload = file.read()
                payload = payload[len(self.last):]
            records, consumed = parse_lines(self.path, payload, self.lines + 1)
            if records:
                # Rebind rather than extend: a caller may still hold the old list.
                self.records = self.records + records
                self.offset += consumed
                self.lines += len(records)
                self.last = payload[payload.rfind(b"\n", 0, consumed - 1) + 1:consumed]
            return self.records
