"""Date fields read right in the browser: in Spanish a day is typed day first, as the hint beside it shows.

The hint's example is checked against Babel's own Spanish short date, not
against our helper: the page must agree with the language, not with itself.
"""

import datetime
import re

import pytest
from babel.dates import format_date, get_date_format
from playwright.sync_api import expect

from roundtable import meetings, partners

from .conftest import log_in_as, words

EXAMPLE = datetime.date(2026, 11, 23)


def spanish_short(day):
    """``day`` in Babel's Spanish short date, with the year in full (23/11/2026)."""
    return format_date(day, format=re.sub("y+", "y", get_date_format("short", locale="es").pattern), locale="es")


def in_spanish(page, live_app):
    """Read the app in Spanish from now on, as the language picker would remember it."""
    page.context.add_cookies([{"name": "lang", "value": "es", "url": live_app.config["LIVE_URL"]}])


def new_meeting_form_in_spanish(page, live_app, title):
    """A facilitator's new-meeting form, in Spanish, with ``title`` typed in; return the Spanish words."""
    t = words(live_app, "es")
    log_in_as(page, live_app, "fay", "facilitator")
    in_spanish(page, live_app)
    page.goto("/meetings/new")
    page.get_by_label(t("Title"), exact=True).fill(title)
    return t


@pytest.mark.browser
def test_a_new_meetings_day_is_typed_the_spanish_way_and_stored_as_that_day(page, live_app):
    partners.add_partner(live_app.config["STORE"], "Acme", "business")
    t = new_meeting_form_in_spanish(page, live_app, "Retiro de otoño")
    day = page.get_by_label(t("Date"), exact=True)
    assert spanish_short(EXAMPLE) == "23/11/2026"
    expect(day).to_have_accessible_description(t("Format: %(example)s", example=spanish_short(EXAMPLE)))
    day.fill(spanish_short(datetime.date(2027, 3, 5)))  # 5/3/2027: the fifth of March, not the third of May
    page.get_by_role("button", name=t("Create meeting")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retiro de otoño")
    expect(page.get_by_role("main")).to_contain_text(format_date(datetime.date(2027, 3, 5), "medium", locale="es"))
    assert [m["day"] for m in live_app.config["STORE"].all(meetings.TABLE)] == ["2027-03-05"]


@pytest.mark.browser
def test_a_day_that_does_not_exist_is_a_400_with_the_message(page, live_app):
    t = new_meeting_form_in_spanish(page, live_app, "Retiro")
    page.get_by_label(t("Date"), exact=True).fill("31/02/2027")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=t("Create meeting")).click()
    assert answer.value.status == 400
    expect(page.get_by_label(t("Date"), exact=True)).to_have_accessible_description(
        re.compile(re.escape(t("Please give a valid date.")))
    )
    assert live_app.config["STORE"].all(meetings.TABLE) == []


@pytest.mark.browser
def test_the_dashboards_dates_are_typed_the_spanish_way_and_kept(page, live_app):
    t = words(live_app, "es")
    log_in_as(page, live_app, "lea", "leader")
    in_spanish(page, live_app)
    page.goto("/dashboard")
    hint = t("Format: %(example)s", example=spanish_short(EXAMPLE))
    for label in (t("From"), t("To")):
        expect(page.get_by_label(label, exact=True)).to_have_accessible_description(hint)
    page.get_by_label(t("From"), exact=True).fill("1/2/2026")  # the first of February
    page.get_by_label(t("To"), exact=True).fill("28/2/2026")
    page.get_by_role("button", name=t("Apply")).click()
    # Read back as typed, the filter held: the day was understood, not dropped.
    expect(page.get_by_label(t("From"), exact=True)).to_have_value(spanish_short(datetime.date(2026, 2, 1)))
    expect(page.get_by_label(t("To"), exact=True)).to_have_value(spanish_short(datetime.date(2026, 2, 28)))
