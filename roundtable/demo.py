"""A demo partnership, so a newcomer sees Roundtable with data at once."""

import datetime
import random
import secrets

from . import accounts, meetings, partners, surveys
from .survey_templates import TEMPLATES

DEMO_PARTNERS = [
    ("Cascade Manufacturing Co.", "Cascade Mfg", "business"),
    ("Riverside Health Systems", "Riverside Health", "business"),
    ("Northwest Tech Alliance", "NW Tech", "business"),
    ("Goodwill Community Services", "Goodwill", "cbo"),
    ("Neighborhood Youth Network", "Youth Network", "cbo"),
    ("County Workforce Development Council", "Workforce Council", "government"),
    ("State Department of Employment Security", "Employment Security", "government"),
    ("Harbor Community Foundation", "Harbor Foundation", "foundation"),
    ("Ramirez Family Foundation", "Ramirez Foundation", "foundation"),
    ("Regional Building Trades Council", "Building Trades", "labor"),
    ("Valley Community College", "Valley College", "semi_public"),
    ("Metro Transit Authority", "Metro Transit", "semi_public"),
]

DEMO_ACCOUNTS = [("admin", "admin"), ("facilitator", "facilitator"), ("leader", "leader")]


class NotEmpty(Exception):
    """The data directory already holds a partnership; the demo will not mix into it."""


def seed_demo(store):
    """Fill an empty store with the demo partnership and its surveys; return {username: password}."""
    if accounts.has_accounts(store) or partners.list_partners(store):
        raise NotEmpty()
    credentials = {}
    for username, role in DEMO_ACCOUNTS:
        password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        accounts.create_account(store, username, password, role)
        credentials[username] = password
    roster = [partners.add_partner(store, name, type_key, short_name) for name, short_name, type_key in DEMO_PARTNERS]
    today = datetime.date.today()
    seed_surveys(store, roster, today)
    seed_meeting(store, roster, today)
    return credentials


DEMO_COMMENTS = [
    "Meetings run long; shorter agendas with decisions up front would help.",
    "We need clearer referral paths between the college and the one-stop.",
    "Smaller partners rarely get the floor. A round at the start of each meeting would help.",
    "The shared calendar has made a real difference this quarter.",
    "Más información en español para las familias que atendemos.",
    "Funding decisions feel made before the meeting. Please share drafts earlier.",
    "Great momentum on the apprenticeship pilot.",
]


def _answers(survey, rng, mood):
    """Plausible answers: agreement leaning on ``mood`` (1-5), an occasional comment."""
    answers = {}
    for question in survey.questions:
        if question.kind == "agreement":
            answers[question.id] = max(1, min(5, round(rng.gauss(mood, 0.9))))
        elif question.kind == "long_text" and rng.random() < 0.45:
            answers[question.id] = rng.choice(DEMO_COMMENTS)
    return answers


def seed_surveys(store, roster, today, rng=None):
    """Surveys from the templates (the health check twice), with responses spread over the last months."""
    rng = rng or random.Random(2026)
    receipt_key = secrets.token_hex(32)  # nobody holds the demo's receipt codes: a key used once will do
    plans = [
        # template, attribution, how many partners answer, days ago, still open
        ("health_check", "partner_type", 9, 75, False),
        ("ingredients", "partner", 7, 40, False),
        ("strategic_planning", "anonymous", 6, 10, True),
        ("health_check", "partner_type", 10, 12, True),
    ]
    for key, attribution, answering, days_ago, still_open in plans:
        survey = surveys.create_from_template(
            store, TEMPLATES[key], attribution, today=today - datetime.timedelta(days=days_ago + 3), key=key
        )
        survey = surveys.set_status(store, survey.id, "open")
        # Some partners are heard from less: the dashboard should show who is silent.
        for partner in rng.sample(roster[:-2], answering):
            day = today - datetime.timedelta(days=days_ago - rng.randint(0, 5))
            mood = {
                "business": 3.6,
                "cbo": 3.1,
                "government": 3.9,
                "foundation": 3.4,
                "labor": 2.8,
                "semi_public": 3.7,
            }[partner.type]
            surveys.submit_response(
                store,
                survey,
                _answers(survey, rng, mood),
                partner_id=partner.id,
                partner_type=partner.type,
                today=day,
                secret=receipt_key,
            )
        if not still_open:
            surveys.set_status(store, survey.id, "closed")


def seed_meeting(store, roster, today, rng=None):
    """A past meeting deciding the joint strategic plan, over several proposals and rounds."""
    rng = rng or random.Random(7)
    attending = roster[:10]
    meeting = meetings.create_meeting(
        store,
        {"en": "Quarterly partnership meeting", "es": "Reunión trimestral"},
        today - datetime.timedelta(days=20),
        phase="planning",
        attending=[p.id for p in attending],
    )
    agenda = [
        # text, method, stances per round (the last round is decided)
        (
            {
                "en": "Adopt the vision statement: every job seeker and employer finds the help they need, "
                "in their language."
            },
            "gradients",
            [["1", "2", "3", "1", "6", "2", "3", "1", "2", "4"]],
        ),
        (
            {"en": "Share one intake form across all partners from next quarter."},
            "stance",
            [
                ["agree", "agree", "disagree", "block", "agree", "abstain", "agree", "agree", "disagree"],
                ["agree", "agree", "agree", "disagree", "agree", "abstain", "agree", "agree", "agree", "agree"],
            ],
        ),
        (
            {"en": "Fund a shared translator for partner meetings."},
            "fist_to_five",
            [["5", "4", "3", "2", "4", "1", "1", "3"]],
        ),
    ]
    secret = "demo"
    seats = {}
    for text, method, rounds in agenda:
        proposal = meetings.add_proposal(store, meeting["id"], text, method=method, quorum="number", quorum_number=7)
        for number, stances in enumerate(rounds, start=1):
            amended = {"en": text["en"] + " Small partners may phase it in over six months."} if number > 1 else None
            meetings.open_round(store, meeting["id"], proposal["id"], amended)
            for partner, stance in zip(rng.sample(attending, len(stances)), stances):
                if partner.id not in seats:  # a partner's seat is taken once per meeting
                    token = meetings.take_seat(store, meeting["id"], secret, partner_id=partner.id)
                    seats[partner.id] = meetings.seat_for(store, meeting["id"], secret, token)
                seat = seats[partner.id]
                comment = "We need time to train our staff." if stance in ("disagree", "block", "2", "1") else ""
                meetings.cast_ballot(store, meeting["id"], seat, stance, comment)
            closed = meetings.close_round(store, meeting["id"], rng)
        outcome = closed["proposals"][-1]["rounds"][-1]["tally"]["outcome"]
        decision = "adopted" if outcome == "adopted" else "deferred"
        meetings.record_decision(
            store,
            meeting["id"],
            proposal["id"],
            decision,
            "Agreed in the room." if decision == "adopted" else "Back to the working group.",
        )
    meetings.end_meeting(store, meeting["id"])
