"""Checking and backing up a file store's files: what ``store check`` and ``backup`` do.

A check reads every file as the store would and reports it; it never
changes one. A backup copies them all while holding every lock, so the copy
is one instant of the store.
"""

import contextlib
import os
import shutil

from . import sets
from .atomic import TEMP_SUFFIX, read_json_file
from .base import Report
from .errors import DamagedFileError
from .journal import parse_lines


def check(store):
    """Report the state of every file of ``store``: a list of ``Report``."""
    reports = []
    for path in store.files():
        reports.append(check_file(path))
    for directory in (store.root, store.streams_dir):
        for entry in sorted(os.listdir(directory)):
            if entry.endswith(TEMP_SUFFIX):
                path = os.path.join(directory, entry)
                reports.append(Report(path, "leftover", "unfinished write, never acknowledged; safe to delete", 0))
    return reports


def backup(store, locks, destination):
    """Copy every file of ``store`` into ``destination`` (new or empty) under all its ``locks``, at one instant."""
    destination = os.path.abspath(os.fspath(destination))
    os.makedirs(os.path.join(destination, os.path.relpath(store.streams_dir, store.root)), exist_ok=True)
    locked = (
        [store.documents_path]
        + [store.stream_paths(s)[0] for s in store.streams()]
        + [store.set_path(name) for name in store.set_names()]
    )
    with contextlib.ExitStack() as stack:
        for path in locked:
            stack.enter_context(locks.locked(path))
        for path in store.files():
            target = os.path.join(destination, os.path.relpath(path, store.root))
            shutil.copyfile(path, target)
            with open(target, "rb") as file:
                os.fsync(file.fileno())
    return destination


def check_file(path):
    """Report the state of one file (a set file, a journal, or a TinyDB file)."""
    try:
        if path.endswith(".set"):
            members, free = sets.check(path)
            return Report(path, "ok", f"{members} members, {free} free slots", members)
        if path.endswith(".log"):
            with open(path, "rb") as file:
                payload = file.read()
            pending = set()
            records, consumed = parse_lines(path, payload, pending=pending)
            if pending:
                return Report(
                    path,
                    "ok",
                    f"{len(records)} records; {len(pending)} unfinished batches "
                    "will be completed (or, if cut short, removed) by the next write",
                    len(records),
                )
            if consumed < len(payload):
                return Report(
                    path, "ok", f"{len(records)} records; an unacknowledged partial last line will be cut", len(records)
                )
            return Report(path, "ok", f"{len(records)} records", len(records))
        data = read_json_file(path) or {}
        count = sum(len(table) for table in data.values())
        return Report(path, "ok", f"{count} records", count)
    except DamagedFileError as error:
        return Report(path, "damaged", error.reason, 0)
