"""A submission sent again (bad Wi-Fi, a retry) is stored once: the store's ``append(..., once=...)``.

The store keeps the keyed digest of each submission's client id in an
unordered set, checked and added under the stream's lock, so duplicates that
race in threads or in processes land once, and a stale retry never lands.
"""

import hashlib
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from roundtable.store import AlreadyStored, FileStore, MemoryStore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGEST = "ab" * 32


@pytest.fixture(params=["memory", "files"])
def store(request, tmp_path):
    """Each API test runs once on each store."""
    if request.param == "memory":
        return MemoryStore()
    return FileStore(tmp_path / "store")


def test_the_same_member_appends_once(store):
    store.append("votes", {"n": 1}, once=("votes-seen", DIGEST))
    with pytest.raises(AlreadyStored):
        store.append("votes", {"n": 2}, once=("votes-seen", DIGEST))
    assert [r["n"] for r in store.records("votes")] == [1]
    assert store.members("votes-seen") == {DIGEST}


def test_a_refused_guard_stores_no_member(store):
    def refuse():
        raise ValueError("closed")

    with pytest.raises(ValueError):
        store.append("votes", {"n": 1}, guard=refuse, once=("votes-seen", DIGEST))
    assert store.members("votes-seen") == set()
    store.append("votes", {"n": 2}, once=("votes-seen", DIGEST))
    assert [r["n"] for r in store.records("votes")] == [2]


def test_a_duplicate_is_recognised_before_the_guard(store):
    """A retry of a stored ballot after its round closed is still 'stored', not 'refused'."""
    store.append("votes", {"n": 1}, once=("votes-seen", DIGEST))

    def refuse():
        raise ValueError("closed")

    with pytest.raises(AlreadyStored):
        store.append("votes", {"n": 1}, guard=refuse, once=("votes-seen", DIGEST))


def test_duplicates_racing_in_threads_land_once(store):
    # Members are digests: their first digits choose their bucket, so they must look random.
    members = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(40)]
    outcomes = []

    def send():
        for member in members:
            try:
                store.append("votes", {"member": member}, once=("votes-seen", member))
                outcomes.append("stored")
            except AlreadyStored:
                outcomes.append("again")

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["member"] for r in store.records("votes")) == sorted(members)
    assert outcomes.count("stored") == len(members) and outcomes.count("again") == 5 * len(members)


SENDER = textwrap.dedent("""
    import hashlib
    import sys
    from roundtable.store import AlreadyStored, FileStore
    store = FileStore(sys.argv[1])
    stored = 0
    for n in range(150):
        try:
            store.append("votes", {"n": n}, once=("votes-seen", hashlib.sha256(str(n).encode()).hexdigest()))
            stored += 1
        except AlreadyStored:
            pass
    print(stored)
""")


def test_duplicates_racing_in_processes_land_once(tmp_path):
    root = str(tmp_path / "store")
    FileStore(root)
    processes = [subprocess.Popen([sys.executable, "-c", SENDER, root], cwd=ROOT, stdout=subprocess.PIPE, text=True)
                 for _ in range(3)]
    stored = [int(p.communicate(timeout=120)[0]) for p in processes]
    assert sum(stored) == 150
    records = FileStore(root).records("votes")
    assert sorted(r["n"] for r in records) == list(range(150))
    assert all(r.status == "ok" for r in FileStore(root).check())
