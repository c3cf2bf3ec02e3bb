"""An absent partner votes by proxy: the facilitator records it, the holder's phone casts two ballots.

The holder's phone is a small one (375×740). Everything is found by role and
label, as a person (or a screen reader) finds it.
"""

import re

from playwright.sync_api import expect

from .conftest import watch
from .test_live_vote import (
    LIVE,
    PROPOSAL,
    Participant,
    create_meeting_with_proposal,
    log_in_as_facilitator,
    make_roster,
    stance_name,
)

SMALL_PHONE = {
    "viewport": {"width": 375, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def test_the_holder_votes_for_itself_and_for_the_absent_partner_and_the_minutes_say_so(page, browser, live_app):
    """Proxy on the meeting page, two labelled ballots on the holder's phone, both counted, the minutes tell."""
    harbor, eastside, carpenters = make_roster(live_app)
    log_in_as_facilitator(page, live_app)
    code = create_meeting_with_proposal(page, [harbor, eastside, carpenters])

    proxies = page.get_by_role("region", name="Proxies")
    proxies.get_by_label("Absent partner").select_option(label=carpenters)
    proxies.get_by_label("Gives its proxy to (a partner in the room)").select_option(label=eastside)
    proxies.get_by_role("button", name="Record the proxy").click()
    expect(page.get_by_role("status")).to_contain_text("The proxy is recorded.")
    expect(page.get_by_role("region", name="Proxies")).to_contain_text(f"{carpenters} is represented by {eastside}")

    acme = Participant(browser, live_app, harbor)
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="en-US", **SMALL_PHONE)
    phone = context.new_page()
    problems = watch(phone)
    try:
        acme.take_seat(code)
        phone.goto("/join")
        phone.get_by_label("Code", exact=True).fill(code)
        phone.get_by_role("button", name="Join", exact=True).tap()
        phone.get_by_label("Partner organization").select_option(label=eastside)
        phone.get_by_role("button", name="Take my seat").tap()
        expect(phone.get_by_text(f"You also hold the proxy of {carpenters}")).to_be_visible()

        page.get_by_role("button", name="Open voting on proposal 1").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL)
        count = page.locator(".screen-count")
        expect(count).to_have_text("0 of 3 seats have voted")  # two seats, and the partner they represent

        own = phone.get_by_role("group", name=f"Your vote, for {eastside}")
        proxy = phone.get_by_role("group", name=f"Vote for {carpenters} (by proxy)")
        expect(own.get_by_role("radio")).to_have_count(4, timeout=LIVE)  # the phone follows by itself
        expect(proxy.get_by_role("radio")).to_have_count(4)

        own.get_by_role("radio", name=stance_name("Agree")).check()
        phone.get_by_role("button", name="Send my vote").tap()
        expect(
            phone.get_by_role("status").filter(
                has_text="Your vote is recorded. You can change it until the round closes."
            )
        ).to_have_count(1)
        expect(count).to_have_text("1 of 3 seats have voted", timeout=LIVE)  # one ballot: its own only
        expect(proxy.get_by_role("radio", name=stance_name("Abstain"))).not_to_be_checked()

        proxy.get_by_role("radio", name=stance_name("Abstain")).check()
        send = phone.get_by_role("button", name=f"Send the vote for {carpenters}")
        send.scroll_into_view_if_needed()
        send.tap()
        expect(phone.get_by_role("status").filter(has_text=f"The vote for {carpenters} is recorded.")).to_have_count(1)
        expect(own.get_by_role("radio", name=stance_name("Agree"))).to_be_checked()
        expect(proxy.get_by_role("radio", name=stance_name("Abstain"))).to_be_checked()
        assert phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["viewport"]["width"]
        expect(count).to_have_text("2 of 3 seats have voted", timeout=LIVE)

        acme.vote("Agree")
        expect(count).to_contain_text("3 of 3 seats have voted", timeout=LIVE)
        expect(page.get_by_text("Quorum met.", exact=True)).to_be_visible()  # every attending partner, one by proxy
        page.get_by_role("button", name="Close this round").click()
        page.get_by_role("dialog").get_by_role("button", name="Close the round and show the result").click()
        expect(page.get_by_role("status").filter(has_text="The round is closed.")).to_have_count(1)
        # Closed from the projector, the room sees the result there; the agenda lists it too.
        expect(page.get_by_role("heading", level=1)).to_have_text("Result of round 1")
        page.get_by_role("link", name="Back to the agenda").click()
        expect(page.get_by_role("region", name="Proposal 1").get_by_role("listitem")).to_have_text(
            re.compile(r"^Round 1: Adopted\s+\(3 ballots from 3 organizations;\s+Supportive:\s+100\s*%\)$")
        )

        page.get_by_role("link", name="Minutes", exact=True).click()
        expect(page.get_by_role("heading", name="Proxies")).to_be_visible()
        expect(
            page.get_by_role("listitem").filter(has_text=f"{carpenters} was represented by {eastside}.")
        ).to_have_count(1)
    finally:
        context.close()
        acme.leave()
    assert not problems, f"browser console errors on the holder's phone: {problems}"
