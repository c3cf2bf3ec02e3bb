"""A new administrator sets Roundtable up, logs in and adds a partner, as a person would."""

import re

from playwright.sync_api import expect

PASSWORD = "a long and memorable sentence"


def test_setup_login_and_add_partner(page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    expect(page.get_by_role("heading", name="Set up Roundtable")).to_be_visible()

    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create administrator").click()
    expect(page.get_by_role("status")).to_contain_text("administrator account is ready")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Staff login").click()
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, ana")).to_be_visible()

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label("Organization name").fill("Valley Community College")
    page.get_by_label("Short name (optional)").fill("Valley College")
    page.get_by_label("Partner type").select_option(
        label="Semi-public organization (universities, colleges, health authorities, transportation)"
    )
    page.get_by_role("button", name="Save partner").click()

    expect(page.get_by_role("status")).to_contain_text("Valley Community College")
    row = page.get_by_role("row", name=re.compile("Valley Community College"))
    expect(row.get_by_role("cell", name="Active", exact=True)).to_be_visible()


def test_empty_partner_form_shows_the_error_next_to_the_field(page, live_app):
    from roundtable import accounts

    accounts.create_account(live_app.config["STORE"], "ana", PASSWORD, "admin")
    page.goto("/login")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/partners/new")
    page.get_by_role("button", name="Save partner").click()
    expect(page.get_by_role("alert")).to_be_visible()
    name = page.get_by_label("Organization name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("This field is required.").first).to_be_visible()


def test_arabic_is_right_to_left(page):
    page.goto("/setup")
    page.get_by_role("banner").get_by_label("Language", exact=True).select_option(label="العربية")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
