"""The voice dashboard's figures: every number a leader sees, from the store, as plain data.

``figures`` gathers the events in view and computes each figure with
``voice``. Two figures read what partners answered: the sentiment and the
health-check means. They take a survey only once it holds k voices
(``heard_records``, the dashboard's one use of the k rule; see anonymity.py).

What scans responses is remembered in ``memo``, a plain dict the caller keeps
between calls: the lists of events and health checks until anything in the
store changes, each survey's figures until its own responses change.
"""

import dataclasses
from fractions import Fraction

from . import events, results, surveys, voice
from .texts import text_in

KINDS = ("survey", "round")


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the leader chose to look at; an empty value keeps everything."""

    start: str = ""  # ISO days
    end: str = ""
    phase: str = ""
    partner_type: str = ""
    kind: str = ""  # "survey", "round" or ""

    def keeps(self, day, phase):
        """Whether something of ``day`` in ``phase`` falls inside the dates and the phase in view."""
        return (
            (not self.start or day >= self.start)
            and (not self.end or day <= self.end)
            and (not self.phase or phase == self.phase)
        )

    def apply(self, found, roster):
        """The events and roster these filters keep."""
        kept = [e for e in found if self.keeps(e.day, e.phase) and (not self.kind or e.kind == self.kind)]
        if self.partner_type:
            roster = [p for p in roster if p.type == self.partner_type]
        return kept, roster


@dataclasses.dataclass(frozen=True)
class SurveyAgreement:
    """What a survey's agreement-scale answers add up to."""

    first_day: str  # ISO day of its first response
    total: int  # the sum of its agreement-scale answers (1–5)
    count: int  # how many there are
    means: dict  # question id -> mean agreement (2 decimals), None where unanswered


@dataclasses.dataclass(frozen=True)
class HealthChecks:
    """Mean agreement per challenge, one column per health check in view."""

    days: list  # each health check's first day
    challenges: list  # (statement, its words in the reader's language), in the first check's order
    means: list  # per challenge: its mean in each health check (None where it has none)


@dataclasses.dataclass(frozen=True)
class LastRound:
    """A decided proposal's last closed round."""

    text: str
    day: str
    round: int
    share: Fraction  # supportive share
    outcome: str


@dataclasses.dataclass(frozen=True)
class Figures:
    """Every figure the dashboard shows, for the events and partners in view."""

    events: list  # voice.Event, oldest first
    roster: list  # the active partners in view
    coverage: voice.Coverage | None
    equity: Fraction | None
    sentiment: Fraction | None
    by_phase: list  # voice.phase_trend
    monthly: list  # voice.coverage_by_period by month
    silent: list  # voice.silent_partners in the last 5 events
    contributions: list  # (partner name, events heard in), most heard first
    lorenz: list
    names: dict  # partner id -> name, the whole roster
    types: dict  # partner type key -> its name
    heat_rows: list  # the names of the partner types in view
    heat: list  # per partner type: partners heard in each event
    agreement: list  # LastRound, by day
    health: HealthChecks | None


def remembered(memo, key, version, compute):
    """``compute()``, kept in ``memo`` under ``key`` until ``version`` changes."""
    if key not in memo or memo[key][0] != version:
        memo[key] = (version, compute())
    return memo[key][1]


def heard_records(store, survey, k):
    """A survey's responses as stored, or None while they hold fewer than k voices (or none)."""
    records = store.records(surveys.stream(survey.id))
    if not records or not results.enough_voices(survey, [r.get("partner") for r in records], k):
        return None
    return records


def survey_agreement(store, survey, k):
    """The ``SurveyAgreement`` of a survey with at least k voices; None otherwise."""
    records = heard_records(store, survey, k)
    if records is None:
        return None
    scales = [q.id for q in survey.questions if q.kind == "agreement"]
    values = {qid: [r["answers"][qid] for r in records if qid in r["answers"]] for qid in scales}
    return SurveyAgreement(
        min(r["day"] for r in records),
        sum(sum(v) for v in values.values()),
        sum(len(v) for v in values.values()),
        {qid: round(sum(v) / len(v), 2) if v else None for qid, v in values.items()},
    )


def _agreement_of(store, survey, k, memo):
    """``survey_agreement``, recomputed only when the survey's own responses change."""
    version = (store.stream_version(surveys.stream(survey.id)), k)
    return remembered(memo.setdefault("surveys", {}), survey.id, version, lambda: survey_agreement(store, survey, k))


def sentiment(store, filters, k, memo):
    """Sentiment (−1…+1) over the agreement-scale answers of the surveys in view; None without any."""
    if filters.kind == "round":
        return None
    total = count = 0
    for survey in surveys.list_surveys(store):
        found = _agreement_of(store, survey, k, memo)
        if found is not None and filters.keeps(found.first_day, survey.phase):
            total, count = total + found.total, count + found.count
    return voice.sentiment(total, count)


def _health_check_agreements(store, k, memo):
    """(survey, SurveyAgreement) of each health check with at least k voices, oldest first."""
    checks = []
    for doc in sorted(store.find(surveys.TABLE, template="health_check"), key=lambda d: d["created"]):
        survey = surveys.get_survey(store, doc["id"])
        found = _agreement_of(store, survey, k, memo)
        if found is not None:
            checks.append((survey, found))
    return checks


def health_checks(store, filters, k, language, memo):
    """Mean agreement per challenge in each health check in view (``language``: the reader's); None without."""
    if filters.kind == "round":
        return None
    every = remembered(memo, "health", (store.version(), k), lambda: _health_check_agreements(store, k, memo))
    checks = [(survey, found) for survey, found in every if filters.keeps(found.first_day, survey.phase)]
    if not checks:
        return None
    first = checks[0][0]
    default = first.default_language

    def statement(question):
        # Each survey made from the template has question ids of its own: a challenge is known by its words.
        return question.text.get(default) or next(iter(question.text.values()), question.id)

    challenges = [
        (statement(q), text_in(q.text, language, default)[0]) for q in first.questions if q.kind == "agreement"
    ]
    by_statement = [
        {statement(q): found.means.get(q.id) for q in survey.questions if q.kind == "agreement"}
        for survey, found in checks
    ]
    return HealthChecks(
        [found.first_day for _, found in checks],
        challenges,
        [[means.get(key) for means in by_statement] for key, _ in challenges],
    )


def last_rounds(store, filters, language):
    """Each decided proposal's last round in view (meetings only), by day; texts in ``language`` if written."""
    if filters.kind == "survey":
        return []
    rows = []
    for meeting in store.all("meetings"):
        if not filters.keeps(meeting["day"], meeting.get("phase")):
            continue
        for proposal in meeting["proposals"]:
            closed = [r for r in proposal["rounds"] if r["status"] == "closed"]
            if closed:
                last = closed[-1]
                rows.append(
                    LastRound(
                        text_in(last["text"], language, meeting["default_language"])[0],
                        meeting["day"],
                        last["number"],
                        Fraction(last["tally"]["supportive_share"]),
                        last["tally"]["outcome"],
                    )
                )
    return sorted(rows, key=lambda row: row.day)


def figures(store, filters, k, language, type_names, memo):
    """Every figure the dashboard shows (``type_names``: partner type key -> its name for the reader)."""
    roster_all = events.roster(store)
    every = remembered(
        memo, "events", store.version(), lambda: events.all_events(store, memo.setdefault("survey_events", {}))
    )
    found, roster = filters.apply(every, roster_all)
    counts = voice.contributions(found, roster)
    names = {p.id: p.name for p in roster_all}
    type_keys, heat = voice.heard_by_type(found, roster)
    return Figures(
        events=found,
        roster=voice.active(roster),
        coverage=voice.fitting_coverage(found, roster),
        equity=voice.equity(found, roster),
        sentiment=sentiment(store, filters, k, memo),
        by_phase=voice.phase_trend(found, roster),
        monthly=voice.coverage_by_period(found, roster, "month"),
        silent=voice.silent_partners(found, roster, last_events=5),
        contributions=sorted(((names[p], n) for p, n in counts.items()), key=lambda item: (-item[1], item[0])),
        lorenz=voice.lorenz(counts.values()) if counts else [],
        names=names,
        types=type_names,
        heat_rows=[type_names.get(key, key) for key in type_keys],
        heat=heat,
        agreement=last_rounds(store, filters, language),
        health=health_checks(store, filters, k, language, memo),
    )
