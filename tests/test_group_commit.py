"""Group commit: concurrent appends share one write and one fsync, and nobody is acknowledged early.

Threads of one process append to the same stream at once; what each is told
must match what is on disk: every acknowledged record exactly once, and
nothing of a batch whose fsync failed. Processes with several threads each
race as gunicorn's threaded workers do. The file locks time out, and the
bounded cache of folded files forgets without losing anything.
"""

import collections
import errno
import fcntl
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from roundtable.store import FileStore, WriteFailedError
from roundtable.store.cache import RecordCache
from roundtable.store.group import Append, GroupCommit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAIT = 10  # seconds any step may take before the test gives up


def _journal_fsyncs(monkeypatch, on_journal):
    """Route the fsync of every journal (a .log file) through ``on_journal(fd, n)``; n counts from 0."""
    real = os.fsync
    count = [0]
    lock = threading.Lock()

    def fsync(fd):
        if not os.readlink(f"/proc/self/fd/{fd}").endswith(".log"):
            return real(fd)
        with lock:
            n = count[0]
            count[0] += 1
        return on_journal(fd, n, real)

    monkeypatch.setattr(os, "fsync", fsync)
    return count


def _wait_until(condition):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def _queued(store, stream):
    group = store._groups.get(store.stream_paths(stream)[0])
    return len(group._waiting) if group else 0


def _in_threads(count, action):
    """Run ``action(i)`` in ``count`` threads; return {i: result or the exception raised}."""
    outcomes = {}

    def run(i):
        try:
            outcomes[i] = action(i)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads, outcomes


def _join(threads):
    for thread in threads:
        thread.join(WAIT)
        assert not thread.is_alive()


def test_concurrent_appends_share_fsyncs_and_each_is_stored_once(tmp_path, monkeypatch):
    def slow(fd, n, real):
        time.sleep(0.01)  # a slow disk: appends queue up behind each fsync
        return real(fd)

    fsyncs = _journal_fsyncs(monkeypatch, slow)
    store = FileStore(tmp_path / "store", fold_bytes=4096)  # folds happen along the way
    threads, outcomes = _in_threads(16, lambda i: [store.append("votes", {"t": i, "n": n}) for n in range(20)])
    _join(threads)
    acknowledged = [record_id for ids in outcomes.values() for record_id in ids]
    assert len(acknowledged) == 320
    for reader in (store, FileStore(tmp_path / "store")):
        records = reader.records("votes")
        assert collections.Counter(r["_id"] for r in records) == collections.Counter(acknowledged)
        assert sorted((r["t"], r["n"]) for r in records) == [(t, n) for t in range(16) for n in range(20)]
    # 320 appends, far fewer fsyncs: each batch shared one.
    assert fsyncs[0] < 320 / 2


def test_a_failed_fsync_acknowledges_nobody_in_its_batch(tmp_path, monkeypatch):
    first_in = threading.Event()
    release = threading.Event()

    def faulty(fd, n, real):
        if n == 0:  # the first batch waits on the disk while the next one gathers
            first_in.set()
            release.wait(WAIT)
        if n == 1:
            raise OSError(errno.EIO, "Input/output error")
        return real(fd)

    _journal_fsyncs(monkeypatch, faulty)
    store = FileStore(tmp_path / "store")
    first, first_outcome = _in_threads(1, lambda i: store.append("answers", {"who": "first"}))
    assert first_in.wait(WAIT)
    batch, outcomes = _in_threads(5, lambda i: store.append("answers", {"who": f"batch {i}"}))
    _wait_until(lambda: _queued(store, "answers") == 5)
    release.set()
    _join(first + batch)
    assert isinstance(first_outcome[0], str)
    assert all(isinstance(outcome, WriteFailedError) for outcome in outcomes.values()), outcomes
    assert len({id(outcome) for outcome in outcomes.values()}) == 5  # each thread raises its own error
    after = store.append("answers", {"who": "after"})
    for reader in (store, FileStore(tmp_path / "store")):
        records = reader.records("answers")
        assert sorted(r["who"] for r in records) == ["after", "first"]
        assert {r["_id"] for r in records} == {first_outcome[0], after}
    assert all(report.ok for report in store.check())


def test_a_refusing_guard_refuses_only_its_own_append(tmp_path, monkeypatch):
    first_in = threading.Event()
    release = threading.Event()

    def gate(fd, n, real):
        if n == 0:
            first_in.set()
            release.wait(WAIT)
        return real(fd)

    _journal_fsyncs(monkeypatch, gate)
    store = FileStore(tmp_path / "store")
    calls = []

    def guard_for(i):
        def guard():
            calls.append((i, threading.get_ident()))
            if i == 2:
                raise ValueError("round closed")

        return guard

    first, _ = _in_threads(1, lambda i: store.append("ballots", {"seat": "first"}))
    assert first_in.wait(WAIT)
    batch, outcomes = _in_threads(4, lambda i: store.append("ballots", {"seat": i}, guard=guard_for(i)))
    _wait_until(lambda: _queued(store, "ballots") == 4)
    release.set()
    _join(first + batch)
    assert isinstance(outcomes[2], ValueError) and str(outcomes[2]) == "round closed"
    assert sorted(i for i, _ in calls) == [0, 1, 2, 3]
    assert len({ident for _, ident in calls}) == 1  # one leader ran every guard of its batch
    assert sorted(str(r["seat"]) for r in store.records("ballots")) == ["0", "1", "3", "first"]


def test_a_commit_that_fails_or_forgets_acknowledges_nobody():
    group = GroupCommit()
    with pytest.raises(OSError, match="disk gone"):
        group.submit(Append(b"x\n"), lambda batch: (_ for _ in ()).throw(OSError("disk gone")))
    with pytest.raises(RuntimeError, match="left unfinished"):
        group.submit(Append(b"x\n"), lambda batch: None)
    entry = Append(b"x\n")
    group.submit(entry, lambda batch: [e.finish() for e in batch])
    assert entry.done and entry.error is None


WORKER = textwrap.dedent("""
    import sys, threading, time
    from roundtable.store import FileStore
    root, worker, go = sys.argv[1], sys.argv[2], sys.argv[3]
    store = FileStore(root, fold_bytes=4096)
    while not __import__("os").path.exists(go):
        time.sleep(0.005)
    acknowledged = []
    def run(t):
        for n in range(40):
            acknowledged.append(store.append("responses", {"w": worker, "t": t, "n": n}))
    threads = [threading.Thread(target=run, args=(t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("\\n".join(acknowledged))
""")


def test_threads_in_several_processes_lose_nothing(tmp_path):
    root = str(tmp_path / "store")
    go = str(tmp_path / "go")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER, root, str(w), go], cwd=ROOT, env=env, stdout=subprocess.PIPE)
        for w in range(3)
    ]
    try:
        open(go, "w").close()
        outputs = [p.communicate(timeout=60)[0].decode().split() for p in processes]
    finally:
        for process in processes:
            process.kill()
            process.wait()
    assert [p.returncode for p in processes] == [0, 0, 0] and all(len(o) == 240 for o in outputs)
    records = FileStore(root).records("responses")
    assert collections.Counter(r["_id"] for r in records) == collections.Counter(i for o in outputs for i in o)
    assert sorted((r["w"], r["t"], r["n"]) for r in records) == sorted(
        (str(w), t, n) for w in range(3) for t in range(6) for n in range(40)
    )


def test_a_writer_waiting_too_long_for_the_lock_is_refused(tmp_path):
    store = FileStore(tmp_path / "store", lock_timeout=0.3)
    journal, _ = store.stream_paths("votes")
    with open(journal + ".lock", "a") as holder:  # as another process holding the lock would
        fcntl.flock(holder, fcntl.LOCK_EX)
        began = time.monotonic()
        with pytest.raises(WriteFailedError, match="timed out waiting for the file lock"):
            store.append("votes", {"n": 1})
        assert 0.3 <= time.monotonic() - began < 5
    store.append("votes", {"n": 2})
    assert [r["n"] for r in store.records("votes")] == [2]


def test_the_record_cache_forgets_least_recently_used_files_and_never_serves_a_stale_one():
    cache = RecordCache(limit=5)
    loads = collections.Counter()

    def loader(path, records):
        def load():
            loads[path] += 1
            return records

        return load

    assert cache.folded("a", 1, loader("a", [1, 2, 3])) == [1, 2, 3]
    assert cache.folded("b", 1, loader("b", [4, 5])) == [4, 5]
    assert cache.folded("a", 1, loader("a", [9])) == [1, 2, 3]  # cached, and now the most recent
    assert cache.folded("c", 1, loader("c", [6])) == [6]  # 6 records: b, the least recent, goes
    assert cache.folded("b", 1, loader("b", [4, 5])) == [4, 5] and loads["b"] == 2
    assert cache.folded("a", 2, loader("a", [7])) == [7]  # a new signature is read again
    cache.check_folded("a", 2, loader("a", [0]))
    assert loads["a"] == 2
    assert cache.size <= 5


def test_a_store_with_a_small_cache_reads_every_stream_whole(tmp_path):
    store = FileStore(tmp_path / "store", cache_records=50)
    other = FileStore(tmp_path / "store")  # another process, writing too
    expected = {}
    for n in range(5):
        stream = f"s{n}"
        store.extend(stream, [{"n": i} for i in range(40)])
        for i in range(40, 70):
            (store if i % 2 else other).append(stream, {"n": i})  # journals, beyond the cache's limit
        expected[stream] = list(range(70))
    for _ in range(3):
        for stream, numbers in expected.items():
            records = store.records(stream)
            assert sorted(r["n"] for r in records) == numbers
            assert len({r["_id"] for r in records}) == len(numbers)
            store.append(stream, {"n": len(numbers)})
            numbers.append(len(numbers))
            assert store._cache.size <= 50 + 80  # at most one stream beyond the limit
