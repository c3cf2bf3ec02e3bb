"""What a survey is: its questions, its texts, its settings; and how to find one.

The constants here are the limits every layer checks (forms, domain, store).
"""

import dataclasses

from .. import codes
from ..languages import LANGUAGES

TABLE, INVITATIONS = "surveys", "invitations"
PHASES = ("preparation", "planning", "prospecting", "developing", "stewarding", "renewing")
ATTRIBUTIONS = ("anonymous", "partner_type", "partner")
KINDS = ("agreement", "rating5", "rating10", "yes_no", "single", "multiple", "short_text", "long_text")
SCALES = {"agreement": range(1, 6), "rating5": range(1, 6), "rating10": range(0, 11)}
CHOICE_KINDS = ("single", "multiple")
TEXT_LIMITS = {"short_text": 200, "long_text": 5000}
TITLE_MAX, INTRO_MAX, QUESTION_MAX, HELP_MAX, CHOICE_MAX = 200, 4000, 500, 1000, 200
MAX_QUESTIONS, MAX_CHOICES, MAX_INVITATIONS = 100, 30, 1000
# The most answer values any survey's form sends: every box of every question ticked.
MAX_ANSWER_FIELDS = MAX_QUESTIONS * MAX_CHOICES


@dataclasses.dataclass(frozen=True)
class Question:
    """One question; ``text`` and ``help`` map language codes to text.

    ``revisions`` are the corrections made to its wording after it had answers.
    """

    id: str
    kind: str
    text: dict
    help: dict
    required: bool
    choices: tuple = ()
    revisions: tuple = ()

    def choice_ids(self):
        """The ids of this question's choices."""
        return [choice["id"] for choice in self.choices]


@dataclasses.dataclass(frozen=True)
class Survey:
    """A survey and everything a participant needs to answer it."""

    id: str
    title: dict
    intro: dict
    closing: dict
    default_language: str
    phase: str | None
    attribution: str
    status: str
    share_token: str
    join_code: str
    invitations_only: bool
    created: str
    questions: tuple

    @property
    def is_open(self):
        """Whether responses are accepted."""
        return self.status == "open"

    def question(self, question_id):
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def languages(self):
        """Languages in which the title is written, default first."""
        rest = [code for code in LANGUAGES if self.title.get(code) and code != self.default_language]
        return [self.default_language] + rest

    def missing_texts(self):
        """For each language used anywhere, the texts not yet written in it."""
        used = {code for texts in self._texts() for code, text in texts.items() if text}
        missing = {}
        for code in sorted(used):
            count = sum(1 for texts in self._texts() if any(texts.values()) and not texts.get(code))
            if count:
                missing[code] = count
        return missing

    def _texts(self):
        yield self.title
        yield self.intro
        yield self.closing
        for question in self.questions:
            yield question.text
            yield question.help
            for choice in question.choices:
                yield choice["text"]


def survey_from(doc):
    """A stored survey document as a ``Survey``."""
    questions = tuple(
        Question(
            q["id"],
            q["kind"],
            q["text"],
            q.get("help", {}),
            q["required"],
            tuple(q.get("choices", ())),
            tuple(q.get("revisions", ())),
        )
        for q in doc["questions"]
    )
    return Survey(
        doc["id"],
        doc["title"],
        doc.get("intro", {}),
        doc.get("closing", {}),
        doc["default_language"],
        doc.get("phase"),
        doc["attribution"],
        doc["status"],
        doc["share_token"],
        doc["join_code"],
        doc.get("invitations_only", False),
        doc["created"],
        questions,
    )


def list_surveys(store):
    """Every survey, newest first."""
    return sorted((survey_from(d) for d in store.all(TABLE)), key=lambda s: (s.created, s.id), reverse=True)


def get_survey(store, survey_id):
    """The survey with this id, or None."""
    doc = store.get(TABLE, survey_id)
    return survey_from(doc) if doc else None


def by_share_token(store, token):
    """The survey a share link opens, or None (shared with other readers: read it, never change it)."""
    if not token or not isinstance(token, str):
        return None
    return store.snapshot().derived("surveys by share token", _by_share_token).get(token)


def _by_share_token(tables):
    # Built once per version of the documents: every participant's post looks a survey up.
    return {doc["share_token"]: survey_from(doc) for doc in tables.all(TABLE)}


def by_join_code(store, typed):
    """The survey a typed join code opens, or None."""
    code = codes.normalize(typed)
    found = store.find(TABLE, join_code=code) if code else []
    return survey_from(found[0]) if found else None
