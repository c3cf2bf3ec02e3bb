"""The voice dashboard's charts: its figures drawn with ``roundtable.charts``, worded in the visitor's language."""

import json
from collections import Counter

from forms.surveys import phase_labels
from roundtable import charts
from roundtable.languages import text_direction
from roundtable.surveys import PHASES

from .formats import date_text, month_label, percent_affixes
from .formats import gettext as _
from .i18n import current_language


def _event_label(event):
    kind = _("Survey") if event.kind == "survey" else _("Round")
    return f"{kind} {date_text(event.day)}"


def event_labels(found):
    """A distinct label per event.

    Rounds (or surveys) of the same day are numbered: a chart's category axis would merge them.
    """
    labels = [_event_label(e) for e in found]
    totals, seen, distinct = Counter(labels), Counter(), []
    for label in labels:
        seen[label] += 1
        distinct.append(f"{label} ({seen[label]})" if totals[label] > 1 else label)
    return distinct


def phase_names():
    """Each partnership phase by its name in the visitor's language; events without one under "No phase"."""
    return {**{key: str(label) for key, label in phase_labels().items()}, "": _("No phase")}


def _shortened(text, length):
    """``text`` cut to ``length`` characters, with an ellipsis if it was longer."""
    return text if len(text) <= length else text[:length] + "…"


def _chart_percent(share):
    # No active partner leaves no share: a gap in the line, not a crash.
    return None if share is None else round(float(share) * 100)


def _coverage_lines(fits):
    """The two coverage lines, partners and partner types heard, over ``fits`` (Coverage or None each)."""
    return [
        (_("Partners heard"), [_chart_percent(fit and fit.partners) for fit in fits]),
        (_("Partner types heard"), [_chart_percent(fit and fit.type_share) for fit in fits]),
    ]


def _phases(data, rtl):
    lines = [
        (name, dict(zip([phase for phase, _f, _e in data.by_phase], values)))
        for name, values in _coverage_lines([fit for _p, fit, _e in data.by_phase])
    ]
    return data.by_phase and charts.phase_lines(
        (*PHASES, ""),
        phase_names(),
        lines,
        _("Coverage by partnership phase"),
        _("Share heard"),
        right_to_left=rtl,
        percent_affixes=percent_affixes(),
    )


def _coverage(data, rtl):
    return data.monthly and charts.lines(
        [month_label(month) for month, _fit in data.monthly],
        _coverage_lines([fit for _m, fit in data.monthly]),
        _("Coverage by month"),
        _("Share heard"),
        right_to_left=rtl,
        percent_affixes=percent_affixes(),
    )


def _equity(data, rtl):
    return (
        data.lorenz
        and data.equity is not None
        and charts.lorenz_curve(
            data.lorenz,
            _("How evenly voice is spread (Lorenz curve)"),
            _("Share of partners, least heard first"),
            _("Share of all contributions"),
            _("Perfect equality"),
            _("Our partners"),
            right_to_left=rtl,
            percent_affixes=percent_affixes(),
        )
    )


def _heatmap(data, rtl):
    return (
        data.events
        and data.heat_rows
        and charts.heatmap(
            data.heat_rows,
            event_labels(data.events),
            data.heat,
            _("Partners heard, by partner type and event"),
            right_to_left=rtl,
        )
    )


def _agreement(data, rtl):
    return data.agreement and charts.distribution(
        [
            _("%(proposal)s (round %(number)s)", proposal=_shortened(row.text, 60), number=row.round)
            for row in data.agreement
        ],
        [_chart_percent(row.share) for row in data.agreement],
        _("Supportive share in each proposal's last round"),
        _("Supportive share (%)"),
        right_to_left=rtl,
    )


def _health(data, rtl):
    health = data.health
    return health and charts.lines(
        [date_text(day) for day in health.days],
        [(name[:50], means) for (_qid, name), means in zip(health.challenges, health.means)],
        _("Health check: mean agreement per challenge"),
        _("Mean agreement (1 to 5)"),
        right_to_left=rtl,
        percent=False,
    )


CHARTS = {
    "phases": _phases,
    "coverage": _coverage,
    "equity": _equity,
    "heatmap": _heatmap,
    "agreement": _agreement,
    "health": _health,
}


def dashboard_charts(data):
    """Each chart there is something to draw for, by name, as the JSON of its Plotly figure."""
    rtl = text_direction(current_language()) == "rtl"
    built = {name: draw(data, rtl) for name, draw in CHARTS.items()}
    return {name: json.dumps(figure) for name, figure in built.items() if figure}
