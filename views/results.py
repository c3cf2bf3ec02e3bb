"""Survey results for facilitators and leaders: summaries, charts, exports; k always holds."""

import json

from babel.lists import format_list
from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from forms.surveys import agreement_labels, yes_no_labels
from roundtable import charts, exports, partners, results, revisions, surveys
from roundtable.languages import text_direction

from . import formats
from .helpers import or_404, store
from .i18n import current_language, localized
from .labels import type_label
from .security import permission_required

bp = Blueprint("results", __name__, url_prefix="/surveys")


def _load(survey_id):
    """The survey, its responses (in random order) and their summary, broken down as the address asks."""
    survey = or_404(surveys.get_survey(store(), survey_id))
    responses = surveys.responses_for(store(), survey.id)
    summary = results.summarize(survey, responses, current_app.config["ANONYMITY_K"], by=request.args.get("by") or None)
    return survey, responses, summary


def option_label(survey, question, value):
    """An answer's label in the visitor's language."""
    if question.kind == "agreement":
        return str(agreement_labels()[value])
    if question.kind == "yes_no":
        return str(yes_no_labels()[value])
    if question.kind in surveys.CHOICE_KINDS:
        choice = next(c for c in question.choices if c["id"] == value)
        return localized(choice["text"], survey.default_language).text
    return str(value)


def reworded_on(question):
    """Write the days a question was reworded the visitor's way ("" when never)."""
    return _days_written(revisions.days(question))


def _days_written(days):
    return format_list([formats.date_text(day) for day in days], locale=get_locale()) if days else ""


def group_label(by, key):
    """A breakdown group's name: a partner or a partner type."""
    if by == "partner":
        partner = partners.get_partner(store(), key)
        return partner.name if partner else _("Unknown partner")
    types = {t.key: t for t in partners.partner_types(store())}
    return type_label(types[key]) if key in types else _("Unknown partner type")


def _figure(survey, question, summary):
    labels = [option_label(survey, question, value) for value in summary.counts]
    title = localized(question.text, survey.default_language).text
    return charts.distribution(
        labels,
        list(summary.counts.values()),
        title,
        _("Responses"),
        right_to_left=text_direction(current_language()) == "rtl",
    )


def _participation(survey):
    heard_partners, heard_types = surveys.heard(store(), survey.id)
    roster = partners.list_partners(store(), active_only=True)
    return {
        "heard": [p for p in roster if p.id in heard_partners],
        "silent": [p for p in roster if p.id not in heard_partners],
        "types_heard": [type_label(t) for t in partners.partner_types(store()) if t.key in heard_types],
    }


@bp.get("/<survey_id>/results")
@permission_required("read_dashboards")
def survey_results(survey_id):
    """Per question: a chart and its table; text answers in random order; a k-safe breakdown."""
    survey, _responses, summary = _load(survey_id)
    charted = results.charted_questions(survey, summary)
    figures = {q.id: json.dumps(_figure(survey, q, summary.questions[q.id])) for q in charted}
    return render_template(
        "results/survey.html",
        survey=survey,
        summary=summary,
        figures=figures,
        option_label=option_label,
        group_label=group_label,
        number=formats.figure,
        participation=_participation(survey),
        breakdown_field=results.breakdown_field(survey),
        reworded_on=reworded_on,
    )


def _csv(rows, name):
    return Response(
        exports.csv_text(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _json(data, name):
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
    )


def _rounded(value):
    return None if value is None else round(value, 2)


def _k_counts(summary):
    return "partners" if summary.counts_partners else "responses"


def _question_data(survey, question, item):
    return {
        "question": localized(question.text, survey.default_language).text,
        "kind": question.kind,
        "answered": item.answered,
        "mean": _rounded(item.mean),
        "median": item.median,
        "counts": {option_label(survey, question, v): n for v, n in item.counts.items()},
        "texts": list(item.texts),
        "reworded_on": revisions.days(question),
    }


def _questions_data(survey, summaries, whole=True):
    """Each summarized question, in the survey's order; a group's leave out the kind and the texts."""
    items = [_question_data(survey, q, summaries[q.id]) for q in survey.questions if q.id in summaries]
    return (
        items
        if whole
        else [{key: value for key, value in item.items() if key not in ("kind", "texts")} for item in items]
    )


def _group_data(survey, by, group):
    return {
        "group": group_label(by, group.key),
        "responses": group.responses,
        "withheld": group.withheld,
        "questions": _questions_data(survey, group.questions, whole=False),
    }


def _summary_data(survey, summary):
    return {
        "survey": localized(survey.title, survey.default_language).text,
        "responses": summary.responses,
        "k": summary.k,
        "k_counts": _k_counts(summary),
        "shown": summary.shown,
        "questions": _questions_data(survey, summary.questions),
        "breakdown_by": summary.breakdown_by,
        "groups": [_group_data(survey, summary.breakdown_by, group) for group in summary.groups],
    }


@bp.get("/<survey_id>/results.json")
@permission_required("read_dashboards")
def results_json(survey_id):
    """The summary as JSON, honouring k."""
    survey, _responses, summary = _load(survey_id)
    return _json(_summary_data(survey, summary), f"results-{survey.join_code}")


def _answer_row(group, item, answer, count):
    return [
        group,
        item["question"],
        answer,
        count,
        "" if item["mean"] is None else item["mean"],
        "" if item["median"] is None else item["median"],
        _days_written(item["reworded_on"]),
    ]


def _withheld_note(summary):
    """Why a section of the export is empty: fewer than k partners, or k responses, are in."""
    if summary.counts_partners:
        return _("Withheld: fewer than %(k)s partners", k=summary.k)
    return _("Withheld: fewer than %(k)s responses", k=summary.k)


def _summary_rows(summary, data):
    """One row per question and answer, section by section; a withheld section says so in one row."""
    withheld_note = _withheld_note(summary)
    rows = [] if summary.shown else [[_("All responses"), withheld_note, "", summary.responses, "", "", ""]]
    sections = [(_("All responses"), data["questions"], False)] + [
        (g["group"], g["questions"], g["withheld"]) for g in data["groups"]
    ]
    for group, questions, withheld in sections:
        if withheld:
            rows.append([group, withheld_note, "", "", "", "", ""])
        rows += [
            _answer_row(group, item, answer, count) for item in questions for answer, count in item["counts"].items()
        ]
    return rows


@bp.get("/<survey_id>/results.csv")
@permission_required("read_dashboards")
def results_csv(survey_id):
    """The summary as CSV (one row per question and answer), honouring k."""
    survey, _responses, summary = _load(survey_id)
    header = [_("Group"), _("Question"), _("Answer"), _("Responses"), _("Mean"), _("Median"), _("Reworded on")]
    return _csv([header] + _summary_rows(summary, _summary_data(survey, summary)), f"results-{survey.join_code}")


def _answer_text(survey, question, value):
    """An answer as an export writes it: a closed question's options by their labels, text as typed."""
    if isinstance(value, list):
        return "; ".join(option_label(survey, question, v) for v in value)
    if value is not None and question.kind not in ("short_text", "long_text"):
        return option_label(survey, question, value)
    return "" if value is None else value


def _response_rows(survey, responses, k):
    """One row per response; attribution only for groups of at least k voices, nothing below k."""
    by = results.breakdown_field(survey)
    rows = []
    for key, answers in results.exported_responses(survey, responses, k):
        row = {by: _("withheld") if key is None else group_label(by, key)} if by else {}
        row.update({q.id: _answer_text(survey, q, answers.get(q.id)) for q in survey.questions})
        rows.append(row)
    return rows, by


@bp.get("/<survey_id>/responses.csv")
@permission_required("read_dashboards")
def responses_csv(survey_id):
    """Every response, one row each, in random order, honouring k."""
    survey, responses, summary = _load(survey_id)
    rows, by = _response_rows(survey, responses, summary.k)
    header = ([_("Partner") if by == "partner" else _("Partner type")] if by else []) + [
        localized(q.text, survey.default_language).text for q in survey.questions
    ]
    body = [([row[by]] if by else []) + [row[q.id] for q in survey.questions] for row in rows]
    return _csv([header] + body, f"responses-{survey.join_code}")


@bp.get("/<survey_id>/responses.json")
@permission_required("read_dashboards")
def responses_json(survey_id):
    """Every response as JSON, in random order, honouring k."""
    survey, responses, summary = _load(survey_id)
    rows, by = _response_rows(survey, responses, summary.k)
    questions = {q.id: localized(q.text, survey.default_language).text for q in survey.questions}
    data = {
        "survey": localized(survey.title, survey.default_language).text,
        "k": summary.k,
        "k_counts": _k_counts(summary),
        "shown": summary.shown,
        "responses": [{(by if key == by else questions[key]): value for key, value in row.items()} for row in rows],
    }
    return _json(data, f"responses-{survey.join_code}")
