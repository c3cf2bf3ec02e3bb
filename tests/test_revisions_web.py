"""Rewording answered questions through the web: the edit form, refusals, results and exports."""

import csv
import datetime
import io

import pytest
from babel.dates import format_date

from roundtable import surveys

from .test_survey_web import (
    form,
    make_survey,
    qid,
    question_form,
    store_of,
    submit,
    text,
)

# Every refusal of a change to the choices says this, then suggests adding a new question.
EXPLANATION = "People already answered this question; changing its choices would change what their answers mean."


@pytest.fixture
def answered(app, participant):
    """Make an open survey with three responses (k = 3): its results are shown."""
    survey = make_survey(app)
    for day in ("Monday", "Tuesday", "Tuesday"):
        choice = {"Monday": "c1", "Tuesday": "c2"}[day]
        response = submit(participant, survey, form(survey, {"agree": "4", "one": choice, "many": ["c1", "c3"]}))
        assert response.status_code == 303
    return survey


def today_written():
    return format_date(datetime.date.today(), format="medium", locale="en")  # as views/formats.py date_text writes it


def test_the_edit_form_of_an_answered_question_offers_its_wording_and_shows_its_meaning_fixed(
    app, client, facilitator, answered
):
    one = qid(answered, "one")
    page = text(client.get(f"/surveys/{answered.id}/questions/{one}"))
    assert 'name="text"' in page and 'name="help"' in page and 'name="choices"' in page
    assert 'name="kind"' not in page and 'name="required"' not in page
    assert "<legend>What answers mean (fixed)</legend>" in page
    assert "People already answered this question" in page
    assert "One choice" in page  # its kind, read only
    assert f'href="/surveys/{answered.id}/questions/new"' in page
    assert 'aria-describedby="choices-help"' in page
    builder = text(client.get(f"/surveys/{answered.id}"))
    assert f'href="/surveys/{answered.id}/questions/{one}"' in builder
    assert "their wording can still be corrected" in builder


def test_a_reworded_question_reads_anew_in_results_and_exports(app, client, facilitator, answered):
    one, agree = qid(answered, "one"), qid(answered, "agree")
    response = facilitator.post(
        f"/surveys/{answered.id}/questions/{one}",
        question_form("single", "Best day for our meetings?", "Pick one.", "Monday\nTuesday (afternoon)\nFriday"),
    )
    assert response.status_code == 303, text(response)[-2000:]
    question = surveys.get_survey(store_of(app), answered.id).question(one)
    assert question.text == {"en": "Best day for our meetings?"} and question.choice_ids() == ["c1", "c2", "c3"]
    assert {(r["field"], r["old"], r["new"]) for r in question.revisions} == {
        ("text", "Best meeting day?", "Best day for our meetings?"),
        ("help", "", "Pick one."),
        ("choice", "Tuesday", "Tuesday (afternoon)"),
    }
    assert all(r["day"] == datetime.date.today().isoformat() for r in question.revisions)

    page = text(client.get(f"/surveys/{answered.id}/results"))
    assert "Best day for our meetings?" in page and "Best meeting day?" in page  # now, and in the revisions
    assert f"Reworded on {today_written()}" in page
    assert page.count("Reworded on") == 1  # the other questions were not reworded
    assert "<details" in page and "Tuesday (afternoon)" in page

    rows = list(csv.reader(io.StringIO(text(client.get(f"/surveys/{answered.id}/results.csv")).lstrip("\ufeff"))))
    assert rows[0][-1] == "Reworded on"
    tuesday = next(r for r in rows if r[1] == "Best day for our meetings?" and r[2] == "Tuesday (afternoon)")
    assert tuesday[3] == "2" and tuesday[-1] == today_written()
    assert all(r[-1] == "" for r in rows[1:] if r[1] == "We trust each other.")

    data = client.get(f"/surveys/{answered.id}/results.json").get_json()
    item = next(q for q in data["questions"] if q["question"] == "Best day for our meetings?")
    assert item["reworded_on"] == [datetime.date.today().isoformat()]
    assert item["counts"]["Tuesday (afternoon)"] == 2
    assert next(q for q in data["questions"] if q["question"] == "We trust each other.")["reworded_on"] == []

    header = next(csv.reader(io.StringIO(text(client.get(f"/surveys/{answered.id}/responses.csv")).lstrip("\ufeff"))))
    assert "Best day for our meetings?" in header and "Best meeting day?" not in header
    assert surveys.get_survey(store_of(app), answered.id).question(agree).revisions == ()


def test_a_translation_is_corrected_after_answers(app, client, facilitator, answered):
    agree = qid(answered, "agree")
    response = facilitator.post(
        f"/surveys/{answered.id}/questions/{agree}?lang=es",
        question_form("agreement", "Confiamos los unos en los otros."),
    )
    assert response.status_code == 303, text(response)[-2000:]
    question = surveys.get_survey(store_of(app), answered.id).question(agree)
    assert question.text == {"en": "We trust each other.", "es": "Confiamos los unos en los otros."}
    assert [(r["language"], r["old"]) for r in question.revisions] == [("es", "Confiamos unos en otros.")]
    assert f"Reworded on {today_written()}" in text(client.get(f"/surveys/{answered.id}/results"))


@pytest.mark.parametrize(
    "choices",
    [
        "Tuesday\nMonday\nFriday",  # reordered
        "Monday\nTuesday\nFriday\nSunday",  # one added
        "Monday\nFriday",  # one removed
    ],
)
def test_changing_an_answered_questions_choices_is_refused_with_the_reason_and_a_way_forward(
    app, client, facilitator, answered, choices
):
    one = qid(answered, "one")
    before = store_of(app).get(surveys.TABLE, answered.id)
    response = facilitator.post(
        f"/surveys/{answered.id}/questions/{one}", question_form("single", "Best meeting day?", choices=choices)
    )
    assert response.status_code == 400
    page = text(response)
    assert EXPLANATION in page and "add a new question instead." in page.lower()
    assert f'href="/surveys/{answered.id}/questions/new"' in page
    assert store_of(app).get(surveys.TABLE, answered.id) == before


def test_unanswered_questions_keep_every_field(app, client, facilitator):
    survey = make_survey(app, status="draft")
    page = text(client.get(f"/surveys/{survey.id}/questions/{qid(survey, 'one')}"))
    assert 'name="kind"' in page and 'name="required"' in page
    assert "What answers mean (fixed)" not in page
