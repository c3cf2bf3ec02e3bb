"""The facilitator's actions in the room: open, translate and close a round, decide; seats and proxies.

Each is a POST that parses its form, calls one domain function and says what
happened (``views/actions.py``); one that cannot be undone is confirmed first.
"""

from flask import request, url_for
from flask_babel import gettext as _

from forms.meetings import AmendForm, DecisionForm, TranslateForm
from forms.surveys import ActionForm
from roundtable import meetings
from roundtable.errors import InvalidInput
from roundtable.languages import LANGUAGES

from ..actions import act
from ..confirm import confirm_page, confirmed
from ..helpers import store
from ..messages import message_for
from ..security import permission_required
from .common import (
    back,
    bp,
    form_errors,
    meeting_or_404,
    numbered,
    partner_names,
    seat_labels,
    texts_from_form,
    to_screen,
)


@bp.post("/<meeting_id>/proposals/<proposal_id>/open")
@permission_required("facilitate")
def round_open(meeting_id, proposal_id):
    """Open the proposal's next round, amended or not."""
    meeting = meeting_or_404(meeting_id)
    form = AmendForm()
    if form.validate_on_submit() and meetings.reopens(meeting, proposal_id) and not confirmed():
        return _confirm_reopen(meeting, proposal_id)
    act(
        form,
        lambda f: _open_round(meeting, proposal_id, f),
        _("Voting is open. Participants' phones show the proposal now."),
        invalid=form_errors,
    )
    return to_screen(meeting_id)


def _confirm_reopen(meeting, proposal_id):
    """Ask before opening another round of a proposal whose round closed: which round, of which proposal."""
    number, proposal = numbered(meeting, proposal_id)
    return confirm_page(
        "round_reopen",
        url_for(".agenda", meeting_id=meeting["id"], _anchor=f"p-{proposal_id}"),
        round=len(proposal["rounds"]) + 1,
        proposal=number,
    )


def _open_round(meeting, proposal_id, form):
    """Open the round with the form's text (amended, in any language given), and the languages to come later."""
    texts = texts_from_form(meeting["default_language"], form.text.data) or None
    later = {code for code in LANGUAGES if request.form.get(f"later_{code}")}
    return meetings.open_round(store(), meeting["id"], proposal_id, texts, later)


@bp.post("/<meeting_id>/proposals/<proposal_id>/translate")
@permission_required("facilitate")
def proposal_translate(meeting_id, proposal_id):
    """Give the current round its text in a language it lacks; phones show it at their next look."""
    meeting_or_404(meeting_id)
    act(
        TranslateForm(),
        lambda f: meetings.translate_round(store(), meeting_id, proposal_id, f.language.data, f.text.data),
        _("The translation is added."),
        invalid=form_errors,
    )
    return back(meeting_id, f"#p-{proposal_id}")


@bp.post("/<meeting_id>/close")
@permission_required("facilitate")
def round_close(meeting_id):
    """Close the open round and compute its outcome; the screen then shows it."""
    meeting = meeting_or_404(meeting_id)
    if ActionForm().validate_on_submit() and meeting["current"] and not confirmed():
        return confirm_page(
            "round_close",
            url_for(".screen", meeting_id=meeting_id),
            round=meeting["current"]["round"],
            proposal=numbered(meeting, meeting["current"]["proposal"])[0],
        )
    act(ActionForm(), lambda _f: meetings.close_round(store(), meeting_id), _("The round is closed."))
    # Closed from the projector screen, back to it: the room sees the result.
    return to_screen(meeting_id)


@bp.post("/<meeting_id>/proposals/<proposal_id>/decision")
@permission_required("facilitate")
def decision(meeting_id, proposal_id):
    """Record the final decision on a proposal."""
    meeting_or_404(meeting_id)
    act(
        DecisionForm(),
        lambda f: meetings.record_decision(store(), meeting_id, proposal_id, f.decision.data, f.rationale.data),
        _("Decision recorded."),
        invalid=lambda _f: message_for(InvalidInput("decision_unknown")),
    )
    return back(meeting_id, f"#p-{proposal_id}")


@bp.post("/<meeting_id>/end")
@permission_required("facilitate")
def meeting_end(meeting_id):
    """End the meeting: every seat is forgotten."""
    meeting_or_404(meeting_id)
    if ActionForm().validate_on_submit() and not confirmed():
        return confirm_page("meeting_end", url_for(".agenda", meeting_id=meeting_id))
    act(
        ActionForm(),
        lambda _f: meetings.end_meeting(store(), meeting_id),
        _("The meeting has ended; participants' seats are forgotten."),
    )
    return back(meeting_id)


@bp.post("/<meeting_id>/release")
@permission_required("facilitate")
def seat_release(meeting_id):
    """Release a seat (a lost phone, a seat taken by the wrong device): another device can take it."""
    meeting = meeting_or_404(meeting_id)
    seat_id = request.form.get("seat", "")
    seat = next((s for s in seat_labels(meeting, partner_names()) if s["id"] == seat_id), None)
    if seat and ActionForm().validate_on_submit() and not confirmed():
        return confirm_page(
            "seat_release", url_for(".agenda", meeting_id=meeting_id, _anchor="seats"), name=seat["label"]
        )
    act(
        ActionForm(),
        lambda _f: meetings.release_seat(store(), meeting_id, seat_id),
        _("The seat is released: another device can take it now."),
    )
    return back(meeting_id, "#seats")


@bp.post("/<meeting_id>/proxies")
@permission_required("facilitate")
def proxy_give(meeting_id):
    """Record that an absent partner gives its proxy to a partner in the room."""
    meeting_or_404(meeting_id)
    act(
        ActionForm(),
        lambda _f: meetings.give_proxy(
            store(), meeting_id, request.form.get("absent", ""), request.form.get("holder", "")
        ),
        _("The proxy is recorded."),
    )
    return back(meeting_id, "#proxies")


@bp.post("/<meeting_id>/proxies/withdraw")
@permission_required("facilitate")
def proxy_withdraw(meeting_id):
    """Withdraw an absent partner's proxy (between rounds): it may take a seat again."""
    meeting_or_404(meeting_id)
    act(
        ActionForm(),
        lambda _f: meetings.withdraw_proxy(store(), meeting_id, request.form.get("absent", "")),
        _("The proxy is withdrawn."),
    )
    return back(meeting_id, "#proxies")
