"""Participants take a seat for their partner and vote from their phones: no account, no name."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from roundtable import meetings, partners, retries
from roundtable.errors import InvalidInput

from .helpers import cookie_flags, or_404, store
from .i18n import localized
from .labels import option_labels, type_label
from .messages import message_for

bp = Blueprint("vote", __name__)

SEAT_HOURS = 12


@bp.app_template_global()
def new_client_id():
    """A fresh id for the form being rendered: one intended submission, which a retry sends again."""
    return retries.new_client_id()


def _cookie(meeting):
    return f"seat_{meeting['id']}"


def _seat(meeting):
    token = request.cookies.get(_cookie(meeting))
    return meetings.seat_for(store(), meeting["id"], current_app.config["SECRET_KEY"], token)


def _by_token(token):
    found = store().find(meetings.TABLE, share_token=token) if token else []
    return or_404(found[0] if found else None)


def _page(meeting, seat, error=None, status=200, values=None):
    names = {p.id: p.name for p in partners.list_partners(store())}
    held = [{"id": p, "name": names.get(p, "?")} for p in meetings.proxies_of(meeting, seat)]
    return render_template(
        "vote/meeting.html",
        meeting=meeting,
        seat=seat,
        current=_current(meeting, seat, names),
        error=error,
        values=values or {},
        roster=partners.list_partners(store(), active_only=True),
        types=[(t.key, type_label(t)) for t in partners.partner_types(store())],
        stage=meetings.live_state(store(), meeting["id"]).stage,
        held=held,
        seat_name=names.get(seat["partner"], "") if seat and seat["partner"] else "",
    ), status


def _current(meeting, seat, names):
    """The open round on this seat's phone: the proposal, its stances, the seat's ballot and its proxies'."""
    ballots = meetings.seat_ballots(store(), meeting, seat)
    if ballots is None:
        return None
    return {
        "proposal": ballots.proposal,
        "round": ballots.round,
        "options": option_labels(ballots.proposal["method"]),
        "text": localized(ballots.round["text"], meeting["default_language"]),
        "mine": ballots.mine,
        "proxies": [{"id": p, "name": names.get(p, "?"), "ballot": b} for p, b in ballots.proxies],
        "key": ballots.key,
    }


@bp.route("/m/<token>", methods=["GET", "POST"])
def meeting(token):
    """Take a seat (once per meeting), then follow the meeting and vote."""
    meeting = _by_token(token)
    seat = _seat(meeting)
    if request.method == "GET" or seat:
        return _page(meeting, seat)
    try:
        seat_token = _take_seat(meeting)
    except InvalidInput as error:
        refused = error.code in ("seat_taken", "seat_proxy_given")  # the seat is someone else's: a conflict
        return _page(meeting, None, message_for(error), 409 if refused else 400)
    response = redirect(url_for(".meeting", token=token), code=303)
    response.set_cookie(_cookie(meeting), seat_token, max_age=SEAT_HOURS * 3600, path=f"/m/{token}", **cookie_flags())
    return response


def _take_seat(meeting):
    """Take the seat the form asks for (a partner, or a partner type): its token."""
    return meetings.take_seat(
        store(),
        meeting["id"],
        current_app.config["SECRET_KEY"],
        partner_id=request.form.get("partner") or None,
        partner_type=request.form.get("partner_type") or None,
    )


@bp.post("/m/<token>/vote")
def cast(token):
    """Record or change this seat's stance in the open round."""
    meeting = _by_token(token)
    seat = _seat(meeting)
    if seat is None:
        return _page(meeting, None, _("Your seat was not found. Please choose your partner again."), 403)
    values = _ballot_values()
    try:
        _cast(meeting, seat, values)
    except InvalidInput as error:
        status = {"round_closed": 409, "proxy_not_held": 403}.get(error.code, 400)
        return _page(meetings.get_meeting(store(), meeting["id"]), seat, message_for(error), status, values=values)
    flash(_recorded(values["for"]))
    return redirect(url_for(".meeting", token=token), code=303)


def _ballot_values():
    """What the vote form holds: the stance, the concern, and "for": the absent partner whose proxy this seat holds."""
    return {
        "option": request.form.get("option", ""),
        "comment": request.form.get("comment", ""),
        "for": request.form.get("for") or None,
    }


def _cast(meeting, seat, values):
    """Cast the ballot the form holds; a retry of one stored before is answered as it was then."""
    try:
        meetings.cast_ballot(
            store(),
            meeting["id"],
            seat,
            values["option"],
            values["comment"],
            client_id=request.form.get("client_id"),
            for_round=request.form.get("round") or None,
            secret=current_app.config["SECRET_KEY"],
            for_partner=values["for"],
        )
    except retries.AlreadyReceived:
        pass  # this very ballot was stored before (a retry over bad Wi-Fi): answer as it was answered then


def _recorded(for_partner):
    """What the phone says once its ballot is stored: for its own partner, or for the one it holds the proxy of."""
    if not for_partner:
        return _("Your vote is recorded. You can change it until the round closes.")
    name = next((p.name for p in partners.list_partners(store()) if p.id == for_partner), "?")
    return _("The vote for %(partner)s is recorded. You can change it until the round closes.", partner=name)


@bp.get("/m/<token>/state")
def state(token):
    """The meeting's version, so a participant's screen knows when to follow (new or closed round)."""
    meeting = _by_token(token)
    # Only what changes the participant's screen: which round is open, not how many voted.
    return {"stage": meetings.live_state(store(), meeting["id"]).stage}
