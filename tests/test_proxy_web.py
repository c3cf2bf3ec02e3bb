"""Proxies through the web: recorded on the meeting page, two ballots on the holder's phone, told in the minutes.

The minutes say who represented whom, and never how either voted.
"""

import csv
import io
import re

import pytest

from roundtable import meetings

from .conftest import csrf_token
from .meeting_fixtures import (
    Phone,
    location_path,
    refusal,
    said,
    seated,
    snapshot,
    store_of,
    text,
)


def give(facilitator, meeting, absent, holder):
    """POST the proxy form on the meeting page; the response."""
    return facilitator.post(f"/meetings/{meeting['id']}/proxies", {"absent": absent.id, "holder": holder.id})


def withdraw(facilitator, meeting, absent):
    """POST the withdraw button of ``absent``'s proxy; the response."""
    return facilitator.post(f"/meetings/{meeting['id']}/proxies/withdraw", {"absent": absent.id})


def fieldsets(page):
    """Each ballot form's legend on a phone's page."""
    return re.findall(r"<legend>\s*(.*?)\s*</legend>", page)


@pytest.fixture
def proxied(app, facilitator, roster):
    """Acme and Local 12 in the room; Valley College, absent, gave its proxy to Local 12; round 1 open."""
    acme, labor, college, _goodwill = roster
    meeting = facilitator.meeting(attending=[acme.id, labor.id, college.id])
    proposal = facilitator.proposal(meeting)
    response = give(facilitator, meeting, college, labor)
    assert response.status_code == 303, text(response)
    assert facilitator.open(meeting, proposal).status_code == 303
    return meeting, proposal, seated(app, meeting, acme), seated(app, meeting, labor)


def test_the_facilitator_records_a_proxy_on_the_meeting_page(app, client, facilitator, roster):
    acme, labor, college, _goodwill = roster
    meeting = facilitator.meeting(attending=[acme.id, labor.id, college.id])
    page = text(client.get(f"/meetings/{meeting['id']}"))
    assert 'name="absent"' in page and 'name="holder"' in page and "Record the proxy" in page
    assert '<label for="proxy-absent">' in page and '<label for="proxy-holder">' in page
    before = snapshot(app)
    assert (
        client.post(f"/meetings/{meeting['id']}/proxies", data={"absent": college.id, "holder": labor.id}).status_code
        == 400
    )  # no CSRF token
    assert snapshot(app) == before
    response = give(facilitator, meeting, college, labor)
    assert response.status_code == 303
    page = text(client.get(location_path(response)))
    assert "The proxy is recorded." in page
    assert "<bdi>Valley College</bdi> is represented by <bdi>Local 12</bdi>" in page
    assert meetings.get_meeting(store_of(app), meeting["id"])["proxies"] == [
        {"absent": college.id, "absent_type": "semi_public", "holder": labor.id}
    ]
    # A chain is refused with a translated message, and changes nothing.
    before = snapshot(app)
    page = text(client.get(location_path(give(facilitator, meeting, acme, college))))
    assert refusal(app, "en", "proxy_chain") in page
    assert snapshot(app) == before
    # Withdrawn between rounds; the college may take a seat again.
    page = text(client.get(location_path(withdraw(facilitator, meeting, college))))
    assert "The proxy is withdrawn." in page and "is represented by" not in page
    assert meetings.get_meeting(store_of(app), meeting["id"])["proxies"] == []


def test_the_absent_partners_phone_is_refused_a_seat_naming_its_holder(app, facilitator, roster, proxied):
    _acme, labor, college, _goodwill = roster
    meeting = proxied[0]
    phone = Phone(app, "es")
    phone.join(meeting["join_code"])
    before = snapshot(app)
    response = phone.sit(partner=college.id)
    assert response.status_code == 409
    assert refusal(app, "es", "seat_proxy_given", partner=college.name, holder=labor.name) in text(response)
    assert phone.seat_token is None and snapshot(app) == before


def test_the_holders_phone_shows_two_labelled_ballots_and_casts_each_apart(app, facilitator, roster, proxied):
    acme, labor, college, _goodwill = roster
    meeting, _proposal, acme_phone, labor_phone = proxied
    page = text(labor_phone.client.get(labor_phone.path))
    assert fieldsets(page) == ["Your vote, for <bdi>Local 12</bdi>", "Vote for <bdi>Valley College</bdi> (by proxy)"]
    assert page.count("<form") == 2 + page.count('action="/language"')
    assert f'name="for" value="{college.id}"' in page
    # Acme's phone holds no proxy: one ballot, as before.
    assert fieldsets(text(acme_phone.client.get(acme_phone.path))) == ["Your stance"]

    assert labor_phone.vote("agree").status_code == 303
    live = meetings.live_state(store_of(app), meeting["id"])
    assert (live.voted, live.electorate) == (1, 3)  # its own only
    response = labor_phone.client.post(
        labor_phone.path + "/vote",
        data={"csrf_token": csrf(labor_phone), "option": "disagree", "comment": "", "for": college.id},
    )
    assert response.status_code == 303
    page = text(labor_phone.client.get(location_path(response)))
    assert "The vote for Valley College is recorded. You can change it until the round closes." in page
    assert page.count("checked") == 2
    live = meetings.live_state(store_of(app), meeting["id"])
    assert live.voted == 2
    ballots = {
        b["partner"]: b["option"]
        for b in meetings.live_ballots(store_of(app), meeting["id"], live.proposal["id"], live.round["number"])
    }
    assert ballots == {labor.id: "agree", college.id: "disagree"}


def csrf(phone):
    """Return a CSRF token from the phone's page."""
    return csrf_token(phone.client, phone.path)


def test_a_device_that_is_not_the_holders_seat_cannot_cast_the_absent_partners_ballot(
    app, facilitator, roster, proxied
):
    _acme, _labor, college, goodwill = roster
    meeting, _proposal, acme_phone, labor_phone = proxied
    before = snapshot(app)
    response = acme_phone.client.post(
        acme_phone.path + "/vote", data={"csrf_token": csrf(acme_phone), "option": "block", "for": college.id}
    )
    assert response.status_code == 403
    assert refusal(app, "en", "proxy_not_held") in text(response)
    response = labor_phone.client.post(
        labor_phone.path + "/vote", data={"csrf_token": csrf(labor_phone), "option": "block", "for": goodwill.id}
    )
    assert response.status_code == 403
    stranger = Phone(app)
    stranger.join(meeting["join_code"])
    response = stranger.client.post(
        stranger.path + "/vote", data={"csrf_token": csrf(stranger), "option": "block", "for": college.id}
    )
    assert response.status_code == 403
    assert snapshot(app) == before


def test_the_minutes_say_who_represented_whom_and_never_how_either_voted(app, client, facilitator, roster, proxied):
    acme, labor, college, _goodwill = roster
    meeting, _proposal, acme_phone, labor_phone = proxied
    acme_phone.vote("agree")
    labor_phone.vote("block")
    labor_phone.client.post(
        labor_phone.path + "/vote", data={"csrf_token": csrf(labor_phone), "option": "abstain", "for": college.id}
    )
    assert withdraw(facilitator, meeting, college).status_code == 303  # refused while the round is open
    assert refusal(app, "en", "proxy_round_open") in text(client.get(f"/meetings/{meeting['id']}"))
    facilitator.close(meeting)
    closed = meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"][0]
    assert closed["tally"]["quorum_met"] and closed["tally"]["voices"] == 3
    minutes = text(client.get(f"/meetings/{meeting['id']}/minutes"))
    markdown = text(client.get(f"/meetings/{meeting['id']}/minutes.md"))
    for page in (minutes, markdown):
        assert "Valley College was represented by Local 12" in page.replace("<bdi>", "").replace("</bdi>", "")
        for name in (labor.name, college.name):
            for stance in ("Agree", "Block", "Abstain"):
                assert not re.search(rf"{name}\W{{0,12}}{stance}|{stance}\W{{0,12}}{name}", page), (name, stance)
    rows = list(csv.reader(io.StringIO(client.get(f"/meetings/{meeting['id']}/minutes.csv").get_data(as_text=True))))
    assert all(labor.name not in cell and college.name not in cell for row in rows for cell in row)
    assert (
        said(app, "en", "%(absent)s was represented by %(holder)s.", absent="X", holder="Y")
        == "X was represented by Y."
    )
