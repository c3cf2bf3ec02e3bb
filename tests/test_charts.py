"""Chart figures as plain data (roundtable/charts.py), without a web client: the phase trend, percentage axes."""

import pytest

from roundtable import charts
from roundtable.surveys import PHASES

LABELS = {
    "preparation": "Preparation",
    "planning": "Planning",
    "prospecting": "Prospecting",
    "developing": "Developing",
    "stewarding": "Stewarding",
    "renewing": "Renewing",
    "": "No phase",
}
ORDER = (*PHASES, "")


def phase_chart(series, right_to_left=False):
    """Build the phase chart of ``series`` over every phase, in English."""
    return charts.phase_lines(
        ORDER, LABELS, series, "Coverage by partnership phase", "Share heard", right_to_left=right_to_left
    )


SERIES = [
    ("Partners heard", {"renewing": 50, "": 10, "planning": 80, "stewarding": None}),
    ("Partner types heard", {"stewarding": 67, "planning": 100, "renewing": 50, "": 33}),
]


def test_one_trace_per_series_over_the_phases_in_a_partnerships_order():
    """One line per series; phases in a partnership's order, whatever order the data came in."""
    figure = phase_chart(SERIES)
    assert [trace["name"] for trace in figure["data"]] == ["Partners heard", "Partner types heard"]
    for trace in figure["data"]:
        assert trace["x"] == ["Planning", "Stewarding", "Renewing", "No phase"]  # not the order data came in
        assert trace["type"] == "scatter" and trace["mode"] == "lines+markers"
    assert figure["data"][0]["y"] == [80, None, 50, 10]  # a phase without the figure is a gap, not 0
    assert figure["data"][1]["y"] == [100, 67, 50, 33]
    assert figure["layout"]["title"]["text"] == "Coverage by partnership phase"
    assert figure["layout"]["yaxis"]["title"]["text"] == "Share heard"
    assert figure["layout"]["xaxis"]["type"] == "category"


def test_series_differ_by_marker_and_dash_and_take_colour_blind_safe_colours():
    """Lines differ by marker, dash and Okabe–Ito colour, never by colour alone."""
    traces = phase_chart(SERIES)["data"]
    assert len({t["marker"]["symbol"] for t in traces}) == len({t["line"]["dash"] for t in traces}) == 2
    colours = [t["line"]["color"] for t in traces]
    assert len(set(colours)) == 2 and set(colours) <= set(charts.OKABE_ITO)
    assert all(t["marker"]["color"] == t["line"]["color"] for t in traces)
    # Where both lines meet (all partners and all types heard), the later marker must not hide the earlier one.
    assert traces[0]["marker"]["size"] > traces[1]["marker"]["size"]


@pytest.mark.parametrize(
    "right_to_left, autorange, side, anchor", [(False, True, "left", "left"), (True, "reversed", "right", "right")]
)
def test_arabic_mirrors_the_axes_and_the_legend(right_to_left, autorange, side, anchor):
    """In Arabic the phases run right to left; y axis, legend and title sit on the right."""
    layout = phase_chart(SERIES, right_to_left)["layout"]
    assert layout["xaxis"]["autorange"] == autorange  # the first phase on the start side
    assert layout["yaxis"]["side"] == side
    assert (layout["legend"]["x"], layout["legend"]["xanchor"]) == ((0, 1)[right_to_left], anchor)
    assert layout["title"]["xanchor"] == anchor


@pytest.mark.parametrize(
    "series",
    [[], [("Partners heard", {})], [("Partners heard", {"planning": None}), ("Partner types heard", {"": None})]],
)
def test_no_chart_without_a_figure_to_draw(series):
    """No phase with a figure (nothing, or only anonymous periods): no chart that reads as 0 %."""
    assert phase_chart(series) is None


def test_the_other_line_charts_mirror_their_legend_too():
    """One layout serves every line chart: the coverage and health-check charts change sides the same way."""
    figure = charts.lines(
        ["Jan", "Feb"], [("Partners heard", [1, 2])], "Coverage by month", "Share heard", right_to_left=True
    )
    assert figure["layout"]["legend"]["xanchor"] == "right"


NBSP = "\u00a0"


def test_a_percentage_axis_writes_the_affixes_it_is_given():
    figure = charts.lines(
        ["Jan", "Feb"], [("Partners heard", [50, 75])], "Coverage", "Share heard", percent_affixes=("", NBSP + "%")
    )
    assert (figure["layout"]["yaxis"]["tickprefix"], figure["layout"]["yaxis"]["ticksuffix"]) == ("", NBSP + "%")
    turkish = charts.lines(["Oca"], [("Ortaklar", [50])], "Kapsam", "Pay", percent_affixes=("%", ""))
    assert (turkish["layout"]["yaxis"]["tickprefix"], turkish["layout"]["yaxis"]["ticksuffix"]) == ("%", "")


def test_a_mean_axis_has_no_percent_sign():
    figure = charts.lines(
        ["Jan"], [("Trust", [3.5])], "Health", "Mean", percent=False, percent_affixes=("", NBSP + "%")
    )
    assert "%" not in figure["layout"]["yaxis"].get("ticksuffix", "") + figure["layout"]["yaxis"].get("tickprefix", "")


def test_both_axes_of_the_lorenz_curve_write_the_affixes_they_are_given():
    figure = charts.lorenz_curve(
        [(0, 0), (1, 1)], "Equity", "Partners", "Contributions", "Equality", "Ours", percent_affixes=("", "%")
    )
    for axis in ("xaxis", "yaxis"):
        assert (figure["layout"][axis]["tickprefix"], figure["layout"][axis]["ticksuffix"]) == ("", "%")
