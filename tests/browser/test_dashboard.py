"""A leader reads the voice dashboard in English and in Arabic: every chart draws and has its table.

Words are looked up in the app's own catalogs, so these tests hold before and
after the translators' work. The ``page`` fixture fails the test on any console
error, script error, broken resource or CSP violation.
"""

import re

from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from roundtable import demo

from .conftest import log_in_as

# Each chart on the demo partnership's dashboard: the heading of its section,
# the chart's accessible name, and the caption of the table beside it.
CHARTS = [
    ("Coverage over time", "Chart of coverage by month; the same figures are in the table.", "Coverage by month"),
    (
        "By partnership phase",
        "Chart of coverage by partnership phase; the same figures are in the table.",
        "Coverage and equity by partnership phase",
    ),
    (
        "How evenly voice is spread",
        "Lorenz curve of how often each partner was heard; the same figures are in the table.",
        "Events each partner was heard in",
    ),
    (
        "Participation by partner type",
        "Heatmap of partners heard by type and event; the same figures are in the table.",
        "Partners heard, by partner type and event",
    ),
    (
        "How close proposals came to consensus",
        "Chart of the supportive share of each proposal; the same figures are in the table.",
        "Proposals and their last round",
    ),
    (
        "Partnership health check over time",
        "Chart of the health-check scores over time; the same figures are in the table.",
        "Health check: mean agreement per challenge",
    ),
]


def words(app, language):
    """``gettext`` as the app speaks to a visitor reading ``language``."""

    def translate(message, **variables):
        with app.test_request_context(), force_locale(language):
            return gettext(message, **variables)

    return translate


def log_in_as_leader_on_the_demo(page, live_app):
    """Seed the demo partnership (it refuses a store with accounts), then add a leader and log in."""
    store = live_app.config["STORE"]
    demo.seed_demo(store)
    log_in_as(page, live_app, "leila", "leader")


def check_dashboard(page, t):
    """Every chart draws a Plotly SVG, has an accessible name and a table beside it; silent partners are listed."""
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Is every partner heard?"))
    main = page.get_by_role("main")

    for heading, chart_name, caption in CHARTS:
        section = main.get_by_role("region", name=t(heading), exact=True)
        chart = section.get_by_role("img", name=t(chart_name), exact=True)
        expect(chart).to_be_visible()
        chart.scroll_into_view_if_needed()  # charts draw as they come into view
        expect(chart.locator("svg.main-svg").first).to_be_visible()
        table = section.get_by_role("table", name=t(caption), exact=True)
        expect(table).to_be_visible()
        expect(table.get_by_role("row")).not_to_have_count(0)

    # Whatever else is drawn (the dashboard grows), every chart is drawn and sits beside a table.
    charts = main.locator("[data-figure]")
    expect(charts).not_to_have_count(0)
    count = charts.count()
    assert count >= len(CHARTS)
    # (Plotly's own <svg> elements count as images too, so containers are counted by their role attribute.)
    expect(main.locator("[role=img]")).to_have_count(count)
    for index in range(count):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("role", "img")
        chart.scroll_into_view_if_needed()
        expect(chart.locator("svg.main-svg").first).to_be_visible()
        expect(chart.locator("xpath=ancestor::section[1]").get_by_role("table")).to_have_count(1)

    silent = main.get_by_role("table", name=t("Silent partners"), exact=True)
    expect(silent).to_be_visible()
    expect(silent.locator("tbody").get_by_role("row")).not_to_have_count(0)
    first = silent.locator("tbody").get_by_role("row").first
    expect(first.get_by_role("rowheader")).not_to_have_text("")
    last_heard = first.get_by_role("cell").last.inner_text().strip()
    assert last_heard == t("never") or re.search(r"\d", last_heard), last_heard


def test_leader_reads_the_dashboard_in_english_and_arabic(page, live_app):
    log_in_as_leader_on_the_demo(page, live_app)
    en, ar = words(live_app, "en"), words(live_app, "ar")

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    check_dashboard(page, en)

    page.get_by_role("banner").get_by_label("Language", exact=True).select_option(label="العربية")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    check_dashboard(page, ar)
    # The nav link leads here in Arabic too.
    page.get_by_role("navigation", name=ar("Main menu")).get_by_role("link", name=ar("Dashboard")).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    check_dashboard(page, ar)


def test_filters_redraw_and_charts_download_as_svg_and_png(page, live_app):
    """Choosing meeting votes only keeps the round charts; SVG and PNG downloads work under the CSP."""
    log_in_as_leader_on_the_demo(page, live_app)
    page.goto("/dashboard")
    t = words(live_app, "en")

    page.get_by_label(t("Kind of event")).select_option(label=t("Meeting votes"))
    page.get_by_role("button", name=t("Apply")).click()
    expect(page).to_have_url(re.compile(r"kind=round"))
    expect(page.get_by_label(t("Kind of event"))).to_have_value("round")
    main = page.get_by_role("main")
    expect(main.get_by_role("region", name=t("How close proposals came to consensus"))).to_be_visible()
    expect(main.get_by_role("region", name=t("Partnership health check over time"))).to_have_count(0)
    heatmap = main.get_by_role("table", name=t("Partners heard, by partner type and event"))
    for header in heatmap.get_by_role("columnheader").all()[1:]:
        expect(header).to_have_text(re.compile("^" + re.escape(t("Round")) + " "))

    for heading, label, extension in (
        ("Coverage over time", "Download as SVG", ".svg"),
        ("Participation by partner type", "Download as PNG", ".png"),
    ):
        section = main.get_by_role("region", name=t(heading))
        section.get_by_role("img").first.scroll_into_view_if_needed()
        expect(section.get_by_role("img").locator("svg.main-svg").first).to_be_visible()
        button = section.get_by_role("button", name=re.compile("^" + re.escape(t(label))))
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename.endswith(extension)
        assert download.value.path().stat().st_size > 0


def test_on_a_phone_plotly_comes_only_when_a_chart_is_scrolled_to(page, live_app):
    """The page's words and tables need no plotly.js; it is fetched and run when a chart comes into view."""
    log_in_as_leader_on_the_demo(page, live_app)
    page.set_viewport_size({"width": 412, "height": 823})
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    t = words(live_app, "en")
    page.goto("/dashboard")
    page.wait_for_load_state("networkidle")
    main = page.get_by_role("main")
    expect(main.get_by_role("table", name=t("Coverage by month"))).to_have_count(1)
    assert not [url for url in fetched if "plotly" in url and url.endswith(".js")]
    chart = main.get_by_role("img", name=t(CHARTS[0][1]), exact=True)
    expect(chart.locator("svg.main-svg")).to_have_count(0)

    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert [url for url in fetched if "plotly" in url and url.endswith(".js")]
