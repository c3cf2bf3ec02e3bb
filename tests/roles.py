"""A partnership with someone in every role, built once per test module and copied for each test.

The access-control matrix, the hostile-input test and the security-headers
test share it. It holds:

- staff of every role, each logged in through the login form: an
  administrator (``admin``), a facilitator (``facilitator``), a leader
  (``leader``), and a facilitator whose account was disabled *after* logging
  in (``disabled``: the session it kept must count for nothing);
- a partner's representative with no account (``participant``) who holds
  survey A's link (and answered it, keeping the receipt) and a seat in
  meeting A; and a visitor with nothing (``anonymous``);
- two open surveys (A and B) and two meetings with an open round (A and B),
  so that tests can show one link or seat never opens the other.

Each role is a set of cookies and the CSRF token that goes with them, so a
test makes a fresh client per request (``client_as``) and no request can log
another one out. Copies share the template's secret key, so the cookies hold
in every copy; ``refill`` gives an app a fresh copy of the data without
making a new app.
"""

import dataclasses
import datetime
import os
import re
import shutil

from app import create_app
from roundtable import accounts, meetings, partners, surveys
from roundtable.store import FileStore

from .conftest import PASSWORD, csrf_token

ROLES = ("anonymous", "participant", "leader", "facilitator", "admin", "disabled")
USERNAMES = {"admin": "ada", "facilitator": "fran", "leader": "lee", "disabled": "dana"}
ACCOUNT_ROLES = {"admin": "admin", "facilitator": "facilitator", "leader": "leader", "disabled": "facilitator"}
RECEIPT = re.compile(r"\b([A-HJKMNP-Z2-9]{6}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4})\b")

# Every table the domain keeps; ``state`` refuses a store holding any other.
TABLES = (
    accounts.TABLE,
    partners.TABLE,
    partners.TYPES_TABLE,
    surveys.TABLE,
    surveys.INVITATIONS,
    meetings.TABLE,
    meetings.SEATS,
)

QUESTIONS = [
    {"kind": "agreement", "text": {"en": "We trust each other."}, "required": True},
    {"kind": "short_text", "text": {"en": "One word for the partnership?"}},
]


@dataclasses.dataclass(frozen=True)
class Session:
    """What a role's browser holds: cookies as (name, value, path), and the CSRF token of its session."""

    cookies: tuple
    csrf: str


@dataclasses.dataclass(frozen=True)
class World:
    """The template data directory, the ids in it, and every role's session."""

    template: str
    ids: dict
    sessions: dict

    def copy(self, destination, **config):
        """A fresh app on a copy of the template's data directory (``config`` overrides settings)."""
        shutil.copytree(self.template, destination)
        return create_app({"DATA_DIR": str(destination), "TESTING": True, **config})

    def refill(self, app, destination):
        """Point ``app`` (made by ``copy``) at a fresh copy of the template's data; return it.

        Much cheaper than a new app, which compiles every template again; the
        app's caches are keyed by the store's version, which a new copy changes.
        """
        shutil.copytree(self.template, destination)
        app.config.update(DATA_DIR=str(destination), STORE=FileStore(os.path.join(destination, "store")))
        return app


def client_as(app, world, role):
    """A new test client holding ``role``'s cookies."""
    client = app.test_client()
    for name, value, path in world.sessions[role].cookies:
        client.set_cookie(name, value, path=path)
    return client


def _cookies(client, *extra):
    found = []
    for name, path in (("session", "/"),) + extra:
        cookie = client.get_cookie(name, path=path)
        if cookie is not None:
            found.append((name, cookie.value, path))
    return tuple(found)


def _log_in(app, username):
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def build(directory):
    """Build the world in ``directory`` (a data directory); return its ``World``."""
    app = create_app({"DATA_DIR": str(directory), "TESTING": True})
    store = app.config["STORE"]
    made = {role: accounts.create_account(store, USERNAMES[role], PASSWORD, ACCOUNT_ROLES[role]) for role in USERNAMES}
    roster = [
        partners.add_partner(store, name, kind)
        for name, kind in [
            ("Acme Manufacturing", "business"),
            ("Local 12 Carpenters", "labor"),
            ("Valley College", "semi_public"),
            ("Goodwill", "cbo"),
        ]
    ]
    survey_a, survey_b = (
        surveys.set_status(
            store, surveys.create_survey(store, {"en": title}, "en", "partner_type", questions=QUESTIONS).id, "open"
        )
        for title in ("Survey A", "Survey B")
    )
    meeting_a, meeting_b = (
        meetings.create_meeting(store, {"en": title}, datetime.date(2026, 11, 23), attending=[p.id for p in roster])
        for title in ("Meeting A", "Meeting B")
    )
    proposals = {}
    for meeting in (meeting_a, meeting_b):
        proposals[meeting["id"]] = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})["id"]
        meetings.open_round(store, meeting["id"], proposals[meeting["id"]])

    sessions = {}
    for role in ("admin", "facilitator", "leader", "disabled"):
        client = _log_in(app, USERNAMES[role])
        token = csrf_token(client, "/")
        sessions[role] = Session(_cookies(client), token)
    visitor = app.test_client()
    token = csrf_token(visitor, "/login")
    sessions["anonymous"] = Session(_cookies(visitor), token)

    participant = app.test_client()
    survey_path, meeting_path = f"/s/{survey_a.share_token}", f"/m/{meeting_a['share_token']}"
    token = csrf_token(participant, survey_path)
    answered = participant.post(
        survey_path, data={"csrf_token": token, f"q-{survey_a.questions[0].id}": "4", "partner_type": "labor"}
    )
    assert answered.status_code == 303, answered.get_data(as_text=True)
    receipt = RECEIPT.search(participant.get(answered.location).get_data(as_text=True)).group(1)
    seated = participant.post(meeting_path, data={"csrf_token": token, "partner": roster[0].id})
    assert seated.status_code == 303, seated.get_data(as_text=True)
    seat = (f"seat_{meeting_a['id']}", meeting_path)
    sessions["participant"] = Session(_cookies(participant, seat), token)
    assert len(sessions["participant"].cookies) == 2

    # Disabled after logging in: the session it kept must open nothing.
    accounts.update_account(store, made["disabled"].id, "facilitator", False, acting_id=made["admin"].id)

    ids = {
        "survey": survey_a.id,
        "agree_question": survey_a.questions[0].id,
        "question": survey_a.questions[1].id,
        "survey_token": survey_a.share_token,
        "join_code": survey_a.join_code,
        "receipt": receipt,
        "other_survey": survey_b.id,
        "other_survey_token": survey_b.share_token,
        "meeting": meeting_a["id"],
        "proposal": proposals[meeting_a["id"]],
        "meeting_token": meeting_a["share_token"],
        "other_meeting": meeting_b["id"],
        "other_meeting_token": meeting_b["share_token"],
        "partner": roster[0].id,
        "partners": [p.id for p in roster],
        "account": made["leader"].id,
        "admin_account": made["admin"].id,
    }
    return World(str(directory), ids, sessions)


# What fills each URL argument; ``token`` depends on whose link it is.
ARGUMENTS = {
    "survey_id": lambda ids: ids["survey"],
    "question_id": lambda ids: ids["question"],
    "meeting_id": lambda ids: ids["meeting"],
    "proposal_id": lambda ids: ids["proposal"],
    "partner_id": lambda ids: ids["partner"],
    "account_id": lambda ids: ids["account"],
    "key": lambda ids: "health_check",
    "action": lambda ids: "down",
    "status": lambda ids: "closed",
    "filename": lambda ids: "css/roundtable.css",
}


def url_values(endpoint, arguments, ids):
    """Values for a rule's URL ``arguments`` from the world's ``ids`` (KeyError for an argument nobody fills)."""
    values = {name: ARGUMENTS[name](ids) for name in arguments if name != "token"}
    if "token" in arguments:
        values["token"] = ids["meeting_token"] if endpoint.startswith("vote.") else ids["survey_token"]
    return values


def state(store):
    """Everything the store holds, read through its API: every table, and every stream's records."""
    unknown = set(store.snapshot().db.tables()) - set(TABLES)
    assert not unknown, f"tables the snapshot does not cover: {unknown}"
    tables = {table: sorted(store.all(table), key=lambda doc: doc["id"]) for table in TABLES}
    streams = {name: sorted(store.records(name), key=lambda record: record["_id"]) for name in store.streams()}
    return tables, streams
