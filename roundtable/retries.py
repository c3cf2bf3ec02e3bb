"""A ballot or a survey response sent again (the Wi-Fi dropped, the phone retried) is counted once.

Each form is rendered with a fresh random *client id*. A retry of the same
submission sends the same id again; a new submission gets a new one. The
store keeps, per survey or per meeting, an unordered *set* of keyed digests
(HMAC with the app's secret) of the ids it has stored, checked and added under
the stream's lock (``store.append(..., once=...)``): never the id itself, and
nothing that shares an id, an order or a position with the response or ballot.
See docs/anonymity.md, "Sent again".
"""

import re
import secrets

from . import codes
from .errors import InvalidInput

CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AlreadyReceived(Exception):
    """Raised when this very submission was stored before: answer as if it had just been, store nothing."""


def new_client_id():
    """A fresh id for one intended submission, put into the form as it is rendered."""
    return secrets.token_urlsafe(16)


def checked(client_id):
    """``client_id`` if well-formed, None if absent (an old page: no protection, as before); else InvalidInput."""
    if client_id is None or client_id == "":
        return None
    if not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id):
        raise InvalidInput("client_id_invalid")
    return client_id


def digest(secret, kind, owner_id, client_id, *content):
    """The keyed digest a submission is remembered by: the id (and ``content``) never lies in the store."""
    if not secret:
        raise ValueError("a client id is kept only as a keyed digest: the secret is needed")
    return codes.keyed_digest(secret, "sent", kind, owner_id, client_id, *content)
