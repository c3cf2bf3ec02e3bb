"""Errors the store raises; each names the file it concerns."""

import os


class StoreError(Exception):
    """Base class of every error the store raises."""


class DamagedFileError(StoreError):
    """A store file cannot be read; it is refused, never overwritten."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    @property
    def file_name(self):
        """The damaged file's name, without the directories above it."""
        return os.path.join(*self.path.split(os.sep)[-2:]) if os.sep in self.path else self.path


class WriteFailedError(StoreError):
    """A write could not be made durable (disk full, read-only, lock timeout)."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class AlreadyStored(Exception):
    """An append carrying a ``once`` member the set already holds: that very submission is stored already.

    Not a ``StoreError``: nothing is wrong, and the caller answers as if it had just been stored.
    """


class StoreUnavailableError(StoreError):
    """The store cannot be reached (a database down, no connection free in time); nothing was written."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
