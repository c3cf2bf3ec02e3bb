"""Confirm before ending a meeting: a <dialog> with JavaScript, a confirm page without; nothing ends until confirmed."""

import datetime

import pytest
from playwright.sync_api import expect

from roundtable import meetings, partners

from .conftest import log_in_as, watch


def meeting_with_a_seat(app):
    """A meeting with Harbor Logistics seated; its id."""
    store = app.config["STORE"]
    harbor = partners.add_partner(store, "Harbor Logistics", "business")
    meeting = meetings.create_meeting(
        store, {"en": "Budget meeting"}, datetime.date.today(), "en", attending=[harbor.id]
    )
    meetings.take_seat(store, meeting["id"], app.config["SECRET_KEY"], harbor.id)
    return meeting["id"]


def seats(app, meeting_id):
    """How many seats the meeting still holds."""
    return len(app.config["STORE"].find(meetings.SEATS, meeting_id=meeting_id))


def test_with_javascript_a_dialog_asks_before_the_meeting_ends(page, live_app):
    meeting_id = meeting_with_a_seat(live_app)
    log_in_as(page, live_app, "fatima", "facilitator")
    page.goto(f"/meetings/{meeting_id}")
    end = page.get_by_role("button", name="End the meeting (forget every seat)")

    # Cancel: the dialog closes, focus returns to the button, nothing was sent.
    end.click()
    dialog = page.get_by_role("dialog", name="End the meeting?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="End the meeting?")).to_be_visible()
    expect(dialog).to_contain_text("Every seat is forgotten")
    cancel = dialog.get_by_role("button", name="Cancel")
    expect(cancel).to_be_focused()
    cancel.click()
    expect(dialog).to_be_hidden()
    expect(end).to_be_focused()
    assert seats(live_app, meeting_id) == 1

    # Escape cancels too.
    end.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(end).to_be_focused()
    assert seats(live_app, meeting_id) == 1
    assert "/meetings/" in page.url and page.url.endswith(meeting_id)

    # Confirm: the meeting ends.
    end.click()
    dialog.get_by_role("button", name="End the meeting for everyone").click()
    expect(page.get_by_role("status")).to_contain_text("The meeting has ended; participants' seats are forgotten.")
    assert seats(live_app, meeting_id) == 0


@pytest.fixture
def no_script(browser, live_app):
    """A page with JavaScript off; fails the test on broken resources."""
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], java_script_enabled=False)
    page = context.new_page()
    problems = watch(page)
    yield page
    context.close()
    assert not problems, f"browser console errors: {problems}"


def test_without_javascript_a_confirm_page_asks_before_the_meeting_ends(no_script, live_app):
    page = no_script
    meeting_id = meeting_with_a_seat(live_app)
    log_in_as(page, live_app, "fatima", "facilitator")
    page.goto(f"/meetings/{meeting_id}")

    page.get_by_role("button", name="End the meeting (forget every seat)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End the meeting?")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert seats(live_app, meeting_id) == 1
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget meeting")
    assert seats(live_app, meeting_id) == 1

    page.get_by_role("button", name="End the meeting (forget every seat)").click()
    page.get_by_role("button", name="End the meeting for everyone").click()
    expect(page.get_by_role("status")).to_contain_text("The meeting has ended; participants' seats are forgotten.")
    assert seats(live_app, meeting_id) == 0


def test_an_edit_form_asks_only_when_it_would_disable_the_account(page, live_app):
    from roundtable import accounts

    maria = accounts.create_account(live_app.config["STORE"], "maria", "a fine long password", "facilitator")
    log_in_as(page, live_app, "ada", "admin")
    page.goto(f"/admin/accounts/{maria.id}")
    page.get_by_role("button", name="Save changes").click()  # still active: nothing to confirm
    expect(page.get_by_role("status")).to_contain_text("Account “maria” updated.")

    page.goto(f"/admin/accounts/{maria.id}")
    page.get_by_label("Account is active").uncheck()
    page.get_by_role("button", name="Save changes").click()
    dialog = page.get_by_role("dialog", name="Disable the account of maria?")
    expect(dialog).to_be_visible()
    assert accounts.get_account(live_app.config["STORE"], maria.id).active is True
    dialog.get_by_role("button", name="Disable the account of maria").click()
    expect(page.get_by_role("status")).to_contain_text("Account “maria” updated.")
    assert accounts.get_account(live_app.config["STORE"], maria.id).active is False
