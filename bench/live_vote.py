"""200 voters at once, and how soon the facilitator's screen shows each ballot.

Starts Roundtable as production runs it (harness.Server) with a fresh data
directory, seats 200 partners through the domain layer, then sends 200
ballots concurrently while a poller reads the projector screen's data the way
the screen does (twice a second, with If-None-Match). Prints, for each
ballot, the delay from its acknowledgement to the screen's count including it,
and checks that every acknowledged ballot is stored. Bounded in count and
time; stops the server at the end. Not a test.

    python bench/live_vote.py [--voters 200] [--threads 32]
"""

import argparse
import concurrent.futures
import datetime
import json
import statistics
import tempfile
import threading
import time

from harness import CSRF, PASSWORD, Client, Server
from roundtable import accounts, meetings, partners


def prepare(app, voters):
    """A meeting with an open round, a facilitator and one seat per voter (partners added if the roster is short)."""
    store, secret = app.config["STORE"], app.config["SECRET_KEY"]
    roster = partners.list_partners(store, active_only=True)[:voters]
    roster += [partners.add_partner(store, f"Voter {n:03d}", "business") for n in range(len(roster), voters)]
    if not any(a.username == "facilitator" for a in accounts.list_accounts(store)):
        accounts.create_account(store, "facilitator", PASSWORD, "facilitator")
    meeting = meetings.create_meeting(store, {"en": "Benchmark"}, datetime.date.today(),
                                      attending=[p.id for p in roster])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the plan"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    tokens = [meetings.take_seat(store, meeting["id"], secret, partner_id=p.id) for p in roster]
    return meeting, tokens


def vote(server, store, meeting, tokens, threads=32, poll=0.5):
    """Cast one ballot per seat at once while the screen polls; return the figures (a dict).

    ``store`` is the server's store, read at the end to count the ballots it holds.
    """
    facilitator = Client(server.port)
    facilitator.log_in("facilitator")
    live_path = f"/meetings/{meeting['id']}/live.json"
    seen = []  # (time, voted count) whenever the screen's data changed
    polls = {"200": 0, "304": 0}
    stop = threading.Event()

    def watch():
        etag = None
        while not stop.is_set():
            headers = {"If-None-Match": etag} if etag else {}
            status, response_headers, payload = facilitator.request("GET", live_path, headers=headers)
            polls[str(status)] = polls.get(str(status), 0) + 1
            if status == 200:
                etag = response_headers.get("ETag")
                seen.append((time.monotonic(), json.loads(payload)["voted"]))
            stop.wait(poll)

    seat_cookie = f"seat_{meeting['id']}"
    path = f"/m/{meeting['share_token']}"
    voters = [Client(server.port, {seat_cookie: t}) for t in tokens]
    csrf = []
    for voter in voters:  # each voter has the page open before the vote starts
        _, _, page = voter.request("GET", path)
        csrf.append(CSRF.search(page.decode()).group(1))

    def cast(index):
        status, _, _ = voters[index].request("POST", path + "/vote", {"csrf_token": csrf[index], "option": "agree"})
        return status, time.monotonic()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    time.sleep(poll * 2)
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(cast, range(len(voters))))
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
    stored = len(store.records(meetings.ballots_stream(meeting["id"])))
    return {"voters": len(voters), "ballots": len(acked), "seconds": elapsed, "threads": threads, "poll": poll,
            "polls": polls, "p50_ms": statistics.median(delays) if delays else float("inf"),
            "p99_ms": delays[max(0, int(len(delays) * 0.99) - 1)] if delays else float("inf"),
            "max_ms": delays[-1] if delays else float("inf"), "stored": stored,
            "lost": max(0, len(acked) - stored)}


def report(figures):
    """Print the figures as lines of text."""
    print(f"ballots acknowledged   {figures['ballots']} of {figures['voters']} in {figures['seconds']:.2f} s "
          f"({figures['ballots'] / figures['seconds']:.0f} ballots/s, {figures['threads']} at a time)")
    print(f"ballots stored         {figures['stored']} (lost: {figures['lost']})")
    print(f"screen polls           {figures['polls'].get('200', 0)} changed, "
          f"{figures['polls'].get('304', 0)} not modified (304)")
    print(f"ack -> screen delay    median {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, "
          f"max {figures['max_ms']:.0f} ms (polling every {figures['poll'] * 1000:.0f} ms)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between polls, as the screen does")
    args = parser.parse_args()
    from app import create_app

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app({"DATA_DIR": data_dir})
        meeting, tokens = prepare(app, args.voters)
        with Server(data_dir) as server:
            figures = vote(server, app.config["STORE"], meeting, tokens, args.threads, args.poll)
    report(figures)
    print(json.dumps({"ballots": figures["ballots"], "vote_to_screen_p50_ms": round(figures["p50_ms"]),
                      "vote_to_screen_p99_ms": round(figures["p99_ms"]), "lost": figures["lost"],
                      "ballots_per_s": round(figures["ballots"] / figures["seconds"])}))


if __name__ == "__main__":
    main()
