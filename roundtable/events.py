"""The occasions partners were heard, gathered from surveys and meeting rounds for the voice metrics."""

from . import partners, surveys
from .voice import Event


def survey_event(store, survey):
    """The event of one survey (None without responses): partners (if attributed) and partner types heard."""
    records = store.records(surveys.stream(survey.id))
    if not records:
        return None
    return Event(
        "survey",
        survey.id,
        min(r["day"] for r in records),
        survey.phase,
        frozenset(r["partner"] for r in records if r.get("partner")),
        frozenset(r["partner_type"] for r in records if r.get("partner_type")),
        survey.attribution,
    )


def survey_events(store, memo=None):
    """One event per survey with responses.

    With ``memo`` (a dict kept between calls), a survey's event is gathered
    again only when its responses changed: one new response costs one survey.
    """
    events = []
    for survey in surveys.list_surveys(store):
        if memo is None:
            event = survey_event(store, survey)
        else:
            key = (store.stream_version(surveys.stream(survey.id)), survey.phase)
            cached = memo.get(survey.id)
            if cached is None or cached[0] != key:
                cached = memo[survey.id] = (key, survey_event(store, survey))
            event = cached[1]
        if event is not None:
            events.append(event)
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
                events.append(
                    Event(
                        "round",
                        f"{meeting['id']}:{proposal['id']}:{round_['number']}",
                        meeting["day"],
                        meeting.get("phase"),
                        frozenset(b["partner"] for b in ballots if b.get("partner")),
                        frozenset(b["partner_type"] for b in ballots if b.get("partner_type")),
                        _round_attribution(ballots),
                    )
                )
    return events


def _round_attribution(ballots):
    """A round records partners if any ballot names one; only types if its ballots name types alone."""
    if any(b.get("partner") for b in ballots) or not any(b.get("partner_type") for b in ballots):
        return "partner"
    return "partner_type"


def all_events(store, memo=None):
    """Every survey and closed round, oldest first (``memo``: see ``survey_events``)."""
    return sorted(survey_events(store, memo) + round_events(store), key=lambda e: (e.day, e.kind, e.id))


def roster(store):
    """The whole roster (the metrics count active partners only)."""
    return partners.list_partners(store)
