"""The base of links for others: PUBLIC_URL, a host of this machine, or this machine's own address."""

import socket
from types import SimpleNamespace

import psutil
import pytest

from roundtable import addresses
from roundtable.addresses import (
    BadPublicUrl,
    lan_addresses,
    link_base,
    only_this_machine,
    public_base,
    trusted_hosts,
)

TRUSTED = trusted_hosts(["vote.example.org", ".corp.example"])


@pytest.mark.parametrize(
    "value, base",
    [
        ("https://vote.example.org", "https://vote.example.org"),
        ("https://Vote.Example.org/", "https://vote.example.org"),
        ("http://vote.example.org:8080", "http://vote.example.org:8080"),
        ("https://vote.example.org:443", "https://vote.example.org"),
        ("http://192.168.1.5:8000", "http://192.168.1.5:8000"),
        ("http://[fd00::5]:8000", "http://[fd00::5]:8000"),
        (" https://vote.example.org ", "https://vote.example.org"),
        (None, None),
        ("", None),
    ],
)
def test_public_url_is_read_as_a_scheme_and_host(value, base):
    assert public_base(value) == base


@pytest.mark.parametrize(
    "value, says",
    [
        ("vote.example.org", "must start with http:// or https://"),
        ("ftp://vote.example.org", "must start with http:// or https://"),
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("https://", "must name a host"),
        ("https://user:pw@vote.example.org", "must name a host"),
        ("https://vote example.org", "must name a host"),
        ("https://vote.example.org/roundtable", "no path, query or fragment"),
        ("https://vote.example.org/?a=1", "no path, query or fragment"),
        ("https://vote.example.org#top", "no path, query or fragment"),
        ("https://vote.example.org?", "no path, query or fragment"),
        ("https://vote.example.org:99999", "is not a valid address"),
    ],
)
def test_a_bad_public_url_is_refused_with_what_is_wrong(value, says):
    with pytest.raises(BadPublicUrl) as info:
        public_base(value)
    assert says in str(info.value) and "https://vote.example.org" in str(info.value)


def test_public_url_wins_whatever_the_host():
    for host in ("localhost", "evil.example", ""):
        assert link_base("http", host, "https://vote.example.org", TRUSTED) == "https://vote.example.org"


@pytest.mark.parametrize(
    "host, base",
    [
        ("localhost", "http://localhost"),
        ("localhost:5000", "http://localhost:5000"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("VOTE.example.org", "http://vote.example.org"),
        ("a.corp.example:8443", "http://a.corp.example:8443"),
        ("corp.example", "http://corp.example"),
    ],
)
def test_a_trusted_host_is_kept(host, base):
    assert link_base("http", host, None, TRUSTED, server=("evil.example", "9")) == base


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8000",
        "vote.example.org.evil.example",
        "evilcorp.example",
        "localhost@evil.example",
        "localhost/evil",
        "",
        None,
        "local host",
        "127.0.0.1.evil.example",
    ],
)
def test_a_strangers_host_falls_back_to_where_the_server_listens(host):
    assert link_base("http", host, None, TRUSTED, server=("127.0.0.1", "8000")) == "http://127.0.0.1:8000"
    assert link_base("https", host, None, TRUSTED, server=("localhost", "443")) == "https://localhost"


def test_on_every_address_the_fallback_is_this_machines_own(monkeypatch):
    monkeypatch.setattr(addresses, "machine_addresses", lambda: ["127.0.0.1", "::1", "fe80::1", "192.168.1.5"])
    monkeypatch.setattr(addresses, "lan_addresses", lambda: ["192.168.1.5"])
    trusted = trusted_hosts()
    assert link_base("http", "evil.example", None, trusted, server=("0.0.0.0", "8000")) == "http://192.168.1.5:8000"
    # A server on a Unix socket reports the request's Host as its own name: not trusted, and its port not kept.
    assert link_base("http", "evil.example:81", None, trusted, server=("evil.example", "81")) == "http://192.168.1.5"
    monkeypatch.setattr(addresses, "machine_addresses", lambda: ["127.0.0.1"])
    monkeypatch.setattr(addresses, "lan_addresses", lambda: [])
    assert link_base("http", "evil.example", None, trusted, server=("::", "8000")) == "http://localhost:8000"


def test_the_machine_is_known_by_its_loopback_names_and_addresses():
    names = trusted_hosts()
    assert {"localhost", "127.0.0.1", "::1"} <= names
    assert all(addresses.normalize_host(a) == a for a in addresses.machine_addresses())


# -- the room's phones ----------------------------------------------------------------


def interfaces(monkeypatch, listed, up=None, route=None):
    """Make the operating system list ``listed`` (interface -> addresses), ``up`` of them up, ``route`` the default."""

    def entry(address):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return SimpleNamespace(family=family, address=address)

    up = set(listed) if up is None else set(up)
    monkeypatch.setattr(
        psutil, "net_if_addrs", lambda: {name: [entry(a) for a in found] for name, found in listed.items()}
    )
    monkeypatch.setattr(psutil, "net_if_stats", lambda: {name: SimpleNamespace(isup=name in up) for name in listed})
    monkeypatch.setattr(addresses, "_default_route_interface", lambda: route)


def test_lan_addresses_are_the_ipv4_addresses_phones_can_reach_the_routed_one_first(monkeypatch):
    interfaces(
        monkeypatch,
        {
            "lo": ["127.0.0.1", "::1"],
            "docker0": ["172.17.0.1"],
            "eth0": ["10.0.0.7", "fe80::1%eth0", "fd00::7"],
            "wlan0": ["192.168.1.23", "169.254.3.4"],
            "eth1": ["192.168.9.9"],
        },
        up=["lo", "docker0", "eth0", "wlan0"],
        route="wlan0",
    )
    # Not loopback, not link-local, not IPv6, not on an interface that is down; bridges of containers last.
    assert lan_addresses() == ["192.168.1.23", "10.0.0.7", "172.17.0.1"]
    assert addresses.machine_addresses() == [
        "127.0.0.1",
        "::1",
        "10.0.0.7",
        "169.254.3.4",
        "172.17.0.1",
        "192.168.1.23",
        "fd00::7",
        "fe80::1",
    ]


def test_no_lan_address_when_only_loopback_is_up(monkeypatch):
    interfaces(monkeypatch, {"lo": ["127.0.0.1", "::1"], "wlan0": ["192.168.1.23"]}, up=["lo"], route=None)
    assert lan_addresses() == []


@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "127.0.0.1:5000", "[::1]:5000", "127.0.0.1"])
def test_a_facilitator_on_loopback_gets_links_on_the_lan_address_and_the_servers_port(monkeypatch, host):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: ["192.168.1.23", "10.0.0.7"])
    trusted = trusted_hosts()
    assert link_base("http", host, None, trusted, server=("127.0.0.1", "5000")) == "http://192.168.1.23:5000"
    assert link_base("http", host, None, trusted, server=("localhost", "80")) == "http://192.168.1.23"
    # PUBLIC_URL still wins, and other trusted names are kept.
    assert link_base("http", host, "https://vote.example.org", trusted) == "https://vote.example.org"
    assert (
        link_base("http", "vote.example.org", None, TRUSTED, server=("127.0.0.1", "5000")) == "http://vote.example.org"
    )


def test_without_a_lan_address_loopback_links_stay_and_are_known_to_open_only_here(monkeypatch):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: [])
    base = link_base("http", "127.0.0.1:5000", None, trusted_hosts(), server=("127.0.0.1", "5000"))
    assert base == "http://127.0.0.1:5000" and only_this_machine(base)
    for base in ("http://localhost", "http://[::1]:8000", "http://127.0.0.2"):
        assert only_this_machine(base)
    for base in ("http://192.168.1.23:5000", "https://vote.example.org", "http://myhost.local"):
        assert not only_this_machine(base)
