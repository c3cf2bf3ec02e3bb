"""The address links are built on: the configured public URL, or a host this machine answers to.

Links, QR codes and printed sheets are opened by other people, later, on other
devices. Building them from whatever ``Host`` a request sent would let anyone
who can reach the server (or a proxy that passes any name through) put an
address of their choosing on a page a facilitator prints. So:

1. with ``PUBLIC_URL`` set, every link starts with it;
2. without it, a request's host is used only when it names this machine
   (loopback, its host name, one of its addresses) or a name the operator
   trusts (``SERVER_NAME``, ``TRUSTED_HOSTS``);
3. otherwise links use the address the server listens on, or this machine's
   own address: never the stranger's name.

Finding the machine's addresses sends no packets: Linux lists them under
``/proc/net``; elsewhere a UDP socket is "connected" (which only picks a
route) to learn the address it would send from.
"""

import ipaddress
import re
import socket
from urllib.parse import urlsplit

LOOPBACK = ("localhost", "127.0.0.1", "::1")
# What servers report when they listen on every address.
WILDCARDS = ("", "0.0.0.0", "::")
DEFAULT_PORTS = {"http": 80, "https": 443}
_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$")


class BadPublicUrl(ValueError):
    """``PUBLIC_URL`` is not an address links can start with."""


def public_base(value):
    """``PUBLIC_URL`` as ``scheme://host[:port]``, or None when unset; raises ``BadPublicUrl``."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    example = "for example https://vote.example.org"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        raise BadPublicUrl(f"PUBLIC_URL {value!r} is not a valid address ({error}); {example}") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise BadPublicUrl(f"PUBLIC_URL {value!r} must start with http:// or https://; {example}")
    host = normalize_host(parts.hostname)
    if host is None or parts.username is not None or parts.password is not None:
        raise BadPublicUrl(f"PUBLIC_URL {value!r} must name a host (and no user or password); {example}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.endswith(("?", "#")):
        raise BadPublicUrl(f"PUBLIC_URL {value!r} must be the site's address only: no path, query or fragment; "
                           f"{example}")
    return f"{parts.scheme}://{join_host(host, port, parts.scheme)}"


def normalize_host(name):
    """A host name or address in lower case (IPv6 without brackets), or None if it is neither."""
    name = (name or "").strip().lower().strip("[]")
    if not name:
        return None
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        pass
    return name.rstrip(".") if _NAME.match(name) else None


def split_host(host):
    """``(name, port)`` of a ``Host`` value (``name`` None when it is not a host name or address)."""
    try:
        parts = urlsplit(f"//{host or ''}")
        port = parts.port
    except ValueError:
        return None, None
    if parts.username is not None or parts.path or parts.query or parts.fragment:
        return None, None
    return normalize_host(parts.hostname), port


def join_host(name, port, scheme):
    """``name[:port]`` for a URL, IPv6 in brackets, the scheme's default port left out."""
    shown = f"[{name}]" if ":" in name else name
    return shown if port in (None, DEFAULT_PORTS.get(scheme)) else f"{shown}:{port}"


def machine_names():
    """This machine's names: loopback, its host name (and ``.local``, as mDNS announces it)."""
    names = set(LOOPBACK)
    own = normalize_host(socket.gethostname())
    if own:
        names.update({own, f"{own.split('.')[0]}.local"})
    return names


def machine_addresses():
    """This machine's IP addresses, loopback first, found without sending a packet."""
    found = list(_proc_addresses())
    if not any(not ipaddress.ip_address(a).is_loopback for a in found):
        found += _routed_addresses()
    return sorted(set(found), key=lambda a: (not ipaddress.ip_address(a).is_loopback, ":" in a, a))


def _proc_addresses():
    try:
        with open("/proc/net/fib_trie", encoding="ascii") as file:
            lines = file.read().splitlines()
    except OSError:
        lines = []
    # "|-- 192.168.1.5" followed by "/32 host LOCAL": an address of this machine.
    for previous, line in zip(lines, lines[1:]):
        if "/32 host LOCAL" in line and "-- " in previous:
            yield previous.rsplit("-- ", 1)[1].strip()
    try:
        with open("/proc/net/if_inet6", encoding="ascii") as file:
            for line in file:
                packed = line.split()[0] if line.split() else ""
                if len(packed) == 32:
                    yield str(ipaddress.IPv6Address(bytes.fromhex(packed)))
    except (OSError, ValueError):
        pass


def _routed_addresses():
    found = []
    # Documentation addresses (RFC 5737, RFC 3849): connecting a UDP socket sends nothing.
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                found.append(normalize_host(probe.getsockname()[0]))
        except OSError:
            pass
    return [a for a in found if a]


def _matches(name, trusted):
    # As Flask's TRUSTED_HOSTS: ".example.org" stands for example.org and its subdomains.
    for entry in trusted:
        if entry.startswith("."):
            if name == entry[1:] or name.endswith(entry):
                return True
        elif name == entry:
            return True
    return False


def trusted_hosts(extra=()):
    """Names a request's host may carry for links to use it: this machine's, plus ``extra`` (``.name`` for subdomains)."""
    names = machine_names() | set(machine_addresses())
    for entry in extra or ():
        entry = str(entry).strip().lower()
        name, _port = split_host(entry.lstrip("."))
        if name:
            names.add(f".{name}" if entry.startswith(".") else name)
    return names


def link_base(scheme, host, public_url=None, trusted=(), server=(None, None)):
    """The ``scheme://host[:port]`` links start with, by the rules in this module's docstring.

    ``host`` is the request's ``Host``; ``server`` the (name, port) the server
    says it listens on, trusted only when it is a wildcard or a trusted name
    (servers on a Unix socket copy the request's ``Host`` there).
    """
    if public_url:
        return public_url
    scheme = scheme if scheme in DEFAULT_PORTS else "http"
    name, port = split_host(host)
    if name and _matches(name, trusted):
        return f"{scheme}://{join_host(name, port, scheme)}"
    outward = [a for a in machine_addresses()
               if not (ipaddress.ip_address(a).is_loopback or ipaddress.ip_address(a).is_link_local)]
    outward = outward[0] if outward else "localhost"
    name = normalize_host(server[0]) or ""
    port = int(server[1]) if str(server[1] or "").isdigit() and 0 < int(server[1]) < 65536 else None
    if name in WILDCARDS:
        name = outward  # listening on every address: this machine's own, on that port
    elif not _matches(name, trusted):
        name, port = outward, None
    return f"{scheme}://{join_host(name, port, scheme)}"
