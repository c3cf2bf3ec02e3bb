"""What the meeting views share: their blueprint, finding the meeting, names and labels, the form's texts."""

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import gettext as _

from roundtable import meetings, partners
from roundtable.languages import LANGUAGES

from ..helpers import or_404, store
from ..labels import type_label

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def meeting_or_404(meeting_id):
    """The meeting with this id, or a 404."""
    return or_404(meetings.get_meeting(store(), meeting_id))


def back(meeting_id, anchor=""):
    """Back to the meeting's agenda (at ``anchor``), after a POST."""
    return redirect(url_for(".agenda", meeting_id=meeting_id) + anchor, code=303)


def to_screen(meeting_id):
    """On to the projector screen, after a POST."""
    return redirect(url_for(".screen", meeting_id=meeting_id), code=303)


def partner_names():
    """Every partner's name by id, former partners too (old rounds name them)."""
    return {p.id: p.name for p in partners.list_partners(store())}


def type_labels():
    """Every partner type's label by key, in the visitor's language."""
    return {t.key: type_label(t) for t in partners.partner_types(store())}


def anonymity_k():
    """The smallest group a figure may describe (``ANONYMITY_K``)."""
    return current_app.config["ANONYMITY_K"]


def form_errors(form):
    """A form's errors, as one message to flash."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def texts_from_form(default, text, field="text"):
    """Gather a text in the default language, and in any other language the form filled in (``<field>_<code>``)."""
    texts = {code: request.form.get(f"{field}_{code}", "") for code in LANGUAGES if code != default}
    texts[default] = text
    return {code: value for code, value in texts.items() if value and value.strip()}


def numbered(meeting, proposal_id):
    """(its number on the agenda, the proposal), or (None, None) for a proposal not on it."""
    return next(
        ((number, p) for number, p in enumerate(meeting["proposals"], start=1) if p["id"] == proposal_id), (None, None)
    )


def seat_labels(meeting, names):
    """The seats taken, each with what the facilitator reads on its release button, by name."""
    types = type_labels()
    labelled = [(_seat_name(s, names, types), s["id"]) for s in meetings.seats_taken(store(), meeting["id"])]
    return [
        {"id": seat_id, "label": label if number is None else _("%(name)s, seat %(number)s", name=label, number=number)}
        for seat_id, label, number in meetings.number_alike(labelled)
    ]


def _seat_name(seat, names, types):
    """What a seat is called: its partner's name, or its partner type's."""
    if seat["partner"]:
        return names.get(seat["partner"], "?")
    return _("%(type)s (partner type only)", type=types.get(seat["partner_type"], seat["partner_type"]))
