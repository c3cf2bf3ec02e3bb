"""The document tables: queries over one snapshot of them, and a transaction's writes, through TinyDB.

Documents (accounts, partners, surveys, meetings...) live in tables of small
JSON objects, each with a random string ``id``. Callers receive plain dicts
and lists, never TinyDB objects, so a store on another database can take
this one's place: every backend reads and writes its documents through these.
"""

import copy
import marshal
import secrets

from tinydb import TinyDB, where
from tinydb.storages import Storage


def new_id():
    """Return a random, unguessable, non-sequential identifier."""
    return secrets.token_hex(8)


def copy_document(doc):
    """A deep copy of a JSON-like document, so that callers never share state with the store.

    marshal copies dicts, lists, strings and numbers in C, several times
    faster than copy.deepcopy; anything else falls back to deepcopy.
    """
    doc = dict(doc)
    try:
        return marshal.loads(marshal.dumps(doc))
    except ValueError:
        return copy.deepcopy(doc)


class _Fixed(Storage):
    """A read-only TinyDB storage over data already in memory."""

    def __init__(self, data):
        self.data = data

    def read(self):
        return self.data

    def write(self, data):  # pragma: no cover - readers never write
        raise RuntimeError("read-only view of the store")


class Tables:
    """Queries over one snapshot of the document tables, through TinyDB."""

    def __init__(self, db, frozen=False):
        self.db = db
        # A frozen snapshot never changes, so ``find`` can index it: looking a
        # survey up by its share token should not scan every survey.
        self._indexes = {} if frozen else None
        self._derived = {} if frozen else None

    @classmethod
    def over(cls, data):
        """Read-only tables over ``data`` (a dict of tables that nobody changes)."""
        return cls(TinyDB(storage=lambda: _Fixed(data)), frozen=True)

    def all(self, table):
        """Every document of ``table``."""
        return [copy_document(doc) for doc in self.db.table(table).all()]

    def derived(self, key, build):
        """``build(self)``, computed once per frozen snapshot and shared by its readers (who must not change it)."""
        if self._derived is None:
            return build(self)
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]

    def get(self, table, doc_id):
        """The document of ``table`` with this id, or None."""
        if self._indexes is not None:
            found = self.find(table, id=doc_id)
            return found[0] if found else None
        doc = self.db.table(table).get(where("id") == doc_id)
        return copy_document(doc) if doc is not None else None

    def find(self, table, **fields):
        """The documents of ``table`` whose fields equal ``fields``."""
        names = tuple(sorted(fields))
        key = tuple(fields[name] for name in names)
        if self._indexes is None or not _hashable(key):
            docs = self.db.table(table).search(lambda doc: all(doc.get(k) == v for k, v in fields.items()))
            return [copy_document(doc) for doc in docs]
        index = self._indexes.get((table, names))
        if index is None:
            index = {}
            for doc in self.db.table(table).all():
                values = tuple(doc.get(name) for name in names)
                # A list or dict never equals the hashable value looked for.
                if _hashable(values):
                    index.setdefault(values, []).append(doc)
            self._indexes[table, names] = index
        return [copy_document(doc) for doc in index.get(key, ())]


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


class Transaction(Tables):
    """Reads and writes inside one transaction; all its writes land together or not at all."""

    def insert(self, table, doc):
        """Insert ``doc`` (given a new id unless it has one); return the stored copy."""
        doc = copy_document(doc)
        doc.setdefault("id", new_id())
        self.db.table(table).insert(doc)
        # TinyDB keeps only a shallow copy: the caller's must share nothing with it.
        return copy_document(doc)

    def update(self, table, doc_id, changes):
        """Apply ``changes`` to the document with this id; return it, or None if absent."""
        changes = copy_document(changes)
        changes.pop("id", None)
        if not self.db.table(table).update(changes, where("id") == doc_id):
            return None
        return self.get(table, doc_id)

    def remove(self, table, doc_id):
        """Remove the document with this id; return whether it existed."""
        return bool(self.db.table(table).remove(where("id") == doc_id))


class Holder:
    """A TinyDB storage over a dict in memory: a transaction's working copy, swapped in or written out at its end."""

    def __init__(self, data):
        self.data = data

    def read(self):
        """The working copy."""
        return self.data

    def write(self, data):
        """TinyDB's change, kept in memory."""
        self.data = data

    def close(self):
        """Nothing to close."""
