"""Where a submission's time goes: CPU per request, in-process, peeled layer by layer.

Calls the WSGI app directly (no server, no HTTP client) with a prepared
request, and measures CPU time (user + system) per request for: the bare
route; a complete anonymous submission; the same with the store's writes
replaced by nothing (stand_ins.py's ``no_write``, on whatever store it is); with the whole domain call replaced by a
fixed receipt; with no receipt (so no receipt cookie); and with no CSRF
check either. The differences are what each layer costs. With --profile, also
prints pyinstrument's tree of the full submission. Not a test.

    python bench/where.py [--requests 2000] [--profile]
"""

import argparse
import io
import os
import sys
import tempfile
import time
import urllib.parse

import stand_ins
import world
from harness import CSRF

from roundtable import surveys


def environ(method, path, body=b"", cookie=None):
    """A WSGI environ for one request."""
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def cpu_ms(app, make_environ, requests):
    """CPU milliseconds per request, after a warm-up."""
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def call():
        for _ in app.wsgi_app(make_environ(), start_response):
            pass

    for _ in range(100):
        call()
    began = time.process_time()
    for _ in range(requests):
        call()
    return (time.process_time() - began) / requests * 1000, statuses[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="print pyinstrument's tree of a submission")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        place = world.build(os.path.join(tmp, "10k"), world.documents(os.path.join(tmp, "documents")), 10_000)
        app, survey = place.app, place.targets[2]
        client = app.test_client()
        token = CSRF.search(client.get(f"/s/{survey.share_token}").get_data(as_text=True)).group(1)
        cookie = f"session={client.get_cookie('session').value}"
        body = urllib.parse.urlencode(
            {
                "csrf_token": token,
                **{f"q-{k}": v for k, v in world.random_answers(survey, __import__("random").Random(1)).items()},
            }
        ).encode()
        path = f"/s/{survey.share_token}"
        rows = [("GET /health (the bare route)", *cpu_ms(app, lambda: environ("GET", "/health"), args.requests))]
        rows.append(("POST a submission", *cpu_ms(app, lambda: environ("POST", path, body, cookie), args.requests)))
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            with profiler:
                cpu_ms(app, lambda: environ("POST", path, body, cookie), args.requests // 4)
            print(profiler.output_text(color=False, unicode=True))
        real_store, real_submit = app.config["STORE"], surveys.submit_response
        try:
            app.config["STORE"] = stand_ins.replaced(real_store, "no_write", place.data_dir)
            rows.append(
                ("  ...with no store writes", *cpu_ms(app, lambda: environ("POST", path, body, cookie), args.requests))
            )
            surveys.submit_response = lambda *a, **k: "ABCD-EFGH-JKMN-PQRS"
            rows.append(
                ("  ...with no domain call", *cpu_ms(app, lambda: environ("POST", path, body, cookie), args.requests))
            )
            surveys.submit_response = lambda *a, **k: None
            rows.append(
                ("  ...and no receipt cookie", *cpu_ms(app, lambda: environ("POST", path, body, cookie), args.requests))
            )
            app.config["WTF_CSRF_CHECK_DEFAULT"] = False
            rows.append(
                ("  ...and no CSRF check", *cpu_ms(app, lambda: environ("POST", path, body, cookie), args.requests))
            )
        finally:
            app.config["STORE"], surveys.submit_response = real_store, real_submit
            app.config["WTF_CSRF_CHECK_DEFAULT"] = True
    print(f"{'request':<32}{'CPU ms':>8}  status")
    for name, ms, status in rows:
        print(f"{name:<32}{ms:>8.3f}  {status}")
    hello, full, no_disk, no_domain, no_receipt, no_csrf = (row[1] for row in rows)
    print(
        f"\nstore writes (the response and its receipt, fsync included) {full - no_disk:.3f} ms; "
        "domain (checks, receipt code) "
        f"{no_disk - no_domain:.3f} ms; receipt cookie {no_domain - no_receipt:.3f} ms; CSRF check (session "
        f"and token) {no_receipt - no_csrf:.3f} ms; the rest of the form post (body, form, survey lookup, "
        f"validation, redirect) {no_csrf - hello:.3f} ms more than the bare route"
    )


if __name__ == "__main__":
    sys.exit(main())
