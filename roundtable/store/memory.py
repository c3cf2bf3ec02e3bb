"""An in-memory store with the same behaviour as the file store, for unit tests."""

import contextlib
import copy
import secrets
import threading

from tinydb import TinyDB

from .base import Store, check_stream_name
from .errors import AlreadyStored
from .sets import check_member
from .tables import Holder, Tables, Transaction, new_id

_SHUFFLER = secrets.SystemRandom()  # the order records land in must not be predictable


class MemoryStore(Store):
    """Keeps everything in process memory; nothing survives the process."""

    def __init__(self):
        self._documents = {}
        self._streams = {}
        self._sets = {}
        self._lock = threading.RLock()
        self._version = 0

    def snapshot(self):
        """Tables over the current documents."""
        return Tables.over(self._documents)

    @contextlib.contextmanager
    def transaction(self):
        """A transaction over a private copy, swapped in on success."""
        with self._lock:
            working = copy.deepcopy(self._documents)
            holder = Holder(working)
            yield Transaction(TinyDB(storage=lambda: holder))
            self._documents = holder.data
            self._version += 1
        self.changes.announce()

    def append(self, stream, record, guard=None, once=None, members=()):
        """Append a copy of ``record`` to ``stream`` with ``members`` in their sets.

        Nothing is stored if the set of ``once`` holds its member already.
        """
        record = copy.deepcopy(dict(record))
        record["_id"] = new_id()
        marks = [(check_stream_name(name), check_member(member).decode()) for name, member in members]
        if once is not None:
            once = (check_stream_name(once[0]), check_member(once[1]).decode())
        with self._lock:
            if once and self.has_member(*once):
                raise AlreadyStored()
            if guard:
                guard()
            self._streams.setdefault(check_stream_name(stream), []).append(record)
            for name, member in marks + ([once] if once else []):
                self._sets.setdefault(name, set()).add(member)
            self._version += 1
        self.changes.announce()
        return record["_id"]

    def extend(self, stream, records):
        """Add copies of ``records`` to ``stream``, in random order."""
        added = [dict(copy.deepcopy(dict(record)), _id=new_id()) for record in records]
        _SHUFFLER.shuffle(added)
        with self._lock:
            self._streams.setdefault(check_stream_name(stream), []).extend(added)
            self._version += 1
        return [record["_id"] for record in added]

    def add_member(self, name, member):
        """Add ``member`` to the set ``name``."""
        self.add_members(name, [member])

    def add_members(self, name, members):
        """Add ``members`` to the set ``name``."""
        checked = [check_member(member).decode() for member in members]
        with self._lock:
            self._sets.setdefault(check_stream_name(name), set()).update(checked)
            self._version += 1

    def has_member(self, name, member):
        """Whether the set ``name`` holds ``member``."""
        return member in self._sets.get(check_stream_name(name), ())

    def members(self, name):
        """Every member of the set ``name``."""
        return set(self._sets.get(check_stream_name(name), ()))

    def set_names(self):
        """Names of the sets that hold members."""
        return sorted(name for name, members in self._sets.items() if members)

    def drain(self, stream, use):
        """Use the stream's records, then delete it."""
        with self._lock:
            result = use(self.records(stream))
            self._streams.pop(stream, None)
            self._version += 1
        self.changes.announce()
        return result

    def version(self):
        """A counter of writes."""
        return self._version

    def stream_version(self, stream):
        """How many records the stream holds (it only ever grows, or is dropped)."""
        return (id(self._streams.get(stream)), len(self._streams.get(check_stream_name(stream), [])))

    def records(self, stream):
        """Every record of ``stream``."""
        return list(self._streams.get(check_stream_name(stream), []))

    def streams(self):
        """Names of the streams that hold records."""
        return sorted(self._streams)
