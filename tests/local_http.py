"""For tests that start a real server: a free port on 127.0.0.1, the production server, and a cookie-keeping client."""

import contextlib
import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import CSRF

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand a redirect back to the caller (its status and Location) instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that follows no redirect by itself and notes every address it meets.

    Its cookies hold for any port of 127.0.0.1, so a visit begun on one server can go on on another.
    """

    def __init__(self, base, addresses=None, cookies=None):
        self.base = base
        self.addresses = [] if addresses is None else addresses
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects())
        self.page = ""

    def on(self, base):
        """The same visitor (its cookies and last page) talking to the server at ``base``."""
        other = Browser(base, self.addresses, self.cookies)
        other.page = self.page
        return other

    def request(self, path, data=None, headers=None):
        """GET (or POST ``data``, with the last page's form token) ``path``; (status, Location, body)."""
        if data is not None:
            data = urllib.parse.urlencode({"csrf_token": CSRF.search(self.page).group(1), **data}, doseq=True).encode()
        self.addresses.append(("requested", path))
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=data, headers=headers or {}), timeout=30
            ) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        location = headers.get("Location")
        if location:
            self.addresses.append(("sent to", location))
        if headers.get_content_type() == "text/html":
            self.page = body.decode("utf-8")
        self.headers = headers
        return status, location, body.decode("utf-8") if headers.get_content_type() != "text/html" else self.page

    def follow(self, path, data=None):
        """Request ``path`` and follow redirects as a browser would (GET); the final page."""
        status, location, page = self.request(path, data)
        while location:
            status, location, page = self.request(
                urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
            )
        return status, page


@contextlib.contextmanager
def production_server(environment, *arguments, seconds=120, error_log=None):
    """The README's production server (gunicorn, two workers of four threads) on 127.0.0.1; its base URL.

    ``environment`` is added to this process's (a None value unsets a variable); the server stops at the
    end, or by itself after ``seconds``.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "2",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
        *arguments,
        "app:app",
    ]
    if shutil.which("timeout"):
        command = ["timeout", "-k", "5", str(seconds)] + command
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "131072", **environment}
    env = {name: value for name, value in env.items() if value is not None}  # None: unset it
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def log():
        return error_log.read_text() if error_log and error_log.exists() else ""

    with running(server, lambda: urllib.request.urlopen(f"{base}/health", timeout=2).close(), "gunicorn", log):
        yield base


@contextlib.contextmanager
def running(server, answers, name, output):
    """Wait until ``answers()`` stops raising OSError (30 s at most), then stop ``server``'s process group at the end.

    The test fails with ``output()`` if the server ends or does not answer in time.
    """
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answers()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{name} did not start: {output()}")
                time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
