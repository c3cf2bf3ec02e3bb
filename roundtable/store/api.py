"""What the domain may ask of a store: the one API every backend implements, and ``open_store``.

The domain imports this module and nothing else of ``roundtable.store``: the
protocols below say what it may call, the errors what it may catch. Which
backend stands behind them is decided once, by ``open_store``, from a URL:

- no URL: the embedded file store in the data directory (the default);
- ``file:///path/to/data``: the file store of another data directory;
- ``postgresql://…``: PostgreSQL, for several servers on one database;
- ``memory:``: everything in process memory (tests and benchmarks).
"""

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from .errors import (
    AlreadyStored,
    DamagedFileError,
    StoreError,
    StoreUnavailableError,
    WriteFailedError,
)

__all__ = [
    "AlreadyStored",
    "DamagedError",
    "Maintenance",
    "Reader",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "Transaction",
    "WriteFailedError",
    "open_store",
]

# The store-neutral names of the kinds of StoreError (a file store names the
# file, a database its address; views answer each with the same 503 page).
DamagedError = DamagedFileError

Document = dict[str, Any]


@runtime_checkable
class Reader(Protocol):
    """Reads over one consistent view of the document tables."""

    def all(self, table: str) -> list[Document]:
        """Every document of ``table``."""

    def get(self, table: str, doc_id: str) -> Document | None:
        """The document of ``table`` with this id, or None."""

    def find(self, table: str, **fields: Any) -> list[Document]:
        """The documents of ``table`` whose fields equal ``fields``."""

    def derived(self, key: Any, build: Callable[["Reader"], Any]) -> Any:
        """``build(self)``, computed once per view and shared by its readers."""


@runtime_checkable
class Transaction(Reader, Protocol):
    """Reads and writes that land together, or not at all."""

    def insert(self, table: str, doc: Document) -> Document:
        """Insert ``doc`` (with a new random id unless it has one); return the stored copy."""

    def update(self, table: str, doc_id: str, changes: Document) -> Document | None:
        """Apply ``changes`` to a document; return it, or None if absent."""

    def remove(self, table: str, doc_id: str) -> bool:
        """Remove a document; return whether it existed."""


@runtime_checkable
class Store(Protocol):
    """Everything the domain may ask of a store."""

    # documents
    def snapshot(self) -> Reader:
        """A consistent view of the documents, for reading."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        """A transaction over the documents; commits when the block ends without an error."""

    def all(self, table: str) -> list[Document]:
        """Every document of ``table``."""

    def get(self, table: str, doc_id: str) -> Document | None:
        """The document with this id, or None."""

    def find(self, table: str, **fields: Any) -> list[Document]:
        """The documents whose fields equal ``fields``."""

    def insert(self, table: str, doc: Document) -> Document:
        """Insert one document in its own transaction."""

    def update(self, table: str, doc_id: str, changes: Document) -> Document | None:
        """Update one document in its own transaction."""

    def remove(self, table: str, doc_id: str) -> bool:
        """Remove one document in its own transaction."""

    # streams of records (responses, ballots)
    def append(
        self,
        stream: str,
        record: Document,
        guard: Callable[[], None] | None = None,
        once: tuple[str, str] | None = None,
        members: Iterable[tuple[str, str]] = (),
    ) -> str:
        """Durably add ``record`` to ``stream`` under the stream's lock; return its random id.

        ``guard`` runs under the lock before anything is written (raising stops
        the write); ``once`` is ``(set, member)``: ``AlreadyStored`` if the set
        holds the member, else the member is stored with the record.
        ``members`` are ``(set, member)`` pairs added to their sets. The
        record, ``once``'s member and ``members`` are one step: stored
        together, or (refused, failed, or cut short by a crash) not at all.
        """

    def extend(self, stream: str, records: Iterable[Document]) -> list[str]:
        """Durably add many records in one write, in random order (the bulk path)."""

    def drain(self, stream: str, use: Callable[[list[Document]], Any]) -> Any:
        """``use(records)`` under the stream's lock, then delete the stream; nothing changes if ``use`` raises."""

    def records(self, stream: str) -> list[Document]:
        """Every record of ``stream`` (read-only), each with its ``_id``, in arrival order until compacted."""

    def streams(self) -> list[str]:
        """Names of the streams that hold records."""

    # sets (receipts, digests of client ids): no order, no id, no time
    def add_member(self, name: str, member: str) -> None:
        """Durably add ``member`` (64 lowercase hex digits) to the set ``name``."""

    def add_members(self, name: str, members: Iterable[str]) -> None:
        """Durably add many members in one write."""

    def has_member(self, name: str, member: str) -> bool:
        """Whether the set ``name`` holds ``member``."""

    def members(self, name: str) -> set[str]:
        """Every member of the set ``name``."""

    # versions, for caches of derived figures
    def version(self) -> Any:
        """A value that changes whenever anything stored changes."""

    def stream_version(self, stream: str) -> Any:
        """A value that changes whenever ``stream`` changes."""


@runtime_checkable
class Maintenance(Protocol):
    """What the ``store`` commands ask of a backend (not the domain)."""

    def check(self) -> list[Any]:
        """Reports (``path``, ``status``, ``detail``, ``records``, ``ok``) on every part of the store."""

    def table_names(self) -> list[str]:
        """Names of the document tables that hold documents."""

    def set_names(self) -> list[str]:
        """Names of the sets that hold members."""

    def streams(self) -> Iterator[str]:
        """Names of the streams that hold records."""


def open_store(url=None, data_dir=None):
    """The store a URL names (see the module's docstring); the file store in ``data_dir``/store without one."""
    url = (url or "").strip()
    if not url:
        if not data_dir:
            raise ValueError("the file store needs a data directory")
        from .files import FileStore

        return FileStore(os.path.join(data_dir, "store"))
    if url.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        from .files import FileStore

        path = unquote(urlsplit(url).path)
        if not path:
            raise ValueError("a file store URL names its data directory: file:///path/to/data")
        return FileStore(os.path.join(path, "store"))
    if url == "memory:":
        from .memory import MemoryStore

        return MemoryStore()
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url)
    scheme = url.split(":", 1)[0]
    raise ValueError(
        f"unknown store URL scheme {scheme!r}: use postgresql://… or leave "
        "ROUNDTABLE_DATABASE_URL unset for the file store"
    )
