"""Hostile input on every POST route: never a server error, and a refused request changes nothing.

For every rule in ``app.url_map`` that accepts POST (a POST endpoint without a
recipe below fails the suite), hypothesis draws requests against the shared
partnership of ``tests/roles.py``:

- the URL's arguments: the world's real ids, unknown ids, and junk (long,
  non-ASCII, path-like), plus a random query string (``next``, ``lang``...);
- who sends it: an anonymous visitor, the participant holding a seat, or a
  logged-in administrator;
- the CSRF token: none, garbage, another session's, or the session's own
  valid one (so that requests reach the forms' validation);
- the body: random keys and values; the route's real field names with wrong
  types, odd values and long ones; repeated keys; invalid UTF-8 in a raw form
  body; JSON; multipart with junk files, or junk bytes under a multipart
  content type; no content type at all; and bodies just under, just over and
  far over ``MAX_CONTENT_LENGTH``.

Asserted for every request:

- the status is below 500;
- a refusal (status >= 400) leaves every table and every stream of the store
  as it was, read through the store's API (not file bytes: reads may touch
  lock files) whenever the store's version, which changes with anything
  stored, says something may have changed; a wrong login too (failed logins
  are throttled in memory, never stored);
- a body over ``MAX_CONTENT_LENGTH`` gets 413, and every 413 is the clear
  error page, in the visitor's language;
- a redirect never leaves the site.

Run: ``pytest tests/test_hostile_input.py -q`` (about a minute). Examples per
route: ``HOSTILE_EXAMPLES`` (default 25). With ``CI`` set (as ``.ci/run``
does) the examples are derandomized and hypothesis keeps no example database.
"""

import dataclasses
import io
import json
import os
import re
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from flask import url_for
from flask_babel import force_locale, gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from roundtable.languages import LANGUAGES
from roundtable.survey_templates import TEMPLATES

from .roles import build, client_as, state

CI = bool(os.environ.get("CI"))
HOSTILE = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "25")),
    deadline=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    **({"database": None} if CI else {}),
)
SENDERS = ("anonymous", "participant", "admin")


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How to fill a POST route: real values for each URL argument (from the world's ids), and its form's fields."""

    arguments: dict
    fields: tuple = ()


def ids_of(*names):
    """Real values from the world's ids."""
    return lambda ids: [ids[name] for name in names]


def literal(*values):
    """Fixed values."""
    return lambda ids: list(values)


SURVEY = {"survey_id": ids_of("survey", "other_survey")}
MEETING = {"meeting_id": ids_of("meeting", "other_meeting")}
PROPOSAL = {**MEETING, "proposal_id": ids_of("proposal")}
PARTNER = {"partner_id": ids_of("partner")}
PARTNER_FIELDS = ("name", "short_name", "type", "active")
SURVEY_FIELDS = ("title", "intro", "closing", "default_language", "attribution", "phase", "invitations_only")
QUESTION_FIELDS = ("kind", "text", "help", "choices", "required")

RECIPES = {
    "auth.setup": Recipe({}, ("username", "password", "confirm")),
    "auth.login": Recipe({}, ("username", "password")),
    "auth.logout": Recipe({}),
    "auth.password": Recipe({}, ("current", "password", "confirm")),
    "main.language": Recipe({}, ("lang", "next")),
    "admin.account_list": Recipe({}, ("username", "role", "password", "confirm")),
    "admin.account_edit": Recipe({"account_id": ids_of("account", "admin_account")}, ("role", "active")),
    "roster.partner_new": Recipe({}, PARTNER_FIELDS),
    "roster.partner_edit": Recipe(PARTNER, PARTNER_FIELDS),
    "roster.partner_toggle": Recipe(PARTNER),
    "roster.partner_import": Recipe({}, ("file",)),
    "roster.partner_types": Recipe({}, ("label",)),
    "surveys.from_template": Recipe({"key": literal(*TEMPLATES)}),
    "surveys.survey_new": Recipe({}, SURVEY_FIELDS),
    "surveys.survey_edit": Recipe(SURVEY, SURVEY_FIELDS),
    "surveys.question_new": Recipe(SURVEY, QUESTION_FIELDS),
    "surveys.question_edit": Recipe({**SURVEY, "question_id": ids_of("question", "agree_question")}, QUESTION_FIELDS),
    "surveys.question_action": Recipe(
        {
            **SURVEY,
            "question_id": ids_of("question", "agree_question"),
            "action": literal("up", "down", "duplicate", "delete"),
        }
    ),
    "surveys.survey_status": Recipe({**SURVEY, "status": literal("open", "closed", "draft")}),
    "surveys.survey_duplicate": Recipe(SURVEY),
    "surveys.invitations": Recipe(SURVEY, ("count", "partner")),
    "respond.join": Recipe({}, ("code",)),
    "respond.survey": Recipe(
        {"token": ids_of("survey_token", "other_survey_token")},
        ("q-{agree_question}", "q-{question}", "q-nope", "partner", "partner_type", "invitation"),
    ),
    "respond.receipt": Recipe({}, ("code",)),
    "meetings.meeting_new": Recipe({}, ("title", "day", "default_language", "phase", "attending")),
    "meetings.proposal_new": Recipe(
        MEETING,
        (
            "text",
            "method",
            "rule",
            "threshold",
            "fallback_after",
            "fallback_threshold",
            "quorum",
            "quorum_number",
            "weighting",
            "live_results",
            "text_es",
            "text_ar",
        ),
    ),
    "meetings.round_open": Recipe(PROPOSAL, ("text",)),
    "meetings.round_close": Recipe(MEETING),
    "meetings.decision": Recipe(PROPOSAL, ("decision", "rationale")),
    "meetings.meeting_end": Recipe(MEETING),
    "meetings.seat_release": Recipe(MEETING, ("seat",)),
    "meetings.proxy_give": Recipe(MEETING, ("absent", "holder")),
    "meetings.proxy_withdraw": Recipe(MEETING, ("absent",)),
    "meetings.proposal_translate": Recipe(PROPOSAL, ("language", "text")),
    "vote.meeting": Recipe({"token": ids_of("meeting_token", "other_meeting_token")}, ("partner", "partner_type")),
    "vote.cast": Recipe({"token": ids_of("meeting_token", "other_meeting_token")}, ("option", "comment", "for")),
}

# Values a form might half-expect: near-valid choices, numbers of the wrong kind, impossible dates, markup.
ODD_VALUES = [
    "",
    " ",
    "y",
    "on",
    "true",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999",
    "3/4",
    "1/0",
    "0/0",
    "2026-11-23",
    "2026-02-30",
    "0000-00-00",
    "en",
    "ar",
    "zh_Hans",
    "xx",
    "labor",
    "cbo",
    "agree",
    "block",
    "objection",
    "5",
    "8",
    "anonymous",
    "partner",
    "partner_type",
    "admin",
    "leader",
    "facilitator",
    "health_check",
    "yes_no",
    "single",
    "multiple",
    "rating10",
    "agreement",
    "stance",
    "gradients",
    "consensus",
    "all_partners",
    "number",
    "adopted",
    "deferred",
    "\x00",
    "\u202e",
    "\ud7ff\ufffd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{7*7}}",
    "%(name)s",
    "../../etc/passwd",
    "//evil.example",
    "https://evil.example",
]
UNKNOWN_IDS = ["nope", "0" * 16, "../../store", "%00", "x" * 300, "\u0627\u0644\u0639\u0631\u0628\u064a\u0629"]
QUERY_KEYS = ["next", "lang", "invite", "code", "by", "csrf_token"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The shared partnership, built once for this module."""
    return build(tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture(scope="module")
def shared_app(world, tmp_path_factory):
    """One app for the module; each test points it at a fresh copy of the world (``world.refill``)."""
    return world.copy(tmp_path_factory.mktemp("hostile-app") / "data")


def texts(max_size=40):
    """Any text hypothesis likes (surrogates left out: they cannot be sent as UTF-8)."""
    return st.text(max_size=max_size)


@st.composite
def values(draw, ids):
    """A value for a form field: odd, random, numeric, an id of the world, or long."""
    real = [v for v in ids.values() if isinstance(v, str)]
    return draw(
        st.one_of(
            st.sampled_from(ODD_VALUES),
            st.sampled_from(real),
            texts(),
            st.integers().map(str),
            st.floats().map(repr),
            st.integers(min_value=200, max_value=70_000).map(lambda n: "é" * n),
        )
    )


@st.composite
def pairs(draw, fields, ids, max_size=10):
    """Form pairs; keys are the route's fields or anything, so keys repeat and fields go missing."""
    keys = st.one_of(st.sampled_from(fields), texts(20)) if fields else texts(20)
    return draw(st.lists(st.tuples(keys, values(ids)), max_size=max_size))


def with_token(items, token):
    """``items`` with the CSRF token pair, if there is a token."""
    return ([("csrf_token", token)] if token is not None else []) + list(items)


def form_bytes(items):
    """URL-encode ``items`` as a form body."""
    return urlencode(items).encode("ascii")


@st.composite
def bodies(draw, fields, ids, token, limit):
    """Keyword arguments for ``client.post``, and the body's exact length when it is known."""
    kind = draw(
        st.sampled_from(
            ["form", "form", "form", "raw", "invalid_utf8", "multipart", "junk_multipart", "json", "no_type", "huge"]
        )
    )
    form_type = "application/x-www-form-urlencoded"
    if kind == "form":
        body = form_bytes(with_token(draw(pairs(fields, ids)), token))
        return {"data": body, "content_type": form_type}, len(body)
    if kind == "raw":
        body = form_bytes(with_token([], token)) + b"&" + draw(st.binary(max_size=2000))
        content_type = draw(st.sampled_from([form_type, form_type + "; charset=latin-1"]))
        return {"data": body, "content_type": content_type}, len(body)
    if kind == "invalid_utf8":
        field = draw(st.sampled_from(fields or ("x",))).encode("utf-8")
        junk = draw(st.sampled_from([b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80", b"%ff%fe", b"%C0%AF", b"%"]))
        body = (
            form_bytes(with_token([], token))
            + b"&"
            + quote(field).encode()
            + b"="
            + junk
            + draw(st.binary(max_size=50))
        )
        return {"data": body, "content_type": form_type}, len(body)
    if kind == "multipart":
        data = MultiDict(with_token(draw(pairs(fields, ids, max_size=6)), token))
        for _ in range(draw(st.integers(0, 3))):
            name = draw(st.sampled_from((fields or ("file",)) + ("file",)))
            data.add(name, (io.BytesIO(draw(st.binary(max_size=3000))), draw(texts(30))))
        return {"data": data, "content_type": "multipart/form-data"}, None
    if kind == "junk_multipart":
        boundary = draw(st.sampled_from(["", "; boundary=xyz", "; boundary=", "; boundary=" + "b" * 200]))
        unterminated = b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'
        body = draw(st.one_of(st.binary(max_size=2000), st.just(unterminated)))
        return {"data": body, "content_type": "multipart/form-data" + boundary}, len(body)
    if kind == "json":
        document = draw(
            st.recursive(
                st.none() | st.booleans() | st.integers() | texts(),
                lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts(10), inner, max_size=4),
                max_leaves=12,
            )
        )
        body = json.dumps(document).encode() if draw(st.booleans()) else draw(st.binary(max_size=200))
        # A header cannot carry a line break: such a token is left out.
        headers = {"X-CSRFToken": token} if token is not None and not re.search(r"[\r\n]", token) else {}
        return {"data": body, "content_type": "application/json", "headers": headers}, len(body)
    if kind == "no_type":
        body = draw(st.binary(max_size=500))
        return {"data": body}, len(body)
    # huge: one field just under, just over, or far over the limit
    size = draw(st.sampled_from([limit - 4096, limit + 1, 3 * limit]))
    field = draw(st.sampled_from(fields or ("x",)))
    body = form_bytes(with_token([], token)) + b"&" + quote(field).encode() + b"=" + b"x" * size
    return {"data": body, "content_type": form_type}, len(body)


@st.composite
def hostile_requests(draw, recipe, endpoint, world, limit):
    """Who sends what to where: a sender, a path, a token, a body, a language."""
    ids = world.ids
    sender = draw(st.sampled_from(SENDERS))
    arguments = {}
    for name, real in sorted(recipe.arguments.items()):
        arguments[name] = draw(
            st.one_of(st.sampled_from(real(ids)), st.sampled_from(UNKNOWN_IDS), texts(60).filter(bool))
        )
    query = draw(
        st.lists(st.tuples(st.sampled_from(QUERY_KEYS), st.one_of(st.sampled_from(ODD_VALUES), texts())), max_size=3)
    )
    # Often the session's valid token, so that many requests reach the forms' validation.
    kind = draw(st.sampled_from(["valid", "valid", "none", "another session's", "junk"]))
    token = {
        "valid": lambda: world.sessions[sender].csrf,
        "none": lambda: None,
        "another session's": lambda: draw(
            st.sampled_from([world.sessions[role].csrf for role in world.sessions if role != sender])
        ),
        "junk": lambda: draw(st.one_of(st.sampled_from(["", "garbage", "IjAwMCI.bad.sig"]), texts())),
    }[kind]()
    fields = tuple(field.format(**ids) for field in recipe.fields)
    kwargs, length = draw(bodies(fields, ids, token, limit))
    language = draw(st.sampled_from(list(LANGUAGES)))
    return sender, arguments, query, kwargs, length, language


_SAID = {}


def said(app, language, message):
    """``message`` as a visitor reading ``language`` sees it (remembered: every app has the same catalogs)."""
    if (language, message) not in _SAID:
        with app.test_request_context(), force_locale(language):
            _SAID[language, message] = gettext(message)
    return _SAID[language, message]


def routed(app, path):
    """Whether a POST to ``path`` reaches a route."""
    try:
        app.url_map.bind("localhost").match(unquote(urlsplit(path).path), method="POST")
    except HTTPException:
        return False
    return True


def leaves_the_site(location):
    """Whether a redirect's target is on another site (the router's own redirects name this host)."""
    parts = urlsplit(location)
    if parts.netloc:
        return parts.netloc != "localhost" or parts.scheme not in ("http", "https")
    return parts.scheme != "" or location.startswith(("//", "/\\")) or not location.startswith("/")


# -- the recipes cover every POST route ------------------------------------------------------


def test_every_post_route_has_a_recipe(world, shared_app, tmp_path):
    app = world.refill(shared_app, tmp_path / "data")
    routes = {rule.endpoint: rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert sorted(set(routes) - set(RECIPES)) == [], "POST routes without a recipe"
    assert sorted(set(RECIPES) - set(routes)) == [], "recipes for routes that no longer exist"
    for endpoint, rule in routes.items():
        assert set(rule.arguments) == set(RECIPES[endpoint].arguments), endpoint
        for real in RECIPES[endpoint].arguments.values():
            assert all(isinstance(value, str) and value for value in real(world.ids)), endpoint


# -- hostile requests ----------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(RECIPES))
def test_hostile_posts(world, shared_app, tmp_path, endpoint):
    app = world.refill(shared_app, tmp_path / "data")
    store = app.config["STORE"]
    limit = app.config["MAX_CONTENT_LENGTH"]
    reached, snapshots = [], {}

    @HOSTILE
    @given(request=hostile_requests(RECIPES[endpoint], endpoint, world, limit))
    def attempt(request):
        sender, arguments, query, kwargs, length, language = request
        with app.test_request_context():
            path = url_for(endpoint, **arguments)
        if query:
            path += "?" + urlencode(query)
        # The store's version changes with anything stored: the full snapshot is read only when it does.
        version = store.version()
        if version not in snapshots:
            snapshots[version] = state(store)
        client = client_as(app, world, sender)
        headers = {"Accept-Language": language.replace("_", "-"), **kwargs.pop("headers", {})}
        response = client.post(path, headers=headers, **kwargs)
        status = response.status_code
        page = response.get_data(as_text=True)
        if status != 413 and said(app, language, "This form has expired") not in page:
            reached.append(status)
        assert status < 500, (path, page[-1500:])
        if length is not None and length > limit:
            # Too large, unless the URL leads nowhere: then it is a 404 before the body is read.
            assert status == 413 or (status == 404 and not routed(app, path)), (path, length, status)
        if status == 413:
            assert said(app, language, "What you sent is too large") in page, (language, page[-1500:])
        if status >= 400 and store.version() != version:
            assert state(store) == snapshots[version], (path, status)
        if 300 <= status < 400:
            assert not leaves_the_site(response.location), response.location

    attempt()
    # The test of the test: some requests got past the size limit and the CSRF check, into the view.
    assert reached, "every request was stopped before the view"


@pytest.mark.parametrize(
    "parts",
    [
        [("\n", "a part whose name breaks its header")],
        [("\r", "")],
        [("username", (b"a file where text is expected", "name.txt"))],
        [("name", (b"x", "x.csv")), ("type", "cbo")],
    ],
    ids=["newline name", "return name", "file as username", "file as name"],
)
def test_malformed_multipart_is_refused_not_crashed_on(world, shared_app, tmp_path, parts):
    app = world.refill(shared_app, tmp_path / "data")
    store = app.config["STORE"]
    before = state(store)
    for sender, path in (("anonymous", "/login"), ("admin", "/partners/new"), ("admin", "/partners/import")):
        body = MultiDict([("csrf_token", world.sessions[sender].csrf)])
        for key, value in parts:
            body.add(key, (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value)
        response = client_as(app, world, sender).post(path, data=body, content_type="multipart/form-data")
        assert response.status_code == 400, path
        assert "This request could not be understood" in response.get_data(as_text=True)
    assert state(store) == before


@pytest.mark.parametrize(
    "body", [b"false", b"[1, 2]", b"7", b'"text"', b'{"role": "admin", "active": "y"}', b"{not json"]
)
def test_a_json_body_is_refused_not_read_as_a_form(world, shared_app, tmp_path, body):
    """Forms are posted as forms: JSON (even an object naming the form's fields) is a 400, never a 500."""
    app = world.refill(shared_app, tmp_path / "data")
    store = app.config["STORE"]
    before = state(store)
    admin = client_as(app, world, "admin")
    headers = {"X-CSRFToken": world.sessions["admin"].csrf}
    for path in (f"/admin/accounts/{world.ids['account']}", "/partners/new", f"/s/{world.ids['survey_token']}"):
        response = admin.post(path, data=body, content_type="application/json", headers=headers)
        assert response.status_code == 400, path
        assert "This request could not be understood" in response.get_data(as_text=True)
    assert state(store) == before
