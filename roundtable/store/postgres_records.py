"""The PostgreSQL store's streams as read: each stream's records, kept by the version they were read at.

A stream's records are read with its version in one statement, and kept
until its version moves on, so that a server reading an unchanged stream
again asks the database only for the version. What is kept is bounded (the
least recently read stream goes first), so a server's memory does not grow
with the store.
"""

import collections
import contextlib
import threading

RECORDS_CACHED = 20_000  # records a server keeps in memory between reads (the file store keeps 5,000)
_CACHE_LOCK = threading.Lock()


class StreamRecords:
    """Streams' records as last read: stream -> (its version, records), least recently used first."""

    def __init__(self):
        self._records_cache = collections.OrderedDict()
        self._records_cached = 0  # records held in _records_cache, at most RECORDS_CACHED

    def read(self, conn, stream):
        """(the stream's version, its records in the order they arrived), from the cache while the version holds."""
        row = conn.execute("SELECT n FROM rt_versions WHERE name = %s", (f"stream:{stream}",)).fetchone()
        cached = self._records_cache.get(stream)
        if row is not None and cached is not None and cached[0] == row[0]:
            with contextlib.suppress(KeyError):
                self._records_cache.move_to_end(stream)
            return cached
        rows = conn.execute(
            "SELECT n, NULL FROM rt_versions WHERE name = %s "
            "UNION ALL (SELECT NULL, record FROM rt_records WHERE stream = %s ORDER BY place)",
            (f"stream:{stream}", stream),
        ).fetchall()
        version = next((n for n, record in rows if n is not None), None)
        found = (version, tuple(record for n, record in rows if n is None))
        if version is not None:
            self._cache_records(stream, found)
        return found

    def _cache_records(self, stream, found):
        """Keep a stream's records for the next read, forgetting the least recently read beyond the limit."""
        with _CACHE_LOCK:
            old = self._records_cache.pop(stream, None)
            self._records_cached -= len(old[1]) if old else 0
            if len(found[1]) > RECORDS_CACHED:
                return
            self._records_cache[stream] = found
            self._records_cached += len(found[1])
            while self._records_cached > RECORDS_CACHED:
                _, dropped = self._records_cache.popitem(last=False)
                self._records_cached -= len(dropped[1])

    def clear(self):
        """Forget every stream's records."""
        with _CACHE_LOCK:
            self._records_cache.clear()
            self._records_cached = 0
