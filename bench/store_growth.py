"""How the cost of one durable write changes as the store grows.

Prints the median time of one response append and of one document insert
at several store sizes, and their ratios to the smallest size. Each append
is fsynced, as in production. Not a test: figures, on this machine, today.

    python bench/store_growth.py [--sizes 1000,10000,100000] [--samples 200]
"""

import argparse
import statistics
import tempfile
import time

import harness  # noqa: F401  (puts the project on sys.path)

from roundtable.store.api import open_store

SURVEYS = 100


def fill(store, responses):
    """Spread ``responses`` over SURVEYS streams through the bulk path (one durable write per stream)."""
    for survey in range(SURVEYS):
        store.extend(
            f"responses-s{survey}",
            [{"answers": {"q1": 4, "q2": "yes"}, "partner_type": "labor"}] * (responses // SURVEYS),
        )


def median_ms(action, samples):
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as root:
            store = open_store(None, root)  # the file store
            fill(store, size)
            for n in range(200):
                store.insert("partners", {"name": f"Partner {n}", "type": "business", "active": True})
            append = median_ms(lambda: store.append("responses-s0", {"answers": {"q1": 5}}), args.samples)
            insert = median_ms(lambda: store.insert("meetings", {"title": "Board"}), max(20, args.samples // 10))
            read = median_ms(lambda: store.records("responses-s0"), args.samples)
            rows.append((size, append, insert, read))
    base = rows[0]
    print(f"{'stored':>9} {'append ms':>10} {'ratio':>6} {'insert ms':>10} {'ratio':>6} {'read ms':>8}")
    for size, append, insert, read in rows:
        print(
            f"{size:>9} {append:>10.3f} {append / base[1]:>6.2f} {insert:>10.3f} {insert / base[2]:>6.2f} {read:>8.3f}"
        )


if __name__ == "__main__":
    main()
