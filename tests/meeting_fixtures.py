"""The meeting tests' helpers and fixtures: a facilitator driving meetings through their forms, participants' phones.

The fixtures (``roster``, ``facilitator``, ``phones``, ``open_meeting``) reach every test through
``tests/conftest.py`` (``pytest_plugins``); the helpers are imported by name.
"""

import html
import re
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, gettext

from roundtable import meetings, partners
from roundtable.errors import InvalidInput
from views.messages import message_for

from .conftest import csrf_token

DAY = "2026-06-01"


def text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


def store_of(app):
    """The app's store."""
    return app.config["STORE"]


def said(app, language, message, **params):
    """``message`` as a visitor reading ``language`` sees it."""
    with app.test_request_context(), force_locale(language):
        return gettext(message, **params)


def refusal(app, language, code, **params):
    """The domain refusal ``code`` as a visitor reading ``language`` sees it."""
    with app.test_request_context(), force_locale(language):
        return message_for(InvalidInput(code, **params))


def snapshot(app):
    """Everything a meeting request may change: documents, seats, live ballots, stream names."""
    store = store_of(app)
    return {
        "meetings": store.all(meetings.TABLE),
        "seats": sorted(store.all(meetings.SEATS), key=lambda s: s["id"]),
        "ballots": {m["id"]: store.records(meetings.ballots_stream(m["id"])) for m in store.all(meetings.TABLE)},
        "streams": store.streams(),
    }


def count_in_row(page, label):
    """The count a table row headed ``label`` shows, or None."""
    match = re.search(rf"<th[^>]*>\s*{re.escape(label)}\s*</th>\s*<td[^>]*>\s*(\d+)\s*</td>", page)
    return int(match.group(1)) if match else None


def location_path(response):
    """The path a redirect points to."""
    return urlsplit(response.headers["Location"]).path


# The proposal form's fields as the form fills them in by default (all but the text).
PROPOSAL_FORM = {
    "method": "stance",
    "rule": "consensus",
    "threshold": "3/4",
    "fallback_after": "3",
    "fallback_threshold": "2/3",
    "quorum": "all_partners",
    "quorum_number": "0",
    "weighting": "partner",
}


class Facilitator:
    """The staff client, logged in as a facilitator, driving meetings through their forms."""

    def __init__(self, app, staff):
        self.app = app
        self.staff = staff
        self.client = staff.client
        staff.login("fran", "facilitator")

    def __getattr__(self, name):
        """Anything else the staff client does (``confirm``...), as the facilitator."""
        return getattr(self.staff, name)

    def post(self, path, data=None, **kwargs):
        """POST a form with the session's CSRF token."""
        return self.staff.post(path, data, **kwargs)

    def new_meeting(self, title="Board retreat", attending=(), day=DAY, language="en", phase=""):
        """Create a meeting through its form; the response."""
        return self.post(
            "/meetings/new",
            {"title": title, "day": day, "default_language": language, "phase": phase, "attending": list(attending)},
        )

    def meeting(self, attending=(), **kwargs):
        """Create a meeting through its form; the stored document."""
        response = self.new_meeting(attending=attending, **kwargs)
        assert response.status_code == 303, text(response)
        meeting_id = location_path(response).rsplit("/", 1)[-1]
        return meetings.get_meeting(store_of(self.app), meeting_id)

    def add_proposal(self, meeting, **fields):
        """POST the proposal form (defaults filled in as the form shows them); the response."""
        data = {**PROPOSAL_FORM, "text": "Adopt the shared vision", **fields}
        return self.post(f"/meetings/{meeting['id']}/proposals/new", data)

    def proposal(self, meeting, **fields):
        """Add a proposal through its form; the stored proposal."""
        response = self.add_proposal(meeting, **fields)
        assert response.status_code == 303, text(response)
        return meetings.get_meeting(store_of(self.app), meeting["id"])["proposals"][-1]

    def open(self, meeting, proposal, amended=""):
        """Open the proposal's next round (confirmed, when it is not the first); the redirect."""
        return self.staff.post_through_confirmation(
            f"/meetings/{meeting['id']}/proposals/{proposal['id']}/open", {"text": amended}
        )

    def close(self, meeting):
        """Close the open round (confirmed, when one is open); the redirect."""
        return self.staff.post_through_confirmation(f"/meetings/{meeting['id']}/close")

    def decide(self, meeting, proposal, decision, rationale=""):
        """Record the decision on a proposal; the redirect."""
        return self.post(
            f"/meetings/{meeting['id']}/proposals/{proposal['id']}/decision",
            {"decision": decision, "rationale": rationale},
        )

    def live(self, meeting, etag=None):
        """The projector's data; the response."""
        headers = {"If-None-Match": etag} if etag else {}
        return self.client.get(f"/meetings/{meeting['id']}/live.json", headers=headers)

    def live_html(self, meeting):
        """The live fragment of the projector's data, entities resolved."""
        response = self.live(meeting)
        assert response.status_code == 200
        return html.unescape(response.get_json()["html"])


class Phone:
    """A participant's phone: a client of its own, no account, no name."""

    def __init__(self, app, language=None):
        self.app = app
        self.client = app.test_client()
        if language:
            self.client.set_cookie("lang", language)
        self.path = None

    def join(self, code):
        """Type the join code at /join and follow to the meeting's page; that page."""
        response = self.client.post("/join", data={"csrf_token": csrf_token(self.client, "/join"), "code": code})
        assert response.status_code == 303, text(response)
        self.path = location_path(response)
        assert self.path.startswith("/m/")
        return self.client.get(self.path)

    @property
    def meeting_id(self):
        """The id of the meeting this phone joined."""
        [meeting] = store_of(self.app).find(meetings.TABLE, share_token=self.path[len("/m/") :])
        return meeting["id"]

    def sit(self, partner="", partner_type="", csrf=True):
        """Take a seat for a partner (or a partner type); the response."""
        data = {"partner": partner, "partner_type": partner_type}
        if csrf:
            data["csrf_token"] = csrf_token(self.client, self.path)
        return self.client.post(self.path, data=data)

    def vote(self, option, comment="", csrf=True):
        """Send a stance; the response."""
        data = {"option": option, "comment": comment}
        if csrf:
            data["csrf_token"] = csrf_token(self.client, self.path)
        return self.client.post(self.path + "/vote", data=data)

    def stage(self):
        """What the phone's page follows: which round is open, or how many have closed."""
        response = self.client.get(self.path + "/state")
        assert response.status_code == 200
        return response.get_json()["stage"]

    @property
    def seat_token(self):
        """The seat token this phone holds in its cookie (None without a seat)."""
        cookie = self.client.get_cookie(f"seat_{self.meeting_id}", path=self.path)
        return cookie.value if cookie else None

    def forge_seat(self, token):
        """Put ``token`` in the seat cookie, as a tampering phone would."""
        self.client.set_cookie(f"seat_{self.meeting_id}", token, path=self.path)


@pytest.fixture
def roster(app):
    """Four active partners and one former partner."""
    store = store_of(app)
    added = [
        partners.add_partner(store, name, kind)
        for name, kind in [
            ("Acme Manufacturing", "business"),
            ("Local 12", "labor"),
            ("Valley College", "semi_public"),
            ("Goodwill", "cbo"),
        ]
    ]
    partners.add_partner(store, "Gone Foundation", "foundation", active=False)
    return added


@pytest.fixture
def facilitator(app, staff):
    """The staff client, logged in as a facilitator."""
    return Facilitator(app, staff)


@pytest.fixture
def phones(app):
    """Make participants' phones: ``phones()`` or ``phones(language="es")``."""
    return lambda language=None: Phone(app, language)


def seated(app, meeting, partner=None, partner_type=None, language=None):
    """A phone that joined ``meeting`` with its code and took a seat."""
    phone = Phone(app, language)
    page = phone.join(meeting["join_code"])
    assert page.status_code == 200
    response = phone.sit(partner.id if partner else "", partner_type or "")
    assert response.status_code == 303, text(response)
    assert phone.seat_token
    return phone


@pytest.fixture
def open_meeting(app, facilitator, roster):
    """A meeting of the first three partners with one stance proposal, its round open, and three seated phones."""
    meeting = facilitator.meeting(attending=[p.id for p in roster[:3]])
    proposal = facilitator.proposal(meeting)
    assert facilitator.open(meeting, proposal).status_code == 303
    seats = [seated(app, meeting, partner) for partner in roster[:3]]
    return meetings.get_meeting(store_of(app), meeting["id"]), proposal, seats
