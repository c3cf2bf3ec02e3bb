"""Proxies: an absent partner gives its vote to a partner in the room; counting treats it as present."""

import datetime
import json
from fractions import Fraction

import pytest

from roundtable import meetings, partners, screen
from roundtable.errors import InvalidInput

SECRET = "test-secret"
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def roster(store):
    return [
        partners.add_partner(store, name, kind)
        for name, kind in [
            ("Acme", "business"),
            ("Local 12", "labor"),
            ("Valley College", "semi_public"),
            ("Goodwill", "cbo"),
        ]
    ]


def meeting_with_proposal(store, roster, attending=None, **options):
    attending = [p.id for p in roster] if attending is None else attending
    meeting = meetings.create_meeting(store, {"en": "Board"}, DAY, attending=attending)
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"}, **options)
    return meeting, proposal


def seat(store, meeting, partner):
    token = meetings.take_seat(store, meeting["id"], SECRET, partner_id=partner.id)
    return meetings.seat_for(store, meeting["id"], SECRET, token)


def refused(code, action, *args, **kwargs):
    with pytest.raises(InvalidInput) as error:
        action(*args, **kwargs)
    assert error.value.code == code, error.value.code
    return error.value


def test_the_absent_partner_counts_in_the_electorate_and_votes_through_its_holders_seat(store, roster):
    acme, labor, college, _goodwill = roster
    meeting, proposal = meeting_with_proposal(store, roster[:3], attending=[acme.id, labor.id, college.id])
    meetings.give_proxy(store, meeting["id"], absent=college.id, holder=labor.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    acme_seat, labor_seat = seat(store, meeting, acme), seat(store, meeting, labor)
    assert screen.shown(store, meeting["id"], k=3).seats == 3  # two seats and one proxy
    meetings.cast_ballot(store, meeting["id"], labor_seat, "agree")
    meetings.cast_ballot(store, meeting["id"], labor_seat, "disagree", for_partner=college.id)
    state = meetings.live_state(store, meeting["id"])
    assert (state.voted, state.electorate) == (2, 3)  # casting its own did not cast the proxy's, nor the reverse
    assert not state.tally.quorum_met and state.tally.missing_partners == (acme.id,)
    meetings.cast_ballot(store, meeting["id"], acme_seat, "agree")
    state = meetings.live_state(store, meeting["id"])
    assert state.tally.quorum_met  # every attending partner present: the college by proxy
    # Per organisation: the college's ballot is one voice of three, weighing as much as Acme's or Labor's.
    assert state.tally.voices == 3 and state.tally.supportive_share == Fraction(2, 3)
    assert (state.tally.weights["agree"], state.tally.weights["disagree"]) == (2, 1)
    doc = meetings.close_round(store, meeting["id"])
    closed = doc["proposals"][0]["rounds"][0]
    # Kept exactly as the college's own ballot would be: nothing says it came through a proxy.
    assert sorted(closed["ballots"], key=lambda b: b["partner"]) == sorted(
        [
            {"option": "agree", "partner": acme.id, "partner_type": "business"},
            {"option": "agree", "partner": labor.id, "partner_type": "labor"},
            {"option": "disagree", "partner": college.id, "partner_type": "semi_public"},
        ],
        key=lambda b: b["partner"],
    )
    assert closed["represented"] == [{"partner": college.id, "by": labor.id}]
    assert labor_seat["hash"] not in json.dumps(store.all(meetings.TABLE))


def test_the_electorate_frozen_at_the_first_ballot_counts_proxies_and_a_late_holder_brings_its_proxy(store, roster):
    acme, labor, college, goodwill = roster
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.give_proxy(store, meeting["id"], absent=goodwill.id, holder=college.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    meetings.cast_ballot(store, meeting["id"], seat(store, meeting, acme), "agree")
    assert meetings.live_state(store, meeting["id"]).electorate == 1  # the holder is not seated yet
    seat(store, meeting, college)
    assert meetings.live_state(store, meeting["id"]).electorate == 3  # the late holder and its proxy


def test_with_every_type_quorum_the_absent_partners_type_is_present_by_proxy(store, roster):
    acme, labor, college, goodwill = roster
    meeting, proposal = meeting_with_proposal(store, roster, quorum="all_types")
    meetings.give_proxy(store, meeting["id"], absent=goodwill.id, holder=acme.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    seats = {p.id: seat(store, meeting, p) for p in (acme, labor, college)}
    for partner_seat in seats.values():
        meetings.cast_ballot(store, meeting["id"], partner_seat, "agree")
    assert meetings.live_state(store, meeting["id"]).tally.missing_types == ("cbo",)
    meetings.cast_ballot(store, meeting["id"], seats[acme.id], "abstain", for_partner=goodwill.id)
    assert meetings.live_state(store, meeting["id"]).tally.quorum_met


def test_a_number_quorum_counts_the_represented_partner_as_a_voice(store, roster):
    acme, labor, *_ = roster
    meeting, proposal = meeting_with_proposal(store, roster, quorum="number", quorum_number=2)
    meetings.give_proxy(store, meeting["id"], absent=labor.id, holder=acme.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    acme_seat = seat(store, meeting, acme)
    meetings.cast_ballot(store, meeting["id"], acme_seat, "agree")
    assert not meetings.live_state(store, meeting["id"]).tally.quorum_met
    meetings.cast_ballot(store, meeting["id"], acme_seat, "agree", for_partner=labor.id)
    assert meetings.live_state(store, meeting["id"]).tally.quorum_met


def test_the_absent_partner_cannot_take_a_seat_while_its_proxy_stands(store, roster):
    acme, labor, *_ = roster
    meeting, _proposal = meeting_with_proposal(store, roster)
    meetings.give_proxy(store, meeting["id"], absent=acme.id, holder=labor.id)
    error = refused("seat_proxy_given", seat, store, meeting, acme)
    assert error.params == {"partner": "Acme", "holder": "Local 12"}
    assert store.find(meetings.SEATS, meeting_id=meeting["id"]) == []
    meetings.withdraw_proxy(store, meeting["id"], acme.id)
    assert seat(store, meeting, acme)["partner"] == acme.id


@pytest.mark.parametrize(
    "case, code",
    [
        ("self", "proxy_self"),
        ("seated", "proxy_absent_seated"),
        ("twice", "proxy_exists"),
        ("chain_onward", "proxy_chain"),
        ("chain_back", "proxy_chain"),
        ("limit", "proxy_limit"),
        ("unknown_absent", "partner_unknown"),
        ("unknown_holder", "partner_unknown"),
    ],
)
def test_proxies_that_break_the_rules_are_refused_and_change_nothing(store, roster, case, code):
    acme, labor, college, goodwill = roster
    meeting, _proposal = meeting_with_proposal(store, roster)
    seat(store, meeting, acme)
    meetings.give_proxy(store, meeting["id"], absent=college.id, holder=labor.id)
    before = meetings.get_meeting(store, meeting["id"])
    absent, holder = {
        "self": (goodwill.id, goodwill.id),
        "seated": (acme.id, labor.id),
        "twice": (college.id, acme.id),
        "chain_onward": (goodwill.id, college.id),  # the college gave its own proxy away: it cannot hold one
        "chain_back": (labor.id, goodwill.id),  # Labor holds the college's: it cannot pass its vote on
        "limit": (goodwill.id, labor.id),  # Labor already holds one
        "unknown_absent": ("nobody", labor.id),
        "unknown_holder": (goodwill.id, "nobody"),
    }[case]
    refused(code, meetings.give_proxy, store, meeting["id"], absent=absent, holder=holder)
    assert meetings.get_meeting(store, meeting["id"]) == before


def test_proxies_are_recorded_and_withdrawn_only_between_rounds(store, roster):
    acme, labor, college, goodwill = roster
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.give_proxy(store, meeting["id"], absent=college.id, holder=labor.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    refused("proxy_round_open", meetings.withdraw_proxy, store, meeting["id"], college.id)
    refused("proxy_round_open", meetings.give_proxy, store, meeting["id"], absent=goodwill.id, holder=acme.id)
    meetings.close_round(store, meeting["id"])
    meetings.withdraw_proxy(store, meeting["id"], college.id)
    assert meetings.get_meeting(store, meeting["id"])["proxies"] == []
    refused("proxy_unknown", meetings.withdraw_proxy, store, meeting["id"], college.id)
    # Recorded between rounds, a proxy counts from the next round.
    meetings.give_proxy(store, meeting["id"], absent=goodwill.id, holder=acme.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    acme_seat = seat(store, meeting, acme)
    meetings.cast_ballot(store, meeting["id"], acme_seat, "agree", for_partner=goodwill.id)
    assert meetings.live_state(store, meeting["id"]).electorate == 2


def test_only_the_holders_seat_casts_the_absent_partners_ballot(store, roster):
    acme, labor, college, goodwill = roster
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.give_proxy(store, meeting["id"], absent=college.id, holder=labor.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    acme_seat, labor_seat = seat(store, meeting, acme), seat(store, meeting, labor)
    refused("proxy_not_held", meetings.cast_ballot, store, meeting["id"], acme_seat, "block", for_partner=college.id)
    refused("proxy_not_held", meetings.cast_ballot, store, meeting["id"], labor_seat, "block", for_partner=goodwill.id)
    type_seat = meetings.seat_for(
        store, meeting["id"], SECRET, meetings.take_seat(store, meeting["id"], SECRET, partner_type="semi_public")
    )
    refused("proxy_not_held", meetings.cast_ballot, store, meeting["id"], type_seat, "block", for_partner=college.id)
    assert meetings.live_state(store, meeting["id"]).voted == 0
    # Releasing the holder's seat releases the ability: the released device has no seat any more.
    meetings.release_seat(store, meeting["id"], labor_seat["id"])
    new_labor = seat(store, meeting, labor)
    meetings.cast_ballot(store, meeting["id"], new_labor, "agree", for_partner=college.id)
    assert meetings.live_state(store, meeting["id"]).voted == 1


def test_proxies_of_a_meeting_list_who_represents_whom(store, roster):
    acme, labor, college, goodwill = roster
    meeting, _proposal = meeting_with_proposal(store, roster)
    meetings.give_proxy(store, meeting["id"], absent=college.id, holder=labor.id)
    meetings.give_proxy(store, meeting["id"], absent=goodwill.id, holder=acme.id)
    doc = meetings.get_meeting(store, meeting["id"])
    assert meetings.proxies_held_by(doc, labor.id) == [college.id]
    assert meetings.proxies_held_by(doc, college.id) == []
