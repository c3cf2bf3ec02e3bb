"""Links for other people to open (share pages, QR codes, invitation sheets, the meeting screen)."""

from flask import current_app, request, url_for

from roundtable import addresses


def public_url(endpoint, **values):
    """The full address of ``endpoint``, on ``PUBLIC_URL`` or a host this server may trust (never a stranger's)."""
    config = current_app.config
    extra = [config.get("SERVER_NAME") or ""] + list(config.get("TRUSTED_HOSTS") or ())
    base = addresses.link_base(
        request.scheme, request.host, public_url=config.get("PUBLIC_URL"),
        trusted=addresses.trusted_hosts(extra),
        server=(request.environ.get("SERVER_NAME"), request.environ.get("SERVER_PORT")),
    )
    return base + url_for(endpoint, **values)
