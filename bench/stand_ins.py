"""Roundtable with its stream appends replaced, for bench/ceiling.py; never for serving participants.

gunicorn serves ``stand_ins:create("KIND")`` instead of ``app:app``:

- ``shipped``: the app as it is;
- ``no_write``: an append stores nothing and returns at once (the request
  path alone: form, CSRF, validation, receipt, redirect);
- ``one_line``: an append writes its line to one file per process, shared by
  every stream, with one write and one fsync per batch of threads (group
  commit) and nothing else: no lock between processes, no check of the
  stream, no fold. The cheapest durable append there could be.
"""

import os
import threading
import types

from app import create_app
from roundtable.store.base import new_id
from roundtable.store.group import Append, GroupCommit
from roundtable.store.journal import encode_record

KINDS = ("shipped", "no_write", "one_line")


def create(kind):
    """The app, with its store's ``append`` replaced as ``kind`` says."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    app = create_app()
    store = app.config["STORE"]
    if kind == "no_write":
        store.append = types.MethodType(lambda self, stream, record, guard=None: new_id(), store)
    elif kind == "one_line":
        store.append = types.MethodType(_one_line_append(os.path.join(store.root, "one-line")), store)
    return app


def _one_line_append(prefix):
    group = GroupCommit()
    opened = {}
    lock = threading.Lock()

    def commit(batch):
        with lock:
            fd = opened.get(os.getpid())
            if fd is None:
                fd = opened[os.getpid()] = os.open(f"{prefix}-{os.getpid()}.log",
                                                   os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        for entry in batch:
            if entry.guard:
                entry.guard()
        os.write(fd, b"".join(entry.line for entry in batch))
        os.fsync(fd)
        for entry in batch:
            entry.finish()

    def append(self, stream, record, guard=None):
        record = dict(record, _id=new_id())
        group.submit(Append(encode_record(record), guard), commit)
        return record["_id"]

    return append
