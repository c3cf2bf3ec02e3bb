"""Meetings through the web: a facilitator runs rounds, phones vote, leaders read the minutes.

Every refusal is a 4xx page with a message in the visitor's language, and
leaves the store exactly as it was. Nothing a participant's phone holds (the
seat token) and nothing that links a ballot to a seat (the seat hash) ever
reaches the minutes, and neither survives in the data directory once the
round is closed and the meeting ended.
"""

import csv
import html
import io
import json
import os
import re
import threading

import pytest

from roundtable import meetings, partners, screen

from .conftest import Staff, csrf_token, data_files, files_containing
from .meeting_fixtures import (
    DAY,
    PROPOSAL_FORM,
    Phone,
    count_in_row,
    location_path,
    refusal,
    said,
    seated,
    snapshot,
    store_of,
    text,
)

# -- a meeting from creation to minutes ------------------------------------------------------


def test_a_meeting_from_creation_to_minutes(app, client, facilitator, roster):
    acme, labor, college, goodwill = roster
    response = facilitator.new_meeting("Board retreat", attending=[acme.id, labor.id, college.id], phase="planning")
    assert response.status_code == 303
    meeting_id = location_path(response).rsplit("/", 1)[-1]
    agenda = text(client.get(f"/meetings/{meeting_id}"))
    assert "Meeting created. Add the proposals on its agenda." in agenda
    meeting = meetings.get_meeting(store_of(app), meeting_id)
    assert meeting["title"] == {"en": "Board retreat"} and meeting["day"] == DAY and meeting["phase"] == "planning"
    assert meeting["attending"] == sorted([acme.id, labor.id, college.id])
    assert meeting["join_code"] in agenda and "No proposals yet." in agenda

    proposal = facilitator.proposal(meeting, text="Adopt the shared vision statement")
    assert "Proposal added to the agenda." in text(client.get(f"/meetings/{meeting_id}"))
    assert proposal["method"] == "stance" and proposal["rule"]["threshold"] == "3/4"
    assert proposal["rounds"][0]["status"] == "pending"

    # Participants join with the code, as typed on a phone (lower case, a space), and take a seat.
    phones = []
    for seat in [dict(partner=acme), dict(partner=labor), dict(partner=college), dict(partner_type="cbo")]:
        phone = Phone(app)
        page = phone.join(" " + meeting["join_code"].lower())
        assert phone.path == f"/m/{meeting['share_token']}"
        assert "Take my seat" in text(page) and "Gone Foundation" not in text(page)
        response = phone.sit(seat["partner"].id if "partner" in seat else "", seat.get("partner_type", ""))
        assert response.status_code == 303 and location_path(response) == phone.path
        waiting = text(phone.client.get(phone.path))
        assert "You have a seat. Waiting for the facilitator to open a vote" in waiting
        phones.append(phone)
    acme_phone, labor_phone, college_phone, type_phone = phones
    seats = store_of(app).find(meetings.SEATS, meeting_id=meeting_id)
    assert sorted((s["partner"] or "", s["partner_type"]) for s in seats) == sorted(
        [(acme.id, "business"), (labor.id, "labor"), (college.id, "semi_public"), ("", "cbo")]
    )
    assert acme_phone.stage() == "idle:1:0"

    # The facilitator opens round 1; every phone's page follows.
    response = facilitator.open(meeting, proposal)
    assert response.status_code == 303 and location_path(response) == f"/meetings/{meeting_id}/screen"
    screen = text(client.get(location_path(response)))
    assert "Voting is open. Participants' phones show the proposal now." in screen
    assert meeting["join_code"] in screen and "0 of 4 seats have voted" in screen
    assert acme_phone.stage() == f"open:{proposal['id']}:1"
    ballot_page = text(acme_phone.client.get(acme_phone.path))
    assert "Adopt the shared vision statement" in ballot_page
    for label in ("Agree", "Abstain", "Disagree", "Block"):
        assert label in ballot_page

    # Acme votes, then changes its mind: the last stance counts.
    response = acme_phone.vote("disagree", "Needs a budget line")
    assert response.status_code == 303
    assert "Your vote is recorded. You can change it until the round closes." in text(
        acme_phone.client.get(acme_phone.path)
    )
    assert acme_phone.vote("agree", "Needs a timeline").status_code == 303
    page = acme_phone.client.get(acme_phone.path).get_data(as_text=True)
    assert re.search(r'<input[^>]*value="agree"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="disagree"[^>]*checked', page)
    assert "Needs a timeline" in page
    assert acme_phone.stage() == f"open:{proposal['id']}:1"  # a vote is not a new stage

    live = facilitator.live(meeting).get_json()
    assert live["open"] is True and (live["voted"], live["seats"]) == (1, 4)
    fragment = html.unescape(live["html"])
    assert "1 of 4 seats have voted" in fragment
    # While the round is open: turnout only. No names unless asked, no spread, no concerns.
    for hidden in ("Acme Manufacturing", "Local 12", "Valley College", "<table", "Needs a timeline"):
        assert hidden not in fragment, hidden
    assert "Hidden until the round closes, so nobody follows the crowd." in fragment
    assert set(live) == {"version", "open", "seats", "voted", "html"}

    assert labor_phone.vote("agree").status_code == 303
    assert college_phone.vote("abstain").status_code == 303
    assert type_phone.vote("disagree", "Too vague").status_code == 303
    fragment = facilitator.live_html(meeting)
    assert "4 of 4 seats have voted" in fragment and "Quorum met." in fragment
    asked = html.unescape(facilitator.client.get(f"/meetings/{meeting_id}/live.json?waiting=1").get_json()["html"])
    assert "Every attending partner has voted." in asked

    # Closing counts each seat's last ballot: 2 of 3 deciding voices support, short of 3/4.
    response = facilitator.close(meeting)
    assert response.status_code == 303 and location_path(response) == f"/meetings/{meeting_id}/screen"
    screen = text(client.get(location_path(response)))
    assert "The round is closed." in screen and "Result of round 1" in screen and "4 ballots" in screen
    agenda = text(client.get(f"/meetings/{meeting_id}"))
    assert "Round 1: Not adopted" in agenda and "4 ballots" in agenda
    assert acme_phone.stage() == "idle:1:1"
    stored = meetings.get_meeting(store_of(app), meeting_id)
    round_one = stored["proposals"][0]["rounds"][0]
    assert round_one["tally"]["outcome"] == "not_adopted" and round_one["tally"]["ballots"] == 4
    assert round_one["tally"]["supportive_share"] == "2/3" and round_one["tally"]["quorum_met"]
    assert sorted(b["option"] for b in round_one["ballots"]) == ["abstain", "agree", "agree", "disagree"]
    assert sorted(round_one["comments"]) == ["Needs a timeline", "Too vague"]
    assert meetings.ballots_stream(meeting_id) not in store_of(app).streams()
    assert "No vote is open" not in facilitator.live_html(meeting)  # the result shows until the next round

    # Amended, round 2: the same seats vote again; round 1 stays in the history.
    response = facilitator.open(meeting, proposal, amended="Adopt the shared vision statement by June")
    assert response.status_code == 303
    assert acme_phone.stage() == f"open:{proposal['id']}:2"
    assert "Adopt the shared vision statement by June" in text(acme_phone.client.get(acme_phone.path))
    assert "Round 2" in facilitator.live_html(meeting)
    for phone, option in zip(phones, ["agree", "agree", "agree", "abstain"]):
        assert phone.vote(option).status_code == 303
    # Recording a decision while its round is open is refused.
    assert facilitator.decide(meeting, proposal, "adopted").status_code == 303
    assert "Close the open round before recording a decision." in text(client.get(f"/meetings/{meeting_id}"))
    assert meetings.get_meeting(store_of(app), meeting_id)["proposals"][0]["decision"] is None
    assert facilitator.close(meeting).status_code == 303
    rounds = meetings.get_meeting(store_of(app), meeting_id)["proposals"][0]["rounds"]
    assert [r["number"] for r in rounds] == [1, 2]
    assert rounds[0]["text"] == {"en": "Adopt the shared vision statement"}
    assert rounds[0] == round_one
    assert rounds[1]["text"] == {"en": "Adopt the shared vision statement by June"}
    assert rounds[1]["tally"]["outcome"] == "adopted"
    agenda = text(client.get(f"/meetings/{meeting_id}"))
    assert "Round 1: Not adopted" in agenda and "Round 2: Adopted" in agenda

    response = facilitator.decide(meeting, proposal, "adopted", "Agreed after the June amendment")
    assert response.status_code == 303
    assert "Decision recorded." in text(client.get(f"/meetings/{meeting_id}"))
    decided = meetings.get_meeting(store_of(app), meeting_id)["proposals"][0]
    assert decided["decision"] == {"status": "adopted", "rationale": "Agreed after the June amendment"}
    # A decided proposal opens no further round.
    facilitator.open(meeting, proposal)
    assert "A decision is already recorded for this proposal." in text(client.get(f"/meetings/{meeting_id}/screen"))
    assert meetings.get_meeting(store_of(app), meeting_id)["current"] is None

    # The minutes, in every format, show what each round added up to, and nothing of any seat.
    seat_secrets = [phone.seat_token for phone in phones] + [s["hash"] for s in seats]
    minutes = text(client.get(f"/meetings/{meeting_id}/minutes"))
    for expected in (
        "Board retreat",
        "Adopt the shared vision statement",
        "Adopt the shared vision statement by June",
        "Round 1: Not adopted",
        "Round 2: Adopted",
        "Supportive: 67%",
        "Supportive: 100%",
        "Needs a timeline",
        "Too vague",
        "Agreed after the June amendment",
        "Partners who voted: <bdi>Acme Manufacturing</bdi>, <bdi>Local 12</bdi>, <bdi>Valley College</bdi>",
    ):
        assert expected in minutes, expected
    assert count_in_row(minutes, "Agree") == 2  # round 1's table comes first
    markdown = client.get(f"/meetings/{meeting_id}/minutes.md")
    assert markdown.status_code == 200 and markdown.mimetype == "text/markdown"
    md = markdown.get_data(as_text=True)
    assert "| Agree | 2 |" in md and "| Agree | 3 |" in md and "| Disagree | 1 |" in md
    assert "Agreed after the June amendment" in md
    table = client.get(f"/meetings/{meeting_id}/minutes.csv")
    assert table.status_code == 200 and table.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(table.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Proposal", "Round", "Text", "Option", "Ballots", "Outcome"]
    counts = {(row[1], row[3]): int(row[4]) for row in rows[1:]}
    assert counts == {
        ("1", "Agree"): 2,
        ("1", "Abstain"): 1,
        ("1", "Disagree"): 1,
        ("1", "Block"): 0,
        ("2", "Agree"): 3,
        ("2", "Abstain"): 1,
        ("2", "Disagree"): 0,
        ("2", "Block"): 0,
    }
    assert {row[5] for row in rows[1:] if row[1] == "1"} == {"Not adopted"}
    for body in (minutes, md, table.get_data(as_text=True)):
        for secret in seat_secrets:
            assert secret not in body


@pytest.mark.parametrize(
    "method, rule, threshold, stances, labels, outcome",
    [
        ("stance", "consensus", "3/4", ["agree", "agree", "abstain"], ["Agree", "Block"], "adopted"),
        (
            "gradients",
            "unanimous",
            "3/4",
            ["1", "6", "4"],
            ["Whole-hearted endorsement", "Don't like it, but will support it", "Veto"],
            "adopted",
        ),
        ("gradients", "consensus", "3/4", ["1", "2", "7"], ["Serious disagreement"], "not_adopted"),
        ("fist_to_five", "consensus", "0.6", ["5", "3", "2"], ["Five: champion", "Fist: block"], "adopted"),
        ("fist_to_five", "consensus", "3/4", ["5", "5", "0"], ["Fist: block"], "not_adopted"),
        ("consent", "consent", "3/4", ["consent", "concern", "concern"], ["Consent with a concern"], "adopted"),
        ("consent", "consent", "3/4", ["consent", "consent", "objection"], ["Objection"], "not_adopted"),
    ],
)
def test_every_method_from_the_proposal_form_to_the_outcome(
    app, client, facilitator, roster, method, rule, threshold, stances, labels, outcome
):
    meeting = facilitator.meeting(attending=[p.id for p in roster[:3]])
    proposal = facilitator.proposal(meeting, method=method, rule=rule, threshold=threshold, weighting="person")
    assert (proposal["method"], proposal["rule"]["kind"], proposal["weighting"]) == (method, rule, "person")
    facilitator.open(meeting, proposal)
    phones = [seated(app, meeting, partner) for partner in roster[:3]]
    page = text(phones[0].client.get(phones[0].path))
    for label in labels:
        assert label in page
    for phone, stance in zip(phones, stances):
        assert phone.vote(stance).status_code == 303
    assert facilitator.close(meeting).status_code == 303
    closed = meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"][0]
    assert closed["tally"]["outcome"] == outcome
    assert sorted(b["option"] for b in closed["ballots"]) == sorted(stances)
    shown = {"adopted": "Adopted", "not_adopted": "Not adopted"}[outcome]
    assert f"Round 1: {shown}" in text(client.get(f"/meetings/{meeting['id']}"))


def test_a_supermajority_fallback_with_a_number_quorum(app, client, facilitator, roster):
    meeting = facilitator.meeting(attending=[p.id for p in roster])
    proposal = facilitator.proposal(
        meeting, rule="supermajority", fallback_after="2", fallback_threshold="0.6", quorum="number", quorum_number="3"
    )
    assert proposal["rule"] == {
        "kind": "supermajority",
        "threshold": "3/4",
        "fallback_after": 2,
        "fallback_threshold": "3/5",
    }
    assert proposal["quorum"] == {"kind": "number", "number": 3}
    facilitator.open(meeting, proposal)
    phones = [seated(app, meeting, partner) for partner in roster[:3]]
    for phone, stance in zip(phones, ["agree", "agree", "block"]):
        phone.vote(stance)
    facilitator.close(meeting)
    facilitator.open(meeting, proposal)
    for phone, stance in zip(phones, ["agree", "agree", "block"]):
        phone.vote(stance)
    facilitator.close(meeting)
    rounds = meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"]
    # Round 1 is blocked; from round 2 a block is only a "no", and 2/3 clears 3/5.
    assert [r["tally"]["outcome"] for r in rounds] == ["not_adopted", "adopted"]
    assert [r["text"] for r in rounds] == [{"en": "Adopt the shared vision"}] * 2


# -- the projector screen ---------------------------------------------------------------


def test_live_data_names_who_has_not_voted_only_when_asked_and_never_how_anyone_voted(app, facilitator, roster):
    acme, labor, college, goodwill = roster
    meeting = facilitator.meeting(attending=[acme.id, labor.id, college.id])
    proposal = facilitator.proposal(meeting, quorum="number", quorum_number="1", rule="consent", method="consent")
    assert proposal["live_results"] is False
    facilitator.open(meeting, proposal)
    acme_phone = seated(app, meeting, acme)
    seated(app, meeting, labor)
    fragment = facilitator.live_html(meeting)
    assert "0 of 2 seats have voted" in fragment
    assert not any(name in fragment for name in ("Acme Manufacturing", "Local 12", "Valley College"))
    assert "Hidden until the round closes, so nobody follows the crowd." in fragment
    asked = html.unescape(facilitator.client.get(f"/meetings/{meeting['id']}/live.json?waiting=1").get_json()["html"])
    assert all(name in asked for name in ("Acme Manufacturing", "Local 12", "Valley College"))
    assert "Goodwill" not in asked  # not attending

    assert acme_phone.vote("objection", "Not safe to try").status_code == 303
    response = facilitator.client.get(f"/meetings/{meeting['id']}/live.json?waiting=1")
    live = response.get_json()
    assert (live["voted"], live["seats"]) == (1, 2)
    fragment = html.unescape(live["html"])
    assert "1 of 2 seats have voted" in fragment
    assert "Acme Manufacturing" not in fragment and "Local 12" in fragment and "Valley College" in fragment
    # Neither the options nor their counts, nor whether a block stands, nor what the room adds up to.
    for hint in (
        "<table",
        "<td>",
        "Consent",
        "Objection",
        "Supportive",
        "A block stands",
        "Not adopted",
        "Adopted",
        "Not safe to try",
    ):
        assert hint not in fragment, hint
    body = response.get_data(as_text=True)
    assert "objection" not in body.lower() and "distribution" not in body
    screen = text(facilitator.client.get(f"/meetings/{meeting['id']}/screen?waiting=1"))
    assert "1 of 2 seats have voted" in screen and "Objection" not in screen and "<table" not in screen
    assert "Local 12" in screen and "Hide the names of who has not voted yet" in screen
    # Once closed, the minutes tell the outcome, the counts and the concern.
    facilitator.close(meeting)
    minutes = text(facilitator.client.get(f"/meetings/{meeting['id']}/minutes"))
    assert "Round 1: Not adopted" in minutes and "Objection" in minutes and "Not safe to try" in minutes


def test_live_json_answers_unchanged_polls_with_a_bare_304(app, facilitator, open_meeting, roster):
    meeting, proposal, (acme_phone, labor_phone, _college_phone) = open_meeting
    first = facilitator.live(meeting)
    # Concerns are on it: no cache may keep it; the ETag alone spares unchanged polls.
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    etag = first.headers["ETag"]
    assert etag and first.get_json()["voted"] == 0

    same = facilitator.live(meeting, etag)
    assert same.status_code == 304 and same.get_data() == b"" and same.headers["ETag"] == etag
    assert facilitator.live(meeting, '"some-other-version"').status_code == 200

    assert acme_phone.vote("agree").status_code == 303
    after_vote = facilitator.live(meeting, etag)
    assert after_vote.status_code == 200 and after_vote.get_json()["voted"] == 1
    second = after_vote.headers["ETag"]
    assert second != etag
    assert facilitator.live(meeting, second).status_code == 304

    # A changed stance behind a hidden spread changes nothing shown, so it is no news: a bare 304.
    assert acme_phone.vote("disagree").status_code == 303
    assert facilitator.live(meeting, second).status_code == 304
    third = second

    # A refused ballot changes nothing, so the poll stays a 304.
    assert labor_phone.vote("maybe").status_code == 400
    assert facilitator.live(meeting, third).status_code == 304

    facilitator.close(meeting)
    closed = facilitator.live(meeting, third)
    assert closed.status_code == 200 and closed.get_json()["open"] is False
    assert facilitator.live(meeting, closed.headers["ETag"]).status_code == 304


def test_a_waiting_screen_is_answered_by_the_next_ballot(app, facilitator, open_meeting):
    """A long poll: the screen asks with its version and wait=1, and the answer is the ballot cast meanwhile."""
    meeting, _proposal, (acme_phone, _labor_phone, _college_phone) = open_meeting
    etag = facilitator.live(meeting).headers["ETag"]
    voted = []
    later = threading.Timer(0.3, lambda: voted.append(acme_phone.vote("agree").status_code))
    later.start()
    try:
        answer = facilitator.client.get(f"/meetings/{meeting['id']}/live.json?wait=1", headers={"If-None-Match": etag})
    finally:
        later.join()
    assert voted == [303]
    # Without waiting, the request would have been answered before the ballot: a 304 with voted 0.
    assert answer.status_code == 200 and answer.get_json()["voted"] == 1
    assert answer.headers["ETag"] != etag


def test_a_waiting_screen_with_nothing_new_gets_a_bare_304_in_the_end(app, facilitator, open_meeting, monkeypatch):
    meeting, _proposal, _phones = open_meeting
    monkeypatch.setattr(screen, "LONG_POLL_SECONDS", 0.6)
    etag = facilitator.live(meeting).headers["ETag"]
    answer = facilitator.client.get(f"/meetings/{meeting['id']}/live.json?wait=1", headers={"If-None-Match": etag})
    assert answer.status_code == 304 and answer.headers["ETag"] == etag


def test_the_phone_follows_the_stage_only(app, facilitator, open_meeting):
    meeting, proposal, (acme_phone, labor_phone, _college_phone) = open_meeting
    stage = acme_phone.stage()
    assert stage == f"open:{proposal['id']}:1"
    response = acme_phone.client.get(acme_phone.path + "/state")
    assert set(response.get_json()) == {"stage"}
    labor_phone.vote("agree")
    assert acme_phone.stage() == stage  # how many voted is not the phone's business
    facilitator.close(meeting)
    assert acme_phone.stage() == "idle:1:1"
    assert "You have a seat. Waiting for the facilitator to open a vote" in text(acme_phone.client.get(acme_phone.path))
    facilitator.open(meeting, proposal)
    assert acme_phone.stage() == f"open:{proposal['id']}:2"
    assert Phone(app).client.get(acme_phone.path + "/state").get_json()["stage"] == acme_phone.stage()


# -- nothing of a seat survives -----------------------------------------------------------


def test_after_the_close_no_seat_token_or_hash_is_in_the_data_and_ending_forgets_the_seats(
    app, facilitator, open_meeting
):
    meeting, proposal, phones = open_meeting
    for phone, option in zip(phones, ["agree", "disagree", "abstain"]):
        assert phone.vote(option, "A concern").status_code == 303
    tokens = [phone.seat_token for phone in phones]
    hashes = [meetings.seat_hash(app.config["SECRET_KEY"], meeting["id"], token) for token in tokens]
    stream = meetings.ballots_stream(meeting["id"])
    assert stream in store_of(app).streams()
    # While the round is open the live ballots carry the hash (so a stance can change), never the token.
    for token, seat_hash in zip(tokens, hashes):
        assert files_containing(app, token) == []
        assert any(
            name.startswith(os.path.join("store", "streams", stream)) for name in files_containing(app, seat_hash)
        )

    assert facilitator.close(meeting).status_code == 303
    assert stream not in store_of(app).streams()
    # Only the journal's empty lock file is left behind.
    assert [(os.path.basename(path), content) for path, content in data_files(app) if stream in path] == [
        (f"{stream}.log.lock", b"")
    ]
    for token, seat_hash in zip(tokens, hashes):
        assert files_containing(app, token) == []
        # Only the seats table still knows the hash, to let the phone vote in the next round.
        assert files_containing(app, seat_hash) == [os.path.join("store", "roundtable.json")]
        assert seat_hash not in json.dumps(store_of(app).all(meetings.TABLE))
    assert len(store_of(app).find(meetings.SEATS, meeting_id=meeting["id"])) == 3

    other = facilitator.meeting(title="Another meeting", attending=[])
    other_phone = seated(app, other, partner_type="labor")
    response = facilitator.staff.confirm(f"/meetings/{meeting['id']}/end")
    assert response.status_code == 303
    assert "The meeting has ended; participants' seats are forgotten." in text(
        facilitator.client.get(location_path(response))
    )
    assert store_of(app).find(meetings.SEATS, meeting_id=meeting["id"]) == []
    assert len(store_of(app).find(meetings.SEATS, meeting_id=other["id"])) == 1  # other meetings keep theirs
    for token, seat_hash in zip(tokens, hashes):
        assert files_containing(app, token) == [] and files_containing(app, seat_hash) == []
    assert files_containing(app, other_phone.seat_token) == []
    # The phone's old cookie opens nothing: it is asked to choose its partner again.
    assert "Take my seat" in text(phones[0].client.get(phones[0].path))
    # The closed round's tally is untouched by ending the meeting.
    assert meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"][0]["tally"]["ballots"] == 3


# -- bad input: a 4xx, a message, nothing changed ----------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_phones_bad_ballots_are_refused_in_its_language(app, facilitator, roster, language):
    meeting = facilitator.meeting(attending=[p.id for p in roster[:2]])
    proposal = facilitator.proposal(meeting)
    acme_phone = seated(app, meeting, roster[0], language=language)

    def refused(response, status, message):
        page = text(response)
        assert response.status_code == status, page
        assert message in page, message
        assert f'<html lang="{language}"' in page

    if language != "en":
        assert refusal(app, language, "round_closed") != refusal(app, "en", "round_closed")
    # No round open yet.
    before = snapshot(app)
    refused(acme_phone.vote("agree"), 409, refusal(app, language, "round_closed"))
    assert snapshot(app) == before

    facilitator.open(meeting, proposal)
    assert acme_phone.vote("agree", "First thought").status_code == 303
    before = snapshot(app)
    refused(acme_phone.vote("shout"), 400, refusal(app, language, "option_unknown"))
    refused(acme_phone.vote(""), 400, refusal(app, language, "option_unknown"))
    refused(acme_phone.vote("8"), 400, refusal(app, language, "option_unknown"))  # another method's option
    long_comment = "x" * (meetings.COMMENT_MAX + 1)
    response = acme_phone.vote("disagree", long_comment)
    refused(response, 400, refusal(app, language, "too_long", max=meetings.COMMENT_MAX))
    assert long_comment in text(response)  # what was typed is kept
    refused(
        acme_phone.vote("disagree", "y" * (app.config["MAX_CONTENT_LENGTH"] + 10)),
        413,
        said(app, language, "What you sent is too large"),
    )
    refused(acme_phone.vote("disagree", csrf=False), 400, said(app, language, "This form has expired"))
    assert snapshot(app) == before

    # A phone without a seat, with a forged seat, or with a seat of another meeting.
    stranger = Phone(app, language)
    stranger.join(meeting["join_code"])
    seat_lost = said(app, language, "Your seat was not found. Please choose your partner again.")
    refused(stranger.vote("agree"), 403, seat_lost)
    stranger.forge_seat("forged-token")
    refused(stranger.vote("agree"), 403, seat_lost)
    stranger.forge_seat(meetings.seat_hash(app.config["SECRET_KEY"], meeting["id"], acme_phone.seat_token))
    refused(stranger.vote("agree"), 403, seat_lost)
    elsewhere = facilitator.meeting(title="Elsewhere", attending=[])
    visitor = seated(app, elsewhere, partner_type="labor", language=language)
    visitor.path, visitor_token = acme_phone.path, visitor.seat_token
    visitor.forge_seat(visitor_token)
    refused(visitor.vote("agree"), 403, seat_lost)
    before = snapshot(app)

    # Seats: a partner not on the roster, a former partner, no choice at all, no CSRF token.
    newcomer = Phone(app, language)
    newcomer.join(meeting["join_code"])
    gone = next(p for p in partners.list_partners(store_of(app)) if not p.active)
    for choice in (dict(partner="no-such-partner"), dict(partner=gone.id), dict(partner_type="aliens"), {}):
        refused(newcomer.sit(**choice), 400, refusal(app, language, "partner_required"))
    refused(newcomer.sit(partner=roster[1].id, csrf=False), 400, said(app, language, "This form has expired"))
    # A seated phone cannot switch partner by posting the seat form again.
    assert acme_phone.sit(partner=roster[1].id).status_code == 200
    assert newcomer.seat_token is None
    assert snapshot(app) == before

    # The round closes; a late ballot is refused and changes nothing.
    facilitator.close(meeting)
    before = snapshot(app)
    response = acme_phone.vote("disagree", "Too late")
    refused(response, 409, refusal(app, language, "round_closed"))
    assert snapshot(app) == before
    closed = meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"][0]
    assert [b["option"] for b in closed["ballots"]] == ["agree"] and closed["comments"] == ["First thought"]


def test_unknown_meeting_tokens_and_codes_are_404(app, facilitator, open_meeting, phones):
    meeting, _proposal, _seats = open_meeting
    phone = phones()
    before = snapshot(app)
    token = csrf_token(phone.client, "/join")
    for response in (
        phone.client.get("/m/no-such-meeting"),
        phone.client.get("/m/no-such-meeting/state"),
        phone.client.post("/m/no-such-meeting", data={"csrf_token": token, "partner_type": "labor"}),
        phone.client.post("/m/no-such-meeting/vote", data={"csrf_token": token, "option": "agree"}),
    ):
        assert response.status_code == 404
        assert "Page not found" in text(response)
    response = phone.client.post("/join", data={"csrf_token": token, "code": "ZZZZZZ"})
    assert response.status_code == 404
    assert "No survey or meeting has this code. Please check it and try again." in text(response)
    # A meeting id is not its token.
    assert phone.client.get(f"/m/{meeting['id']}").status_code == 404
    assert snapshot(app) == before


@pytest.mark.parametrize(
    "fields, field_name, message",
    [
        ({"threshold": "5/4"}, "threshold", "Please give a share between 0 and 1, such as 3/4 or 0.75."),
        ({"threshold": "abc"}, "threshold", "Please give a share between 0 and 1, such as 3/4 or 0.75."),
        ({"threshold": "0"}, "threshold", "Please give a share between 0 and 1, such as 3/4 or 0.75."),
        ({"threshold": "1/0"}, "threshold", "Please give a share between 0 and 1, such as 3/4 or 0.75."),
        ({"threshold": "-1/2"}, "threshold", "Please give a share between 0 and 1, such as 3/4 or 0.75."),
        ({"threshold": "nan"}, "threshold", "Please give a share between 0 and 1, such as 3/4 or 0.75."),
        ({"threshold": "3/4" * 5}, "threshold", "Please use at most 12 characters."),
        (
            {"fallback_threshold": "2"},
            "fallback_threshold",
            "Please give a share between 0 and 1, such as 3/4 or 0.75.",
        ),
        ({"method": "shout"}, "method", "Please choose one of the options offered."),
        ({"rule": "dictator"}, "rule", "Please choose one of the options offered."),
        ({"quorum": "nobody"}, "quorum", "Please choose one of the options offered."),
        ({"weighting": "money"}, "weighting", "Please choose one of the options offered."),
        ({"fallback_after": "x"}, "fallback_after", "Please give a whole number."),
        ({"fallback_after": "0"}, "fallback_after", "Please give a number of rounds from 1 to 20."),
        ({"fallback_after": "21"}, "fallback_after", "Please give a number of rounds from 1 to 20."),
        ({"quorum_number": "-1"}, "quorum_number", "Please give a number from 0 to 1000."),
        ({"quorum_number": "1.5"}, "quorum_number", "Please give a whole number."),
        ({"text": ""}, "text", "This field is required."),
        ({"text": "  "}, "text", "Please write this in English"),
        ({"text": "x" * (meetings.PROPOSAL_MAX + 1)}, "text", "Please use at most 4000 characters."),
    ],
)
def test_bad_proposal_settings_are_refused_on_the_form(app, facilitator, roster, fields, field_name, message):
    meeting = facilitator.meeting(attending=[roster[0].id])
    before = snapshot(app)
    response = facilitator.add_proposal(meeting, **fields)
    page = text(response)
    assert response.status_code == 400, page
    assert message in page
    error = re.search(rf'id="{field_name}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    assert "Please correct the fields marked below." in page
    assert snapshot(app) == before


def test_a_bad_threshold_is_refused_in_the_facilitators_language(app, facilitator, roster):
    meeting = facilitator.meeting(attending=[roster[0].id])
    before = snapshot(app)
    facilitator.client.set_cookie("lang", "es")
    response = facilitator.add_proposal(meeting, threshold="5/4")
    assert response.status_code == 400
    assert refusal(app, "es", "threshold_invalid") in text(response)
    assert snapshot(app) == before


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"day": "2026-02-30"}, "Please give a valid date."),
        ({"day": "next tuesday"}, "Please give a valid date."),
        ({"day": ""}, "Please give a valid date."),
        ({"day": "23/11/2026"}, "Please give a valid date."),
        ({"title": ""}, "This field is required."),
        ({"title": "x" * (meetings.TITLE_MAX + 1)}, "Please use at most 200 characters."),
        ({"default_language": "xx"}, "Please choose one of the options offered."),
        ({"phase": "hibernating"}, "Please choose one of the options offered."),
        ({"attending": ["no-such-partner"]}, "That partner is not on the roster."),
    ],
)
def test_bad_meeting_settings_are_refused_on_the_form(app, facilitator, roster, fields, message):
    before = snapshot(app)
    data = {"title": "Board retreat", "day": DAY, "default_language": "en", "phase": "", "attending": [roster[0].id]}
    data.update(fields)
    response = facilitator.post("/meetings/new", data)
    page = text(response)
    assert response.status_code == 400, page
    assert page.count(message) == 1
    assert snapshot(app) == before and store_of(app).all(meetings.TABLE) == []


@pytest.mark.parametrize("language", ["es", "vi", "zh_Hans", "ar"])
def test_a_bad_meeting_date_is_refused_in_the_facilitators_language(app, facilitator, roster, language):
    facilitator.client.set_cookie("lang", language)
    response = facilitator.new_meeting(day="30/02/2026", attending=[roster[0].id])
    assert response.status_code == 400
    message = said(app, language, "Please give a valid date.")
    assert message != "Please give a valid date."  # every shipped catalog translates it
    assert message in text(response)
    assert store_of(app).all(meetings.TABLE) == []


def test_forms_without_a_csrf_token_are_refused(app, client, facilitator, open_meeting):
    meeting, proposal, _seats = open_meeting
    before = snapshot(app)
    for path, data in [
        ("/meetings/new", {"title": "Sneaky", "day": DAY, "default_language": "en"}),
        (f"/meetings/{meeting['id']}/proposals/new", {"text": "Sneaky", "method": "stance"}),
        (f"/meetings/{meeting['id']}/close", {}),
        (f"/meetings/{meeting['id']}/proposals/{proposal['id']}/open", {}),
        (f"/meetings/{meeting['id']}/proposals/{proposal['id']}/decision", {"decision": "adopted"}),
        (f"/meetings/{meeting['id']}/end", {}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "This form has expired" in text(response)
    assert snapshot(app) == before


def test_facilitator_mistakes_are_told_and_change_nothing(app, client, facilitator, open_meeting, roster):
    meeting, proposal, _seats = open_meeting
    second = facilitator.proposal(meeting, text="A second proposal")
    before = snapshot(app)
    # Another round is open.
    facilitator.open(meeting, second)
    assert "Another round is open. Close it before opening a new one." in text(
        client.get(f"/meetings/{meeting['id']}/screen")
    )
    # A decision that is none of the three.
    facilitator.decide(meeting, second, "maybe")
    assert "Please choose adopted, not adopted or deferred." in text(client.get(f"/meetings/{meeting['id']}"))
    # Unknown proposals and meetings.
    facilitator.decide(meeting, {"id": "no-such-proposal"}, "adopted")
    assert "That proposal is not on this meeting's agenda." in text(client.get(f"/meetings/{meeting['id']}"))
    assert snapshot(app) == before
    for response in (
        client.get("/meetings/no-such-meeting"),
        client.get("/meetings/no-such-meeting/live.json"),
        facilitator.post("/meetings/no-such-meeting/close"),
        facilitator.post("/meetings/no-such-meeting/proposals/new", {"text": "x"}),
    ):
        assert response.status_code == 404
    assert snapshot(app) == before
    # Closing when nothing is open.
    facilitator.close(meeting)
    before = snapshot(app)
    facilitator.close(meeting)
    assert "Voting on this round has closed." in text(client.get(f"/meetings/{meeting['id']}"))
    assert snapshot(app) == before


# -- who may do what ------------------------------------------------------------------------


def facilitator_only(meeting, proposal):
    """(method, path, form) of every facilitator-only route."""
    m, p = meeting["id"], proposal["id"]
    return [
        ("GET", "/meetings/new", None),
        ("POST", "/meetings/new", {"title": "Sneaky", "day": DAY, "default_language": "en"}),
        ("GET", f"/meetings/{m}", None),
        ("GET", f"/meetings/{m}/proposals/new", None),
        (
            "POST",
            f"/meetings/{m}/proposals/new",
            {"text": "Sneaky", **PROPOSAL_FORM},
        ),
        ("POST", f"/meetings/{m}/proposals/{p}/open", {}),
        ("POST", f"/meetings/{m}/close", {}),
        ("POST", f"/meetings/{m}/proposals/{p}/decision", {"decision": "adopted"}),
        ("POST", f"/meetings/{m}/end", {}),
        ("GET", f"/meetings/{m}/screen", None),
        ("GET", f"/meetings/{m}/live.json", None),
        ("GET", f"/meetings/{m}/qr.svg", None),
    ]


def readable(meeting):
    """Paths leaders may read."""
    m = meeting["id"]
    return ["/meetings/", f"/meetings/{m}/minutes", f"/meetings/{m}/minutes.md", f"/meetings/{m}/minutes.csv"]


def test_leaders_read_meetings_and_minutes_but_run_nothing(app, facilitator, open_meeting):
    meeting, proposal, phones = open_meeting
    phones[0].vote("agree")
    facilitator.close(meeting)
    facilitator.open(meeting, proposal)
    before = snapshot(app)
    leader = app.test_client()
    lee = Staff(app, leader)
    lee.login("lee", "leader")
    for method, path, form in facilitator_only(meeting, proposal):
        response = leader.get(path) if method == "GET" else lee.post(path, form)
        assert response.status_code == 403, (method, path)
        assert "You do not have access to this page" in text(response)
    assert snapshot(app) == before
    listing = text(leader.get("/meetings/"))
    assert "Board retreat" in listing and "New meeting" not in listing
    assert f'href="/meetings/{meeting["id"]}"' not in listing and f"/meetings/{meeting['id']}/minutes" in listing
    for path in readable(meeting)[1:]:
        response = leader.get(path)
        assert response.status_code == 200, path
        assert "Agree" in text(response)


def test_visitors_are_sent_to_the_login(app, facilitator, open_meeting):
    meeting, proposal, _phones = open_meeting
    before = snapshot(app)
    visitor = app.test_client()
    token = csrf_token(visitor, "/login")
    for method, path, form in facilitator_only(meeting, proposal) + [("GET", p, None) for p in readable(meeting)]:
        if method == "GET":
            response = visitor.get(path)
        else:
            response = visitor.post(path, data={**form, "csrf_token": token})
        assert response.status_code == 302, (method, path)
        assert location_path(response) == "/login", (method, path)
    assert snapshot(app) == before


# -- trust in the room: what the projector may show, and seats nobody can take over ------------------


TEN = [
    ("Acme Manufacturing", "business"),
    ("Local 12", "labor"),
    ("Valley College", "semi_public"),
    ("Goodwill", "cbo"),
    ("Harbor Logistics", "business"),
    ("Eastside Tenants Union", "cbo"),
    ("County Workforce Board", "government"),
    ("Rivers Foundation", "foundation"),
    ("Carpenters Local 7", "labor"),
    ("Metro Transit", "semi_public"),
]
STANCES = ["agree", "disagree", "agree", "block", "abstain", "agree", "disagree", "agree", "abstain", "agree"]
SPREAD_HINTS = ("<table", "Agree", "Disagree", "Abstain", "Block", "Supportive", "A block stands", "Outcome so far")


def ten_partners(app):
    """Ten active partners (ids in the order of ``TEN``)."""
    return [partners.add_partner(store_of(app), name, kind) for name, kind in TEN]


def observe(facilitator, meeting, query=""):
    """What anyone watching the projector sees: the live JSON (figures and fragment) and the screen page."""
    response = facilitator.client.get(f"/meetings/{meeting['id']}/live.json{query}")
    assert response.status_code == 200
    data = response.get_json()
    screen = text(facilitator.client.get(f"/meetings/{meeting['id']}/screen{query}"))
    body = re.search(r'<div id="live".*?</main>', screen, re.S)
    return {
        "etag": response.headers["ETag"],
        "json": data,
        "html": html.unescape(data["html"]),
        "screen": body.group(0) if body else screen,
    }


def without_count(observation):
    """The fragment and screen with the turnout (its line, the quorum it meets, the version) taken out.

    The facilitator's CSRF token goes too: it is signed with the time, so it
    changes from one second to the next whatever the room does.
    """
    count = re.compile(
        r"\d+ of \d+ seats have voted|data-version=\"[^\"]*\"|Quorum (not )?met( yet)?\."
        r"|<input[^>]*name=\"csrf_token\"[^>]*>"
    )
    return count.sub("", observation["html"]), count.sub("", observation["screen"])


def test_a_ten_seat_round_watched_after_every_ballot_reveals_no_stance(app, facilitator):
    roster = ten_partners(app)
    names = [p.name for p in roster]
    meeting = facilitator.meeting(attending=[p.id for p in roster])
    proposal = facilitator.proposal(meeting)
    assert proposal.get("live_results") is False  # hidden while open is the default
    facilitator.open(meeting, proposal)
    facilitator.client.get(f"/meetings/{meeting['id']}/screen")  # read "Voting is open" once
    phones = [seated(app, meeting, partner) for partner in roster]
    watched = [observe(facilitator, meeting)]
    for voted, (phone, stance) in enumerate(zip(phones, STANCES), start=1):
        assert phone.vote(stance, f"Concern number {voted}").status_code == 303
        watched.append(observe(facilitator, meeting))
        assert f"{voted} of 10 seats have voted" in watched[-1]["html"]
        assert (watched[-1]["json"]["voted"], watched[-1]["json"]["seats"]) == (voted, 10)
    for seen in watched:
        assert set(seen["json"]) == {"version", "open", "seats", "voted", "html"}
        for part in (seen["html"], seen["screen"]):
            for hint in SPREAD_HINTS + tuple(names) + ("Concern number",):
                assert hint not in part, hint
    # Between two ballots, only the turnout moves: nothing else a watcher could match with a phone.
    assert len({without_count(seen) for seen in watched}) == 1
    # A seat that changes its stance changes nothing on the screen: the poll stays a bare 304.
    last = watched[-1]["etag"]
    assert phones[0].vote("block").status_code == 303
    assert facilitator.live(meeting, last).status_code == 304

    # Asked for, the names of who has not voted yet: never beside a spread.
    facilitator.close(meeting)
    second = facilitator.proposal(meeting, text="A second proposal")
    facilitator.open(meeting, second)
    for phone in phones[:4]:
        phone.vote("agree")
    named = observe(facilitator, meeting, "?waiting=1")
    assert "4 of 10 seats have voted" in named["html"]
    for name in names[4:]:
        assert name in named["html"] and name in named["screen"]
    for name in names[:4]:
        assert name not in named["html"]
    for hint in SPREAD_HINTS:
        assert hint not in named["html"] and hint not in named["screen"], hint
    assert "Show who has not voted yet" in observe(facilitator, meeting)["screen"]


def test_with_live_results_chosen_the_spread_appears_from_k_voices_never_beside_names(app, facilitator):
    roster = ten_partners(app)
    names = [p.name for p in roster]
    k = app.config["ANONYMITY_K"]
    meeting = facilitator.meeting(attending=[p.id for p in roster])
    proposal = facilitator.proposal(meeting, live_results="y")
    assert proposal["live_results"] is True
    facilitator.open(meeting, proposal)
    phones = [seated(app, meeting, partner) for partner in roster]
    for voted, (phone, stance) in enumerate(zip(phones, STANCES), start=1):
        phone.vote(stance, "Worried about the budget")
        for query in ("", "?waiting=1"):
            seen = observe(facilitator, meeting, query)
            for part in (seen["html"], seen["screen"]):
                for name in names:
                    assert name not in part, name
                assert "Worried about the budget" not in part
            if voted < k:
                assert "<table" not in seen["html"] and "Supportive" not in seen["html"]
            else:
                agree = STANCES[:voted].count("agree")
                assert count_in_row(seen["html"], "Agree") == agree
    # Even with live results chosen, names are not offered while the spread shows.
    assert "Show who has not voted yet" not in observe(facilitator, meeting)["screen"]


def test_concerns_show_only_after_the_close_shuffled_and_unsigned(app, client, facilitator, open_meeting, roster):
    meeting, proposal, phones = open_meeting
    concerns = ["Needs a budget line", "Too vague", "Who pays for it?"]
    for phone, stance, concern in zip(phones, ["block", "abstain", "agree"], concerns):
        assert phone.vote(stance, concern).status_code == 303
        for seen in (
            facilitator.live_html(meeting),
            text(client.get(f"/meetings/{meeting['id']}/screen")),
            text(client.get(f"/meetings/{meeting['id']}")),
            text(client.get(f"/meetings/{meeting['id']}/minutes")),
        ):
            for concern_ in concerns:
                assert concern_ not in seen
    facilitator.close(meeting)
    minutes = text(client.get(f"/meetings/{meeting['id']}/minutes"))
    listed = re.search(r"<h4>Concerns raised</h4>\s*<ul>(.*?)</ul>", minutes, re.S)
    assert listed, minutes
    items = re.findall(r'<li dir="auto">(.*?)</li>', listed.group(1), re.S)
    assert sorted(items) == sorted(concerns)  # the words alone: no seat, partner or time beside them
    stored = meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"][0]
    assert sorted(stored["comments"]) == sorted(concerns) and all(isinstance(c, str) for c in stored["comments"])


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_seat_cannot_be_taken_from_another_device_until_the_facilitator_releases_it(
    app, client, facilitator, roster, language
):
    acme = roster[0]
    meeting = facilitator.meeting(attending=[p.id for p in roster[:2]])
    proposal = facilitator.proposal(meeting)
    facilitator.open(meeting, proposal)
    owner = seated(app, meeting, acme)
    assert owner.vote("agree").status_code == 303
    thief = Phone(app, language)
    thief.join(meeting["join_code"])
    before = snapshot(app)
    response = thief.sit(partner=acme.id)
    page = text(response)
    assert response.status_code == 409, page
    message = refusal(app, language, "seat_taken", partner=acme.name)
    assert message in page and f'<html lang="{language}"' in page
    assert thief.seat_token is None
    assert thief.vote("block").status_code == 403
    assert snapshot(app) == before

    # Type-only seats are one per device, as many as come: nobody takes over another's.
    first, second = seated(app, meeting, partner_type="labor"), seated(app, meeting, partner_type="labor")
    assert first.seat_token != second.seat_token

    # The facilitator releases Acme's seat from the meeting page (a CSRF-protected POST).
    agenda = text(client.get(f"/meetings/{meeting['id']}"))
    [seat] = store_of(app).find(meetings.SEATS, meeting_id=meeting["id"], partner=acme.id)
    assert f'name="seat" value="{seat["id"]}"' in agenda and "Release the seat" in agenda
    before = snapshot(app)
    assert client.post(f"/meetings/{meeting['id']}/release", data={"seat": seat["id"]}).status_code == 400
    assert snapshot(app) == before
    response = facilitator.staff.confirm(f"/meetings/{meeting['id']}/release", {"seat": seat["id"]})
    assert response.status_code == 303
    assert "The seat is released: another device can take it now." in text(client.get(location_path(response)))
    stored = meetings.get_meeting(store_of(app), meeting["id"])
    assert stored["released"] == [{"partner": acme.id, "partner_type": "business"}]
    assert store_of(app).find(meetings.SEATS, meeting_id=meeting["id"], partner=acme.id) == []
    # The old device is no longer seated; the new one takes the seat and votes.
    assert "Take my seat" in text(owner.client.get(owner.path))
    assert owner.vote("disagree").status_code == 403
    assert thief.sit(partner=acme.id).status_code == 303
    assert thief.vote("block").status_code == 303
    # An unknown seat is told, and changes nothing.
    before = snapshot(app)
    facilitator.post(f"/meetings/{meeting['id']}/release", {"seat": "no-such-seat"})
    assert "That seat is not taken in this meeting." in text(client.get(f"/meetings/{meeting['id']}"))
    assert snapshot(app) == before
    facilitator.close(meeting)
    minutes = text(client.get(f"/meetings/{meeting['id']}/minutes"))
    assert "Seats released: <bdi>Acme Manufacturing</bdi>" in minutes
    closed = meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"][0]
    assert sorted(b["option"] for b in closed["ballots"]) == ["block"]  # the new device's ballot replaced the old


def test_minutes_by_partner_type_count_distinct_partners_towards_k(app, client, facilitator):
    store = store_of(app)
    business = [partners.add_partner(store, f"Business {n}", "business") for n in range(3)]
    cbo = [partners.add_partner(store, f"Neighbours {n}", "cbo") for n in range(4)]
    local = partners.add_partner(store, "Local 12", "labor")
    meeting = facilitator.meeting(attending=[p.id for p in business + cbo + [local]])
    facilitator.proposal(meeting)
    # A round closed before seats were one per partner: Local 12 sent three representatives.
    ballots = (
        [{"option": "agree", "partner": p.id, "partner_type": "business"} for p in business]
        + [{"option": "agree", "partner": p.id, "partner_type": "cbo"} for p in cbo]
        + [{"option": "block", "partner": local.id, "partner_type": "labor"}] * 3
    )
    doc = meetings.get_meeting(store, meeting["id"])
    doc["proposals"][0]["rounds"][0].update(
        status="closed",
        ballots=ballots,
        comments=[],
        tally={
            "outcome": "not_adopted",
            "supportive_share": "7/8",
            "blocked": True,
            "quorum_met": True,
            "ballots": 10,
            "voices": 8,
        },
    )
    store.update(meetings.TABLE, meeting["id"], doc)
    minutes = text(client.get(f"/meetings/{meeting['id']}/minutes"))
    table = re.search(r"<caption>Round 1 by partner type</caption>(.*?)</table>", minutes, re.S).group(1)
    rows = dict(re.findall(r'<th scope="row"><bdi>(.*?)</bdi></th>\s*(<td.*?)</tr>', table, re.S))
    assert set(rows) == {"Business", "Labor", "Community-based organization (not-for-profit)"}
    # Three ballots, one organisation: Labor is withheld, and its block does not show by type.
    assert "Withheld" in rows["Labor"]
    # Labor's one voice alone would show through the total: the smallest shown group goes too.
    assert "Withheld" in rows["Business"]
    assert "Withheld" not in rows["Community-based organization (not-for-profit)"]


# -- projector mode -----------------------------------------------------------------------


def test_the_projector_screen_is_a_page_for_the_wall(app, facilitator, roster):
    """No site header or menus; the code, QR and address; a meta refresh; the proposal in each language."""
    meeting = facilitator.meeting(attending=[p.id for p in roster[:3]], language="es", title="Junta")
    proposal = facilitator.proposal(
        meeting, text="Adoptar la visión", text_en="Adopt the vision", text_ar="اعتماد الرؤية"
    )
    facilitator.open(meeting, proposal)
    response = facilitator.client.get(f"/meetings/{meeting['id']}/screen")
    page = text(response)
    assert response.status_code == 200
    # No site header, menu, language picker, account menu or footer: the wall shows the meeting only.
    for site in ('class="site-header"', 'aria-label="Main menu"', "language-picker", "Log out", "site-footer"):
        assert site not in page, site
    assert re.search(r'<a class="skip-link" href="#main">[^<]+</a>\s*<main id="main"', page)
    # How to join: the code, the QR code that opens the meeting, and the join address on the public URL.
    assert re.search(rf'<p class="join-code"[^>]*>\s*{meeting["join_code"]}\s*</p>', page)
    assert re.search(rf'<img[^>]+src="/meetings/{meeting["id"]}/qr.svg"[^>]+alt="[^"]+"', page)
    assert "http://localhost/join" in page
    # Without JavaScript it reloads itself; with it, a Full screen button (hidden until the script shows it).
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', page)
    assert re.search(r"<button[^>]*data-fullscreen[^>]*hidden[^>]*>", page)
    assert re.search(r'src="/static/js/fullscreen\.[0-9a-f]{12}\.js"', page)
    assert f'href="/meetings/{meeting["id"]}"' in page  # the discreet way back to the meeting page
    # The proposal in the room's languages: the meeting's own first, each named and marked with its language.
    texts = re.findall(
        r'<div class="screen-text" lang="([^"]+)" dir="(\w+)">\s*<p class="language-name">([^<]+)</p>'
        r'\s*<(?:h1|p) class="screen-proposal">([^<]+)<',
        page,
    )
    assert texts == [
        ("es", "ltr", "Español", "Adoptar la visión"),
        ("en", "ltr", "English", "Adopt the vision"),
        ("ar", "rtl", "العربية", "اعتماد الرؤية"),
    ]


def test_one_language_needs_no_language_names(app, facilitator, open_meeting):
    """A proposal in one language is the page's heading, without a language name above it."""
    meeting, _proposal, _phones = open_meeting
    page = text(facilitator.client.get(f"/meetings/{meeting['id']}/screen"))
    assert re.search(
        r'<div class="screen-text" lang="en" dir="ltr">\s*<h1 class="screen-proposal">'
        r"Adopt the shared vision</h1>",
        page,
    )
    assert "language-name" not in page


def test_after_the_close_the_screen_shows_the_result_until_the_next_round_opens(app, facilitator, open_meeting):
    """Closing returns to the screen, which shows the result (by type under k, concerns unsigned)."""
    meeting, proposal, phones = open_meeting
    concerns = ["Needs a budget line", "Too vague"]
    for phone, stance, concern in zip(phones, ["agree", "agree", "block"], concerns + [""]):
        assert phone.vote(stance, concern).status_code == 303
    response = facilitator.close(meeting)
    # Closed from the screen, back to the screen: the room sees the result.
    assert response.status_code == 303 and location_path(response) == f"/meetings/{meeting['id']}/screen"
    for seen in (observe(facilitator, meeting)["html"], observe(facilitator, meeting)["screen"]):
        assert "No vote is open" not in seen
        assert "Result of round 1" in seen and "Not adopted" in seen and "A block stands." in seen
        assert "3 ballots" in seen and "Supportive: 67%" in seen
        assert count_in_row(seen, "Agree") == 2 and count_in_row(seen, "Block") == 1
        # Three partners of three types: every type is under k, withheld.
        by_type = re.search(r"<caption>Round 1 by partner type</caption>(.*?)</table>", seen, re.S).group(1)
        assert by_type.count("Withheld") == 3 and "<td>1</td>" not in by_type
        listed = re.search(r'<h2 id="concerns-title">Concerns raised</h2>\s*<ul>(.*?)</ul>', seen, re.S)
        assert sorted(re.findall(r'<li dir="auto">(.*?)</li>', listed.group(1))) == sorted(concerns)
        for name in ("Acme Manufacturing", "Local 12", "Valley College"):
            assert name not in seen
    screen = text(facilitator.client.get(f"/meetings/{meeting['id']}/screen"))
    assert re.search(r"<form[^>]*data-while-open[^>]*hidden", screen)  # the close button waits for a round
    facilitator.open(meeting, proposal)
    seen = observe(facilitator, meeting)["html"]
    assert "Result of round 1" not in seen and "Needs a budget line" not in seen and "0 of 3 seats have voted" in seen


# -- figures that say what they count ------------------------------------------------------


def stored_round(app, facilitator, weighting):
    """A closed round stored before one seat per partner.

    Acme sent three ballots, Local 12 one, and two type-only seats of the
    community type (one voice between them): six ballots from three organizations.
    """
    store = store_of(app)
    acme = partners.add_partner(store, "Acme Manufacturing", "business")
    local = partners.add_partner(store, "Local 12", "labor")
    meeting = facilitator.meeting(attending=[acme.id, local.id])
    facilitator.proposal(meeting, weighting=weighting)
    ballots = (
        [{"option": "agree", "partner": acme.id, "partner_type": "business"}] * 2
        + [
            {"option": "disagree", "partner": acme.id, "partner_type": "business"},
            {"option": "disagree", "partner": local.id, "partner_type": "labor"},
        ]
        + [{"option": "agree", "partner": None, "partner_type": "cbo"}] * 2
    )
    doc = meetings.get_meeting(store, meeting["id"])
    proposal = doc["proposals"][0]
    share = "5/9" if weighting == "partner" else "2/3"
    proposal["rounds"][0].update(
        status="closed",
        ballots=ballots,
        comments=[],
        tally={
            "outcome": "not_adopted",
            "supportive_share": share,
            "blocked": False,
            "quorum_met": True,
            "ballots": 6,
            "voices": 3,
        },
    )
    doc["last_closed"] = {"proposal": proposal["id"], "round": 1}
    store.update(meetings.TABLE, meeting["id"], doc)
    return meeting


def everywhere_a_closed_round_shows(facilitator, meeting):
    """The projector's result (page and live fragment), the agenda, the minutes in HTML and Markdown."""
    client, base = facilitator.client, f"/meetings/{meeting['id']}"
    seen = observe(facilitator, meeting)
    return {
        "screen": seen["screen"],
        "live": seen["html"],
        "agenda": text(client.get(base)),
        "minutes": text(client.get(f"{base}/minutes")),
        "markdown": text(client.get(f"{base}/minutes.md")),
    }


EXPLAINED = "Each organization counts once, however many people voted for it."


def test_a_closed_round_says_how_many_ballots_from_how_many_organizations(app, facilitator):
    meeting = stored_round(app, facilitator, "partner")
    for where, seen in everywhere_a_closed_round_shows(facilitator, meeting).items():
        assert "6 ballots from 3 organizations" in seen, where
        # Weighted per partner: the figure says so, and links to how votes are counted.
        assert "Supportive: 56%" in seen and EXPLAINED in seen, where
        assert "/help/counting" in seen, where


def test_a_round_weighted_per_person_gives_no_per_organization_explanation(app, facilitator):
    meeting = stored_round(app, facilitator, "person")
    for where, seen in everywhere_a_closed_round_shows(facilitator, meeting).items():
        assert "6 ballots from 3 organizations" in seen, where
        assert EXPLAINED not in seen, where


def test_one_ballot_from_one_organization_is_singular(app, facilitator, open_meeting):
    meeting, _proposal, phones = open_meeting
    assert phones[0].vote("agree", "").status_code == 303
    facilitator.close(meeting)
    seen = observe(facilitator, meeting)["html"]
    assert "1 ballot from 1 organization" in seen and "organizations" not in seen.split("ballot from")[1][:20]


def test_a_live_spread_says_how_many_ballots_from_how_many_organizations(app, facilitator):
    people = ten_partners(app)
    meeting = facilitator.meeting(attending=[p.id for p in people])
    proposal = facilitator.proposal(meeting, live_results="y")
    facilitator.open(meeting, proposal)
    for partner in people[:5]:
        assert seated(app, meeting, partner).vote("agree", "").status_code == 303
    seen = observe(facilitator, meeting)["html"]
    assert "How votes are spread" in seen and "Option" in seen
    assert "5 ballots from 5 organizations" in seen and EXPLAINED in seen


def test_the_counting_help_page_explains_the_weighting(client):
    page = text(client.get("/help/counting"))
    assert EXPLAINED in page and "one organization per type" in page


def test_the_release_buttons_number_the_seats_of_one_partner_type_and_name_a_partners_seat(
    app, client, facilitator, roster
):
    acme = roster[0]
    meeting = facilitator.meeting(attending=[p.id for p in roster[:2]])
    for seat in [dict(partner_type="labor"), dict(partner=acme), dict(partner_type="labor")]:
        assert seated(app, meeting, **seat).seat_token
    agenda = text(client.get(f"/meetings/{meeting['id']}"))
    buttons = re.findall(r"Release the seat of <bdi>([^<]*)</bdi></button>", agenda)
    assert buttons == ["Acme Manufacturing", "Labor (partner type only), seat 1", "Labor (partner type only), seat 2"]
