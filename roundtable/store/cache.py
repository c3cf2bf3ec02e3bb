"""A bounded cache of parsed folded files, so that a worker's memory does not grow with the store.

Parsed records take far more memory than their JSON (a response of eleven
answers is about 1.2 KB of Python objects), so caching every folded file a
worker ever read would make 100,000 stored responses cost over 100 MB per
worker. The cache keeps the most recently used files up to a number of
records and forgets the others; they are parsed again when next read. Each
file is cached under its signature (inode, size, mtime): a replaced file is
never served from the cache.

Checking that a file parses (before appending to its stream) only needs to
happen once per signature, so that fact is kept apart and never evicted.
"""

import collections
import threading


class FoldedCache:
    """Parsed folded files, most recently used first out of ``limit`` records."""

    def __init__(self, limit):
        self.limit = limit
        self._entries = collections.OrderedDict()  # path -> (signature, records)
        self._size = 0
        self._checked = {}  # path -> the signature that parsed without error
        self._lock = threading.Lock()

    def records(self, path, signature, load):
        """The records of ``path`` as it is at ``signature``; ``load()`` parses them if they are not cached."""
        with self._lock:
            hit = self._entries.get(path)
            if hit is not None and hit[0] == signature:
                self._entries.move_to_end(path)
                return hit[1]
        records = load()
        with self._lock:
            self._checked[path] = signature
            old = self._entries.pop(path, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[path] = (signature, records)
            self._size += len(records)
            while self._size > self.limit and len(self._entries) > 1:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)
        return records

    def check(self, path, signature, load):
        """Make sure ``path`` at ``signature`` parses (``load`` raises if not), parsing it at most once."""
        if self._checked.get(path) != signature:
            self.records(path, signature, load)

    def forget(self, path):
        """Drop what is known of ``path`` (its file was deleted)."""
        with self._lock:
            old = self._entries.pop(path, None)
            if old is not None:
                self._size -= len(old[1])
            self._checked.pop(path, None)
