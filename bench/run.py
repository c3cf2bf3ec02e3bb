"""Roundtable's benchmarks with their targets: bare requests, durable submissions, growth, votes, dashboard, memory.

Builds three places through the domain layer (1,000, 10,000 and 100,000
stored responses; see world.py): data directories for the file store, or,
with ``--database-url``, PostgreSQL databases named after that one
(``<name>_1k``...; see databases.py), dropped at the end. Serves each with
the README's production command on 127.0.0.1 (harness.Server), and the
10,000 place a second time with the store's writes replaced by nothing
(``stand_ins:create("no_write")``), for ``submit_vs_no_write``. Drives load
with wrk when it is installed (``apt-get install -y wrk``; else a bundled
Python generator, see load.py), and stops everything at the end. Figures
that are compared (submit vs no_write, 1k vs 100k...) are measured in
alternating slices, so that whatever else the machine is doing weighs on
both alike.

Prints a table, then as its last line one JSON object with the figures.

    python bench/run.py            # the full run (about 5 minutes)
    python bench/run.py --quick    # the same figures from shorter runs (under 3 minutes)
    python bench/run.py --generator python   # force the bundled load generator
    python bench/run.py --database-url postgresql://postgres@127.0.0.1:5432/rt_bench   # on PostgreSQL
"""

import argparse
import collections
import contextlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

import databases
import harness
import live_vote
import load
import world
from harness import Client, Server
from itsdangerous import BadSignature, TimestampSigner
from load import Target

from roundtable import codes, surveys

CONNECTIONS = 16
VOTERS = 200  # on the file store: one server, as before
VOTERS_POSTGRES = 1000  # on PostgreSQL: spread over two servers on one database
PLANS = {
    # seconds per slice, rounds of slices, dashboard samples
    "quick": {"slice": 1, "rounds": 4, "dashboard": 12},
    "full": {"slice": 3, "rounds": 8, "dashboard": 40},
}
TARGETS = {
    "submit_vs_no_write": (">=", 0.8),
    "submit_p99_vs_hello": ("<=", 3),
    "growth_total": ("<=", 1.5),
    "growth_survey": ("<=", 2),
    "vote_to_screen_p99_ms": ("<=", 1000),
    "dashboard_ratio": ("<=", 2),
    "rss_mb_per_worker": ("<=", 150),
    "lost": ("==", 0),
}
POSTGRES_TARGETS = {"submit_vs_no_write": (">=", 0.5)}  # a round trip to the database per write


class Bench:
    """Runs the measurements and keeps every acknowledged submission for the final check."""

    def __init__(self, plan, generator):
        self.plan = plan
        self.generator = generator
        self.sent = collections.defaultdict(list)  # world -> loads whose submissions must all be stored
        self.generator_cpu = 0.0
        self.generator_seconds = 0.0

    def drive(self, server, target, seconds, owner=None):
        """One slice of load; submissions are remembered under their world ``owner``."""
        result = load.drive(
            server.url, target, seconds, CONNECTIONS, keep_cookies=owner is not None, generator=self.generator
        )
        self.generator_cpu += result.cpu
        self.generator_seconds += result.seconds
        if owner is not None:
            self.sent[owner].append(result)
        return result

    def alternate(self, runs):
        """``runs``: name -> (server, target, owner). Slices alternate; returns name -> merged Load."""
        got = {name: [] for name in runs}
        names = list(runs)
        for name in names:  # warm-up, not counted in the figures
            self.drive(*runs[name][:2], self.plan["slice"], runs[name][2])
        for round_ in range(self.plan["rounds"]):
            for name in names if round_ % 2 == 0 else names[::-1]:
                got[name].append(self.drive(*runs[name][:2], self.plan["slice"], runs[name][2]))
        return {name: load.merged(loads) for name, loads in got.items()}


def hello_target():
    """The bare route."""
    return Target("GET", (("/health", ""),))


def submit_target(server, survey_list, rng):
    """Complete anonymous submissions to ``survey_list`` (one picked per request) with a real CSRF token.

    Each carries a fresh ``client_id``, as the real form does, so the
    store records its retry mark too.

    Flask-WTF binds the token to the session cookie and accepts it again, so
    one cookie and token serve every request; each post is validated, stored
    (fsynced) and redirected like a participant's. One is sent and checked first.
    """
    client = Client(server.port)
    token = client.csrf_token(f"/s/{survey_list[0].share_token}")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    choices = tuple(
        (
            f"/s/{s.share_token}",
            urllib.parse.urlencode(
                {"csrf_token": token, **{f"q-{k}": v for k, v in world.random_answers(s, rng).items()}}
            ),
        )
        for s in survey_list
    )
    status, headers, _ = Client(server.port, client.cookies).request(
        "POST", choices[0][0], dict(urllib.parse.parse_qsl(choices[0][1]))
    )
    assert status == 303 and headers["Location"].endswith("/thanks"), (status, headers)
    return Target(
        "POST", choices, (("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")), fresh="client_id"
    )


def dashboards(bench, servers):
    """Warm GET /dashboard on each server, requests alternating between servers; name -> median ms."""
    clients = {}
    for name, server in servers.items():
        clients[name] = Client(server.port)
        clients[name].log_in("leader")
        for _ in range(6):  # the first request of each worker gathers the events; then they are cached
            status, _, _ = clients[name].request("GET", "/dashboard")
            assert status == 200, status
    times = {name: [] for name in servers}
    for _ in range(bench.plan["dashboard"]):
        for name in servers:
            began = time.perf_counter()
            status, _, _ = clients[name].request("GET", "/dashboard")
            times[name].append((time.perf_counter() - began) * 1000)
            assert status == 200, status
    return {name: statistics.median(values) for name, values in times.items()}


def lost_submissions(place, loads, stored_before):
    """Acknowledged submissions to ``place`` (a World) missing from its store.

    Each acknowledgement (303) sets the participant's receipt cookie (signed,
    for the thanks page); every receipt must be found among the stored
    receipts, and the stored responses must have grown by at least the
    number acknowledged. Returns (acknowledged, missing).
    """
    signer = TimestampSigner(place.app.secret_key, salt="receipt")
    acknowledged = sum(x.statuses.get(303, 0) for x in loads)
    by_code = {s.join_code: s for s in place.targets}
    missing_receipts = 0
    for cookie in (c for x in loads for c in x.cookies):
        name, _, value = cookie.split(";", 1)[0].partition("=")
        try:
            receipt = codes.normalize(signer.unsign(value).decode()) if name == "receipt" else ""
        except BadSignature:
            receipt = ""  # counted as missing below
        survey = by_code.get(receipt[: codes.JOIN_CODE_LENGTH])
        if survey is None or surveys.check_receipt(place.store, receipt, secret=place.app.secret_key) != survey:
            missing_receipts += 1
    grown = place.responses(place.targets) - stored_before
    return acknowledged, max(missing_receipts, acknowledged - grown)


def machine():
    """A one-line description of this machine."""
    model = ""
    try:
        with open("/proc/cpuinfo") as file:
            model = next((line.split(":", 1)[1].strip() for line in file if line.startswith("model name")), "")
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({model or platform.machine()}), Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def generator_name(generator):
    """The generator with its version."""
    if generator == "wrk":
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
        return (out.stdout + out.stderr).split(" [")[0].strip() or "wrk"
    return "bundled Python generator (2 processes, keep-alive)"


def options(doc, plans, database=False):
    """The command line of a benchmark with --quick, --generator (and --database-url): (arguments, plan)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter slices and fewer rounds")
    parser.add_argument("--generator", choices=("wrk", "python"), default=load.default_generator())
    if database:
        parser.add_argument(
            "--database-url",
            help="PostgreSQL: places are databases named after this one's, "
            "made and dropped through it (it is left alone)",
        )
    args = parser.parse_args()
    return args, plans["quick" if args.quick else "full"]


@contextlib.contextmanager
def places(tmp, admin_url):
    """``make(name)`` -> (data directory, database URL or None) for each place; databases dropped at the end."""
    made = []

    def make(name):
        data_dir = os.path.join(tmp, name)
        if not admin_url:
            return data_dir, None
        url = databases.derived(admin_url, name)
        made.append(url)
        return data_dir, url

    try:
        yield make
    finally:
        for url in made:
            databases.drop(admin_url, url)


def main():
    args, plan = options(__doc__, PLANS, database=True)
    bench = Bench(plan, args.generator)
    rng = random.Random(8)
    began = time.monotonic()
    load_at_start = harness.load_average()
    admin_url = args.database_url
    backend = "postgresql" if admin_url else "files"
    targets_here = dict(TARGETS, **(POSTGRES_TARGETS if admin_url else {}))
    print(f"Roundtable benchmark ({'quick' if args.quick else 'full'}), {time.strftime('%Y-%m-%d %H:%M')}")
    print(
        f"machine     {machine()}; load average {load_at_start[0]:.2f} {load_at_start[1]:.2f} "
        f"{load_at_start[2]:.2f} at start"
    )
    where = (
        "PostgreSQL, a database per place, named after " + databases.derived(admin_url, "*")
        if admin_url
        else "the file store, a data directory per place"
    )
    print(f"store       {where}")
    print(f"server      {harness.production_line()} (the README's production command)")
    print(
        f"load        {generator_name(args.generator)}, {CONNECTIONS} connections; "
        f"slices of {plan['slice']} s, {plan['rounds']} rounds, alternating"
    )
    with tempfile.TemporaryDirectory() as tmp, places(tmp, admin_url) as place:
        print("filling    ", end=" ", flush=True)
        data_dir, url = place("documents")
        if url:
            os.makedirs(data_dir)
            databases.create(admin_url, url)
            databases.init(url, data_dir)
        shared = world.documents(data_dir, VOTERS, database_url=url, admin_url=admin_url)
        (dir_1k, url_1k), (dir_10k, url_10k), (dir_100k, url_100k) = place("1k"), place("10k"), place("100k")
        small = world.build(dir_1k, shared, 1_000, database_url=url_1k)
        medium = world.build(dir_10k, shared, 10_000, database_url=url_10k)
        large = world.build(dir_100k, shared, 100_000, big=10_000, small=100, database_url=url_100k)
        voting = {"meeting": shared.meeting, "seats": shared.seats, "servers": 1, "place": large}
        if admin_url:  # 1,000 voters over two servers, in a database of their own (the roster of 1,000 stays there)
            vote_dir, vote_url = place("vote")
            os.makedirs(vote_dir)
            databases.create(admin_url, vote_url)
            databases.init(vote_url, vote_dir)
            vote_app = world.open_app(vote_dir, vote_url)
            meeting, seats = world.seated_meeting(vote_app, VOTERS_POSTGRES)
            voting = {
                "meeting": meeting,
                "seats": seats,
                "servers": 2,
                "place": world.World(vote_dir, vote_app, [], {}, vote_url),
            }
        print(f"1k, 10k and 100k responses stored in {time.monotonic() - began:.0f} s")
        with contextlib.ExitStack() as running:

            def serve(where, app_spec=None):
                return running.enter_context(Server(where.data_dir, app_spec, database_url=where.database_url))

            s1k, s10k, s100k = serve(small), serve(medium), serve(large)
            no_write = serve(medium, 'stand_ins:create("no_write")')  # the same place, its writes replaced
            targets = {
                "submit_10k": submit_target(s10k, medium.targets, rng),
                "no_write_10k": submit_target(no_write, medium.targets, rng),
                "submit_1k": submit_target(s1k, small.targets, rng),
                "submit_100k": submit_target(s100k, large.targets, rng),
                "survey_10k": submit_target(s100k, large.targets[:1], rng),
                "survey_100": submit_target(s100k, large.targets[1:2], rng),
            }
            before = {place: place.responses(place.targets) for place in (small, medium, large)}
            server_cpu, wall = s10k.cpu_seconds(), time.monotonic()
            base = bench.alternate(
                {
                    "hello": (s10k, hello_target(), None),
                    "submit": (s10k, targets["submit_10k"], medium),
                    "no_write": (no_write, targets["no_write_10k"], None),
                }
            )
            server_cpu, wall = s10k.cpu_seconds() - server_cpu, time.monotonic() - wall
            total = bench.alternate(
                {"1k": (s1k, targets["submit_1k"], small), "100k": (s100k, targets["submit_100k"], large)}
            )
            survey = bench.alternate(
                {"100": (s100k, targets["survey_100"], large), "10k": (s100k, targets["survey_10k"], large)}
            )
            dash = dashboards(bench, {"1k": s1k, "100k": s100k})
            voters = [s100k] if voting["servers"] == 1 else [serve(voting["place"]) for _ in range(voting["servers"])]
            votes = live_vote.vote(voters, voting["place"].store, voting["meeting"], voting["seats"])
            rss = max(s100k.rss_mb())
            problems = "".join(server.problems() for server in (s1k, s10k, s100k, no_write, *voters))
            checked = {
                place: lost_submissions(place, bench.sent[place], before[place]) for place in (small, medium, large)
            }
        for opened in {small, medium, large, voting["place"]}:
            world.close(opened.app)
    hello, submit, nothing = base["hello"], base["submit"], base["no_write"]
    per_submission = {name: x.seconds / max(1, x.acknowledged) for name, x in {**total, **survey}.items()}
    acknowledged = sum(a for a, _ in checked.values())
    figures = {
        "hello_rps": round(hello.requests / hello.seconds),
        "hello_p99_ms": round(load.percentile(hello, 99), 1),
        "submit_rps": round(submit.acknowledged / submit.seconds),
        "submit_p99_ms": round(load.percentile(submit, 99), 1),
        "submit_ratio": round((submit.acknowledged / submit.seconds) / (hello.requests / hello.seconds), 2),
        "no_write_rps": round(nothing.acknowledged / nothing.seconds),
        "submit_vs_no_write": round(
            (submit.acknowledged / submit.seconds) / (nothing.acknowledged / nothing.seconds), 2
        ),
        "growth_total": round(per_submission["100k"] / per_submission["1k"], 2),
        "growth_survey": round(per_submission["10k"] / per_submission["100"], 2),
        "vote_to_screen_p99_ms": round(votes["p99_ms"]),
        "dashboard_ms_1k": round(dash["1k"], 1),
        "dashboard_ms_100k": round(dash["100k"], 1),
        "dashboard_ratio": round(dash["100k"] / dash["1k"], 2),
        "rss_mb_per_worker": round(rss, 1),
        "lost": sum(m for _, m in checked.values()) + votes["lost"],
        "store": backend,
    }
    failures = [
        x
        for x in (hello, submit, nothing, *total.values(), *survey.values())
        if x.errors or sum(n for s, n in x.statuses.items() if not 200 <= s < 400)
    ]
    load_at_end = harness.load_average()
    print()
    print(f"{'figure':<26}{'value':>10}  {'target':<22}")
    derived = dict(figures, submit_p99_vs_hello=figures["submit_p99_ms"] / max(figures["hello_p99_ms"], 0.001))
    for key, value in figures.items():
        rule = targets_here.get(key) or (targets_here["submit_p99_vs_hello"] if key == "submit_p99_ms" else None)
        note = ""
        if rule:
            checked_value = derived["submit_p99_vs_hello"] if key == "submit_p99_ms" else value
            ok = {">=": checked_value >= rule[1], "<=": checked_value <= rule[1], "==": checked_value == rule[1]}[
                rule[0]
            ]
            note = f"{rule[0]} {rule[1]}{' x hello p99' if key == 'submit_p99_ms' else ''}  {'ok' if ok else 'MISSED'}"
        print(f"{key:<26}{value:>10}  {note}")
    print()
    print(
        f"requests      hello {hello.requests} in {hello.seconds:.1f} s; submissions {submit.acknowledged} "
        f"acknowledged (303) in {submit.seconds:.1f} s, {nothing.acknowledged} with no writes in "
        f"{nothing.seconds:.1f} s; {acknowledged} submissions and {votes['ballots']} ballots "
        f"acknowledged in all, {figures['lost']} missing from the store"
    )
    print(
        f"per submission ms  1k store {per_submission['1k'] * 1000:.2f}, "
        f"100k store {per_submission['100k'] * 1000:.2f}; "
        f"survey of 100 {per_submission['100'] * 1000:.2f}, survey of 10k {per_submission['10k'] * 1000:.2f}"
    )
    print(
        f"vote        {votes['ballots']} ballots from {votes['voters']} voters over {votes['servers']} server(s) in "
        f"{votes['seconds']:.2f} s; ack -> screen median {votes['p50_ms']:.0f} ms, p99 {votes['p99_ms']:.0f} ms "
        f"(the screen long-polls, as live.js)"
    )
    print(
        f"cpu         generator {bench.generator_cpu / max(bench.generator_seconds, 0.001):.2f} cores on average; "
        f"server during hello and submit {server_cpu / wall:.2f} cores"
    )
    print(
        f"errors      {len(failures)} slices with errors or statuses outside 2xx/3xx; "
        f"load average {load_at_end[0]:.2f} at end; {time.monotonic() - began:.0f} s in all"
    )
    if problems:
        print("the servers logged:\n" + problems)
    print(json.dumps(figures))
    return 0 if not failures and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
