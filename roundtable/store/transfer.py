"""Copying one store into another (the file store into PostgreSQL, or back), verified by counts and digests."""

import hashlib
import json

from .errors import StoreError


class CopyRefused(StoreError):
    """The copy cannot be made (a target that holds data, a round still open)."""


def _canonical(item):
    return json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _digest(items):
    """(how many, SHA-256 of their canonical JSON in sorted order): the same content gives the same pair."""
    encoded = sorted(_canonical(item) for item in items)
    digest = hashlib.sha256()
    for line in encoded:
        digest.update(line + b"\n")
    return len(encoded), digest.hexdigest()


def _without_id(record):
    return {key: value for key, value in record.items() if key != "_id"}


def inventory(store):
    """{part: (count, digest)} for every table, stream and set: what a copy must carry over unchanged.

    Records are compared without their ids (a copy gives them new random ones).
    """
    parts = {}
    for table in store.table_names():
        parts[f"table {table}"] = _digest(store.all(table))
    for stream in store.streams():
        parts[f"stream {stream}"] = _digest(_without_id(r) for r in store.records(stream))
    for name in store.set_names():
        parts[f"set {name}"] = _digest(store.members(name))
    return {part: value for part, value in parts.items() if value[0]}


def open_rounds(store):
    """Ids of meetings with a round open: their ballots' order still matters, so they are not copied."""
    return [meeting["id"] for meeting in store.all("meetings") if meeting.get("current")]


def copy_store(source, target):
    """Copy everything in ``source`` into the empty ``target``; return the verified inventory.

    Raises ``CopyRefused`` if ``target`` holds anything or a round is open in
    ``source``, and ``StoreError`` if the copy does not match its source.
    """
    if inventory(target):
        raise CopyRefused("the target store already holds data; copy only into an empty one")
    if open_rounds(source):
        raise CopyRefused("a round is open in a meeting; close it (or end the meeting) before copying")
    with target.transaction() as tx:
        for table in source.table_names():
            for doc in source.all(table):
                tx.insert(table, doc)
    for stream in source.streams():
        target.extend(stream, [_without_id(record) for record in source.records(stream)])
    for name in source.set_names():
        target.add_members(name, sorted(source.members(name)))
    expected, found = inventory(source), inventory(target)
    if expected != found:
        differing = sorted(part for part in expected.keys() | found.keys() if expected.get(part) != found.get(part))
        raise StoreError(f"the copy differs from its source in: {', '.join(differing)}")
    return found
