"""The partner roster: every staff member reads it, administrators change it."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from forms.roster import ImportForm, PartnerForm, PartnerTypeForm, ToggleForm
from roundtable import partners
from roundtable.errors import InvalidInput

from .confirm import confirm_page, confirmed
from .helpers import attach_error, or_404, store
from .labels import type_label
from .messages import message_for
from .security import permission_required

bp = Blueprint("roster", __name__, url_prefix="/partners")


def _type_choices():
    return [SelectChoice(t.key, type_label(t)) for t in partners.partner_types(store())]


def _partner_form(**kwargs):
    form = PartnerForm(**kwargs)
    form.type.choices = [SelectChoice("", _("Choose a type…"))] + _type_choices()
    return form


@bp.get("/")
@permission_required("read_dashboards")
def partners_list():
    """The roster, grouped by nothing, sorted by name."""
    return render_template(
        "roster/partners.html",
        partners=partners.list_partners(store()),
        types={t.key: type_label(t) for t in partners.partner_types(store())},
        toggle=ToggleForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required("manage_roster")
def partner_new():
    """Add a partner."""
    form = _partner_form()
    if form.validate_on_submit():
        try:
            partner = partners.add_partner(
                store(), form.name.data, form.type.data, form.short_name.data, form.active.data
            )
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("“%(name)s” was added to the roster.", name=partner.name))
            return redirect(url_for(".partners_list"), code=303)
    return render_template("roster/partner_form.html", form=form, partner=None), 400 if form.errors else 200


@bp.route("/<partner_id>/edit", methods=["GET", "POST"])
@permission_required("manage_roster")
def partner_edit(partner_id):
    """Edit a partner."""
    partner = or_404(partners.get_partner(store(), partner_id))
    form = _partner_form(obj=partner)
    if form.validate_on_submit():
        try:
            partner = partners.update_partner(
                store(), partner.id, form.name.data, form.type.data, form.short_name.data, form.active.data
            )
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("“%(name)s” was saved.", name=partner.name))
            return redirect(url_for(".partners_list"), code=303)
    return render_template("roster/partner_form.html", form=form, partner=partner), 400 if form.errors else 200


@bp.post("/<partner_id>/active")
@permission_required("manage_roster")
def partner_toggle(partner_id):
    """Activate or deactivate a partner."""
    partner = or_404(partners.get_partner(store(), partner_id))
    if ToggleForm().validate_on_submit():
        if partner.active and not confirmed():
            return confirm_page("partner_deactivate", url_for(".partners_list"), name=partner.display_name)
        partner = partners.set_active(store(), partner.id, not partner.active)
        if partner.active:
            flash(_("“%(name)s” is active again.", name=partner.name))
        else:
            flash(_("“%(name)s” is now inactive.", name=partner.name))
    return redirect(url_for(".partners_list"), code=303)


@bp.route("/import", methods=["GET", "POST"])
@permission_required("manage_roster")
def partner_import():
    """Import partners from CSV: every row, or none with a report of the bad ones."""
    form = ImportForm()
    added, row_errors = _imported(form) if form.validate_on_submit() else (None, [])
    if added is not None:
        flash(ngettext("%(num)d partner was imported.", "%(num)d partners were imported.", len(added)))
        return redirect(url_for(".partners_list"), code=303)
    status = 400 if form.errors or row_errors else 200
    return render_template("roster/import.html", form=form, row_errors=row_errors), status


def _imported(form):
    """Import the form's file: (the partners added, []), or (None, the bad rows) with the form's errors."""
    payload = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    try:
        return partners.import_csv(store(), payload), []
    except partners.ImportRefused as refused:
        return None, _row_errors(form, refused)
    except InvalidInput as error:
        attach_error(form, error)
        form.form_errors.append(_("Nothing was imported."))
        return None, []


def _row_errors(form, refused):
    """The refused file's bad rows as (line, message); the form says nothing was imported, and how many rows to fix."""
    row_errors = [(row.line, message_for(row.error)) for row in refused.errors]
    form.form_errors.append(
        ngettext(
            "Nothing was imported: %(num)d row has a problem. Please correct it and import the file again.",
            "Nothing was imported: %(num)d rows have problems. Please correct them and import the file again.",
            len(row_errors),
        )
    )
    return row_errors


@bp.route("/types", methods=["GET", "POST"])
@permission_required("manage_roster")
def partner_types():
    """List partner types and add this partnership's own."""
    form = PartnerTypeForm()
    if form.validate_on_submit():
        try:
            partner_type = partners.add_partner_type(store(), form.label.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Partner type “%(name)s” was added.", name=partner_type.label))
            return redirect(url_for(".partner_types"), code=303)
    types = [(t, type_label(t)) for t in partners.partner_types(store())]
    return render_template("roster/types.html", form=form, types=types), 400 if form.errors else 200
