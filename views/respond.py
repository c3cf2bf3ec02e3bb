"""Participants join, answer a survey and check their receipt: no account, no name."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, TimestampSigner
from werkzeug.exceptions import RequestEntityTooLarge

from roundtable import joining, partners, retries, surveys
from roundtable.errors import InvalidInput

from .helpers import cookie_flags, or_404, store
from .labels import type_label
from .messages import message_for

bp = Blueprint("respond", __name__)

FIELD_PREFIX = "q-"
# The receipt code travels to the thanks page in a cookie of its own, signed,
# sent only to that page and gone once shown (or after ten minutes).
RECEIPT_COOKIE = "receipt"
RECEIPT_SECONDS = 600
# A response sent again (bad Wi-Fi) is stored once; its retry's thanks page says so, without a new receipt.
AGAIN_COOKIE = "received_before"


def _receipt_signer():
    # One signer per app: making one costs more than signing with it.
    app = current_app._get_current_object()
    signer = app.extensions.get("roundtable.receipt_signer")
    if signer is None:
        signer = app.extensions["roundtable.receipt_signer"] = TimestampSigner(app.secret_key, salt="receipt")
    return signer


def _attribution_choices(survey):
    if survey.attribution == "partner":
        return [(p.id, p.name) for p in partners.list_partners(store(), active_only=True)]
    if survey.attribution == "partner_type":
        return [(t.key, type_label(t)) for t in partners.partner_types(store())]
    return []


def render_survey(survey, preview=False, values=None, errors=None, form_error=None, status=200):
    """The survey form, with what was typed kept and every error shown next to its question."""
    errors = {key: message_for(error) for key, error in (errors or {}).items()}
    return render_template(
        "respond/survey.html",
        survey=survey,
        preview=preview,
        values=values or {},
        errors=errors,
        form_error=form_error,
        attribution_choices=_attribution_choices(survey),
        # Never from the address: invitation links carry the code after "#", which invite.js reads.
        invitation=(values or {}).get("invitation", ""),
    ), status


@bp.route("/join", methods=["GET", "POST"])
def join():
    """Type the short code the facilitator shows, and go to the survey (posted: no code in any address)."""
    code = request.form.get("code") if request.method == "POST" else None
    if code is None:
        return render_template("respond/join.html", code="", error=None)
    table, found = joining.find(store(), code)
    if found is None:
        error = _("No survey or meeting has this code. Please check it and try again.")
        return render_template("respond/join.html", code=code[:20], error=error), 404
    target = (
        url_for("vote.meeting", token=found["share_token"])
        if table == "meetings"
        else url_for(".survey", token=found["share_token"])
    )
    return redirect(target, code=303)


def _closed(survey, status):
    return render_template("respond/closed.html", survey=survey), status


def _posted(survey):
    """What the participant sent: answers by question id, the attribution and the invitation, as typed."""
    form = request.form
    submitted = {key[len(FIELD_PREFIX) :]: form.getlist(key) for key in form if key.startswith(FIELD_PREFIX)}
    if surveys.too_many_answers(survey, submitted):
        raise RequestEntityTooLarge()
    return {
        "answers": submitted,
        "partner": form.get("partner", ""),
        "partner_type": form.get("partner_type", ""),
        "invitation": form.get("invitation", ""),
    }


def _store_and_thank(survey, answers, values):
    """Store checked answers and go to the thanks page, the receipt code in a cookie for that page only."""
    receipt = surveys.submit_response(
        store(),
        survey,
        answers,
        partner_id=values["partner"] or None,
        partner_type=values["partner_type"] or None,
        invitation=values["invitation"],
        secret=current_app.secret_key,
        client_id=request.form.get("client_id"),
    )
    return _to_thanks(survey, RECEIPT_COOKIE, receipt and _receipt_signer().sign(receipt).decode())


def _refused(survey, values, errors):
    """The form again, each error beside its question (one naming no question of the survey goes above it)."""
    beside, above = surveys.placed_errors(errors)
    return render_survey(
        survey, values=values, errors=beside, form_error=message_for(above) if above else None, status=400
    )


def _not_stored(survey, values, error):
    if error.code == "survey_closed":
        return _closed(survey, 410)
    field_errors = {error.field: error} if error.field else {}
    return render_survey(
        survey, values=values, errors=field_errors, form_error=None if field_errors else message_for(error), status=400
    )


def _to_thanks(survey, cookie, value):
    """Go to the thanks page, carrying ``value`` in ``cookie``, sent only to that page (none when no value)."""
    thanks_page = url_for(".thanks", token=survey.share_token)
    response = redirect(thanks_page, code=303)
    if value:
        response.set_cookie(cookie, value, max_age=RECEIPT_SECONDS, path=thanks_page, **cookie_flags())
    return response


@bp.route("/s/<token>", methods=["GET", "POST"])
def survey(token):
    """Answer a survey; a plain form post that works without JavaScript."""
    survey = or_404(surveys.by_share_token(store(), token))
    if not survey.is_open:
        return _closed(survey, 410 if survey.status == "closed" else 404)
    if request.method == "GET":
        return render_survey(survey)
    values = _posted(survey)
    answers, errors = surveys.validate_answers(survey, values["answers"])
    if errors:
        return _refused(survey, values, errors)
    try:
        return _store_and_thank(survey, answers, values)
    except retries.AlreadyReceived:
        return _to_thanks(survey, AGAIN_COOKIE, "1")
    except InvalidInput as error:
        return _not_stored(survey, values, error)


def _unsigned_receipt(signed):
    try:
        return _receipt_signer().unsign(signed, max_age=RECEIPT_SECONDS).decode()
    except BadSignature:
        return None


@bp.get("/s/<token>/thanks")
def thanks(token):
    """Thank the participant and give them their receipt code, once."""
    survey = or_404(surveys.by_share_token(store(), token))
    signed = request.cookies.get(RECEIPT_COOKIE)
    receipt = _unsigned_receipt(signed) if signed else None
    again = request.cookies.get(AGAIN_COOKIE) == "1"
    response = current_app.make_response(
        render_template("respond/thanks.html", survey=survey, receipt=receipt, again=again)
    )
    for cookie, sent in ((RECEIPT_COOKIE, signed), (AGAIN_COOKIE, again)):
        if sent:
            response.delete_cookie(cookie, path=request.path, **cookie_flags())
    return response


@bp.route("/receipt", methods=["GET", "POST"])
def receipt():
    """Check, with a receipt code, that a response was counted; nothing else is revealed."""
    if request.method == "GET":
        return render_template("respond/receipt.html", code="", found=None, checked=False)
    code = request.form.get("code", "")[:64]
    found = surveys.check_receipt(store(), code, secret=current_app.secret_key)
    return render_template("respond/receipt.html", code=code, found=found, checked=True), 200 if found else 404
