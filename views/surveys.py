"""Facilitators build, share and open surveys."""

import io

import segno
from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from forms.surveys import (
    ActionForm,
    InvitationsForm,
    QuestionForm,
    RewordForm,
    SurveyForm,
)
from roundtable import partners, surveys
from roundtable.errors import InvalidInput
from roundtable.languages import LANGUAGES
from roundtable.survey_templates import TEMPLATES

from .confirm import confirm_page, confirmed
from .helpers import attach_error, or_404, store
from .i18n import localized
from .links import public_url
from .messages import message_for
from .security import permission_required

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def _survey(survey_id):
    return or_404(surveys.get_survey(store(), survey_id))


def _survey_question(survey_id, question_id):
    survey = _survey(survey_id)
    return survey, or_404(survey.question(question_id))


def _editing_language(survey):
    code = request.args.get("lang", "")
    return code if code in LANGUAGES else (survey.default_language if survey else "en")


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@bp.get("/")
@permission_required("read_dashboards")
def survey_list():
    """Every survey (leaders go on to results), and the templates to start from."""
    everything = surveys.list_surveys(store())
    counts = {s.id: surveys.response_count(store(), s.id) for s in everything}
    return render_template("surveys/list.html", surveys=everything, counts=counts, templates=TEMPLATES,
                           action=ActionForm())


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

    return dict(title=merged("title"), default_language=form.default_language.data, attribution=form.attribution.data,
                phase=form.phase.data or None, intro=merged("intro"), closing=merged("closing"),
                invitations_only=form.invitations_only.data)


def _details_form(survey, language):
    """The details form, filled with the survey's settings and its texts in ``language`` when first shown."""
    return SurveyForm(data={
        "title": survey.title.get(language, ""), "intro": survey.intro.get(language, ""),
        "closing": survey.closing.get(language, ""), "default_language": survey.default_language,
        "attribution": survey.attribution, "phase": survey.phase or "", "invitations_only": survey.invitations_only,
    } if request.method == "GET" else None)


@bp.route("/new", methods=["GET", "POST"])
@permission_required("facilitate")
def survey_new():
    """A new survey from scratch."""
    form = SurveyForm()
    language = _editing_language(None)
    if request.method == "GET":
        form.default_language.data = language
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
        400 if form.errors else 200)


@bp.route("/<survey_id>/details", methods=["GET", "POST"])
@permission_required("facilitate")
def survey_edit(survey_id):
    """Edit a survey's settings and its texts in one language."""
    survey = _survey(survey_id)
    language = _editing_language(survey)
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
        400 if form.errors else 200)


@bp.get("/<survey_id>")
@permission_required("facilitate")
def builder(survey_id):
    """The survey builder: questions, languages, sharing and status."""
    survey = _survey(survey_id)
    answered = surveys.answered_questions(store(), survey.id)
    return render_template(
        "surveys/builder.html", survey=survey, action=ActionForm(), answered=answered,
        responses=surveys.response_count(store(), survey.id),
        invitations=surveys.invitation_counts(store(), survey.id),
    )


def _question_args(form, question, language, default_language):
    # An answered question's form (RewordForm) has no kind or required flag: they stay as they are.
    meaning = (form.kind.data, form.required.data) if "kind" in form else None
    return surveys.merged_question(question, language, default_language, form.text.data, form.help.data,
                                   _lines(form.choices.data), meaning)


def _question_form(question, language, answered):
    """The question's form (only its wording once answered), filled with its texts in ``language`` when first shown."""
    return (RewordForm if answered else QuestionForm)(data={
        "kind": question.kind, "text": question.text.get(language, ""), "help": question.help.get(language, ""),
        "required": question.required,
        "choices": "\n".join(c["text"].get(language, "") for c in question.choices),
    } if request.method == "GET" else None)


@bp.route("/<survey_id>/questions/new", methods=["GET", "POST"])
@permission_required("facilitate")
def question_new(survey_id):
    """Add a question."""
    survey = _survey(survey_id)
    language = survey.default_language
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            surveys.add_question(store(), survey.id, **_question_args(form, None, language, language))
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Question added."))
            return redirect(url_for(".builder", survey_id=survey.id) + "#questions", code=303)
    return render_template("surveys/question.html", form=form, survey=survey, question=None, language=language), (
        400 if form.errors else 200)


@bp.route("/<survey_id>/questions/<question_id>", methods=["GET", "POST"])
@permission_required("facilitate")
def question_edit(survey_id, question_id):
    """Edit a question's texts in one language (and, in the default language, its kind and choices).

    Once the question has answers, only its wording: the domain keeps each correction as a revision.
    """
    survey, question = _survey_question(survey_id, question_id)
    language = _editing_language(survey)
    answered = question.id in surveys.answered_questions(store(), survey.id)
    form = _question_form(question, language, answered)
    if form.validate_on_submit():
        try:
            surveys.update_question(store(), survey.id, question.id,
                                    **_question_args(form, question, language, survey.default_language))
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Question saved."))
            return redirect(url_for(".builder", survey_id=survey.id) + "#questions", code=303)
    return render_template("surveys/question.html", form=form, survey=survey, question=question,
                           language=language, answered=answered), 400 if form.errors else 200


def _question_actions(survey_id, question_id):
    return {
        "up": lambda: surveys.move_question(store(), survey_id, question_id, -1),
        "down": lambda: surveys.move_question(store(), survey_id, question_id, +1),
        "duplicate": lambda: surveys.duplicate_question(store(), survey_id, question_id),
        "delete": lambda: surveys.delete_question(store(), survey_id, question_id),
    }


def _confirm_delete(survey, question_id):
    number = [q.id for q in survey.questions].index(question_id) + 1
    return confirm_page("question_delete", url_for(".builder", survey_id=survey.id, _anchor=f"q-{question_id}"),
                        number=number, text=localized(survey.question(question_id).text, survey.default_language).text)


@bp.post("/<survey_id>/questions/<question_id>/<action>")
@permission_required("facilitate")
def question_action(survey_id, question_id, action):
    """Move, duplicate or delete a question."""
    survey, _question = _survey_question(survey_id, question_id)
    act = or_404(_question_actions(survey.id, question_id).get(action))
    if ActionForm().validate_on_submit():
        if action == "delete" and not confirmed():
            return _confirm_delete(survey, question_id)
        try:
            act()
        except InvalidInput as error:
            flash(message_for(error))
            return redirect(url_for(".builder", survey_id=survey.id) + "#questions", code=303)
    return redirect(url_for(".builder", survey_id=survey.id) + f"#q-{question_id}", code=303)


@bp.post("/<survey_id>/status/<status>")
@permission_required("facilitate")
def survey_status(survey_id, status):
    """Open or close a survey."""
    survey = _survey(survey_id)
    if status not in ("open", "closed"):
        return redirect(url_for(".builder", survey_id=survey.id), code=303)
    if ActionForm().validate_on_submit():
        if status == "closed" and survey.status == "open" and not confirmed():
            return confirm_page("survey_close", url_for(".builder", survey_id=survey.id))
        try:
            surveys.set_status(store(), survey.id, status)
        except InvalidInput as error:
            flash(message_for(error))
        else:
            flash(_("The survey is open: share its link or code.") if status == "open"
                  else _("The survey is closed; no more responses are accepted."))
    return redirect(url_for(".builder", survey_id=survey.id), code=303)


@bp.post("/<survey_id>/duplicate")
@permission_required("facilitate")
def survey_duplicate(survey_id):
    """Copy a survey into a new draft."""
    survey = _survey(survey_id)
    if ActionForm().validate_on_submit():
        copy = surveys.duplicate_survey(store(), survey.id)
        flash(_("This is a copy of the survey, as a draft with no responses."))
        return redirect(url_for(".builder", survey_id=copy.id), code=303)
    return redirect(url_for(".builder", survey_id=survey.id), code=303)


@bp.get("/<survey_id>/preview")
@permission_required("facilitate")
def preview(survey_id):
    """The survey as a participant sees it; nothing can be submitted."""
    from .respond import render_survey

    return render_survey(_survey(survey_id), preview=True)


@bp.get("/<survey_id>/share")
@permission_required("facilitate")
def share(survey_id):
    """A printable page: link, join code in large type, and a QR code."""
    survey = _survey(survey_id)
    return render_template("surveys/share.html", survey=survey, join_url=public_url("respond.join"),
                           link=public_url("respond.survey", token=survey.share_token))


@bp.get("/<survey_id>/qr.svg")
@permission_required("facilitate")
def qr_code(survey_id):
    """The QR code of the survey's share link, as SVG."""
    survey = _survey(survey_id)
    link = public_url("respond.survey", token=survey.share_token)
    output = io.BytesIO()
    segno.make(link, error="m").save(output, kind="svg", scale=8, border=2, title=_("QR code of the survey link"))
    return Response(output.getvalue(), mimetype="image/svg+xml")


def _partner_choices(roster):
    return [SelectChoice("", _("Any partner"))] + [SelectChoice(p.id, p.name) for p in roster]


def _invitation_links(survey, codes):
    # The code goes after "#": browsers never send it, so no server or proxy log holds it.
    return {code: public_url("respond.survey", token=survey.share_token, _anchor=f"invite={code}") for code in codes}


@bp.route("/<survey_id>/invitations", methods=["GET", "POST"])
@permission_required("facilitate")
def invitations(survey_id):
    """Generate single-use invitation codes, shown once to print or send."""
    survey = _survey(survey_id)
    form = InvitationsForm()
    roster = partners.list_partners(store(), active_only=True)
    form.partner.choices = _partner_choices(roster)
    codes = []
    if form.validate_on_submit():
        try:
            codes = surveys.create_invitations(store(), survey.id, form.count.data, form.partner.data or None)
        except InvalidInput as error:
            attach_error(form, error)
    used, issued = surveys.invitation_counts(store(), survey.id)
    partner = next((p for p in roster if p.id == form.partner.data), None) if codes else None
    return render_template("surveys/invitations.html", form=form, survey=survey, codes=codes, used=used,
                           issued=issued, partner=partner, links=_invitation_links(survey, codes)), (
        400 if form.errors else 200)
