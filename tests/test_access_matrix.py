"""Who may do what: one table of every endpoint × role, checked against the running app.

``TABLE`` below is the access-control design in one place, from the roles in
the domain (docs: /README.md "A quick tour"; ``roundtable/accounts.py``
PERMISSIONS). Roles (see ``tests/roles.py``):

- ``anonymous``: a visitor whose session holds nothing but a CSRF token;
- ``participant``: a partner's representative with no account, holding
  survey A's link (``/s/<token>``) and a seat in meeting A (a cookie);
- ``leader``, ``facilitator``, ``admin``: staff, logged in through the form;
- ``disabled``: a facilitator's session kept after the account was disabled.

Outcomes: ``OK`` means a GET answers 200, and a POST (with the session's valid
CSRF token and a small valid form) is handled: 200, or a redirect that is not
to the login page. ``LOGIN`` is a redirect to the login page; 403 and 404 are
those statuses. Every refused POST leaves the store exactly as it was (every
table and stream, read through the store's API); GETs never change it. And on
every POST route, for every role, the same form without a token, or with
another session's, is refused (400, "This form has expired").

The tests walk ``app.url_map``: an endpoint missing from the table (or a row
for an endpoint that no longer exists) fails the suite. Further tests pin the
rules the table encodes (facilitators cannot manage accounts, leaders change
nothing but their own password, a link or seat opens only its own survey or
meeting).

Run: ``pytest tests/test_access_matrix.py -q`` (about 15 s on a quiet machine).
"""

import io
from html.parser import HTMLParser

import pytest
from flask import url_for

from .conftest import PASSWORD
from .meeting_fixtures import PROPOSAL_FORM
from .roles import ROLES, build, client_as, state, url_values

OK, LOGIN = "ok", "login"
EVERYONE = dict.fromkeys(ROLES, OK)
NOBODY = dict.fromkeys(ROLES, 404)
STAFF = {"anonymous": LOGIN, "participant": LOGIN, "leader": OK, "facilitator": OK, "admin": OK, "disabled": LOGIN}
FACILITATORS = {**STAFF, "leader": 403}
ADMINISTRATORS = {**FACILITATORS, "facilitator": 403}
SEAT_HOLDERS = {**dict.fromkeys(ROLES, 403), "participant": OK}

TABLE = {
    # Anyone: the home page, logging in and out, the language, static files.
    "main.index": EVERYONE,
    "main.health": EVERYONE,
    "main.language": EVERYONE,
    "main.counting": EVERYONE,
    "static": EVERYONE,
    "auth.setup": NOBODY,  # only while no account exists at all
    "auth.login": EVERYONE,
    "auth.logout": EVERYONE,
    "auth.password": STAFF,  # one's own password
    # Administrators: accounts and the roster (which every staff member reads).
    "admin.account_list": ADMINISTRATORS,
    "admin.account_edit": ADMINISTRATORS,
    "roster.partners_list": STAFF,
    "roster.partner_new": ADMINISTRATORS,
    "roster.partner_edit": ADMINISTRATORS,
    "roster.partner_toggle": ADMINISTRATORS,
    "roster.partner_import": ADMINISTRATORS,
    "roster.partner_types": ADMINISTRATORS,
    # Facilitators build surveys; leaders find them in the list and read their results.
    "surveys.survey_list": STAFF,
    "surveys.from_template": FACILITATORS,
    "surveys.survey_new": FACILITATORS,
    "surveys.survey_edit": FACILITATORS,
    "surveys.builder": FACILITATORS,
    "surveys.question_new": FACILITATORS,
    "surveys.question_edit": FACILITATORS,
    "surveys.question_action": FACILITATORS,
    "surveys.survey_status": FACILITATORS,
    "surveys.survey_duplicate": FACILITATORS,
    "surveys.preview": FACILITATORS,
    "surveys.share": FACILITATORS,
    "surveys.qr_code": FACILITATORS,
    "surveys.invitations": FACILITATORS,
    "results.survey_results": STAFF,
    "results.results_csv": STAFF,
    "results.results_json": STAFF,
    "results.responses_csv": STAFF,
    "results.responses_json": STAFF,
    # Facilitators run meetings; leaders read the list and the minutes.
    "meetings.meeting_list": STAFF,
    "meetings.meeting_new": FACILITATORS,
    "meetings.agenda": FACILITATORS,
    "meetings.proposal_new": FACILITATORS,
    "meetings.round_open": FACILITATORS,
    "meetings.round_close": FACILITATORS,
    "meetings.decision": FACILITATORS,
    "meetings.meeting_end": FACILITATORS,
    "meetings.seat_release": FACILITATORS,
    "meetings.proxy_give": FACILITATORS,
    "meetings.proxy_withdraw": FACILITATORS,
    "meetings.proposal_translate": FACILITATORS,
    "meetings.screen": FACILITATORS,
    "meetings.live": FACILITATORS,
    "meetings.qr_code": FACILITATORS,
    "meetings.minutes": STAFF,
    "meetings.minutes_markdown": STAFF,
    "meetings.minutes_csv": STAFF,
    "dashboard.dashboard": STAFF,
    "dashboard.dashboard_csv": STAFF,
    # Participants: no account; a link, a code, a receipt, a seat.
    "respond.join": EVERYONE,
    "respond.survey": EVERYONE,
    "respond.thanks": EVERYONE,
    "respond.receipt": EVERYONE,
    "vote.meeting": EVERYONE,
    "vote.state": EVERYONE,
    "vote.cast": SEAT_HOLDERS,
}

NEW = "a brand new password"

# A small valid form for each POST endpoint, so that an allowed role's request succeeds.
BODIES = {
    "auth.setup": lambda ids: {"username": "eve", "password": NEW, "confirm": NEW},
    "auth.login": lambda ids: {"username": "lee", "password": PASSWORD},
    "auth.logout": lambda ids: {},
    "auth.password": lambda ids: {"current": PASSWORD, "password": NEW, "confirm": NEW},
    "main.language": lambda ids: {"lang": "es", "next": "/"},
    "admin.account_list": lambda ids: {"username": "newbie", "role": "leader", "password": NEW, "confirm": NEW},
    "admin.account_edit": lambda ids: {"role": "facilitator", "active": "y"},
    "roster.partner_new": lambda ids: {"name": "Harbor Foundation", "type": "foundation", "active": "y"},
    "roster.partner_edit": lambda ids: {"name": "Acme Manufacturing Co.", "type": "business", "active": "y"},
    "roster.partner_toggle": lambda ids: {},
    "roster.partner_import": lambda ids: {
        "file": (io.BytesIO(b"name,type\nHarbor Foundation,foundation\n"), "partners.csv")
    },
    "roster.partner_types": lambda ids: {"label": "Tribal nation"},
    "surveys.from_template": lambda ids: {},
    "surveys.survey_new": lambda ids: {
        "title": "Spring check-in",
        "default_language": "en",
        "attribution": "anonymous",
    },
    "surveys.survey_edit": lambda ids: {
        "title": "Survey A, renamed",
        "default_language": "en",
        "attribution": "partner_type",
    },
    "surveys.question_new": lambda ids: {"kind": "yes_no", "text": "Ready?"},
    "surveys.question_edit": lambda ids: {"kind": "short_text", "text": "One word, please?"},
    "surveys.question_action": lambda ids: {},
    "surveys.survey_status": lambda ids: {},
    "surveys.survey_duplicate": lambda ids: {},
    "surveys.invitations": lambda ids: {"count": "2", "partner": ""},
    "respond.join": lambda ids: {"code": ids["join_code"]},
    "respond.survey": lambda ids: {f"q-{ids['agree_question']}": "5", "partner_type": "cbo"},
    "respond.receipt": lambda ids: {"code": ids["receipt"]},
    "meetings.meeting_new": lambda ids: {
        "title": "Retreat",
        "day": "2026-12-01",
        "default_language": "en",
        "attending": ids["partners"],
    },
    "meetings.proposal_new": lambda ids: {"text": "Adopt the plan", **PROPOSAL_FORM},
    "meetings.round_open": lambda ids: {"text": ""},
    "meetings.round_close": lambda ids: {},
    "meetings.decision": lambda ids: {"decision": "deferred", "rationale": "Next time"},
    "meetings.meeting_end": lambda ids: {},
    "meetings.seat_release": lambda ids: {"seat": "no-such-seat"},
    # Meeting A's round is open: the proxy is refused (told on the agenda), whoever may ask.
    "meetings.proxy_give": lambda ids: {"absent": ids["partners"][-1], "holder": ids["partners"][-2]},
    "meetings.proxy_withdraw": lambda ids: {"absent": ids["partners"][-1]},
    "meetings.proposal_translate": lambda ids: {"language": "vi", "text": "Thông qua kế hoạch"},
    # By type: a partner's seat is taken once (by the participant), and every role asks in turn.
    "vote.meeting": lambda ids: {"partner_type": "cbo"},
    "vote.cast": lambda ids: {"option": "agree", "comment": ""},
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The shared partnership, built once for this module."""
    return build(tmp_path_factory.mktemp("access") / "data")


@pytest.fixture(scope="module")
def shared_app(world, tmp_path_factory):
    """One app for the module; each test points it at a fresh copy of the world (``world.refill``)."""
    return world.copy(tmp_path_factory.mktemp("access-app") / "data")


def rules(app, method):
    """Every rule of the app that answers ``method``, by endpoint."""
    return sorted((rule for rule in app.url_map.iter_rules() if method in rule.methods), key=lambda r: r.endpoint)


def path_of(app, rule, ids):
    """The rule's path with its arguments filled in from ``ids``."""
    with app.test_request_context():
        return url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, ids))


def outcome(response):
    """The response as the table names it: LOGIN, or its status."""
    if response.status_code == 302 and response.location.startswith("/login"):
        return LOGIN
    return response.status_code


def check(method, expected, response):
    """Whether ``response`` is the ``expected`` outcome for ``method``."""
    got = outcome(response)
    if expected != OK:
        return got == expected
    if method == "GET":
        return got == 200
    return got == 200 or (got in (302, 303) and got != LOGIN)


def post_body(endpoint, ids, csrf):
    """The small valid form for ``endpoint``, with ``csrf`` and how to send it."""
    data = BODIES[endpoint](ids)
    if csrf is not None:
        data["csrf_token"] = csrf
    kwargs = {"content_type": "multipart/form-data"} if endpoint == "roster.partner_import" else {}
    return data, kwargs


# -- the table covers the app ----------------------------------------------------------


def test_every_endpoint_has_a_row_and_every_row_an_endpoint(world, shared_app, tmp_path):
    app = world.refill(shared_app, tmp_path / "data")
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(TABLE)) == [], "endpoints missing from the access table"
    assert sorted(set(TABLE) - endpoints) == [], "rows for endpoints that no longer exist"
    for endpoint, row in TABLE.items():
        assert set(row) == set(ROLES), endpoint
    post_endpoints = {rule.endpoint for rule in rules(app, "POST")}
    assert sorted(post_endpoints ^ set(BODIES)) == [], "every POST endpoint needs a body, and only those"


# -- the table holds -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(world, shared_app, tmp_path, role):
    app = world.refill(shared_app, tmp_path / "data")
    store = app.config["STORE"]
    before = state(store)
    wrong = []
    for rule in rules(app, "GET"):
        path = path_of(app, rule, world.ids)
        response = client_as(app, world, role).get(path)
        expected = TABLE[rule.endpoint][role]
        if not check("GET", expected, response):
            wrong.append((rule.endpoint, path, f"expected {expected}", f"got {outcome(response)}"))
    assert wrong == []
    assert state(store) == before, "a GET changed the store"


@pytest.mark.parametrize("endpoint", sorted(BODIES))
def test_post_matrix(world, shared_app, tmp_path, endpoint):
    wrong = []
    for role in ROLES:
        app = world.refill(shared_app, tmp_path / role)
        store = app.config["STORE"]
        rule = next(rule for rule in rules(app, "POST") if rule.endpoint == endpoint)
        path = path_of(app, rule, world.ids)
        data, kwargs = post_body(endpoint, world.ids, world.sessions[role].csrf)
        before = state(store)
        # Without a token, or with another session's, the form is refused before anything else.
        stranger = world.sessions["admin" if role == "anonymous" else "anonymous"].csrf
        for csrf in (None, stranger):
            forged, forged_kwargs = post_body(endpoint, world.ids, csrf)
            response = client_as(app, world, role).post(path, data=forged, **forged_kwargs)
            if response.status_code != 400 or "This form has expired" not in response.get_data(as_text=True):
                wrong.append((role, f"token {csrf}", f"got {response.status_code}"))
            elif state(store) != before:
                wrong.append((role, f"token {csrf}", "refused, yet the store changed"))
        response = client_as(app, world, role).post(path, data=data, **kwargs)
        expected = TABLE[endpoint][role]
        if not check("POST", expected, response):
            wrong.append(
                (role, f"expected {expected}", f"got {outcome(response)}", response.get_data(as_text=True)[-600:])
            )
        elif expected != OK and state(store) != before:
            wrong.append((role, "refused, yet the store changed"))
    assert wrong == []


def test_a_refused_post_changes_nothing_even_when_its_form_is_valid(world, shared_app, tmp_path):
    """The test of the test: the same valid form, allowed, does change the store."""
    app = world.refill(shared_app, tmp_path / "data")
    store = app.config["STORE"]
    before = state(store)
    data, _kwargs = post_body("roster.partner_new", world.ids, world.sessions["facilitator"].csrf)
    assert client_as(app, world, "facilitator").post("/partners/new", data=data).status_code == 403
    assert state(store) == before
    data, _kwargs = post_body("roster.partner_new", world.ids, world.sessions["admin"].csrf)
    assert client_as(app, world, "admin").post("/partners/new", data=data).status_code == 303
    assert state(store) != before


# -- the rules the table encodes ------------------------------------------------------------


def allowed(role, endpoints=None):
    """The endpoints ``role`` may use (among ``endpoints``, if given)."""
    return {e for e, row in TABLE.items() if row[role] == OK and (endpoints is None or e in endpoints)}


def test_facilitators_cannot_manage_accounts_or_the_roster():
    managing = {e for e in TABLE if e.startswith("admin.")} | {
        "roster.partner_new",
        "roster.partner_edit",
        "roster.partner_toggle",
        "roster.partner_import",
        "roster.partner_types",
    }
    assert allowed("facilitator") & managing == set()
    assert allowed("leader") & managing == set()
    assert allowed("admin") >= managing


def test_leaders_change_nothing_but_their_own_password(world, shared_app, tmp_path):
    app = world.refill(shared_app, tmp_path / "data")
    post_endpoints = {rule.endpoint for rule in rules(app, "POST")}
    open_to_all = allowed("anonymous", post_endpoints)
    assert open_to_all == {
        "auth.login",
        "auth.logout",
        "main.language",
        "respond.join",
        "respond.survey",
        "respond.receipt",
        "vote.meeting",
    }
    assert allowed("leader", post_endpoints) == open_to_all | {"auth.password"}
    # What leaders read: results, minutes and the dashboard, never the builder or the meeting room.
    assert {"results.survey_results", "meetings.minutes", "dashboard.dashboard"} <= allowed("leader")
    assert {"surveys.builder", "meetings.agenda", "meetings.screen"} & allowed("leader") == set()


def test_a_disabled_account_has_no_more_than_a_visitor():
    for endpoint, row in TABLE.items():
        assert row["disabled"] == row["anonymous"], endpoint


def test_a_participants_link_opens_only_its_own_survey(world, shared_app, tmp_path):
    app = world.refill(shared_app, tmp_path / "data")
    ids = world.ids
    participant = client_as(app, world, "participant")
    assert participant.get(f"/s/{ids['survey_token']}").status_code == 200
    for path in (
        f"/surveys/{ids['other_survey']}/results",
        f"/surveys/{ids['other_survey']}",
        f"/surveys/{ids['other_survey']}/responses.json",
        f"/surveys/{ids['survey']}/results",
    ):
        response = participant.get(path)
        assert outcome(response) == LOGIN, path
    before = state(app.config["STORE"])
    forged = ids["survey_token"][:-2] + ("xx" if not ids["survey_token"].endswith("xx") else "yy")
    for token in (forged, ids["meeting_token"], ids["survey"], "x" * 200):
        assert participant.get(f"/s/{token}").status_code == 404, token
        assert participant.get(f"/s/{token}/thanks").status_code == 404, token
        response = participant.post(
            f"/s/{token}",
            data={
                "csrf_token": world.sessions["participant"].csrf,
                f"q-{ids['agree_question']}": "5",
                "partner_type": "cbo",
            },
        )
        assert response.status_code == 404, token
    assert state(app.config["STORE"]) == before


def ballots(app, meeting_id):
    """The live ballots of a meeting's open round."""
    return app.config["STORE"].records(f"ballots-{meeting_id}")


def test_a_seat_votes_only_in_its_own_meeting(world, shared_app, tmp_path):
    app = world.refill(shared_app, tmp_path / "data")
    ids = world.ids
    session = world.sessions["participant"]
    ((seat_name, seat_token, _path),) = [c for c in session.cookies if c[0].startswith("seat_")]
    vote = {"csrf_token": session.csrf, "option": "agree"}
    before = state(app.config["STORE"])
    # The seat's cookie belongs to meeting A's path: meeting B does not see it.
    participant = client_as(app, world, "participant")
    other = participant.post(f"/m/{ids['other_meeting_token']}/vote", data=vote)
    assert other.status_code == 403
    assert "Your seat was not found" in other.get_data(as_text=True)
    # Sent on purpose, under meeting B's cookie name and path, it still opens nothing there.
    forger = app.test_client()
    forger.set_cookie(f"seat_{ids['other_meeting']}", seat_token, path=f"/m/{ids['other_meeting_token']}")
    forger.set_cookie(seat_name, seat_token, path=f"/m/{ids['other_meeting_token']}")
    assert forger.post(f"/m/{ids['other_meeting_token']}/vote", data=vote).status_code == 400  # no CSRF session
    forger.set_cookie("session", next(c[1] for c in session.cookies if c[0] == "session"))
    assert forger.post(f"/m/{ids['other_meeting_token']}/vote", data=vote).status_code == 403
    assert state(app.config["STORE"]) == before
    assert ballots(app, ids["other_meeting"]) == []
    # In its own meeting the seat votes.
    assert participant.post(f"/m/{ids['meeting_token']}/vote", data=vote).status_code == 303
    assert [b["option"] for b in ballots(app, ids["meeting"])] == ["agree"]
    assert ballots(app, ids["other_meeting"]) == []


# -- every page is valid HTML ------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Structure(HTMLParser):
    """The ids a page declares, and what breaks its structure: end tags with no open element, elements left open."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.open, self.problems = [], [], []

    def handle_starttag(self, tag, attrs):
        self.ids.extend(value for name, value in attrs if name == "id")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.ids.extend(value for name, value in attrs if name == "id")

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            closes = self.open[-1] if self.open else "nothing"
            self.problems.append(f"</{tag}> closes {closes} at line {self.getpos()[0]}")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]
            return
        self.open.pop()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_declares_each_id_once_and_closes_every_element(world, shared_app, tmp_path, role):
    """Duplicate ids break labels and fragment links (two forms each with id="csrf_token" did); so do broken trees."""
    app = world.refill(shared_app, tmp_path / "data")
    wrong, pages = [], 0
    for rule in rules(app, "GET"):
        response = client_as(app, world, role).get(path_of(app, rule, world.ids))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages += 1
        page = _Structure()
        page.feed(response.get_data(as_text=True))
        page.close()
        repeated = sorted({i for i in page.ids if page.ids.count(i) > 1})
        if repeated or page.problems or page.open:
            wrong.append((rule.endpoint, repeated, page.problems[:3], page.open))
    assert pages >= 3
    assert wrong == []


def test_the_structure_check_finds_a_repeated_id_and_a_broken_tree():
    page = _Structure()
    page.feed('<form><input id="a"></form><div id="a"><p>text</div>')
    page.close()
    assert page.ids == ["a", "a"] and page.problems == ["</div> closes p at line 1"] and page.open == []
