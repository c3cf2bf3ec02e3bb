"""Administrators manage staff accounts."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.admin import AccountEditForm, AccountForm
from roundtable import accounts
from roundtable.errors import InvalidInput

from .actions import act
from .confirm import confirm_page, confirmed
from .helpers import attach_error, or_404, store
from .security import permission_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/accounts", methods=["GET", "POST"])
@permission_required("manage_accounts")
def account_list():
    """List accounts and create new ones."""
    form = AccountForm()
    if form.validate_on_submit():
        try:
            account = accounts.create_account(store(), form.username.data, form.password.data, form.role.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            flash(_("Account “%(name)s” created. Give the password to its owner in person.", name=account.username))
            return redirect(url_for(".account_list"), code=303)
    return render_template("admin/accounts.html", form=form, accounts=accounts.list_accounts(store())), (
        400 if form.errors else 200
    )


@bp.route("/accounts/<account_id>", methods=["GET", "POST"])
@permission_required("manage_accounts")
def account_edit(account_id):
    """Change an account's role or disable it."""
    account = or_404(accounts.get_account(store(), account_id))
    form = AccountEditForm(obj=account)
    if form.validate_on_submit() and account.active and not form.active.data and not confirmed():
        return confirm_page("account_disable", url_for(".account_edit", account_id=account.id), name=account.username)

    def update(form):
        return accounts.update_account(store(), account.id, form.role.data, form.active.data, current_user.account.id)

    if act(form, update, _("Account “%(name)s” updated.", name=account.username), attach_error):
        return redirect(url_for(".account_list"), code=303)
    return render_template("admin/account_edit.html", form=form, account=account), 400 if form.errors else 200
