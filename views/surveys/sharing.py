"""Sharing a survey: its link and QR code, and one-time invitations."""

import io

import segno
from flask import Response, render_template
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from forms.surveys import InvitationsForm
from roundtable import partners, surveys
from roundtable.errors import InvalidInput

from ..helpers import attach_error, store
from ..links import public_url
from ..security import permission_required
from .common import bp, survey_or_404


@bp.get("/<survey_id>/share")
@permission_required("facilitate")
def share(survey_id):
    """A printable page: link, join code in large type, and a QR code."""
    survey = survey_or_404(survey_id)
    return render_template(
        "surveys/share.html",
        survey=survey,
        join_url=public_url("respond.join"),
        link=public_url("respond.survey", token=survey.share_token),
    )


@bp.get("/<survey_id>/qr.svg")
@permission_required("facilitate")
def qr_code(survey_id):
    """The QR code of the survey's share link, as SVG."""
    survey = survey_or_404(survey_id)
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
    survey = survey_or_404(survey_id)
    form = InvitationsForm()
    roster = partners.list_partners(store(), active_only=True)
    form.partner.choices = _partner_choices(roster)
    codes = []
    if form.validate_on_submit():
        try:
            codes = surveys.create_invitations(store(), survey.id, form.count.data, form.partner.data or None)
        except InvalidInput as error:
            attach_error(form, error)
    return _invitations_page(form, survey, roster, codes)


def _invitations_page(form, survey, roster, codes):
    """The invitations page: the codes just made, with their links and partner, and how many of all are used."""
    used, issued = surveys.invitation_counts(store(), survey.id)
    partner = next((p for p in roster if p.id == form.partner.data), None) if codes else None
    return render_template(
        "surveys/invitations.html",
        form=form,
        survey=survey,
        codes=codes,
        used=used,
        issued=issued,
        partner=partner,
        links=_invitation_links(survey, codes),
    ), (400 if form.errors else 200)
