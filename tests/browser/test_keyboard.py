"""Keyboard only: a participant answers a survey and votes without a mouse, and always sees where the focus is.

The facilitator's projector screen tells screen readers about new votes
politely, once per new count, and says nothing while nothing changes.
"""

import datetime
import re
import time

from playwright.sync_api import expect

from roundtable import meetings, partners, screen, surveys
from roundtable.survey_templates import TEMPLATES

from .conftest import log_in_as

# Where the keyboard focus is and whether a person can see it: a ring drawn by an outline or a
# box shadow, on the element itself (or, for a radio button, on its label), not hidden from view.
FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) { return null; }
    const ring = node => {
        const style = getComputedStyle(node);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
            || (style.boxShadow !== '' && style.boxShadow !== 'none');
    };
    // Not obscured: part of it is inside the window, and nothing else is drawn over that part's middle.
    const box = element.getBoundingClientRect();
    const left = Math.max(box.left, 0), right = Math.min(box.right, window.innerWidth);
    const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, window.innerHeight);
    const hit = right > left && bottom > top ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
    return {
        tag: element.tagName.toLowerCase(), type: element.type || '', name: element.name || '',
        value: element.value || '', checked: !!element.checked, text: element.innerText || '',
        ring: ring(element) || Array.from(element.labels || []).some(ring),
        in_view: !!hit && (element.contains(hit) || Array.from(element.labels || []).some(l => l.contains(hit))),
    };
}"""
# Seconds: how long the projector screen's request waits for a change here (roundtable/screen.py),
# and live.js's pause.
POLL = 0.5


class Keyboard:
    """Presses keys and, after each, checks that the focused element shows a visible focus ring."""

    def __init__(self, page):
        self.page = page
        self.stops = 0

    def press(self, key):
        """Press ``key``; return what has the focus, after checking a person can see it."""
        self.page.keyboard.press(key)
        focused = self.page.evaluate(FOCUS)
        assert focused is not None, f"the focus was lost after {key}"
        assert focused["ring"], f"no visible focus indicator on {focused} after {key}"
        assert focused["in_view"], f"the focused element is outside the window after {key}: {focused}"
        self.stops += 1
        return focused

    def type(self, text):
        """Type ``text`` into the focused field."""
        self.page.keyboard.type(text)

    def into_main(self):
        """Tab from the top of a fresh page: through the skip link when it comes first; return the first stop in main.

        A page reached through a form sent after skipping keeps ``#main`` in its address, and starts there.
        """
        focused = self.press("Tab")
        if (focused["tag"], focused["text"]) == ("a", "Skip to main content"):
            self.page.keyboard.press("Enter")
            focused = self.press("Tab")
        assert self.page.evaluate("document.activeElement.closest('main') !== null"), focused
        return focused


def test_a_participant_answers_the_health_check_with_the_keyboard_only(page, live_app):
    """From page load to the thank-you page: Tab and Shift+Tab, Space and arrow keys, Enter; never the mouse."""
    store = live_app.config["STORE"]
    survey = surveys.set_status(store, surveys.create_from_template(store, TEMPLATES["health_check"]).id, "open")
    scales = [q for q in survey.questions if q.kind == "agreement"]
    comment = next(q for q in survey.questions if q.kind == "long_text")
    page.goto(f"/s/{survey.share_token}")
    keys = Keyboard(page)

    skip = keys.press("Tab")
    assert (skip["tag"], skip["text"]) == ("a", "Skip to main content")
    page.keyboard.press("Enter")  # the focus moves to the main content, so the next Tab is inside it
    chosen = {}
    for number, question in enumerate(scales):
        focused = keys.press("Tab")
        # Entering a radio group without an answer focuses its first option, unchecked.
        assert (focused["type"], focused["name"], focused["value"], focused["checked"]) == (
            "radio",
            f"q-{question.id}",
            "1",
            False,
        ), focused
        focused = keys.press("Space")
        assert focused["checked"]
        # Arrow keys move through the options and choose as they go: one step per point on the scale.
        for _step in range(number % 5):
            focused = keys.press("ArrowDown" if number % 2 else "ArrowRight")
        assert focused["checked"] and focused["value"] == str(number % 5 + 1), focused
        chosen[question.id] = number % 5 + 1
        if number == 1:
            # Back to the first question: its chosen answer has the focus; then on again.
            back = keys.press("Shift+Tab")
            assert (back["name"], back["value"], back["checked"]) == (f"q-{scales[0].id}", "1", True), back
            again = keys.press("Tab")
            assert (again["name"], again["value"]) == (f"q-{question.id}", "2"), again

    focused = keys.press("Tab")
    assert (focused["tag"], focused["name"]) == ("textarea", f"q-{comment.id}"), focused
    keys.type("Shorter meetings, please.")
    send = keys.press("Tab")
    assert (send["tag"], send["text"]) == ("button", "Send my answers"), send
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answers were saved")
    keys.press("Tab")
    page.keyboard.press("Enter")
    link = keys.press("Tab")
    assert (link["tag"], link["text"]) == ("a", "Check a receipt code"), link
    assert keys.stops >= 2 * len(scales) + 5

    [response] = surveys.responses_for(store, survey.id)
    assert response.answers == {**chosen, comment.id: "Shorter meetings, please."}


def test_a_participant_votes_with_the_keyboard_only(page, live_app):
    """Take a seat and vote on a phone-sized page with Tab, arrow keys, Space and Enter; the vote is confirmed."""
    store = live_app.config["STORE"]
    harbor = partners.add_partner(store, "Harbor Logistics", "business")
    partners.add_partner(store, "Carpenters Local 12", "labor")
    meeting = meetings.create_meeting(
        store, {"en": "Budget meeting"}, datetime.date.today(), "en", attending=[harbor.id]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Pool the training budgets."})
    meetings.open_round(store, meeting["id"], proposal["id"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/m/{meeting['share_token']}")
    keys = Keyboard(page)

    partner = keys.into_main()
    assert (partner["tag"], partner["name"], partner["value"]) == ("select", "partner", ""), partner
    keys.press("ArrowDown")  # Carpenters Local 12: the roster is in alphabetical order
    partner = keys.press("ArrowDown")
    assert partner["value"] == harbor.id, partner
    unlisted = keys.press("Tab")
    assert unlisted["tag"] == "summary", unlisted
    seat = keys.press("Tab")
    assert (seat["tag"], seat["text"]) == ("button", "Take my seat"), seat
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("group", name="Your stance")).to_be_visible()
    stance = keys.into_main()
    assert (stance["type"], stance["value"], stance["checked"]) == ("radio", "agree", False), stance
    keys.press("ArrowDown")
    stance = keys.press("ArrowUp")
    assert (stance["value"], stance["checked"]) == ("agree", True), stance
    concern = keys.press("Tab")
    assert concern["tag"] == "textarea", concern
    keys.type("Phase it in for small partners.")
    send = keys.press("Tab")
    assert (send["tag"], send["text"]) == ("button", "Send my vote"), send
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Your vote is recorded. You can change it until the round closes.")
    expect(page.get_by_role("radio", name=re.compile("^Agree"))).to_be_checked()
    [ballot] = meetings.live_ballots(store, meeting["id"], proposal["id"], 1)
    assert (ballot["option"], ballot["partner"], ballot["comment"]) == (
        "agree",
        harbor.id,
        "Phase it in for small partners.",
    )


# Records, from inside the page, every change to a live region's content, and any live region
# added or removed; live.js updates the screen in place, so this sees what a screen reader would.
RECORD_LIVE_REGIONS = """() => {
    const LIVE = '[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]';
    const holds = node => node.nodeType === 1 && (node.matches(LIVE) || node.querySelector(LIVE));
    window.announcements = [];
    new MutationObserver(mutations => {
        const changed = new Set();
        for (const mutation of mutations) {
            const target = mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
            const region = target && target.closest(LIVE);
            if (region) { changed.add(region); }
            for (const node of [...mutation.addedNodes, ...mutation.removedNodes]) {
                if (holds(node)) { window.announcements.push('a live region was added or removed'); }
            }
        }
        for (const region of changed) { window.announcements.push(region.textContent.trim()); }
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def test_the_projector_screen_announces_each_new_count_politely_and_nothing_else(page, live_app, monkeypatch):
    """One polite live region holding only the count; it changes when the count does, and at no other time."""
    # The screen's requests wait for a change (a long poll): answered when nothing changes every POLL seconds
    # here, so that the quiet stretches below see several answers go by.
    monkeypatch.setattr(screen, "LONG_POLL_SECONDS", POLL)
    store = live_app.config["STORE"]
    roster = [
        partners.add_partner(store, name, kind)
        for name, kind in (
            ("Harbor Logistics", "business"),
            ("Eastside Tenants Union", "cbo"),
            ("Carpenters Local 12", "labor"),
        )
    ]
    meeting = meetings.create_meeting(
        store, {"en": "Budget meeting"}, datetime.date.today(), "en", attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Pool the training budgets."}, live_results=True)
    meetings.open_round(store, meeting["id"], proposal["id"])
    secret = live_app.config["SECRET_KEY"]
    seats = [
        meetings.seat_for(
            store, meeting["id"], secret, meetings.take_seat(store, meeting["id"], secret, partner_id=p.id)
        )
        for p in roster
    ]
    log_in_as(page, live_app, "fatima", "facilitator")
    polls = []
    page.on(
        "response",
        lambda response: (
            polls.append(response.url) if "/live.json?" in response.url or response.url.endswith("/live.json") else None
        ),
    )
    page.goto(f"/meetings/{meeting['id']}/screen")

    regions = page.locator('[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]')
    expect(regions).to_have_count(1)
    count = regions.first
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_attribute("role", "status")
    expect(count).to_have_text("0 of 3 seats have voted")
    assert count.evaluate("region => region.children.length") == 0, "the live region holds more than the count"
    page.evaluate(RECORD_LIVE_REGIONS)

    def quiet_for(cycles):
        """Several polls go by (counted as they are answered, however slow the machine); the region says nothing."""
        before = len(polls)
        deadline = time.monotonic() + cycles * POLL * 20
        while len(polls) - before < cycles:
            assert time.monotonic() < deadline, "the screen stopped polling"
            page.wait_for_timeout(POLL * 1000 / 5)
        return page.evaluate("window.announcements")

    spread = page.get_by_role("table", name="How votes are spread")
    assert quiet_for(6) == []

    meetings.cast_ballot(store, meeting["id"], seats[0], "agree")
    expect(count).to_have_text("1 of 3 seats have voted")
    assert quiet_for(6) == ["1 of 3 seats have voted"]
    expect(spread).to_have_count(0)  # live results were chosen, but fewer than k partners have voted

    # A changed stance below k changes nothing on the screen: nothing is announced.
    meetings.cast_ballot(store, meeting["id"], seats[0], "disagree")
    assert quiet_for(4) == ["1 of 3 seats have voted"]

    # From k voices the spread appears in its part of the screen; the live region announces the count only.
    meetings.cast_ballot(store, meeting["id"], seats[1], "block", "We need more time.")
    meetings.cast_ballot(store, meeting["id"], seats[2], "agree")
    expect(spread.get_by_role("row", name=re.compile("^Disagree ")).get_by_role("cell")).to_have_text("1")
    expect(count).to_have_text("3 of 3 seats have voted")
    expect(page.get_by_text("We need more time.")).to_have_count(0)  # concerns wait for the close
    announced = quiet_for(4)
    assert announced[0] == "1 of 3 seats have voted" and announced[-1] == "3 of 3 seats have voted"
    assert set(announced) <= {"1 of 3 seats have voted", "2 of 3 seats have voted", "3 of 3 seats have voted"}

    # A changed stance now moves the spread (the facilitator's choice), not the count: nothing is announced.
    meetings.cast_ballot(store, meeting["id"], seats[0], "agree")
    expect(spread.get_by_role("row", name=re.compile("^Disagree ")).get_by_role("cell")).to_have_text("0")
    assert quiet_for(4) == announced
    expect(regions).to_have_count(1)
