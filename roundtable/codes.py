"""Codes people type or scan: join codes, invitation codes, receipts, share tokens."""

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def random_code(length):
    """A random code of ``length`` characters from the unambiguous alphabet.

    One draw from the system's generator (not one per character): a number
    with 64 bits more than the code needs, whose remainder is therefore
    uniform to within 2**-64.
    """
    number = secrets.randbits(length * 5 + 64) % len(ALPHABET) ** length
    letters = []
    for _ in range(length):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "".join(letters)


def grouped(code, size=4):
    """``ABCDEFGH`` as ``ABCD-EFGH``, easier to read and type."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def normalize(typed):
    """What a person typed, as a bare code: upper case, no spaces or dashes."""
    return "".join(c for c in (typed or "").upper() if c.isalnum())[:64]


def share_token():
    """An unguessable token for share links."""
    return secrets.token_urlsafe(16)


def digest(*parts):
    """A one-way digest of ``parts``, to store codes that must not be readable."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def keyed_digest(secret, *parts):
    """A digest of ``parts`` keyed with ``secret`` (HMAC-SHA-256): without the key nobody can test a guess."""
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    return hmac.new(key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()
