"""Numbers and dates read right in every language: one helper (views/formats.py), through Babel."""

import html
import pathlib
import re

import pytest
from babel.numbers import format_decimal, format_percent
from flask import render_template_string
from flask_babel import force_locale

from roundtable import meetings, partners, surveys
from views import formats

from .conftest import csrf_token

LANGUAGES = ["en", "es", "vi", "zh_Hans", "ar"]
TEMPLATES = pathlib.Path(__file__).parent.parent / "templates"
PERCENT = re.compile(r"(\d+)[\s\u00a0\u202f]?%")


def visible(response):
    """The page's text, without tags or attributes."""
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_count_is_written_as_babel_writes_it(app, code):
    with app.test_request_context(), force_locale(code):
        assert formats.number(1234) == format_decimal(1234, locale=code)
        # Inside a message, too: ``%(num)d`` keeps its msgid and still reads the visitor's way.
        written = render_template_string("{{ ngettext('%(num)d response.', '%(num)d responses.', 1234) }}")
        assert format_decimal(1234, locale=code) in written
    assert formats.number.__module__ == "views.formats"


def test_english_and_spanish_group_thousands_their_own_way(app):
    with app.test_request_context():
        with force_locale("en"):
            assert formats.number(1234) == "1,234" and formats.percent(2 / 3) == "67%"
        with force_locale("es"):
            assert formats.number(1234) == format_decimal(1234, locale="es") != "1,234"
            assert formats.percent(2 / 3) == "67\u00a0%"


@pytest.mark.parametrize("code", ["en", "es"])
def test_dashboard_and_results_write_a_percentage_the_same_way(app, client, staff, code):
    store = app.config["STORE"]
    survey = surveys.create_survey(
        store, {"en": "Check"}, "en", "partner", "planning", questions=[{"kind": "yes_no", "text": {"en": "Ready?"}}]
    )
    survey = surveys.set_status(store, survey.id, "open")
    for name, answer in (("Acme", "yes"), ("Local 12", "yes"), ("Valley College", "no")):
        partner = partners.add_partner(store, name, "business")
        answers, _ = surveys.validate_answers(survey, {survey.questions[0].id: [answer]})
        surveys.submit_response(store, survey, answers, partner_id=partner.id, secret=app.secret_key)
    staff.login("lea", "leader")
    client.set_cookie("lang", code)
    pages = {
        "results": visible(client.get(f"/surveys/{survey.id}/results")),
        "dashboard": visible(client.get("/dashboard")),
    }
    seen = {}
    for name, page in pages.items():
        found = PERCENT.findall(page)
        assert found, name
        for match in PERCENT.finditer(page):
            assert match.group(0) == format_percent(int(match.group(1)) / 100, locale=code), (name, match.group(0))
        seen[name] = found
    assert "67" in seen["results"]  # two of three said yes


HAND_MADE = [
    (re.compile(r"\}\}\s*%"), "a number followed by a hand-made %"),
    (re.compile(r"%%[\"')]"), "a message ending in a hand-made %"),
    (re.compile(r"~\s*['\"]\s*%"), "a % joined on"),
    (re.compile(r"\|\s*round\b"), "rounding in a template"),
    (re.compile(r"['\"]%[-+ ]?\.?\d*[df]['\"]\s*\|\s*format"), "printf formatting in a template"),
    (re.compile(r"strftime|isoformat\(|meeting_date"), "a date written by hand"),
    (re.compile(r"type=[\"']date[\"']"), "the browser's own date box"),
]


@pytest.mark.parametrize(
    "path",
    sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.md")),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_no_template_writes_a_number_or_date_by_hand(path):
    source = path.read_text()
    for pattern, what in HAND_MADE:
        assert not pattern.search(source), f"{path.name}: {what}: {pattern.search(source).group(0)!r}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_day_typed_the_visitors_way_is_read_back(app, code):
    with app.test_request_context(), force_locale(code):
        typed = formats.date_input("2026-11-23")
        assert formats.parse_day(typed).isoformat() == "2026-11-23"
        assert formats.parse_day("2026-11-23").isoformat() == "2026-11-23"  # ISO always works
        assert typed in formats.date_hint()


@pytest.mark.parametrize("typed", ["23/11/2026", "11/23/26", "2/30/2026", "11/23", "1/2/3/2026", "next tuesday", ""])
def test_an_english_date_box_refuses_what_is_not_a_day(app, typed):
    with app.test_request_context(), force_locale("en"), pytest.raises(ValueError):
        formats.parse_day(typed)


def test_a_meeting_day_typed_in_spanish_order_is_stored_as_that_day(app, client, staff):
    partner = partners.add_partner(app.config["STORE"], "Acme", "business")
    staff.login("fay", "facilitator")
    client.set_cookie("lang", "es")
    form = client.get("/meetings/new").get_data(as_text=True)
    assert 'type="date"' not in form and "23/11/2026" in form  # the hint's example, day first
    response = client.post(
        "/meetings/new",
        data={
            "csrf_token": csrf_token(client, "/meetings/new"),
            "title": "Retiro",
            "day": "23/11/2026",
            "default_language": "es",
            "phase": "",
            "attending": [partner.id],
        },
    )
    assert response.status_code == 303, visible(response)
    assert [m["day"] for m in app.config["STORE"].all(meetings.TABLE)] == ["2026-11-23"]


def test_a_latin_partner_name_on_an_arabic_page_is_direction_isolated(app, client, staff):
    partners.add_partner(app.config["STORE"], "Acme Manufacturing", "business")
    staff.login("lea", "leader")
    client.set_cookie("lang", "ar")
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "<bdi>Acme Manufacturing</bdi>" in page  # a silent partner, never heard
