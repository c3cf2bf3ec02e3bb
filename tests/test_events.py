"""Events gathered from surveys and rounds feed the voice metrics; the demo partnership has silent partners."""

import datetime

from roundtable import demo, events, meetings, partners, surveys, voice
from roundtable.store import MemoryStore


def test_events_from_surveys_and_rounds():
    store = MemoryStore()
    a = partners.add_partner(store, "Acme", "business")
    b = partners.add_partner(store, "Local 12", "labor")
    by_partner = surveys.set_status(
        store,
        surveys.create_survey(
            store,
            {"en": "Check"},
            "en",
            "partner",
            "planning",
            questions=[{"kind": "yes_no", "text": {"en": "Ready?"}}],
        ).id,
        "open",
    )
    answers, _ = surveys.validate_answers(by_partner, {by_partner.questions[0].id: ["yes"]})
    surveys.submit_response(
        store, by_partner, answers, partner_id=a.id, today=datetime.date(2026, 3, 2), secret="test key"
    )
    meeting = meetings.create_meeting(
        store, {"en": "Board"}, datetime.date(2026, 4, 1), phase="developing", attending=[a.id, b.id]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Go"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    token = meetings.take_seat(store, meeting["id"], "s", partner_id=b.id)
    meetings.cast_ballot(store, meeting["id"], meetings.seat_for(store, meeting["id"], "s", token), "agree")
    meetings.close_round(store, meeting["id"])

    found = events.all_events(store)
    assert [(e.kind, e.day, e.phase, e.partners) for e in found] == [
        ("survey", "2026-03-02", "planning", frozenset({a.id})),
        ("round", "2026-04-01", "developing", frozenset({b.id})),
    ]
    assert voice.coverage(found, events.roster(store)) == (1, 1)
    assert voice.equity(found, events.roster(store)) == 1


def test_the_demo_partnership_has_silent_partners_and_an_equity_figure():
    store = MemoryStore()
    demo.seed_demo(store)
    found, roster = events.all_events(store), events.roster(store)
    silent = voice.silent_partners(found, roster)
    assert silent and all(p.active for p, _ in silent)
    equity = voice.equity(found, roster)
    assert equity is not None and 0 < equity < 1


def test_a_new_response_regathers_only_its_own_survey():
    store = MemoryStore()
    demo.seed_demo(store)
    memo = {}
    first = events.all_events(store, memo)
    before = dict(memo)
    assert events.all_events(store, memo) == first
    survey = next(s for s in surveys.list_surveys(store) if s.is_open)
    answers, _ = surveys.validate_answers(survey, {survey.questions[0].id: ["4"]})
    surveys.submit_response(
        store,
        survey,
        answers,
        partner_id=partners.list_partners(store)[0].id,
        partner_type="business",
        secret="test key",
    )
    events.all_events(store, memo)
    changed = {sid for sid in memo if memo[sid] is not before[sid]}
    assert changed == {survey.id}
    assert events.all_events(store, memo) == events.all_events(store)
