"""The address links are built on: the configured public URL, or a host this machine answers to.

Links, QR codes and printed sheets are opened by other people, later, on other
devices. Building them from whatever ``Host`` a request sent would let anyone
who can reach the server (or a proxy that passes any name through) put an
address of their choosing on a page a facilitator prints. So:

1. with ``PUBLIC_URL`` set, every link starts with it;
2. without it, a request's host is used only when it names this machine
   (loopback, its host name, one of its addresses) or a name the operator
   trusts (``SERVER_NAME``, ``TRUSTED_HOSTS``); but a loopback host
   (``localhost``, ``127.0.0.1``, ``::1``: the facilitator at the laptop
   itself) is replaced by the laptop's LAN address, on the server's port, so
   that phones in the room can open the link;
3. otherwise links use the address the server listens on, or this machine's
   own address: never the stranger's name.

Finding the machine's addresses sends no packet: the operating system lists
its interfaces' addresses (``psutil.net_if_addrs``). ``lan_addresses`` is the
one place that says which of them phones can reach.
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
        raise BadPublicUrl(
            f"PUBLIC_URL {value!r} must be the site's address only: no path, query or fragment; {example}"
        )
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
    """The IP addresses of this machine, loopback first, read from its network interfaces (no packet is sent)."""
    found = {address for _interface, address in _interface_addresses()}
    return sorted(found, key=lambda a: (not ipaddress.ip_address(a).is_loopback, ":" in a, a))


def lan_addresses():
    """The addresses phones on this machine's network can open: IPv4, neither loopback nor link-local.

    The one source of "this machine's LAN addresses", for ``flask serve`` and
    for links. The interface that carries the default route comes first, then
    the others by name, virtual bridges (containers, VMs, VPNs) last.
    """
    route = _default_route_interface()
    found = {}
    for interface, address in _interface_addresses():
        ip = ipaddress.ip_address(address)
        if ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
            found.setdefault(address, interface)
    return sorted(
        found, key=lambda a: (found[a] != route, found[a].startswith(_VIRTUAL), found[a], ipaddress.ip_address(a))
    )


# Interfaces that are usually a container, VM or VPN bridge: a phone in the room cannot reach these.
_VIRTUAL = (
    "docker",
    "br-",
    "virbr",
    "veth",
    "vmnet",
    "vboxnet",
    "lxc",
    "lxd",
    "cni",
    "flannel",
    "podman",
    "tun",
    "tap",
    "utun",
    "wg",
    "tailscale",
    "zt",
)


def _interface_addresses():
    """(interface, address) for each address of each interface that is up, as the operating system lists them."""
    import psutil  # imported here: reading the interfaces is the only use

    try:
        up = {name for name, stats in psutil.net_if_stats().items() if stats.isup}
        listed = psutil.net_if_addrs()
    except OSError:
        return []
    found = []
    for interface, entries in listed.items():
        if interface not in up:
            continue
        for entry in entries:
            if entry.family in (socket.AF_INET, socket.AF_INET6):
                # A link-local IPv6 address comes with its zone ("fe80::1%eth0").
                address = normalize_host(entry.address.split("%", 1)[0])
                if address:
                    found.append((interface, address))
    return found


def _default_route_interface():
    """The interface of the IPv4 default route (Linux's routing table), or None."""
    try:
        with open("/proc/net/route", encoding="ascii") as file:
            for line in file.read().splitlines()[1:]:
                fields = line.split()
                if len(fields) > 7 and fields[1] == "00000000" and fields[7] == "00000000":
                    return fields[0]
    except OSError:
        pass
    return None


def only_this_machine(base):
    """Whether links starting with ``base`` open only on this machine (a loopback host): no phone can follow them."""
    name, _port = split_host(urlsplit(base or "").netloc)
    return name is None or is_loopback(name)


def is_loopback(name):
    """Whether a host name or address names this machine's loopback (``localhost``, 127.0.0.0/8, ``::1``)."""
    if name in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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
    """Names a request's host may carry for links to use it.

    This machine's, plus ``extra`` (``.name`` for subdomains).
    """
    names = machine_names() | set(machine_addresses())
    for entry in extra or ():
        entry = str(entry).strip().lower()
        name, _port = split_host(entry.lstrip("."))
        if name:
            names.add(f".{name}" if entry.startswith(".") else name)
    return names


def link_base(scheme, host, public_url=None, trusted=(), server=(None, None), lan=None):
    """The ``scheme://host[:port]`` links start with, by the rules in this module's docstring.

    ``host`` is the request's ``Host``; ``server`` the (name, port) the server
    says it listens on, trusted only when it is a wildcard or a trusted name
    (servers on a Unix socket copy the request's ``Host`` there); ``lan`` this
    machine's LAN addresses (``lan_addresses()`` when None).
    """
    if public_url:
        return public_url
    scheme = scheme if scheme in DEFAULT_PORTS else "http"
    lan = lan_addresses() if lan is None else list(lan)
    name, port = split_host(host)
    server_port = int(server[1]) if str(server[1] or "").isdigit() and 0 < int(server[1]) < 65536 else None
    if name and _matches(name, trusted):
        if is_loopback(name) and lan:
            # The facilitator is on the laptop itself: phones open its LAN address, on the port the server uses.
            return f"{scheme}://{join_host(lan[0], server_port or port, scheme)}"
        return f"{scheme}://{join_host(name, port, scheme)}"
    outward = lan[0] if lan else "localhost"
    name = normalize_host(server[0]) or ""
    port = server_port
    if name in WILDCARDS:
        name = outward  # listening on every address: this machine's own, on that port
    elif not _matches(name, trusted):
        name, port = outward, None
    return f"{scheme}://{join_host(name, port, scheme)}"
