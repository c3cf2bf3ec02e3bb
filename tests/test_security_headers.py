"""Security headers on every response, safe cookies, and HTTPS behind a reverse proxy.

Every rule in ``app.url_map`` is requested, its URL filled from the shared
partnership of ``tests/roles.py``: each GET route as a visitor, the
participant and an administrator (with a conditional GET where the route
answers 304), each POST route with and without the session's CSRF token,
OPTIONS on every route; and the error pages: 400 (expired form), 403, 404,
405, 410, 413, 429 (throttled login), 500 and 503 (a damaged store). Every
response must carry:

- ``Content-Security-Policy`` whose ``script-src`` (and ``default-src``,
  ``style-src``) allow neither ``'unsafe-inline'`` nor ``'unsafe-eval'``,
  with ``frame-ancestors 'none'``, ``object-src 'none'`` and
  ``base-uri 'none'`` (no page is meant to be embedded);
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and
  ``Referrer-Policy: no-referrer`` (links carry survey and meeting tokens);
- ``Cache-Control: no-store`` everywhere but static files and assets (pages
  may show what a partner wrote).

Every cookie the app sets is HttpOnly and SameSite=Lax; behind a reverse proxy
that terminates HTTPS (``PROXY_FIX=1`` and ``SESSION_COOKIE_SECURE=true``, as
the README's production section says) every cookie is Secure and links are
built with ``https://``, while without ``PROXY_FIX`` a forged
``X-Forwarded-Proto`` changes nothing. Logging in renews the session: the
token of the form sent before logging in no longer works. HTML pages carry no
inline script or style (the policy would block them).

Run: ``pytest tests/test_security_headers.py -q`` (about 15 s on a quiet machine).
"""

import os
import re

import pytest
from flask import url_for

from roundtable import surveys

from .conftest import PASSWORD, csrf_token
from .roles import build, client_as, url_values

WALKERS = ("anonymous", "participant", "admin")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The shared partnership, built once for this module."""
    return build(tmp_path_factory.mktemp("headers") / "data")


def directives(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def header_problems(path, response):
    """What is wrong with ``response``'s security headers (an empty list when nothing is)."""
    policy = directives(response)
    problems = []
    for name in ("default-src", "script-src", "style-src"):
        if name not in policy:
            problems.append(f"no {name}")
        elif {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy[name]):
            problems.append(f"{name} {policy[name]}")
    for name, wanted in (("frame-ancestors", ["'none'"]), ("object-src", ["'none'"]), ("base-uri", ["'none'"])):
        if policy.get(name) != wanted:
            problems.append(f"{name} {policy.get(name)}")
    for name, wanted in (
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
    ):
        if response.headers.get(name) != wanted:
            problems.append(f"{name}: {response.headers.get(name)}")
    if not path.startswith(("/static/", "/assets/")) and response.headers.get("Cache-Control") != "no-store":
        problems.append(f"Cache-Control: {response.headers.get('Cache-Control')}")
    return [(path, response.status_code, problem) for problem in problems]


def cookie_problems(path, response, secure=False):
    """What is wrong with the cookies ``response`` sets."""
    problems = []
    for cookie in response.headers.getlist("Set-Cookie"):
        attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
        if "httponly" not in attributes:
            problems.append("not HttpOnly")
        if attributes.get("samesite") not in ("SameSite=Lax", "SameSite=Strict"):
            problems.append(f"SameSite: {attributes.get('samesite')}")
        if secure != ("secure" in attributes):
            problems.append("Secure" if not secure else "not Secure")
    return [(path, response.status_code, problem) for problem in problems]


def routes(app, world, method):
    """(endpoint, path) of every rule answering ``method``, filled from the world."""
    with app.test_request_context():
        return [
            (rule.endpoint, url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, world.ids)))
            for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)
            if method in rule.methods
        ]


# -- headers on every route ----------------------------------------------------------


def test_headers_on_every_route_for_every_visitor(world, tmp_path):
    app = world.copy(tmp_path / "data")
    problems, statuses = [], set()
    for role in WALKERS:
        for _endpoint, path in routes(app, world, "GET"):
            client = client_as(app, world, role)
            response = client.get(path)
            statuses.add(response.status_code)
            problems += header_problems(path, response) + cookie_problems(path, response)
            if response.headers.get("ETag"):
                again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
                assert again.status_code == 304, path
                problems += header_problems(path, again)
                statuses.add(304)
        for _endpoint, path in routes(app, world, "OPTIONS"):
            response = client_as(app, world, role).options(path)
            problems += header_problems(path, response)
    assert problems == []
    assert {200, 302, 304, 404} <= statuses


@pytest.mark.parametrize("with_token", [True, False], ids=["with a CSRF token", "without"])
def test_headers_on_every_post_route(world, tmp_path, with_token):
    app = world.copy(tmp_path / "data")
    problems, statuses = [], set()
    for role in WALKERS:
        data = {"csrf_token": world.sessions[role].csrf} if with_token else {}
        for _endpoint, path in routes(app, world, "POST"):
            response = client_as(app, world, role).post(path, data=data)
            statuses.add(response.status_code)
            problems += header_problems(path, response) + cookie_problems(path, response)
    assert problems == []
    assert ({302, 303, 400, 403} if with_token else {400}) <= statuses


def test_headers_on_error_pages(world, tmp_path):
    app = world.copy(tmp_path / "data", LOGIN_LIMITS="1 per hour")

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    ids = world.ids
    store = app.config["STORE"]
    surveys.set_status(store, ids["other_survey"], "closed")
    leader, admin = client_as(app, world, "leader"), client_as(app, world, "admin")
    visitor = app.test_client()
    responses = {
        400: admin.post("/partners/new", data={"name": "No token"}),
        403: leader.get("/admin/accounts"),
        404: visitor.get("/no/such/page"),
        405: visitor.get("/logout"),
        410: visitor.get(f"/s/{ids['other_survey_token']}"),
        413: visitor.post("/login", data={"username": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}),
        500: visitor.get("/boom"),
    }
    token = csrf_token(visitor, "/login")
    for _attempt in range(2):
        responses[429] = visitor.post("/login", data={"csrf_token": token, "username": "lee", "password": "wrong!"})
    with open(os.path.join(app.config["DATA_DIR"], "store", "roundtable.json"), "wb") as file:
        file.write(b'{"accounts": {"1": ')
    responses[503] = visitor.get("/login")
    problems = []
    for status, response in responses.items():
        assert response.status_code == status
        assert 'lang="en"' in response.get_data(as_text=True), status
        problems += header_problems(f"({status})", response) + cookie_problems(f"({status})", response)
    assert problems == []


def test_the_header_check_finds_what_is_missing(world, tmp_path):
    """The test of the test: a response stripped of a header, or with a weaker policy, is reported."""
    app = world.copy(tmp_path / "data")
    response = app.test_client().get("/login")
    assert header_problems("/login", response) == []
    response.headers["Content-Security-Policy"] = response.headers["Content-Security-Policy"].replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline'"
    )
    del response.headers["Referrer-Policy"]
    found = [problem for _path, _status, problem in header_problems("/login", response)]
    assert found == ["script-src [\"'self'\", \"'unsafe-inline'\"]", "Referrer-Policy: None"]


def test_pages_carry_no_inline_script_or_style(world, tmp_path):
    app = world.copy(tmp_path / "data")
    pages = 0
    for role in WALKERS:
        for _endpoint, path in routes(app, world, "GET"):
            response = client_as(app, world, role).get(path)
            if response.mimetype != "text/html":
                continue
            pages += 1
            page = response.get_data(as_text=True)
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
            assert "<style" not in page and " style=" not in page, path
            assert not re.search(r"\son[a-z]+=", page), path
            assert "javascript:" not in page, path
    assert pages >= 60


# -- cookies, sessions and HTTPS --------------------------------------------------------


def every_cookie_setter(app, world, client):
    """Requests that make the app set each of its cookies: session, language, seat, receipt."""
    ids = world.ids
    token = csrf_token(client, "/login")
    return [
        ("login", client.post("/login", data={"csrf_token": token, "username": "lee", "password": PASSWORD})),
        ("language", client.post("/language", data={"csrf_token": csrf_token(client, "/"), "lang": "es"})),
        # By type: the world's participant already holds the seat of ids["partner"], and a partner's seat is taken once.
        (
            "seat",
            client.post(
                f"/m/{ids['meeting_token']}", data={"csrf_token": csrf_token(client, "/"), "partner_type": "cbo"}
            ),
        ),
        (
            "receipt",
            client.post(
                f"/s/{ids['survey_token']}",
                data={
                    "csrf_token": csrf_token(client, "/"),
                    f"q-{ids['agree_question']}": "4",
                    "partner_type": "labor",
                },
            ),
        ),
    ]


def cookie_names(responses):
    """The names of the cookies set by ``responses``."""
    return {c.split("=")[0] for _what, r in responses for c in r.headers.getlist("Set-Cookie")}


def test_cookies_are_http_only_and_same_site(world, tmp_path):
    app = world.copy(tmp_path / "data")
    responses = every_cookie_setter(app, world, app.test_client())
    assert [r.status_code for _what, r in responses] == [303, 303, 303, 303]
    assert cookie_names(responses) == {"session", "lang", f"seat_{world.ids['meeting']}", "receipt"}
    problems = [p for what, r in responses for p in cookie_problems(what, r)]
    assert problems == []


def test_behind_an_https_proxy_every_cookie_is_secure_and_links_are_https(world, tmp_path):
    # The proxy's name is one the operator trusts (without it, or PUBLIC_URL, links would not use it: test_links.py).
    app = world.copy(
        tmp_path / "data", PROXY_FIX=1, SESSION_COOKIE_SECURE=True, TRUSTED_HOSTS=["roundtable.example.org"]
    )
    client = app.test_client()
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "roundtable.example.org"}
    client.environ_base.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in proxied.items()})
    responses = every_cookie_setter(app, world, client)
    assert [r.status_code for _what, r in responses] == [303, 303, 303, 303]
    assert cookie_names(responses) == {"session", "lang", f"seat_{world.ids['meeting']}", "receipt"}
    problems = [p for what, r in responses for p in cookie_problems(what, r, secure=True)]
    assert problems == []
    share = client_as(app, world, "admin").get(f"/surveys/{world.ids['survey']}/share", headers=proxied)
    assert f"https://roundtable.example.org/s/{world.ids['survey_token']}" in share.get_data(as_text=True)
    # Browsers send these forms with no Referer (the policy says so): the token is what counts.
    refused = client.post("/language", data={"lang": "ar"})
    assert refused.status_code == 400 and not refused.headers.getlist("Set-Cookie")


def test_without_proxy_fix_a_forged_forwarded_scheme_changes_nothing(world, tmp_path):
    app = world.copy(tmp_path / "data")
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    share = client_as(app, world, "admin").get(f"/surveys/{world.ids['survey']}/share", headers=forged)
    page = share.get_data(as_text=True)
    assert f"http://localhost/s/{world.ids['survey_token']}" in page
    assert "evil.example" not in page and "https://" not in page


def test_logging_in_renews_the_session(world, tmp_path):
    app = world.copy(tmp_path / "data")
    client = app.test_client()
    before_token = csrf_token(client, "/login")
    before_cookie = client.get_cookie("session").value
    response = client.post("/login", data={"csrf_token": before_token, "username": "ada", "password": PASSWORD})
    assert response.status_code == 303
    assert client.get_cookie("session").value != before_cookie
    # The form token of the visit before logging in opens nothing now.
    refused = client.post("/partners/new", data={"csrf_token": before_token, "name": "Sneaky", "type": "cbo"})
    assert refused.status_code == 400
    assert "This form has expired" in refused.get_data(as_text=True)
    accepted = client.post(
        "/partners/new", data={"csrf_token": csrf_token(client, "/"), "name": "Harbor", "type": "foundation"}
    )
    assert accepted.status_code == 303
