"""The storage layer: its API on both stores, and the file store's durability.

The API tests run against ``MemoryStore`` and ``FileStore`` alike. The file
store is then tested for what only files can get wrong: folding, caches seen
from another process, torn and damaged files, backups, concurrent writers in
separate processes, and writers killed with SIGKILL at random instants.
"""

import collections
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import types

import pytest

from roundtable.store import AlreadyStored, DamagedFileError, FileStore, MemoryStore
from roundtable.store.api import open_store

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEX_ID = re.compile(r"^[0-9a-f]{16}$")


def _ids(items, key="id"):
    return [item[key] for item in items]


# -- the API, on both stores -------------------------------------------------


def test_insert_and_get(store):
    doc = store.insert("partners", {"name": "Acme", "active": True})
    assert HEX_ID.match(doc["id"])
    assert store.get("partners", doc["id"]) == {"id": doc["id"], "name": "Acme", "active": True}
    assert store.get("partners", "0" * 16) is None
    assert store.get("accounts", doc["id"]) is None
    given = store.insert("partners", {"id": "chosen", "name": "Bolt"})
    assert given["id"] == "chosen"
    assert store.get("partners", "chosen")["name"] == "Bolt"


def test_find_and_all(store):
    assert store.all("partners") == []
    a = store.insert("partners", {"name": "A", "type": "labor", "active": True})
    b = store.insert("partners", {"name": "B", "type": "labor", "active": False})
    c = store.insert("partners", {"name": "C", "type": "business", "active": True})
    store.insert("accounts", {"username": "ada"})
    assert sorted(_ids(store.all("partners"))) == sorted([a["id"], b["id"], c["id"]])
    assert sorted(_ids(store.find("partners", type="labor"))) == sorted([a["id"], b["id"]])
    assert _ids(store.find("partners", type="labor", active=True)) == [a["id"]]
    assert store.find("partners", type="government") == []
    assert store.find("partners", missing="field") == []
    assert [d["username"] for d in store.all("accounts")] == ["ada"]


def test_update(store):
    doc = store.insert("partners", {"name": "A", "active": True})
    updated = store.update("partners", doc["id"], {"active": False, "short": "a", "id": "hijack"})
    assert updated == {"id": doc["id"], "name": "A", "active": False, "short": "a"}
    assert store.get("partners", doc["id"]) == updated
    assert store.get("partners", "hijack") is None
    assert store.update("partners", "0" * 16, {"active": True}) is None


def test_remove(store):
    keep = store.insert("partners", {"name": "keep"})
    gone = store.insert("partners", {"name": "gone"})
    assert store.remove("partners", gone["id"]) is True
    assert store.get("partners", gone["id"]) is None
    assert store.remove("partners", gone["id"]) is False
    assert _ids(store.all("partners")) == [keep["id"]]


def test_transaction_commits_every_write(store):
    first = store.insert("partners", {"name": "first"})
    with store.transaction() as tx:
        a = tx.insert("partners", {"name": "a"})
        tx.insert("accounts", {"username": "ada"})
        tx.update("partners", first["id"], {"name": "renamed"})
        assert tx.get("partners", a["id"])["name"] == "a"  # reads see the transaction's writes
        assert tx.get("partners", first["id"])["name"] == "renamed"
    assert store.get("partners", a["id"])["name"] == "a"
    assert store.get("partners", first["id"])["name"] == "renamed"
    assert [d["username"] for d in store.all("accounts")] == ["ada"]


def test_transaction_is_all_or_nothing(store):
    kept = store.insert("partners", {"name": "kept"})
    other = store.insert("partners", {"name": "other"})
    before = {table: store.all(table) for table in ("partners", "accounts")}
    with pytest.raises(RuntimeError, match="halfway"):
        with store.transaction() as tx:
            tx.insert("partners", {"name": "new"})
            tx.insert("accounts", {"username": "ada"})
            tx.update("partners", kept["id"], {"name": "changed"})
            tx.remove("partners", other["id"])
            raise RuntimeError("halfway")
    assert {table: store.all(table) for table in ("partners", "accounts")} == before
    # The store is still usable afterwards.
    assert store.insert("partners", {"name": "after"})["name"] == "after"


def test_append_records_and_streams(store):
    assert store.streams() == []
    assert store.records("votes") == []
    first = store.append("votes", {"choice": "yes", "partner": "p1"})
    second = store.append("votes", {"choice": "no"})
    other = store.append("survey-2_b", {"answers": {"q1": 3, "q2": ["a", "b"]}})
    assert store.records("votes") == [
        {"choice": "yes", "partner": "p1", "_id": first},
        {"choice": "no", "_id": second},
    ]
    assert store.records("survey-2_b") == [{"answers": {"q1": 3, "q2": ["a", "b"]}, "_id": other}]
    assert store.streams() == ["survey-2_b", "votes"]
    # An _id given by the caller is replaced by a fresh one.
    replaced = store.append("votes", {"_id": first, "choice": "maybe"})
    assert replaced != first
    assert sorted(_ids(store.records("votes"), "_id")) == sorted([first, second, replaced])


def test_append_stores_its_members_with_the_record_in_one_step(store):
    """``members`` land with the record; a refused append (already stored, or its guard) stores none of them."""
    receipt, again, refused = _member(1), _member(2), _member(3)
    first = store.append("answers-s1", {"q": 1}, once=("sent-s1", _member(9)), members=[("receipts-s1", receipt)])
    assert store.records("answers-s1") == [{"q": 1, "_id": first}]
    assert store.members("receipts-s1") == {receipt} and store.members("sent-s1") == {_member(9)}
    with pytest.raises(AlreadyStored):
        store.append("answers-s1", {"q": 2}, once=("sent-s1", _member(9)), members=[("receipts-s1", again)])

    def closed():
        raise ValueError("round closed")

    with pytest.raises(ValueError):
        store.append("answers-s1", {"q": 3}, guard=closed, members=[("receipts-s1", refused)])
    assert len(store.records("answers-s1")) == 1
    assert store.members("receipts-s1") == {receipt}
    with pytest.raises(ValueError):
        store.append("answers-s1", {"q": 4}, members=[("receipts-s1", "not hex")])
    assert len(store.records("answers-s1")) == 1


def test_ids_are_random_hex_not_sequential(store):
    doc_ids = [store.insert("t", {"n": n})["id"] for n in range(40)]
    record_ids = [store.append("s", {"n": n}) for n in range(40)]
    for ids in (doc_ids, record_ids):
        assert all(HEX_ID.match(i) for i in ids), ids
        assert len(set(ids)) == len(ids)
        assert ids != sorted(ids)  # 1 chance in 40! of failing
        steps = {int(b, 16) - int(a, 16) for a, b in zip(ids, ids[1:])}
        assert len(steps) > 1  # no constant step either
    assert not set(doc_ids) & set(record_ids)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Votes",
        "1votes",
        "-votes",
        "votes\n",
        "vo tes",
        "vo.tes",
        "../votes",
        "a/b",
        "a\\b",
        "votes.log",
        "x" * 82,
        "vötes",
        None,
    ],
)
def test_invalid_stream_names_are_refused(store, name):
    with pytest.raises(ValueError, match="invalid stream name"):
        store.append(name, {"n": 1})
    with pytest.raises(ValueError, match="invalid stream name"):
        store.records(name)
    assert store.streams() == []


def test_longest_valid_stream_name(store):
    name = "a" + "b_-9" * 20
    assert len(name) == 81
    record_id = store.append(name, {"n": 1})
    assert store.records(name) == [{"n": 1, "_id": record_id}]


def test_returned_documents_are_copies(store):
    source = {"name": "A", "tags": ["x"], "contact": {"city": "Oslo"}}
    doc = store.insert("partners", source)
    source["tags"].append("from-input")
    source["contact"]["city"] = "from-input"
    doc["tags"].append("from-insert")
    doc["name"] = "from-insert"
    for read in (
        lambda: store.get("partners", doc["id"]),
        lambda: store.all("partners")[0],
        lambda: store.find("partners", name="A")[0],
        lambda: store.update("partners", doc["id"], {"active": True}),
    ):
        got = read()
        assert got["name"] == "A" and got["tags"] == ["x"] and got["contact"] == {"city": "Oslo"}
        got["name"] = "mutated"
        got["tags"].append("mutated")
        got["contact"]["city"] = "mutated"
    changes = {"extra": {"deep": [1]}}
    store.update("partners", doc["id"], changes)
    changes["extra"]["deep"].append(2)
    with store.transaction() as tx:
        inside = tx.get("partners", doc["id"])
        inside["name"] = "mutated without a write"
    final = store.get("partners", doc["id"])
    assert final == {
        "id": doc["id"],
        "name": "A",
        "tags": ["x"],
        "contact": {"city": "Oslo"},
        "active": True,
        "extra": {"deep": [1]},
    }


def test_appended_records_are_copies(store):
    source = {"answers": {"q1": [1]}}
    record_id = store.append("votes", source)
    source["answers"]["q1"].append(2)
    source["late"] = True
    assert "_id" not in source  # the caller's dict is not touched
    listing = store.records("votes")
    listing.append({"_id": "forged"})
    listing.clear()
    assert store.records("votes") == [{"answers": {"q1": [1]}, "_id": record_id}]


# -- the file store ----------------------------------------------------------


def _journal(store, stream="votes"):
    return store.stream_paths(stream)[0]


def _folded(store, stream="votes"):
    return store.stream_paths(stream)[1]


def _read_bytes(path):
    with open(path, "rb") as file:
        return file.read()


def _write_bytes(path, payload):
    with open(path, "wb") as file:
        file.write(payload)


def _counts(items, key="_id"):
    return collections.Counter(item[key] for item in items)


def test_folding_keeps_every_record_exactly_once(tmp_path):
    writer = FileStore(tmp_path, fold_bytes=1024)
    reader = FileStore(tmp_path)  # another process's view, with its own caches
    rng = random.Random(7)
    expected = {}
    for n in range(400):
        expected[writer.append("votes", {"n": n, "pad": "x" * rng.randrange(20)})] = n
        if rng.random() < 0.1:  # read at irregular intervals, across folds
            for store in (writer, reader):
                records = store.records("votes")
                assert _counts(records) == collections.Counter(list(expected)), n
    assert os.path.getsize(_journal(writer)) < 1024  # folds did happen
    for store in (writer, reader, FileStore(tmp_path)):
        records = store.records("votes")
        assert {r["_id"]: r["n"] for r in records} == expected and len(records) == len(expected)
    writer.fold("votes")
    assert os.path.getsize(_journal(writer)) == 0
    folded = json.loads(_read_bytes(_folded(writer)))["records"]
    assert sorted(r["_id"] for r in folded.values()) == sorted(expected)
    assert len(FileStore(tmp_path).records("votes")) == len(expected)


def test_a_writer_does_not_parse_the_folded_file_it_just_wrote_but_another_process_checks_it(tmp_path):
    writer, other = FileStore(tmp_path, fold_bytes=1), FileStore(tmp_path, fold_bytes=1)  # every append folds
    parsed = collections.Counter()

    def counting(store):
        real = store._parse_folded

        def parse(path):
            parsed[store] += 1
            return real(path)

        return parse

    for store in (writer, other):
        store._parse_folded = counting(store)
    for n in range(5):
        writer.append("votes", {"n": n})
    assert parsed[writer] == 0  # each append's check knew the file it had folded
    other.append("votes", {"n": 5})
    assert parsed[other] == 1  # another process's fold is read (and checked) once
    assert sorted(r["n"] for r in writer.records("votes")) == list(range(6))
    with open(_folded(writer), "ab") as file:
        file.write(b"garbage")  # damaged behind the writer's back: its signature changed, so it is read again
    with pytest.raises(DamagedFileError):
        writer.append("votes", {"n": 6})


def test_folded_batches_keep_no_arrival_order(tmp_path):
    store = FileStore(tmp_path)
    for n in range(60):
        store.append("votes", {"n": n})
    assert [r["n"] for r in store.records("votes")] == list(range(60))  # the journal is in order
    store.fold("votes")
    folded = json.loads(_read_bytes(_folded(store)))["records"]
    assert sorted(r["n"] for r in folded.values()) == list(range(60))
    assert [r["n"] for r in folded.values()] != list(range(60))  # 1 chance in 60! of failing
    assert sorted(r["n"] for r in store.records("votes")) == list(range(60))


def test_fold_is_idempotent_after_a_crash_before_the_journal_is_emptied(tmp_path):
    store = FileStore(tmp_path)
    ids = [store.append("votes", {"n": n}) for n in range(30)]
    journal = _read_bytes(_journal(store))
    store.fold("votes")
    _write_bytes(_journal(store), journal)  # as if the process died between the two steps
    for reader in (store, FileStore(tmp_path)):
        assert _counts(reader.records("votes")) == collections.Counter(ids)
    store.fold("votes")
    more = store.append("votes", {"n": 30})
    store.fold("votes")
    folded = json.loads(_read_bytes(_folded(store)))["records"]
    assert _counts(folded.values()) == collections.Counter(ids + [more])
    assert _counts(FileStore(tmp_path).records("votes")) == collections.Counter(ids + [more])


def test_another_instance_sees_every_write(tmp_path):
    a = FileStore(tmp_path, fold_bytes=600)
    b = FileStore(tmp_path, fold_bytes=600)
    assert b.records("votes") == [] and b.all("partners") == []
    doc = a.insert("partners", {"name": "A", "active": "yes"})
    assert b.get("partners", doc["id"])["name"] == "A"
    a.update("partners", doc["id"], {"active": "no!"})  # same size, new content
    assert b.get("partners", doc["id"])["active"] == "no!"
    with b.transaction() as tx:
        tx.insert("partners", {"name": "B"})
    assert sorted(d["name"] for d in a.all("partners")) == ["A", "B"]
    ids = []
    for n in range(40):  # crosses several folds made by ``a``
        ids.append(a.append("votes", {"n": n}))
        assert _counts(b.records("votes")) == collections.Counter(ids)
    b.fold("votes")
    ids.append(a.append("votes", {"n": 40}))
    assert _counts(a.records("votes")) == _counts(b.records("votes")) == collections.Counter(ids)


def test_torn_last_line_is_ignored_then_cut(tmp_path):
    store = FileStore(tmp_path)
    ids = [store.append("votes", {"n": n}) for n in range(3)]
    assert len(store.records("votes")) == 3  # warm the cache
    journal = _journal(store)
    with open(journal, "ab") as file:
        file.write(b'{"n":99,"_id":"00112233')  # a write cut short by a crash
    for reader in (store, FileStore(tmp_path)):
        assert _ids(reader.records("votes"), "_id") == ids
    [report] = [r for r in FileStore(tmp_path).check() if r.path == journal]
    assert report.status == "ok" and "partial last line" in report.detail
    ids.append(store.append("votes", {"n": 3}))
    lines = _read_bytes(journal).split(b"\n")
    assert lines[0].startswith(b'{"_generation":')  # every journal starts with its generation mark
    assert lines[-1] == b"" and len(lines) == 6
    assert [json.loads(line)["_id"] for line in lines[1:-1]] == ids
    for reader in (store, FileStore(tmp_path)):
        assert _ids(reader.records("votes"), "_id") == ids


def test_garbage_middle_journal_line_is_refused(tmp_path):
    store = FileStore(tmp_path)
    for n in range(3):
        store.append("votes", {"n": n})
    journal = _journal(store)
    lines = _read_bytes(journal).split(b"\n")
    lines[1] = b'{"n": 1, "_id": "garbled'
    _write_bytes(journal, b"\n".join(lines))
    before = _read_bytes(journal)
    with pytest.raises(DamagedFileError, match=r"votes\.log: line 2 is not valid JSON") as caught:
        FileStore(tmp_path).records("votes")
    assert caught.value.path == journal
    with pytest.raises(DamagedFileError, match="line 2"):
        store.records("votes")
    with pytest.raises(DamagedFileError, match="line 2"):
        store.fold("votes")
    assert _read_bytes(journal) == before
    [report] = [r for r in store.check() if r.path == journal]
    assert report.status == "damaged" and not report.ok and "line 2" in report.detail


def _damage(kind, payload):
    return {
        "truncated": payload[: len(payload) // 2],
        "empty": b"",
        "blank": b"  \n",
        "garbage": b"\x00\xff\xfe not json at all",
        "not tables": b'{"partners": [1, 2, 3]}',
    }[kind]


@pytest.mark.parametrize("kind", ["truncated", "empty", "blank", "garbage", "not tables"])
def test_damaged_documents_file_is_refused_and_left_alone(tmp_path, kind):
    store = FileStore(tmp_path)
    doc = store.insert("partners", {"name": "A"})
    store.insert("accounts", {"username": "ada"})
    assert store.get("partners", doc["id"]) is not None  # warm the cache
    path = store.documents_path
    _write_bytes(path, _damage(kind, _read_bytes(path)))
    damaged = _read_bytes(path)
    for reader in (store, FileStore(tmp_path)):
        for attempt in (
            lambda: reader.get("partners", doc["id"]),
            lambda: reader.all("accounts"),
            lambda: reader.find("partners", name="A"),
            lambda: reader.insert("partners", {"name": "B"}),
            lambda: reader.update("partners", doc["id"], {"name": "B"}),
            lambda: reader.remove("partners", doc["id"]),
        ):
            with pytest.raises(DamagedFileError) as caught:
                attempt()
            assert "roundtable.json" in str(caught.value)
            assert caught.value.path == path
        with pytest.raises(DamagedFileError, match="roundtable.json"):
            with reader.transaction() as tx:
                tx.insert("partners", {"name": "B"})
        assert _read_bytes(path) == damaged
    [report] = [r for r in store.check() if r.path == path]
    assert report.status == "damaged" and not report.ok
    assert _read_bytes(path) == damaged
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    # Streams live in files of their own and keep working.
    record_id = store.append("votes", {"n": 1})
    assert _ids(store.records("votes"), "_id") == [record_id]


def test_check_reports_ok_files_and_leftovers(tmp_path):
    store = FileStore(tmp_path, fold_bytes=300)
    assert store.check() == []
    for n in range(3):
        store.insert("partners", {"n": n})
    for n in range(10):
        store.append("votes", {"n": n})
    store.append("answers", {"n": 0})
    leftovers = [
        os.path.join(tmp_path, "roundtable.json.0a1b2c.tmp"),
        os.path.join(tmp_path, "streams", "votes.json.3d4e5f.tmp"),
    ]
    for path in leftovers:
        _write_bytes(path, b'{"half')
    reports = {r.path: r for r in store.check()}
    assert set(reports) == {
        store.documents_path,
        _journal(store),
        _folded(store),
        _journal(store, "answers"),
        *leftovers,
    }
    assert all(r.ok for r in reports.values())
    assert reports[store.documents_path].status == "ok" and reports[store.documents_path].records == 3
    assert reports[_journal(store, "answers")].records == 1
    assert reports[_journal(store)].records + reports[_folded(store)].records == 10
    for path in leftovers:
        assert reports[path].status == "leftover"
    assert store.streams() == ["answers", "votes"]  # leftovers are not streams
    assert len(FileStore(tmp_path).records("votes")) == 10


def test_backup_reads_identically(tmp_path):
    store = FileStore(tmp_path / "live", fold_bytes=500)
    for n in range(5):
        store.insert("partners", {"name": f"p{n}", "tags": [n]})
    store.insert("accounts", {"username": "ada"})
    for n in range(30):
        store.append("votes", {"n": n})
    store.append("survey-1", {"answers": {"q": "ünïcödé"}})
    with open(_journal(store), "ab") as file:
        file.write(b'{"torn":')
    destination = store.backup(tmp_path / "copy")
    copy = FileStore(destination)
    for table in ("partners", "accounts"):
        assert copy.all(table) == store.all(table)
    assert copy.streams() == store.streams() == ["survey-1", "votes"]
    for stream in store.streams():
        assert copy.records(stream) == store.records(stream)
    assert all(r.ok for r in copy.check())
    # The copy is independent of the original.
    copy.insert("partners", {"name": "only in the copy"})
    copy.append("votes", {"n": "only in the copy"})
    assert len(store.all("partners")) == 5 and len(store.records("votes")) == 30


# -- many processes ----------------------------------------------------------

WORKER = textwrap.dedent("""
    import os, sys, time
    from roundtable.store import FileStore
    root, kind, worker, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    store = FileStore(root, fold_bytes=2048)
    while not os.path.exists(go):
        time.sleep(0.005)
    for n in range(count):
        if kind == "insert":
            store.insert("docs", {"worker": worker, "n": n})
        else:
            store.append("votes", {"worker": worker, "n": n})
""")


def _python(*args, **kwargs):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, "-c", *args], cwd=ROOT, env=env, **kwargs)


def _run_workers(root, kind, workers=4, count=500, observe=None):
    go = os.path.join(os.path.dirname(root), "go")
    processes = [_python(WORKER, root, kind, str(w), str(count), go) for w in range(workers)]
    try:
        _write_bytes(go, b"")
        while any(p.poll() is None for p in processes):
            if observe:
                observe()
            time.sleep(0.01)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
    assert [p.returncode for p in processes] == [0] * workers


@pytest.mark.parametrize("kind", ["insert", "append"])
def test_concurrent_writers_lose_nothing(tmp_path, kind):
    root = str(tmp_path / "store")
    watcher = FileStore(root)  # reads while the writers write (and fold)
    seen = [0]

    def read(store):
        items = store.all("docs") if kind == "insert" else store.records("votes")
        key = "id" if kind == "insert" else "_id"
        counts = collections.Counter(item[key] for item in items)
        assert not [i for i, c in counts.items() if c > 1], "a record was read twice"
        return items

    def observe():
        items = read(watcher)
        assert len(items) >= seen[0], "records went missing"
        seen[0] = len(items)

    _run_workers(root, kind, observe=observe)
    for reader in (watcher, FileStore(root)):
        items = read(reader)
        assert len(items) == 2000
        assert sorted((i["worker"], i["n"]) for i in items) == [(w, n) for w in range(4) for n in range(500)]
    assert all(r.status == "ok" for r in FileStore(root).check())
    if kind == "append":
        assert os.path.exists(_folded(watcher))  # folds happened while others appended


CRASHER = textwrap.dedent("""
    import sys
    from roundtable.store import FileStore
    store = FileStore(sys.argv[1], fold_bytes=1536)
    print("ready", flush=True)
    n = 0
    while True:
        if n % 2 == 0:
            doc = store.insert("docs", {"n": n, "pad": "x" * (n % 13)})
            print("doc", doc["id"], flush=True)
        else:
            stream = ("votes", "answers")[n // 2 % 2]
            record_id = store.append(stream, {"n": n, "pad": "y" * (n % 11)})
            print(stream, record_id, flush=True)
        n += 1
""")


def test_writers_killed_at_random_lose_no_acknowledged_write(tmp_path):
    root = str(tmp_path / "store")
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    acknowledged = collections.defaultdict(set)
    survivor = FileStore(root)  # a long-lived reader with warm caches
    for attempt in range(20):
        child = _python(CRASHER, root, stdout=subprocess.PIPE)
        try:
            assert child.stdout.readline() == b"ready\n"
            time.sleep(rng.uniform(0.05, 0.4))
            child.send_signal(signal.SIGKILL)
            output = child.stdout.read()
        finally:
            child.kill()
            child.wait()
            child.stdout.close()
        lines = output.split(b"\n")[:-1]  # a line with no newline was never printed whole
        for line in lines:
            where, ident = line.decode().split()
            acknowledged[where].add(ident)
        for store in (FileStore(root), survivor):
            context = f"attempt {attempt}, seed {seed}"
            docs = _counts(store.all("docs"), "id")
            assert acknowledged["doc"] <= set(docs), context
            assert max(docs.values()) == 1, context
            for stream in ("votes", "answers"):
                records = _counts(store.records(stream))
                assert acknowledged[stream] <= set(records), context
                assert max(records.values(), default=1) == 1, context
        assert not [r for r in FileStore(root).check() if not r.ok]
    # Enough writes were acknowledged for the test to mean something.
    assert len(acknowledged["doc"]) >= 20 and len(acknowledged["votes"] | acknowledged["answers"]) >= 20


def test_nested_write_in_one_thread_fails_fast(tmp_path):
    store = FileStore(tmp_path)
    with pytest.raises(RuntimeError, match="nested write"):
        with store.transaction():
            store.insert("partners", {"name": "inner"})
    assert store.all("partners") == []


def test_version_changes_with_every_write(tmp_path):
    for store in (MemoryStore(), FileStore(tmp_path)):
        seen = {store.version()}
        store.insert("partners", {"name": "A"})
        seen.add(store.version())
        store.append("responses-x", {"n": 1})
        seen.add(store.version())
        store.drain("responses-x", lambda records: store.insert("tallies", {"n": len(records)}))
        seen.add(store.version())
        assert len(seen) == 4
        assert store.version() == store.version()


def test_version_survives_a_stream_drained_while_it_looks(tmp_path, monkeypatch):
    """A round closed by another process while the dashboard asks for the version: no error, a new version."""
    store = FileStore(tmp_path)
    store.append("ballots-m1", {"option": "agree"})
    store.append("responses-s1", {"n": 1})
    before = store.version()
    real_scandir = os.scandir

    class Listed:
        """The directory as listed, then the ballots' journal deleted before its entry is looked at."""

        def __init__(self, path):
            with real_scandir(path) as entries:
                self.entries = list(entries)
            os.unlink(store.stream_paths("ballots-m1")[0])

        def __enter__(self):
            return iter(self.entries)

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(os, "scandir", Listed)
    during = store.version()
    monkeypatch.undo()
    assert during != before
    assert during == store.version()


def test_extend_adds_many_records_shuffled_each_with_its_id(store):
    store.append("answers", {"n": -1})
    ids = store.extend("answers", [{"n": n} for n in range(200)])
    assert len(set(ids)) == 200 and all(HEX_ID.match(i) for i in ids)
    records = store.records("answers")
    assert sorted(r["n"] for r in records) == list(range(-1, 200))
    assert {r["_id"] for r in records} >= set(ids)
    assert [r["n"] for r in records if r["n"] >= 0] != list(range(200))  # no trace of the order given


def test_bulk_responses_are_stored_as_submissions_are(tmp_path):
    import datetime

    from roundtable import partners, surveys
    from roundtable.errors import InvalidInput

    store = FileStore(tmp_path / "store")
    partner = partners.add_partner(store, "Acme", "business")
    survey = surveys.create_survey(store, {"en": "Check-in"}, "en", attribution="partner")
    surveys.add_question(store, survey.id, "agreement", {"en": "We listen"})
    survey = surveys.set_status(store, survey.id, "open")
    answers, errors = surveys.validate_answers(survey, {survey.questions[0].id: ["4"]})
    assert not errors
    day = datetime.date(2026, 3, 1)
    surveys.add_responses(store, survey, [(answers, partner.id, None)] * 3, today=day)
    receipt = surveys.submit_response(store, survey, answers, partner_id=partner.id, today=day, secret="key")
    stored = [{k: v for k, v in r.items() if k != "_id"} for r in store.records(surveys.stream(survey.id))]
    assert stored == [{"answers": answers, "day": "2026-03-01", "partner": partner.id, "partner_type": "business"}] * 4
    assert len(store.members(surveys.receipts_set(survey.id))) == 4
    assert surveys.check_receipt(store, receipt, secret="key") == survey
    with pytest.raises(InvalidInput):
        surveys.add_responses(store, survey, [(answers, "not-a-partner", None)])
    assert len(store.records(surveys.stream(survey.id))) == 4


# -- sets: members with no order ------------------------------------------------------


def _member(n):
    import hashlib

    return hashlib.sha256(str(n).encode()).hexdigest()


def test_sets_hold_members_once(store):
    store.add_member("receipts-s1", _member(1))
    store.add_member("receipts-s1", _member(1))
    store.add_members("receipts-s1", [_member(2), _member(3)])
    assert store.members("receipts-s1") == {_member(1), _member(2), _member(3)}
    assert store.has_member("receipts-s1", _member(2)) and not store.has_member("receipts-s1", _member(4))
    assert store.members("receipts-s2") == set() and not store.has_member("receipts-s2", _member(1))
    for bad in ("ABC", _member(1).upper(), _member(1) + "0", "../" + _member(1)[3:]):
        with pytest.raises(ValueError):
            store.add_member("receipts-s1", bad)
    with pytest.raises(ValueError):
        store.add_member("../escape", _member(1))


def test_a_set_file_grows_and_keeps_every_member(tmp_path):
    from roundtable.store import sets

    store = FileStore(tmp_path / "store")
    for n in range(600):
        store.add_member("s", _member(n))
    path = store.set_path("s")
    assert os.path.getsize(path) > sets.MIN_BUCKETS * sets.BUCKET_BYTES
    assert store.members("s") == {_member(n) for n in range(600)}
    assert all(store.has_member("s", _member(n)) for n in range(600))
    assert [report.status for report in store.check() if report.path == path] == ["ok"]
    copy = FileStore(tmp_path / "other")
    store.backup(copy.root)
    assert copy.members("s") == store.members("s")


def test_a_set_files_layout_does_not_follow_arrival_order(tmp_path):
    """The same members added in the same order twice land in different places: the order is not kept."""
    layouts = []
    for trial in range(2):
        store = FileStore(tmp_path / str(trial))
        for n in range(40):
            store.add_member("s", _member(n))
        with open(store.set_path("s"), "rb") as file:
            layouts.append(file.read())
    assert layouts[0] != layouts[1]
    offsets = [layouts[0].index(_member(n).encode()) for n in range(40)]
    assert offsets != sorted(offsets)


def test_a_torn_slot_is_free_and_damage_is_refused(tmp_path):
    from roundtable.store import sets

    store = FileStore(tmp_path / "store")
    store.add_member("s", _member(1))
    path = store.set_path("s")
    with open(path, "rb") as file:
        data = file.read()
    free = data.index(sets.FREE)
    torn = data[:free] + _member(2)[:30].encode() + data[free + 30 :]
    with open(path, "wb") as file:
        file.write(torn)
    assert store.members("s") == {_member(1)}
    store.add_member("s", _member(3))
    assert store.members("s") == {_member(1), _member(3)}
    with open(path, "ab") as file:
        file.write(b"garbage")
    before = open(path, "rb").read()
    with pytest.raises(DamagedFileError):
        store.members("s")
    with pytest.raises(DamagedFileError):
        store.add_member("s", _member(4))
    assert open(path, "rb").read() == before
    assert [report.status for report in store.check() if report.path == path] == ["damaged"]


def test_a_commit_on_one_server_wakes_a_waiter_on_another_at_once(postgres_store):
    """PostgreSQL: a second server's store hears the first's commits through LISTEN/NOTIFY, not by polling."""
    from .conftest import DATABASE_URL

    postgres_store.reset_for_tests()
    other = open_store(DATABASE_URL)
    try:
        other.change_mark()  # the first waiter starts the listener
        deadline = time.monotonic() + 10
        while not other.listening and time.monotonic() < deadline:
            time.sleep(0.05)
        assert other.listening
        mark = other.change_mark()
        later = threading.Timer(0.2, lambda: postgres_store.append("votes", {"n": 1}))
        later.start()
        woken = other.wait_for_change(mark, 10)
        later.join()
        # Polling would have let the wait run out (it returns False); the notification ends it.
        assert woken
        assert [r["n"] for r in other.records("votes")] == [1]
    finally:
        other.close()


def _coarse_clock(monkeypatch, path, first):
    """Make ``path`` look as a coarse timestamp tick and an inode number used again would.

    That is: with ``first``'s inode and mtime.
    """
    real_stat, real_fstat = os.stat, os.fstat

    def frozen(stat):
        return types.SimpleNamespace(
            st_ino=first.st_ino, st_size=stat.st_size, st_mtime_ns=first.st_mtime_ns, st_mode=stat.st_mode
        )

    def fake_stat(target, *args, **kwargs):
        stat = real_stat(target, *args, **kwargs)
        return frozen(stat) if os.fspath(target) == path else stat

    def fake_fstat(fd):
        stat = real_fstat(fd)
        return frozen(stat) if os.readlink(f"/proc/self/fd/{fd}") == path else stat

    monkeypatch.setattr(os, "stat", fake_stat)
    monkeypatch.setattr(os, "fstat", fake_fstat)


def test_a_same_size_rewrite_within_one_timestamp_tick_is_seen_by_another_process(tmp_path, monkeypatch):
    """Change detection does not depend on timestamps: each rewrite carries a generation mark of its own."""
    writer, reader = FileStore(tmp_path), FileStore(tmp_path)
    writer.insert("docs", {"id": "a", "v": "1"})
    assert reader.get("docs", "a")["v"] == "1"  # the reader caches the documents at this signature
    first = os.stat(writer.documents_path)
    writer.update("docs", "a", {"v": "2"})
    assert os.stat(writer.documents_path).st_size == first.st_size
    _coarse_clock(monkeypatch, writer.documents_path, first)
    assert reader.get("docs", "a")["v"] == "2"


def test_a_journal_drained_and_refilled_within_one_timestamp_tick_is_read_anew(tmp_path, monkeypatch):
    writer, reader = FileStore(tmp_path), FileStore(tmp_path)
    writer.append("votes", {"n": 1})
    assert [r["n"] for r in reader.records("votes")] == [1]
    journal = _journal(writer)
    first = os.stat(journal)
    writer.drain("votes", lambda records: None)
    writer.append("votes", {"n": 2})
    assert os.stat(journal).st_size == first.st_size
    _coarse_clock(monkeypatch, journal, first)
    assert [r["n"] for r in reader.records("votes")] == [2]
