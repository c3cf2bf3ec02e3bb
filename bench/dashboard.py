"""The leaders' dashboard at 1,000 and at 100,000 stored responses: warm, and right after a new response.

Fills a fresh data directory through the domain layer (surveys and the
roster) and a bulk path for responses (journal lines written directly, then
folded), then times GET /dashboard in-process. "warm" repeats the request with
nothing changed (the cached events serve it); "after a write" adds one
response first, so the events are gathered again. Not a test.

    python bench/dashboard.py [--sizes 1000,100000] [--partners 200] [--surveys 100]
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from app import create_app  # noqa: E402
from roundtable import accounts, partners, surveys  # noqa: E402
from roundtable.survey_templates import TEMPLATES  # noqa: E402

PASSWORD = "benchmark password"


def fill(store, size, partner_count, survey_count, rng):
    """A roster, health checks, and ``size`` responses spread over them."""
    types = partners.BUILTIN_TYPES
    roster = [partners.add_partner(store, f"Partner {n:03d}", types[n % len(types)]) for n in range(partner_count)]
    start = datetime.date(2025, 1, 1)
    made = []
    for n in range(survey_count):
        survey = surveys.create_from_template(store, TEMPLATES["health_check"], "partner",
                                              today=start + datetime.timedelta(days=3 * n), key="health_check")
        made.append(surveys.set_status(store, survey.id, "open"))
    per_survey = size // survey_count
    for index, survey in enumerate(made):
        journal, _ = store.stream_paths(surveys.stream(survey.id))
        day = (start + datetime.timedelta(days=3 * index)).isoformat()
        with open(journal, "a", encoding="utf-8") as file:
            for n in range(per_survey):
                partner = roster[rng.randrange(partner_count)]
                answers = {q.id: rng.randint(1, 5) for q in survey.questions if q.kind == "agreement"}
                file.write(json.dumps({"_id": f"{index}-{n}", "answers": answers, "day": day,
                                       "partner": partner.id, "partner_type": partner.type}) + "\n")
        store.fold(surveys.stream(survey.id))
    return made


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
    parser.add_argument("--partners", type=int, default=200)
    parser.add_argument("--surveys", type=int, default=100)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as data_dir:
            app = create_app({"DATA_DIR": data_dir})
            store = app.config["STORE"]
            made = fill(store, size, args.partners, args.surveys, random.Random(size))
            accounts.create_account(store, "leader", PASSWORD, "leader")
            client = app.test_client()
            page = client.get("/login").get_data(as_text=True)
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            client.post("/login", data={"csrf_token": token, "username": "leader", "password": PASSWORD})
            first = timed(client, "/dashboard", 1)
            warm = timed(client, "/dashboard", args.samples)
            roster = partners.list_partners(store)

            def after_write():
                survey = made[0]
                answers, _ = surveys.validate_answers(survey, {survey.questions[0].id: ["4"]})
                surveys.submit_response(store, survey, answers, partner_id=roster[0].id)
                return timed(client, "/dashboard", 1)

            fresh = statistics.median(after_write() for _ in range(max(3, args.samples // 4)))
            rows.append((size, first, warm, fresh))
    base = rows[0]
    print(f"{'responses':>10} {'first ms':>9} {'warm ms':>8} {'after a write ms':>17}")
    for size, first, warm, fresh in rows:
        print(f"{size:>10} {first:>9.1f} {warm:>8.1f} {fresh:>17.1f}")
    print(json.dumps({"dashboard_ms_1k": round(base[2], 1), "dashboard_ms_100k": round(rows[-1][2], 1),
                      "dashboard_ratio": round(rows[-1][2] / base[2], 2),
                      "dashboard_after_write_ratio": round(rows[-1][3] / base[3], 2)}))


if __name__ == "__main__":
    main()
