"""The projector screen: what the room sees of the open round (``roundtable/screen.py`` decides) and the last result."""

import io

import segno
from flask import Response, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from forms.surveys import ActionForm
from roundtable import meetings
from roundtable import screen as room
from roundtable.languages import LANGUAGES, html_lang, text_direction

from ..helpers import store
from ..labels import option_labels, outcome_label
from ..links import public_url
from ..security import permission_required
from .common import anonymity_k, bp, meeting_or_404, partner_names, type_labels


def _waiting():
    """Whether the facilitator asked the screen for the names of who has not voted yet."""
    return request.args.get("waiting") == "1"


def live_view(meeting, waiting=False):
    """The screen's data, as ``roundtable/screen.py`` allows it: turnout; names or a spread, never both; a result."""
    shown = room.shown(store(), meeting["id"], anonymity_k(), waiting)
    view = {
        "version": shown.version,
        "seats": shown.seats,
        "voted": shown.voted,
        "open": shown.open,
        "names_allowed": shown.names_allowed,
        "asked": waiting and shown.names_allowed,
        "meeting_id": meeting["id"],
    }
    if shown.open:
        view.update(_open_round(shown, meeting))
    if shown.result is not None:
        view.update(result=_result(shown.result, meeting))
    return view


def _result(result, meeting):
    """The round closed last, as the screen shows it: its figures in the visitor's words and its texts."""
    return {**figures(result, type_labels()), "texts": _room_texts(result.round["text"], meeting)}


def _open_round(shown, meeting):
    """The open round on the screen: its texts and turnout; who has not voted, or the spread, if shown."""
    view = {
        "texts": _room_texts(shown.round["text"], meeting),
        "round": shown.round["number"],
        "quorum_met": shown.quorum_met,
        "withheld": shown.withheld,
    }
    if shown.waiting is not None:
        view.update(_missing(*shown.waiting))
    if shown.spread is not None:
        view.update(_spread(shown.spread, shown.proposal))
    return view


def _missing(partner_ids, partner_types):
    """Who has not voted yet (``screen.shown`` decides that they show), by name and by type, each sorted as read."""
    names, types = partner_names(), type_labels()
    return {
        "missing_partners": sorted(names.get(p, "?") for p in partner_ids),
        "missing_types": sorted(types.get(t, t) for t in partner_types),
    }


def _spread(tally, proposal):
    """The open round's spread (``screen.shown`` decides that it shows), in the visitor's words."""
    return {
        "distribution": _distribution(tally.counts, proposal["method"]),
        "supportive_share": tally.supportive_share,
        "blocked": tally.blocked,
        "ballots": tally.ballots,
        "voices": tally.voices,
        "weighting": proposal["weighting"],
        "outcome": outcome_label(tally.outcome),
    }


def _distribution(counts, method):
    """The ballots by option, each option by its label, in the method's order: the screen's bars."""
    return [{"label": label, "count": counts[key]} for key, label, _meaning in option_labels(method)]


def _room_texts(texts, meeting):
    """Give the proposal in the room's languages, each with its name, ``lang`` and ``dir``.

    A language of the meeting the text lacks is named with "Not yet translated" in that
    language: its readers follow the default language's text, shown first.
    """
    given = [
        {"text": text, "name": LANGUAGES[code], "lang": html_lang(code), "dir": text_direction(code)}
        for code, text in room.room_texts(texts, meeting["default_language"])
    ]
    missing = []
    for code in meetings.missing_languages(texts, meeting):
        with force_locale(code):
            note = _("Not yet translated")
        missing.append(
            {"text": None, "note": note, "name": LANGUAGES[code], "lang": html_lang(code), "dir": text_direction(code)}
        )
    return given + missing


def figures(result, types):
    """Put a closed round's ``screen.Result`` in the visitor's words, as the screen and the minutes show it."""
    options = option_labels(result.proposal["method"])
    return {
        "number": result.round["number"],
        "outcome": outcome_label(result.outcome),
        "ballots": result.ballots,
        "voices": result.voices,
        "weighting": result.weighting,
        "blocked": result.blocked,
        "share": result.supportive_share,
        "concerns": result.concerns,
        "counts": {label: result.counts[key] for key, label, _meaning in options},
        "by_type": _by_type(result.by_type, types, options),
    }


def _by_type(by_type, types, options):
    """The spread by partner type, each type and option by its label; a group withheld under k stays None."""
    return [
        (types.get(key, key), None if cells is None else {label: cells[o] for o, label, _m in options})
        for key, cells in by_type
    ]


@bp.get("/<meeting_id>/screen")
@permission_required("facilitate")
def screen(meeting_id):
    """The projector screen: it follows the votes without reloading (and reloads itself without JavaScript)."""
    meeting = meeting_or_404(meeting_id)
    return render_template(
        "meetings/screen.html",
        meeting=meeting,
        live=live_view(meeting, _waiting()),
        action=ActionForm(),
        join_url=public_url("respond.join"),
    )


@bp.get("/<meeting_id>/live.json")
@permission_required("facilitate")
def live(meeting_id):
    """The screen's data (figures, and the live part as HTML); its ETag digests what it shows: unchanged, a 304.

    With ``wait=1``, an unchanged screen's request waits for the next change (a long poll: ``screen.next_change``).
    """
    view = _watched(meeting_id)
    response = Response(status=304) if request.if_none_match.contains(view["version"]) else _live_json(view)
    # Cache-Control stays no-store (names may be on it); live.js sends If-None-Match itself.
    response.set_etag(view["version"])
    return response


def _watched(meeting_id):
    """The screen's data now; or, asked with ``wait=1`` and the version the screen shows, once it changes."""
    meeting = meeting_or_404(meeting_id)
    known = next(iter(request.if_none_match.as_set()), None)
    if request.args.get("wait") == "1" and known:
        return room.next_change(store(), lambda: live_view(meeting_or_404(meeting_id), _waiting()), known)
    return live_view(meeting, _waiting())


def _live_json(view):
    """The screen's figures, and its live part as HTML, for live.js to put in place."""
    return jsonify(
        version=view["version"],
        open=view["open"],
        seats=view["seats"],
        voted=view["voted"],
        html=render_template("meetings/_live.html", live=view),
    )


@bp.get("/<meeting_id>/qr.svg")
@permission_required("facilitate")
def qr_code(meeting_id):
    """A QR code that opens the meeting on a phone."""
    meeting = meeting_or_404(meeting_id)
    output = io.BytesIO()
    segno.make(public_url("vote.meeting", token=meeting["share_token"]), error="m").save(
        output, kind="svg", scale=8, border=2, title=_("QR code that opens the meeting")
    )
    return Response(output.getvalue(), mimetype="image/svg+xml")
