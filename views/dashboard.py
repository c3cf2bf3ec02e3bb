"""The voice dashboard: is every partner heard? Figures, charts with their tables, and a CSV of it all.

The figures are ``roundtable.dashboard``'s; the charts are drawn in ``dashboard_charts``.
"""

from flask import Blueprint, Response, current_app, render_template, request

from roundtable import dashboard as voice_dashboard
from roundtable import exports, partners
from roundtable.surveys import PHASES

from .dashboard_charts import dashboard_charts, event_labels, phase_names
from .formats import gettext as _
from .formats import parse_day, percent
from .helpers import store
from .i18n import current_language
from .labels import type_label
from .security import permission_required

bp = Blueprint("dashboard", __name__)


def _day(value):
    # A real calendar day, typed the visitor's way (as the hint shows) or as ISO, kept as ISO;
    # anything else ("abcd-ef-gh", "2026-13-45") is ignored rather than compared as text.
    try:
        return parse_day(value).isoformat()
    except ValueError:
        return ""


class Filters(voice_dashboard.Filters):
    """What the leader chose to look at, read from the dashboard's address."""

    @classmethod
    def from_args(cls, args, type_keys):
        """The filters a dashboard address asks for; what is not valid is left out."""
        return cls(
            _day(args.get("from")),
            _day(args.get("to")),
            args.get("phase") if args.get("phase") in PHASES else "",
            args.get("type") if args.get("type") in type_keys else "",
            args.get("kind") if args.get("kind") in voice_dashboard.KINDS else "",
        )


def _partners_heard(fit, short=False):
    """The share of partners heard, or why there is none.

    Surveys by partner type, and fully anonymous ones, cannot name partners.
    """
    if fit is not None and fit.unrecorded:
        return (
            _("Not recorded")
            if short
            else _("Not recorded: these surveys record neither the partner nor the partner type")
        )
    if fit is not None and fit.by_type and not fit.by_partner:
        return _("Not recorded") if short else _("Not recorded: these surveys record the partner type only")
    return percent(None if fit is None else fit.partners)


def _types_heard(fit):
    """Partner types heard: counted ("4 of 6") where surveys record the type, else a share.

    Fully anonymous surveys record no type: "Not recorded", not a share of 0.
    """
    if fit is not None and fit.unrecorded:
        return _("Not recorded")
    if fit is not None and fit.by_type:
        return _("%(heard)d of %(total)d", heard=fit.types_heard, total=fit.types_total)
    return percent(None if fit is None else fit.type_share)


def figures(filters, type_list):
    """Every figure the dashboard shows, for ``filters``; what scans responses is remembered in this process."""
    memo = current_app.extensions.setdefault("roundtable.dashboard", {})
    return voice_dashboard.figures(
        store(),
        filters,
        current_app.config["ANONYMITY_K"],
        current_language(),
        {t.key: type_label(t) for t in type_list},
        memo,
    )


def _figures_asked():
    """The filters the address asks for, the figures for them, and the partner types."""
    type_list = partners.partner_types(store())
    filters = Filters.from_args(request.args, {t.key for t in type_list})
    return filters, figures(filters, type_list), type_list


@bp.get("/dashboard")
@permission_required("read_dashboards")
def dashboard():
    """Headline figures, then charts, each with a caption and a table."""
    filters, data, type_list = _figures_asked()
    return render_template(
        "dashboard/dashboard.html",
        data=data,
        charts=dashboard_charts(data),
        filters=filters,
        phases=PHASES,
        type_list=[(t.key, type_label(t)) for t in type_list],
        partners_heard=_partners_heard,
        types_heard=_types_heard,
        event_labels=event_labels,
        phase_names=phase_names(),
        query=request.query_string.decode(),
    )


def _rounded(value, places):
    return "" if value is None else round(float(value), places)


def _headline_rows(data):
    return [
        [_("Figure"), _("Group"), _("Value")],
        [_("Partners heard"), "", _partners_heard(data.coverage)],
        [_("Partner types heard"), "", _types_heard(data.coverage)],
        [_("Equity (1 − Gini)"), "", _rounded(data.equity, 3)],
        [_("Sentiment (−1 to +1)"), "", _rounded(data.sentiment, 2)],
    ]


def _period_rows(data):
    names = phase_names()
    for phase, fit, equity in data.by_phase:
        yield [_("Partners heard"), names[phase], _partners_heard(fit, short=True)]
        yield [_("Partner types heard"), names[phase], _types_heard(fit)]
        yield [_("Equity (1 − Gini)"), names[phase], _rounded(equity, 3)]
    for month, fit in data.monthly:
        yield [_("Partners heard"), month, _partners_heard(fit, short=True)]
        yield [_("Partner types heard"), month, _types_heard(fit)]


def _partner_rows(data):
    yield from ([_("Events heard in"), name, count] for name, count in data.contributions)
    yield from ([_("Silent partner, last heard"), partner.name, last or _("never")] for partner, last in data.silent)


@bp.get("/dashboard.csv")
@permission_required("read_dashboards")
def dashboard_csv():
    """The dashboard's figures as CSV."""
    data = _figures_asked()[1]
    rows = [*_headline_rows(data), *_period_rows(data), *_partner_rows(data)]
    return Response(
        exports.csv_text(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="voice-dashboard.csv"'},
    )
