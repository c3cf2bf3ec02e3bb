"""Ballots and survey responses sent again over bad Wi-Fi, through the web: each counts once.

Every form carries a fresh ``client_id``; posting the same one again answers
like a success and stores nothing more.
"""

import datetime
import re

import pytest

from roundtable import meetings, partners, surveys

from .conftest import CSRF, csrf_token
from .test_meeting_web import seated, text

CLIENT_ID = re.compile(r'name="client_id" value="([A-Za-z0-9_-]+)"')
ROUND = re.compile(r'name="round" value="([^"]+)"')


def store_of(app):
    """The app's store."""
    return app.config["STORE"]


@pytest.fixture
def room(app):
    """A meeting with an open round and three partners on the roster."""
    store = store_of(app)
    roster = [
        partners.add_partner(store, name, kind)
        for name, kind in [("Acme", "business"), ("Local 12", "labor"), ("Valley College", "semi_public")]
    ]
    meeting = meetings.create_meeting(
        store, {"en": "Board"}, datetime.date(2026, 6, 1), attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    return meeting, proposal, roster


def ballot_form(phone):
    """The hidden fields of the phone's ballot form, as the page renders them."""
    page = phone.client.get(phone.path).get_data(as_text=True)
    return {
        "csrf_token": CSRF.search(page).group(1),
        "client_id": CLIENT_ID.search(page).group(1),
        "round": ROUND.search(page).group(1),
    }


def ballots(app, meeting):
    """The open round's ballot records."""
    return store_of(app).records(meetings.ballots_stream(meeting["id"]))


def test_every_render_of_the_ballot_form_has_a_fresh_client_id(app, room):
    meeting, _, roster = room
    phone = seated(app, meeting, roster[0])
    assert ballot_form(phone)["client_id"] != ballot_form(phone)["client_id"]


def test_a_ballot_posted_twice_with_one_client_id_counts_once(app, room):
    meeting, proposal, roster = room
    phone = seated(app, meeting, roster[0])
    data = dict(ballot_form(phone), option="agree", comment="")
    first = phone.client.post(phone.path + "/vote", data=data)
    again = phone.client.post(phone.path + "/vote", data=data)
    assert first.status_code == again.status_code == 303
    assert "Your vote is recorded" in text(phone.client.get(phone.path))
    assert len(ballots(app, meeting)) == 1


def test_a_stale_ballot_retry_does_not_overwrite_the_newer_stance(app, room):
    meeting, proposal, roster = room
    phone = seated(app, meeting, roster[0])
    older = dict(ballot_form(phone), option="agree", comment="")
    assert phone.client.post(phone.path + "/vote", data=older).status_code == 303
    newer = dict(ballot_form(phone), option="disagree", comment="")
    assert phone.client.post(phone.path + "/vote", data=newer).status_code == 303
    assert phone.client.post(phone.path + "/vote", data=older).status_code == 303
    [latest] = meetings.live_ballots(store_of(app), meeting["id"], proposal["id"], 1)
    assert latest["option"] == "disagree"


def test_a_ballot_kept_for_a_closed_round_is_refused_in_the_next(app, room):
    meeting, proposal, roster = room
    phone = seated(app, meeting, roster[0])
    kept = dict(ballot_form(phone), option="agree", comment="")
    meetings.close_round(store_of(app), meeting["id"])
    meetings.open_round(store_of(app), meeting["id"], proposal["id"])
    response = phone.client.post(phone.path + "/vote", data=kept)
    assert response.status_code == 409
    assert "Voting on this round has closed" in text(response)
    assert ballots(app, meeting) == []


@pytest.mark.parametrize("client_id", ["short", "x" * 200, "<script>alert(1)</script>-----"])
def test_a_forged_client_id_is_a_translated_400(app, room, client_id):
    meeting, _, roster = room
    phone = seated(app, meeting, roster[0])
    data = dict(ballot_form(phone), option="agree", comment="", client_id=client_id)
    response = phone.client.post(phone.path + "/vote", data=data)
    assert response.status_code == 400
    assert "This form is out of date" in text(response)
    assert ballots(app, meeting) == []


def make_survey(app, invitations_only=False):
    """An open survey with one required short question."""
    store = store_of(app)
    survey = surveys.create_survey(
        store,
        {"en": "Check-in"},
        "en",
        "anonymous",
        None,
        questions=[{"kind": "short_text", "text": {"en": "One word?"}, "required": True}],
        invitations_only=invitations_only,
    )
    return surveys.set_status(store, survey.id, "open")


def test_a_survey_response_posted_twice_is_stored_once_and_the_retry_gets_no_new_receipt(app, client):
    survey = make_survey(app)
    page = client.get(f"/s/{survey.share_token}").get_data(as_text=True)
    data = {
        "csrf_token": CSRF.search(page).group(1),
        "client_id": CLIENT_ID.search(page).group(1),
        f"q-{survey.questions[0].id}": "trust",
    }
    first = client.post(f"/s/{survey.share_token}", data=data)
    assert first.status_code == 303
    thanks = text(client.get(first.headers["Location"]))
    assert "Your receipt code" in thanks and "already received" not in thanks
    again = client.post(f"/s/{survey.share_token}", data=data)
    assert again.status_code == 303
    thanks = text(client.get(again.headers["Location"]))
    assert "Your response was already received" in thanks and "Your receipt code" not in thanks
    assert "already received" not in text(client.get(again.headers["Location"]))  # said once
    assert len(store_of(app).records(surveys.stream(survey.id))) == 1
    assert len(store_of(app).members(surveys.receipts_set(survey.id))) == 1


def test_a_survey_with_invitations_answers_a_retry_as_received(app, client):
    survey = make_survey(app, invitations_only=True)
    [code] = surveys.create_invitations(store_of(app), survey.id, 1)
    page = client.get(f"/s/{survey.share_token}").get_data(as_text=True)
    data = {
        "csrf_token": CSRF.search(page).group(1),
        "client_id": CLIENT_ID.search(page).group(1),
        f"q-{survey.questions[0].id}": "trust",
        "invitation": code,
    }
    assert client.post(f"/s/{survey.share_token}", data=data).status_code == 303
    again = client.post(f"/s/{survey.share_token}", data=data)
    assert again.status_code == 303
    assert "Your response was already received" in text(client.get(again.headers["Location"]))


def test_a_page_without_a_client_id_still_works_as_before(app, client):
    survey = make_survey(app)
    data = {"csrf_token": csrf_token(client, "/join"), f"q-{survey.questions[0].id}": "trust"}
    assert client.post(f"/s/{survey.share_token}", data=data).status_code == 303
    assert client.post(f"/s/{survey.share_token}", data=data).status_code == 303
    assert len(store_of(app).records(surveys.stream(survey.id))) == 2
