"""A partnership's data at a chosen size, built through the domain layer for the benchmarks.

Surveys, the roster and accounts are made by the domain functions the app
uses; stored responses go through ``surveys.add_responses``, the bulk path
(validated like a submission, written in one durable write per survey
instead of one fsync each). A place is a data directory, and with a
``database_url`` also a PostgreSQL database of its own (see databases.py):
the store is whatever ``open_store`` makes of the two, as in the app.
"""

import dataclasses
import datetime
import os
import random
import shutil

import databases
from harness import PASSWORD  # first: harness puts the project on sys.path

from app import create_app
from roundtable import accounts, meetings, partners, surveys
from roundtable.survey_templates import TEMPLATES

PARTNERS = 200
SURVEYS = 100
ANONYMOUS = 10  # of SURVEYS: the ones participants submit to in the benchmarks
START = datetime.date(2025, 1, 1)
COMMENT = "More joint planning sessions with the colleges, please; the last one helped a lot."


@dataclasses.dataclass(frozen=True)
class Documents:
    """The shared documents' data directory, and the meeting's seat tokens (one per voter)."""

    data_dir: str
    meeting: dict
    seats: list
    database_url: str | None = None  # the documents' database, if they are in one
    admin_url: str | None = None  # the database that places' databases are made from (--database-url)


@dataclasses.dataclass(eq=False)
class World:
    """A filled data directory and what the benchmarks need to know about it."""

    data_dir: str
    app: object
    targets: list  # anonymous surveys, open for submissions
    sizes: dict  # survey id -> responses stored
    database_url: str | None = None

    @property
    def store(self):
        """The world's store."""
        return self.app.config["STORE"]

    def responses(self, survey_list=None):
        """Responses stored now in the given surveys (all of them by default)."""
        ids = [s.id for s in survey_list] if survey_list is not None else list(self.sizes)
        return sum(len(self.store.records(surveys.stream(i))) for i in ids)


def random_answers(survey, rng):
    """A complete response: every agreement question answered, the comment written."""
    return {q.id: str(rng.randint(1, 5)) if q.kind == "agreement" else COMMENT for q in survey.questions}


def fill_survey(store, survey, count, roster, rng, day, variety=50):
    """Store ``count`` responses to ``survey`` through the bulk path.

    Each response picks its answers from ``variety`` random complete sets,
    each validated as a submission is (validating 100,000 would take a minute).
    """
    pool = []
    for _ in range(variety):
        answers, errors = surveys.validate_answers(survey, {k: [v] for k, v in random_answers(survey, rng).items()})
        assert not errors, errors
        pool.append(answers)
    batch = []
    for _ in range(count):
        partner = roster[rng.randrange(len(roster))]
        batch.append((pool[rng.randrange(variety)], partner.id, partner.type))
    surveys.add_responses(store, survey, batch, today=day)


def open_app(data_dir, database_url=None):
    """The app on a place: its data directory, and its database if it has one."""
    return create_app({"DATA_DIR": data_dir, "DATABASE_URL": database_url})


def close(app):
    """Let go of the app's store (a database's connections), so the place can be copied or dropped."""
    getattr(app.config["STORE"], "close", lambda: None)()


def seated_meeting(app, voters):
    """A meeting with an open round, a facilitator and one seat per voter (partners added if the roster is short)."""
    store, secret = app.config["STORE"], app.config["SECRET_KEY"]
    roster = partners.list_partners(store, active_only=True)[:voters]
    if len(roster) < voters:  # in one transaction: a thousand of them one by one take a minute on PostgreSQL
        roster += partners.import_csv(
            store, "name,type\n" + "".join(f"Voter {n:03d},business\n" for n in range(len(roster), voters))
        )
    if not any(a.username == "facilitator" for a in accounts.list_accounts(store)):
        accounts.create_account(store, "facilitator", PASSWORD, "facilitator")
    meeting = meetings.create_meeting(
        store, {"en": "Benchmark"}, datetime.date.today(), attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the plan"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    tokens = [meetings.take_seat(store, meeting["id"], secret, partner_id=p.id) for p in roster]
    return meeting, tokens


def documents(data_dir, voters=0, database_url=None, admin_url=None):
    """The documents every world shares: roster, accounts, a meeting seating ``voters``, SURVEYS open health checks.

    SURVEYS - ANONYMOUS surveys speak for partners (the dashboard's history);
    ANONYMOUS are anonymous (the submission targets). Returns a ``Documents``.
    With ``database_url``, the database must exist and hold the tables;
    ``admin_url`` is a database to connect to when places are made from it.
    """
    app = open_app(data_dir, database_url)
    store = app.config["STORE"]
    types = partners.BUILTIN_TYPES
    partners.import_csv(
        store, "name,type\n" + "".join(f"Partner {n:03d},{types[n % len(types)]}\n" for n in range(PARTNERS))
    )
    accounts.create_account(store, "leader", PASSWORD, "leader")
    accounts.create_account(store, "facilitator", PASSWORD, "facilitator")
    # Seats first: each is a transaction, cheaper before the surveys fill the documents file.
    meeting, seats = seated_meeting(app, voters) if voters else (None, [])
    for n in range(SURVEYS):
        attribution = "anonymous" if n >= SURVEYS - ANONYMOUS else "partner"
        survey = surveys.create_from_template(
            store,
            TEMPLATES["health_check"],
            attribution,
            today=START + datetime.timedelta(days=3 * n),
            key="health_check",
        )
        surveys.set_status(store, survey.id, "open")
    close(app)
    return Documents(data_dir, meeting, seats, database_url, admin_url)


def build(data_dir, shared, total, big=None, small=100, seed=1, database_url=None):
    """A copy of the ``shared`` documents holding ``total`` responses.

    Responses are spread evenly over the surveys, except that with ``big``
    the first anonymous survey holds ``big`` and the second ``small``. When
    the documents are in a database, the copy is the database ``database_url``
    (made from them by databases.create).
    """
    rng = random.Random(seed)
    if shared.database_url:
        os.makedirs(data_dir)
        databases.create(shared.admin_url, database_url, template_url=shared.database_url)
    else:
        shutil.copytree(shared.data_dir, data_dir)
    app = open_app(data_dir, database_url)
    store = app.config["STORE"]
    roster = partners.list_partners(store)
    made = sorted(surveys.list_surveys(store), key=lambda s: s.created)
    targets = [s for s in made if s.attribution == "anonymous"]
    counts = {s.id: total // len(made) for s in made}
    if big is not None:
        counts[targets[0].id], counts[targets[1].id] = big, small
        rest = [s.id for s in made if s.id not in (targets[0].id, targets[1].id)]
        share, extra = divmod(total - big - small, len(rest))
        counts.update({sid: share + (1 if i < extra else 0) for i, sid in enumerate(rest)})
    for survey in made:
        fill_survey(store, survey, counts[survey.id], roster, rng, datetime.date.fromisoformat(survey.created))
    return World(data_dir, app, targets, counts, database_url)
