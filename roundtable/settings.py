"""Settings with sane defaults, and the secret key kept in the data directory."""

import os
import secrets

from .accounts import LOGIN_LIMITS
from .store.atomic import fsync_directory
from .surveys import MAX_ANSWER_FIELDS

DEFAULTS = {
    # Breakdowns of fewer than this many responses are withheld.
    "ANONYMITY_K": 3,
    "DEFAULT_LOCALE": "en",
    # Failed logins allowed to one client for one account (in memory; never locks the account).
    # LOGIN_MAX_FAILURES and LOGIN_LOCK_MINUTES, from older versions, are ignored.
    "LOGIN_LIMITS": LOGIN_LIMITS,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # The address links, QR codes and printed sheets start with (addresses.py says what happens without it).
    "PUBLIC_URL": None,
    # Fields one form may send (url-encoded or multipart): the largest survey's
    # answers (every box of every question ticked) and room for the rest.
    "MAX_FORM_PARTS": MAX_ANSWER_FIELDS + 1000,
    # Bytes of one multipart field held in memory (files are not held).
    "MAX_FORM_MEMORY_SIZE": 500_000,
    "SETTINGS_FILE": "settings.toml",
    # Where built static files go (None: the user's cache directory; views/assets.py).
    "STATIC_CACHE_DIR": None,
    # Cookies: never readable by scripts, never sent on cross-site posts.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # A CSRF token lasts as long as the visit: long surveys must not expire.
    "WTF_CSRF_TIME_LIMIT": None,
}

SECRET_KEY_FILE = "secret_key"
SECRET_KEY_MIN = 32  # characters: 128 bits of randomness at least, as 32 hex digits


class SettingsError(ValueError):
    """A setting that Roundtable refuses to start with."""


def secret_key(configured, store, data_dir):
    """The key that signs sessions, CSRF tokens and seats.

    A configured key (``ROUNDTABLE_SECRET_KEY`` or the settings file) must be
    text of at least ``SECRET_KEY_MIN`` characters. Without one, a store that
    servers share keeps the key (every server signs alike); otherwise it is
    generated on first run into the data directory.
    """
    if configured is not None:
        if not isinstance(configured, str) or len(configured.strip()) < SECRET_KEY_MIN:
            shown = "empty" if not str(configured).strip() else f"{len(str(configured).strip())} characters long"
            raise SettingsError(
                f"the secret key (ROUNDTABLE_SECRET_KEY) is {shown}; it must be at least {SECRET_KEY_MIN} "
                'random characters, for example the output of: python -c "import secrets; '
                'print(secrets.token_hex(32))". Or unset it, and Roundtable makes and keeps one.'
            )
        return configured.strip()
    shared = getattr(store, "shared_secret", None)
    return shared() if shared else load_secret_key(data_dir)


def load_secret_key(data_dir):
    """Return the secret key kept in ``data_dir``, creating it on first run.

    The key is written to a temporary file and linked into place, so two
    processes starting at once agree on one key and none reads a partial file.
    """
    path = os.path.join(data_dir, SECRET_KEY_FILE)
    try:
        with open(path, encoding="ascii") as file:
            key = file.read().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    temp = f"{path}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32))
        file.flush()
        os.fsync(file.fileno())
    try:
        os.link(temp, path)
        fsync_directory(data_dir)
    except FileExistsError:
        pass
    finally:
        os.unlink(temp)
    with open(path, encoding="ascii") as file:
        return file.read().strip()
