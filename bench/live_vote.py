"""200 voters at once, and how soon the facilitator's screen shows each ballot.

Starts Roundtable under gunicorn (2 sync workers) on 127.0.0.1 with a fresh
data directory, seats 200 partners through the domain layer, then sends 200
ballots concurrently while a poller reads the projector screen's data the way
the screen does (twice a second, with If-None-Match). Prints, for each
ballot, the delay from its acknowledgement to the screen's count including it.
Bounded in count and time; stops the server at the end. Not a test.

    python bench/live_vote.py [--voters 200] [--threads 32]
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

from app import create_app  # noqa: E402
from roundtable import accounts, meetings, partners  # noqa: E402

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PASSWORD = "benchmark password"


def free_port():
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A tiny HTTP client with a cookie jar, for one simulated person."""

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), payload


def prepare(data_dir, voters):
    """Roster, meeting, open round and one seat per voter, through the domain layer."""
    app = create_app({"DATA_DIR": data_dir})
    store, secret = app.config["STORE"], app.config["SECRET_KEY"]
    roster = [partners.add_partner(store, f"Partner {n:03d}", "business") for n in range(voters)]
    accounts.create_account(store, "facilitator", PASSWORD, "facilitator")
    meeting = meetings.create_meeting(store, {"en": "Benchmark"}, __import__("datetime").date.today(),
                                      attending=[p.id for p in roster])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the plan"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    tokens = [meetings.take_seat(store, meeting["id"], secret, partner_id=p.id) for p in roster]
    return meeting, tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between polls, as the screen does")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        meeting, tokens = prepare(data_dir, args.voters)
        port = free_port()
        env = dict(os.environ, ROUNDTABLE_DATA_DIR=data_dir)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if Client(port).request("GET", "/health")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
            run(port, meeting, tokens, args)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)


def run(port, meeting, tokens, args):
    """Vote, watch, and print the figures."""
    facilitator = Client(port)
    _, _, page = facilitator.request("GET", "/login")
    token = CSRF.search(page.decode()).group(1)
    status, _, _ = facilitator.request("POST", "/login", {"csrf_token": token, "username": "facilitator",
                                                          "password": PASSWORD})
    assert status == 303, status
    live_path = f"/meetings/{meeting['id']}/live.json"
    seen = []          # (time, voted count) whenever the screen's data changed
    polls = {"200": 0, "304": 0}
    stop = threading.Event()

    def poll():
        etag = None
        while not stop.is_set():
            headers = {"If-None-Match": etag} if etag else {}
            status, response_headers, payload = facilitator.request("GET", live_path, headers=headers)
            polls[str(status)] = polls.get(str(status), 0) + 1
            if status == 200:
                etag = response_headers.get("ETag")
                seen.append((time.monotonic(), json.loads(payload)["voted"]))
            stop.wait(args.poll)

    seat_cookie = f"seat_{meeting['id']}"
    path = f"/m/{meeting['share_token']}"
    voters = [Client(port, {seat_cookie: t}) for t in tokens]
    csrf = []
    for voter in voters:  # each voter has the page open before the vote starts
        _, _, page = voter.request("GET", path)
        csrf.append(CSRF.search(page.decode()).group(1))

    def vote(index):
        status, _, _ = voters[index].request("POST", path + "/vote", {"csrf_token": csrf[index], "option": "agree"})
        return status, time.monotonic()

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    time.sleep(args.poll * 2)
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        results = list(pool.map(vote, range(len(voters))))
    elapsed = time.monotonic() - start
    acked = sorted(t for status, t in results if status == 303)
    deadline = time.monotonic() + 10
    while (not seen or seen[-1][1] < len(acked)) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    watcher.join(timeout=5)
    delays = []
    for rank, acked_at in enumerate(acked, start=1):
        shown = next((t for t, count in seen if count >= rank and t >= acked_at), None)
        delays.append((shown - acked_at) * 1000 if shown else float("inf"))
    delays.sort()
    p99 = delays[max(0, int(len(delays) * 0.99) - 1)]
    print(f"ballots acknowledged   {len(acked)} of {len(voters)} in {elapsed:.2f} s "
          f"({len(acked) / elapsed:.0f} ballots/s, {args.threads} at a time)")
    print(f"screen polls           {polls.get('200', 0)} changed, {polls.get('304', 0)} not modified (304)")
    print(f"ack -> screen delay    median {statistics.median(delays):.0f} ms, p99 {p99:.0f} ms, "
          f"max {delays[-1]:.0f} ms (polling every {args.poll * 1000:.0f} ms)")
    print(json.dumps({"ballots": len(acked), "vote_to_screen_p50_ms": round(statistics.median(delays)),
                      "vote_to_screen_p99_ms": round(p99), "ballots_per_s": round(len(acked) / elapsed)}))


if __name__ == "__main__":
    main()
