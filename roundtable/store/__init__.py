"""Roundtable's storage layer: a small repository API over TinyDB files and journals."""

from .base import Store
from .errors import AlreadyStored, DamagedFileError, StoreError, WriteFailedError
from .files import FileStore
from .memory import MemoryStore
from .tables import new_id

__all__ = [
    "AlreadyStored",
    "DamagedFileError",
    "FileStore",
    "MemoryStore",
    "Store",
    "StoreError",
    "WriteFailedError",
    "new_id",
]
