"""Translated wording for the domain's refusals (``InvalidInput`` codes)."""

from flask_babel import gettext


def N_(message):
    """Mark ``message`` for extraction; it is translated when shown."""
    return message


MESSAGES = {
    "required": N_("This field is required."),
    "too_long": N_("Please use at most %(max)s characters."),
    "username_format": N_(
        "A username has 3 to 40 characters: letters, digits, dots, dashes or underscores, "
        "starting with a letter or digit."
    ),
    "username_taken": N_("That username is already taken."),
    "password_short": N_("A password needs at least %(min)s characters."),
    "password_long": N_("A password can have at most %(max)s characters."),
    "password_wrong": N_("The current password is not correct."),
    "role_unknown": N_("Please choose one of the roles offered."),
    "setup_done": N_("Roundtable is already set up. Please log in."),
    "account_unknown": N_("That account does not exist."),
    "account_self_demote": N_("You cannot disable your own account or remove your own administrator role."),
    "type_taken": N_("That partner type already exists."),
    "type_unknown": N_("Unknown partner type “%(value)s”."),
    "name_taken": N_("A partner named “%(name)s” is already on the roster."),
    "short_name_taken": N_("Another partner already uses the short name “%(name)s”."),
    "partner_unknown": N_("That partner is not on the roster."),
    "active_value": N_("The “active” column must be yes or no, not “%(value)s”."),
    "csv_encoding": N_("The file is not UTF-8 text. Please save it as “CSV UTF-8” and try again."),
    "csv_malformed": N_("The file is not a readable CSV file."),
    "csv_empty": N_("The file is empty."),
    "csv_header": N_("The first row must name the columns, including “name” and “type”."),
    "csv_no_rows": N_("The file has column names but no partners."),
    "csv_too_many": N_("A file can hold at most %(max)s partners."),
}


def message_for(error):
    """The translated message for an ``InvalidInput``."""
    params = dict(error.params)
    params.setdefault("value", "")
    template = MESSAGES.get(error.code)
    if template is None:
        return gettext("This value is not valid.")
    return gettext(template, **params)
