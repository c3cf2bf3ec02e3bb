"""Rewording an answered question: wording corrected and kept as revisions, meaning refused (domain, in memory)."""

import datetime
import json
import re

import pytest

from roundtable import results, revisions, surveys

from .conftest import refused

CREATED, REWORDED = datetime.date(2026, 5, 4), datetime.date(2026, 5, 11)
SECRET = "test key"


@pytest.fixture
def survey(store):
    """An open survey in English and Spanish whose three questions each have one answer."""
    made = surveys.create_survey(
        store,
        {"en": "Check-in", "es": "Revisión"},
        "en",
        questions=[
            {
                "kind": "agreement",
                "text": {"en": "We trust eachother.", "es": "Confiamos."},
                "help": {"en": "Be frank."},
                "required": True,
            },
            {
                "kind": "single",
                "text": {"en": "Best day?"},
                "choices": [{"en": "Monday", "es": "Lunes"}, {"en": "Tuesdy", "es": "Martes"}, {"en": "Friday"}],
            },
            {"kind": "multiple", "text": {"en": "Which?"}, "choices": [{"en": "A"}, {"en": "B"}]},
        ],
        today=CREATED,
    )
    made = surveys.set_status(store, made.id, "open")
    q = made.questions
    answers, errors = surveys.validate_answers(made, {q[0].id: ["4"], q[1].id: ["c2"], q[2].id: ["c1", "c2"]})
    assert not errors
    surveys.submit_response(store, made, answers, secret=SECRET, today=CREATED)
    return made


def edit(store, survey, index, **changes):
    """``update_question`` with the question's current fields, ``changes`` applied, on REWORDED."""
    question = survey.questions[index]
    args = {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help,
        "required": question.required,
        "choices": [dict(c["text"]) for c in question.choices],
    }
    args.update(changes)
    return surveys.update_question(store, survey.id, question.id, today=REWORDED, **args)


def stored_question(store, survey, index):
    return store.get(surveys.TABLE, survey.id)["questions"][index]


def test_rewording_keeps_every_answer_valid_and_counted(store, survey):
    edited = edit(
        store,
        survey,
        1,
        text={"en": "Best meeting day?"},
        choices=[{"en": "Monday", "es": "Lunes"}, {"en": "Tuesday", "es": "Martes"}, {"en": "Friday"}],
    )
    question = edited.questions[1]
    assert question.text == {"en": "Best meeting day?"}
    assert question.choice_ids() == survey.questions[1].choice_ids()
    assert question.choices[1]["text"] == {"en": "Tuesday", "es": "Martes"}
    summary = results.summarize(edited, surveys.responses_for(store, survey.id), k=1)
    assert summary.questions[question.id].counts == {"c1": 0, "c2": 1, "c3": 0}
    # A new participant answers the reworded question with the same ids.
    _, errors = surveys.validate_answers(edited, {question.id: ["c2"], edited.questions[0].id: ["5"]})
    assert errors == {}


def test_a_correction_in_any_language_is_a_revision_with_its_day_and_no_time(store, survey):
    edit(
        store,
        survey,
        0,
        text={"en": "We trust each other.", "es": "Confiamos unos en otros."},
        help_text={"en": "Be frank.", "vi": "Hãy thẳng thắn."},
    )
    edit(
        store,
        survey,
        1,
        choices=[{"en": "Monday", "es": "Lunes"}, {"en": "Tuesday", "es": "Martes"}, {"en": "Friday", "es": "Viernes"}],
    )
    first, second = stored_question(store, survey, 0), stored_question(store, survey, 1)
    assert first["revisions"] == [
        {
            "day": "2026-05-11",
            "field": "text",
            "language": "en",
            "old": "We trust eachother.",
            "new": "We trust each other.",
        },
        {
            "day": "2026-05-11",
            "field": "text",
            "language": "es",
            "old": "Confiamos.",
            "new": "Confiamos unos en otros.",
        },
        {"day": "2026-05-11", "field": "help", "language": "vi", "old": "", "new": "Hãy thẳng thắn."},
    ]
    assert second["revisions"] == [
        {"day": "2026-05-11", "field": "choice", "choice": "c2", "language": "en", "old": "Tuesdy", "new": "Tuesday"},
        {"day": "2026-05-11", "field": "choice", "choice": "c3", "language": "es", "old": "", "new": "Viernes"},
    ]
    # The day, and nothing finer: no time of day anywhere in the stored survey.
    stored = json.dumps(store.get(surveys.TABLE, survey.id))
    # (A time would be "12:30", "2026-05-11T12" or a bare epoch number; random ids and tokens may hold digits.)
    assert not re.search(r"\d{2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{2}|[:\[,]\s*\d{9,}\b", stored), stored
    assert revisions.days(surveys.get_survey(store, survey.id).questions[0]) == ["2026-05-11"]


def test_revisions_add_up_over_days(store, survey):
    edit(store, survey, 2, text={"en": "Which ones?"})
    surveys.update_question(
        store,
        survey.id,
        survey.questions[2].id,
        "multiple",
        {"en": "Which ones, please?"},
        choices=[{"en": "A"}, {"en": "B"}],
        today=REWORDED + datetime.timedelta(days=1),
    )
    question = surveys.get_survey(store, survey.id).questions[2]
    assert [(r["old"], r["new"]) for r in question.revisions] == [
        ("Which?", "Which ones?"),
        ("Which ones?", "Which ones, please?"),
    ]
    assert revisions.days(question) == ["2026-05-11", "2026-05-12"]


def test_an_edit_that_changes_nothing_records_no_revision(store, survey):
    before = store.get(surveys.TABLE, survey.id)
    edit(store, survey, 1, text={"en": "  Best day?  "})
    edit(store, survey, 0)
    assert "revisions" not in stored_question(store, survey, 0)
    assert "revisions" not in stored_question(store, survey, 1)
    assert store.get(surveys.TABLE, survey.id)["questions"] == before["questions"]
    assert revisions.days(surveys.get_survey(store, survey.id).questions[1]) == []


@pytest.mark.parametrize(
    "index, changes, code",
    [
        (0, {"kind": "rating5"}, "answered_kind"),
        (1, {"kind": "multiple"}, "answered_kind"),
        (0, {"required": False}, "answered_required"),
        (2, {"required": True}, "answered_required"),
        (1, {"choices": [{"en": "Monday"}, {"en": "Tuesdy"}, {"en": "Friday"}, {"en": "Sunday"}]}, "answered_choices"),
        (1, {"choices": [{"en": "Monday"}, {"en": "Friday"}]}, "answered_choices"),
        (2, {"choices": [{"en": "A"}]}, "answered_choices"),
        (
            1,
            {"choices": [{"en": "Tuesdy", "es": "Martes"}, {"en": "Monday", "es": "Lunes"}, {"en": "Friday"}]},
            "answered_order",
        ),
        (
            1,
            {"choices": [{"en": "Monday", "es": "Martes"}, {"en": "Tuesdy", "es": "Lunes"}, {"en": "Friday"}]},
            "answered_order",
        ),
        (2, {"choices": [{"en": "B"}, {"en": "A"}]}, "answered_order"),
    ],
)
def test_changes_of_meaning_stay_refused_once_answered(store, survey, index, changes, code):
    before = store.get(surveys.TABLE, survey.id)
    error = refused(code, edit, store, survey, index, text={"en": "Reworded too"}, **changes)
    assert error.field is None  # the explanation goes above the form, with the way forward
    assert store.get(surveys.TABLE, survey.id) == before


def test_copies_of_a_reworded_question_start_without_revisions(store, survey):
    edit(store, survey, 0, text={"en": "We trust each other."})
    surveys.duplicate_question(store, survey.id, survey.questions[0].id)
    copy = surveys.get_survey(store, survey.id).questions[1]
    assert copy.text == {"en": "We trust each other."} and copy.revisions == ()
    other = surveys.duplicate_survey(store, survey.id)
    assert all(q.revisions == () for q in other.questions)
    assert all("revisions" not in q for q in store.get(surveys.TABLE, other.id)["questions"])


def test_unanswered_questions_are_edited_freely_without_revisions(store):
    made = surveys.create_survey(
        store,
        {"en": "Draft"},
        "en",
        questions=[{"kind": "single", "text": {"en": "Pick"}, "choices": [{"en": "A"}, {"en": "B"}]}],
    )
    edited = surveys.update_question(
        store,
        made.id,
        made.questions[0].id,
        "multiple",
        {"en": "Pick some"},
        choices=[{"en": "B"}, {"en": "A"}, {"en": "C"}],
        today=REWORDED,
    )
    assert edited.questions[0].kind == "multiple" and edited.questions[0].revisions == ()
    assert "revisions" not in store.get(surveys.TABLE, made.id)["questions"][0]
