"""Soak: a few minutes of mixed load (submissions, ballots, dashboard views, the live screen); errors and memory.

Serves a world of 10,000 stored responses with the README's production
command (harness.Server), then runs, all at once and for ``--seconds``:
participants submitting complete anonymous responses, voters casting and
changing ballots, a leader reloading the dashboard, and the facilitator's
screen polling twice a second, while the facilitator closes the round and
opens the next every ``--round`` seconds, as a meeting does. Worker memory is
sampled every few seconds. At the end every acknowledged submission must be
in the store, and every round's tally must count every seat whose ballot was
acknowledged while it was open. A ballot refused because its round had just
closed (409) is the right answer, not an error. Prints the figures and, last,
one JSON line. Bounded in time and count; stops the server. Not a test.

    python bench/soak.py [--seconds 180] [--warm-up 60] [--window 30] [--round 15]
"""

import argparse
import collections
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time

import harness
import load
import run
import world
from harness import CSRF, Client, Server

from roundtable import meetings

SUBMITTERS, VOTERS_THREADS, VOTERS = 4, 4, 200
MAX_REQUESTS = 500_000  # per kind, whatever the duration


class Tally:
    """What one kind of request saw, shared by its threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.errors = 0
        self.cookies = []
        self.latencies = []

    def record(self, status, began, cookie=None):
        """Count one response."""
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append((time.perf_counter() - began) * 1000)
            if cookie:
                self.cookies.append(cookie)

    def failed(self):
        """Count one request that got no response."""
        with self.lock:
            self.errors += 1

    @property
    def count(self):
        """Requests answered or failed so far."""
        return sum(self.statuses.values()) + self.errors

    def bad(self, expected=()):
        """Failures, and statuses outside 2xx/3xx other than ``expected``."""
        return self.errors + sum(
            n for status, n in self.statuses.items() if not 200 <= status < 400 and status not in expected
        )


def loop(stop, tally, send, pace=0.0):
    """Call ``send()`` until ``stop`` is set (or MAX_REQUESTS), counting what comes back; wait ``pace`` s between."""
    while not stop.wait(pace) and tally.count < MAX_REQUESTS:
        began = time.perf_counter()
        try:
            status, headers = send()
        except OSError:
            tally.failed()
            continue
        tally.record(status, began, headers.get("Set-Cookie") if status == 303 else None)


def rounds_lost(store, meeting_id, proposal_id, boundaries, ballots):
    """Seats acknowledged for certain in a round that its tally does not count, summed over the rounds.

    ``boundaries``: (opened, closing) times of each closed round; ``ballots``:
    (seat, sent, acknowledged) times of each acknowledged ballot. A ballot sent
    after its round opened and acknowledged before it began to close was
    counted in that round, so its seat must be among the round's tally.
    """
    rounds = meetings.get_meeting(store, meeting_id)
    proposal = next(p for p in rounds["proposals"] if p["id"] == proposal_id)
    closed = [r for r in proposal["rounds"] if r["status"] == "closed"]
    lost = 0
    for (opened, closing), round_ in zip(boundaries, closed[-len(boundaries) :]):
        certain = {seat for seat, sent, acked in ballots if sent >= opened and acked <= closing}
        lost += max(0, len(certain) - len(round_["ballots"]))
    return lost


def memory_levels(samples, warm_up, window):
    """Per worker: the median memory in the ``window`` seconds after ``warm_up``, in the last ``window``, and the peak.

    Medians, because a single sample can land on a moment's peak (a journal
    being folded) that is freed right after; growth is a level that rises.
    """
    warm = [rss for t, rss in samples if t >= warm_up] or [rss for _, rss in samples]
    times = [t for t, _ in samples if t >= warm_up] or [t for t, _ in samples]
    first = [rss for t, rss in zip(times, warm) if t <= times[0] + window]
    last = [rss for t, rss in zip(times, warm) if t >= times[-1] - window]
    if any(len(rss) != len(warm[0]) for rss in warm):
        return [], [], []  # a worker was replaced: no level to compare

    def level(rows):
        return [statistics.median(column) for column in zip(*rows)]

    return level(first), level(last), [max(column) for column in zip(*warm)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--warm-up", type=float, default=60, help="seconds before memory counts as warm")
    parser.add_argument("--round", type=float, default=15, help="seconds between a round's opening and closing")
    parser.add_argument("--sample", type=float, default=5, help="seconds between memory samples")
    parser.add_argument(
        "--window",
        type=float,
        default=30,
        help="seconds of samples whose median is the memory level, right after warm-up and at the end",
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="seconds each participant and voter waits between requests (0: as fast as served)",
    )
    args = parser.parse_args()
    rng = random.Random(9)
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        shared = world.documents(os.path.join(tmp, "documents"), VOTERS)
        place = world.build(os.path.join(tmp, "10k"), shared, 10_000)
        meeting, seats = shared.meeting, shared.seats
        print(f"filled in {time.monotonic() - began:.0f} s; serving with {harness.production_line()}", flush=True)
        with Server(place.data_dir) as server:
            target = run.submit_target(server, place.targets, rng)
            headers = dict(target.headers)
            before = place.responses(place.targets)
            leader, facilitator = Client(server.port), Client(server.port)
            leader.log_in("leader")
            facilitator.log_in("facilitator")
            path = f"/m/{meeting['share_token']}"
            voters = []
            for token in seats:
                voter = Client(server.port, {f"seat_{meeting['id']}": token})
                voters.append((voter, CSRF.search(voter.request("GET", path)[2].decode()).group(1)))
            tallies = {kind: Tally() for kind in ("submit", "ballot", "dashboard", "screen")}
            stop = threading.Event()

            def submit():
                path_, body = rng.choice(target.choices)
                status, response_headers, _ = Client(server.port).request("POST", path_, body, headers)
                return status, response_headers

            acked_ballots = []  # (seat, sent, acknowledged)

            def ballot():
                seat = rng.randrange(len(voters))
                voter, token = voters[seat]
                option = rng.choice(("agree", "abstain", "disagree"))
                sent = time.monotonic()
                status, response_headers, _ = voter.request(
                    "POST", path + "/vote", {"csrf_token": token, "option": option}
                )
                if status == 303:
                    acked_ballots.append((seat, sent, time.monotonic()))
                return status, response_headers

            def dashboard():
                status, response_headers, _ = leader.request("GET", "/dashboard")
                return status, response_headers

            etag = [None]

            def screen():
                status, response_headers, _ = facilitator.request(
                    "GET", f"/meetings/{meeting['id']}/live.json", headers={"If-None-Match": etag[0]} if etag[0] else {}
                )
                etag[0] = response_headers.get("ETag", etag[0])
                stop.wait(0.5)  # the screen polls twice a second
                return status, response_headers

            threads = [
                threading.Thread(
                    target=loop,
                    args=(stop, tallies[kind], send, args.pace if kind in ("submit", "ballot") else 0.0),
                    daemon=True,
                )
                for kind, send, count in (
                    ("submit", submit, SUBMITTERS),
                    ("ballot", ballot, VOTERS_THREADS),
                    ("dashboard", dashboard, 1),
                    ("screen", screen, 1),
                )
                for _ in range(count)
            ]
            samples = []  # (seconds since start, [rss MiB per worker])
            proposal_id = meetings.get_meeting(place.store, meeting["id"])["current"]["proposal"]
            boundaries, opened = [], time.monotonic()
            start = time.monotonic()
            for thread in threads:
                thread.start()
            while time.monotonic() - start < args.seconds:
                time.sleep(args.sample)
                if time.monotonic() - opened >= args.round:
                    # The facilitator closes the round (its ballots are counted and dropped) and opens the next.
                    boundaries.append((opened, time.monotonic()))
                    meetings.close_round(place.store, meeting["id"])
                    meetings.open_round(place.store, meeting["id"], proposal_id)
                    opened = time.monotonic()
                samples.append((time.monotonic() - start, server.rss_mb()))
                print(
                    f"  {samples[-1][0]:5.0f} s  workers {' '.join(f'{m:.0f}' for m in samples[-1][1])} MiB  "
                    + "  ".join(f"{k} {t.count}" for k, t in tallies.items()),
                    flush=True,
                )
            stop.set()
            for thread in threads:
                thread.join(60)
            boundaries.append((opened, time.monotonic()))
            meetings.close_round(place.store, meeting["id"])
            elapsed = time.monotonic() - start
            alive = [t for t in threads if t.is_alive()]
            submitted = load.Load(
                tallies["submit"].count,
                elapsed,
                tallies["submit"].statuses,
                tallies["submit"].errors,
                [],
                tallies["submit"].cookies,
                "soak",
                0.0,
            )
            acknowledged, missing = run.lost_submissions(place, [submitted], before)
            ballots_acked = tallies["ballot"].statuses.get(303, 0)
            ballots_lost = rounds_lost(place.store, meeting["id"], proposal_id, boundaries, acked_ballots)
            workers_alive = len(server.workers())
            problems = server.problems()
    baseline, final, peak = memory_levels(samples, args.warm_up, args.window)
    growth = (
        max((f - b) / b * 100 for b, f in zip(baseline, final))
        if baseline and len(baseline) == len(final)
        else float("nan")
    )
    errors = sum(t.bad(expected=(409,) if kind == "ballot" else ()) for kind, t in tallies.items())
    figures = {
        "seconds": round(elapsed),
        "requests": sum(t.count for t in tallies.values()),
        "submissions": acknowledged,
        "ballots": ballots_acked,
        "dashboard_views": tallies["dashboard"].statuses.get(200, 0),
        "screen_polls": tallies["screen"].count,
        "rounds": len(boundaries),
        "ballots_refused_closed_round": tallies["ballot"].statuses.get(409, 0),
        "errors": errors,
        "lost": missing + ballots_lost,
        "rss_mb_warm": [round(m, 1) for m in baseline],
        "rss_mb_end": [round(m, 1) for m in final],
        "rss_mb_peak": [round(m, 1) for m in peak],
        "rss_growth_pct": round(growth, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }
    print()
    for kind, tally in tallies.items():
        latencies = sorted(tally.latencies) or [0.0]
        print(
            f"{kind:<10} {tally.count:>7} requests  {dict(tally.statuses)}  errors {tally.errors}  "
            f"median {statistics.median(latencies):.0f} ms  p99 {latencies[int(len(latencies) * 0.99) - 1]:.0f} ms"
        )
    print(
        f"memory     workers {figures['rss_mb_warm']} MiB in the {args.window:.0f} s after {args.warm_up:.0f} s "
        f"warm-up, {figures['rss_mb_end']} MiB in the last {args.window:.0f} s (medians): growth "
        f"{figures['rss_growth_pct']} % (limit 10 %); highest sample {figures['rss_mb_peak']} MiB"
    )
    print(
        f"store      {acknowledged} submissions and {ballots_acked} ballots acknowledged over "
        f"{len(boundaries)} rounds ({figures['ballots_refused_closed_round']} refused as their round had closed); "
        f"{figures['lost']} missing"
    )
    print(
        f"errors     {errors} (statuses outside 2xx/3xx or no response); {workers_alive} workers alive at the end; "
        f"{len(alive)} client threads still running"
    )
    if problems:
        print("the server logged:\n" + problems)
    print(json.dumps(figures))
    ok = errors == 0 and figures["lost"] == 0 and growth <= 10 and not alive
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
