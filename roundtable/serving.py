"""How ``flask --app app serve`` runs Roundtable for a room: the production server, and where phones find it.

The command runs what the README's "Running in production" section documents
(gunicorn, two workers of four threads, the C library's memory settings), but
bound to every address, so that phones on the same Wi-Fi can connect.
"""

import dataclasses

from . import addresses
from .addresses import WILDCARDS, is_loopback, join_host, normalize_host

WORKERS = 2
THREADS = 4
DEFAULT_HOST = "0.0.0.0"
DEFAULT_PORT = 5000
# Read by the C library when a process starts, so they must be in the server's environment before it runs.
MEMORY_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "131072"}


@dataclasses.dataclass(frozen=True)
class Room:
    """Where a server listening on ``host:port`` can be opened from: phones' addresses, or why there are none."""

    links: tuple
    problem: str | None = None


def gunicorn_arguments(host, port, application="app:app"):
    """The arguments of gunicorn's command line for ``host:port`` (after ``python -m gunicorn``)."""
    return [
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--bind",
        bind_address(host, port),
        # Its own "Listening at: http://0.0.0.0:5000" is no address a phone can open: say only what goes wrong.
        "--log-level",
        "warning",
        application,
    ]


def bind_address(host, port):
    """``host:port`` as gunicorn's ``--bind`` reads it (IPv6 in brackets)."""
    name = normalize_host(host) or host
    return f"[{name}]:{port}" if ":" in name else f"{name}:{port}"


def server_environment(environment, data_dir):
    """The environment the server runs with: ``environment``, the memory settings, and the data directory."""
    return {**environment, **MEMORY_ENVIRONMENT, "ROUNDTABLE_DATA_DIR": str(data_dir)}


def room(host, port):
    """The ``http://`` addresses phones can open for a server bound to ``host:port``."""
    name = normalize_host(host) or ""
    if name in WILDCARDS:
        found = addresses.lan_addresses()
        if not found:
            return Room((), "no network address")
    elif is_loopback(name):
        return Room((), f"the server listens on {name} only")
    else:
        found = [name]
    return Room(tuple(f"http://{join_host(a, port, 'http')}" for a in found))
