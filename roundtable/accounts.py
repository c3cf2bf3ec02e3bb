"""Staff accounts: administrators, facilitators and leaders. Participants have none."""

import collections
import dataclasses
import hashlib
import hmac
import re
import threading

from werkzeug.security import check_password_hash, generate_password_hash

from .errors import InvalidInput

ROLES = ("admin", "facilitator", "leader")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 200
TABLE = "accounts"
# Failed logins allowed to one client for one account, in growing windows: a
# stranger typing passwords waits a minute, then an hour, then a day, while the
# account's owner, from any other client, logs in as usual. Flask-Limiter's
# rate-limit notation; kept in memory only (setting LOGIN_LIMITS).
LOGIN_LIMITS = "5 per minute; 20 per hour; 100 per day"

# What each role may do; an administrator may do everything.
PERMISSIONS = {
    "admin": {"manage_accounts", "manage_roster", "facilitate", "read_dashboards"},
    "facilitator": {"facilitate", "read_dashboards"},
    "leader": {"read_dashboards"},
}


@dataclasses.dataclass(frozen=True)
class Account:
    """A staff member's account (never a participant's)."""

    id: str
    username: str
    role: str
    active: bool
    auth_version: int

    def can(self, permission):
        """Whether this account's role grants ``permission``."""
        return self.active and permission in PERMISSIONS[self.role]


class FailedLogins:
    """Wrong passwords typed for each account since its last login, counted in this process's memory only.

    Never stored, so a stranger's guesses cannot grow the store; only accounts
    that exist are counted, so they cannot grow this either. Each worker
    process keeps its own count, which a restart forgets.
    """

    def __init__(self):
        self._counts = collections.Counter()
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._counts)

    def add(self, account_id):
        """Count one wrong password for the account."""
        with self._lock:
            self._counts[account_id] += 1

    def take(self, account_id):
        """How many wrong passwords were typed for the account since the last take; starts again at 0."""
        with self._lock:
            return self._counts.pop(account_id, 0)


def _username_key(username):
    return (username or "").strip().casefold()[:80]


def throttle_key(secret, username, client):
    """Return the key that throttles logins to one account from one client: a keyed digest, never the address."""
    message = f"{_username_key(username)}\0{client or ''}".encode()
    return hmac.new(secret.encode() if isinstance(secret, str) else secret, message, hashlib.sha256).hexdigest()


def _account(doc):
    return Account(doc["id"], doc["username"], doc["role"], doc["active"], doc["auth_version"])


def _check_username(username):
    if not USERNAME.match(username or ""):
        raise InvalidInput("username_format", "username")


def check_password(password):
    """Refuse passwords too short or too long."""
    if len(password or "") < PASSWORD_MIN:
        raise InvalidInput("password_short", "password", min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("password_long", "password", max=PASSWORD_MAX)


def _check_role(role):
    if role not in ROLES:
        raise InvalidInput("role_unknown", "role")


def _username_taken(tx, username):
    key = username.casefold()
    return any(doc["username"].casefold() == key for doc in tx.all(TABLE))


def has_accounts(store):
    """Whether any staff account exists (else the first visit offers setup)."""
    return bool(store.all(TABLE))


def list_accounts(store):
    """Every account, by username."""
    return sorted((_account(d) for d in store.all(TABLE)), key=lambda a: a.username.casefold())


def get_account(store, account_id):
    """The account with this id, or None."""
    doc = store.get(TABLE, account_id)
    return _account(doc) if doc else None


def create_account(store, username, password, role, first=False):
    """Create an account; with ``first``, only while no account exists (setup)."""
    username = (username or "").strip()
    _check_username(username)
    check_password(password)
    _check_role(role)
    with store.transaction() as tx:
        if first and tx.all(TABLE):
            raise InvalidInput("setup_done")
        if _username_taken(tx, username):
            raise InvalidInput("username_taken", "username")
        doc = tx.insert(
            TABLE,
            {
                "username": username,
                "password_hash": generate_password_hash(password),
                "role": role,
                "active": True,
                "auth_version": 1,
            },
        )
    return _account(doc)


def authenticate(store, username, password, failed=None):
    """The active account these credentials open, or None.

    A wrong password for an existing account is counted in ``failed`` (a
    ``FailedLogins``), so its owner can be told; the account is never locked.
    """
    key = _username_key(username)
    doc = next((d for d in store.all(TABLE) if d["username"].casefold() == key), None)
    if doc is None:
        # Spend the same time as a real check, so timing does not reveal usernames.
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if doc["active"] and check_password_hash(doc["password_hash"], password or ""):
        return _account(doc)
    if failed is not None:
        failed.add(doc["id"])
    return None


_DUMMY_HASH = generate_password_hash("not a real password")


def load_session_account(store, session_id):
    """The active account for a login session id ``<account id>.<auth version>``, or None."""
    account_id, _, version = (session_id or "").partition(".")
    account = get_account(store, account_id)
    if account and account.active and str(account.auth_version) == version:
        return account
    return None


def session_id(account):
    """The id a login session keeps; it stops working when the password changes or the account is disabled."""
    return f"{account.id}.{account.auth_version}"


def change_password(store, account_id, current, new):
    """Change a password after checking the current one; ends other sessions."""
    check_password(new)
    with store.transaction() as tx:
        doc = tx.get(TABLE, account_id)
        if not doc or not check_password_hash(doc["password_hash"], current or ""):
            raise InvalidInput("password_wrong", "current")
        doc = tx.update(
            TABLE,
            account_id,
            {
                "password_hash": generate_password_hash(new),
                "auth_version": doc["auth_version"] + 1,
            },
        )
    return _account(doc)


def update_account(store, account_id, role, active, acting_id):
    """Change an account's role and active flag; nobody can lock themselves out."""
    _check_role(role)
    with store.transaction() as tx:
        doc = tx.get(TABLE, account_id)
        if not doc:
            raise InvalidInput("account_unknown")
        if account_id == acting_id and (role != "admin" or not active):
            raise InvalidInput("account_self_demote")
        changes = {"role": role, "active": bool(active)}
        if doc["active"] and not active:
            changes["auth_version"] = doc["auth_version"] + 1
        doc = tx.update(TABLE, account_id, changes)
    return _account(doc)
