"""Codes people type or scan: join codes, invitation codes, receipts, share tokens."""

import hashlib
import secrets

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def random_code(length):
    """A random code of ``length`` characters from the unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def grouped(code, size=4):
    """``ABCDEFGH`` as ``ABCD-EFGH``, easier to read and type."""
    return "-".join(code[i:i + size] for i in range(0, len(code), size))


def normalize(typed):
    """What a person typed, as a bare code: upper case, no spaces or dashes."""
    return "".join(c for c in (typed or "").upper() if c.isalnum())[:64]


def share_token():
    """An unguessable token for share links."""
    return secrets.token_urlsafe(16)


def digest(*parts):
    """A one-way digest of ``parts``, to store codes that must not be readable."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
