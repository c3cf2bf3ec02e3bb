"""The repository API every store implements: streams, sets, documents, and the signal of a change.

Documents live in tables (see tables.py). Responses and ballots are appended
to *streams*, one per survey or meeting, whose cost per append does not
depend on how much is stored.
"""

import abc
import re
import threading

STREAM_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,80}$")
# How long a waiter sleeps at most before looking again: the fallback for
# changes no signal announces (another process writing the same files, a
# database whose notifications were lost).
POLL_SECONDS = 0.25


def check_stream_name(stream):
    """Refuse stream names that are not plain, file-safe words."""
    if not isinstance(stream, str) or not STREAM_NAME.fullmatch(stream):
        raise ValueError(f"invalid stream name: {stream!r}")
    return stream


class ChangeSignal:
    """Wakes the threads waiting for a store to change: a counter under a condition."""

    def __init__(self):
        self._condition = threading.Condition()
        self._count = 0

    def announce(self):
        """Something was stored: wake every waiter."""
        with self._condition:
            self._count += 1
            self._condition.notify_all()

    def mark(self):
        """The count now; ``wait`` returns as soon as it moves past it."""
        return self._count

    def wait(self, mark, timeout):
        """Wait until a change announced after ``mark``, or ``timeout`` seconds; return whether one came."""
        with self._condition:
            return self._condition.wait_for(lambda: self._count != mark, timeout)


class Store(abc.ABC):
    """The storage interface the domain talks to."""

    @property
    def changes(self):
        """The signal this store's writes announce (made on first use)."""
        signal = self.__dict__.get("_changes")
        if signal is None:
            signal = self.__dict__.setdefault("_changes", ChangeSignal())
        return signal

    def change_mark(self):
        """A mark to pass to ``wait_for_change``, taken before reading what may change."""
        self._start_listening()
        return self.changes.mark()

    def wait_for_change(self, mark, timeout):
        """Block until the store may have changed since ``mark``, or ``timeout`` seconds.

        Writes of this process wake the waiter at once; writes of other
        processes are seen by looking again after ``POLL_SECONDS`` at most
        (a store that hears them, such as PostgreSQL's notifications, wakes
        the waiter as soon as they are committed).
        """
        return self.changes.wait(mark, min(timeout, POLL_SECONDS))

    def _start_listening(self):  # noqa: B027 - a hook: only stores that can hear other processes override it
        """Start hearing other processes' writes, where the backend can (nothing to do for files)."""

    @abc.abstractmethod
    def snapshot(self):
        """Return ``Tables`` over the current documents, for reading."""

    @abc.abstractmethod
    def transaction(self):
        """Context manager yielding a ``Transaction``; commits on success."""

    @abc.abstractmethod
    def append(self, stream, record, guard=None, once=None, members=()):
        """Durably append ``record`` to ``stream``; return its random id.

        ``guard``, if given, is called while the stream is locked, before
        writing; if it raises, nothing is written.

        ``once``, if given, is ``(set name, member)``: the record is one
        submission, which a retry may send again. While the stream is locked,
        if the set already holds the member (or an append racing this one
        carries it), ``AlreadyStored`` is raised before the guard and nothing
        is written; otherwise the member is added to the set, durably, after
        the record and before the lock is released. Only appends to this
        stream may add to that set.

        ``members``, ``(set name, member)`` pairs (a receipt's digest), are
        added to their sets with the record, as one step: after a refusal, a
        failure or a crash, either the record and every member are stored, or
        none of them is. A member never shares a line, id or place with the
        record (docs/storage.md, "One atomic submission").
        """

    @abc.abstractmethod
    def extend(self, stream, records):
        """Durably add many records to ``stream`` in one write; return their ids.

        The bulk path that fills a store for benchmarks and tests: the records
        land in random order, as a fold leaves them.
        """

    @abc.abstractmethod
    def drain(self, stream, use):
        """Call ``use(records)`` with the stream locked, then delete the stream; return what it returns.

        If ``use`` raises, the stream is kept as it was.
        """

    @abc.abstractmethod
    def add_member(self, name, member):
        """Durably add ``member`` (64 lowercase hex digits) to the set ``name``; return once it is stored.

        A set keeps no order, no id and no time: where a member lies says
        nothing of when it was added, or of what was written beside it.
        """

    @abc.abstractmethod
    def add_members(self, name, members):
        """Durably add many members to the set ``name`` in one write (the bulk path)."""

    @abc.abstractmethod
    def has_member(self, name, member):
        """Whether the set ``name`` holds ``member``."""

    @abc.abstractmethod
    def members(self, name):
        """Every member of the set ``name`` (a Python set)."""

    @abc.abstractmethod
    def records(self, stream):
        """Every record of ``stream`` (read-only dicts), each with its ``_id``."""

    @abc.abstractmethod
    def streams(self):
        """Names of the streams that hold records."""

    @abc.abstractmethod
    def version(self):
        """A value that changes whenever anything stored changes (for caches of derived figures)."""

    @abc.abstractmethod
    def stream_version(self, stream):
        """A value that changes whenever ``stream`` changes."""

    def table_names(self):
        """Names of the document tables that hold documents."""
        snapshot = self.snapshot()
        return sorted(name for name in snapshot.db.tables() if snapshot.db.table(name).all())

    def all(self, table):
        """Every document of ``table``."""
        return self.snapshot().all(table)

    def get(self, table, doc_id):
        """The document of ``table`` with this id, or None."""
        return self.snapshot().get(table, doc_id)

    def find(self, table, **fields):
        """The documents of ``table`` whose fields equal ``fields``."""
        return self.snapshot().find(table, **fields)

    def insert(self, table, doc):
        """Insert one document in its own transaction."""
        with self.transaction() as tx:
            return tx.insert(table, doc)

    def update(self, table, doc_id, changes):
        """Update one document in its own transaction."""
        with self.transaction() as tx:
            return tx.update(table, doc_id, changes)

    def remove(self, table, doc_id):
        """Remove one document in its own transaction."""
        with self.transaction() as tx:
            return tx.remove(table, doc_id)


class Report:
    """The state of one part of a store (a file, a table), as ``store check`` prints it."""

    def __init__(self, path, status, detail, records):
        self.path = path
        self.status = status
        self.detail = detail
        self.records = records

    @property
    def ok(self):
        """Whether this part can be served as it is (a leftover temporary file does no harm)."""
        return self.status in ("ok", "leftover")
