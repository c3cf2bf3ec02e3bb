"""A full disk, a read-only disk or a failing fsync during a write: a clear 503, and nothing half stored.

The fault is injected at the lowest write path the store uses — ``os.open``
for writing (which also takes the file locks), ``os.write`` and ``os.fsync`` —
and only on files of the app's data directory. It starts at the n-th such call
of a request and lasts to the end of it, for every n the request reaches: the
disk may fill up at any instant of a submission, not only before its first
byte. Four writes are tried, each through its route: a participant's survey
response, the first response to a survey (whose journals the request
creates), a participant's ballot, and an administrator adding a partner.

Each faulted request must either

- answer 503 with the translated "could not save, please try again" page
  (checked in Spanish and Arabic against the compiled catalogs), with no
  redirect to the success page, and leave the store's files exactly as they
  were, or
- have stored what was sent, exactly once, and acknowledge it (303).

A 503 never comes with a stored record, so a participant who is told to try
again cannot be counted twice. After every fault the pages still read, and
``store check`` finds every file readable; once the fault is gone the next
submission succeeds. No request ends in a 500 or a logged traceback.

Run: ``pytest tests/test_disk_faults.py``.
"""

import contextlib
import datetime
import errno
import glob
import html
import itertools
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

import pytest
from babel.support import Translations

from roundtable import meetings, partners, surveys
from roundtable.survey_templates import TEMPLATES

from .conftest import csrf_token
from .local_http import Browser, free_port, production_server

LOCALES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locales")
TITLE = "Could not save, please try again"
MESSAGE = "Nothing was saved. Please try again in a moment; if it keeps happening, tell the facilitator."
LANGUAGES = ("es", "ar")
# os.open flags that open a file for writing; fsync_directory's O_RDONLY open is a read.
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
FAULTS = [
    pytest.param("write", errno.ENOSPC, id="disk-full-at-write"),
    pytest.param("open", errno.ENOSPC, id="disk-full-at-open"),
    pytest.param("open", errno.EROFS, id="read-only-at-open"),
    pytest.param("write", errno.EROFS, id="read-only-at-write"),
    pytest.param("fsync", errno.EIO, id="fsync-fails"),
    pytest.param("fsync", errno.ENOSPC, id="fsync-disk-full"),
]
MAX_CALLS = 40  # far more write calls than any of these requests makes


def translated(language, msgid):
    """``msgid`` in ``language``, from the compiled catalog the app uses."""
    text = Translations.load(LOCALES, [language]).gettext(msgid)
    assert text != msgid, f"{msgid!r} is not translated in {language}"
    return text


def page_text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


class FailingDisk:
    """From the ``start``-th ``call`` on a file of ``root``, that call raises OSError(``code``)."""

    def __init__(self, monkeypatch, root, call, code, start):
        self.root = os.path.realpath(root) + os.sep
        self.calls = 0
        self.failed = 0
        real = getattr(os, call)
        target = {"open": self._opened_for_writing, "write": self._descriptor, "fsync": self._descriptor}[call]

        def faulty(*args, **kwargs):
            if target(*args, **kwargs):
                self.calls += 1
                if self.calls >= start:
                    self.failed += 1
                    raise OSError(code, os.strerror(code))
            return real(*args, **kwargs)

        monkeypatch.setattr(os, call, faulty)

    def _inside(self, path):
        return os.path.realpath(path).startswith(self.root)

    def _opened_for_writing(self, path, flags, *args, **kwargs):
        return kwargs.get("dir_fd") is None and bool(flags & WRITE_FLAGS) and self._inside(os.fspath(path))

    def _descriptor(self, fd, *args):
        try:
            return self._inside(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            return False


def stored_files(app):
    """{path: bytes} of the store's data files; lock files and empty journals hold nothing."""
    found = {}
    root = os.path.join(app.config["DATA_DIR"], "store")
    for directory, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            assert not name.endswith(".tmp"), f"a temporary file was left behind: {path}"
            if name.endswith(".lock"):
                continue
            with open(path, "rb") as file:
                content = file.read()
            if content or not name.endswith(".log"):
                found[os.path.relpath(path, root)] = content
    return found


@pytest.fixture
def world(app, client, staff):
    """An open health-check survey, a meeting with an open round and a seat, a logged-in administrator.

    One response and one ballot are stored already, so their journals exist.
    """
    store = app.config["STORE"]
    staff.login("admin", "admin")
    partner = partners.add_partner(store, "Valley Community College", "semi_public")
    survey = surveys.set_status(store, surveys.create_from_template(store, TEMPLATES["health_check"]).id, "open")
    meeting = meetings.create_meeting(store, {"en": "Board"}, datetime.date(2026, 11, 23), attending=[partner.id])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    seat = meetings.take_seat(store, meeting["id"], app.config["SECRET_KEY"], partner_id=partner.id)
    surveys.submit_response(store, survey, {survey.questions[0].id: 4}, secret="test key")
    meetings.cast_ballot(
        store, meeting["id"], meetings.seat_for(store, meeting["id"], app.config["SECRET_KEY"], seat), "agree"
    )
    phone = app.test_client()
    phone.set_cookie(f"seat_{meeting['id']}", seat)
    return {"store": store, "survey": survey, "meeting": meeting, "phone": phone, "staff": staff}


class Action:
    """One kind of write through its route: how to send it, where success lands, how to count what it stored.

    ``first response`` answers a survey that has no response yet, made anew
    before each try, so its journals are created by the faulted request.
    """

    def __init__(self, world, kind):
        self.world, self.kind = world, kind
        self.survey = world["survey"]
        self.page = {"ballot": f"/m/{world['meeting']['share_token']}", "partner": "/partners/"}.get(
            kind, f"/s/{self.survey.share_token}"
        )
        self.client = world["staff"].client if kind == "partner" else world["phone"]
        # One token serves every form of the session.
        self.token = csrf_token(self.client, "/partners/new" if kind == "partner" else self.page)

    def prepare(self):
        """Before each try: a new survey to answer first, for ``first response``."""
        if self.kind == "first response":
            store = self.world["store"]
            self.survey = surveys.set_status(
                store, surveys.create_from_template(store, TEMPLATES["health_check"]).id, "open"
            )
            self.page = f"/s/{self.survey.share_token}"

    def _question(self, kind):
        return next(q for q in self.survey.questions if q.kind == kind)

    def send(self, marker, language):
        """POST one submission carrying ``marker`` (a unique text)."""
        headers = {"Accept-Language": language}
        if self.kind in ("survey", "first response"):
            data = {
                "csrf_token": self.token,
                f"q-{self._question('agreement').id}": "4",
                f"q-{self._question('long_text').id}": marker,
            }
            return self.client.post(self.page, data=data, headers=headers)
        if self.kind == "ballot":
            data = {"csrf_token": self.token, "option": "agree", "comment": marker}
            return self.client.post(self.page + "/vote", data=data, headers=headers)
        data = {"csrf_token": self.token, "name": marker, "type": "cbo", "active": "y"}
        return self.client.post("/partners/new", data=data, headers=headers)

    @property
    def success(self):
        """Where a stored submission is redirected."""
        return {"ballot": self.page, "partner": "/partners/"}.get(self.kind, self.page + "/thanks")

    def stored(self, marker):
        """How many times the submission carrying ``marker`` is in the store."""
        store = self.world["store"]
        if self.kind == "ballot":
            records = store.records(meetings.ballots_stream(self.world["meeting"]["id"]))
            return sum(1 for r in records if r["comment"] == marker)
        if self.kind == "partner":
            return sum(1 for p in partners.list_partners(store) if p.name == marker)
        records = store.records(surveys.stream(self.survey.id))
        return sum(1 for r in records if r["answers"].get(self._question("long_text").id) == marker)


def assert_refused(response, language):
    """The translated 503 page, and no success redirect."""
    assert response.status_code == 503, response.status_code
    assert response.location is None
    page = page_text(response)
    assert translated(language, TITLE) in page and translated(language, MESSAGE) in page
    assert TITLE not in page
    assert f'lang="{language}"' in page
    assert ('dir="rtl"' in page) == (language == "ar")


def assert_no_crash(caplog):
    """No 500 was logged, no traceback either."""
    assert not [r for r in caplog.records if r.exc_info or r.getMessage() == "unexpected error"]


@pytest.mark.parametrize("kind", ["survey", "first response", "ballot", "partner"])
@pytest.mark.parametrize("call, code", FAULTS)
def test_fault_at_every_write_refuses_or_stores_once(app, world, runner, monkeypatch, caplog, kind, call, code):
    action = Action(world, kind)
    refused = stored = 0
    for start in itertools.count(1):
        assert start <= MAX_CALLS, "the request never stopped writing"
        marker = f"{kind} {call} {code} from call {start}"
        language = LANGUAGES[start % 2]
        action.prepare()
        before = stored_files(app)
        # A batch an earlier fault left unfinished (stored, its set members not yet added) is completed
        # by the next write to its stream, which may then fail: only then may a 503 come with changed files.
        unfinished = any("unfinished" in report.detail for report in world["store"].check())
        caplog.clear()
        with monkeypatch.context() as patch:
            disk = FailingDisk(patch, app.config["DATA_DIR"], call, code, start)
            response = action.send(marker, language)
        assert response.status_code != 500
        assert_no_crash(caplog)
        if not disk.failed:
            # The request made fewer such calls than ``start``: it ran clean and must have succeeded.
            assert response.status_code == 303 and action.stored(marker) == 1
            break
        context = f"fault from call {start} of {disk.calls}"
        if response.status_code == 503:
            refused += 1
            assert_refused(response, language)
            assert action.stored(marker) == 0, context
            assert unfinished or stored_files(app) == before, context
            # The log names the file that could not be written.
            assert any("write failed on " + app.config["DATA_DIR"] in r.getMessage() for r in caplog.records)
        else:
            # The fault struck after the submission was durable: it is acknowledged, once.
            stored += 1
            assert response.status_code == 303, (context, response.status_code)
            assert response.location.endswith(action.success), context
            assert action.stored(marker) == 1, context
        # The store still reads: the page that shows this data, and the participant's or staff's next look.
        assert action.client.get(action.page).status_code == 200
    print(f"\n{kind}, {call} {errno.errorcode[code]}: {refused} refused, {stored} stored once and acknowledged")
    # The fault before the first write always refuses; every kind was tried at more than one instant.
    assert refused >= 1 and refused + stored == start - 1 >= 1
    check = runner.invoke(args=["store", "check"])
    assert check.exit_code == 0, check.output
    # With the disk healthy again, the next submission goes through.
    response = action.send(f"{kind} after the fault", "es")
    assert response.status_code == 303 and response.location.endswith(action.success)
    assert action.stored(f"{kind} after the fault") == 1


def test_a_receipt_whose_set_failed_after_the_response_is_completed_by_the_next_write(app, world, monkeypatch, caplog):
    """The response's line (and its intent) is fsynced first.

    If only the receipt's set then fails, the submission stands and is
    acknowledged with its code, and the next write to the survey adds the receipt.
    """
    action = Action(world, "survey")
    store, survey = world["store"], world["survey"]
    receipts = surveys.receipts_set(survey.id)
    count = len(store.members(receipts))
    with monkeypatch.context() as patch:
        # The journal's fsync is the request's first; the receipts' set, the second, fails.
        FailingDisk(patch, app.config["DATA_DIR"], "fsync", errno.ENOSPC, 2)
        response = action.send("receipt delayed", "en")
    assert response.status_code == 303 and response.location.endswith(action.success)
    assert action.stored("receipt delayed") == 1
    assert len(store.members(receipts)) == count
    thanks = page_text(action.client.get(response.location))
    assert "Thank you: your answers were saved" in thanks and "Your receipt code" in thanks
    path = store.stream_paths(surveys.stream(survey.id))[0]
    assert [r.getMessage() for r in caplog.records if r.name == "roundtable.store.files"] == [
        f"submissions stored, their set members left to the next write: {store.set_path(receipts)}: "
        "ENOSPC No space left on device"
    ]
    assert [r for r in store.check() if r.path == path and "1 unfinished" in r.detail]
    response = action.send("the next one", "en")
    assert response.status_code == 303
    assert len(store.members(receipts)) == count + 2
    assert not [r for r in store.check() if "unfinished" in r.detail]
    assert_no_crash(caplog)


def test_failed_fsync_leaves_no_readable_line(app, world, monkeypatch):
    """An appended line whose fsync failed is cut off again: no reader ever counts it."""
    store = world["store"]
    journal = store.stream_paths(surveys.stream(world["survey"].id))[0]
    with open(journal, "rb") as file:
        before = file.read()
    with monkeypatch.context() as patch:
        FailingDisk(patch, app.config["DATA_DIR"], "fsync", errno.EIO, 1)
        response = Action(world, "survey").send("fsync lost", "es")
    assert response.status_code == 503
    with open(journal, "rb") as file:
        assert file.read() == before
    assert not [r for r in store.records(surveys.stream(world["survey"].id)) if "fsync lost" in r["answers"].values()]


# -- PostgreSQL: the database stopped and started again under a running server ------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster of this test's own, on a free port, run as the postgres user when root."""

    def __init__(self):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(n) for n in re.findall(r"\d+", p)])
        if not self.bin:
            pytest.fail("PostgreSQL's binaries (initdb, pg_ctl) are not installed")
        self.bin = self.bin[-1]
        self.root = tempfile.mkdtemp(prefix="roundtable-cluster-")
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.port = free_port()
        self.data = os.path.join(self.root, "data")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/roundtable"
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "roundtable")

    def _run(self, program, *arguments):
        command = [os.path.join(self.bin, program), *arguments]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]
        subprocess.run(command, check=True, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        """Start the cluster and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "log"), "-w", "-o", options, "start")

    def stop(self, mode="fast"):
        """Stop the cluster (``fast``: connections are cut, as at an administrator's restart)."""
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self):
        """Stop it, whatever state it is in, and delete it."""
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster(request):
    """A PostgreSQL cluster this test may stop and start; it runs where the PostgreSQL tests run (and in CI)."""
    request.getfixturevalue("postgres_store")  # skips, or fails in CI, exactly as the other PostgreSQL tests
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.remove()


def open_health_check(cluster):
    """The cluster's store (its tables made), an open health check in it, its comment question and its page."""
    from roundtable.store.api import open_store

    store = open_store(cluster.url)
    store.init()
    survey = surveys.set_status(store, surveys.create_from_template(store, TEMPLATES["health_check"]).id, "open")
    comment = next(q for q in survey.questions if q.kind == "long_text")
    return store, survey, comment, f"/s/{survey.share_token}"


def test_database_stopped_under_a_running_server_refuses_then_recovers(cluster, tmp_path):
    """While the database is down, pages that need it are the translated 503 and nothing is stored.

    Once it is back, the same server serves again, and the refused submission sent again is stored once.
    """
    store, survey, comment, page = open_health_check(cluster)
    try:
        environment = {
            "ROUNDTABLE_DATA_DIR": str(tmp_path / "server"),
            "ROUNDTABLE_DATABASE_URL": cluster.url,
            "ROUNDTABLE_SECRET_KEY": None,
        }
        with production_server(environment, seconds=90) as base:
            phones = {language: Browser(base) for language in LANGUAGES}

            for language in LANGUAGES:  # each phone has its form (and session) before the database goes
                phones[language].request(page, headers={"Accept-Language": language})
            early = Browser(base)
            early.request(page)
            assert early.request(page, {f"q-{comment.id}": "before"})[0] == 303

            cluster.stop()
            refused = {}
            for language in LANGUAGES:
                phone = phones[language]
                form = phone.page
                began = time.monotonic()
                status, location, body = phone.request(
                    page,
                    {f"q-{comment.id}": f"while down {language}", "client_id": f"answer-{language}-0000000000"},
                    headers={"Accept-Language": language},
                )
                refused[language] = time.monotonic() - began
                assert status == 503 and location is None, status
                assert translated(language, TITLE) in html.unescape(body), body[:300]
                assert ('dir="rtl"' in body) == (language == "ar")
                phone.page = form  # send the same form again later
                status, _location, body = phone.request(page, headers={"Accept-Language": language})
                assert status == 503 and translated(language, TITLE) in html.unescape(body)
                phone.page = form

            cluster.start()
            began = time.monotonic()
            for language in LANGUAGES:
                status, location, _body = phones[language].request(
                    page, {f"q-{comment.id}": f"while down {language}", "client_id": f"answer-{language}-0000000000"}
                )
                assert status == 303 and location.endswith(page + "/thanks"), status
            recovered = time.monotonic() - began
        stored = [r["answers"].get(comment.id) for r in store.records(surveys.stream(survey.id))]
        assert sorted(stored) == ["before", "while down ar", "while down es"]
        print(
            f"\ndatabase stopped: refused in {', '.join(f'{t:.1f} s' for t in refused.values())}; "
            f"started again: the refused answers stored in {recovered:.1f} s"
        )
    finally:
        store.close()


def test_database_refusing_writes_is_a_503_and_nothing_stored(cluster, tmp_path):
    """The database refusing every write (read-only, as a full disk or a standby makes it): the translated 503.

    Nothing is stored and pages still read; writable again, the same form goes through.
    """
    import psycopg

    store, survey, comment, page = open_health_check(cluster)
    try:
        environment = {
            "ROUNDTABLE_DATA_DIR": str(tmp_path / "server"),
            "ROUNDTABLE_DATABASE_URL": cluster.url,
            "ROUNDTABLE_SECRET_KEY": "s" * 40,
        }
        with production_server(environment, seconds=60) as base, psycopg.connect(cluster.url, autocommit=True) as admin:

            def read_only(on):
                admin.execute(f"ALTER DATABASE roundtable SET default_transaction_read_only = {'on' if on else 'off'}")
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )

            phone = Browser(base)
            phone.request(page, headers={"Accept-Language": "ar"})
            form = phone.page
            read_only(True)
            answer = {f"q-{comment.id}": "refused", "client_id": "read-only-answer-000"}
            status, location, body = phone.request(page, answer, headers={"Accept-Language": "ar"})
            assert status == 503 and location is None, status
            assert translated("ar", TITLE) in html.unescape(body) and 'dir="rtl"' in body
            phone.page = form
            assert Browser(base).request(page)[0] == 200  # reading still works
            read_only(False)
            status, location, _body = phone.request(page, answer)
            assert status == 303 and location.endswith(page + "/thanks"), status
        stored = [r["answers"].get(comment.id) for r in store.records(surveys.stream(survey.id))]
        assert stored == ["refused"]
    finally:
        store.close()
