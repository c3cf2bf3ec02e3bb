"""Roundtable with its store's writes replaced, for bench/ceiling.py and bench/run.py; never for serving participants.

gunicorn serves ``stand_ins:create("KIND")`` instead of ``app:app``. Each
kind replaces every write a submission makes (the response's ``append``,
with its ``once`` retry mark and its receipt among its ``members``, and
``add_member(s)``), on whatever
store ``ROUNDTABLE_DATABASE_URL`` (or the data directory) gives the app,
without knowing which backend it is; reads stay the store's own:

- ``shipped``: the app as it is;
- ``no_write``: writes store nothing and return at once (the request path
  alone: form, CSRF, validation, the retry check, receipt, redirect);
- ``one_line``: each write puts its lines in one file per process, shared by
  every stream and set, with one write and one fsync per batch of threads
  (group commit) and nothing else: no lock between processes, no check of
  the stream, no fold, nothing another process could read back;
- ``one_write``: the same, and the response, its retry mark and its receipt
  go in one write and one fsync. The cheapest durable submission there
  could be.
"""

import os
import threading

from app import create_app
from roundtable.store.group import Append, GroupCommit
from roundtable.store.journal import encode_record
from roundtable.store.tables import new_id

KINDS = ("shipped", "no_write", "one_line", "one_write")


def create(kind, config=None):
    """Make the app (``create_app(config)``) with its store's writes replaced as ``kind`` says."""
    app = create_app(config)
    app.config["STORE"] = replaced(app.config["STORE"], kind, app.config["DATA_DIR"])
    return app


def replaced(store, kind, data_dir):
    """``store`` with its writes replaced as ``kind`` says (one-line files go in ``data_dir``).

    ``store`` itself is left alone.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if kind == "no_write":
        return _Replaced(
            store,
            append=lambda stream, record, guard=None, once=None, members=(): new_id(),
            add_member=lambda name, member: None,
            add_members=lambda name, members: None,
        )
    if kind in ("one_line", "one_write"):
        writes = _OneLine(os.path.join(data_dir, "one-line"), paired=kind == "one_write")
        return _Replaced(store, append=writes.append, add_member=writes.add_member, add_members=writes.add_members)
    return store


class _Replaced:
    """The app's store, whatever its backend, with some methods replaced (the store itself is left as it is)."""

    def __init__(self, store, **methods):
        self._store = store
        self.__dict__.update(methods)

    def __getattr__(self, name):
        return getattr(self._store, name)


class _OneLine:
    """Writes as lines of one file per process, with group commit across every stream and set."""

    def __init__(self, prefix, paired):
        self.prefix = prefix
        self.paired = paired
        self.group = GroupCommit()
        self.opened = {}
        self.lock = threading.Lock()

    def commit(self, batch):
        """One write and one fsync for every line of the batch (the group commit's leader)."""
        with self.lock:
            fd = self.opened.get(os.getpid())
            if fd is None:
                fd = self.opened[os.getpid()] = os.open(
                    f"{self.prefix}-{os.getpid()}.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
                )
        for entry in batch:
            if entry.guard:
                entry.guard()
        os.write(fd, b"".join(entry.line for entry in batch))
        os.fsync(fd)
        for entry in batch:
            entry.finish()

    def write(self, line, guard=None):
        """``line`` durable (group commit)."""
        self.group.submit(Append(line, guard), self.commit)

    def append(self, stream, record, guard=None, once=None, members=()):
        """The record's line, its retry mark's and its members' (a receipt's): with ``paired``, in one write."""
        record = dict(record, _id=new_id())
        marks = [once[1]] if once else []
        marks.extend(member for _set, member in members)
        lines = [encode_record(record)] + [mark.encode() + b"\n" for mark in marks]
        if self.paired:
            self.write(b"".join(lines), guard)
        else:
            for line in lines[:-1]:
                self.write(line)
            self.write(lines[-1], guard)
        return record["_id"]

    def add_member(self, name, member):
        """The member's line."""
        self.write(member.encode() + b"\n")

    def add_members(self, name, members):
        """The members' lines, in one write."""
        self.write(b"".join(member.encode() + b"\n" for member in members))
