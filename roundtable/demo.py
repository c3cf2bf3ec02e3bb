"""A demo partnership, so a newcomer sees Roundtable with data at once."""

import datetime
import random
import secrets

from . import accounts, partners, surveys
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
    roster = [partners.add_partner(store, name, type_key, short_name)
              for name, short_name, type_key in DEMO_PARTNERS]
    seed_surveys(store, roster, datetime.date.today())
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
    """Three surveys from the templates, with responses spread over the last months."""
    rng = rng or random.Random(2026)
    plans = [
        # template, attribution, how many partners answer, days ago, still open
        ("health_check", "partner_type", 9, 75, False),
        ("ingredients", "partner", 7, 40, False),
        ("strategic_planning", "anonymous", 6, 10, True),
    ]
    for key, attribution, answering, days_ago, still_open in plans:
        survey = surveys.create_from_template(store, TEMPLATES[key], attribution,
                                              today=today - datetime.timedelta(days=days_ago + 3))
        survey = surveys.set_status(store, survey.id, "open")
        # Some partners are heard from less: the dashboard should show who is silent.
        for partner in rng.sample(roster[:-2], answering):
            day = today - datetime.timedelta(days=days_ago - rng.randint(0, 5))
            mood = {"business": 3.6, "cbo": 3.1, "government": 3.9, "foundation": 3.4,
                    "labor": 2.8, "semi_public": 3.7}[partner.type]
            surveys.submit_response(store, survey, _answers(survey, rng, mood), partner_id=partner.id,
                                    partner_type=partner.type, today=day)
        if not still_open:
            surveys.set_status(store, survey.id, "closed")
