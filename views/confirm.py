"""Confirm before anything irreversible: what each such action does, said once, for the page and the dialog.

A form whose action cannot be taken back posts as usual. Without a
``confirmed`` field, the view answers with a confirm page (``confirm_page``)
that says what will happen and carries the same form, plus ``confirmed``, and
a Cancel link back; nothing changes until that POST. With JavaScript, the
form carries the same words (``confirm_attributes`` in templates/_forms.html)
and static/js/confirm.js asks in a ``<dialog>`` first, then posts with
``confirmed``.
"""

import dataclasses

from flask import render_template, request
from flask_babel import gettext as _

from .messages import N_

# key: (heading, what happens, the confirm button); placeholders are filled per use.
ACTIONS = {
    "round_close": (
        N_("Close round %(round)s of proposal %(proposal)s?"),
        N_(
            "No more ballots are accepted in this round. Its result is computed and shown on the screen. "
            "A closed round cannot be opened again; you can open a next round."
        ),
        N_("Close the round and show the result"),
    ),
    "round_reopen": (
        N_("Open round %(round)s of proposal %(proposal)s?"),
        N_(
            "Participants vote again on the proposal, as amended. The result of the round before stays in the "
            "minutes; this round cannot be taken back once it is open."
        ),
        N_("Open round %(round)s of proposal %(proposal)s"),
    ),
    "meeting_end": (
        N_("End the meeting?"),
        N_(
            "Every seat is forgotten: participants' phones leave the meeting, and each must take its seat "
            "again to vote. This cannot be undone."
        ),
        N_("End the meeting for everyone"),
    ),
    "seat_release": (
        N_("Release the seat of %(name)s?"),
        N_(
            "The device that holds this seat can no longer vote; the next device to choose %(name)s takes the "
            "seat. A ballot already cast in the open round stands."
        ),
        N_("Release the seat of %(name)s"),
    ),
    "survey_close": (
        N_("Close the survey?"),
        N_(
            "Nobody can respond any more: the link, the join code and unused invitations stop working. "
            "Someone answering right now loses their answers."
        ),
        N_("Close the survey: no more responses"),
    ),
    "question_delete": (
        N_("Delete question %(number)s?"),
        N_("“%(text)s” is removed from the survey, in every language. This cannot be undone."),
        N_("Delete question %(number)s"),
    ),
    "partner_deactivate": (
        N_("Deactivate %(name)s?"),
        N_(
            "%(name)s is no longer offered to participants in surveys and meetings, nor counted in coverage. "
            "What it said before stays. You can reactivate it later."
        ),
        N_("Deactivate %(name)s"),
    ),
    "account_disable": (
        N_("Disable the account of %(name)s?"),
        N_("%(name)s is logged out at once and can no longer log in. An administrator can enable the account again."),
        N_("Disable the account of %(name)s"),
    ),
}


@dataclasses.dataclass(frozen=True)
class Confirmation:
    """What the confirm page or dialog says: its heading, what happens, and the confirm button."""

    title: str
    text: str
    button: str


def confirmation(key, **values):
    """The words for the action ``key``, in the visitor's language."""
    return Confirmation(*(_(message, **values) for message in ACTIONS[key]))


def confirmed():
    """Whether this POST carries the confirmation (from the confirm page or the dialog)."""
    return request.form.get("confirmed") == "1"


def confirm_page(key, back, **values):
    """The confirm page: the words for ``key``, the same form again with ``confirmed``, a Cancel link to ``back``."""
    fields = [
        (name, value) for name, value in request.form.items(multi=True) if name not in ("csrf_token", "confirmed")
    ]
    return render_template(
        "confirm.html",
        confirmation=confirmation(key, **values),
        back=back,
        fields=fields,
        action=request.script_root + request.path,
    )


def init_app(app):
    """Let templates read the words (the dialog's, on the forms that open it)."""
    app.add_template_global(confirmation)
