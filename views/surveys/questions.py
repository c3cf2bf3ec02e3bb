"""A survey's questions: adding, editing (rewording once answered) and moving or deleting one."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forms.surveys import ActionForm, QuestionForm, RewordForm
from roundtable import surveys
from roundtable.errors import InvalidInput

from ..actions import act
from ..confirm import confirm_page, confirmed
from ..helpers import attach_error, or_404, store
from ..i18n import localized
from ..messages import message_for
from ..security import permission_required
from .common import bp, editing_language, lines_of, question_or_404, survey_or_404


def _question_args(form, question, language, default_language):
    # An answered question's form (RewordForm) has no kind or required flag: they stay as they are.
    meaning = (form.kind.data, form.required.data) if "kind" in form else None
    return surveys.merged_question(
        question, language, default_language, form.text.data, form.help.data, lines_of(form.choices.data), meaning
    )


def _question_form(question, language, answered):
    """The question's form (only its wording once answered), filled with its texts in ``language`` when first shown."""
    return (RewordForm if answered else QuestionForm)(
        data={
            "kind": question.kind,
            "text": question.text.get(language, ""),
            "help": question.help.get(language, ""),
            "required": question.required,
            "choices": "\n".join(c["text"].get(language, "") for c in question.choices),
        }
        if request.method == "GET"
        else None
    )


@bp.route("/<survey_id>/questions/new", methods=["GET", "POST"])
@permission_required("facilitate")
def question_new(survey_id):
    """Add a question."""
    survey = survey_or_404(survey_id)
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
        400 if form.errors else 200
    )


@bp.route("/<survey_id>/questions/<question_id>", methods=["GET", "POST"])
@permission_required("facilitate")
def question_edit(survey_id, question_id):
    """Edit a question's texts in one language (and, in the default language, its kind and choices).

    Once the question has answers, only its wording: the domain keeps each correction as a revision.
    """
    survey, question = question_or_404(survey_id, question_id)
    language = editing_language(survey)
    answered = question.id in surveys.answered_questions(store(), survey.id)
    form = _question_form(question, language, answered)

    def save(form):
        return surveys.update_question(
            store(), survey.id, question.id, **_question_args(form, question, language, survey.default_language)
        )

    if act(form, save, _("Question saved."), attach_error):
        return redirect(url_for(".builder", survey_id=survey.id) + "#questions", code=303)
    return render_template(
        "surveys/question.html", form=form, survey=survey, question=question, language=language, answered=answered
    ), 400 if form.errors else 200


def _question_actions(survey_id, question_id):
    return {
        "up": lambda: surveys.move_question(store(), survey_id, question_id, -1),
        "down": lambda: surveys.move_question(store(), survey_id, question_id, +1),
        "duplicate": lambda: surveys.duplicate_question(store(), survey_id, question_id),
        "delete": lambda: surveys.delete_question(store(), survey_id, question_id),
    }


def _confirm_delete(survey, question_id):
    number = [q.id for q in survey.questions].index(question_id) + 1
    return confirm_page(
        "question_delete",
        url_for(".builder", survey_id=survey.id, _anchor=f"q-{question_id}"),
        number=number,
        text=localized(survey.question(question_id).text, survey.default_language).text,
    )


@bp.post("/<survey_id>/questions/<question_id>/<action>")
@permission_required("facilitate")
def question_action(survey_id, question_id, action):
    """Move, duplicate or delete a question."""
    survey, _question = question_or_404(survey_id, question_id)
    run = or_404(_question_actions(survey.id, question_id).get(action))
    if ActionForm().validate_on_submit():
        if action == "delete" and not confirmed():
            return _confirm_delete(survey, question_id)
        try:
            run()
        except InvalidInput as error:
            flash(message_for(error))
            return redirect(url_for(".builder", survey_id=survey.id) + "#questions", code=303)
    return redirect(url_for(".builder", survey_id=survey.id) + f"#q-{question_id}", code=303)
