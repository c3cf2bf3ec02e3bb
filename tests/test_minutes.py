"""The minutes' figures (roundtable/minutes.py): closed rounds only; who voted, never how; proxies; released seats."""

import datetime
from fractions import Fraction

import pytest

from roundtable import meetings, minutes, partners

SECRET = "test-secret"


class Reversed:
    """A stand-in for the system's shuffle that reverses, so the stored order is known."""

    @staticmethod
    def shuffle(items):
        """Reverse ``items`` in place."""
        items.reverse()


@pytest.fixture
def room(store):
    """A meeting of four partners, Goodwill represented by Acme's proxy; round 1 of its first proposal closed.

    Acme agrees, for itself, and disagrees for Goodwill; a foundation's type-only seat abstains with a concern;
    Local 12 sits but does not vote, then its seat is released. The second proposal is never opened.
    """
    acme, labor, college, goodwill = (
        partners.add_partner(store, name, kind)
        for name, kind in [
            ("Acme", "business"),
            ("Local 12", "labor"),
            ("Valley College", "semi_public"),
            ("Goodwill", "cbo"),
        ]
    )
    meeting = meetings.create_meeting(
        store, {"en": "Board"}, datetime.date(2026, 6, 1), attending=[acme.id, labor.id, college.id]
    )
    first = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    second = meetings.add_proposal(store, meeting["id"], {"en": "Fund the pilot"})
    meetings.give_proxy(store, meeting["id"], goodwill.id, acme.id)
    meetings.open_round(store, meeting["id"], first["id"])
    acme_seat = seat(store, meeting, partner_id=acme.id)
    labor_seat = seat(store, meeting, partner_id=labor.id)
    foundation_seat = seat(store, meeting, partner_type="foundation")
    meetings.cast_ballot(store, meeting["id"], acme_seat, "agree")
    meetings.cast_ballot(store, meeting["id"], acme_seat, "disagree", for_partner=goodwill.id)
    meetings.cast_ballot(store, meeting["id"], foundation_seat, "abstain", comment="Too soon")
    meetings.close_round(store, meeting["id"], rng=Reversed())
    meetings.release_seat(store, meeting["id"], labor_seat["id"])
    ids = {
        "acme": acme.id,
        "labor": labor.id,
        "college": college.id,
        "goodwill": goodwill.id,
        "first": first["id"],
        "second": second["id"],
    }
    return store, meetings.get_meeting(store, meeting["id"]), ids


def seat(store, meeting, **voice):
    token = meetings.take_seat(store, meeting["id"], SECRET, **voice)
    return meetings.seat_for(store, meeting["id"], SECRET, token)


def test_the_minutes_give_each_closed_round_its_result_and_who_voted(room):
    _store, meeting, ids = room
    first, second = minutes.minutes(meeting, k=3)
    assert (first.proposal["id"], second.proposal["id"]) == (ids["first"], ids["second"])
    [closed] = first.rounds
    assert closed.result.round["number"] == 1
    assert closed.result.counts == {"agree": 1, "abstain": 1, "disagree": 1, "block": 0}
    assert closed.result.supportive_share == Fraction(1, 2)  # the abstention does not decide
    assert closed.result.concerns == ("Too soon",)
    # Goodwill voted through Acme's proxy; the type-only seat names nobody; Local 12 sat but did not vote.
    assert closed.voted == {ids["acme"], ids["goodwill"]}
    assert second.rounds == () and first.decision is None and second.decision is None


def test_the_minutes_withhold_partner_types_under_k(room):
    _store, meeting, _ids = room
    [closed] = minutes.minutes(meeting, k=3)[0].rounds
    assert [(group, cells) for group, cells in closed.result.by_type] == [
        ("business", None),
        ("cbo", None),
        ("foundation", None),
    ]
    [closed] = minutes.minutes(meeting, k=1)[0].rounds
    assert dict(closed.result.by_type)["cbo"] == {"agree": 0, "abstain": 0, "disagree": 1, "block": 0}


def test_an_open_round_is_not_in_the_minutes(room):
    store, meeting, ids = room
    meetings.open_round(store, meeting["id"], ids["second"])
    voter = seat(store, meeting, partner_id=ids["college"])
    meetings.cast_ballot(store, meeting["id"], voter, "agree")
    meeting = meetings.get_meeting(store, meeting["id"])
    assert minutes.minutes(meeting, k=3)[1].rounds == ()
    assert list(minutes.counted(meeting)) == [(ids["first"], 1)]
    assert ids["college"] not in minutes.heard(meeting)


def test_a_decision_is_in_the_minutes(room):
    store, meeting, ids = room
    meetings.record_decision(store, meeting["id"], ids["first"], "deferred", "Ask the members")
    meeting = meetings.get_meeting(store, meeting["id"])
    assert minutes.minutes(meeting, k=3)[0].decision == {"status": "deferred", "rationale": "Ask the members"}


def test_counted_gives_ballots_organizations_and_the_supportive_share(room):
    _store, meeting, ids = room
    assert minutes.counted(meeting) == {(ids["first"], 1): (3, 3, Fraction(1, 2))}


def test_heard_represented_and_released_name_partners_never_stances(room):
    _store, meeting, ids = room
    assert minutes.heard(meeting) == {ids["acme"], ids["goodwill"]}
    assert minutes.represented(meeting) == {(ids["goodwill"], ids["acme"])}
    assert minutes.released(meeting) == [(ids["labor"], "labor")]


def test_a_meeting_with_nothing_closed_has_empty_minutes(room):
    store, _meeting, _ids = room
    fresh = meetings.create_meeting(store, {"en": "Next"}, datetime.date(2026, 7, 1))
    assert minutes.minutes(fresh, k=3) == [] and minutes.counted(fresh) == {}
    assert minutes.heard(fresh) == set() and minutes.represented(fresh) == set() and minutes.released(fresh) == []
