"""The leaders' dashboard at 1,000 and at 100,000 stored responses: warm, and right after a new response.

Fills data directories through the domain layer (world.py: the roster, 100
health checks, responses through the bulk path), then times GET /dashboard
in-process. "warm" repeats the request with nothing changed (the cached
events serve it); "after a write" adds one response first, so that survey's
events are gathered again. bench/run.py measures the warm dashboard over
HTTP, under gunicorn; this looks closer. Not a test.

    python bench/dashboard.py [--sizes 1000,100000] [--samples 20]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import world
from harness import CSRF, PASSWORD

from roundtable import surveys


def timed(client, path, samples):
    """Median milliseconds of GET ``path``."""
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        shared = world.documents(os.path.join(tmp, "documents"))
        for size in [int(s) for s in args.sizes.split(",")]:
            place = world.build(os.path.join(tmp, str(size)), shared, size)
            client = place.app.test_client()
            token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
            client.post("/login", data={"csrf_token": token, "username": "leader", "password": PASSWORD})
            first = timed(client, "/dashboard", 1)
            warm = timed(client, "/dashboard", args.samples)
            survey = place.targets[0]

            def after_write():
                answers, _ = surveys.validate_answers(survey, {survey.questions[0].id: ["4"]})
                surveys.submit_response(place.store, survey, answers, secret=place.app.secret_key)
                return timed(client, "/dashboard", 1)

            fresh = statistics.median(after_write() for _ in range(max(3, args.samples // 4)))
            rows.append((size, first, warm, fresh))
    base = rows[0]
    print(f"{'responses':>10} {'first ms':>9} {'warm ms':>8} {'after a write ms':>17}")
    for size, first, warm, fresh in rows:
        print(f"{size:>10} {first:>9.1f} {warm:>8.1f} {fresh:>17.1f}")
    print(
        json.dumps(
            {
                "dashboard_ms_1k": round(base[2], 1),
                "dashboard_ms_100k": round(rows[-1][2], 1),
                "dashboard_ratio": round(rows[-1][2] / base[2], 2),
                "dashboard_after_write_ratio": round(rows[-1][3] / base[3], 2),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
