"""The web interface: setup, logins, roles, roster forms, languages, CSRF, CLI (headers: test_security_headers.py)."""

import html
import io
import math
import os
import re
import time

import pytest
from flask_babel import force_locale, ngettext

from app import create_app
from roundtable import accounts, partners, surveys

from .conftest import PASSWORD, csrf_token, data_files


def text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


def log_in(client, username, password=PASSWORD, path="/login"):
    """Post the login form from ``client``; return the response."""
    token = csrf_token(client, "/login")
    return client.post(path, data={"csrf_token": token, "username": username, "password": password})


def store_of(app):
    """The app's store."""
    return app.config["STORE"]


def is_login_redirect(response):
    """Whether ``response`` sends the visitor to the login page."""
    return response.status_code == 302 and response.location.startswith("/login")


# -- setup -----------------------------------------------------------------------


def test_fresh_install_redirects_to_setup(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location == "/setup"
    assert client.get("/login").location == "/setup"
    page = client.get("/setup")
    assert page.status_code == 200
    assert "Create the first administrator account" in text(page)


def test_setup_creates_the_admin_and_logs_in(app, client):
    token = csrf_token(client, "/setup")
    response = client.post(
        "/setup", data={"csrf_token": token, "username": "Ada", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 303
    assert response.location == "/partners/"
    (account,) = accounts.list_accounts(store_of(app))
    assert (account.username, account.role, account.active) == ("Ada", "admin", True)
    roster = client.get("/partners/")
    assert roster.status_code == 200
    assert "Welcome! Your administrator account is ready." in text(roster)
    assert "Your account (<bdi>Ada</bdi>)" in text(roster)
    # Setup is gone once an account exists, for visitors and staff alike.
    assert client.get("/setup").status_code == 404
    assert app.test_client().get("/setup").status_code == 404
    assert app.test_client().post(
        "/setup", data={"username": "evil", "password": PASSWORD, "confirm": PASSWORD}
    ).status_code in (400, 404)
    assert len(store_of(app).all("accounts")) == 1
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, <bdi>Ada</bdi>" in text(home)


def test_setup_post_after_setup_is_404_even_with_a_token(app, client):
    token = csrf_token(client, "/setup")
    accounts.create_account(store_of(app), "first", PASSWORD, "admin")
    response = client.post(
        "/setup", data={"csrf_token": token, "username": "second", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 404
    assert [a.username for a in accounts.list_accounts(store_of(app))] == ["first"]


# -- login, logout, sessions -----------------------------------------------------


def test_login_and_logout(app, client, staff):
    staff.create("maria", "facilitator")
    assert "Staff login" in text(client.get("/login"))
    response = log_in(client, "maria")
    assert response.status_code == 303
    assert response.location == "/"
    assert "Welcome, <bdi>maria</bdi>" in text(client.get("/"))
    # Logging out needs a POST with the CSRF token.
    assert client.get("/logout").status_code == 405
    assert client.get("/partners/").status_code == 200
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert is_login_redirect(client.get("/partners/"))
    assert "Welcome, <bdi>maria</bdi>" not in text(client.get("/"))


def test_logout_without_token_keeps_the_session(client, staff):
    staff.login("maria", "facilitator")
    response = client.post("/logout")
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    assert client.get("/partners/").status_code == 200


def test_login_is_case_insensitive_on_the_username(client, staff):
    staff.create("Maria", "leader")
    assert log_in(client, "MARIA").status_code == 303
    assert "Welcome, <bdi>Maria</bdi>" in text(client.get("/"))


@pytest.mark.parametrize(
    "username, password",
    [
        ("maria", "wrong password!"),
        ("nobody", PASSWORD),
        ("maria", PASSWORD.upper()),
    ],
)
def test_wrong_credentials_get_400_with_a_message(client, staff, username, password):
    staff.create("maria", "leader")
    response = log_in(client, username, password)
    assert response.status_code == 400
    assert "The username or password is not correct." in text(response)
    assert is_login_redirect(client.get("/partners/"))


def test_disabled_account_cannot_log_in(app, client, staff):
    admin = staff.create("admin", "admin")
    other = staff.create("maria", "leader")
    accounts.update_account(store_of(app), other.id, "leader", False, acting_id=admin.id)
    response = log_in(client, "maria")
    assert response.status_code == 400
    assert "The username or password is not correct." in text(response)


STRANGER, OWNER = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.2"}


def client_at(app, address):
    """A test client whose requests come from ``address`` (a dict for ``environ_base``)."""
    client = app.test_client()
    client.environ_base.update(address)
    return client


class Clock:
    """time.time() moved forward at will: the limiter's windows pass without waiting."""

    def __init__(self, monkeypatch):
        self.offset, real = 0.0, time.time
        monkeypatch.setattr(time, "time", lambda: real() + self.offset)


def retry_after(response):
    assert response.status_code == 429, response.status_code
    return int(response.headers["Retry-After"])


def test_a_stranger_hammering_the_admin_never_locks_the_owner_out(app, staff):
    staff.create("ada", "admin")
    stranger = client_at(app, STRANGER)
    statuses = [log_in(stranger, "ada", f"wrong guess {n}").status_code for n in range(30)]
    assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}
    # The stranger, even with the right password, waits.
    assert log_in(stranger, "ada").status_code == 429
    # The owner, from another client, logs in at once, and is told about the five wrong passwords checked.
    owner = client_at(app, OWNER)
    response = log_in(owner, "ada")
    assert response.status_code == 303
    assert "5 failed attempts to log in to your account since your last visit." in text(owner.get("/"))
    # Told once: the next login starts from nothing.
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/")})
    assert log_in(owner, "ada").status_code == 303
    assert "since your last visit" not in text(owner.get("/"))


def test_a_throttled_login_says_how_long_to_wait_and_the_wait_grows(app, staff, monkeypatch):
    clock = Clock(monkeypatch)
    staff.create("maria", "leader")
    stranger = client_at(app, STRANGER)
    stranger.set_cookie("lang", "es")
    waits = []
    for _minute in range(4):
        for _attempt in range(5):
            assert log_in(stranger, "maria", "wrong password!").status_code == 400
        response = log_in(stranger, "maria", "wrong password!")
        waits.append(retry_after(response))
        clock.offset += waits[-1] + 1
    # Five wrong passwords: a minute at most; twenty within the hour: the rest of the hour.
    assert all(0 < wait <= 61 for wait in waits[:3]), waits  # a second for rounding
    assert 60 * 50 < waits[3] <= 3600, waits
    with app.test_request_context(), force_locale("es"):
        told = ngettext(
            "Too many failed attempts. Please try again in %(num)d minute.",
            "Too many failed attempts. Please try again in %(num)d minutes.",
            math.ceil(waits[3] / 60),
        )
    assert told in text(response)
    assert 'name="username"' in text(response)  # the form is there to try again later


def test_failed_logins_leave_the_data_folder_as_it_was(app, staff):
    staff.create("maria", "leader")
    before = sorted(data_files(app))
    stranger = client_at(app, STRANGER)
    for n in range(200):
        assert log_in(stranger, "maria" if n % 2 else "ghost", "wrong password!").status_code in (400, 429)
    assert sorted(data_files(app)) == before


def test_unknown_usernames_are_throttled_like_real_ones(app, staff):
    staff.create("maria", "leader")
    stranger = client_at(app, STRANGER)
    statuses = [log_in(stranger, "ghost", "wrong password!").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]


def test_the_login_limits_are_a_setting(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True, "LOGIN_LIMITS": "2 per hour"})
    accounts.create_account(store_of(app), "maria", PASSWORD, "leader")
    stranger = client_at(app, STRANGER)
    assert [log_in(stranger, "maria", "wrong password!").status_code for _ in range(3)] == [400, 400, 429]


def test_behind_a_proxy_each_forwarded_client_is_throttled_apart(tmp_path, caplog):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True, "PROXY_FIX": 1})
    accounts.create_account(store_of(app), "ada", PASSWORD, "admin")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    stranger, owner = client_at(app, proxy), client_at(app, proxy)
    stranger.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    owner.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.2"
    caplog.set_level("DEBUG")
    assert {log_in(stranger, "ada", "wrong password!").status_code for _ in range(8)} == {400, 429}
    assert log_in(owner, "ada").status_code == 303
    # The addresses are used, never logged.
    assert "203.0.113.7" not in caplog.text and "198.51.100.2" not in caplog.text


def test_settings_of_older_versions_still_load(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text("LOGIN_MAX_FAILURES = 3\nLOGIN_LOCK_MINUTES = 30\n")
    app = create_app({"DATA_DIR": str(data), "TESTING": True})
    assert app.test_client().get("/login", follow_redirects=True).status_code == 200


def test_login_starts_a_fresh_session_with_safe_cookie(client, staff):
    staff.create("maria", "leader")
    response = log_in(client, "maria")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    assert "HttpOnly" in cookies[-1]
    assert "SameSite=Lax" in cookies[-1]


def test_password_change(app, client, staff):
    staff.login("maria", "facilitator")
    other_device = app.test_client()
    assert log_in(other_device, "maria").status_code == 303
    page = client.get("/account/password")
    assert page.status_code == 200
    assert "Change your password" in text(page)
    response = staff.post(
        "/account/password",
        {"current": PASSWORD, "password": "a much newer password", "confirm": "a much newer password"},
    )
    assert response.status_code == 303
    assert "Your password has been changed." in text(client.get("/"))
    # This session goes on; the other device's session has ended.
    assert client.get("/partners/").status_code == 200
    assert is_login_redirect(other_device.get("/partners/"))
    assert log_in(app.test_client(), "maria").status_code == 400
    assert log_in(app.test_client(), "maria", "a much newer password").status_code == 303


def test_password_change_with_wrong_current_password(app, client, staff):
    staff.login("maria", "facilitator")
    before = store_of(app).all("accounts")
    response = staff.post(
        "/account/password",
        {"current": "not my password", "password": "a much newer password", "confirm": "a much newer password"},
    )
    assert response.status_code == 400
    assert "The current password is not correct." in text(response)
    assert store_of(app).all("accounts") == before


# -- administration of accounts --------------------------------------------------


def test_admin_creates_an_account(app, client, staff):
    staff.login()
    response = staff.post(
        "/admin/accounts",
        {"username": "maria", "role": "leader", "password": "a fine password", "confirm": "a fine password"},
    )
    assert response.status_code == 303
    page = text(client.get("/admin/accounts"))
    assert "Account “maria” created." in page
    assert "maria" in page
    maria = next(a for a in accounts.list_accounts(store_of(app)) if a.username == "maria")
    assert (maria.role, maria.active) == ("leader", True)
    assert log_in(app.test_client(), "maria", "a fine password").status_code == 303


def test_admin_edits_a_role(app, client, staff):
    staff.login()
    maria = staff.create("maria", "leader")
    page = client.get(f"/admin/accounts/{maria.id}")
    assert page.status_code == 200
    assert "Edit account maria" in text(page)
    response = staff.post(f"/admin/accounts/{maria.id}", {"role": "facilitator", "active": "y"})
    assert response.status_code == 303
    assert "Account “maria” updated." in text(client.get("/admin/accounts"))
    updated = accounts.get_account(store_of(app), maria.id)
    assert (updated.role, updated.active) == ("facilitator", True)


def test_disabled_account_is_logged_out_on_its_next_request(app, client, staff):
    staff.login()
    maria = staff.create("maria", "facilitator")
    marias_browser = app.test_client()
    assert log_in(marias_browser, "maria").status_code == 303
    assert marias_browser.get("/partners/").status_code == 200
    # Unticked "active": the checkbox is simply not sent.
    response = staff.confirm(f"/admin/accounts/{maria.id}", {"role": "facilitator"})
    assert response.status_code == 303
    assert accounts.get_account(store_of(app), maria.id).active is False
    assert "Disabled" in text(client.get("/admin/accounts"))
    assert is_login_redirect(marias_browser.get("/partners/"))
    assert "Welcome, <bdi>maria</bdi>" not in text(marias_browser.get("/"))
    # Re-enabling does not bring the old session back.
    assert staff.post(f"/admin/accounts/{maria.id}", {"role": "facilitator", "active": "y"}).status_code == 303
    assert is_login_redirect(marias_browser.get("/partners/"))


def test_admin_cannot_demote_themselves(app, client, staff):
    staff.login()
    (admin,) = accounts.list_accounts(store_of(app))
    before = store_of(app).all("accounts")
    response = staff.post(f"/admin/accounts/{admin.id}", {"role": "leader", "active": "y"})
    assert response.status_code == 400
    assert "You cannot disable your own account" in text(response)
    assert store_of(app).all("accounts") == before


# -- roles -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/partners/new", "/partners/import", "/partners/types", "/admin/accounts"])
def test_leader_is_forbidden(client, staff, path):
    staff.login("lee", "leader")
    response = client.get(path)
    assert response.status_code == 403
    assert "You do not have access to this page" in text(response)


def test_leader_cannot_post_roster_changes(app, client, staff):
    partner = partners.add_partner(store_of(app), "Goodwill", "cbo")
    staff.login("lee", "leader")
    before = store_of(app).all("partners")
    assert staff.post("/partners/new", {"name": "Sneaky", "type": "cbo"}).status_code == 403
    assert staff.post(f"/partners/{partner.id}/active").status_code == 403
    assert staff.post(f"/partners/{partner.id}/edit", {"name": "Renamed", "type": "cbo"}).status_code == 403
    assert staff.post("/partners/types", {"label": "Sneaky type"}).status_code == 403
    assert store_of(app).all("partners") == before
    assert store_of(app).all("partner_types") == []


def test_facilitator_reads_the_roster_but_not_accounts(app, client, staff):
    partners.add_partner(store_of(app), "Goodwill Community Services", "cbo", "Goodwill")
    staff.login("fay", "facilitator")
    assert client.get("/admin/accounts").status_code == 403
    roster = client.get("/partners/")
    assert roster.status_code == 200
    page = text(roster)
    assert "Goodwill Community Services" in page
    assert "Community-based organization (not-for-profit)" in page
    assert "Add a partner" not in page
    assert "Deactivate" not in page
    assert 'href="/admin/accounts"' not in page


@pytest.mark.parametrize(
    "path",
    ["/partners/", "/partners/new", "/partners/import", "/partners/types", "/admin/accounts", "/account/password"],
)
def test_anonymous_visitors_are_sent_to_login(client, staff, path):
    staff.create("admin", "admin")
    response = client.get(path)
    assert is_login_redirect(response)
    assert "next=" in response.location


def test_login_follows_a_safe_next(client, staff):
    staff.create("maria", "leader")
    response = client.get("/partners/")
    assert is_login_redirect(response)
    response = log_in(client, "maria", path=response.location)
    assert response.status_code == 303
    assert response.location == "/partners/"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/partners/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "///evil.example",
    ],
)
def test_login_refuses_open_redirects(client, staff, target):
    staff.create("maria", "leader")
    response = log_in(client, "maria", path="/login?" + _query(next=target))
    assert response.status_code == 303
    assert response.location == "/"


def _query(**params):
    from urllib.parse import urlencode

    return urlencode(params)


# -- roster through the forms ----------------------------------------------------


def test_roster_add_edit_toggle(app, client, staff):
    staff.login()
    assert "No partners yet." in text(client.get("/partners/"))
    form = client.get("/partners/new")
    assert form.status_code == 200
    assert "Semi-public organization" in text(form)
    response = staff.post(
        "/partners/new",
        {"name": "Cascade Manufacturing Co.", "short_name": "Cascade Mfg", "type": "business", "active": "y"},
    )
    assert response.status_code == 303
    page = text(client.get("/partners/"))
    assert "“Cascade Manufacturing Co.” was added to the roster." in page
    assert "1 partner on the roster, 1 active." in page
    (partner,) = partners.list_partners(store_of(app))
    assert (partner.name, partner.short_name, partner.type, partner.active) == (
        "Cascade Manufacturing Co.",
        "Cascade Mfg",
        "business",
        True,
    )

    edit = client.get(f"/partners/{partner.id}/edit")
    assert edit.status_code == 200
    assert 'value="Cascade Manufacturing Co."' in edit.get_data(as_text=True)
    response = staff.post(
        f"/partners/{partner.id}/edit",
        {"name": "Cascade Manufacturing", "short_name": "", "type": "labor", "active": "y"},
    )
    assert response.status_code == 303
    assert "“Cascade Manufacturing” was saved." in text(client.get("/partners/"))
    assert partners.get_partner(store_of(app), partner.id) == partners.Partner(
        partner.id, "Cascade Manufacturing", "", "labor", True
    )

    assert staff.confirm(f"/partners/{partner.id}/active").status_code == 303
    page = text(client.get("/partners/"))
    assert "“Cascade Manufacturing” is now inactive." in page
    assert "1 partner on the roster, 0 active." in page
    assert "Reactivate <bdi>Cascade Manufacturing</bdi>" in page
    assert partners.get_partner(store_of(app), partner.id).active is False
    assert staff.post(f"/partners/{partner.id}/active").status_code == 303
    assert "“Cascade Manufacturing” is active again." in text(client.get("/partners/"))
    assert partners.get_partner(store_of(app), partner.id).active is True


def test_roster_add_inactive_partner(app, client, staff):
    staff.login()
    assert staff.post("/partners/new", {"name": "Dormant Org", "type": "cbo"}).status_code == 303
    assert partners.list_partners(store_of(app))[0].active is False


def test_roster_types(app, client, staff):
    staff.login()
    response = staff.post("/partners/types", {"label": "Faith community"})
    assert response.status_code == 303
    page = text(client.get("/partners/types"))
    assert "Partner type “Faith community” was added." in page
    assert re.search(r"<li>Faith community <span[^>]*>\(added by this partnership\)</span></li>", page)
    (custom,) = [t for t in partners.partner_types(store_of(app)) if not t.builtin]
    assert custom.label == "Faith community"
    # The new type is offered when adding a partner, and can be used.
    assert f'value="{custom.key}"' in client.get("/partners/new").get_data(as_text=True)
    assert staff.post("/partners/new", {"name": "St. Mark's", "type": custom.key}).status_code == 303
    assert partners.list_partners(store_of(app))[0].type == custom.key
    assert "Faith community" in text(client.get("/partners/"))


def test_roster_import(app, client, staff):
    staff.login()
    payload = (
        "\ufeffname;type;short_name;active\r\n"
        "Cascade Manufacturing Co.;Business;Cascade Mfg;yes\r\n"
        "Goodwill;cbo;;no\r\n"
    ).encode()
    page = client.get("/partners/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    response = staff.post(
        "/partners/import", {"file": (io.BytesIO(payload), "partners.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    page = text(client.get("/partners/"))
    assert "2 partners were imported." in page
    assert "2 partners on the roster, 1 active." in page
    stored = {p.name: p for p in partners.list_partners(store_of(app))}
    assert stored["Cascade Manufacturing Co."].short_name == "Cascade Mfg"
    assert stored["Goodwill"].active is False


def test_roster_import_with_bad_rows_lists_them(app, client, staff):
    staff.login()
    payload = b"name,type\nGood,cbo\nBad,nope\n,cbo\n"
    response = staff.post(
        "/partners/import", {"file": (io.BytesIO(payload), "partners.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was imported: 2 rows have problems." in page
    assert "Unknown partner type “nope”." in page
    assert re.search(r"<th scope=\"row\">3</th>", page)
    assert re.search(r"<th scope=\"row\">4</th>", page)
    assert store_of(app).all("partners") == []


@pytest.mark.parametrize(
    "path, code",
    [
        ("/partners/nope/edit", "get"),
        ("/partners/nope/edit", "post"),
        ("/partners/nope/active", "post"),
        ("/admin/accounts/nope", "get"),
        ("/admin/accounts/nope", "post"),
        ("/partners/nope", "get"),
    ],
)
def test_unknown_ids_are_404(client, staff, path, code):
    staff.login()
    if code == "get":
        response = client.get(path)
    else:
        response = staff.post(path, {"name": "X", "type": "cbo", "role": "leader"})
    assert response.status_code == 404
    assert "Page not found" in text(response)


# -- languages -------------------------------------------------------------------


def test_language_picker_sets_a_cookie_and_goes_back(client, staff):
    staff.create("admin", "admin")
    response = staff.post("/language", {"lang": "es", "next": "/login?x=1"})
    assert response.status_code == 303
    assert response.location == "/login?x=1"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang="))
    assert cookie.startswith("lang=es;")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert '<html lang="es" dir="ltr">' in client.get("/login").get_data(as_text=True)
    response = staff.post("/language", {"lang": "ar", "next": "/login"})
    assert '<html lang="ar" dir="rtl">' in client.get("/login").get_data(as_text=True)
    # The cookie wins over the browser's preference.
    page = client.get("/login", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", ""])
def test_language_picker_refuses_unsafe_next(client, staff, target):
    staff.create("admin", "admin")
    response = staff.post("/language", {"lang": "vi", "next": target})
    assert response.status_code == 303
    assert response.location == "/"


@pytest.mark.parametrize("code", ["fr", "zh_Hant", "", "../../etc", "x" * 1000])
def test_language_picker_ignores_unshipped_languages(client, staff, code):
    staff.create("admin", "admin")
    response = staff.post("/language", {"lang": code, "next": "/login"})
    assert response.status_code == 303
    assert not any(c.startswith("lang=") for c in response.headers.getlist("Set-Cookie"))
    assert '<html lang="en" dir="ltr">' in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(
    "accept, lang, direction",
    [
        ("es-MX", "es", "ltr"),
        ("es-MX,es;q=0.9,en;q=0.8", "es", "ltr"),
        ("ar", "ar", "rtl"),
        ("ar-EG", "ar", "rtl"),
        ("vi-VN", "vi", "ltr"),
        ("zh-CN", "zh-Hans", "ltr"),
        ("zh-Hans-CN", "zh-Hans", "ltr"),
        ("zh-TW", "en", "ltr"),
        ("zh-Hant", "en", "ltr"),
        ("zh-HK,es;q=0.5", "es", "ltr"),
        ("fr-FR, de", "en", "ltr"),
        ("", "en", "ltr"),
    ],
)
def test_accept_language(client, accept, lang, direction):
    page = client.get("/setup", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in page


@pytest.mark.parametrize(
    "code, lang, direction",
    [
        ("en", "en", "ltr"),
        ("es", "es", "ltr"),
        ("vi", "vi", "ltr"),
        ("zh_Hans", "zh-Hans", "ltr"),
        ("ar", "ar", "rtl"),
    ],
)
def test_404_page_in_each_language(client, code, lang, direction):
    client.set_cookie("lang", code)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert f'<html lang="{lang}" dir="{direction}">' in response.get_data(as_text=True)
    assert "404" in text(response)


# -- CSRF ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, data",
    [
        ("/partners/new", {"name": "Sneaky", "type": "cbo"}),
        ("/partners/types", {"label": "Sneaky type"}),
        ("/partners/import", {"file": (io.BytesIO(b"name,type\nSneaky,cbo\n"), "x.csv")}),
        ("/admin/accounts", {"username": "sneaky", "role": "admin", "password": PASSWORD, "confirm": PASSWORD}),
        ("/account/password", {"current": PASSWORD, "password": "sneaky password", "confirm": "sneaky password"}),
        ("/language", {"lang": "ar", "next": "/"}),
        ("/logout", {}),
    ],
)
def test_post_without_csrf_token_is_refused(app, client, staff, path, data):
    staff.login()
    tables = ("accounts", "partners", "partner_types")
    before = {t: store_of(app).all(t) for t in tables}
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    assert {t: store_of(app).all(t) for t in tables} == before
    assert not any(c.startswith("lang=") for c in response.headers.getlist("Set-Cookie"))
    assert client.get("/partners/").status_code == 200


@pytest.mark.parametrize("token", ["", "garbage", "IjAwMCI.bad.sig"])
def test_post_with_bad_csrf_token_is_refused(app, client, staff, token):
    staff.login()
    response = client.post("/partners/new", data={"csrf_token": token, "name": "Sneaky", "type": "cbo"})
    assert response.status_code == 400
    assert store_of(app).all("partners") == []


def test_csrf_token_of_another_session_is_refused(app, client, staff):
    staff.login()
    stranger = app.test_client()
    token = csrf_token(stranger, "/login")
    response = client.post("/partners/new", data={"csrf_token": token, "name": "Sneaky", "type": "cbo"})
    assert response.status_code == 400
    assert store_of(app).all("partners") == []


# -- command line ----------------------------------------------------------------


def test_seed_demo(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo partnership created: 12 partners" in result.output
    store = store_of(app)
    assert len(partners.list_partners(store)) == 12
    demo_surveys = surveys.list_surveys(store)
    assert {s.phase for s in demo_surveys} == {"stewarding", "renewing", "planning"}
    heard = {r["partner"] for s in demo_surveys for r in store.records(surveys.stream(s.id)) if "partner" in r}
    assert 0 < len(heard) < 12  # some partners are heard from, some are silent
    assert all(surveys.response_count(store, s.id) >= 3 for s in demo_surveys)
    [meeting] = store.all("meetings")
    outcomes = [[r["tally"]["outcome"] for r in p["rounds"]] for p in meeting["proposals"]]
    assert outcomes == [["adopted"], ["not_adopted", "adopted"], ["not_adopted"]]
    assert store.all("seats") == [] and not [s for s in store.streams() if s.startswith("ballots-")]
    created = accounts.list_accounts(store)
    assert sorted((a.username, a.role) for a in created) == [
        ("admin", "admin"),
        ("facilitator", "facilitator"),
        ("leader", "leader"),
    ]
    # Every printed password opens its account.
    printed = dict(re.findall(r"^\s+(admin|facilitator|leader)\s+(\S+)\s*$", result.output, re.M))
    assert set(printed) == {"admin", "facilitator", "leader"}
    client = app.test_client()
    for username, password in printed.items():
        assert log_in(client, username, password).status_code == 303
    # A second run refuses and changes nothing.
    before = {t: store.all(t) for t in ("accounts", "partners")}
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code != 0
    assert "already holds a partnership" in again.output
    assert {t: store.all(t) for t in ("accounts", "partners")} == before


def test_store_check_good_and_damaged(app, runner, staff):
    empty = runner.invoke(args=["store", "check"])
    assert empty.exit_code == 0
    assert "The store is empty" in empty.output
    staff.create("admin", "admin")
    partners.add_partner(store_of(app), "Goodwill", "cbo")
    good = runner.invoke(args=["store", "check"])
    assert good.exit_code == 0, good.output
    assert "roundtable.json" in good.output
    assert "readable" in good.output

    path = os.path.join(app.config["DATA_DIR"], "store", "roundtable.json")
    garbage = b'{"accounts": {"1": {"id": "x"' + b"\x00\xff garbage"
    with open(path, "wb") as file:
        file.write(garbage)
    bad = runner.invoke(args=["store", "check"])
    assert bad.exit_code == 1
    assert "roundtable.json" in bad.output
    assert "DAMAGED" in bad.output
    # The web refuses the damaged file with a clear page, and nothing overwrites it.
    page = app.test_client().get("/login")
    assert page.status_code == 503
    assert "roundtable.json" in text(page)
    with open(path, "rb") as file:
        assert file.read() == garbage


def test_backup_and_restore_round_trip(app, runner, staff, tmp_path):
    staff.create("admin", "admin")
    staff.create("maria", "leader")
    store = store_of(app)
    partners.add_partner_type(store, "Faith community")
    partners.import_csv(
        store,
        "name,type,short_name,active\nGoodwill,cbo,GW,yes\nSt. Mark's,faith community,,no\n"
        "Valley College,semi_public,Valley,yes\n",
    )
    destination = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(destination)])
    assert result.exit_code == 0, result.output
    assert (destination / "store" / "roundtable.json").exists()
    # A second backup into the same folder is refused.
    assert runner.invoke(args=["backup", str(destination)]).exit_code != 0

    fresh = create_app({"DATA_DIR": str(tmp_path / "fresh"), "TESTING": True})
    fresh_runner = fresh.test_cli_runner()
    result = fresh_runner.invoke(args=["restore", str(destination)])
    assert result.exit_code == 0, result.output
    restored = store_of(fresh)
    for table in ("accounts", "partners", "partner_types"):
        assert sorted(restored.all(table), key=lambda d: d["id"]) == sorted(store.all(table), key=lambda d: d["id"])
    assert len(restored.all("partners")) == 3
    # Restored accounts log in with their passwords.
    assert log_in(fresh.test_client(), "maria").status_code == 303
    # Restoring over data is refused and changes nothing.
    before = restored.all("partners")
    again = fresh_runner.invoke(args=["restore", str(destination)])
    assert again.exit_code != 0
    assert "already holds data" in again.output
    assert restored.all("partners") == before
