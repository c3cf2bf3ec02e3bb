"""Summaries of a survey's responses, per question and per group, honouring k.

Numbers only: the interface adds words and charts. Text answers are never
broken down by group, and nothing is shown until k voices are in: k
organisations on a survey whose responses carry the partner, k responses
otherwise (see anonymity.py).
"""

import dataclasses
import statistics

from .anonymity import enough, withheld_voices
from .surveys import CHOICE_KINDS, SCALES, SHUFFLER


@dataclasses.dataclass(frozen=True)
class QuestionSummary:
    """What the responses to one question add up to."""

    question_id: str
    kind: str
    answered: int
    counts: dict  # option value -> number of responses (empty for text)
    mean: float | None
    median: float | None
    texts: tuple  # text answers, in random order (text questions only)


@dataclasses.dataclass(frozen=True)
class Group:
    """One group of a breakdown (a partner type or a partner)."""

    key: str
    responses: int
    withheld: bool
    questions: dict  # question id -> QuestionSummary; empty when withheld
    partners: int | None = None  # distinct organisations in it, where responses carry the partner


@dataclasses.dataclass(frozen=True)
class SurveyResults:
    """A survey's results as anyone with access may see them."""

    responses: int
    k: int
    shown: bool  # False while fewer than k voices are in
    questions: dict  # question id -> QuestionSummary (empty when not shown)
    breakdown_by: str | None
    groups: tuple  # Group, largest first
    partners: int | None = None  # distinct organisations heard, where responses carry the partner

    @property
    def counts_partners(self):
        """Whether k counts organisations here (responses carry the partner), not responses."""
        return self.partners is not None


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
        for value in answer if isinstance(answer, list) else [answer]:
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
        summaries[question.id] = summarize_question(question, [r.answers.get(question.id) for r in responses], rng)
    return summaries


def charted_questions(survey, summary):
    """The questions that get a chart, in the survey's order: once results are shown, those with counts."""
    if not summary.shown:
        return []
    return [q for q in survey.questions if summary.questions[q.id].counts]


def breakdown_field(survey):
    """What a survey's responses can be broken down by: its attribution, if any."""
    return {"partner": "partner", "partner_type": "partner_type"}.get(survey.attribution)


def counts_partners(survey):
    """Whether k counts organisations for this survey: its responses carry the partner."""
    return survey.attribution == "partner"


def voices(survey, partner_ids):
    """Who each response speaks for, as k counts them: its partner where stored, else the response itself.

    ``partner_ids`` holds each response's partner id (None where none is stored).
    """
    if counts_partners(survey):
        return list(partner_ids)
    return [("response", n) for n, _ in enumerate(partner_ids)]


def enough_voices(survey, partner_ids, k):
    """Whether responses with these partners (see ``voices``) are enough to show anything drawn from them."""
    return enough(len(set(voices(survey, partner_ids))), k)


def _hidden(survey, responses, by, k):
    """(members, voices, withheld keys) of a breakdown of ``responses`` by ``by``."""
    members, who = {}, {}
    for response, voice in zip(responses, voices(survey, [r.partner for r in responses])):
        key = getattr(response, by) or ""
        members.setdefault(key, []).append(response)
        who.setdefault(key, set()).add(voice)
    return members, who, withheld_voices(who, k)


def attributions(survey, responses, k):
    """Each response's group in an export (its partner or partner type), or None where k withholds it."""
    by = breakdown_field(survey)
    if not by:
        return [None] * len(responses)
    _, _, hidden = _hidden(survey, responses, by, k)
    return [None if (getattr(r, by) or "") in hidden else (getattr(r, by) or "") for r in responses]


def exported_responses(survey, responses, k):
    """What an export of the responses carries: (group or None where k withholds it, answers) each; none below k."""
    if not enough_voices(survey, [r.partner for r in responses], k):
        return []
    return list(zip(attributions(survey, responses, k), (r.answers for r in responses)))


def summarize(survey, responses, k, by=None, rng=SHUFFLER):
    """The survey's results; ``by`` = "partner_type" or "partner" adds a breakdown."""
    partners = len({r.partner for r in responses}) if counts_partners(survey) else None
    if not enough_voices(survey, [r.partner for r in responses], k):
        return SurveyResults(len(responses), k, False, {}, None, (), partners)
    groups = ()
    allowed = {"partner": ("partner", "partner_type"), "partner_type": ("partner_type",)}
    if by and by in allowed.get(survey.attribution, ()):
        members, who, hidden = _hidden(survey, responses, by, k)
        groups = tuple(
            sorted(
                (
                    Group(
                        key,
                        len(members[key]),
                        key in hidden,
                        {} if key in hidden else _summaries(survey, members[key], rng, texts=False),
                        len(who[key]) if partners is not None else None,
                    )
                    for key in members
                ),
                key=lambda g: (-g.responses, g.key),
            )
        )
    else:
        by = None
    return SurveyResults(len(responses), k, True, _summaries(survey, responses, rng), by, groups, partners)
