"""Locks on store files, between the threads of a process and between processes.

Each locked file has a ``FILE.lock`` beside it. A writer first takes the
file's lock within its process (a ``threading.Lock``), then an exclusive
``flock`` on the lock file, opened for this acquisition only: closing it
releases the lock, and a process that dies releases it too, so no lock is
ever left stale. (An ``flock`` taken through one open file is shared by every
thread of the process, hence the in-process lock first.)

The filelock package did the same job at a cost of about 0.4 ms per lock on
our machine, more than the fsync it guarded; this costs a few microseconds.
"""

import contextlib
import fcntl
import os
import threading
import time

from .errors import WriteFailedError

# Waiting writers retry quickly at first (the lock is usually held for about
# one fsync), then back off so that a long wait costs little CPU.
FIRST_POLL, LAST_POLL = 0.00005, 0.001


class FileLocks:
    """The locks of one store's files, for every thread of this process."""

    def __init__(self, timeout=30):
        self.timeout = timeout
        self._mutex = threading.Lock()
        self._threads = {}
        self._held = threading.local()

    def held(self, path):
        """Whether the calling thread holds the lock of ``path``."""
        return path in getattr(self._held, "paths", ())

    @contextlib.contextmanager
    def locked(self, path):
        """Hold the lock of ``path`` for the block; WriteFailedError after ``timeout`` seconds of waiting."""
        if self.held(path):
            # Waiting for a lock this thread holds would hang until the timeout.
            raise RuntimeError(f"{path} is already locked by this thread (nested write)")
        with self._mutex:
            in_process = self._threads.setdefault(path, threading.Lock())
        deadline = time.monotonic() + self.timeout
        if not in_process.acquire(timeout=self.timeout):
            raise WriteFailedError(path, "timed out waiting for the file lock")
        try:
            fd = _lock_file(path, deadline)
            held = getattr(self._held, "paths", None)
            if held is None:
                held = self._held.paths = set()
            held.add(path)
            try:
                yield
            finally:
                held.discard(path)
                os.close(fd)
        finally:
            in_process.release()


def _lock_file(path, deadline):
    """Open ``path``.lock and flock it; return the descriptor that holds the lock."""
    try:
        fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise WriteFailedError(path, f"cannot lock ({error})") from error
    poll = FIRST_POLL
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise WriteFailedError(path, "timed out waiting for the file lock") from None
            time.sleep(poll)
            poll = min(poll * 2, LAST_POLL)
        except OSError as error:
            os.close(fd)
            raise WriteFailedError(path, f"cannot lock ({error})") from error
