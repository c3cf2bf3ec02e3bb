"""A bounded cache of parsed records, so that a worker's memory does not grow with the store.

Parsed records take far more memory than their JSON (a response of eleven
answers is about 1.2 KB of Python objects), so keeping every folded file and
journal a worker ever read would make 100,000 stored responses cost over
100 MB per worker. This cache holds the most recently used folded files and
journal readers up to a number of records and forgets the others: a folded
file is parsed again when next read, a journal reader starts again from the
top of its journal. Each folded file is cached under its signature (inode,
size, mtime): a replaced file is never served from the cache.

Checking that a folded file parses (before appending to its stream) only
needs to happen once per signature, so that fact is kept apart and never
forgotten.
"""

import collections
import threading

# What a journal reader holds but has not parsed yet counts as one record per this many bytes.
UNPARSED_BYTES_PER_RECORD = 256
FOLDED, JOURNAL = "folded", "journal"


class RecordCache:
    """Folded files' records and journal readers, least recently used first out beyond ``limit`` records."""

    def __init__(self, limit):
        self.limit = limit
        self._entries = collections.OrderedDict()  # path -> (size, FOLDED, signature, records) or (size, JOURNAL, drop)
        self._size = 0
        self._checked = {}  # folded path -> the signature that parsed without error
        self._lock = threading.Lock()

    @property
    def size(self):
        """Records held now."""
        return self._size

    def folded(self, path, signature, load):
        """The records of folded file ``path`` at ``signature``; ``load()`` parses them if they are not cached."""
        with self._lock:
            hit = self._entries.get(path)
            if hit is not None and hit[1] == FOLDED and hit[2] == signature:
                self._entries.move_to_end(path)
                return hit[3]
        records = load()
        with self._lock:
            self._checked[path] = signature
            victims = self._put(path, (len(records), FOLDED, signature, records))
        _drop(victims)
        return records

    def check_folded(self, path, signature, load):
        """Make sure ``path`` at ``signature`` parses (``load`` raises if not), parsing it at most once."""
        if self._checked.get(path) != signature:
            self.folded(path, signature, load)

    def checked(self, path, signature):
        """Take folded file ``path`` at ``signature`` as parsing without reading it: this process just wrote it."""
        with self._lock:
            self._checked[path] = signature

    def journal(self, path, reader):
        """Count journal ``reader`` as just used, holding what it holds now; it is dropped when forgotten."""
        size = reader.size()
        with self._lock:
            victims = self._put(path, (size, JOURNAL, reader.drop))
        _drop(victims)

    def forget(self, path):
        """Drop what is known of ``path`` (its file was deleted)."""
        with self._lock:
            old = self._entries.pop(path, None)
            if old is not None:
                self._size -= old[0]
            self._checked.pop(path, None)

    def _put(self, path, entry):
        old = self._entries.pop(path, None)
        if old is not None:
            self._size -= old[0]
        self._entries[path] = entry
        self._size += entry[0]
        victims = []
        while self._size > self.limit and len(self._entries) > 1:
            _, entry = self._entries.popitem(last=False)
            self._size -= entry[0]
            if entry[1] == JOURNAL:
                victims.append(entry[2])
        return victims


def _drop(victims):
    # Outside the cache's lock: a reader's drop takes the reader's own lock.
    for drop in victims:
        drop()
