"""``flask --app app serve``: the production server for a room, on every address, saying where phones connect.

The facilitator's laptop serves twenty phones on the venue's Wi-Fi. The
command runs gunicorn (two workers of four threads, the memory settings) on
0.0.0.0 and prints the laptop's LAN addresses, from the one source of them
(``roundtable.addresses.lan_addresses``). These tests only ever contact
127.0.0.1: never the LAN address they read.
"""

import contextlib
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import psutil
import pytest

from roundtable import addresses, serving
from roundtable.addresses import (
    lan_addresses as machine_lan_addresses,  # the real one (conftest pins a fake)
)

from .local_http import NoRedirects, free_port, running

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_SECONDS = 60  # the server stops itself after this, whatever happens to the test


def get_local(port, path="/"):
    """(status, Location) of ``GET http://127.0.0.1:port/path``, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(f"http://127.0.0.1:{port}{path}", timeout=3) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location")


def group_processes(leader):
    """The server's processes: the group leader and its descendants."""
    found = [psutil.Process(leader)]
    with contextlib.suppress(psutil.Error):
        found += found[0].children(recursive=True)
    return found


def listening(processes, port):
    """(process, address) of each TCP socket in LISTEN state on ``port`` that one of ``processes`` holds."""
    found = []
    for process in processes:
        with contextlib.suppress(psutil.Error):
            for connection in process.net_connections(kind="tcp"):
                if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port:
                    found.append((process, connection.laddr.ip))
    return found


@pytest.fixture
def served(tmp_path):
    """``flask --app app serve --port P`` on a fresh data directory; (port, its output file, its pid)."""
    port, output = free_port(), tmp_path / "serve.out"
    command = [sys.executable, "-m", "flask", "--app", "app", "serve", "--port", str(port)]
    command = ["timeout", "-k", "5", str(SERVER_SECONDS)] + command
    env = {**os.environ, "ROUNDTABLE_DATA_DIR": str(tmp_path / "data")}
    for name in ("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "ROUNDTABLE_PUBLIC_URL"):
        env.pop(name, None)
    with open(output, "wb") as sink:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    with running(server, lambda: get_local(port, "/health"), "serve", output.read_text):
        yield port, output, server.pid


def test_serve_runs_gunicorn_on_every_address_and_names_the_phones_address(served):
    port, output, pid = served
    processes = group_processes(pid)
    sockets = listening(processes, port)
    # Listening on 0.0.0.0 (every network), not on 127.0.0.1 as `flask run` does.
    assert {address for _process, address in sockets} == {"0.0.0.0"}, sockets
    # By gunicorn, with the README's workers, threads and memory settings in its environment.
    owner = sockets[0][0]
    assert "gunicorn" in " ".join(owner.cmdline())
    assert ["--workers", "2", "--threads", "4"] == owner.cmdline()[3:7]
    workers = [p for p in processes if p.ppid() == owner.pid]
    assert len(workers) == 2
    for process in [owner, *workers]:
        environment = process.environ()
        assert environment.get("MALLOC_ARENA_MAX") == "2"
        assert environment.get("MALLOC_MMAP_THRESHOLD_") == "131072"
    # It answers on loopback: a fresh install sends the first visitor to set up an administrator.
    assert get_local(port, "/") == (302, "/setup")
    printed = output.read_text()
    lan = machine_lan_addresses()
    if lan:
        assert re.findall(r"^Phones in this room: (\S+)$", printed, re.M) == [f"http://{a}:{port}" for a in lan]
    else:
        assert "phones cannot reach this computer: no network address" in printed
    assert "development server" not in printed.lower() and "werkzeug" not in printed.lower()


def run_serve(runner, monkeypatch, lan, *arguments):
    """``serve`` through the CLI with ``lan`` as this machine's addresses; (output, the exec'd command, env)."""
    monkeypatch.setattr(addresses, "lan_addresses", lambda: list(lan))
    started = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: started.append((path, argv, env)))
    result = runner.invoke(args=["serve", *arguments])
    assert result.exit_code == 0, result.output
    (command,) = started
    return result.output, command[1], command[2]


def test_serve_prints_each_lan_address_and_execs_the_production_server(app, runner, monkeypatch):
    output, argv, env = run_serve(runner, monkeypatch, ["192.168.1.23", "10.0.0.7"], "--port", "5123")
    assert "Phones in this room: http://192.168.1.23:5123\nPhones in this room: http://10.0.0.7:5123\n" in output
    assert argv[:3] == [sys.executable, "-m", "gunicorn"]
    assert argv[3:] == [
        "--workers",
        "2",
        "--threads",
        "4",
        "--bind",
        "0.0.0.0:5123",
        "--log-level",
        "warning",
        "app:app",
    ]
    assert env["MALLOC_ARENA_MAX"] == "2" and env["MALLOC_MMAP_THRESHOLD_"] == "131072"
    assert env["ROUNDTABLE_DATA_DIR"] == app.config["DATA_DIR"]
    assert "cannot reach" not in output


def test_serve_warns_when_phones_cannot_reach_this_computer(runner, monkeypatch):
    output, argv, _env = run_serve(runner, monkeypatch, [])
    assert "phones cannot reach this computer: no network address" in output
    assert "Phones in this room" not in output
    assert "0.0.0.0:5000" in argv
    output, argv, _env = run_serve(runner, monkeypatch, ["192.168.1.23"], "--host", "127.0.0.1", "--port", "8001")
    assert "phones cannot reach this computer: the server listens on 127.0.0.1 only" in output
    assert "127.0.0.1:8001" in argv


def test_serve_on_one_address_names_that_one(runner, monkeypatch):
    output, argv, _env = run_serve(runner, monkeypatch, ["192.168.1.23", "10.0.0.7"], "--host", "10.0.0.7")
    assert "Phones in this room: http://10.0.0.7:5000\n" in output and "192.168.1.23" not in output
    assert "10.0.0.7:5000" in argv


def test_serve_runs_what_the_readme_documents():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as file:
        readme = file.read()
    first_command = re.search(r"```sh\n(.*)\n", readme).group(1)
    assert first_command.split("  #")[0].strip() == "pip install -e . && flask --app app serve"
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    exported = dict(re.findall(r"^export (MALLOC_\w+)=(\S+)$", section, re.M))
    assert exported == serving.MEMORY_ENVIRONMENT
    documented = next(line.split() for line in section.splitlines() if line.startswith("gunicorn "))
    arguments = serving.gunicorn_arguments("127.0.0.1", 8000)
    for option in ("--workers", "--threads"):
        assert documented[documented.index(option) + 1] == arguments[arguments.index(option) + 1], option
