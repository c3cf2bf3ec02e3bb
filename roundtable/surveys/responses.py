"""A survey's stored responses, as the builder and results read them.

A response keeps only its answers, the day it arrived, and — as the survey's
author chose — its partner or partner type: no id, no time finer than the day.
"""

import dataclasses
import secrets

# Shuffles that hide who answered what draw from the system's generator: module
# ``random`` can be seeded, and its state guessed from other draws.
SHUFFLER = secrets.SystemRandom()


def stream(survey_id):
    """The name of the stream holding a survey's responses."""
    return f"responses-{survey_id}"


def response_count(store, survey_id):
    """How many responses a survey holds."""
    return len(store.records(stream(survey_id)))


def answered_questions(store, survey_id):
    """The ids of a survey's questions that have at least one answer."""
    return {qid for record in store.records(stream(survey_id)) for qid in record["answers"]}


def heard(store, survey_id):
    """(partner ids, partner types) the survey's responses speak for, where they carry them."""
    records = store.records(stream(survey_id))
    return (
        {r.get("partner") for r in records if r.get("partner")},
        {r.get("partner_type") for r in records if r.get("partner_type")},
    )


@dataclasses.dataclass(frozen=True)
class Response:
    """One stored response as results see it: no id, no time finer than the day."""

    answers: dict
    partner: str | None
    partner_type: str | None
    day: str


def responses_for(store, survey_id, rng=SHUFFLER):
    """A survey's responses, in random order."""
    responses = [
        Response(r["answers"], r.get("partner"), r.get("partner_type"), r["day"])
        for r in store.records(stream(survey_id))
    ]
    rng.shuffle(responses)
    return responses
