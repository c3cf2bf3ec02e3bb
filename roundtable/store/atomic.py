"""Crash-safe file primitives: atomic replace, durable append, strict JSON read.

A file is replaced by writing a temporary file beside it, fsyncing it,
renaming it over the old one and fsyncing the directory, so a crash at any
instant leaves either the old or the new file, never a mix of both.
"""

import contextlib
import errno
import json
import os
import re
import secrets

from tinydb.storages import Storage

from .errors import DamagedFileError, WriteFailedError

TEMP_SUFFIX = ".tmp"


def fsync_directory(path):
    """Make a rename or a file creation in directory ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd, payload):
    """Write every byte of ``payload`` to ``fd``."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def describe(error):
    """An OS error as its code and message, e.g. ``ENOSPC No space left on device``."""
    return errno.errorcode.get(error.errno, "") + f" {error.strerror or error}".rstrip()


def replace_file(path, payload):
    """Atomically replace the file at ``path`` by the bytes ``payload``.

    If the directory's fsync fails after the rename, the former file is put
    back: a write reported as failed leaves nothing new for readers to see.
    """
    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    temp = f"{path}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    former = temp[: -len(TEMP_SUFFIX)] + ".former" + TEMP_SUFFIX
    linked = renamed = False
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        if os.path.exists(path):
            os.link(path, former)
            linked = True
        os.replace(temp, path)
        renamed = True
        fsync_directory(directory)
    except OSError as error:
        with contextlib.suppress(OSError):
            if not renamed:
                os.unlink(temp)
            elif linked:
                os.replace(former, path)
            else:
                os.unlink(path)
        raise WriteFailedError(path, describe(error)) from error
    finally:
        if linked:
            with contextlib.suppress(OSError):
                os.unlink(former)


def cut_back(fd, size):
    """Cut the file at ``fd`` back to ``size`` bytes after a failed append (best effort)."""
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass  # The disk refuses even this; the write's own error is the one to report.


def read_json_file(path):
    """Return the parsed JSON object in ``path``, or None if there is no file.

    An empty, truncated or otherwise unparsable file raises DamagedFileError:
    atomic writes never leave such a file, so it is damage, not a fresh store.
    """
    try:
        with open(path, "rb") as file:
            payload = file.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DamagedFileError(path, f"cannot be read ({describe(error)})") from error
    if not payload.strip():
        raise DamagedFileError(path, "the file is empty")
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as error:
        raise DamagedFileError(path, f"not valid JSON ({error})") from error
    if isinstance(data, dict) and isinstance(data.get(GENERATION_KEY), str):
        del data[GENERATION_KEY]
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFileError(path, "not a table file (unexpected structure)")
    return data


GENERATION_KEY = "_generation"
GENERATION_HEAD = 40  # bytes that hold the mark: {"_generation":"<16 hex digits>"
_GENERATION = re.compile(rb'^\{"_generation":"([0-9a-f]{16})"')


def new_generation():
    """A random mark for one version of a file, written at its start."""
    return secrets.token_hex(8)


def generation_of(head):
    """The generation mark at the start of a file (its first bytes), or None for a file written without one."""
    found = _GENERATION.match(head)
    return found.group(1).decode() if found else None


def signature_of(path):
    """(inode, size, mtime, generation) of ``path``, or None if it does not exist.

    The generation, a random mark every rewrite of the file puts at its start,
    tells two versions apart even when the file system cannot: a file replaced
    twice within one coarse timestamp tick, at the same size, on an inode
    number used again, has the same inode, size and mtime as before.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        stat = os.fstat(fd)
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns, generation_of(os.pread(fd, GENERATION_HEAD, 0)))
    finally:
        os.close(fd)


def encode_json(data):
    """Encode ``data`` compactly as UTF-8 JSON bytes, a new generation mark first."""
    marked = {GENERATION_KEY: new_generation()}
    marked.update((key, value) for key, value in data.items() if key != GENERATION_KEY)
    return json.dumps(marked, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class AtomicJSONStorage(Storage):
    """A TinyDB storage that refuses damaged files and replaces them atomically."""

    def __init__(self, path):
        self.path = os.fspath(path)

    def read(self):
        """Read the whole file (None when it does not exist yet)."""
        return read_json_file(self.path)

    def write(self, data):
        """Replace the whole file atomically."""
        replace_file(self.path, encode_json(data))


class BufferedStorage(Storage):
    """Holds TinyDB's writes in memory until ``commit``; nothing is half written."""

    def __init__(self, storage):
        self.storage = storage
        self.data = storage.read()
        self.dirty = False

    def read(self):
        """Return the buffered data."""
        return self.data

    def write(self, data):
        """Buffer ``data``; the underlying storage is untouched until commit."""
        self.data = data
        self.dirty = True

    def commit(self):
        """Write the buffered data in one atomic write, if anything changed."""
        if self.dirty:
            self.storage.write(self.data)
            self.dirty = False
