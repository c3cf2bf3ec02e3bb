"""An amendment in Spanish leaves the Arabic for later; the Arabic phone says so, then gets the translation.

The Arabic phone never shows round 1's Arabic wording once round 2 is open:
it shows the Spanish with "Not yet translated" until the facilitator adds the
Arabic translation from the agenda, and then the Arabic, without the test
reloading it (the phone follows the meeting by itself).
"""

import datetime

from playwright.sync_api import expect

from roundtable import meetings, partners

from .conftest import log_in_as
from .test_live_vote import LIVE, Participant

OLD_ES = "Compartir los presupuestos de formación."
OLD_AR = "تقاسم ميزانيات التدريب."
NEW_ES = "Compartir los presupuestos de formación a partir de enero."
NEW_AR = "تقاسم ميزانيات التدريب اعتبارا من يناير."


def spanish_meeting(store):
    """A Spanish meeting with a proposal in Spanish and Arabic whose round 1 is closed; (meeting, partner name)."""
    partner = partners.add_partner(store, "Harbor Logistics", "business")
    meeting = meetings.create_meeting(
        store,
        {"es": "Junta de primavera", "ar": "اجتماع الربيع"},
        datetime.date(2026, 6, 1),
        "es",
        attending=[partner.id],
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"es": OLD_ES, "ar": OLD_AR})
    meetings.open_round(store, meeting["id"], proposal["id"])
    meetings.close_round(store, meeting["id"])
    return meeting, partner.name


def test_arabic_left_for_later_then_translated(page, browser, live_app):
    meeting, partner = spanish_meeting(live_app.config["STORE"])
    arabic = Participant(browser, live_app, partner, "ar")
    arabic.take_seat(meeting["join_code"])
    expect(arabic.page.get_by_role("heading", level=1)).to_have_text("اجتماع الربيع")

    log_in_as(page, live_app, "fatima", "facilitator")
    page.goto(f"/meetings/{meeting['id']}")
    proposal = page.get_by_role("region", name="Proposal 1")
    expect(proposal.get_by_label("Proposal 1 in العربية")).to_have_value(OLD_AR)
    proposal.get_by_label("Proposal 1 in Español").fill(NEW_ES)
    proposal.get_by_role("checkbox", name="Leave العربية for later").check()
    proposal.get_by_role("button", name="Open round 2 of proposal 1").click()
    page.get_by_role("dialog", name="Open round 2 of proposal 1?").get_by_role(
        "button", name="Open round 2 of proposal 1"
    ).click()
    expect(page.get_by_role("status").first).to_contain_text("Voting is open.")

    # The Arabic phone follows by itself: the Spanish, marked, and never round 1's Arabic.
    note = arabic.t("Not yet translated")
    expect(arabic.page.get_by_text(NEW_ES)).to_be_visible(timeout=LIVE)
    expect(arabic.page.get_by_text(note, exact=True)).to_be_visible()
    expect(arabic.page.get_by_text(NEW_ES)).to_have_attribute("lang", "es")
    expect(arabic.page.get_by_text(OLD_AR)).to_have_count(0)

    page.goto(f"/meetings/{meeting['id']}")
    proposal = page.get_by_role("region", name="Proposal 1")
    expect(proposal.get_by_role("listitem").filter(has_text="العربية: not yet translated")).to_have_count(1)
    proposal.get_by_label("Proposal 1 in العربية").fill(NEW_AR)
    proposal.get_by_role("button", name="Add the العربية translation of proposal 1").click()
    expect(page.get_by_role("status").first).to_contain_text("The translation is added.")
    expect(page.get_by_text("العربية: not yet translated")).to_have_count(0)

    expect(arabic.page.get_by_text(NEW_AR)).to_be_visible(timeout=LIVE)
    expect(arabic.page.get_by_text(note, exact=True)).to_have_count(0)
    expect(arabic.page.get_by_text(NEW_ES)).to_have_count(0)
    arabic.context.close()
    assert not arabic.problems, arabic.problems
