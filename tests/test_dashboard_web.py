"""The voice dashboard through the web: its figures are the metric functions' results, filters, CSV, roles.

Every expected figure is computed here from ``roundtable.events`` and
``roundtable.voice`` over the demo partnership, and formatted the way the page
writes it, then compared with what the page (or its CSV) shows.
"""

import csv
import datetime
import html
import io
import json
import re
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from flask_babel import format_percent

from roundtable import demo, events, partners, surveys, voice
from roundtable.survey_templates import TEMPLATES
from roundtable.surveys import PHASES
from views.dashboard import Filters
from views.formats import date_text as meeting_date

DASH = "—"
PARTNERS = "Partners heard"
TYPES = "Partner types heard"
EQUITY = "Equity (1 = every partner heard equally)"
SILENT = "Silent partners (not heard in the last 5 events)"
SILENT_TABLE = "Silent partners"
CONTRIBUTIONS_TABLE = "Events each partner was heard in"
HEATMAP_TABLE = "Partners heard, by partner type and event"


# -- reading the page ------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a dashboard page the tests read: terms and definitions, tables by caption, chart images."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.facts = {}  # dt text -> dd text
        self.tables = {}  # caption -> rows of cell texts (header row included)
        self.images = []  # aria-labels of role="img" elements
        self.figures = 0  # elements carrying a data-figure
        self.figure_data = []  # their Plotly figures
        self._text = None
        self._term = None
        self._table = None
        self._row = None
        self._caption = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("role") == "img":
            self.images.append(attrs.get("aria-label", ""))
        if "data-figure" in attrs:
            self.figures += 1
            self.figure_data.append(json.loads(attrs["data-figure"]))
        if tag in ("dt", "dd", "caption", "th", "td"):
            self._text = []
        if tag == "table":
            self._table, self._caption = [], None
        elif tag == "tr":
            self._row = []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag in ("dt", "dd", "caption", "th", "td") and self._text is not None:
            text = " ".join("".join(self._text).split())
            self._text = None
            if tag == "dt":
                self._term = text
            elif tag == "dd" and self._term is not None:
                self.facts[self._term] = text
                self._term = None
            elif tag == "caption":
                self._caption = text
            elif self._row is not None:
                self._row.append(text)
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables[self._caption] = self._table
            self._table = None

    def body_rows(self, caption):
        """A table's rows below its header row."""
        return self.tables[caption][1:]


def get_page(client, query=None):
    """GET /dashboard and parse it; the response must be a 200."""
    response = client.get("/dashboard", query_string=query or {})
    assert response.status_code == 200, response.status_code
    return Page(response.get_data(as_text=True)), response


# -- what the page should say ------------------------------------------------------


def expected(app, query=None):
    """The headline figures, computed from the metric functions and formatted as the page writes them."""
    store = app.config["STORE"]
    roster_all = events.roster(store)
    type_keys = {t.key for t in partners.partner_types(store)}
    found, roster = Filters.from_args(query or {}, type_keys).apply(events.all_events(store), roster_all)
    fit = voice.fitting_coverage(found, roster)
    equity = voice.equity(found, roster)
    silent = voice.silent_partners(found, roster, last_events=5)
    with app.test_request_context():
        return {
            "facts": {
                PARTNERS: (
                    DASH
                    if fit is None or fit.partners is None and not fit.by_type
                    else "Not recorded: these surveys record the partner type only"
                    if fit.partners is None
                    else format_percent(float(fit.partners))
                ),
                # counted where surveys record the partner type, a share otherwise
                TYPES: (
                    DASH
                    if fit is None
                    else f"{fit.types_heard} of {fit.types_total}"
                    if fit.by_type
                    else format_percent(float(fit.type_share))
                ),
                EQUITY: DASH if equity is None else f"{float(equity):.2f}",
                SILENT: str(len(silent)),
            },
            "silent": [[p.name, meeting_date(last) if last else "never"] for p, last in silent],
            "events": found,
            "roster": voice.active(roster),
            "equity": equity,
        }


def format_percent_en(app, value):
    """``value`` as a percentage, the way the page writes it in English."""
    with app.test_request_context():
        return format_percent(value)


def headline(page):
    """The four headline figures as the page shows them."""
    return {term: page.facts[term] for term in (PARTNERS, TYPES, EQUITY, SILENT)}


def assert_page_matches(app, client, query=None):
    """The page for ``query`` shows exactly the figures the metric functions give; returns (page, expectation)."""
    page, response = get_page(client, query)
    want = expected(app, query)
    assert headline(page) == want["facts"], (query, headline(page), want["facts"])
    body = response.get_data(as_text=True)
    count = len(want["events"])
    assert (f"{count} event in view" if count == 1 else f"{count} events in view") in body
    if want["silent"]:
        rows = page.body_rows(SILENT_TABLE)
        assert [[row[0], row[2]] for row in rows] == want["silent"]
    else:
        assert SILENT_TABLE not in page.tables
    return page, want


# -- fixtures ----------------------------------------------------------------------


@pytest.fixture
def demo_app(app):
    """The app holding the demo partnership."""
    demo.seed_demo(app.config["STORE"])
    return app


@pytest.fixture
def leader(demo_app, client, staff):
    """A client logged in as a leader, on the demo partnership."""
    staff.login("lea", "leader")
    return client


# -- the figures -------------------------------------------------------------------


def test_headline_figures_are_the_metric_functions_results(demo_app, leader):
    page, want = assert_page_matches(demo_app, leader)
    # The demo partnership is heard unevenly, and not by everybody.
    assert want["equity"] is not None and 0 < want["equity"] < 1
    assert page.facts[EQUITY] not in ("", DASH)
    assert float(page.facts[EQUITY]) == pytest.approx(float(want["equity"]), abs=0.005)
    assert page.facts[PARTNERS] != DASH and page.facts[TYPES] != DASH


def test_silent_partners_are_listed_with_the_day_last_heard_or_never(demo_app, leader):
    page, want = assert_page_matches(demo_app, leader)
    rows = page.body_rows(SILENT_TABLE)
    assert rows, "the demo partnership has silent partners"
    store = demo_app.config["STORE"]
    found, roster = events.all_events(store), events.roster(store)
    for (partner, last), row in zip(voice.silent_partners(found, roster, last_events=5), rows):
        assert row[0] == partner.name
        with demo_app.test_request_context():
            assert row[2] == (meeting_date(last) if last else "never")
    assert int(page.facts[SILENT]) == len(rows)


def test_contributions_table_counts_events_each_active_partner_was_heard_in(demo_app, leader):
    page, _ = get_page(leader)
    store = demo_app.config["STORE"]
    counts = voice.contributions(events.all_events(store), events.roster(store))
    names = {p.id: p.name for p in events.roster(store)}
    shown = {row[0]: int(row[1]) for row in page.body_rows(CONTRIBUTIONS_TABLE)}
    assert shown == {names[pid]: count for pid, count in counts.items()}


def test_every_chart_is_an_image_with_a_table(demo_app, leader):
    page, _ = get_page(leader)
    assert page.figures >= 3
    assert len(page.images) == page.figures
    assert all(label for label in page.images), "every chart has an accessible name"
    for caption in ("Coverage by month", CONTRIBUTIONS_TABLE, HEATMAP_TABLE):
        assert caption in page.tables


def test_heatmap_has_one_distinct_column_per_event(demo_app, leader):
    """The demo meeting holds four rounds on one day: each keeps a column of its own, in chart and table."""
    page, want = assert_page_matches(demo_app, leader)
    columns = page.tables[HEATMAP_TABLE][0][1:]
    assert len(columns) == len(want["events"]) == len(set(columns))
    heatmap = next(f for f in page.figure_data if f["data"][0]["type"] == "heatmap")["data"][0]
    assert heatmap["x"] == columns
    assert all(len(row) == len(columns) for row in heatmap["z"])
    # Each cell counts the partners of that type heard in that event.
    roster = want["roster"]
    types = sorted({p.type for p in roster})
    assert heatmap["z"] == [
        [sum(1 for p in roster if p.type == key and p.id in e.partners) for e in want["events"]] for key in types
    ]


HEALTH_TABLE = "Health check: mean agreement per challenge"


def health_columns(page):
    """The health-check table by column: one list of means (None for "—") per health check."""
    rows = page.body_rows(HEALTH_TABLE)
    return [[None if row[i] == DASH else float(row[i]) for row in rows] for i in range(1, len(rows[0]))]


def health_means(store, survey):
    """Mean agreement per challenge of one survey, in its order, from its responses."""
    responses = surveys.responses_for(store, survey.id)
    means = []
    for question in (q for q in survey.questions if q.kind == "agreement"):
        values = [r.answers[question.id] for r in responses if question.id in r.answers]
        means.append(round(sum(values) / len(values), 2) if values else None)
    return means


def test_health_check_table_has_each_health_checks_means(demo_app, leader):
    """Every health check with at least k responses has a column of its own means, not only the first."""
    store = demo_app.config["STORE"]
    k = demo_app.config["ANONYMITY_K"]
    checks = sorted(
        (doc for doc in store.all(surveys.TABLE) if doc.get("template") == "health_check"),
        key=lambda doc: doc["created"],
    )
    expected_columns = [
        health_means(store, surveys.get_survey(store, doc["id"]))
        for doc in checks
        if surveys.response_count(store, doc["id"]) >= k
    ]
    assert len(expected_columns) == 2
    columns = health_columns(get_page(leader)[0])
    assert columns == expected_columns
    assert all(value is not None for column in columns for value in column)


def test_health_checks_with_fewer_than_k_responses_are_left_out(demo_app, leader):
    store = demo_app.config["STORE"]
    k = demo_app.config["ANONYMITY_K"]
    before = get_page(leader)[0].tables[HEALTH_TABLE]
    lonely = surveys.set_status(
        store,
        surveys.create_from_template(store, TEMPLATES["health_check"], "partner_type", key="health_check").id,
        "open",
    )
    answers, _ = surveys.validate_answers(lonely, {lonely.questions[0].id: ["5"]})
    for _ in range(k - 1):
        surveys.submit_response(store, lonely, answers, partner_type="labor", secret=demo_app.secret_key)
    assert get_page(leader)[0].tables[HEALTH_TABLE] == before
    surveys.submit_response(store, lonely, answers, partner_type="labor", secret=demo_app.secret_key)
    columns = health_columns(get_page(leader)[0])
    assert len(columns) == len(before[0])  # one more than before, the row header aside
    assert columns[-1] == [5.0] + [None] * (len(columns[-1]) - 1)


def test_agreement_table_has_each_proposals_last_round(demo_app, leader):
    page, _ = get_page(leader)
    meeting = demo_app.config["STORE"].all("meetings")[0]
    lasts = [[r for r in p["rounds"] if r["status"] == "closed"][-1] for p in meeting["proposals"]]
    rows = page.body_rows("Proposals and their last round")
    assert len(rows) == len(lasts) == 3
    for row, last in zip(rows, lasts):
        assert row[1] == format_percent_en(demo_app, float(Fraction(last["tally"]["supportive_share"])))


@pytest.mark.parametrize("language, word", [("en", "round"), ("es", "ronda"), ("ar", "الجولة")])
def test_agreement_chart_names_each_round_in_the_visitors_language(demo_app, leader, language, word):
    page = leader.get("/dashboard", headers={"Accept-Language": language}).get_data(as_text=True)
    figures = [json.loads(html.unescape(value)) for value in re.findall(r'data-figure="([^"]*)"', page)]
    labels = [
        label
        for figure in figures
        for trace in figure["data"]
        for label in list(trace.get("x") or []) + list(trace.get("y") or [])
        if isinstance(label, str) and re.search(r"\(\D+ \d+\)$", label)
    ]
    assert len(labels) == 3 and all(re.search(rf"\({word} \d+\)$", label) for label in labels), labels


def test_new_data_shows_at_once(demo_app, leader):
    """The dashboard caches its figures, but never past a change in the store."""
    store = demo_app.config["STORE"]
    page, want = assert_page_matches(demo_app, leader)
    partner = next(p for p in events.roster(store) if p.name == want["silent"][0][0])
    survey = next(
        s
        for s in surveys.list_surveys(store)
        if s.is_open and s.attribution == "partner_type" and s.questions[0].kind == "agreement"
    )
    answers, _ = surveys.validate_answers(survey, {survey.questions[0].id: ["4"]})
    surveys.submit_response(
        store, survey, answers, partner_id=partner.id, partner_type=partner.type, secret=demo_app.secret_key
    )
    # That survey is attributed by partner type: the silent partner's type is heard now.
    page_after, _ = assert_page_matches(demo_app, leader)
    assert page_after.facts[TYPES] != page.facts[TYPES]
    # A new partner is a new silent partner.
    partners.add_partner(store, "Acme Newcomers", "business")
    page_new, _ = assert_page_matches(demo_app, leader)
    assert "Acme Newcomers" in [row[0] for row in page_new.body_rows(SILENT_TABLE)]


# -- filters -----------------------------------------------------------------------


def test_partner_type_filter_restricts_the_roster(demo_app, leader):
    page, want = assert_page_matches(demo_app, leader, {"type": "labor"})
    labor = {p.name for p in events.roster(demo_app.config["STORE"]) if p.type == "labor" and p.active}
    assert labor and {p.name for p in want["roster"]} == labor
    assert {row[0] for row in page.body_rows(CONTRIBUTIONS_TABLE)} <= labor
    assert {row[0] for row in page.tables.get(SILENT_TABLE, [[]])[1:]} <= labor
    # One partner type in view: one row of the heatmap, and every type in view was heard or not.
    assert page.facts[TYPES] in ("0 of 1", "1 of 1")
    assert len(page.body_rows(HEATMAP_TABLE)) == 1
    assert page.facts != get_page(leader)[0].facts


def test_kind_round_keeps_only_meeting_rounds(demo_app, leader):
    page, want = assert_page_matches(demo_app, leader, {"kind": "round"})
    assert want["events"] and all(e.kind == "round" for e in want["events"])
    columns = page.tables[HEATMAP_TABLE][0][1:]
    assert len(columns) == len(want["events"]) and all(column.startswith("Round ") for column in columns)
    # No survey feeds the page: the health check is a survey.
    assert "Health check: mean agreement per challenge" not in page.tables


def test_kind_survey_keeps_only_surveys(demo_app, leader):
    page, want = assert_page_matches(demo_app, leader, {"kind": "survey"})
    assert want["events"] and all(e.kind == "survey" for e in want["events"])
    columns = page.tables[HEATMAP_TABLE][0][1:]
    assert all(column.startswith("Survey ") for column in columns)
    assert "Proposals and their last round" not in page.tables


def test_date_range_keeps_the_events_inside_it(demo_app, leader):
    days = sorted({e.day for e in events.all_events(demo_app.config["STORE"])})
    assert len(days) >= 3
    for query in (
        {"from": days[1]},
        {"to": days[-2]},
        {"from": days[1], "to": days[1]},
        {"from": days[-1], "to": days[0]},
    ):
        _, want = assert_page_matches(demo_app, leader, query)
        assert all((query.get("from", "") <= e.day) and (e.day <= query.get("to", "9999")) for e in want["events"])
    # from after to: nothing in view.
    page, want = assert_page_matches(demo_app, leader, {"from": days[-1], "to": days[0]})
    assert want["events"] == [] and page.facts[EQUITY] == DASH and page.figures == 0


def test_phase_filter_matches_and_a_phase_with_no_events_shows_no_charts(demo_app, leader):
    found = events.all_events(demo_app.config["STORE"])
    used = {e.phase for e in found if e.phase}
    assert used, "the demo tags its surveys and meeting with phases"
    for phase in sorted(used):
        _, want = assert_page_matches(demo_app, leader, {"phase": phase})
        assert want["events"] and all(e.phase == phase for e in want["events"])
    empty = next(phase for phase in PHASES if phase not in used)
    page, want = assert_page_matches(demo_app, leader, {"phase": empty})
    assert want["events"] == []
    assert page.figures == 0 and page.images == []
    assert page.facts[EQUITY] == DASH
    assert "0 events in view" in get_page(leader, {"phase": empty})[1].get_data(as_text=True)


def test_filters_combine(demo_app, leader):
    days = sorted({e.day for e in events.all_events(demo_app.config["STORE"])})
    assert_page_matches(demo_app, leader, {"kind": "survey", "type": "business", "from": days[0], "to": days[-1]})
    assert_page_matches(demo_app, leader, {"kind": "round", "phase": "planning", "type": "government"})


BAD_FILTERS = [
    {"from": "yesterday"},
    {"to": "2026-13-45"},
    {"from": "abcd-ef-gh"},
    {"from": "2026-02-30"},
    {"from": "0000-00-00", "to": "9999-99-99"},
    {"from": "-1"},
    {"to": ""},
    {"from": "2026-01-01' OR '1'='1"},
    {"from": "2026-01-01" * 1000},
    {"to": "\u0000\ufffd" * 20},
    {"from": "<script>alert(1)</script>"},
    {"phase": "winter"},
    {"phase": "PLANNING"},
    {"phase": "<script>alert(1)</script>"},
    {"type": "pirates"},
    {"type": "Labor"},
    {"type": "<script>alert(1)</script>"},
    {"kind": "email"},
    {"kind": "rounds"},
    {"kind": "<script>alert(1)</script>"},
]


def test_bad_filter_values_are_ignored(demo_app, leader):
    """A bad value is dropped: the page shows what it shows without it, never a 5xx, never echoed markup."""
    unfiltered = headline(get_page(leader)[0])
    unfiltered_csv = leader.get("/dashboard.csv").get_data(as_text=True)
    for query in BAD_FILTERS:
        page, response = get_page(leader, query)
        assert headline(page) == unfiltered, query
        assert "<script>alert" not in response.get_data(as_text=True), query
        csv_response = leader.get("/dashboard.csv", query_string=query)
        assert csv_response.status_code == 200, query
        assert csv_response.get_data(as_text=True) == unfiltered_csv, query


def test_a_repeated_filter_counts_once(demo_app, leader):
    page, _ = get_page(leader, {"phase": ["planning", "<script>"], "kind": ["round", "survey"]})
    assert headline(page) == expected(demo_app, {"phase": "planning", "kind": "round"})["facts"]


def test_bad_values_next_to_good_ones_keep_the_good_ones(demo_app, leader):
    query = {"kind": "round", "phase": "<script>", "from": "nope", "type": "labor"}
    page, _ = get_page(leader, query)
    assert headline(page) == expected(demo_app, {"kind": "round", "type": "labor"})["facts"]


def test_filters_are_kept_in_the_form_and_the_csv_link(demo_app, leader):
    days = sorted({e.day for e in events.all_events(demo_app.config["STORE"])})
    response = leader.get("/dashboard", query_string={"from": days[0], "kind": "round", "type": "labor"})
    body = html.unescape(response.get_data(as_text=True))
    month, day = int(days[0][5:7]), int(days[0][8:])  # shown as typed in English: M/d/yyyy
    assert f'name="from" value="{month}/{day}/{days[0][:4]}"' in body
    assert '<option value="round" selected>' in body
    assert '<option value="labor" selected>' in body
    assert f"/dashboard.csv?from={days[0]}&kind=round&type=labor" in body


# -- CSV ---------------------------------------------------------------------------


def csv_rows(client, query=None):
    response = client.get("/dashboard.csv", query_string=query or {})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode("utf-8")), raw[:10]
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("query", [None, {"type": "labor"}, {"kind": "round"}, {"kind": "survey", "phase": "renewing"}])
def test_csv_starts_with_a_bom_and_its_headline_rows_are_the_pages(demo_app, leader, query):
    rows = csv_rows(leader, query)
    page, _ = get_page(leader, query)
    want = expected(demo_app, query)
    assert rows[0] == ["Figure", "Group", "Value"]
    assert rows[1] == [PARTNERS, "", page.facts[PARTNERS]]
    assert rows[2] == [TYPES, "", page.facts[TYPES]]
    assert rows[3][:2] == ["Equity (1 − Gini)", ""]
    if want["equity"] is None:
        assert rows[3][2] == "" and page.facts[EQUITY] == DASH
    else:
        assert f"{float(rows[3][2]):.2f}" == page.facts[EQUITY]
        assert float(rows[3][2]) == pytest.approx(float(want["equity"]), abs=0.0005)
    silent = [row[1:] for row in rows if row[0] == "Silent partner, last heard"]
    assert [name for name, _ in silent] == [row[0] for row in page.tables.get(SILENT_TABLE, [[]])[1:]]
    assert len(silent) == int(page.facts[SILENT])
    heard = {row[1]: int(row[2]) for row in rows if row[0] == "Events heard in"}
    assert heard == {row[0]: int(row[1]) for row in page.tables.get(CONTRIBUTIONS_TABLE, [[]])[1:]}


def test_csv_with_an_empty_store(client, staff):
    staff.login("lea", "leader")
    rows = csv_rows(client)
    assert rows[1] == [PARTNERS, "", DASH]
    assert rows[2] == [TYPES, "", DASH]
    assert rows[3] == ["Equity (1 − Gini)", "", ""]


# -- an empty partnership ----------------------------------------------------------


def test_an_empty_store_shows_dashes_and_no_chart(app, client, staff):
    staff.login("lea", "leader")
    page, response = get_page(client)
    assert headline(page) == {PARTNERS: DASH, TYPES: DASH, EQUITY: DASH, SILENT: "0"}
    assert page.figures == 0 and page.images == []
    assert "0 events in view" in response.get_data(as_text=True)


def test_partners_but_no_events_show_no_chart(app, client, staff):
    partners.add_partner(app.config["STORE"], "Acme", "business")
    staff.login("lea", "leader")
    page, _ = assert_page_matches(app, client)
    assert page.facts[EQUITY] == DASH and page.figures == 0
    assert [row[2] for row in page.body_rows(SILENT_TABLE)] == ["never"]


def test_a_roster_with_no_active_partner_still_shows_the_dashboard(demo_app, leader):
    store = demo_app.config["STORE"]
    for partner in partners.list_partners(store):
        partners.set_active(store, partner.id, False)
    page, response = get_page(leader)
    assert response.status_code == 200
    assert page.facts[PARTNERS] == DASH and page.figures > 0


def test_a_partner_silent_since_a_day_shows_that_day(app, client, staff):
    """Heard once in January, then not in the five events since: listed with that day, longest silent first."""
    store = app.config["STORE"]
    quiet = partners.add_partner(store, "Quiet Cooperative", "cbo")
    busy = partners.add_partner(store, "Busy Builders", "business")
    for day in range(5, 11):
        survey = surveys.set_status(
            store,
            surveys.create_survey(
                store,
                {"en": f"Check {day}"},
                "en",
                "partner",
                "planning",
                questions=[{"kind": "yes_no", "text": {"en": "Ready?"}}],
            ).id,
            "open",
        )
        answers, _ = surveys.validate_answers(survey, {survey.questions[0].id: ["yes"]})
        for partner in [quiet, busy] if day == 5 else [busy]:
            surveys.submit_response(
                store, survey, answers, partner_id=partner.id, today=datetime.date(2026, 1, day), secret=app.secret_key
            )
    staff.login("lea", "leader")
    page, _ = assert_page_matches(app, client)
    assert page.body_rows(SILENT_TABLE) == [
        ["Quiet Cooperative", "Community-based organization (not-for-profit)", "Jan 5, 2026"]
    ]
    assert page.facts[PARTNERS] == format_percent_en(app, 1)
    assert page.facts[EQUITY] == f"{float(voice.equity(events.all_events(store), events.roster(store))):.2f}"


# -- who may look ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "facilitator", "admin"])
def test_staff_who_read_dashboards_see_it(demo_app, client, staff, role):
    staff.login(f"someone-{role}", role)
    assert client.get("/dashboard").status_code == 200
    assert client.get("/dashboard.csv").status_code == 200


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard.csv", "/dashboard?kind=round"])
def test_visitors_are_sent_to_log_in(demo_app, client, path):
    response = client.get(path)
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert "Silent partner" not in response.get_data(as_text=True)


def test_sentiment_and_phase_trend_are_the_metric_functions_results(demo_app, leader):
    store = demo_app.config["STORE"]
    k = demo_app.config["ANONYMITY_K"]
    scores = []
    for survey in surveys.list_surveys(store):
        records = store.records(surveys.stream(survey.id))
        if len(records) >= k:
            scales = {q.id for q in survey.questions if q.kind == "agreement"}
            scores += [v for r in records for qid, v in r["answers"].items() if qid in scales]
    page, _ = get_page(leader)
    expected_sentiment = voice.agreement_sentiment(scores)
    assert page.facts["Sentiment on agreement scales (−1 to +1, 0 = neutral)"] == f"{float(expected_sentiment):+.2f}"
    rows = page.tables["Coverage and equity by partnership phase"][1:]
    trend = voice.phase_trend(events.all_events(store), events.roster(store))
    assert len(rows) == len(trend) >= 3
    with demo_app.test_request_context():
        from forms.surveys import phase_labels

        for row, (phase, fit, equity) in zip(rows, trend):
            assert row[0] == str(phase_labels()[phase])
            assert row[1] == ("Not recorded" if fit.partners is None else format_percent(float(fit.partners)))
            assert row[2] == (
                f"{fit.types_heard} of {fit.types_total}" if fit.by_type else format_percent(float(fit.type_share))
            )
            assert row[3] == (f"{float(equity):.2f}" if equity is not None else DASH)


def test_numbers_and_months_are_written_the_visitors_way(demo_app, leader):
    spanish = leader.get("/dashboard", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<body data-number-separators=",.">' in spanish
    english = leader.get("/dashboard", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<body data-number-separators=".,">' in english
    month = events.all_events(demo_app.config["STORE"])[-1].day[:7]
    with demo_app.test_request_context(headers={"Accept-Language": "es"}):
        from views.formats import month_label

        label = month_label(month)
    assert f'<th scope="row">{label}</th>' in spanish
    assert f'<th scope="row">{month}</th>' not in spanish


@pytest.mark.parametrize("code, written", [("en", "Nov 2026"), ("zh_Hans", "2026年11月"), ("es", "nov 2026")])
def test_months_follow_each_languages_order(app, code, written):
    with app.test_request_context(headers={"Accept-Language": code.replace("_", "-")}):
        from views.formats import month_label

        assert month_label("2026-11") == written


def test_captions_state_the_takeaway(demo_app, leader):
    page = leader.get("/dashboard").get_data(as_text=True)
    store = demo_app.config["STORE"]
    found, roster = events.all_events(store), events.roster(store)
    heard_types = set().union(*(e.partner_types for e in found if e.partners)) if found else set()
    unheard = sorted(
        {p.type for p in voice.active(roster)}
        - {p.type for p in voice.active(roster) if any(p.id in e.partners for e in found)}
    )
    assert unheard, "the demo leaves a partner type unheard"
    with demo_app.test_request_context():
        from views.labels import builtin_type_labels

        names = ", ".join(builtin_type_labels()[key] for key in unheard)
    assert f"Not heard in any event in view: {html.escape(names)}." in page
    assert "the lowest-scoring challenge is" in page
    assert heard_types  # partner types were heard in surveys by type


def test_health_checks_by_partner_need_k_organisations(demo_app, leader):
    """On a survey whose responses carry the partner, k responses from fewer than k partners show nothing."""
    store = demo_app.config["STORE"]
    k = demo_app.config["ANONYMITY_K"]
    before = get_page(leader)[0].tables[HEALTH_TABLE]
    sentiment_before = get_page(leader)[0].facts
    lonely = surveys.set_status(
        store, surveys.create_from_template(store, TEMPLATES["health_check"], "partner", key="health_check").id, "open"
    )
    answers, _ = surveys.validate_answers(lonely, {lonely.questions[0].id: ["5"]})
    roster = [p for p in events.roster(store) if p.active]
    for _ in range(k):
        surveys.submit_response(store, lonely, answers, partner_id=roster[0].id, secret=demo_app.secret_key)
    for partner in roster[1 : k - 1]:
        surveys.submit_response(store, lonely, answers, partner_id=partner.id, secret=demo_app.secret_key)
    page = get_page(leader)[0]
    assert page.tables[HEALTH_TABLE] == before
    assert {key: value for key, value in page.facts.items() if "entiment" in key} == {
        key: value for key, value in sentiment_before.items() if "entiment" in key
    }
    surveys.submit_response(store, lonely, answers, partner_id=roster[k - 1].id, secret=demo_app.secret_key)
    columns = health_columns(get_page(leader)[0])
    assert len(columns) == len(before[0])


# -- coverage that fits the attribution --------------------------------------------


def _answered(app, attribution, day, *voices, phase=None):
    """Open a survey by ``attribution`` in ``phase``, answered on ``day`` by each voice.

    A voice is a partner (by partner), a type key (by type), or anything (anonymous: it names nobody).
    """
    store = app.config["STORE"]
    survey = surveys.set_status(
        store,
        surveys.create_survey(
            store,
            {"en": f"Check {attribution} {day}"},
            "en",
            attribution,
            phase,
            questions=[{"kind": "yes_no", "text": {"en": "Ready?"}}],
        ).id,
        "open",
    )
    answers, _ = surveys.validate_answers(survey, {survey.questions[0].id: ["yes"]})
    for voice_ in voices:
        said = (
            {"partner_id": voice_.id}
            if attribution == "partner"
            else {"partner_type": voice_}
            if attribution == "partner_type"
            else {}
        )
        surveys.submit_response(store, survey, answers, today=day, secret=app.secret_key, **said)


COVERAGE_TABLE = "Coverage by month"


def test_a_month_heard_by_partner_type_counts_types_not_a_partner_share(app, client, staff):
    store = app.config["STORE"]
    acme = partners.add_partner(store, "Acme", "business")
    partners.add_partner(store, "Local 12", "labor")
    partners.add_partner(store, "College", "semi_public")
    _answered(app, "partner_type", datetime.date(2026, 1, 10), "labor", "business")
    _answered(app, "partner", datetime.date(2026, 2, 10), acme)
    _answered(app, "partner_type", datetime.date(2026, 2, 20), "labor")
    staff.login("lea", "leader")
    page, response = get_page(client, {"to": "2026-01-31"})
    assert page.facts[PARTNERS] == "Not recorded: these surveys record the partner type only"
    assert page.facts[TYPES] == "2 of 3"
    assert "In Jan 2026, 2 of 3 partner types were heard." in response.get_data(as_text=True)
    page, response = get_page(client)
    assert page.body_rows(COVERAGE_TABLE) == [
        ["Jan 2026", "Not recorded", "2 of 3"],
        ["Feb 2026", format_percent_en(app, 1 / 3), "2 of 3"],
    ]
    body = response.get_data(as_text=True)
    assert (
        f"In Feb 2026, {format_percent_en(app, 1 / 3)} of active partners were heard "
        "(in surveys by partner and meeting votes) and 2 of 3 partner types were heard."
    ) in body
    coverage = json.loads(html.unescape(re.search(r'data-figure="([^"]*)"', body).group(1)))
    partners_line = next(line for line in coverage["data"] if line["name"] == PARTNERS)
    assert partners_line["y"][0] is None  # a gap, not 0 %


PHASE_TABLE = "Coverage and equity by partnership phase"
PHASE_CHART = "Chart of coverage by partnership phase; the same figures are in the table."


def _phases_partnership(app):
    """Three partners heard by type in stewarding, by partner and by type in planning, anonymously in developing."""
    store = app.config["STORE"]
    acme = partners.add_partner(store, "Acme", "business")
    partners.add_partner(store, "Local 12", "labor")
    partners.add_partner(store, "College", "semi_public")
    _answered(app, "partner_type", datetime.date(2026, 1, 10), "labor", "business", phase="stewarding")
    _answered(app, "partner", datetime.date(2026, 2, 10), acme, phase="planning")
    _answered(app, "partner_type", datetime.date(2026, 2, 20), "labor", phase="planning")
    _answered(app, "anonymous", datetime.date(2026, 3, 10), None, None, phase="developing")


def _figure(page, title):
    """Find the page's chart titled ``title``."""
    return next(f for f in page.figure_data if f["layout"]["title"]["text"] == title)


def test_phases_read_in_order_and_by_what_their_surveys_record(app, client, staff):
    """A phase by partner type counts types; a mixed one shows both; an anonymous one says it was not recorded."""
    _phases_partnership(app)
    staff.login("lea", "leader")
    page, response = get_page(client)
    third = format_percent_en(app, 1 / 3)
    assert page.body_rows(PHASE_TABLE) == [
        ["Planning", third, "2 of 3", "0.33"],
        ["Developing", "Not recorded", "Not recorded", DASH],
        ["Stewarding", "Not recorded", "2 of 3", DASH],
    ]
    assert f"Fewest partners heard: Planning ({third} of active partners)." in response.get_data(as_text=True)
    assert page.body_rows(COVERAGE_TABLE)[-1] == ["Mar 2026", "Not recorded", "Not recorded"]
    assert "In Mar 2026, the surveys recorded neither the partner nor the partner type." in response.get_data(
        as_text=True
    )

    rows = csv_rows(client)
    assert [row for row in rows if row[1] in ("Planning", "Developing", "Stewarding")] == [
        [PARTNERS, "Planning", third],
        [TYPES, "Planning", "2 of 3"],
        ["Equity (1 − Gini)", "Planning", "0.333"],
        [PARTNERS, "Developing", "Not recorded"],
        [TYPES, "Developing", "Not recorded"],
        ["Equity (1 − Gini)", "Developing", ""],
        [PARTNERS, "Stewarding", "Not recorded"],
        [TYPES, "Stewarding", "2 of 3"],
        ["Equity (1 − Gini)", "Stewarding", ""],
    ]
    assert [PARTNERS, "2026-03", "Not recorded"] in rows and [TYPES, "2026-03", "Not recorded"] in rows


def test_a_view_heard_only_anonymously_says_so_rather_than_zero(app, client, staff):
    """Only anonymous surveys in view: the headline, the CSV and the phase table say "Not recorded", not 0 %."""
    _phases_partnership(app)
    staff.login("lea", "leader")
    page, _ = get_page(client, {"from": "2026-03-01"})
    assert page.facts[PARTNERS] == "Not recorded: these surveys record neither the partner nor the partner type"
    assert page.facts[TYPES] == "Not recorded"
    assert csv_rows(client, {"from": "2026-03-01"})[1:3] == [
        [PARTNERS, "", page.facts[PARTNERS]],
        [TYPES, "", "Not recorded"],
    ]
    # Nothing to draw by phase: no chart claims 0 %; the table says what was not recorded.
    assert PHASE_CHART not in page.images
    assert page.body_rows(PHASE_TABLE) == [["Developing", "Not recorded", "Not recorded", DASH]]


def test_the_phase_chart_has_the_phase_tables_figures(app, client, staff):
    """The chart sits beside its table and draws the same figures, gaps where a figure was not recorded."""
    _phases_partnership(app)
    staff.login("lea", "leader")
    page, response = get_page(client)
    assert PHASE_CHART in page.images and PHASE_TABLE in page.tables
    body = response.get_data(as_text=True)
    section = body[body.index('id="phase-title"') :]
    section = section[: section.index("</section>")]
    assert PHASE_CHART in section and PHASE_TABLE in section  # the chart beside its table
    figure = _figure(page, "Coverage by partnership phase")
    lines = {line["name"]: line for line in figure["data"]}
    assert lines[PARTNERS]["x"] == ["Planning", "Developing", "Stewarding"]
    assert lines[PARTNERS]["y"] == [33, None, None]  # gaps where partners were not recorded, not 0 %
    assert lines[TYPES]["y"] == [67, None, 67]
    assert figure["layout"]["xaxis"]["autorange"] is True


def test_the_phase_chart_is_mirrored_in_arabic(app, client, staff):
    """In Arabic the chart's phases are named in Arabic and run right to left, its y axis on the right."""
    _phases_partnership(app)
    staff.login("lea", "leader")
    response = client.get("/dashboard", headers={"Accept-Language": "ar"})
    page = Page(response.get_data(as_text=True))
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        from flask_babel import gettext

        from forms.surveys import phase_labels

        title, planning = gettext("Coverage by partnership phase"), str(phase_labels()["planning"])
    figure = _figure(page, title)
    assert figure["data"][0]["x"][0] == planning
    assert figure["layout"]["xaxis"]["autorange"] == "reversed" and figure["layout"]["yaxis"]["side"] == "right"


@pytest.mark.parametrize("language, suffix", [("en", "%"), ("es", "\u00a0%"), ("ar", "%")])
def test_percentage_axes_write_the_percent_sign_the_visitors_way(demo_app, leader, language, suffix):
    page = leader.get("/dashboard", headers={"Accept-Language": language}).get_data(as_text=True)
    figures = [json.loads(html.unescape(value)) for value in re.findall(r'data-figure="([^"]*)"', page)]
    suffixes = {
        axis["ticksuffix"]
        for figure in figures
        for name, axis in figure["layout"].items()
        if name.endswith("axis") and "ticksuffix" in axis and axis.get("range") == [0, 100]
    }
    assert suffixes == {suffix}  # coverage, phases and the Lorenz curve: as format_percent writes 50 %
