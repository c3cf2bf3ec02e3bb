"""For tests that start a real server: a free port on 127.0.0.1, and an opener that shows redirects instead of following them."""

import socket
import urllib.request


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand a redirect back to the caller (its status and Location) instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None
