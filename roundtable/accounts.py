"""Staff accounts: administrators, facilitators and leaders. Participants have none."""

import dataclasses
import datetime
import math
import re

from werkzeug.security import check_password_hash, generate_password_hash

from .errors import InvalidInput

ROLES = ("admin", "facilitator", "leader")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 200
TABLE, FAILURES = "accounts", "login_failures"

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


class LoginThrottled(Exception):
    """Too many failed logins for this account; try again later."""

    def __init__(self, minutes):
        super().__init__(minutes)
        self.minutes = minutes


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
        doc = tx.insert(TABLE, {
            "username": username,
            "password_hash": generate_password_hash(password),
            "role": role,
            "active": True,
            "auth_version": 1,
        })
    return _account(doc)


def authenticate(store, username, password, now, max_failures=5, lock_minutes=15):
    """The active account these credentials open, or None; raises LoginThrottled.

    Failures are counted per username (existing or not) in the store, so the
    limit holds across worker processes.
    """
    key = (username or "").strip().casefold()[:80]
    window = datetime.timedelta(minutes=lock_minutes)
    failures = [d for d in store.find(FAILURES, username=key)
                if now - datetime.datetime.fromisoformat(d["at"]) < window]
    if len(failures) >= max_failures:
        oldest = min(datetime.datetime.fromisoformat(d["at"]) for d in failures)
        remaining = window - (now - oldest)
        raise LoginThrottled(max(1, math.ceil(remaining.total_seconds() / 60)))
    doc = next((d for d in store.all(TABLE) if d["username"].casefold() == key), None)
    if doc and doc["active"] and check_password_hash(doc["password_hash"], password or ""):
        if failures:
            with store.transaction() as tx:
                for failure in tx.find(FAILURES, username=key):
                    tx.remove(FAILURES, failure["id"])
        return _account(doc)
    if doc is None:
        # Spend the same time as a real check, so timing does not reveal usernames.
        check_password_hash(_DUMMY_HASH, password or "")
    with store.transaction() as tx:
        for old in tx.find(FAILURES, username=key):
            if now - datetime.datetime.fromisoformat(old["at"]) >= window:
                tx.remove(FAILURES, old["id"])
        tx.insert(FAILURES, {"username": key, "at": now.isoformat()})
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
        doc = tx.update(TABLE, account_id, {
            "password_hash": generate_password_hash(new),
            "auth_version": doc["auth_version"] + 1,
        })
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
