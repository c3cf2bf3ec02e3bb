"""The occasions partners were heard, gathered from surveys and meeting rounds for the voice metrics."""

from . import partners, surveys
from .voice import Event


def survey_events(store):
    """One event per survey with responses: partners (if attributed) and partner types heard."""
    events = []
    for survey in surveys.list_surveys(store):
        records = store.records(surveys.stream(survey.id))
        if not records:
            continue
        events.append(Event(
            "survey", survey.id, min(r["day"] for r in records), survey.phase,
            frozenset(r["partner"] for r in records if r.get("partner")),
            frozenset(r["partner_type"] for r in records if r.get("partner_type")),
        ))
    return events


def round_events(store):
    """One event per closed meeting round: the partners and partner types whose ballots it counted."""
    events = []
    for meeting in store.all("meetings"):
        for proposal in meeting["proposals"]:
            for round_ in proposal["rounds"]:
                if round_["status"] != "closed":
                    continue
                ballots = round_["ballots"]
                events.append(Event(
                    "round", f"{meeting['id']}:{proposal['id']}:{round_['number']}", meeting["day"],
                    meeting.get("phase"),
                    frozenset(b["partner"] for b in ballots if b.get("partner")),
                    frozenset(b["partner_type"] for b in ballots if b.get("partner_type")),
                ))
    return events


def all_events(store):
    """Every survey and closed round, oldest first."""
    return sorted(survey_events(store) + round_events(store), key=lambda e: (e.day, e.kind, e.id))


def roster(store):
    """The whole roster (the metrics count active partners only)."""
    return partners.list_partners(store)
