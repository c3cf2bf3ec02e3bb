"""What the benchmarks share: Roundtable served as production serves it, a small HTTP client, process figures.

``Server`` runs the gunicorn command of the README's production section
(read from the README itself, so the two cannot drift apart), bound to
127.0.0.1 on a free port, on a given data directory, and always stops it.
Linux only: worker memory and CPU are read from /proc.
"""

import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PASSWORD = "benchmark password"
BOOT_TIMEOUT = 60
REQUEST_TIMEOUT = 60


def _production_section():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as file:
        readme = file.read()
    return readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]


def production_command():
    """The README's production gunicorn command, as a list of arguments after ``gunicorn``."""
    return shlex.split(re.search(r"^gunicorn (.+)$", _production_section(), re.MULTILINE).group(1))


def production_environment():
    """The variables the README's production section exports (but the data directory, which is ours)."""
    found = dict(re.findall(r"^export (\w+)=(\S+)$", _production_section(), re.MULTILINE))
    found.pop("ROUNDTABLE_DATA_DIR", None)
    return found


def production_line():
    """The README's production command as one line, with the variables it exports."""
    env = " ".join(f"{k}={v}" for k, v in production_environment().items())
    return f"{env} gunicorn {' '.join(production_command())}".strip()


def free_port():
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    """A tiny HTTP client with a cookie jar, for one simulated person (one connection per request)."""

    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes) of one request; ``body`` is a form (a dict) or already encoded."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            if not isinstance(body, str):
                body = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), payload

    def csrf_token(self, path):
        """The CSRF token of the form on ``path`` (and the session cookie that goes with it)."""
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        return CSRF.search(page.decode()).group(1)

    def log_in(self, username, password=PASSWORD):
        """Log in through the login form."""
        token = self.csrf_token("/login")
        status, _, _ = self.request("POST", "/login", {"csrf_token": token, "username": username, "password": password})
        assert status == 303, status


class Server:
    """Roundtable under the README's production command, on 127.0.0.1 and a free port; a context manager."""

    def __init__(self, data_dir, app_spec=None, database_url=None):
        self.data_dir = data_dir
        self.app_spec = app_spec  # instead of the README's app:app, a module in bench/ (see stand_ins.py)
        self.database_url = database_url  # ROUNDTABLE_DATABASE_URL; None: the file store in data_dir
        self.port = free_port()
        self.process = None
        self.log = tempfile.TemporaryFile()

    @property
    def command(self):
        """The gunicorn arguments, with the README's bind address replaced by ours (and its app by ``app_spec``)."""
        args = production_command()
        bind = args.index("--bind")
        args[bind + 1] = f"127.0.0.1:{self.port}"
        if self.app_spec:
            args[args.index("app:app")] = self.app_spec
            args[:0] = ["--pythonpath", os.path.dirname(os.path.abspath(__file__))]
        return args

    @property
    def url(self):
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        env = dict(os.environ, **production_environment(), ROUNDTABLE_DATA_DIR=self.data_dir)
        env.pop("ROUNDTABLE_DATABASE_URL", None)
        if self.database_url:
            env["ROUNDTABLE_DATABASE_URL"] = self.database_url
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *self.command],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + BOOT_TIMEOUT
        while True:
            try:
                if Client(self.port).request("GET", "/health")[0] == 200 and len(self.workers()) >= 1:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                self.log.seek(0)
                raise SystemExit("the server did not start:\n" + self.log.read().decode(errors="replace")[-2000:])
            time.sleep(0.1)

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """Stop gunicorn and its workers (SIGTERM, then SIGKILL after 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def problems(self, limit=4000):
        """The server's log from its first traceback or error on (empty when there is none)."""
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")
        self.log.seek(0, os.SEEK_END)
        marks = [text.find(mark) for mark in ("Traceback", "unexpected error", "[ERROR]", "[CRITICAL]")]
        first = min((m for m in marks if m >= 0), default=-1)
        return text[first : first + limit] if first >= 0 else ""

    def workers(self):
        """Process ids of the gunicorn workers."""
        return children(self.process.pid)

    def rss_mb(self):
        """Resident memory of each worker, in MiB."""
        return [rss_mb(pid) for pid in self.workers()]

    def cpu_seconds(self):
        """CPU time used so far by the master and its live workers."""
        return sum(cpu_seconds(pid) for pid in [self.process.pid, *self.workers()])


def children(pid):
    """Process ids of the children of ``pid``."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as file:
                found.extend(int(p) for p in file.read().split())
        except FileNotFoundError:
            pass
    return found


def rss_mb(pid):
    """Resident memory of process ``pid``, in MiB."""
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    """User plus system CPU time of process ``pid``, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average():
    """The 1, 5 and 15 minute load averages."""
    return os.getloadavg()
