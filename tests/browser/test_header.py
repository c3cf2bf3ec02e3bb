"""The staff header fits one line on a 1280 px screen in every language, for the account with the most menu items.

The administrator logs in, then switches language with the header's own picker,
as a person would; in each language every link, button and list in the banner
is measured: all on one line, and the header no taller than one.
"""

import pytest
from playwright.sync_api import expect

from roundtable.languages import LANGUAGES, html_lang

from .conftest import log_in_as, words

DESKTOP = {"width": 1280, "height": 800}
SLACK = 2  # px: rounding between edges that line up


def banner_items(page):
    """List (role, name, box) of every visible link, button and list in the banner, in page order."""
    banner = page.get_by_role("banner")
    found = []
    for role in ("link", "button", "combobox"):
        for item in banner.get_by_role(role).all():
            box = item.bounding_box()
            # A visually hidden control (the picker's button, with JavaScript) is 1 px: it takes no room.
            if item.is_visible() and box and box["width"] > 1 and box["height"] > 1:
                found.append((role, item.inner_text() if role != "combobox" else "(languages)", box))
    return found


def choose_language(page, t, code):
    """Pick ``code`` in the header's language list and wait for the page in it."""
    page.get_by_role("banner").get_by_label(t("Language"), exact=True).select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", html_lang(code))


@pytest.mark.browser
def test_the_admins_header_is_one_line_at_1280_px_in_every_language(page, live_app):
    page.set_viewport_size(DESKTOP)
    log_in_as(page, live_app, "m.fernandez-okafor", "admin")  # a long username: it is cut short
    current = "en"
    for code in LANGUAGES:
        if code != current:
            choose_language(page, words(live_app, current), code)
            current = code
        t = words(live_app, code)
        menu = page.get_by_role("navigation", name=t("Main menu")).get_by_role("link")
        expect(menu).to_have_count(6)  # Home, Dashboard, Surveys, Meetings, Partners, Accounts
        items = banner_items(page)
        assert len(items) >= 6 + 4, items  # the menu, the brand, the language list, the account and log out
        links = [box for role, _name, box in items if role == "link"]
        menu_tops = [menu.nth(i).bounding_box()["y"] for i in range(6)]
        assert max(menu_tops) - min(menu_tops) <= SLACK, (code, menu_tops)
        # One line: every item's middle at the same height (a list is taller than a link, centred on the line).
        middles = {name: round(box["y"] + box["height"] / 2) for _role, name, box in items}
        assert max(middles.values()) - min(middles.values()) <= SLACK, (code, middles)
        header = page.get_by_role("banner").bounding_box()
        tallest = max(box["height"] for _role, _name, box in items)
        assert header["height"] < 2 * tallest, (code, header, tallest)
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"] for box in links), (code, links)
