"""Phones join through the links and QR codes the facilitator shows, and those carry the public address.

The public address here is a name of its own (``vote.example.test``), which
the phones' Chromium resolves to 127.0.0.1 (``--host-resolver-rules``): a
link built from the facilitator's own address would not open on those phones,
and no traffic leaves this machine.
"""

import datetime
import io
import re

import pytest
import segno
from playwright.sync_api import expect

from roundtable import meetings, partners, surveys

from .conftest import CHROMIUM_ARGS, chromium_path, log_in_as

PUBLIC_NAME = "vote.example.test"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phones(browser):
    """A Chromium for the room's phones, where the public name leads to this server on 127.0.0.1."""
    phones = browser.browser_type.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS + [f"--host-resolver-rules=MAP {PUBLIC_NAME} 127.0.0.1"]
    )
    yield phones
    phones.close()


def qr_of(link, title):
    """The SVG the app draws for ``link``: the same code a phone's camera would read."""
    output = io.BytesIO()
    segno.make(link, error="m").save(output, kind="svg", scale=8, border=2, title=title)
    return output.getvalue()


def test_a_phone_joins_a_survey_and_a_meeting_through_the_public_address(page, live_app, phones):
    port = live_app.config["LIVE_URL"].rsplit(":", 1)[1]
    public = f"http://{PUBLIC_NAME}:{port}"
    live_app.config["PUBLIC_URL"] = public
    store = live_app.config["STORE"]
    harbor = partners.add_partner(store, "Harbor Logistics", "business")
    survey = surveys.create_survey(
        store,
        {"en": "After the retreat"},
        "en",
        "anonymous",
        questions=[{"kind": "yes_no", "text": {"en": "Was it useful?"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")
    meeting = meetings.create_meeting(
        store, {"en": "Budget meeting"}, datetime.date.today(), "en", attending=[harbor.id]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Pool the training budgets."})
    meetings.open_round(store, meeting["id"], proposal["id"])

    # The facilitator, on the laptop's own address, sees links and QR codes on the public one.
    log_in_as(page, live_app, "fatima", "facilitator")
    page.goto(f"/surveys/{survey.id}/share")
    link = f"{public}/s/{survey.share_token}"
    expect(page.get_by_text(link)).to_be_visible()
    expect(page.get_by_text(f"{public}/join", exact=False).first).to_be_visible()
    qr = page.get_by_role("img", name="QR code that opens the survey")
    assert page.request.get(qr.get_attribute("src")).body() == qr_of(link, "QR code of the survey link")

    page.goto(f"/meetings/{meeting['id']}/screen")
    expect(page.get_by_text(f"{public}/join")).to_be_visible()
    qr = page.get_by_role("img", name="QR code that opens the meeting")
    assert page.request.get(qr.get_attribute("src")).body() == qr_of(
        f"{public}/m/{meeting['share_token']}", "QR code that opens the meeting"
    )

    with phones.new_context(**PHONE) as phone:
        answering = phone.new_page()
        # The survey's link, as the QR code carries it.
        answering.goto(link)
        answering.get_by_role("group", name="Was it useful?").get_by_role("radio", name="Yes", exact=True).check()
        answering.get_by_role("button", name="Send my answers").click()
        expect(answering.get_by_role("heading", level=1)).to_have_text("Thank you: your answers were saved")
        expect(answering).to_have_url(re.compile(rf"^{re.escape(public)}/"))

        # The meeting: the address on the screen, then the code typed there.
        answering.goto(f"{public}/join")
        answering.get_by_label("Code", exact=True).fill(meeting["join_code"])
        answering.get_by_role("button", name="Join").click()
        answering.get_by_label("Partner organization").select_option(label=harbor.name)
        answering.get_by_role("button", name="Take my seat").click()
        expect(answering.get_by_text("Pool the training budgets.")).to_be_visible()
        expect(answering).to_have_url(re.compile(rf"^{re.escape(public)}/m/"))
    assert len(surveys.responses_for(store, survey.id)) == 1
    assert meetings.live_state(store, meeting["id"]).seats == 1
