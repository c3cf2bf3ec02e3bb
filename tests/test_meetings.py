"""Meetings: agenda, seats, ballots, rounds, decisions; nothing links a closed round's ballots to a seat."""

import dataclasses
import datetime
import json

import pytest

from roundtable import meetings, partners, screen
from roundtable.errors import InvalidInput

SECRET = "test-secret"
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def roster(store):
    return [
        partners.add_partner(store, name, kind)
        for name, kind in [("Acme", "business"), ("Local 12", "labor"), ("Valley College", "semi_public")]
    ]


def meeting_with_proposal(store, roster, **options):
    meeting = meetings.create_meeting(store, {"en": "Board"}, DAY, attending=[p.id for p in roster])
    proposal = meetings.add_proposal(
        store, meeting["id"], {"en": "Adopt the vision", "es": "Adoptar la visión"}, **options
    )
    return meeting, proposal


def seat(store, meeting, partner):
    token = meetings.take_seat(store, meeting["id"], SECRET, partner_id=partner.id)
    return token, meetings.seat_for(store, meeting["id"], SECRET, token)


def test_a_round_from_open_to_decision(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.open_round(store, meeting["id"], proposal["id"])
    seats = [seat(store, meeting, p)[1] for p in roster]
    meetings.cast_ballot(store, meeting["id"], seats[0], "disagree")
    meetings.cast_ballot(store, meeting["id"], seats[0], "agree")  # changed their stance
    meetings.cast_ballot(store, meeting["id"], seats[1], "agree", comment="Needs a timeline")
    state = meetings.live_state(store, meeting["id"])
    assert state.voted == 2 and state.seats == 3 and not state.tally.quorum_met
    assert state.tally.missing_partners == (roster[2].id,)
    meetings.cast_ballot(store, meeting["id"], seats[2], "abstain")
    assert meetings.live_state(store, meeting["id"]).tally.outcome == "adopted"
    doc = meetings.close_round(store, meeting["id"])
    closed = doc["proposals"][0]["rounds"][0]
    assert closed["status"] == "closed" and closed["tally"]["outcome"] == "adopted"
    assert sorted(b["option"] for b in closed["ballots"]) == ["abstain", "agree", "agree"]
    assert closed["comments"] == ["Needs a timeline"]
    meetings.record_decision(store, meeting["id"], proposal["id"], "adopted", "Agreed by all")
    assert meetings.get_meeting(store, meeting["id"])["proposals"][0]["decision"]["status"] == "adopted"


def test_closing_drops_every_link_between_ballot_and_seat(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.open_round(store, meeting["id"], proposal["id"])
    token, my_seat = seat(store, meeting, roster[0])
    meetings.cast_ballot(store, meeting["id"], my_seat, "agree")
    meetings.close_round(store, meeting["id"])
    assert meetings.ballots_stream(meeting["id"]) not in store.streams()
    everything = json.dumps(store.all("meetings"))
    assert my_seat["hash"] not in everything and token not in everything
    meetings.end_meeting(store, meeting["id"])
    assert store.find(meetings.SEATS, meeting_id=meeting["id"]) == []


def test_seat_tokens_are_stored_only_as_keyed_hashes(store, roster):
    meeting, _ = meeting_with_proposal(store, roster)
    token, my_seat = seat(store, meeting, roster[0])
    assert token not in json.dumps(store.all(meetings.SEATS))
    assert meetings.seat_for(store, meeting["id"], SECRET, "forged") is None
    assert meetings.seat_for(store, meeting["id"], "another-secret", token) is None


@pytest.mark.parametrize(
    "action, code",
    [
        (lambda s, m, seat_: meetings.cast_ballot(s, m["id"], seat_, "agree"), "round_closed"),
    ],
)
def test_no_ballot_on_a_closed_round(store, roster, action, code):
    meeting, proposal = meeting_with_proposal(store, roster)
    _, my_seat = seat(store, meeting, roster[0])
    with pytest.raises(InvalidInput) as error:
        action(store, meeting, my_seat)
    assert error.value.code == code
    meetings.open_round(store, meeting["id"], proposal["id"])
    meetings.close_round(store, meeting["id"])
    with pytest.raises(InvalidInput):
        meetings.cast_ballot(store, meeting["id"], my_seat, "agree")
    assert meetings.get_meeting(store, meeting["id"])["proposals"][0]["rounds"][0]["ballots"] == []


def test_unknown_options_and_long_comments_are_refused(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster, method="fist_to_five")
    meetings.open_round(store, meeting["id"], proposal["id"])
    _, my_seat = seat(store, meeting, roster[0])
    for option, comment, code in [
        ("agree", "", "option_unknown"),
        ("6", "", "option_unknown"),
        ("5", "x" * 1001, "too_long"),
    ]:
        with pytest.raises(InvalidInput) as error:
            meetings.cast_ballot(store, meeting["id"], my_seat, option, comment)
        assert error.value.code == code
    assert meetings.live_state(store, meeting["id"]).voted == 0


def test_amend_and_open_another_round(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster, rule="supermajority", fallback_after=2)
    meetings.open_round(store, meeting["id"], proposal["id"])
    with pytest.raises(InvalidInput) as error:
        meetings.open_round(store, meeting["id"], proposal["id"])
    assert error.value.code == "round_already_open"
    meetings.close_round(store, meeting["id"])
    meetings.open_round(store, meeting["id"], proposal["id"], amended_text={"en": "Adopt the amended vision"})
    rounds = meetings.get_meeting(store, meeting["id"])["proposals"][0]["rounds"]
    assert [r["number"] for r in rounds] == [1, 2]
    assert rounds[0]["text"]["en"] == "Adopt the vision" and rounds[1]["text"]["en"] == "Adopt the amended vision"
    assert rounds[0]["tally"]["outcome"] == "no_quorum"


@pytest.mark.parametrize(
    "options, code",
    [
        ({"method": "shout"}, "method_unknown"),
        ({"rule": "dictator"}, "rule_unknown"),
        ({"threshold": "5/4"}, "threshold_invalid"),
        ({"threshold": "abc"}, "threshold_invalid"),
        ({"quorum": "some"}, "quorum_unknown"),
        ({"weighting": "money"}, "weighting_unknown"),
        ({"fallback_after": 0}, "fallback_after_invalid"),
    ],
)
def test_invalid_proposals_are_refused(store, roster, options, code):
    meeting = meetings.create_meeting(store, {"en": "Board"}, DAY)
    with pytest.raises(InvalidInput) as error:
        meetings.add_proposal(store, meeting["id"], {"en": "Text"}, **options)
    assert error.value.code == code
    assert meetings.get_meeting(store, meeting["id"])["proposals"] == []


def test_live_version_changes_with_every_ballot(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.open_round(store, meeting["id"], proposal["id"])
    _, my_seat = seat(store, meeting, roster[0])
    before = meetings.live_state(store, meeting["id"]).version
    meetings.cast_ballot(store, meeting["id"], my_seat, "agree")
    assert meetings.live_state(store, meeting["id"]).version != before


def test_seat_by_partner_type(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster, quorum="number", quorum_number=1)
    meetings.open_round(store, meeting["id"], proposal["id"])
    token = meetings.take_seat(store, meeting["id"], SECRET, partner_type="foundation")
    found = meetings.seat_for(store, meeting["id"], SECRET, token)
    assert found["partner"] is None and found["partner_type"] == "foundation"
    meetings.cast_ballot(store, meeting["id"], found, "agree")
    assert meetings.live_state(store, meeting["id"]).tally.outcome == "adopted"
    with pytest.raises(InvalidInput):
        meetings.take_seat(store, meeting["id"], SECRET, partner_type="aliens")


def test_store_drain_keeps_the_stream_when_use_fails(store):
    store.append("ballots-x", {"n": 1})

    def fail(records):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        store.drain("ballots-x", fail)
    assert [r["n"] for r in store.records("ballots-x")] == [1]
    assert store.drain("ballots-x", lambda records: len(records)) == 1
    assert store.records("ballots-x") == [] and "ballots-x" not in store.streams()


def test_store_append_guard_refuses_without_writing(store):
    def refuse():
        raise InvalidInput("round_closed")

    with pytest.raises(InvalidInput):
        store.append("ballots-y", {"n": 1}, guard=refuse)
    assert store.records("ballots-y") == []


def test_closing_shuffles_from_the_system_not_the_seeded_random_module(store, roster):
    import random

    orders = []
    for _attempt in range(2):
        meeting, proposal = meeting_with_proposal(store, roster, quorum="number", quorum_number=1)
        meetings.open_round(store, meeting["id"], proposal["id"])
        for n in range(12):
            token = meetings.take_seat(store, meeting["id"], SECRET, partner_type="business")
            meetings.cast_ballot(
                store, meeting["id"], meetings.seat_for(store, meeting["id"], SECRET, token), "agree", f"Concern {n}"
            )
        random.seed(2026)  # whoever can seed or predict the random module must not predict the order
        closed = meetings.close_round(store, meeting["id"])["proposals"][0]["rounds"][0]
        orders.append(closed["comments"])
    assert sorted(orders[0]) == sorted(orders[1]) and orders[0] != orders[1]


def test_the_electorate_is_frozen_at_the_first_ballot(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.open_round(store, meeting["id"], proposal["id"])
    (_, acme), (_, labor) = seat(store, meeting, roster[0]), seat(store, meeting, roster[1])
    assert screen.shown(store, meeting["id"], k=3).seats == 2
    meetings.cast_ballot(store, meeting["id"], acme, "agree")
    meetings.release_seat(store, meeting["id"], labor["id"])
    shown = screen.shown(store, meeting["id"], k=3)
    assert (shown.voted, shown.seats) == (1, 2)  # a seat that leaves stays counted
    seat(store, meeting, roster[2])
    assert screen.shown(store, meeting["id"], k=3).seats == 3  # one who joins late is added


def test_a_partners_seat_is_taken_once(store, roster):
    meeting, _ = meeting_with_proposal(store, roster)
    seat(store, meeting, roster[0])
    with pytest.raises(InvalidInput) as error:
        seat(store, meeting, roster[0])
    assert error.value.code == "seat_taken" and error.value.params == {"partner": "Acme"}
    assert len(store.find(meetings.SEATS, meeting_id=meeting["id"])) == 1


def test_minutes_by_partner_type_withhold_groups_of_fewer_than_k_partners():
    ballots = (
        [{"option": "agree", "partner": f"b{n}", "partner_type": "business"} for n in range(3)]
        + [{"option": "agree", "partner": "l1", "partner_type": "labor"}] * 3
        + [{"option": "block", "partner": f"c{n}", "partner_type": "cbo"} for n in range(4)]
    )
    shown = dict(screen.by_partner_type({"ballots": ballots}, "stance", k=3))
    assert shown["labor"] is None and shown["business"] is None  # labor is one partner; business its complement
    assert shown["cbo"] == {"agree": 0, "abstain": 0, "disagree": 0, "block": 4}


# -- the screen after the close ---------------------------------------------------------------


class Reversed:
    """A stand-in for the system's shuffle that reverses, so a test can tell stored order from arrival order."""

    @staticmethod
    def shuffle(items):
        """Reverse ``items`` in place."""
        items.reverse()


def test_after_the_close_the_screen_shows_the_round_just_closed_until_the_next_opens(store, roster):
    """Closed, the round is on the screen: outcome, spread, ballots, concerns as the close stored them; no names."""
    meeting, proposal = meeting_with_proposal(store, roster)
    assert screen.shown(store, meeting["id"], k=3).result is None  # nothing closed yet: no result
    meetings.open_round(store, meeting["id"], proposal["id"])
    for (_, seat_), stance, concern in zip(
        [seat(store, meeting, p) for p in roster], ["agree", "agree", "block"], ["First concern", "", "Third concern"]
    ):
        meetings.cast_ballot(store, meeting["id"], seat_, stance, concern)
    assert screen.shown(store, meeting["id"], k=3).result is None  # open: turnout only
    meetings.close_round(store, meeting["id"], Reversed())
    shown = screen.shown(store, meeting["id"], k=3)
    result = shown.result
    assert not shown.open and result is not None
    assert (result.round["number"], result.outcome, result.ballots) == (1, "not_adopted", 3)
    assert result.counts == {"agree": 2, "abstain": 0, "disagree": 0, "block": 1} and result.blocked
    # The concerns as the close stored them (shuffled; here reversed from arrival), bare words.
    assert result.concerns == ("Third concern", "First concern")
    # One partner of each type: every type is below k, so nothing shows by type.
    assert [cells for _type, cells in result.by_type] == [None, None, None]
    # Nothing on it names a partner or a seat beside a stance.
    flat = repr(dataclasses.asdict(result)["by_type"]) + repr(result.concerns) + repr(result.counts)
    for partner in roster:
        assert partner.id not in flat and partner.name not in flat

    # A new proposal on the agenda does not hide the result; a new round does.
    meetings.add_proposal(store, meeting["id"], {"en": "Another"})
    assert screen.shown(store, meeting["id"], k=3).result == result
    meetings.open_round(store, meeting["id"], proposal["id"])
    assert screen.shown(store, meeting["id"], k=3).result is None


def test_the_result_on_the_screen_withholds_types_under_k_and_their_complement(store):
    """By partner type, the screen obeys k as the minutes do: distinct partners, complements withheld."""
    business = [partners.add_partner(store, f"Business {n}", "business") for n in range(3)]
    cbo = [partners.add_partner(store, f"Neighbours {n}", "cbo") for n in range(4)]
    labor = partners.add_partner(store, "Local 12", "labor")
    everyone = business + cbo + [labor]
    meeting = meetings.create_meeting(store, {"en": "Board"}, DAY, attending=[p.id for p in everyone])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    for partner in everyone:
        _, seat_ = seat(store, meeting, partner)
        meetings.cast_ballot(store, meeting["id"], seat_, "block" if partner is labor else "agree")
    meetings.close_round(store, meeting["id"])
    by_type = dict(screen.shown(store, meeting["id"], k=3).result.by_type)
    # Labor is one partner; Business goes too, or the total minus the rest would give Labor's block away.
    assert by_type["labor"] is None and by_type["business"] is None
    assert by_type["cbo"] == {"agree": 4, "abstain": 0, "disagree": 0, "block": 0}
    with_k_1 = dict(screen.shown(store, meeting["id"], k=1).result.by_type)
    assert with_k_1["labor"] == {"agree": 0, "abstain": 0, "disagree": 0, "block": 1}


def test_the_screens_version_changes_with_the_result_shown(store, roster):
    """Closing changes what the screen shows, so its version; polling again changes nothing."""
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.open_round(store, meeting["id"], proposal["id"])
    _, acme = seat(store, meeting, roster[0])
    meetings.cast_ballot(store, meeting["id"], acme, "agree")
    before = screen.shown(store, meeting["id"], k=3).version
    meetings.close_round(store, meeting["id"])
    closed = screen.shown(store, meeting["id"], k=3)
    assert closed.version != before and closed.result.ballots == 1
    assert screen.shown(store, meeting["id"], k=3).version == closed.version  # nothing changed, same version


def test_the_proposal_shows_in_the_rooms_languages_the_meetings_own_first():
    """The meeting's language first, then every other the proposal is written in; blanks are skipped."""
    texts = {"en": "Adopt the vision", "ar": "اعتماد الرؤية", "es": "Adoptar la visión"}
    assert screen.room_texts(texts, "es") == [
        ("es", "Adoptar la visión"),
        ("en", "Adopt the vision"),
        ("ar", "اعتماد الرؤية"),
    ]
    assert screen.room_texts({"en": "Adopt", "vi": " "}, "en") == [("en", "Adopt")]


# -- what the facilitator confirms, what a seat's phone shows -----------------------------------


def test_reopening_is_a_closed_round_followed_by_another_with_no_decision(store, roster):
    meeting, proposal = meeting_with_proposal(store, roster)
    other = meetings.add_proposal(store, meeting["id"], {"en": "Another"})

    def reopens():
        return meetings.reopens(meetings.get_meeting(store, meeting["id"]), proposal["id"])

    assert not reopens()  # its first round: nothing to reopen
    meetings.open_round(store, meeting["id"], proposal["id"])
    assert not reopens()  # open now
    meetings.close_round(store, meeting["id"])
    assert reopens()
    assert not meetings.reopens(meetings.get_meeting(store, meeting["id"]), "no-such-proposal")
    meetings.open_round(store, meeting["id"], other["id"])
    assert not reopens()  # another round is open: opening this one is refused, not confirmed
    meetings.close_round(store, meeting["id"])
    meetings.record_decision(store, meeting["id"], proposal["id"], "adopted")
    assert not reopens()  # decided: opening it is refused


def test_a_seats_phone_sees_its_own_ballot_and_its_proxies_in_the_open_round(store, roster):
    acme, labor, college = roster
    meeting, proposal = meeting_with_proposal(store, roster)
    meetings.give_proxy(store, meeting["id"], college.id, acme.id)
    _token, acme_seat = seat(store, meeting, acme)
    _token, labor_seat = seat(store, meeting, labor)
    doc = meetings.get_meeting(store, meeting["id"])
    assert meetings.seat_ballots(store, doc, acme_seat) is None  # no round open
    assert meetings.proxies_of(doc, acme_seat) == [college.id] and meetings.proxies_of(doc, labor_seat) == []
    assert meetings.proxies_of(doc, None) == []
    meetings.open_round(store, meeting["id"], proposal["id"])
    meetings.cast_ballot(store, meeting["id"], labor_seat, "block")
    doc = meetings.get_meeting(store, meeting["id"])
    shown = meetings.seat_ballots(store, doc, acme_seat)
    assert (shown.proposal["id"], shown.round["number"]) == (proposal["id"], 1)
    assert shown.key == meetings.round_key(proposal["id"], 1)
    assert shown.mine is None and shown.proxies == ((college.id, None),)  # Local 12's ballot is not Acme's
    meetings.cast_ballot(store, meeting["id"], acme_seat, "disagree", for_partner=college.id)
    meetings.cast_ballot(store, meeting["id"], acme_seat, "agree", comment="Good")
    shown = meetings.seat_ballots(store, meetings.get_meeting(store, meeting["id"]), acme_seat)
    assert (shown.mine["option"], shown.mine["comment"]) == ("agree", "Good")
    [(absent, ballot)] = shown.proxies
    assert (absent, ballot["option"], ballot["partner"]) == (college.id, "disagree", college.id)
    assert meetings.seat_ballots(store, doc, None) is None


def test_seats_taken_lists_the_meetings_seats_only(store, roster):
    meeting, _ = meeting_with_proposal(store, roster)
    elsewhere, _ = meeting_with_proposal(store, roster)
    seat(store, meeting, roster[0])
    meetings.take_seat(store, meeting["id"], SECRET, partner_type="labor")
    seat(store, elsewhere, roster[1])
    taken = meetings.seats_taken(store, meeting["id"])
    assert sorted((s["partner"] or "", s["partner_type"]) for s in taken) == [("", "labor"), (roster[0].id, "business")]


def test_seats_that_share_a_label_are_numbered_in_order_the_others_not():
    labelled = [("Farmers", "s3"), ("Acme", "s9"), ("Farmers", "s1"), ("Bakers", "s2"), ("Farmers", "s2")]
    assert meetings.number_alike(labelled) == [
        ("s9", "Acme", None),
        ("s2", "Bakers", None),
        ("s1", "Farmers", 1),
        ("s2", "Farmers", 2),
        ("s3", "Farmers", 3),
    ]
    assert meetings.number_alike([]) == []
