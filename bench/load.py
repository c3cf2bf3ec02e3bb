"""Load generators: wrk when it is installed, else a bundled Python one; both bounded in time and count.

wrk (``apt-get install -y wrk``) is a C program driven by a Lua script; it
costs the server's two cores far less than Python would. The fallback runs
keep-alive connections from threads in two processes. Both report the same
``Load``: requests, statuses, latency quantiles, the session cookies that
acknowledgements set (when asked, to check receipts), and the CPU time the
generator itself used.
"""

import collections
import dataclasses
import http.client
import multiprocessing
import os
import random
import resource
import secrets
import shutil
import subprocess
import tempfile
import threading
import time

# Latency is kept as 1,000 quantiles (0.05 %, 0.15 % ... 99.95 %) per run, so
# that runs can be merged into one distribution.
GRID = [(i + 0.5) / 10 for i in range(1000)]
MAX_REQUESTS = 1_000_000
PROCESSES = 2


@dataclasses.dataclass(frozen=True)
class Target:
    """What to request: a method, paths with their bodies (one is picked at random per request), headers."""

    method: str
    choices: tuple  # ((path, body or ""), ...)
    headers: tuple = ()  # ((name, value), ...)
    fresh: str = ""  # a form field given a new unique value in every request (a form's client_id), or ""


@dataclasses.dataclass
class Load:
    """What one run of a generator saw."""

    requests: int
    seconds: float
    statuses: collections.Counter
    errors: int
    quantiles: list
    cookies: list
    generator: str
    cpu: float

    @property
    def acknowledged(self):
        """Responses with a 2xx or 3xx status."""
        return sum(n for status, n in self.statuses.items() if 200 <= status < 400)


def default_generator():
    """``wrk`` when it is installed, else ``python``."""
    return "wrk" if shutil.which("wrk") else "python"


def drive(url, target, seconds, connections=16, keep_cookies=False, generator=None):
    """Send ``target`` to the server at ``url`` from ``connections`` connections for ``seconds``."""
    generator = generator or default_generator()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if generator == "wrk":
        load = _wrk(url, target, seconds, connections, keep_cookies)
    else:
        load = _python(url, target, seconds, connections, keep_cookies)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    load.cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return load


def merged(loads):
    """One ``Load`` for several runs (latency quantiles merged as a mixture)."""
    points = sorted((q, load.requests / len(GRID)) for load in loads for q in load.quantiles)
    total = sum(weight for _, weight in points) or 1
    quantiles, running, index = [], 0.0, 0
    for p in GRID:
        while index < len(points) - 1 and (running + points[index][1]) / total * 100 < p:
            running += points[index][1]
            index += 1
        quantiles.append(points[index][0] if points else 0.0)
    return Load(
        sum(x.requests for x in loads),
        sum(x.seconds for x in loads),
        sum((x.statuses for x in loads), collections.Counter()),
        sum(x.errors for x in loads),
        quantiles,
        [c for x in loads for c in x.cookies],
        loads[0].generator,
        sum(x.cpu for x in loads),
    )


def percentile(load, p):
    """Latency in ms at percentile ``p`` (one of GRID's neighbours)."""
    return load.quantiles[min(len(GRID) - 1, max(0, round(p * 10 - 0.5)))]


# -- wrk -----------------------------------------------------------------------


def _lua(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrk_script(target, keep_cookies, out):
    headers = "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in target.headers) + "}"
    choices = "{" + ", ".join(f"{{{_lua(p)}, {_lua(b)}}}" for p, b in target.choices) + "}"
    grid = "{" + ", ".join(f"{p:g}" for p in GRID) + "}"
    return f"""
local choices, headers, method = {choices}, {headers}, {_lua(target.method)}
local keep, n, sent = {"true" if keep_cookies else "false"}, #choices, 0
local fresh, prefix = {_lua(target.fresh)}, {_lua(secrets.token_urlsafe(12))}
local threads = {{}}
statuses, cookies = {{}}, {{}}
thread_id = 0

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

function request()
  sent = sent + 1
  if sent > {MAX_REQUESTS} then wrk.thread:stop() end
  local c = choices[math.random(n)]
  if c[2] == "" then return wrk.format(method, c[1], headers) end
  if fresh ~= "" then
    return wrk.format(method, c[1], headers, c[2] .. "&" .. fresh .. "=" .. prefix .. thread_id .. "x" .. sent)
  end
  return wrk.format(method, c[1], headers, c[2])
end

function response(status, h, body)
  statuses[status] = (statuses[status] or 0) + 1
  if keep and status == 303 and h["Set-Cookie"] then cookies[#cookies + 1] = h["Set-Cookie"] end
end

function done(summary, latency, requests)
  local out = io.open({_lua(out)}, "w")
  local e = summary.errors
  out:write("requests ", summary.requests, "\\n", "duration ", summary.duration, "\\n")
  out:write("errors ", e.connect + e.read + e.write + e.timeout, "\\n")
  for _, p in ipairs({grid}) do out:write("q ", latency:percentile(p), "\\n") end
  for _, t in ipairs(threads) do
    for status, count in pairs(t:get("statuses")) do out:write("status ", status, " ", count, "\\n") end
    for _, c in ipairs(t:get("cookies")) do out:write("cookie ", c, "\\n") end
  end
  out:close()
end
"""


def _wrk(url, target, seconds, connections, keep_cookies):
    with tempfile.TemporaryDirectory() as tmp:
        script, out = os.path.join(tmp, "load.lua"), os.path.join(tmp, "out.txt")
        with open(script, "w") as file:
            file.write(_wrk_script(target, keep_cookies, out))
        # One thread: wrk's event loop keeps 16 connections busy and leaves the cores to the server.
        subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                script,
                url + target.choices[0][0],
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=seconds + 60,
        )
        requests = duration = errors = 0
        statuses, quantiles, cookies = collections.Counter(), [], []
        with open(out) as file:
            for line in file:
                kind, _, rest = line.rstrip("\n").partition(" ")
                if kind == "requests":
                    requests = int(rest)
                elif kind == "duration":
                    duration = int(rest) / 1e6
                elif kind == "errors":
                    errors = int(rest)
                elif kind == "q":
                    quantiles.append(float(rest) / 1000)
                elif kind == "status":
                    status, count = rest.split()
                    statuses[int(status)] += int(count)
                elif kind == "cookie":
                    cookies.append(rest)
    return Load(requests, duration, statuses, errors, quantiles, cookies, "wrk", 0.0)


# -- the bundled Python generator ----------------------------------------------


def _connection_loop(port, target, deadline, budget, keep_cookies, results):
    statuses, latencies, cookies, errors = collections.Counter(), [], [], 0
    headers = dict(target.headers)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline and len(latencies) + errors < budget:
        path, body = random.choice(target.choices)
        if target.fresh and body:
            body += f"&{target.fresh}={secrets.token_urlsafe(16)}"
        began = time.perf_counter()
        try:
            connection.request(target.method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            continue
        latencies.append((time.perf_counter() - began) * 1000)
        statuses[response.status] += 1
        if keep_cookies and response.status == 303 and response.getheader("Set-Cookie"):
            cookies.append(response.getheader("Set-Cookie"))
        if response.will_close:
            connection.close()  # reopened by the next request
    connection.close()
    results.append((statuses, latencies, cookies, errors))


def _process(port, target, seconds, connections, budget, keep_cookies, queue):
    deadline = time.monotonic() + seconds
    results = []
    threads = [
        threading.Thread(target=_connection_loop, args=(port, target, deadline, budget, keep_cookies, results))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    queue.put(results)


def _python(url, target, seconds, connections, keep_cookies):
    port = int(url.rsplit(":", 1)[1])
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    shares = [connections // PROCESSES + (1 if i < connections % PROCESSES else 0) for i in range(PROCESSES)]
    began = time.monotonic()
    processes = [
        context.Process(
            target=_process, args=(port, target, seconds, share, MAX_REQUESTS // connections, keep_cookies, queue)
        )
        for share in shares
        if share
    ]
    for process in processes:
        process.start()
    results = [item for _ in processes for item in queue.get(timeout=seconds + 120)]
    for process in processes:
        process.join(10)
    elapsed = time.monotonic() - began
    statuses, latencies, cookies, errors = collections.Counter(), [], [], 0
    for s, lat, c, e in results:
        statuses += s
        latencies.extend(lat)
        cookies.extend(c)
        errors += e
    latencies.sort()
    quantiles = (
        [latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] for p in GRID]
        if latencies
        else [0.0] * len(GRID)
    )
    return Load(len(latencies), elapsed, statuses, errors, quantiles, cookies, "python", 0.0)
