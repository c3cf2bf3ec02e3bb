"""200 phones vote at once against two gunicorn workers: every ballot is acknowledged and counted exactly once.

The data (200 partners, a meeting, an open round, 200 seats) is prepared
through the domain; the server is a real gunicorn with two sync worker
processes sharing the data directory, so ballots race across processes, not
threads. The round is then closed through the domain and its tally checked
to the ballot.
"""

import collections
import concurrent.futures
import datetime
import html
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest

from app import create_app
from roundtable import accounts, meetings, partners
from roundtable.settings import SECRET_KEY_FILE

from .conftest import CSRF, PASSWORD

SEATS = 200
OPTIONS = ("agree", "abstain", "disagree")
TYPES = ("business", "cbo", "government", "foundation", "labor", "semi_public")
THREADS = 32
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30
BOOT_TIMEOUT = 30
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCESS = re.compile(r"^<(\d+)> (\w+) (\S+) (\d{3})$")


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def request(port, method, path, body=None, cookies=None, headers=None):
    """(status, headers, text) of one request on a fresh connection, bounded by REQUEST_TIMEOUT."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        sent = dict(headers or {})
        if cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if body is not None:
            body = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8")
    finally:
        connection.close()


def set_cookies(headers):
    """Cookie name -> value set by a response."""
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def form_of(port, path, cookies):
    """(CSRF token, cookies with the session) of the form a GET of ``path`` shows."""
    status, headers, body = request(port, "GET", path, cookies=cookies)
    assert status == 200, (path, status)
    match = CSRF.search(body)
    assert match, f"no CSRF token on {path}"
    return match.group(1), {**cookies, **set_cookies(headers)}


@pytest.fixture
def prepared(tmp_path):
    """A data directory with 200 partners, a meeting of all of them, its round open and 200 seats taken."""
    data_dir = str(tmp_path / "data")
    app = create_app({"DATA_DIR": data_dir})
    store = app.config["STORE"]
    rows = "\n".join(f"Partner {n:03d},{TYPES[n % len(TYPES)]}" for n in range(SEATS))
    roster = sorted(partners.import_csv(store, "name,type\n" + rows + "\n"), key=lambda p: p.name)
    assert len(roster) == SEATS
    accounts.create_account(store, "fran", PASSWORD, "facilitator")
    meeting = meetings.create_meeting(
        store, {"en": "General assembly"}, datetime.date(2026, 6, 1), attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the joint strategic plan"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    # The server reads the same secret key from the data directory, so the seats' hashes match.
    with open(os.path.join(data_dir, SECRET_KEY_FILE), encoding="ascii") as file:
        secret = file.read().strip()
    assert secret == app.config["SECRET_KEY"]
    tokens = [meetings.take_seat(store, meeting["id"], secret, partner_id=p.id) for p in roster]
    return {
        "data_dir": data_dir,
        "store": store,
        "meeting": meetings.get_meeting(store, meeting["id"]),
        "roster": roster,
        "tokens": tokens,
        "logs": tmp_path,
    }


@pytest.fixture
def server(prepared):
    """Gunicorn with 2 sync workers on the prepared data directory; yields (port, access log path, worker pids)."""
    port = free_port()
    logs = prepared["logs"]
    access_log, error_log = logs / "access.log", logs / "error.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("ROUNDTABLE_")}
    env["ROUNDTABLE_DATA_DIR"] = prepared["data_dir"]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(p)s %(m)s %(U)s %(s)s",
        "--error-logfile",
        str(error_log),
        "app:create_app()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT
        workers = []
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{error_log.read_text() if error_log.exists() else ''}"
            assert time.monotonic() < deadline, "gunicorn did not start in time"
            log = error_log.read_text() if error_log.exists() else ""
            workers = re.findall(r"Booting worker with pid: (\d+)", log)
            try:
                healthy = request(port, "GET", "/health")[0] == 200
            except OSError:
                healthy = False
            if healthy and len(workers) >= 2:
                break
            time.sleep(0.1)
        yield port, access_log, {int(pid) for pid in workers}
        errors = error_log.read_text()
        assert "Traceback" not in errors and "[ERROR]" not in errors, errors
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def served_by(access_log, path):
    """Pid -> statuses of the requests for ``path`` in the access log."""
    found = collections.defaultdict(list)
    for line in access_log.read_text().splitlines():
        match = ACCESS.match(line.strip())
        if match and match.group(3) == path:
            found[int(match.group(1))].append(int(match.group(4)))
    return found


def ballot_forms(port, meeting, tokens, pool):
    """Each phone loads its ballot page once: (CSRF token, cookies with seat and session) per seat."""
    page = f"/m/{meeting['share_token']}"
    return list(
        pool.map(
            lambda token: form_of(port, page, {f"seat_{meeting['id']}": token}), tokens, timeout=REQUEST_TIMEOUT * 4
        )
    )


def sender(port, meeting, forms):
    """A function sending seat ``n``'s ballot; it returns (status, Location, seconds)."""
    page = f"/m/{meeting['share_token']}"

    def vote(n):
        csrf, cookies = forms[n]
        started = time.perf_counter()
        status, headers, _body = request(
            port,
            "POST",
            page + "/vote",
            cookies=cookies,
            body={"csrf_token": csrf, "option": OPTIONS[n % len(OPTIONS)]},
        )
        return status, headers.get("Location", ""), time.perf_counter() - started

    return vote


def test_200_ballots_at_once_are_each_counted_once(prepared, server):
    port, access_log, worker_pids = server
    assert len(worker_pids) == 2
    meeting, tokens, store = prepared["meeting"], prepared["tokens"], prepared["store"]
    page = f"/m/{meeting['share_token']}"
    seat_cookie = f"seat_{meeting['id']}"
    expected = {partner.id: OPTIONS[n % len(OPTIONS)] for n, partner in enumerate(prepared["roster"])}

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        forms = ballot_forms(port, meeting, tokens, pool)
        vote = sender(port, meeting, forms)
        started = time.perf_counter()
        results = list(pool.map(vote, range(SEATS), timeout=REQUEST_TIMEOUT * 4))
        elapsed = time.perf_counter() - started

    statuses = collections.Counter(status for status, _location, _latency in results)
    assert statuses == {303: SEATS}, statuses
    assert all(location.endswith(page) for _status, location, _latency in results)
    latencies = sorted(latency for _status, _location, latency in results)
    print(
        f"\n{SEATS} ballots, {THREADS} threads, 2 workers: {elapsed:.2f} s in all "
        f"({SEATS / elapsed:.0f}/s), latency median {latencies[SEATS // 2] * 1000:.0f} ms, "
        f"p95 {latencies[int(SEATS * 0.95)] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    voted = served_by(access_log, page + "/vote")
    assert sum(len(s) for s in voted.values()) == SEATS
    assert set(voted) <= worker_pids
    print(f"ballots per worker: {sorted(len(s) for s in voted.values())}")

    # Every ballot is in the stream once, whichever worker took it.
    live = meetings.live_ballots(store, meeting["id"], meeting["current"]["proposal"], 1)
    assert len(live) == SEATS
    assert len(store.records(meetings.ballots_stream(meeting["id"]))) == SEATS

    # The projector's data, served by either worker, counts all 200.
    csrf, cookies = form_of(port, "/login", {})
    status, headers, _body = request(
        port, "POST", "/login", cookies=cookies, body={"csrf_token": csrf, "username": "fran", "password": PASSWORD}
    )
    assert status == 303
    cookies = {**cookies, **set_cookies(headers)}
    live_path = f"/meetings/{meeting['id']}/live.json"
    figures = []
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for _attempt in range(10):
            figures += list(
                pool.map(
                    lambda _n: request(port, "GET", live_path, cookies=cookies), range(16), timeout=REQUEST_TIMEOUT * 2
                )
            )
            if len(served_by(access_log, live_path)) == 2:
                break
    assert set(served_by(access_log, live_path)) == worker_pids
    for status, _headers, body in figures:
        assert status == 200
        data = json.loads(body)
        assert (data["voted"], data["seats"], data["open"]) == (SEATS, SEATS, True)
        fragment = html.unescape(data["html"])
        assert f"{SEATS} of {SEATS} seats have voted" in fragment
        assert "Quorum met." in fragment  # turnout only: names of who has not voted only when asked
    etags = {headers["ETag"] for _status, headers, _body in figures}
    assert len(etags) == 1  # both workers agree on the round's version

    # Closed through the domain: the tally is exact.
    doc = meetings.close_round(store, meeting["id"])
    closed = doc["proposals"][0]["rounds"][0]
    assert closed["tally"]["ballots"] == SEATS and closed["tally"]["voices"] == SEATS
    assert closed["tally"]["quorum_met"] is True
    counts = collections.Counter(b["option"] for b in closed["ballots"])
    assert counts == {"agree": 67, "abstain": 67, "disagree": 66}
    assert {b["partner"]: b["option"] for b in closed["ballots"]} == expected
    # 67 agree against 66 disagree (abstentions left out) is far from 3/4.
    assert closed["tally"]["supportive_share"] == "67/133" and closed["tally"]["outcome"] == "not_adopted"
    assert meetings.ballots_stream(meeting["id"]) not in store.streams()
    # A late ballot after the close is refused by whichever worker takes it.
    csrf, cookies = form_of(port, page, {seat_cookie: tokens[0]})
    status, _headers, body = request(
        port, "POST", page + "/vote", cookies=cookies, body={"csrf_token": csrf, "option": "block"}
    )
    assert status == 409 and "Voting on this round has closed." in html.unescape(body)


def test_ballots_racing_the_close_are_counted_or_refused_never_lost(prepared, server):
    port, _access_log, _workers = server
    meeting, tokens, store = prepared["meeting"], prepared["tokens"], prepared["store"]
    roster = prepared["roster"]
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        forms = ballot_forms(port, meeting, tokens, pool)
        vote = sender(port, meeting, forms)
        futures = {pool.submit(vote, n): n for n in range(SEATS)}
        # Close the round through the domain while ballots are still arriving.
        deadline = time.monotonic() + REQUEST_TIMEOUT
        while sum(1 for f in futures if f.done()) < SEATS // 4:
            assert time.monotonic() < deadline, "ballots did not arrive in time"
            time.sleep(0.005)
        doc = meetings.close_round(store, meeting["id"])
        outcomes = {
            futures[f]: f.result(timeout=REQUEST_TIMEOUT)[0]
            for f in concurrent.futures.as_completed(futures, timeout=REQUEST_TIMEOUT * 4)
        }
    statuses = collections.Counter(outcomes.values())
    print(f"\nracing the close: {statuses[303]} acknowledged, {statuses[409]} refused as too late")
    assert set(statuses) <= {303, 409} and statuses[303] >= SEATS // 4 and statuses[409] > 0
    # Every acknowledged ballot is in the tally, every refused one is not: none lost, none slipped in.
    closed = doc["proposals"][0]["rounds"][0]
    acknowledged = {roster[n].id: OPTIONS[n % len(OPTIONS)] for n, status in outcomes.items() if status == 303}
    assert {b["partner"]: b["option"] for b in closed["ballots"]} == acknowledged
    assert closed["tally"]["ballots"] == len(acknowledged) == statuses[303]
    assert meetings.ballots_stream(meeting["id"]) not in store.streams()
