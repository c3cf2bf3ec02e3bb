"""The language switcher on a 375-px phone.

One line in every language, usable by finger, keyboard, and without JavaScript.

It replaced a row of five buttons that took a quarter of a phone's screen.
Measured in Chromium by label and role; axe-core audits the header around it.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from roundtable.languages import LANGUAGES, html_lang

from .conftest import log_in_as, watch, words

PHONE = {"viewport": {"width": 375, "height": 740}, "has_touch": True}
ONE_LINE = 48  # px: one line of controls, each at least 44 px high to be touched
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def switcher(page, language):
    """The language list in the page's header, found by its label in ``language``."""
    return page.get_by_role("banner").get_by_label(words_for(page, language)("Language"), exact=True)


def words_for(page, language):
    """``gettext`` for ``language``, from the app the page is served by."""
    return page.context.t[language]


@pytest.fixture
def phone(browser, live_app):
    """A 375×740 touch screen; fails the test on script errors or CSP violations."""
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], **PHONE)
    context.t = {code: words(live_app, code) for code in LANGUAGES}
    page = context.new_page()
    problems = watch(page)
    yield page
    context.close()
    assert not problems, problems


def measure(page):
    """The language form's box, the page's width, and whether the page scrolls sideways."""
    form = page.locator("form.language-picker")
    found = form.bounding_box()
    assert found, "the language switcher is not displayed"
    return found, page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_on_a_phone_the_switcher_is_one_line_in_every_language(phone, live_app, language):
    phone.context.add_cookies([{"name": "lang", "value": language, "url": live_app.config["LIVE_URL"]}])
    for path in ("/setup", "/join"):
        phone.goto(path)
        expect(phone.locator("html")).to_have_attribute("lang", html_lang(language))
        select = switcher(phone, language)
        expect(select).to_be_visible()
        expect(select).to_have_value(language)
        # The button is there for keyboards, hidden until it has the focus.
        expect(
            phone.get_by_role("banner").get_by_role("button", name=words_for(phone, language)("Change language"))
        ).to_have_count(1)
        found, sideways = measure(phone)
        assert found["height"] <= ONE_LINE, (language, path, found)
        assert found["x"] >= 0 and found["x"] + found["width"] <= 375, (language, path, found)
        assert not sideways, (language, path)
        for code, name in LANGUAGES.items():
            expect(select.locator(f'option[value="{code}"]')).to_have_attribute("lang", html_lang(code))
            expect(select.locator(f'option[value="{code}"]')).to_have_text(name)


def test_choosing_a_language_by_touch_applies_it_and_stays_on_the_page(phone):
    phone.goto("/join")
    switcher(phone, "en").select_option(label="Tiếng Việt")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(phone).to_have_url(re.compile(r"/join$"))
    phone.wait_for_load_state()  # (a person cannot choose before the page's script has run; Playwright can)
    switcher(phone, "vi").select_option(label="العربية")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    found, sideways = measure(phone)
    assert found["height"] <= ONE_LINE and not sideways, found
    # Remembered on the next visit.
    phone.goto("/setup")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")


def test_switching_language_with_the_keyboard(phone):
    phone.goto("/join")
    select = switcher(phone, "en")
    # Tab from the top of the page reaches the list (after the skip link and the brand).
    for _ in range(4):
        phone.keyboard.press("Tab")
        if select.evaluate("element => element === document.activeElement"):
            break
    expect(select).to_be_focused()
    # Arrow keys move through the list without leaving the page; Enter applies the choice.
    phone.keyboard.press("ArrowDown")
    expect(select).to_have_value("es")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    phone.keyboard.press("Enter")
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    phone.wait_for_load_state()
    # Or Tab on to the button, which shows itself when focused, and press it.
    select = switcher(phone, "es")
    select.focus()
    phone.keyboard.press("End")
    expect(select).to_have_value("ar")
    phone.keyboard.press("Tab")
    button = phone.get_by_role("button", name=words_for(phone, "es")("Change language"))
    expect(button).to_be_focused()
    expect(button).to_be_visible()
    assert button.bounding_box()["width"] > 20
    phone.keyboard.press("Enter")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone).to_have_url(re.compile(r"/join$"))


def test_without_javascript_the_list_and_its_button_still_switch(browser, live_app):
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], java_script_enabled=False, **PHONE)
    try:
        page = context.new_page()
        page.goto("/join?code=ABC123")
        page.get_by_role("banner").get_by_label("Language", exact=True).select_option("zh_Hans")
        expect(page.locator("html")).to_have_attribute("lang", "en")  # nothing happens until the button
        button = page.get_by_role("banner").get_by_role("button", name="Change language")
        expect(button).to_be_visible()
        found, sideways = measure(page)
        # (The button may take a second line in a long language: the measure of one line is with JavaScript.)
        assert found["x"] >= 0 and found["x"] + found["width"] <= 375 and not sideways, found
        button.click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        expect(page).to_have_url(re.compile(r"/join$"))  # the code in the old address is not carried on
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_header_passes_axe(phone, live_app, language):
    phone.context.add_cookies([{"name": "lang", "value": language, "url": live_app.config["LIVE_URL"]}])
    log_in_as(phone, live_app, "fran", "facilitator") if language == "en" else phone.goto("/join")
    for focused in (False, True):
        if focused:
            switcher(phone, language).focus()
            phone.keyboard.press("Tab")  # the button, shown
        results = Axe().run(
            phone,
            context="header.site-header",
            options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
        )
        assert results.response["violations"] == [], results.generate_report()
