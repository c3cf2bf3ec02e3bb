"""A phone on meeting-room Wi-Fi: a ballot or a survey sent while the network is down is kept and sent once.

The phone goes offline (Playwright's ``set_offline``), taps its stance and
sends it: the page says the vote is kept on the phone, and nothing reaches
the server. Back online, the page says it was sent, and the store holds
exactly one ballot for that seat (one response for the survey).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from roundtable import meetings, partners, surveys

from .conftest import watch

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
WAITING_VOTE = "Waiting for the network — your vote is kept on this phone"
WAITING_ANSWERS = "Waiting for the network — your answers are kept on this phone"
SETTLE = 15000  # ms: back online, the page sends at once (the "online" event), else within its backoff


@pytest.fixture
def phone(browser, live_app):
    """A phone-sized browser context, its page, and the problems its console reports."""
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], **PHONE)
    page = context.new_page()
    problems = watch(page)
    yield context, page
    context.close()
    # Requests failing while offline are the point of the test; anything else is a defect.
    assert not [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p], problems


def kept(page):
    """The keys of what the page keeps on the phone."""
    return page.evaluate("Object.keys(window.sessionStorage)")


def test_a_ballot_sent_offline_is_kept_then_counted_once(live_app, phone):
    context, page = phone
    store = live_app.config["STORE"]
    roster = [
        partners.add_partner(store, name, kind)
        for name, kind in [("Harbor Logistics", "business"), ("Carpenters Local 12", "labor")]
    ]
    meeting = meetings.create_meeting(
        store, {"en": "Spring meeting"}, datetime.date(2026, 6, 1), attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Pool the training budgets."})
    meetings.open_round(store, meeting["id"], proposal["id"])

    page.goto(f"/m/{meeting['share_token']}")
    page.get_by_label("Partner organization").select_option(label="Harbor Logistics")
    page.get_by_role("button", name="Take my seat").click()
    stance = page.get_by_role("radio", name=re.compile(r"^Agree(\s|$)"))
    expect(stance).to_be_visible()

    context.set_offline(True)
    stance.check()
    page.get_by_role("button", name="Send my vote").click()
    status = page.get_by_role("status").filter(has_text=WAITING_VOTE)
    expect(status).to_be_visible()
    assert [k for k in kept(page) if k.startswith("kept:")], "the vote is not kept on the phone"
    assert store.records(meetings.ballots_stream(meeting["id"])) == []

    context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text="Sent ✓")).to_be_visible(timeout=SETTLE)
    ballots = meetings.live_ballots(store, meeting["id"], proposal["id"], 1)
    assert [(b["partner"], b["option"]) for b in ballots] == [(roster[0].id, "agree")]
    assert len(store.records(meetings.ballots_stream(meeting["id"]))) == 1
    assert meetings.live_state(store, meeting["id"]).voted == 1
    assert kept(page) == [], "the kept copy outlived its delivery"


def test_a_survey_sent_offline_is_kept_then_stored_once_with_its_receipt(live_app, phone):
    context, page = phone
    store = live_app.config["STORE"]
    survey = surveys.create_survey(
        store,
        {"en": "Partnership check-in"},
        "en",
        "anonymous",
        None,
        questions=[{"kind": "short_text", "text": {"en": "One word for the partnership?"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")

    page.goto(f"/s/{survey.share_token}")
    page.get_by_label("One word for the partnership?").fill("trust")
    context.set_offline(True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("status").filter(has_text=WAITING_ANSWERS)).to_be_visible()
    assert [k for k in kept(page) if k.startswith("kept:")]
    assert store.records(surveys.stream(survey.id)) == []

    context.set_offline(False)
    expect(page.get_by_role("heading", name="Thank you: your answers were saved")).to_be_visible(timeout=SETTLE)
    expect(page.get_by_role("heading", name="Your receipt code")).to_be_visible()
    records = store.records(surveys.stream(survey.id))
    assert [r["answers"] for r in records] == [{survey.questions[0].id: "trust"}]
    assert kept(page) == []
