"""Arabic mirrors English: the same pages, measured in the browser, put the same things on the other side.

Each test reads a page in English, switches to Arabic with the language
switcher as a person would, and compares where key elements sit: the header,
form labels and their fields, radio buttons and their labels, the progress
bar, the send button, tables' first columns, and the charts' axes.
"""

import re

from playwright.sync_api import expect

from roundtable import demo, surveys
from roundtable.survey_templates import TEMPLATES

from .conftest import log_in_as, words

DESKTOP = {"width": 1280, "height": 800}
SLACK = 2  # px: rounding between edges that line up
HEALTH_CHECK = TEMPLATES["health_check"]


def box(locator):
    """The element's box in the window: left, right, top, bottom and centre."""
    found = locator.bounding_box()
    assert found, f"{locator} is not displayed"
    return {
        "left": found["x"],
        "right": found["x"] + found["width"],
        "top": found["y"],
        "bottom": found["y"] + found["height"],
        "centre": found["x"] + found["width"] / 2,
    }


def in_arabic(page):
    """Choose Arabic in the language list and wait for the right-to-left page."""
    page.get_by_role("banner").get_by_label("Language", exact=True).select_option(label="العربية")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def before(a, b, direction):
    """Whether ``a`` comes before ``b`` in reading order along a line: left of it in ltr, right of it in rtl."""
    return a["centre"] < b["centre"] if direction == "ltr" else a["centre"] > b["centre"]


def starts_at(inner, outer, direction, slack=SLACK):
    """Whether ``inner`` starts at ``outer``'s start edge (the left one in ltr, the right one in rtl), give or take."""
    edge = "left" if direction == "ltr" else "right"
    return abs(inner[edge] - outer[edge]) <= slack


def header(page, t):
    """The header's parts: brand, main menu (first and last item), the language list."""
    top = page.get_by_role("banner")
    menu = top.get_by_role("navigation", name=t("Main menu")).get_by_role("link")
    return {
        "header": box(top),
        "brand": box(top.get_by_role("link", name="Roundtable", exact=True)),
        "first item": box(menu.first),
        "last item": box(menu.last),
        "languages": box(top.get_by_label(t("Language"), exact=True)),
    }


def ticks(chart, axis):
    """(text, box) of an axis's tick labels, each checked to be inside the chart: none cut off at its edges."""
    chart.scroll_into_view_if_needed()  # charts are drawn as they come into view
    labels = chart.locator(f"g.{axis}tick text")
    expect(labels.first).to_be_visible()
    found = [(label.text_content(), box(label)) for label in labels.all()]
    frame = box(chart)
    for text, label in found:
        assert frame["left"] - SLACK <= label["left"] and label["right"] <= frame["right"] + SLACK, (
            f"the {axis} axis label {text!r} is cut off at the chart's edge",
            label,
            frame,
        )
    return found


def plot_area(chart):
    """The box of a chart's plotting area (between the axes)."""
    return box(chart.locator("rect.nsewdrag").first)


def check_header(parts, direction):
    """Brand, then the menu in reading order, then the language list; the brand at the start edge."""
    assert before(parts["brand"], parts["first item"], direction), parts
    assert before(parts["first item"], parts["last item"], direction), parts
    assert before(parts["last item"], parts["languages"], direction), parts
    # The brand opens the header at its start edge.
    start = "left" if direction == "ltr" else "right"
    assert abs(parts["brand"][start] - parts["header"][start]) < 40, parts


def coverage_chart(page, t):
    """The coverage-over-time chart (months along x, the share heard along y) and its table's months, in order."""
    section = page.get_by_role("main").get_by_role("region", name=t("Coverage over time"), exact=True)
    chart = section.get_by_role("img", name=t("Chart of coverage by month; the same figures are in the table."))
    table = section.get_by_role("table", name=t("Coverage by month"))
    months = [header.text_content().strip() for header in table.locator("tbody").get_by_role("rowheader").all()]
    return chart, months


def check_time_chart(chart, months, direction):
    """The earliest month sits at the start edge (left in ltr, right in rtl); the y axis is on the start side."""
    x = dict(ticks(chart, "x"))
    assert sorted(x) == sorted(months) and len(months) >= 2, (x, months)
    for earlier, later in zip(months, months[1:]):
        assert before(x[earlier], x[later], direction), (earlier, later, x)
    area = plot_area(chart)
    for _text, label in ticks(chart, "y"):
        assert (
            (label["right"] <= area["left"] + SLACK) if direction == "ltr" else (label["left"] >= area["right"] - SLACK)
        ), (label, area)


def phase_chart(page, t):
    """Find the coverage-by-phase chart (phases along x) and its table's phases, in a partnership's order."""
    section = page.get_by_role("main").get_by_role("region", name=t("By partnership phase"), exact=True)
    chart = section.get_by_role(
        "img", name=t("Chart of coverage by partnership phase; the same figures are in the table.")
    )
    table = section.get_by_role("table", name=t("Coverage and equity by partnership phase"))
    phases = [header.text_content().strip() for header in table.locator("tbody").get_by_role("rowheader").all()]
    return chart, phases


def check_legend(chart, direction):
    """Check that the legend starts where the plot does: under its left edge in ltr, its right edge in rtl."""
    legend, area = box(chart.locator("g.legend")), plot_area(chart)
    assert starts_at(legend, area, direction, slack=8), (legend, area)


def check_table(table, direction):
    """A table's first column is at its start edge."""
    headers = table.get_by_role("columnheader")
    first, second = box(headers.nth(0)), box(headers.nth(1))
    assert before(first, second, direction), (first, second)
    assert starts_at(first, box(table), direction), (first, box(table))


def check_bar_chart(chart, direction):
    """Answer labels on the start side, bars growing from it toward the end side."""
    area = plot_area(chart)
    labels = ticks(chart, "y")
    bars = [box(bar) for bar in chart.locator(".bars .point path").all() if bar.bounding_box()["width"] > 0]
    assert bars, "no bar drawn"
    for _text, label in labels:
        assert (
            (label["right"] <= area["left"] + SLACK) if direction == "ltr" else (label["left"] >= area["right"] - SLACK)
        ), (label, area)
    for bar in bars:
        assert starts_at(bar, area, direction), (bar, area)


def test_header_tables_and_charts_mirror_in_arabic(page, live_app):
    """A leader's dashboard and results, in English then Arabic: header, tables and charts change sides."""
    store = live_app.config["STORE"]
    demo.seed_demo(store)
    survey = next(s for s in surveys.list_surveys(store) if s.attribution == "partner_type" and s.is_open)
    page.set_viewport_size(DESKTOP)
    log_in_as(page, live_app, "leila", "leader")

    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        t = words(live_app, language)
        page.goto("/dashboard")
        if language == "ar":
            in_arabic(page)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        check_header(header(page, t), direction)

        chart, months = coverage_chart(page, t)
        check_time_chart(chart, months, direction)
        check_legend(chart, direction)
        chart, phases = phase_chart(page, t)
        expect(chart.locator("svg.main-svg").first).to_be_visible()
        check_time_chart(chart, phases, direction)  # the first phase on the start side
        check_legend(chart, direction)
        check_table(page.get_by_role("table", name=t("Silent partners")), direction)
        title = box(chart.locator(".gtitle"))
        assert starts_at(title, box(chart), direction) or before(title, plot_area(chart), direction), title

        page.goto(f"/surveys/{survey.id}/results")
        first = page.get_by_role(
            "img",
            name=re.compile(
                "^"
                + re.escape(
                    t("Chart of the answers to question %(number)s; the same figures are in the table.", number=1)
                )
            ),
        )
        check_bar_chart(first, direction)
        answers = page.get_by_role("table", name=t("Answers to question %(number)s", number=1), exact=True)
        check_table(answers, direction)


def check_survey_form(page, t, language, direction):
    """Radio buttons before their labels, labels over their fields' start edge, progress and send at the start."""
    questions = [question["text"][language] for question in HEALTH_CHECK["questions"]]
    area = box(page.get_by_role("main").locator("form"))
    group = page.get_by_role("group", name=questions[0])
    for choice in (t("Strongly disagree"), t("Agree")):
        radio = box(group.get_by_role("radio", name=choice, exact=True))
        label = box(group.locator("label").filter(has_text=re.compile("^" + re.escape(choice) + "$")))
        assert before(radio, label, direction), (choice, radio, label)
        assert starts_at(radio, area, direction, slack=8), (choice, radio, area)

    field = box(page.get_by_label(questions[-1]))
    label = box(page.locator("label", has_text=questions[-1]))
    assert starts_at(label, field, direction), (label, field)
    assert starts_at(field, area, direction), (field, area)

    progress = page.locator("progress")
    expect(progress).to_be_visible()
    assert starts_at(box(progress), area, direction)
    assert progress.evaluate("bar => getComputedStyle(bar).direction") == direction  # it fills from the start edge
    counted = page.get_by_text(t("%(answered)s of %(total)s questions answered", answered=2, total=len(questions)))
    assert starts_at(box(counted), area, direction)

    send = box(page.get_by_role("button", name=t("Send my answers")))
    assert starts_at(send, area, direction), (send, area)


def test_survey_form_mirrors_in_arabic(page, live_app):
    """The health check as a participant sees it, in English then Arabic."""
    store = live_app.config["STORE"]
    survey = surveys.set_status(store, surveys.create_from_template(store, HEALTH_CHECK).id, "open")
    page.set_viewport_size(DESKTOP)
    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        t = words(live_app, language)
        page.goto(f"/s/{survey.share_token}")
        if language == "ar":
            in_arabic(page)
        first, second = (question["text"][language] for question in HEALTH_CHECK["questions"][:2])
        page.get_by_role("group", name=first).get_by_role("radio", name=t("Agree"), exact=True).check()
        page.get_by_role("group", name=second).get_by_role("radio", name=t("Disagree"), exact=True).check()
        check_survey_form(page, t, language, direction)

        top = page.get_by_role("banner")
        assert before(
            box(top.get_by_role("link", name="Roundtable", exact=True)),
            box(top.get_by_label(t("Language"), exact=True)),
            direction,
        )
