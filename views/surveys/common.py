"""What the surveys' routes share: their blueprint, and finding the survey or question a URL names."""

from flask import Blueprint, request

from roundtable import surveys
from roundtable.languages import LANGUAGES

from ..helpers import or_404, store

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def survey_or_404(survey_id):
    """The survey ``survey_id``, or a 404."""
    return or_404(surveys.get_survey(store(), survey_id))


def question_or_404(survey_id, question_id):
    """(survey, question) that the URL names, or a 404."""
    survey = survey_or_404(survey_id)
    return survey, or_404(survey.question(question_id))


def editing_language(survey):
    """The language being edited: ``?lang=`` if shipped, else the survey's default."""
    code = request.args.get("lang", "")
    return code if code in LANGUAGES else (survey.default_language if survey else "en")


def lines_of(text):
    """The non-blank lines of ``text``, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
