"""How high submit_ratio can go: the same submissions with the store's appends replaced, in one run.

Serves four copies of a store of 10,000 responses with the README's
production command, each with a different ``append`` (see stand_ins.py):
as shipped; writing nothing (what the request path alone costs: form, CSRF,
validation, receipt, redirect); writing one fsynced line to a file per
process, shared by every stream, with group commit and nothing else; and
the same with a submission's two lines (response and receipt) in one write
and one fsync (the cheapest durable submission there could be). For each,
the bare route and the submissions are driven in alternating slices, as in
run.py, and the server's CPU time per request is taken from /proc. Not a
test.

    python bench/ceiling.py [--quick]
"""

import contextlib
import json
import os
import random
import sys
import tempfile
import time

import harness
import load
import world
from harness import Server
from run import (
    CONNECTIONS,
    generator_name,
    hello_target,
    machine,
    options,
    submit_target,
)
from stand_ins import KINDS

PLANS = {"quick": {"slice": 1, "rounds": 4}, "full": {"slice": 2, "rounds": 8}}


def measure(server, target, seconds, generator):
    """One slice: (requests acknowledged, seconds, server CPU seconds)."""
    cpu = server.cpu_seconds()
    result = load.drive(server.url, target, seconds, CONNECTIONS, generator=generator)
    bad = result.errors + sum(n for status, n in result.statuses.items() if not 200 <= status < 400)
    if bad:
        raise SystemExit(f"{bad} requests failed on {server.app_spec}: {dict(result.statuses)}")
    return result.acknowledged, result.seconds, server.cpu_seconds() - cpu


def main():
    args, plan = options(__doc__, PLANS)
    began = time.monotonic()
    print(f"Roundtable submit_ratio ceiling, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine     {machine()}; load average {os.getloadavg()[0]:.2f} at start")
    print(f"server      {harness.production_line()}, app as below")
    print(
        f"load        {generator_name(args.generator)}, {CONNECTIONS} connections; "
        f"slices of {plan['slice']} s, {plan['rounds']} rounds, alternating"
    )
    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as tmp:
        shared = world.documents(os.path.join(tmp, "documents"))
        places = {kind: world.build(os.path.join(tmp, kind), shared, 10_000) for kind in KINDS}
        with contextlib.ExitStack() as running:
            servers = {
                kind: running.enter_context(Server(places[kind].data_dir, f'stand_ins:create("{kind}")'))
                for kind in KINDS
            }
            runs = {}
            for kind in KINDS:
                runs[(kind, "hello")] = (servers[kind], hello_target())
                runs[(kind, "submit")] = (servers[kind], submit_target(servers[kind], places[kind].targets, rng))
            totals = {name: [0, 0.0, 0.0] for name in runs}
            names = list(runs)
            for name in names:  # warm-up
                measure(*runs[name], plan["slice"], args.generator)
            for round_ in range(plan["rounds"]):
                for name in names if round_ % 2 == 0 else names[::-1]:
                    for i, value in enumerate(measure(*runs[name], plan["slice"], args.generator)):
                        totals[name][i] += value
            problems = "".join(server.problems() for server in servers.values())
    figures = {}
    print(
        f"\n{'append':<10}{'hello/s':>9}{'submit/s':>10}{'ratio':>7}{'CPU ms hello':>14}{'CPU ms submit':>15}"
        f"{'CPU ratio':>11}"
    )
    for kind in KINDS:
        hello_n, hello_s, hello_cpu = totals[(kind, "hello")]
        submit_n, submit_s, submit_cpu = totals[(kind, "submit")]
        hello_rps, submit_rps = hello_n / hello_s, submit_n / submit_s
        hello_ms, submit_ms = hello_cpu / hello_n * 1000, submit_cpu / submit_n * 1000
        figures[f"{kind}_ratio"] = round(submit_rps / hello_rps, 2)
        figures[f"{kind}_cpu_ratio"] = round(hello_ms / submit_ms, 2)
        print(
            f"{kind:<10}{hello_rps:>9.0f}{submit_rps:>10.0f}{figures[f'{kind}_ratio']:>7}{hello_ms:>14.3f}"
            f"{submit_ms:>15.3f}{figures[f'{kind}_cpu_ratio']:>11}"
        )
    print(f"\nload average {os.getloadavg()[0]:.2f} at end; {time.monotonic() - began:.0f} s in all")
    if problems:
        print("the servers logged:\n" + problems)
    print(json.dumps(figures))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
