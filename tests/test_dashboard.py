"""The dashboard's figures in the domain (roundtable/dashboard.py), no Flask: k once, filters, the memo.

The page and its CSV are tested through the web in test_dashboard_web.py.
"""

import datetime
from fractions import Fraction

import pytest

from roundtable import dashboard, demo, events, partners, surveys, voice
from roundtable.dashboard import Filters, LastRound
from roundtable.store.api import open_store
from roundtable.survey_templates import TEMPLATES

K = 3
JAN, FEB = datetime.date(2026, 1, 10), datetime.date(2026, 2, 10)


@pytest.fixture
def store(tmp_path):
    return open_store("memory:", str(tmp_path))


@pytest.fixture
def roster(store):
    """Four active partners: two businesses, a labor union and a college."""
    return [
        partners.add_partner(store, name, kind)
        for name, kind in (
            ("Acme", "business"),
            ("Brick Co", "business"),
            ("Local 12", "labor"),
            ("College", "semi_public"),
        )
    ]


def agreement_survey(store, attribution, phase=None, template=False):
    """An open survey of two agreement questions (a health check from its template with ``template``)."""
    if template:
        survey = surveys.create_from_template(store, TEMPLATES["health_check"], attribution, key="health_check")
    else:
        survey = surveys.create_survey(
            store,
            {"en": "Pulse", "es": "Pulso"},
            "en",
            attribution,
            phase,
            questions=[
                {"kind": "agreement", "text": {"en": "We listen", "es": "Escuchamos"}},
                {"kind": "agreement", "text": {"en": "We decide", "es": "Decidimos"}},
            ],
        )
    return surveys.set_status(store, survey.id, "open")


def answer(store, survey, scores, voices, day=JAN):
    """One response per voice (a Partner, a type key, or None), each giving ``scores`` to the first questions."""
    answers, errors = surveys.validate_answers(survey, {q.id: [str(s)] for q, s in zip(survey.questions, scores)})
    assert not errors
    triples = [(answers, getattr(v, "id", None), v if isinstance(v, str) else getattr(v, "type", None)) for v in voices]
    surveys.add_responses(store, survey, triples, today=day)


# -- the k rule, once ---------------------------------------------------------------


def test_a_survey_by_partner_needs_k_organisations_not_k_responses(store, roster):
    survey = agreement_survey(store, "partner")
    assert dashboard.heard_records(store, survey, K) is None  # no responses
    answer(store, survey, [5, 4], [roster[0], roster[0], roster[0], roster[1]])
    assert dashboard.heard_records(store, survey, K) is None  # four responses, two organisations
    assert dashboard.survey_agreement(store, survey, K) is None
    answer(store, survey, [5, 4], [roster[2]])
    assert len(dashboard.heard_records(store, survey, K)) == 5


@pytest.mark.parametrize("attribution, voices", [("partner_type", ["labor", "labor"]), ("anonymous", [None, None])])
def test_a_survey_without_partners_counts_responses(store, roster, attribution, voices):
    survey = agreement_survey(store, attribution)
    answer(store, survey, [2, 2], voices)
    assert dashboard.heard_records(store, survey, K) is None
    answer(store, survey, [2, 2], voices[:1])
    assert len(dashboard.heard_records(store, survey, K)) == K


def test_survey_agreement_adds_up_its_agreement_answers(store, roster):
    survey = agreement_survey(store, "anonymous")
    answer(store, survey, [5, 4], [None, None], day=FEB)
    answer(store, survey, [2], [None], day=JAN)
    found = dashboard.survey_agreement(store, survey, K)
    first, second = (q.id for q in survey.questions)
    assert found == dashboard.SurveyAgreement("2026-01-10", 5 + 5 + 2 + 4 + 4, 5, {first: 4.0, second: 4.0})
    answer(store, survey, [1], [None])
    assert dashboard.survey_agreement(store, survey, K).means == {first: 3.25, second: 4.0}


def test_sentiment_leaves_out_surveys_with_fewer_than_k_voices(store, roster):
    heard = agreement_survey(store, "partner")
    answer(store, heard, [5, 5], roster[:3])
    lonely = agreement_survey(store, "partner")
    answer(store, lonely, [1, 1], roster[:2] * 3)  # six responses from two organisations
    assert dashboard.sentiment(store, Filters(), K, {}) == voice.agreement_sentiment([5] * 6) == 1
    answer(store, lonely, [1, 1], roster[3:])
    assert dashboard.sentiment(store, Filters(), K, {}) == voice.agreement_sentiment([5] * 6 + [1] * 14)


def test_sentiment_follows_the_filters(store, roster):
    january = agreement_survey(store, "anonymous", phase="planning")
    answer(store, january, [5, 5], [None] * 3, day=JAN)
    february = agreement_survey(store, "anonymous", phase="developing")
    answer(store, february, [1, 1], [None] * 3, day=FEB)
    assert dashboard.sentiment(store, Filters(end="2026-01-31"), K, {}) == 1
    assert dashboard.sentiment(store, Filters(start="2026-02-01"), K, {}) == -1
    assert dashboard.sentiment(store, Filters(phase="developing"), K, {}) == -1
    assert dashboard.sentiment(store, Filters(), K, {}) == 0
    assert dashboard.sentiment(store, Filters(kind="round"), K, {}) is None
    assert dashboard.sentiment(store, Filters(phase="renewing"), K, {}) is None


def test_health_checks_take_only_those_with_k_voices_in_the_readers_language(store, roster):
    first = agreement_survey(store, "partner", template=True)
    answer(store, first, [4, 2], roster[:3], day=JAN)
    second = agreement_survey(store, "partner", template=True)
    answer(store, second, [5], roster[:2] * 2, day=FEB)  # two organisations: not shown
    english = dashboard.health_checks(store, Filters(), K, "en", {})
    scales = [q for q in first.questions if q.kind == "agreement"]
    assert english.days == ["2026-01-10"]
    assert [name for _, name in english.challenges] == [q.text["en"] for q in scales]
    assert english.means[:2] == [[4.0], [2.0]] and all(m == [None] for m in english.means[2:])
    spanish = dashboard.health_checks(store, Filters(), K, "es", {})
    assert [name for _, name in spanish.challenges] == [q.text["es"] for q in scales]
    assert spanish.means == english.means
    answer(store, second, [5], roster[2:3], day=FEB)
    both = dashboard.health_checks(store, Filters(), K, "en", {})
    assert both.days == ["2026-01-10", "2026-02-10"] and both.means[0] == [4.0, 5.0]
    assert dashboard.health_checks(store, Filters(start="2026-02-01"), K, "en", {}).means[0] == [5.0]
    assert dashboard.health_checks(store, Filters(kind="round"), K, "en", {}) is None
    assert dashboard.health_checks(store, Filters(end="2025-12-31"), K, "en", {}) is None


# -- what is remembered ---------------------------------------------------------------


class CountingStore:
    """A store that counts the streams it reads."""

    def __init__(self, store):
        self._store, self.reads = store, []

    def records(self, stream):
        self.reads.append(stream)
        return self._store.records(stream)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_the_memo_reads_a_survey_again_only_when_its_responses_change(store, roster):
    quiet, busy = agreement_survey(store, "anonymous"), agreement_survey(store, "anonymous")
    answer(store, quiet, [5, 5], [None] * 3)
    answer(store, busy, [1, 1], [None] * 3)
    counting, memo = CountingStore(store), {}
    before = dashboard.figures(counting, Filters(), K, "en", {}, memo)
    assert before.sentiment == 0
    counting.reads.clear()
    assert dashboard.figures(counting, Filters(), K, "en", {}, memo) == before
    assert counting.reads == []
    answer(store, busy, [1, 1], [None] * 3)
    after = dashboard.figures(counting, Filters(), K, "en", {}, memo)
    assert set(counting.reads) == {surveys.stream(busy.id)}
    assert after.sentiment == voice.agreement_sentiment([5] * 6 + [1] * 12)


# -- the rest of the figures -------------------------------------------------------------


@pytest.fixture
def demo_store(store):
    demo.seed_demo(store)
    return store


def test_last_rounds_are_each_proposals_last_closed_round(demo_store):
    meeting = demo_store.all("meetings")[0]
    rounds = dashboard.last_rounds(demo_store, Filters(), "en")
    lasts = [[r for r in p["rounds"] if r["status"] == "closed"][-1] for p in meeting["proposals"]]
    assert rounds == [
        LastRound(
            last["text"]["en"],
            meeting["day"],
            last["number"],
            Fraction(last["tally"]["supportive_share"]),
            last["tally"]["outcome"],
        )
        for last in lasts
    ]
    assert [row.text for row in dashboard.last_rounds(demo_store, Filters(), "es")] == [
        last["text"].get("es") or last["text"]["en"] for last in lasts
    ]
    assert dashboard.last_rounds(demo_store, Filters(kind="survey"), "en") == []
    assert dashboard.last_rounds(demo_store, Filters(start="9999-01-01"), "en") == []


def test_figures_are_the_voice_functions_over_the_events_in_view(demo_store):
    every, roster = events.all_events(demo_store), events.roster(demo_store)
    filters = Filters(partner_type="labor", kind="survey")
    found, kept = filters.apply(every, roster)
    assert found and all(e.kind == "survey" for e in found) and {p.type for p in kept} == {"labor"}
    names = {"labor": "Labour"}
    got = dashboard.figures(demo_store, filters, K, "en", names, {})
    assert got.events == found and got.roster == voice.active(kept)
    assert got.coverage == voice.fitting_coverage(found, kept) and got.equity == voice.equity(found, kept)
    assert got.silent == voice.silent_partners(found, kept, last_events=5)
    assert got.by_phase == voice.phase_trend(found, kept)
    assert got.heat_rows == ["Labour"] and got.heat == voice.heard_by_type(found, kept)[1]
    assert got.agreement == [] and got.sentiment == dashboard.sentiment(demo_store, filters, K, {})
    counts = voice.contributions(found, kept)
    assert sorted(n for _, n in got.contributions) == sorted(counts.values())
    assert [n for _, n in got.contributions] == sorted(counts.values(), reverse=True)


def test_filters_keep_days_phases_kinds_and_partner_types():
    assert Filters().keeps("2026-01-10", None)
    assert Filters(start="2026-01-10", end="2026-01-10").keeps("2026-01-10", "planning")
    assert not Filters(start="2026-01-11").keeps("2026-01-10", None)
    assert not Filters(end="2026-01-09").keeps("2026-01-10", None)
    assert not Filters(phase="planning").keeps("2026-01-10", None)
    event = voice.Event("round", "r", "2026-01-10", "planning", frozenset(), frozenset())
    roster = [partners.Partner("a", "Acme", "", "business", True), partners.Partner("b", "L12", "", "labor", True)]
    assert Filters(kind="survey").apply([event], roster) == ([], roster)
    assert Filters(kind="round", partner_type="labor").apply([event], roster) == ([event], roster[1:])
