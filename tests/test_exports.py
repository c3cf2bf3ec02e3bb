"""CSV downloads a spreadsheet opens as data: no cell a stranger typed can start a formula."""

import csv
import datetime
import decimal
import io

import pytest

from roundtable import exports, meetings, partners, surveys

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What strangers may type, one per formula character (a text answer is stored stripped: "\t=..." as "=...").
HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t@SUM(3)",
    "\r-4",
]


# -- the rule ------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE + [" =1+1", "\u00a0@SUM(1)"])
def test_text_that_would_start_a_formula_gets_a_quote(text):
    assert exports.safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Plain words", "3 partners", "a=b", "e-mail", "'already quoted"])
def test_other_text_is_left_alone(text):
    assert exports.safe_cell(text) == text


@pytest.mark.parametrize("number", [-0.5, -3, 0, 2.25, decimal.Decimal("-1.5")])
def test_numbers_we_compute_stay_numbers(number):
    assert exports.safe_cell(number) == number
    assert exports.csv_text([[number]]) == f"\ufeff{number}\r\n"


def test_none_is_an_empty_cell_and_the_text_starts_with_a_byte_order_mark():
    assert exports.csv_text([["a", None, "=b"]]) == "\ufeffa,,'=b\r\n"


# -- every download --------------------------------------------------------------


def rows_of(response):
    assert response.status_code == 200 and response.mimetype == "text/csv", response.status_code
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"), newline="")))


def assert_defused(rows, expected):
    """No cell starts a formula, and each expected text is there whole behind its quote."""
    cells = [cell for row in rows for cell in row]
    starting = [cell for cell in cells if cell.lstrip(" \u00a0").startswith(FORMULA_STARTS)]
    assert not starting, starting
    for text in expected:
        assert "'" + text in cells, (text, cells)


@pytest.fixture
def hostile_world(app):
    """Partners, a survey, its responses and a meeting's minutes, all written by someone hostile."""
    store = app.config["STORE"]
    names = ["=Evil Corp", "+Plus Partners", "-Minus Union", "@At College"]
    roster = [
        partners.add_partner(store, name, kind)
        for name, kind in zip(names, ["business", "labor", "semi_public", "cbo"])
    ]
    silent = partners.add_partner(store, "=Silent(1)", "foundation")
    survey = surveys.create_survey(
        store,
        {"en": "=Title"},
        "en",
        "partner",
        questions=[
            {"kind": "short_text", "text": {"en": "-What would you change?"}, "required": True},
            {"kind": "single", "text": {"en": "@Pick one"}, "choices": [{"en": "=Choice A"}, {"en": "+Choice B"}]},
            {"kind": "rating5", "text": {"en": "Rate us"}},
        ],
    )
    survey = surveys.set_status(store, survey.id, "open")
    pick = survey.questions[1].choice_ids()
    rows = []
    for number, text in enumerate(HOSTILE * 2):
        answers = surveys.validate_answers(
            survey,
            {survey.questions[0].id: [text], survey.questions[1].id: [pick[number % 2]], survey.questions[2].id: ["4"]},
        )[0]
        # From every partner: below k organisations the results (and their cells) would be withheld.
        rows.append((answers, roster[number % len(roster)].id, None))
    surveys.add_responses(store, survey, rows)

    meeting = meetings.create_meeting(
        store, {"en": "=Meeting"}, datetime.date(2026, 11, 23), attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "=Adopt(1)"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    secret = app.config["SECRET_KEY"]
    for partner in roster:
        token = meetings.take_seat(store, meeting["id"], secret, partner_id=partner.id)
        meetings.cast_ballot(
            store, meeting["id"], meetings.seat_for(store, meeting["id"], secret, token), "agree", "-a comment"
        )
    meetings.close_round(store, meeting["id"])
    return {"survey": survey, "meeting": meeting, "names": names, "silent": silent}


def test_the_survey_summary_csv_is_defused(staff, client, hostile_world):
    staff.login("lead", "leader")
    rows = rows_of(client.get(f"/surveys/{hostile_world['survey'].id}/results.csv"))
    assert_defused(rows, ["@Pick one", "=Choice A", "+Choice B"])
    # The scale's mean stays a number, not a quoted text.
    assert any(row[4] == "4.0" for row in rows)


def test_the_responses_csv_is_defused(staff, client, hostile_world):
    staff.login("lead", "leader")
    rows = rows_of(client.get(f"/surveys/{hostile_world['survey'].id}/responses.csv"))
    assert_defused(rows, [text.strip() for text in HOSTILE] + ["-What would you change?", "=Choice A"])


def test_the_dashboard_csv_is_defused(staff, client, hostile_world):
    staff.login("lead", "leader")
    rows = rows_of(client.get("/dashboard.csv"))
    assert_defused(rows, ["=Evil Corp", "=Silent(1)"])


def test_the_minutes_csv_is_defused(staff, client, hostile_world):
    staff.login("lead", "leader")
    rows = rows_of(client.get(f"/meetings/{hostile_world['meeting']['id']}/minutes.csv"))
    assert_defused(rows, ["=Adopt(1)"])
