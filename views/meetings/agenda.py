"""The meeting's agenda: the list of meetings, a new meeting, its agenda page and its proposals."""

import datetime

from flask import render_template, request
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from forms.meetings import AmendForm, DecisionForm, MeetingForm, ProposalForm, TranslateForm
from forms.surveys import ActionForm
from roundtable import meetings, partners, proxies
from roundtable import minutes as record
from roundtable.languages import LANGUAGES

from ..actions import act
from ..helpers import attach_error, store
from ..security import permission_required
from .common import back, bp, meeting_or_404, partner_names, seat_labels, texts_from_form


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
        return back(meeting["id"])
    other = {
        code: {field: request.form.get(f"{field}_{code}", "") for field in ("title", "notes")}
        for code in LANGUAGES
        if code != form.default_language.data
    }
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
        store(),
        texts_from_form(language, form.title.data, "title"),
        form.day.data,
        language,
        form.phase.data or None,
        form.attending.data or [],
        texts_from_form(language, form.notes.data, "notes"),
    )


@bp.get("/<meeting_id>")
@permission_required("facilitate")
def agenda(meeting_id):
    """The meeting's agenda: proposals, rounds and their outcomes, decisions."""
    meeting = meeting_or_404(meeting_id)
    return render_template(
        "meetings/agenda.html",
        meeting=meeting,
        behind=_behind(meeting),
        counted=record.counted(meeting),
        **_agenda_forms(),
        **_people(meeting),
    )


def _agenda_forms():
    """The agenda's forms, empty: each action's CSRF, amending, deciding and translating a proposal."""
    return {
        "action": ActionForm(),
        "amend": AmendForm(formdata=None),
        "decision": DecisionForm(formdata=None),
        "translate": TranslateForm(formdata=None),
    }


def _people(meeting):
    """Who is in the meeting, by name: heard or not, the seats taken, the proxies, the roster to give one."""
    names = partner_names()
    return {
        "names": names,
        "participation": participation(meeting, names),
        "seats": seat_labels(meeting, names),
        "proxies": _proxies(meeting, names),
        "roster": partners.list_partners(store(), active_only=True),
    }


def _behind(meeting):
    """Map each proposal to the languages its latest round lacks: their readers see "Not yet translated"."""
    return {p["id"]: meetings.languages_behind(p, meeting) for p in meeting["proposals"]}


def _proxies(meeting, names):
    """List the standing proxies by name: who is represented, by whom."""
    return sorted(
        (
            {
                "absent": p["absent"],
                "absent_name": names.get(p["absent"], "?"),
                "holder_name": names.get(p["holder"], "?"),
            }
            for p in proxies.standing(meeting)
        ),
        key=lambda p: p["absent_name"],
    )


def participation(meeting, names):
    """Attending partners heard in at least one closed round, and those not heard (never how they voted)."""
    heard = record.heard(meeting)
    attending = sorted(meeting["attending"], key=lambda pid: names.get(pid, ""))
    return {
        "heard": [names.get(p, "?") for p in attending if p in heard],
        "silent": [names.get(p, "?") for p in attending if p not in heard],
    }


@bp.route("/<meeting_id>/proposals/new", methods=["GET", "POST"])
@permission_required("facilitate")
def proposal_new(meeting_id):
    """Add a proposal and how it is decided."""
    meeting = meeting_or_404(meeting_id)
    form = ProposalForm()
    if act(form, lambda f: _add_proposal(meeting, f), _("Proposal added to the agenda."), attach_error):
        return back(meeting["id"])
    other = {code: request.form.get(f"text_{code}", "") for code in LANGUAGES if code != meeting["default_language"]}
    return render_template("meetings/proposal.html", form=form, meeting=meeting, other=other), (
        400 if form.errors else 200
    )


def _add_proposal(meeting, form):
    return meetings.add_proposal(
        store(),
        meeting["id"],
        texts_from_form(meeting["default_language"], form.text.data),
        form.method.data,
        form.rule.data,
        form.threshold.data,
        form.fallback_after.data,
        form.fallback_threshold.data,
        form.quorum.data,
        form.quorum_number.data or 0,
        form.weighting.data,
        form.live_results.data,
    )
