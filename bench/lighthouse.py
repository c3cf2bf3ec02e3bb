"""Lighthouse on the dashboard and a survey's results, as production serves them. Not a test.

Seeds the demo partnership into a fresh data directory, starts the README's
production command on 127.0.0.1 (harness.Server), logs in as the demo's
leader and runs Lighthouse 12 on Debian's Chromium, desktop and mobile
presets, against /dashboard and the first survey's results page, with the
session cookie as an extra header. Prints one line per page and preset:
performance and accessibility scores, bytes transferred, total blocking time
and largest contentful paint. Lighthouse itself comes from the npm registry,
outside the repository:

    npm install --prefix /tmp/lh lighthouse@12
    python bench/lighthouse.py [--lighthouse /tmp/lh/node_modules/.bin/lighthouse] [--runs 1]

With --runs N, each figure is the median of N runs.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

from harness import Client, Server

from roundtable import demo
from roundtable.store.api import open_store

CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync --disable-quic"
)
PRESETS = {"desktop": ["--preset=desktop"], "mobile": []}  # Lighthouse's default is the mobile preset
RESULTS = re.compile(r'href="(/surveys/[^"/]+/results)"')


def lighthouse(binary, url, preset, cookie, keep=None):
    """Lighthouse's figures for one page and preset (its whole report kept in ``keep`` if given)."""
    with tempfile.NamedTemporaryFile(suffix=".json", dir=keep, delete=keep is None) as report:
        subprocess.run(
            [
                binary,
                url,
                *PRESETS[preset],
                f"--chrome-flags={CHROME_FLAGS}",
                "--only-categories=performance,accessibility",
                "--output=json",
                f"--output-path={report.name}",
                "--quiet",
                "--extra-headers",
                json.dumps({"Cookie": cookie}),
            ],
            check=True,
            env=dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium")),
            timeout=300,
        )
        result = json.load(report)
    audits = result["audits"]
    return {
        "performance": round(result["categories"]["performance"]["score"] * 100),
        "accessibility": round(result["categories"]["accessibility"]["score"] * 100),
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1024),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
    }


def main():
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default="/tmp/lh/node_modules/.bin/lighthouse")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--pages", default="dashboard,results", help="which of dashboard,results")
    parser.add_argument("--presets", default="desktop,mobile", help="which of desktop,mobile")
    parser.add_argument("--keep", help="a directory to keep Lighthouse's JSON reports in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        credentials = demo.seed_demo(open_store(None, data_dir))
        with Server(data_dir) as server:
            client = Client(server.port)
            client.log_in("leader", credentials["leader"])
            _, _, page = client.request("GET", "/surveys/")
            pages = {"dashboard": "/dashboard", "results": RESULTS.search(page.decode()).group(1)}
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            print(f"{'page':10} {'preset':8} {'perf':>5} {'a11y':>5} {'transfer KB':>12} {'TBT ms':>7} {'LCP ms':>7}")
            for name in args.pages.split(","):
                for preset in args.presets.split(","):
                    runs = [
                        lighthouse(args.lighthouse, server.url + pages[name], preset, cookie, args.keep)
                        for _ in range(args.runs)
                    ]
                    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                    print(
                        f"{name:10} {preset:8} {median['performance']:5.0f} {median['accessibility']:5.0f} "
                        f"{median['transfer_kb']:12.0f} {median['tbt_ms']:7.0f} {median['lcp_ms']:7.0f}",
                        flush=True,
                    )
            problems = server.problems()
            if problems:
                print(problems, file=sys.stderr)


if __name__ == "__main__":
    main()
