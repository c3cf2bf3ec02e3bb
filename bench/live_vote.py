"""200 voters at once (or 1,000 over two servers), and how soon the facilitator's screen shows each ballot.

Starts Roundtable as production runs it (harness.Server) with a fresh data
directory (and, with ``--database-url``, a fresh database named after it,
see databases.py), seats the voters through the domain layer, then sends one
ballot per seat concurrently, spread evenly over ``--servers`` servers on
the same store, while the projector screen's data is read from the first
server the way static/js/live.js reads it: a long poll (``wait=1`` with the
screen's version in If-None-Match; the server answers when the count
changes), asked again at once after a change or a long wait, after 500 ms
when the server answered at once without waiting. Prints the delay from each
ballot's acknowledgement to the screen's count including it, and checks that
every acknowledged ballot is stored. Bounded in count and time; stops the
servers (and drops the database) at the end. Not a test.

    python bench/live_vote.py [--voters 200] [--threads 32]
    python bench/live_vote.py --voters 1000 --servers 2 --database-url postgresql://postgres@127.0.0.1/rt_bench
"""

import argparse
import concurrent.futures
import contextlib
import json
import os
import statistics
import tempfile
import threading
import time

import databases
import world
from harness import CSRF, Client, Server

from roundtable import meetings

PAUSE = 0.5  # live.js: seconds before asking again after an error or an answer that did not wait


def vote(servers, store, meeting, tokens, threads=32):
    """Cast one ballot per seat at once, voter i through ``servers[i % len(servers)]``; return the figures (a dict).

    The screen is served by ``servers[0]``. ``store`` is the servers' store,
    read at the end to count the ballots it holds.
    """
    servers = list(servers) if isinstance(servers, (list, tuple)) else [servers]
    facilitator = Client(servers[0].port)
    facilitator.log_in("facilitator")
    live_path = f"/meetings/{meeting['id']}/live.json"
    seen = []  # (time, voted count) whenever the screen's data changed
    polls = {"200": 0, "304": 0}
    stop = threading.Event()

    def watch():
        etag = None
        while not stop.is_set():
            # As live.js: with the version shown, wait=1 (a long poll); the first ask has none and is answered at once.
            asked = time.monotonic()
            headers = {"If-None-Match": f'"{etag}"'} if etag else {}
            try:
                status, response_headers, payload = facilitator.request(
                    "GET", live_path + ("?wait=1" if etag else ""), headers=headers
                )
            except OSError:
                stop.wait(PAUSE)
                continue
            polls[str(status)] = polls.get(str(status), 0) + 1
            pause = PAUSE
            if status == 200:
                etag = response_headers.get("ETag", "").removeprefix("W/").strip('"') or None
                seen.append((time.monotonic(), json.loads(payload)["voted"]))
                pause = 0.05
            elif status == 304 and time.monotonic() - asked > 1:
                pause = 0.05
            stop.wait(pause)

    seat_cookie = f"seat_{meeting['id']}"
    path = f"/m/{meeting['share_token']}"
    voters = [Client(servers[i % len(servers)].port, {seat_cookie: t}) for i, t in enumerate(tokens)]
    csrf = []
    for voter in voters:  # each voter has the page open before the vote starts
        _, _, page = voter.request("GET", path)
        csrf.append(CSRF.search(page.decode()).group(1))

    def cast(index):
        status, _, _ = voters[index].request("POST", path + "/vote", {"csrf_token": csrf[index], "option": "agree"})
        return status, time.monotonic()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    time.sleep(PAUSE * 2)
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
    return {
        "voters": len(voters),
        "ballots": len(acked),
        "seconds": elapsed,
        "threads": threads,
        "servers": len(servers),
        "polls": polls,
        "p50_ms": statistics.median(delays) if delays else float("inf"),
        "p99_ms": delays[max(0, int(len(delays) * 0.99) - 1)] if delays else float("inf"),
        "max_ms": delays[-1] if delays else float("inf"),
        "stored": stored,
        "lost": max(0, len(acked) - stored),
    }


def report(figures):
    """Print the figures as lines of text."""
    print(
        f"ballots acknowledged   {figures['ballots']} of {figures['voters']} in {figures['seconds']:.2f} s "
        f"({figures['ballots'] / figures['seconds']:.0f} ballots/s, {figures['threads']} at a time, "
        f"over {figures['servers']} server(s))"
    )
    print(f"ballots stored         {figures['stored']} (lost: {figures['lost']})")
    print(
        f"screen polls           {figures['polls'].get('200', 0)} changed, "
        f"{figures['polls'].get('304', 0)} not modified (304)"
    )
    print(
        f"ack -> screen delay    median {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, "
        f"max {figures['max_ms']:.0f} ms (the screen long-polls as live.js does)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--servers", type=int, default=1, help="servers on the one store, voters spread evenly")
    parser.add_argument("--database-url", help="make the store a database derived from this one (PostgreSQL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, place(data_dir, args.database_url) as database_url:
        app = world.open_app(data_dir, database_url)
        meeting, tokens = world.seated_meeting(app, args.voters)
        with contextlib.ExitStack() as running:
            servers = [running.enter_context(Server(data_dir, database_url=database_url)) for _ in range(args.servers)]
            figures = vote(servers, app.config["STORE"], meeting, tokens, args.threads)
        world.close(app)
    report(figures)
    print(
        json.dumps(
            {
                "ballots": figures["ballots"],
                "vote_to_screen_p50_ms": round(figures["p50_ms"]),
                "vote_to_screen_p99_ms": round(figures["p99_ms"]),
                "lost": figures["lost"],
                "ballots_per_s": round(figures["ballots"] / figures["seconds"]),
                "servers": args.servers,
                "load_average": round(os.getloadavg()[0], 2),
            }
        )
    )


@contextlib.contextmanager
def place(data_dir, admin_url):
    """A fresh database ``<name>_vote`` (its tables made, dropped at the end) when ``admin_url`` is given; else None."""
    if not admin_url:
        yield None
        return
    url = databases.derived(admin_url, "vote")
    databases.create(admin_url, url)
    try:
        databases.init(url, data_dir)
        yield url
    finally:
        databases.drop(admin_url, url)


if __name__ == "__main__":
    main()
