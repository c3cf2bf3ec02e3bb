"""Links for other people to open (share pages, QR codes, invitation sheets, the meeting screen)."""

from flask import current_app, g, request, url_for

from roundtable import addresses


def _base():
    config = current_app.config
    extra = [config.get("SERVER_NAME") or ""] + list(config.get("TRUSTED_HOSTS") or ())
    return addresses.link_base(
        request.scheme,
        request.host,
        public_url=config.get("PUBLIC_URL"),
        trusted=addresses.trusted_hosts(extra),
        server=(request.environ.get("SERVER_NAME"), request.environ.get("SERVER_PORT")),
    )


def public_url(endpoint, **values):
    """The full address of ``endpoint``, on ``PUBLIC_URL`` or a host this server may trust (never a stranger's)."""
    # Once per request: an invitation sheet builds hundreds of links, and the rule reads the machine's addresses.
    if "link_base" not in g:
        g.link_base = _base()
        # base.html warns on the page: these links would open only on this computer, not on a phone.
        g.links_unreachable = not current_app.config.get("PUBLIC_URL") and addresses.only_this_machine(g.link_base)
    return g.link_base + url_for(endpoint, **values)
