"""Projector mode: the meeting screen on a wall at 1920×1080, full screen, following the room without reloading.

The room reads the join code from the back (at least 8 % of the screen's
height), the proposal in its languages, the turnout as phones vote, and the
result once the round closes; the page never reloads, which would drop full
screen.
"""

import datetime
import re

from playwright.sync_api import expect

from roundtable import meetings, partners

from .conftest import log_in_as
from .test_live_vote import LIVE, PROPOSAL, ROSTER, Participant

WALL = {"width": 1920, "height": 1080}
ARABIC = "تجميع ميزانيات التدريب لدى الشركاء للعام المقبل."


def a_meeting(live_app):
    """Three partners attending; one proposal written in English and Arabic, its round not open yet."""
    store = live_app.config["STORE"]
    roster = [partners.add_partner(store, name, kind) for name, kind in ROSTER]
    meeting = meetings.create_meeting(
        store, {"en": "Spring partners' meeting"}, datetime.date.today(), "en", attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": PROPOSAL, "ar": ARABIC})
    return meeting, proposal, roster


def test_the_projector_fills_the_wall_and_follows_votes_and_the_close_without_reloading(page, browser, live_app):
    """No site menus; a large join code, QR and address; full screen; a phone's vote and the close, in place."""
    store = live_app.config["STORE"]
    meeting, proposal, roster = a_meeting(live_app)
    phone = Participant(browser, live_app, roster[0].name)
    try:
        phone.take_seat(meeting["join_code"])
        meetings.open_round(store, meeting["id"], proposal["id"])
        on_the_wall(page, live_app, meeting, proposal, roster, phone)
    finally:
        phone.leave()


def on_the_wall(page, live_app, meeting, proposal, roster, phone):
    """Watch the projector at 1920×1080 while the phone and two more seats vote and the round closes."""
    store = live_app.config["STORE"]
    log_in_as(page, live_app, "fatima", "facilitator")
    page.set_viewport_size(WALL)
    page.goto(f"/meetings/{meeting['id']}/screen")

    # A page of its own: no site header, menu or footer; one main landmark.
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.get_by_role("banner")).to_have_count(0)
    expect(page.get_by_role("contentinfo")).to_have_count(0)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("link", name="Back to the agenda")).to_be_visible()

    # Legible from the back of the room: the join code at least 8 % of the screen's height.
    code = page.get_by_text(meeting["join_code"], exact=True)
    expect(code).to_be_visible()
    box = code.bounding_box()
    assert box["height"] >= 0.08 * WALL["height"], box
    assert box["y"] + box["height"] <= WALL["height"] and box["x"] + box["width"] <= WALL["width"], box
    qr = page.get_by_role("img", name="QR code that opens the meeting")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    expect(page.locator(".join-address")).to_have_text(re.compile(r"^https?://[^/\s]+/join$"))

    # The proposal in the room's languages, each named and read in its own direction.
    expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL)
    arabic = page.get_by_text(ARABIC, exact=True)
    expect(arabic).to_be_visible()
    expect(arabic.locator("xpath=..")).to_have_attribute("dir", "rtl")
    expect(arabic.locator("xpath=..")).to_have_attribute("lang", "ar")
    expect(page.get_by_text("العربية", exact=True)).to_be_visible()

    # Full screen, through the Fullscreen API.
    full = page.get_by_role("button", name="Full screen")
    expect(full).to_have_attribute("aria-pressed", "false")
    full.click()
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    expect(full).to_have_attribute("aria-pressed", "true")
    page.evaluate("window.__marker = 1")

    # A phone votes: the count follows, and nothing else about the vote shows.
    count = page.get_by_role("status")
    phone.sees_the_proposal()
    secret = live_app.config["SECRET_KEY"]
    seats = [
        meetings.seat_for(
            store, meeting["id"], secret, meetings.take_seat(store, meeting["id"], secret, partner_id=partner.id)
        )
        for partner in roster[1:]
    ]
    expect(count).to_have_text("0 of 3 seats have voted", timeout=LIVE)
    for seat in seats:
        meetings.cast_ballot(store, meeting["id"], seat, "agree", "Start with the smaller partners.")
    expect(count).to_have_text("2 of 3 seats have voted", timeout=LIVE)
    phone.vote("Block")
    expect(count).to_have_text("3 of 3 seats have voted", timeout=LIVE)
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_text("Start with the smaller partners.")).to_have_count(0)

    # The facilitator closes the round from another window: the wall shows the result by itself.
    laptop = page.context.new_page()
    laptop.goto(f"/meetings/{meeting['id']}/screen")
    laptop.get_by_role("button", name="Close this round").click()
    laptop.get_by_role("dialog").get_by_role("button", name="Close the round and show the result").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Result of round 1")

    expect(page.get_by_role("heading", level=1)).to_have_text("Result of round 1", timeout=LIVE)
    expect(page.get_by_text("Not adopted", exact=True)).to_be_visible()
    expect(count).to_have_text("3 ballots from 3 organizations")
    spread = page.get_by_role("table", name="How votes are spread")
    for option, ballots in (("Agree", "2"), ("Block", "1")):
        expect(spread.get_by_role("row", name=re.compile(rf"^{option} ")).get_by_role("cell")).to_have_text(ballots)
    by_type = page.get_by_role("table", name="Round 1 by partner type")
    expect(by_type.get_by_role("cell", name=re.compile("^Withheld"))).to_have_count(3)
    concerns = page.get_by_role("region", name="Concerns raised").get_by_role("listitem")
    expect(concerns).to_have_count(2)
    expect(concerns.first).to_have_text("Start with the smaller partners.")
    for partner in roster:
        expect(page.get_by_text(partner.name)).to_have_count(0)
    expect(page.get_by_role("button", name="Close this round")).to_be_hidden()
    expect(page.get_by_role("status")).to_have_count(1)

    # The next round brings the proposal back, and the close button with it.
    meetings.open_round(store, meeting["id"], proposal["id"])
    expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL, timeout=LIVE)
    expect(count).to_have_text("0 of 3 seats have voted")
    expect(page.get_by_role("button", name="Close this round")).to_be_visible()
    assert page.evaluate("window.__marker") == 1, "the projector screen reloaded"
    assert page.evaluate("document.fullscreenElement !== null"), "the projector left full screen"


def test_without_javascript_the_projector_reloads_itself_and_offers_no_full_screen(browser, live_app):
    """No script: a meta refresh keeps the screen current, and no button promises what cannot happen."""
    meeting, proposal, _roster = a_meeting(live_app)
    meetings.open_round(live_app.config["STORE"], meeting["id"], proposal["id"])
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], viewport=WALL, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in_as(page, live_app, "fatima", "facilitator")
        page.goto(f"/meetings/{meeting['id']}/screen")
        expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL)
        expect(page.get_by_role("navigation")).to_have_count(0)
        expect(page.get_by_role("button", name="Full screen")).to_have_count(0)
        expect(page.locator('noscript meta[http-equiv="refresh"]')).to_have_count(1)
        assert page.get_by_text(meeting["join_code"], exact=True).bounding_box()["height"] >= 0.08 * WALL["height"]
    finally:
        context.close()
