"""Roundtable with its stream appends replaced, for bench/ceiling.py; never for serving participants.

gunicorn serves ``stand_ins:create("KIND")`` instead of ``app:app``:

- ``shipped``: the app as it is;
- ``no_write``: an append stores nothing and returns at once (the request
  path alone: form, CSRF, validation, receipt, redirect);
- ``one_line``: an append writes its line to one file per process, shared by
  every stream, with one write and one fsync per batch of threads (group
  commit) and nothing else: no lock between processes, no check of the
  stream, no fold, nothing another process could read back;
- ``one_write``: the same, and a response's line is held back until its
  receipt's line comes (the next append of the same thread), so that both go
  in one write and one fsync. The cheapest durable submission there could be.
"""

import os
import threading
import types

from app import create_app
from roundtable.store.base import new_id
from roundtable.store.group import Append, GroupCommit
from roundtable.store.journal import encode_record

KINDS = ("shipped", "no_write", "one_line", "one_write")


def create(kind):
    """The app, with its store's ``append`` replaced as ``kind`` says."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    app = create_app()
    store = app.config["STORE"]
    if kind == "no_write":
        store.append = types.MethodType(lambda self, stream, record, guard=None: new_id(), store)
    elif kind in ("one_line", "one_write"):
        paired = kind == "one_write"
        store.append = types.MethodType(_one_line_append(os.path.join(store.root, "one-line"), paired), store)
    return app


def _one_line_append(prefix, paired):
    group = GroupCommit()
    opened = {}
    lock = threading.Lock()
    held = threading.local()

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
        line = encode_record(record)
        if paired and stream.startswith("responses-"):
            held.line = line  # written with the receipt's line, which comes next
            return record["_id"]
        line, held.line = getattr(held, "line", b"") + line, b""
        group.submit(Append(line, guard), commit)
        return record["_id"]

    return append
