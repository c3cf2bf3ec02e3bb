"""Summaries of a survey's responses, per question and per group, honouring k.

Numbers only: the interface adds words and charts. Text answers are never
broken down by group, and nothing is shown until k responses are in.
"""

import dataclasses
import statistics

from .anonymity import enough, withheld_groups
from .surveys import CHOICE_KINDS, SCALES, SHUFFLER


@dataclasses.dataclass(frozen=True)
class QuestionSummary:
    """What the responses to one question add up to."""

    question_id: str
    kind: str
    answered: int
    counts: dict          # option value -> number of responses (empty for text)
    mean: float | None
    median: float | None
    texts: tuple          # text answers, in random order (text questions only)


@dataclasses.dataclass(frozen=True)
class Group:
    """One group of a breakdown (a partner type or a partner)."""

    key: str
    responses: int
    withheld: bool
    questions: dict       # question id -> QuestionSummary; empty when withheld


@dataclasses.dataclass(frozen=True)
class SurveyResults:
    """A survey's results as anyone with access may see them."""

    responses: int
    k: int
    shown: bool           # False while fewer than k responses are in
    questions: dict       # question id -> QuestionSummary (empty when not shown)
    breakdown_by: str | None
    groups: tuple         # Group, largest first


def options(question):
    """Every possible answer of a closed question, in display order."""
    if question.kind in SCALES:
        return list(SCALES[question.kind])
    if question.kind == "yes_no":
        return ["yes", "no"]
    if question.kind in CHOICE_KINDS:
        return question.choice_ids()
    return []


def summarize_question(question, answers, rng=SHUFFLER):
    """Summarize one question's answers (the values stored for it)."""
    answers = [a for a in answers if a is not None]
    if question.kind in ("short_text", "long_text"):
        texts = list(answers)
        rng.shuffle(texts)
        return QuestionSummary(question.id, question.kind, len(texts), {}, None, None, tuple(texts))
    counts = {option: 0 for option in options(question)}
    for answer in answers:
        for value in (answer if isinstance(answer, list) else [answer]):
            if value in counts:
                counts[value] += 1
    mean = median = None
    if question.kind in SCALES and answers:
        mean = statistics.fmean(answers)
        median = statistics.median(answers)
    return QuestionSummary(question.id, question.kind, len(answers), counts, mean, median, ())


def _summaries(survey, responses, rng, texts=True):
    summaries = {}
    for question in survey.questions:
        if not texts and question.kind in ("short_text", "long_text"):
            continue
        summaries[question.id] = summarize_question(
            question, [r.answers.get(question.id) for r in responses], rng)
    return summaries


def breakdown_field(survey):
    """What a survey's responses can be broken down by: its attribution, if any."""
    return {"partner": "partner", "partner_type": "partner_type"}.get(survey.attribution)


def summarize(survey, responses, k, by=None, rng=SHUFFLER):
    """The survey's results; ``by`` = "partner_type" or "partner" adds a breakdown."""
    if not enough(len(responses), k):
        return SurveyResults(len(responses), k, False, {}, None, ())
    groups = ()
    allowed = {"partner": ("partner", "partner_type"), "partner_type": ("partner_type",)}
    if by and by in allowed.get(survey.attribution, ()):
        members = {}
        for response in responses:
            members.setdefault(getattr(response, by) or "", []).append(response)
        sizes = {key: len(group) for key, group in members.items()}
        hidden = withheld_groups(sizes, k)
        groups = tuple(sorted(
            (Group(key, sizes[key], key in hidden,
                   {} if key in hidden else _summaries(survey, members[key], rng, texts=False))
             for key in members),
            key=lambda g: (-g.responses, g.key)))
    else:
        by = None
    return SurveyResults(len(responses), k, True, _summaries(survey, responses, rng), by, groups)
