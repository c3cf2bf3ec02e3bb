"""The voice dashboard: is every partner heard? Figures, charts with their tables, and a CSV of it all."""

import dataclasses
import io
import json
from collections import Counter
from fractions import Fraction

from flask import Blueprint, Response, current_app, render_template, request

from forms.surveys import phase_labels
from roundtable import charts, events, exports, partners, results, surveys, voice
from roundtable.languages import text_direction
from roundtable.surveys import PHASES

from .formats import date_text, month_label, parse_day, percent, percent_affixes
from .formats import gettext as _
from .helpers import store
from .i18n import current_language, localized
from .labels import type_label
from .security import permission_required

bp = Blueprint("dashboard", __name__)

KINDS = ("survey", "round")


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the leader chose to look at."""

    start: str
    end: str
    phase: str
    partner_type: str
    kind: str

    @classmethod
    def from_args(cls, args, type_keys):
        """The filters a dashboard address asks for; what is not valid is left out."""
        def day(value):
            # A real calendar day, typed the visitor's way (as the hint shows) or as ISO, kept as ISO;
            # anything else ("abcd-ef-gh", "2026-13-45") is ignored rather than compared as text.
            try:
                return parse_day(value).isoformat()
            except ValueError:
                return ""

        return cls(day(args.get("from")), day(args.get("to")),
                   args.get("phase") if args.get("phase") in PHASES else "",
                   args.get("type") if args.get("type") in type_keys else "",
                   args.get("kind") if args.get("kind") in KINDS else "")

    def apply(self, found, roster):
        """The events and roster these filters keep."""
        kept = [e for e in found
                if (not self.start or e.day >= self.start) and (not self.end or e.day <= self.end)
                and (not self.phase or e.phase == self.phase) and (not self.kind or e.kind == self.kind)]
        if self.partner_type:
            roster = [p for p in roster if p.type == self.partner_type]
        return kept, roster


def _partners_heard(fit, short=False):
    """The share of partners heard, or why there is none.

    Surveys by partner type, and fully anonymous ones, cannot name partners.
    """
    if fit is not None and fit.unrecorded:
        return _("Not recorded") if short else _(
            "Not recorded: these surveys record neither the partner nor the partner type")
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


def cached(name, compute):
    """``compute()``, remembered in this process until anything in the store changes."""
    memo = current_app.extensions.setdefault("roundtable.dashboard", {})
    version = store().version()
    if name not in memo or memo[name][0] != version:
        memo[name] = (version, compute())
    return memo[name][1]


def figures(filters):
    """Every figure the dashboard shows; what scans responses is cached until the store changes."""
    roster_all = events.roster(store())
    memo = current_app.extensions.setdefault("roundtable.survey_events", {})
    found, roster = filters.apply(cached("events", lambda: events.all_events(store(), memo)), roster_all)
    fit = voice.fitting_coverage(found, roster)
    counts = voice.contributions(found, roster)
    names = {p.id: p.name for p in roster_all}
    types = {t.key: type_label(t) for t in partners.partner_types(store())}
    monthly = voice.coverage_by_period(found, roster, "month")
    silent = voice.silent_partners(found, roster, last_events=5)
    active = voice.active(roster)
    type_keys = sorted({p.type for p in active})
    heat = [[sum(1 for p in active if p.type == key and p.id in e.partners) for e in found] for key in type_keys]
    k = current_app.config["ANONYMITY_K"]
    return {
        "agreement": _agreement(filters), "health": _health_checks(filters, k),
        "sentiment": _sentiment(filters, k), "by_phase": voice.phase_trend(found, roster),
        "events": found, "roster": active, "coverage": fit,
        "equity": voice.equity(found, roster), "lorenz": voice.lorenz(counts.values()) if counts else [],
        "contributions": sorted(((names[p], n) for p, n in counts.items()), key=lambda item: (-item[1], item[0])),
        "monthly": monthly, "silent": silent, "names": names, "types": types,
        "heat_rows": [types.get(k, k) for k in type_keys], "heat": heat,
    }


def _agreement_totals(survey, k):
    """(first day, sum, count) of a survey's agreement-scale answers, when it has at least k voices."""
    records = store().records(surveys.stream(survey.id))
    if not records or not results.enough_voices(survey, [r.get("partner") for r in records], k):
        return None
    scales = {q.id for q in survey.questions if q.kind == "agreement"}
    values = [value for r in records for qid, value in r["answers"].items() if qid in scales]
    return min(r["day"] for r in records), sum(values), len(values)


def _sentiment(filters, k):
    """Sentiment (−1…+1) over the agreement-scale answers of the surveys in view; None without any."""
    if filters.kind == "round":
        return None
    memo = current_app.extensions.setdefault("roundtable.agreement_totals", {})
    total = count = 0
    for survey in surveys.list_surveys(store()):
        key = (store().stream_version(surveys.stream(survey.id)), k)
        if survey.id not in memo or memo[survey.id][0] != key:
            memo[survey.id] = (key, _agreement_totals(survey, k))
        result = memo[survey.id][1]
        if result is not None and _in_view(filters, result[0], survey.phase):
            total, count = total + result[1], count + result[2]
    return voice.sentiment(total, count)


def _in_view(filters, day, phase):
    return ((not filters.start or day >= filters.start) and (not filters.end or day <= filters.end)
            and (not filters.phase or phase == filters.phase))


def _agreement(filters):
    """Each decided proposal's last round: supportive share and outcome (meetings only)."""
    if filters.kind == "survey":
        return []
    rows = []
    for meeting in store().all("meetings"):
        if not _in_view(filters, meeting["day"], meeting.get("phase")):
            continue
        for proposal in meeting["proposals"]:
            closed = [r for r in proposal["rounds"] if r["status"] == "closed"]
            if closed:
                last = closed[-1]
                rows.append({"text": localized(last["text"], meeting["default_language"]).text,
                             "day": meeting["day"], "round": last["number"],
                             "share": Fraction(last["tally"]["supportive_share"]),
                             "outcome": last["tally"]["outcome"]})
    return sorted(rows, key=lambda row: row["day"])


def _survey_means(survey, k):
    """(first day, {question id: mean agreement}) of a survey with at least k voices, else None.

    Voices are organisations on a survey whose responses carry the partner (see results.enough_voices).
    """
    records = store().records(surveys.stream(survey.id))
    if not records or not results.enough_voices(survey, [r.get("partner") for r in records], k):
        return None
    means = {}
    for question in survey.questions:
        if question.kind == "agreement":
            values = [r["answers"][question.id] for r in records if question.id in r["answers"]]
            means[question.id] = round(sum(values) / len(values), 2) if values else None
    return min(r["day"] for r in records), means


def _health_check_means(k):
    """(first day, survey, means) of each health check with at least k responses.

    Each survey is recomputed only when its own responses change.
    """
    memo = current_app.extensions.setdefault("roundtable.health_means", {})
    checks = []
    for doc in sorted(store().find(surveys.TABLE, template="health_check"), key=lambda d: d["created"]):
        survey = surveys.get_survey(store(), doc["id"])
        key = (store().stream_version(surveys.stream(survey.id)), k)
        if doc["id"] not in memo or memo[doc["id"]][0] != key:
            memo[doc["id"]] = (key, _survey_means(survey, k))
        result = memo[doc["id"]][1]
        if result is not None:
            checks.append((result[0], survey, result[1]))
    return checks


def _health_checks(filters, k):
    """Mean agreement per challenge in each health-check survey in view."""
    if filters.kind == "round":
        return None
    checks = [(day, survey, means) for day, survey, means in cached("health", lambda: _health_check_means(k))
              if _in_view(filters, day, survey.phase)]
    if not checks:
        return None
    first = checks[0][1]
    language = first.default_language

    def statement(question):
        # Each survey made from the template has question ids of its own: a challenge is known by its words.
        return question.text.get(language) or next(iter(question.text.values()), question.id)

    challenges = [(statement(q), localized(q.text, language).text) for q in first.questions
                  if q.kind == "agreement"]
    by_statement = [{statement(q): means.get(q.id) for q in survey.questions if q.kind == "agreement"}
                    for _, survey, means in checks]
    return {"days": [day for day, _, _ in checks], "challenges": challenges,
            "means": [[means.get(key) for means in by_statement] for key, _ in challenges]}


def _event_label(event):
    kind = _("Survey") if event.kind == "survey" else _("Round")
    return f"{kind} {date_text(event.day)}"


def _event_labels(found):
    """A distinct label per event.

    Rounds (or surveys) of the same day are numbered: a chart's category axis would merge them.
    """
    labels = [_event_label(e) for e in found]
    totals, seen, distinct = Counter(labels), Counter(), []
    for label in labels:
        seen[label] += 1
        distinct.append(f"{label} ({seen[label]})" if totals[label] > 1 else label)
    return distinct


def _shortened(text, length):
    """``text`` cut to ``length`` characters, with an ellipsis if it was longer."""
    return text if len(text) <= length else text[:length] + "…"


def _chart_percent(share):
    # No active partner leaves no share: a gap in the line, not a crash.
    return None if share is None else round(float(share) * 100)


def _phase_names():
    """Each partnership phase by its name in the visitor's language; events without one under "No phase"."""
    return {**{key: str(label) for key, label in phase_labels().items()}, "": _("No phase")}


def _charts(data):
    rtl = text_direction(current_language()) == "rtl"
    built = {}
    by_phase = data["by_phase"] and charts.phase_lines(
        (*PHASES, ""), _phase_names(),
        [(_("Partners heard"), {phase: _chart_percent(fit and fit.partners) for phase, fit, _e in data["by_phase"]}),
         (_("Partner types heard"), {phase: _chart_percent(fit and fit.type_share)
                                     for phase, fit, _e in data["by_phase"]})],
        _("Coverage by partnership phase"), _("Share heard"), right_to_left=rtl, percent_affixes=percent_affixes())
    if by_phase:
        built["phases"] = by_phase
    if data["monthly"]:
        built["coverage"] = charts.lines(
            [month_label(row[0]) for row in data["monthly"]],
            [(_("Partners heard"), [_chart_percent(row[1] and row[1].partners) for row in data["monthly"]]),
             (_("Partner types heard"), [_chart_percent(row[1] and row[1].type_share)
                                             for row in data["monthly"]])],
            _("Coverage by month"), _("Share heard"), right_to_left=rtl, percent_affixes=percent_affixes())
    if data["lorenz"] and data["equity"] is not None:
        built["equity"] = charts.lorenz_curve(
            data["lorenz"], _("How evenly voice is spread (Lorenz curve)"), _("Share of partners, least heard first"),
            _("Share of all contributions"), _("Perfect equality"), _("Our partners"), right_to_left=rtl,
            percent_affixes=percent_affixes())
    if data["events"] and data["heat_rows"]:
        built["heatmap"] = charts.heatmap(data["heat_rows"], _event_labels(data["events"]),
                                          data["heat"], _("Partners heard, by partner type and event"),
                                          right_to_left=rtl)
    if data["agreement"]:
        built["agreement"] = charts.distribution(
            [_("%(proposal)s (round %(number)s)", proposal=_shortened(row["text"], 60), number=row["round"])
             for row in data["agreement"]], [_chart_percent(row["share"]) for row in data["agreement"]],
            _("Supportive share in each proposal's last round"), _("Supportive share (%)"), right_to_left=rtl)
    if data["health"]:
        health = data["health"]
        built["health"] = charts.lines(
            [date_text(day) for day in health["days"]],
            [(name[:50], means) for (_qid, name), means in zip(health["challenges"], health["means"])],
            _("Health check: mean agreement per challenge"), _("Mean agreement (1 to 5)"), right_to_left=rtl,
            percent=False)
    return {key: json.dumps(figure) for key, figure in built.items()}


@bp.get("/dashboard")
@permission_required("read_dashboards")
def dashboard():
    """Headline figures, then charts, each with a caption and a table."""
    type_list = partners.partner_types(store())
    filters = Filters.from_args(request.args, {t.key for t in type_list})
    data = figures(filters)
    return render_template("dashboard/dashboard.html", data=data, charts=_charts(data), filters=filters,
                           phases=PHASES, type_list=[(t.key, type_label(t)) for t in type_list],
                           partners_heard=_partners_heard, types_heard=_types_heard,
                           event_labels=_event_labels, phase_names=_phase_names(), query=request.query_string.decode())


@bp.get("/dashboard.csv")
@permission_required("read_dashboards")
def dashboard_csv():
    """The dashboard's figures as CSV."""
    filters = Filters.from_args(request.args, {t.key for t in partners.partner_types(store())})
    data = figures(filters)
    output = io.StringIO()
    writer = exports.csv_writer(output)
    writer.writerow([_("Figure"), _("Group"), _("Value")])
    writer.writerow([_("Partners heard"), "", _partners_heard(data["coverage"])])
    writer.writerow([_("Partner types heard"), "", _types_heard(data["coverage"])])
    writer.writerow([_("Equity (1 − Gini)"), "", "" if data["equity"] is None else round(float(data["equity"]), 3)])
    writer.writerow([_("Sentiment (−1 to +1)"), "", "" if data["sentiment"] is None else
                     round(float(data["sentiment"]), 2)])
    phase_names = _phase_names()
    for phase, fit, equity in data["by_phase"]:
        name = phase_names[phase]
        writer.writerow([_("Partners heard"), name, _partners_heard(fit, short=True)])
        writer.writerow([_("Partner types heard"), name, _types_heard(fit)])
        writer.writerow([_("Equity (1 − Gini)"), name, "" if equity is None else round(float(equity), 3)])
    for month, fit in data["monthly"]:
        writer.writerow([_("Partners heard"), month, _partners_heard(fit, short=True)])
        writer.writerow([_("Partner types heard"), month, _types_heard(fit)])
    for name, count in data["contributions"]:
        writer.writerow([_("Events heard in"), name, count])
    for partner, last in data["silent"]:
        writer.writerow([_("Silent partner, last heard"), partner.name, last or _("never")])
    return Response(output.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="voice-dashboard.csv"'})

