"""Staff accounts in the domain: creation, authentication, failed logins, sessions, roles."""

import pytest

from roundtable import accounts

from .conftest import refused

PASSWORD = "correct horse battery"


# -- creation ------------------------------------------------------------------


def test_create_account_stores_a_hash_not_the_password(store):
    account = accounts.create_account(store, "  maria.lopez ", PASSWORD, "facilitator")
    assert account.username == "maria.lopez"
    assert account.role == "facilitator"
    assert account.active is True
    assert account.auth_version == 1
    (doc,) = store.all(accounts.TABLE)
    assert doc["id"] == account.id
    assert doc["username"] == "maria.lopez"
    assert PASSWORD not in repr(doc)
    assert doc["password_hash"] != PASSWORD
    assert accounts.get_account(store, account.id) == account
    assert accounts.has_accounts(store)


def test_no_accounts_at_first(store):
    assert not accounts.has_accounts(store)
    assert accounts.list_accounts(store) == []
    assert accounts.get_account(store, "nope") is None


def test_list_accounts_sorted_case_insensitively(store):
    for name in ("zoe", "Adam", "bea"):
        accounts.create_account(store, name, PASSWORD, "leader")
    assert [a.username for a in accounts.list_accounts(store)] == ["Adam", "bea", "zoe"]


@pytest.mark.parametrize("second", ["maria", "MARIA", "Maria", " maria "])
def test_duplicate_usernames_refused_case_insensitively(store, second):
    accounts.create_account(store, "maria", PASSWORD, "leader")
    error = refused("username_taken", accounts.create_account, store, second, PASSWORD, "admin")
    assert error.field == "username"
    assert len(store.all(accounts.TABLE)) == 1


@pytest.mark.parametrize(
    "username",
    [
        "",
        None,
        "ab",
        "a" * 41,
        "-maria",
        ".maria",
        "_maria",
        "maria lopez",
        "maría",
        "maria@example.org",
        "ma/ria",
        "x" * 10_000,
    ],
)
def test_bad_usernames_refused(store, username):
    error = refused("username_format", accounts.create_account, store, username, PASSWORD, "leader")
    assert error.field == "username"
    assert store.all(accounts.TABLE) == []


@pytest.mark.parametrize("username", ["abc", "a" * 40, "Maria_L-2.0", "9lives"])
def test_good_usernames_accepted(store, username):
    assert accounts.create_account(store, username, PASSWORD, "leader").username == username


@pytest.mark.parametrize(
    "password, code",
    [
        ("", "password_short"),
        (None, "password_short"),
        ("123456789", "password_short"),
        ("x" * 201, "password_long"),
        ("x" * 10_000, "password_long"),
    ],
)
def test_bad_passwords_refused(store, password, code):
    error = refused(code, accounts.create_account, store, "maria", password, "leader")
    assert error.field == "password"
    assert store.all(accounts.TABLE) == []


@pytest.mark.parametrize("password", ["x" * 10, "x" * 200, "ünïcödé 密码 كلمة"])
def test_password_length_limits_accepted(store, password):
    account = accounts.create_account(store, "maria", password, "leader")
    assert accounts.authenticate(store, "maria", password) == account


@pytest.mark.parametrize("role", ["superuser", "", None, "Admin", "participant"])
def test_unknown_role_refused(store, role):
    error = refused("role_unknown", accounts.create_account, store, "maria", PASSWORD, role)
    assert error.field == "role"
    assert store.all(accounts.TABLE) == []


def test_first_admin_only_once(store):
    first = accounts.create_account(store, "admin", PASSWORD, "admin", first=True)
    assert first.role == "admin"
    refused("setup_done", accounts.create_account, store, "other", PASSWORD, "admin", first=True)
    assert [d["username"] for d in store.all(accounts.TABLE)] == ["admin"]
    # Later accounts are made without ``first``.
    accounts.create_account(store, "other", PASSWORD, "leader")
    assert len(store.all(accounts.TABLE)) == 2


# -- permissions -----------------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("admin", {"manage_accounts", "manage_roster", "facilitate", "read_dashboards"}),
        ("facilitator", {"facilitate", "read_dashboards"}),
        ("leader", {"read_dashboards"}),
    ],
)
def test_role_permissions(store, role, allowed):
    account = accounts.create_account(store, "maria", PASSWORD, role)
    for permission in ("manage_accounts", "manage_roster", "facilitate", "read_dashboards"):
        assert account.can(permission) == (permission in allowed)


def test_disabled_account_can_nothing(store):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    other = accounts.create_account(store, "boss", PASSWORD, "admin")
    disabled = accounts.update_account(store, other.id, "admin", False, acting_id=admin.id)
    assert not disabled.can("read_dashboards")


# -- authentication and failed logins ----------------------------------------------


def test_authenticate_good_and_bad(store):
    account = accounts.create_account(store, "Maria", PASSWORD, "leader")
    assert accounts.authenticate(store, "Maria", PASSWORD) == account
    assert accounts.authenticate(store, " maria ", PASSWORD) == account
    assert accounts.authenticate(store, "maria", "wrong password") is None
    assert accounts.authenticate(store, "nobody", PASSWORD) is None
    assert accounts.authenticate(store, "", "") is None
    assert accounts.authenticate(store, None, None) is None


def test_failed_logins_are_counted_in_memory_and_never_stored(store):
    maria = accounts.create_account(store, "maria", PASSWORD, "leader")
    failed = accounts.FailedLogins()
    version = store.version()
    for _ in range(200):
        assert accounts.authenticate(store, "MARIA", "wrong password", failed) is None
        assert accounts.authenticate(store, "ghost", "wrong password", failed) is None
    assert [doc["username"] for doc in store.all(accounts.TABLE)] == ["maria"]
    assert store.version() == version
    # Only accounts that exist are counted, so strangers' guesses cannot grow the count's memory.
    assert failed.take(maria.id) == 200 and failed.take(maria.id) == 0
    assert len(failed) == 0


def test_the_right_password_works_whatever_failed_before(store):
    maria = accounts.create_account(store, "maria", PASSWORD, "leader")
    failed = accounts.FailedLogins()
    for _ in range(50):
        accounts.authenticate(store, "maria", "wrong password", failed)
    # The account itself is never locked: throttling is by account and client, in the web layer.
    assert accounts.authenticate(store, "maria", PASSWORD, failed) == maria
    assert failed.take(maria.id) == 50


def test_the_throttle_key_hides_the_client_and_tells_apart_accounts_and_clients():
    key = accounts.throttle_key("secret", " Maria ", "203.0.113.7")
    assert "203.0.113.7" not in key and "maria" not in key.casefold()
    assert key == accounts.throttle_key("secret", "maria", "203.0.113.7")
    assert key != accounts.throttle_key("secret", "maria", "198.51.100.2")
    assert key != accounts.throttle_key("secret", "ada", "203.0.113.7")
    assert key != accounts.throttle_key("another install", "maria", "203.0.113.7")


def test_disabled_account_cannot_authenticate(store):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    other = accounts.create_account(store, "maria", PASSWORD, "leader")
    accounts.update_account(store, other.id, "leader", False, acting_id=admin.id)
    assert accounts.authenticate(store, "maria", PASSWORD) is None


# -- sessions --------------------------------------------------------------------


def test_session_id_loads_the_account(store):
    account = accounts.create_account(store, "maria", PASSWORD, "leader")
    sid = accounts.session_id(account)
    assert sid == f"{account.id}.1"
    assert accounts.load_session_account(store, sid) == account


@pytest.mark.parametrize("sid", [None, "", "nope", "nope.1", "{id}", "{id}.", "{id}.2", "{id}.0"])
def test_bad_session_ids(store, sid):
    account = accounts.create_account(store, "maria", PASSWORD, "leader")
    if sid:
        sid = sid.format(id=account.id)
    assert accounts.load_session_account(store, sid) is None


def test_password_change_invalidates_old_sessions(store):
    account = accounts.create_account(store, "maria", PASSWORD, "leader")
    old = accounts.session_id(account)
    changed = accounts.change_password(store, account.id, PASSWORD, "a brand new password")
    assert changed.auth_version == 2
    assert accounts.load_session_account(store, old) is None
    assert accounts.load_session_account(store, accounts.session_id(changed)) == changed
    assert accounts.authenticate(store, "maria", PASSWORD) is None
    assert accounts.authenticate(store, "maria", "a brand new password") == changed


def test_password_change_needs_the_current_password(store):
    account = accounts.create_account(store, "maria", PASSWORD, "leader")
    before = store.all(accounts.TABLE)
    error = refused("password_wrong", accounts.change_password, store, account.id, "not it at all", "new password 1")
    assert error.field == "current"
    refused("password_wrong", accounts.change_password, store, "no-such-id", PASSWORD, "new password 1")
    refused("password_short", accounts.change_password, store, account.id, PASSWORD, "short")
    refused("password_long", accounts.change_password, store, account.id, PASSWORD, "x" * 201)
    assert store.all(accounts.TABLE) == before


def test_disabling_invalidates_sessions_and_reenabling_keeps_them_dead(store):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    other = accounts.create_account(store, "maria", PASSWORD, "leader")
    old = accounts.session_id(other)
    disabled = accounts.update_account(store, other.id, "leader", False, acting_id=admin.id)
    assert disabled.active is False
    assert disabled.auth_version == 2
    assert accounts.load_session_account(store, old) is None
    assert accounts.load_session_account(store, accounts.session_id(disabled)) is None
    enabled = accounts.update_account(store, other.id, "leader", True, acting_id=admin.id)
    assert enabled.active is True
    assert accounts.load_session_account(store, old) is None
    assert accounts.load_session_account(store, accounts.session_id(enabled)) == enabled


def test_role_change_keeps_sessions(store):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    other = accounts.create_account(store, "maria", PASSWORD, "leader")
    promoted = accounts.update_account(store, other.id, "facilitator", True, acting_id=admin.id)
    assert promoted.role == "facilitator"
    assert accounts.load_session_account(store, accounts.session_id(other)) == promoted


# -- update_account --------------------------------------------------------------


@pytest.mark.parametrize("role, active", [("facilitator", True), ("leader", True), ("admin", False), ("leader", False)])
def test_update_account_refuses_self_demotion(store, role, active):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    before = store.all(accounts.TABLE)
    refused("account_self_demote", accounts.update_account, store, admin.id, role, active, acting_id=admin.id)
    assert store.all(accounts.TABLE) == before


def test_update_account_self_without_change_is_fine(store):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    assert accounts.update_account(store, admin.id, "admin", True, acting_id=admin.id) == admin


def test_another_admin_may_demote_an_admin(store):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    other = accounts.create_account(store, "boss", PASSWORD, "admin")
    assert accounts.update_account(store, admin.id, "leader", True, acting_id=other.id).role == "leader"


def test_update_account_refuses_unknown_role_and_account(store):
    admin = accounts.create_account(store, "admin", PASSWORD, "admin")
    other = accounts.create_account(store, "maria", PASSWORD, "leader")
    before = store.all(accounts.TABLE)
    refused("role_unknown", accounts.update_account, store, other.id, "superuser", True, acting_id=admin.id)
    refused("account_unknown", accounts.update_account, store, "no-such-id", "leader", True, acting_id=admin.id)
    assert store.all(accounts.TABLE) == before
