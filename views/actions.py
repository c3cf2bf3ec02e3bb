"""The shape of a staff action: parse the form, call the domain, say what happened."""

from flask import flash

from roundtable.errors import InvalidInput

from .messages import message_for


def _flash_refusal(_form, error):
    flash(message_for(error))


def act(form, action, success, refused=_flash_refusal, invalid=None):
    """Run ``action(form)`` on a valid form and flash ``success``; return its result (None if it did not run).

    A domain refusal is flashed in the visitor's words, or handed to
    ``refused(form, error)`` (``helpers.attach_error`` puts it on a form shown
    again). An invalid form runs nothing and flashes ``invalid(form)``, if given.
    """
    if not form.validate_on_submit():
        if invalid is not None:
            flash(invalid(form))
        return None
    try:
        result = action(form)
    except InvalidInput as error:
        refused(form, error)
        return None
    flash(success)
    return result
