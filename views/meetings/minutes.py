"""The minutes: what a meeting's record shows (``roundtable/minutes.py``), as a page, Markdown and CSV."""

import io

from flask import Response, render_template
from flask_babel import gettext as _

from roundtable import exports
from roundtable import minutes as record

from ..i18n import localized
from ..labels import outcome_label
from ..security import permission_required
from .common import anonymity_k, bp, meeting_or_404, partner_names, type_labels
from .projector import figures


def _minutes(meeting):
    """The minutes' proposals in the visitor's words (``roundtable/minutes.py`` decides what they show)."""
    names, types = partner_names(), type_labels()
    return [
        {
            "id": item.proposal["id"],
            "rounds": [_minutes_round(r, meeting, names, types) for r in item.rounds],
            "decision": outcome_label(item.decision["status"]) if item.decision else None,
            "rationale": item.decision["rationale"] if item.decision else "",
        }
        for item in record.minutes(meeting, anonymity_k())
    ]


def _minutes_round(round_minutes, meeting, names, types):
    result = round_minutes.result
    return {
        **figures(result, types),
        "text": localized(result.round["text"], meeting["default_language"]).text,
        "voted": sorted({names.get(p, "?") for p in round_minutes.voted}),
    }


def _represented(meeting):
    """Who represented whom by proxy in the meeting's closed rounds, by name (never how either voted)."""
    names = partner_names()
    pairs = {(names.get(absent, "?"), names.get(holder, "?")) for absent, holder in record.represented(meeting)}
    return [{"absent": absent, "holder": holder} for absent, holder in sorted(pairs)]


def _released(meeting):
    """Whose seats the facilitator released, by partner (or type) name, in alphabetical order."""
    names, types = partner_names(), type_labels()
    return sorted(
        names.get(partner, "?") if partner else types.get(partner_type, "?")
        for partner, partner_type in record.released(meeting)
    )


@bp.get("/<meeting_id>/minutes")
@permission_required("read_dashboards")
def minutes(meeting_id):
    """Printable minutes: texts, tallies, outcomes and participation per round; never a ballot."""
    meeting = meeting_or_404(meeting_id)
    return render_template(
        "meetings/minutes.html",
        meeting=meeting,
        released=_released(meeting),
        represented=_represented(meeting),
        items=_minutes(meeting),
    )


@bp.get("/<meeting_id>/minutes.md")
@permission_required("read_dashboards")
def minutes_markdown(meeting_id):
    """The minutes as Markdown."""
    meeting = meeting_or_404(meeting_id)
    text = render_template(
        "meetings/minutes.md", meeting=meeting, represented=_represented(meeting), items=_minutes(meeting)
    )
    return Response(
        text,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="minutes-{meeting["join_code"]}.md"'},
    )


@bp.get("/<meeting_id>/minutes.csv")
@permission_required("read_dashboards")
def minutes_csv(meeting_id):
    """The minutes' tallies as CSV, one row per round and option."""
    meeting = meeting_or_404(meeting_id)
    output = io.StringIO()
    writer = exports.csv_writer(output)
    writer.writerow([_("Proposal"), _("Round"), _("Text"), _("Option"), _("Ballots"), _("Outcome")])
    for number, item in enumerate(_minutes(meeting), start=1):
        for round_ in item["rounds"]:
            for option, count in round_["counts"].items():
                writer.writerow([number, round_["number"], round_["text"], option, count, round_["outcome"]])
    return Response(
        output.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="minutes-{meeting["join_code"]}.csv"'},
    )
