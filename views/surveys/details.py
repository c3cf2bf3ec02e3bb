"""Facilitators' surveys: the list, a new one (blank or from a template), its details, status, copy and preview."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forms.surveys import ActionForm, SurveyForm
from roundtable import surveys
from roundtable.errors import InvalidInput
from roundtable.survey_templates import TEMPLATES

from ..actions import act
from ..confirm import confirm_page, confirmed
from ..helpers import attach_error, or_404, store
from ..security import permission_required
from .common import bp, editing_language, survey_or_404


@bp.get("/")
@permission_required("read_dashboards")
def survey_list():
    """Every survey (leaders go on to results), and the templates to start from."""
    everything = surveys.list_surveys(store())
    counts = {s.id: surveys.response_count(store(), s.id) for s in everything}
    return render_template(
        "surveys/list.html", surveys=everything, counts=counts, templates=TEMPLATES, action=ActionForm()
    )


@bp.post("/from-template/<key>")
@permission_required("facilitate")
def from_template(key):
    """Start a draft survey from a ready-made template, in one click."""
    template = or_404(TEMPLATES.get(key))
    if ActionForm().validate_on_submit():
        survey = surveys.create_from_template(store(), template, key=key)
        flash(_("A draft survey was made from the template. Review it, then open it to responses."))
        return redirect(url_for(".builder", survey_id=survey.id), code=303)
    return redirect(url_for(".survey_list"), code=303)


def _details_from(form, survey, language):
    def merged(field):
        return surveys.merged_texts(getattr(survey, field) if survey else {}, language, form[field].data)

    return dict(
        title=merged("title"),
        default_language=form.default_language.data,
        attribution=form.attribution.data,
        phase=form.phase.data or None,
        intro=merged("intro"),
        closing=merged("closing"),
        invitations_only=form.invitations_only.data,
    )


def _details_form(survey, language):
    """The details form, filled with the survey's settings and its texts in ``language`` when first shown."""
    return SurveyForm(
        data={
            "title": survey.title.get(language, ""),
            "intro": survey.intro.get(language, ""),
            "closing": survey.closing.get(language, ""),
            "default_language": survey.default_language,
            "attribution": survey.attribution,
            "phase": survey.phase or "",
            "invitations_only": survey.invitations_only,
        }
        if request.method == "GET"
        else None
    )


def _new_survey_form(language):
    """The new survey's form, in ``language`` by default when first shown."""
    form = SurveyForm()
    if request.method == "GET":
        form.default_language.data = language
    return form


@bp.route("/new", methods=["GET", "POST"])
@permission_required("facilitate")
def survey_new():
    """A new survey from scratch."""
    language = editing_language(None)
    form = _new_survey_form(language)
    if form.validate_on_submit():
        language = form.default_language.data
        try:
            survey = surveys.create_survey(store(), **_details_from(form, None, language))
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Survey created. Now add its questions."))
            return redirect(url_for(".builder", survey_id=survey.id), code=303)
    return render_template("surveys/details.html", form=form, survey=None, language=language), (
        400 if form.errors else 200
    )


@bp.route("/<survey_id>/details", methods=["GET", "POST"])
@permission_required("facilitate")
def survey_edit(survey_id):
    """Edit a survey's settings and its texts in one language."""
    survey = survey_or_404(survey_id)
    language = editing_language(survey)
    form = _details_form(survey, language)
    if form.validate_on_submit():
        try:
            surveys.update_details(store(), survey.id, **_details_from(form, survey, language))
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Survey saved."))
            return redirect(url_for(".builder", survey_id=survey.id), code=303)
    return render_template("surveys/details.html", form=form, survey=survey, language=language), (
        400 if form.errors else 200
    )


@bp.get("/<survey_id>")
@permission_required("facilitate")
def builder(survey_id):
    """The survey builder: questions, languages, sharing and status."""
    survey = survey_or_404(survey_id)
    answered = surveys.answered_questions(store(), survey.id)
    return render_template(
        "surveys/builder.html",
        survey=survey,
        action=ActionForm(),
        answered=answered,
        responses=surveys.response_count(store(), survey.id),
        invitations=surveys.invitation_counts(store(), survey.id),
    )


@bp.post("/<survey_id>/status/<status>")
@permission_required("facilitate")
def survey_status(survey_id, status):
    """Open or close a survey."""
    survey = survey_or_404(survey_id)
    back = url_for(".builder", survey_id=survey.id)
    if status not in ("open", "closed"):
        return redirect(back, code=303)
    if status == "closed" and survey.status == "open" and ActionForm().validate_on_submit() and not confirmed():
        return confirm_page("survey_close", back)
    act(ActionForm(), lambda _form: surveys.set_status(store(), survey.id, status), _status_changed(status))
    return redirect(back, code=303)


def _status_changed(status):
    """What the facilitator is told once the survey is ``status``."""
    if status == "open":
        return _("The survey is open: share its link or code.")
    return _("The survey is closed; no more responses are accepted.")


@bp.post("/<survey_id>/duplicate")
@permission_required("facilitate")
def survey_duplicate(survey_id):
    """Copy a survey into a new draft."""
    survey = survey_or_404(survey_id)
    if ActionForm().validate_on_submit():
        copy = surveys.duplicate_survey(store(), survey.id)
        flash(_("This is a copy of the survey, as a draft with no responses."))
        return redirect(url_for(".builder", survey_id=copy.id), code=303)
    return redirect(url_for(".builder", survey_id=survey.id), code=303)


@bp.get("/<survey_id>/preview")
@permission_required("facilitate")
def preview(survey_id):
    """The survey as a participant sees it; nothing can be submitted."""
    from ..respond import render_survey

    return render_survey(survey_or_404(survey_id), preview=True)
