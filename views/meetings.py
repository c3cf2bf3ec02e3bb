"""Facilitators run meetings: agenda, rounds, the projector screen, decisions and minutes."""

import datetime
import io

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from forms.meetings import (
    AmendForm,
    DecisionForm,
    MeetingForm,
    ProposalForm,
    TranslateForm,
)
from forms.surveys import ActionForm
from roundtable import exports, meetings, partners, proxies
from roundtable import minutes as record
from roundtable import screen as room
from roundtable.errors import InvalidInput
from roundtable.languages import LANGUAGES, html_lang, text_direction

from .actions import act
from .confirm import confirm_page, confirmed
from .helpers import attach_error, or_404, store
from .i18n import localized
from .labels import option_labels, outcome_label, type_label
from .links import public_url
from .messages import message_for
from .security import permission_required

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _meeting(meeting_id):
    return or_404(meetings.get_meeting(store(), meeting_id))


def _back(meeting_id, anchor=""):
    return redirect(url_for(".agenda", meeting_id=meeting_id) + anchor, code=303)


def _to_screen(meeting_id):
    return redirect(url_for(".screen", meeting_id=meeting_id), code=303)


def _names():
    """Every partner's name by id, former partners too (old rounds name them)."""
    return {p.id: p.name for p in partners.list_partners(store())}


def _types():
    """Every partner type's label by key, in the visitor's language."""
    return {t.key: type_label(t) for t in partners.partner_types(store())}


def _k():
    return current_app.config["ANONYMITY_K"]


def _form_errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@bp.get("/")
@permission_required("read_dashboards")
def meeting_list():
    """Every meeting, newest first."""
    everything = sorted(store().all(meetings.TABLE), key=lambda m: (m["day"], m["id"]), reverse=True)
    return render_template("meetings/list.html", meetings=everything)


@bp.route("/new", methods=["GET", "POST"])
@permission_required("facilitate")
def meeting_new():
    """A new meeting with its attending partners."""
    form = _meeting_form()
    meeting = act(form, _create_meeting, _("Meeting created. Add the proposals on its agenda."), attach_error)
    if meeting:
        return _back(meeting["id"])
    other = {code: {field: request.form.get(f"{field}_{code}", "") for field in ("title", "notes")}
             for code in LANGUAGES if code != form.default_language.data}
    return render_template("meetings/new.html", form=form, other=other), 400 if form.errors else 200


def _meeting_form():
    """The new meeting's form: the active partners to choose from, all of them (and today) proposed at first."""
    form = MeetingForm()
    roster = partners.list_partners(store(), active_only=True)
    form.attending.choices = [SelectChoice(p.id, p.name) for p in roster]
    if request.method == "GET":
        form.day.data = datetime.date.today()
        form.attending.data = [p.id for p in roster]
    return form


def _create_meeting(form):
    language = form.default_language.data
    return meetings.create_meeting(
        store(), _texts(language, form.title.data, "title"), form.day.data, language,
        form.phase.data or None, form.attending.data or [], _texts(language, form.notes.data, "notes"))


@bp.get("/<meeting_id>")
@permission_required("facilitate")
def agenda(meeting_id):
    """The meeting's agenda: proposals, rounds and their outcomes, decisions."""
    meeting = _meeting(meeting_id)
    names = _names()
    return render_template("meetings/agenda.html", meeting=meeting, names=names, action=ActionForm(),
                           amend=AmendForm(formdata=None), decision=DecisionForm(formdata=None),
                           translate=TranslateForm(formdata=None), behind=_behind(meeting),
                           participation=participation(meeting, names), seats=_seats(meeting, names),
                           proxies=_proxies(meeting, names), counted=record.counted(meeting),
                           roster=partners.list_partners(store(), active_only=True))


def _behind(meeting):
    """Map each proposal to the languages its latest round lacks: their readers see "Not yet translated"."""
    return {p["id"]: meetings.languages_behind(p, meeting) for p in meeting["proposals"]}


def _proxies(meeting, names):
    """List the standing proxies by name: who is represented, by whom."""
    return sorted(({"absent": p["absent"], "absent_name": names.get(p["absent"], "?"),
                    "holder_name": names.get(p["holder"], "?")} for p in proxies.standing(meeting)),
                  key=lambda p: p["absent_name"])


def _seats(meeting, names):
    """The seats taken, each with what the facilitator reads on its release button, by name."""
    types = _types()
    seats = [{"id": s["id"], "label": names.get(s["partner"], "?") if s["partner"] else
              _("%(type)s (partner type only)", type=types.get(s["partner_type"], s["partner_type"]))}
             for s in meetings.seats_taken(store(), meeting["id"])]
    seats.sort(key=lambda s: (s["label"], s["id"]))
    # Type-only seats share their type's name: number them, so each release button says which it releases.
    counts = {label: sum(1 for s in seats if s["label"] == label) for label in {s["label"] for s in seats}}
    numbered = {}
    for seat in seats:
        if counts[seat["label"]] > 1:
            numbered[seat["label"]] = numbered.get(seat["label"], 0) + 1
            seat["label"] = _("%(name)s, seat %(number)s", name=seat["label"], number=numbered[seat["label"]])
    return seats


def participation(meeting, names):
    """Attending partners heard in at least one closed round, and those not heard (never how they voted)."""
    heard = record.heard(meeting)
    attending = sorted(meeting["attending"], key=lambda pid: names.get(pid, ""))
    return {"heard": [names.get(p, "?") for p in attending if p in heard],
            "silent": [names.get(p, "?") for p in attending if p not in heard]}


@bp.route("/<meeting_id>/proposals/new", methods=["GET", "POST"])
@permission_required("facilitate")
def proposal_new(meeting_id):
    """Add a proposal and how it is decided."""
    meeting = _meeting(meeting_id)
    form = ProposalForm()
    if act(form, lambda f: _add_proposal(meeting, f), _("Proposal added to the agenda."), attach_error):
        return _back(meeting["id"])
    other = {code: request.form.get(f"text_{code}", "") for code in LANGUAGES if code != meeting["default_language"]}
    return render_template("meetings/proposal.html", form=form, meeting=meeting, other=other), (
        400 if form.errors else 200)


def _add_proposal(meeting, form):
    return meetings.add_proposal(
        store(), meeting["id"], _texts(meeting["default_language"], form.text.data), form.method.data,
        form.rule.data, form.threshold.data, form.fallback_after.data, form.fallback_threshold.data,
        form.quorum.data, form.quorum_number.data or 0, form.weighting.data, form.live_results.data)


def _texts(default, text, field="text"):
    """Gather a text in the default language, and in any other language the form filled in (``<field>_<code>``)."""
    texts = {code: request.form.get(f"{field}_{code}", "") for code in LANGUAGES if code != default}
    texts[default] = text
    return {code: value for code, value in texts.items() if value and value.strip()}


def _numbered(meeting, proposal_id):
    """(its number on the agenda, the proposal), or (None, None) for a proposal not on it."""
    return next(((number, p) for number, p in enumerate(meeting["proposals"], start=1) if p["id"] == proposal_id),
                (None, None))


@bp.post("/<meeting_id>/proposals/<proposal_id>/open")
@permission_required("facilitate")
def round_open(meeting_id, proposal_id):
    """Open the proposal's next round, amended or not."""
    meeting = _meeting(meeting_id)
    form = AmendForm()
    if form.validate_on_submit() and meetings.reopens(meeting, proposal_id) and not confirmed():
        number, proposal = _numbered(meeting, proposal_id)
        return confirm_page("round_reopen", url_for(".agenda", meeting_id=meeting_id, _anchor=f"p-{proposal_id}"),
                            round=len(proposal["rounds"]) + 1, proposal=number)
    later = {code for code in LANGUAGES if request.form.get(f"later_{code}")}
    act(form, lambda f: meetings.open_round(store(), meeting_id, proposal_id,
                                            _texts(meeting["default_language"], f.text.data) or None, later),
        _("Voting is open. Participants' phones show the proposal now."), invalid=_form_errors)
    return _to_screen(meeting_id)


@bp.post("/<meeting_id>/proposals/<proposal_id>/translate")
@permission_required("facilitate")
def proposal_translate(meeting_id, proposal_id):
    """Give the current round its text in a language it lacks; phones show it at their next look."""
    _meeting(meeting_id)
    act(TranslateForm(), lambda f: meetings.translate_round(store(), meeting_id, proposal_id, f.language.data,
                                                            f.text.data),
        _("The translation is added."), invalid=_form_errors)
    return _back(meeting_id, f"#p-{proposal_id}")


@bp.post("/<meeting_id>/close")
@permission_required("facilitate")
def round_close(meeting_id):
    """Close the open round and compute its outcome; the screen then shows it."""
    meeting = _meeting(meeting_id)
    if ActionForm().validate_on_submit() and meeting["current"] and not confirmed():
        return confirm_page("round_close", url_for(".screen", meeting_id=meeting_id),
                            round=meeting["current"]["round"],
                            proposal=_numbered(meeting, meeting["current"]["proposal"])[0])
    act(ActionForm(), lambda _f: meetings.close_round(store(), meeting_id), _("The round is closed."))
    # Closed from the projector screen, back to it: the room sees the result.
    return _to_screen(meeting_id)


@bp.post("/<meeting_id>/proposals/<proposal_id>/decision")
@permission_required("facilitate")
def decision(meeting_id, proposal_id):
    """Record the final decision on a proposal."""
    _meeting(meeting_id)
    act(DecisionForm(), lambda f: meetings.record_decision(store(), meeting_id, proposal_id, f.decision.data,
                                                           f.rationale.data),
        _("Decision recorded."), invalid=lambda _f: message_for(InvalidInput("decision_unknown")))
    return _back(meeting_id, f"#p-{proposal_id}")


@bp.post("/<meeting_id>/end")
@permission_required("facilitate")
def meeting_end(meeting_id):
    """End the meeting: every seat is forgotten."""
    _meeting(meeting_id)
    if ActionForm().validate_on_submit() and not confirmed():
        return confirm_page("meeting_end", url_for(".agenda", meeting_id=meeting_id))
    act(ActionForm(), lambda _f: meetings.end_meeting(store(), meeting_id),
        _("The meeting has ended; participants' seats are forgotten."))
    return _back(meeting_id)


@bp.post("/<meeting_id>/release")
@permission_required("facilitate")
def seat_release(meeting_id):
    """Release a seat (a lost phone, a seat taken by the wrong device): another device can take it."""
    meeting = _meeting(meeting_id)
    seat_id = request.form.get("seat", "")
    seat = next((s for s in _seats(meeting, _names()) if s["id"] == seat_id), None)
    if seat and ActionForm().validate_on_submit() and not confirmed():
        return confirm_page("seat_release", url_for(".agenda", meeting_id=meeting_id, _anchor="seats"),
                            name=seat["label"])
    act(ActionForm(), lambda _f: meetings.release_seat(store(), meeting_id, seat_id),
        _("The seat is released: another device can take it now."))
    return _back(meeting_id, "#seats")


@bp.post("/<meeting_id>/proxies")
@permission_required("facilitate")
def proxy_give(meeting_id):
    """Record that an absent partner gives its proxy to a partner in the room."""
    _meeting(meeting_id)
    act(ActionForm(), lambda _f: meetings.give_proxy(store(), meeting_id, request.form.get("absent", ""),
                                                     request.form.get("holder", "")), _("The proxy is recorded."))
    return _back(meeting_id, "#proxies")


@bp.post("/<meeting_id>/proxies/withdraw")
@permission_required("facilitate")
def proxy_withdraw(meeting_id):
    """Withdraw an absent partner's proxy (between rounds): it may take a seat again."""
    _meeting(meeting_id)
    act(ActionForm(), lambda _f: meetings.withdraw_proxy(store(), meeting_id, request.form.get("absent", "")),
        _("The proxy is withdrawn."))
    return _back(meeting_id, "#proxies")


def _waiting():
    """Whether the facilitator asked the screen for the names of who has not voted yet."""
    return request.args.get("waiting") == "1"


def live_view(meeting, waiting=False):
    """The screen's data, as ``roundtable/screen.py`` allows it: turnout; names or a spread, never both; a result."""
    shown = room.shown(store(), meeting["id"], _k(), waiting)
    view = {"version": shown.version, "seats": shown.seats, "voted": shown.voted, "open": shown.open,
            "names_allowed": shown.names_allowed, "asked": waiting and shown.names_allowed,
            "meeting_id": meeting["id"]}
    if shown.open:
        view.update(_open_round(shown, meeting))
    if shown.result is not None:
        view.update(result={**_figures(shown.result, _types()), "texts": _room_texts(shown.result.round["text"],
                                                                                        meeting)})
    return view


def _open_round(shown, meeting):
    """The open round on the screen: its texts and turnout; who has not voted, or the spread, if shown."""
    view = {"texts": _room_texts(shown.round["text"], meeting), "round": shown.round["number"],
            "quorum_met": shown.quorum_met, "withheld": shown.withheld}
    if shown.waiting is not None:
        names, types = _names(), _types()
        view.update(missing_partners=sorted(names.get(p, "?") for p in shown.waiting[0]),
                    missing_types=sorted(types.get(t, t) for t in shown.waiting[1]))
    if shown.spread is not None:
        tally = shown.spread
        view.update(distribution=[{"label": label, "count": tally.counts[key]}
                                  for key, label, _meaning in option_labels(shown.proposal["method"])],
                    supportive_share=tally.supportive_share, blocked=tally.blocked,
                    ballots=tally.ballots, voices=tally.voices, weighting=shown.proposal["weighting"],
                    outcome=outcome_label(tally.outcome))
    return view


def _room_texts(texts, meeting):
    """Give the proposal in the room's languages, each with its name, ``lang`` and ``dir``.

    A language of the meeting the text lacks is named with "Not yet translated" in that
    language: its readers follow the default language's text, shown first.
    """
    given = [{"text": text, "name": LANGUAGES[code], "lang": html_lang(code), "dir": text_direction(code)}
             for code, text in room.room_texts(texts, meeting["default_language"])]
    missing = []
    for code in meetings.missing_languages(texts, meeting):
        with force_locale(code):
            note = _("Not yet translated")
        missing.append({"text": None, "note": note, "name": LANGUAGES[code], "lang": html_lang(code),
                        "dir": text_direction(code)})
    return given + missing


def _figures(result, types):
    """Put a closed round's ``screen.Result`` in the visitor's words, as the screen and the minutes show it."""
    options = option_labels(result.proposal["method"])
    return {"number": result.round["number"], "outcome": outcome_label(result.outcome), "ballots": result.ballots,
            "voices": result.voices, "weighting": result.weighting, "blocked": result.blocked,
            "share": result.supportive_share, "concerns": result.concerns,
            "counts": {label: result.counts[key] for key, label, _meaning in options},
            "by_type": [(types.get(key, key), None if cells is None else {label: cells[o] for o, label, _m in options})
                        for key, cells in result.by_type]}


@bp.get("/<meeting_id>/screen")
@permission_required("facilitate")
def screen(meeting_id):
    """The projector screen: it follows the votes without reloading (and reloads itself without JavaScript)."""
    meeting = _meeting(meeting_id)
    return render_template("meetings/screen.html", meeting=meeting, live=live_view(meeting, _waiting()),
                           action=ActionForm(), join_url=public_url("respond.join"))


@bp.get("/<meeting_id>/live.json")
@permission_required("facilitate")
def live(meeting_id):
    """The screen's data (figures, and the live part as HTML); its ETag digests what it shows: unchanged, a 304.

    With ``wait=1``, an unchanged screen's request waits for the next change (a long poll: ``screen.next_change``).
    """
    meeting = _meeting(meeting_id)
    known = next(iter(request.if_none_match.as_set()), None)
    if request.args.get("wait") == "1" and known:
        view = room.next_change(store(), lambda: live_view(_meeting(meeting_id), _waiting()), known)
    else:
        view = live_view(meeting, _waiting())
    if request.if_none_match.contains(view["version"]):
        response = Response(status=304)
    else:
        response = jsonify(version=view["version"], open=view["open"], seats=view["seats"], voted=view["voted"],
                           html=render_template("meetings/_live.html", live=view))
    # Cache-Control stays no-store (names may be on it); live.js sends If-None-Match itself.
    response.set_etag(view["version"])
    return response


@bp.get("/<meeting_id>/qr.svg")
@permission_required("facilitate")
def qr_code(meeting_id):
    """A QR code that opens the meeting on a phone."""
    meeting = _meeting(meeting_id)
    output = io.BytesIO()
    segno.make(public_url("vote.meeting", token=meeting["share_token"]), error="m").save(
        output, kind="svg", scale=8, border=2, title=_("QR code that opens the meeting"))
    return Response(output.getvalue(), mimetype="image/svg+xml")


def _minutes(meeting):
    """The minutes' proposals in the visitor's words (``roundtable/minutes.py`` decides what they show)."""
    names, types = _names(), _types()
    return [{"id": item.proposal["id"], "rounds": [_minutes_round(r, meeting, names, types) for r in item.rounds],
             "decision": outcome_label(item.decision["status"]) if item.decision else None,
             "rationale": item.decision["rationale"] if item.decision else ""}
            for item in record.minutes(meeting, _k())]


def _minutes_round(round_minutes, meeting, names, types):
    result = round_minutes.result
    return {**_figures(result, types), "text": localized(result.round["text"], meeting["default_language"]).text,
            "voted": sorted({names.get(p, "?") for p in round_minutes.voted})}


def _represented(meeting):
    """Who represented whom by proxy in the meeting's closed rounds, by name (never how either voted)."""
    names = _names()
    pairs = {(names.get(absent, "?"), names.get(holder, "?")) for absent, holder in record.represented(meeting)}
    return [{"absent": absent, "holder": holder} for absent, holder in sorted(pairs)]


def _released(meeting):
    """Whose seats the facilitator released, by partner (or type) name, in alphabetical order."""
    names, types = _names(), _types()
    return sorted(names.get(partner, "?") if partner else types.get(partner_type, "?")
                  for partner, partner_type in record.released(meeting))


@bp.get("/<meeting_id>/minutes")
@permission_required("read_dashboards")
def minutes(meeting_id):
    """Printable minutes: texts, tallies, outcomes and participation per round; never a ballot."""
    meeting = _meeting(meeting_id)
    return render_template("meetings/minutes.html", meeting=meeting, released=_released(meeting),
                           represented=_represented(meeting), items=_minutes(meeting))


@bp.get("/<meeting_id>/minutes.md")
@permission_required("read_dashboards")
def minutes_markdown(meeting_id):
    """The minutes as Markdown."""
    meeting = _meeting(meeting_id)
    text = render_template("meetings/minutes.md", meeting=meeting, represented=_represented(meeting),
                           items=_minutes(meeting))
    return Response(text, mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="minutes-{meeting["join_code"]}.md"'})


@bp.get("/<meeting_id>/minutes.csv")
@permission_required("read_dashboards")
def minutes_csv(meeting_id):
    """The minutes' tallies as CSV, one row per round and option."""
    meeting = _meeting(meeting_id)
    output = io.StringIO()
    writer = exports.csv_writer(output)
    writer.writerow([_("Proposal"), _("Round"), _("Text"), _("Option"), _("Ballots"), _("Outcome")])
    for number, item in enumerate(_minutes(meeting), start=1):
        for round_ in item["rounds"]:
            for option, count in round_["counts"].items():
                writer.writerow([number, round_["number"], round_["text"], option, count, round_["outcome"]])
    return Response(output.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="minutes-{meeting["join_code"]}.csv"'})
