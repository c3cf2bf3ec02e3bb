"""Building a survey: its details, its questions and their order, opening and closing, copies.

Everything the builder sends is checked here; once a question has answers,
only its wording may change (see ``revisions``).
"""

import datetime

from .. import codes, joining, revisions
from ..errors import InvalidInput
from ..languages import LANGUAGES
from ..texts import clean_texts
from .model import (
    ATTRIBUTIONS,
    CHOICE_KINDS,
    CHOICE_MAX,
    HELP_MAX,
    INTRO_MAX,
    KINDS,
    MAX_CHOICES,
    MAX_QUESTIONS,
    PHASES,
    QUESTION_MAX,
    TABLE,
    TITLE_MAX,
    get_survey,
    survey_from,
)
from .responses import answered_questions, response_count


def _details(title, intro, closing, default_language, phase, attribution, invitations_only):
    if default_language not in LANGUAGES:
        raise InvalidInput("language_unknown", "default_language")
    if phase not in PHASES and phase is not None:
        raise InvalidInput("phase_unknown", "phase")
    if attribution not in ATTRIBUTIONS:
        raise InvalidInput("attribution_unknown", "attribution")
    return {
        "title": clean_texts(title, "title", TITLE_MAX, default_language),
        "intro": clean_texts(intro, "intro", INTRO_MAX),
        "closing": clean_texts(closing, "closing", INTRO_MAX),
        "default_language": default_language,
        "phase": phase,
        "attribution": attribution,
        "invitations_only": bool(invitations_only),
    }


def merged_texts(current, language, value):
    """``current`` texts ({language: text}) with ``language``'s text set to ``value`` ("" for none)."""
    texts = dict(current or {})
    texts[language] = value or ""
    return texts


def merged_question(question, language, default_language, text, help_text, choice_lines, meaning=None):
    """The arguments for ``add_question`` or ``update_question`` once one language's texts join ``question``'s.

    ``question`` is None for a new one. ``meaning`` is the (kind, required) the form sets, or None where it sets
    neither (an answered question's form); they change only in the default language or on a new question.
    In another language, the choices keep their number: one line per choice, or none.
    """
    current = [dict(c["text"]) for c in question.choices] if question else []
    if language == default_language or not current:
        choices = [dict(current[i]) if i < len(current) else {} for i in range(len(choice_lines))]
    else:
        if len(choice_lines) not in (0, len(current)):
            raise InvalidInput("choices_count", "choices", count=len(current))
        choices = current
    for texts, line in zip(choices, choice_lines):
        texts[language] = line
    settable = meaning is not None and (language == default_language or not question)
    kind, required = meaning if settable else (question.kind, question.required)
    return dict(
        kind=kind,
        text=merged_texts(question.text if question else {}, language, text),
        help_text=merged_texts(question.help if question else {}, language, help_text),
        required=required,
        choices=choices,
    )


def _question(kind, text, help_text, required, choices, default_language, question_id=None):
    if kind not in KINDS:
        raise InvalidInput("kind_unknown", "kind")
    doc = {
        "id": question_id or codes.share_token()[:10],
        "kind": kind,
        "text": clean_texts(text, "text", QUESTION_MAX, default_language),
        "help": clean_texts(help_text, "help", HELP_MAX),
        "required": bool(required),
    }
    if kind in CHOICE_KINDS:
        cleaned = [clean_texts(c, "choices", CHOICE_MAX) for c in (choices or [])]
        cleaned = [c for c in cleaned if c]
        if len(cleaned) < 2:
            raise InvalidInput("choices_too_few", "choices")
        if len(cleaned) > MAX_CHOICES:
            raise InvalidInput("choices_too_many", "choices", max=MAX_CHOICES)
        doc["choices"] = [{"id": f"c{n}", "text": texts} for n, texts in enumerate(cleaned, start=1)]
    return doc


def create_survey(
    store,
    title,
    default_language,
    attribution="anonymous",
    phase=None,
    intro=None,
    closing=None,
    invitations_only=False,
    questions=(),
    today=None,
):
    """Create a draft survey, optionally with questions (each a dict of ``_question``'s arguments)."""
    doc = _details(title, intro, closing, default_language, phase, attribution, invitations_only)
    doc["questions"] = [
        _question(q["kind"], q["text"], q.get("help"), q.get("required", False), q.get("choices"), default_language)
        for q in questions
    ]
    if len(doc["questions"]) > MAX_QUESTIONS:
        raise InvalidInput("questions_too_many", max=MAX_QUESTIONS)
    doc.update(status="draft", share_token=codes.share_token(), created=(today or datetime.date.today()).isoformat())
    with store.transaction() as tx:
        doc["join_code"] = joining.unique_join_code(tx)
        return survey_from(tx.insert(TABLE, doc))


def create_from_template(store, template, attribution="anonymous", today=None, key=None):
    """A draft survey from a ready-made template, in every language the template has.

    ``key`` (e.g. "health_check") is kept on the survey, so the dashboard can follow
    a template's scores over time.
    """
    survey = create_survey(
        store,
        template["title"],
        "en",
        attribution,
        template.get("phase"),
        template.get("intro"),
        template.get("closing"),
        questions=template["questions"],
        today=today,
    )
    if key:
        store.update(TABLE, survey.id, {"template": key})
    return survey


def _change(store, survey_id, change):
    with store.transaction() as tx:
        doc = tx.get(TABLE, survey_id)
        if doc is None:
            raise InvalidInput("survey_unknown")
        change(doc)
        return survey_from(tx.update(TABLE, survey_id, doc))


def update_details(store, survey_id, title, default_language, attribution, phase, intro, closing, invitations_only):
    """Change a survey's texts and settings; attribution is fixed once responses exist."""
    details = _details(title, intro, closing, default_language, phase, attribution, invitations_only)
    answered = response_count(store, survey_id) > 0

    def change(doc):
        if answered and details["attribution"] != doc["attribution"]:
            raise InvalidInput("attribution_fixed", "attribution")
        doc.update(details)

    return _change(store, survey_id, change)


def add_question(store, survey_id, kind, text, help_text=None, required=False, choices=None):
    """Add a question at the end."""

    def change(doc):
        if len(doc["questions"]) >= MAX_QUESTIONS:
            raise InvalidInput("questions_too_many", max=MAX_QUESTIONS)
        doc["questions"].append(_question(kind, text, help_text, required, choices, doc["default_language"]))

    return _change(store, survey_id, change)


def _index(doc, question_id):
    for index, question in enumerate(doc["questions"]):
        if question["id"] == question_id:
            return index
    raise InvalidInput("question_unknown")


def update_question(
    store, survey_id, question_id, kind, text, help_text=None, required=False, choices=None, today=None
):
    """Edit a question; once answered, only its wording, kept as revisions."""
    answered = question_id in answered_questions(store, survey_id)

    def change(doc):
        index = _index(doc, question_id)
        old = doc["questions"][index]
        if answered:
            revisions.check_meaning(old, kind, required, choices)
        new = _question(kind, text, help_text, required, choices, doc["default_language"], question_id)
        if answered:
            new = revisions.reworded(old, new, today)
        doc["questions"][index] = new

    return _change(store, survey_id, change)


def delete_question(store, survey_id, question_id):
    """Delete a question that has no answers."""
    answered = question_id in answered_questions(store, survey_id)

    def change(doc):
        index = _index(doc, question_id)
        if answered:
            raise InvalidInput("question_answered")
        del doc["questions"][index]

    return _change(store, survey_id, change)


def _unrevised(question):
    """A copy of a question as a new one: it has no answers, so no revisions either."""
    return {key: value for key, value in question.items() if key != "revisions"}


def duplicate_question(store, survey_id, question_id):
    """Insert a copy of a question right after it."""

    def change(doc):
        index = _index(doc, question_id)
        if len(doc["questions"]) >= MAX_QUESTIONS:
            raise InvalidInput("questions_too_many", max=MAX_QUESTIONS)
        copy = _unrevised(dict(doc["questions"][index], id=codes.share_token()[:10]))
        doc["questions"].insert(index + 1, copy)

    return _change(store, survey_id, change)


def move_question(store, survey_id, question_id, offset):
    """Move a question up (-1) or down (+1); answers are keyed by id, so order is free."""

    def change(doc):
        index = _index(doc, question_id)
        target = index + offset
        if offset not in (-1, 1) or not 0 <= target < len(doc["questions"]):
            raise InvalidInput("move_impossible")
        questions = doc["questions"]
        questions[index], questions[target] = questions[target], questions[index]

    return _change(store, survey_id, change)


def set_status(store, survey_id, status):
    """Open or close a survey (a closed survey can be reopened)."""
    if status not in ("open", "closed"):
        raise InvalidInput("status_unknown")

    def change(doc):
        if status == "open" and not doc["questions"]:
            raise InvalidInput("no_questions")
        doc["status"] = status

    return _change(store, survey_id, change)


def duplicate_survey(store, survey_id, today=None):
    """A new draft with the same texts and questions, and no responses."""
    survey = get_survey(store, survey_id)
    if survey is None:
        raise InvalidInput("survey_unknown")
    doc = store.get(TABLE, survey_id)
    with store.transaction() as tx:
        copy = {
            key: doc[key]
            for key in (
                "title",
                "intro",
                "closing",
                "default_language",
                "phase",
                "attribution",
                "invitations_only",
                "questions",
            )
            if key in doc
        }
        if doc.get("template"):
            copy["template"] = doc["template"]
        copy["questions"] = [_unrevised(q) for q in copy["questions"]]
        copy.update(
            id=None,
            status="draft",
            share_token=codes.share_token(),
            join_code=joining.unique_join_code(tx),
            created=(today or datetime.date.today()).isoformat(),
        )
        del copy["id"]
        return survey_from(tx.insert(TABLE, copy))
