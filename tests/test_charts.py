"""Plotly figures as plain dicts: roundtable/charts.py, without a web client."""

from roundtable import charts

NBSP = "\u00a0"


def test_a_percentage_axis_writes_the_affixes_it_is_given():
    figure = charts.lines(["Jan", "Feb"], [("Partners heard", [50, 75])], "Coverage", "Share heard",
                          percent_affixes=("", NBSP + "%"))
    assert (figure["layout"]["yaxis"]["tickprefix"], figure["layout"]["yaxis"]["ticksuffix"]) == ("", NBSP + "%")
    turkish = charts.lines(["Oca"], [("Ortaklar", [50])], "Kapsam", "Pay", percent_affixes=("%", ""))
    assert (turkish["layout"]["yaxis"]["tickprefix"], turkish["layout"]["yaxis"]["ticksuffix"]) == ("%", "")


def test_a_mean_axis_has_no_percent_sign():
    figure = charts.lines(["Jan"], [("Trust", [3.5])], "Health", "Mean", percent=False,
                          percent_affixes=("", NBSP + "%"))
    assert "%" not in figure["layout"]["yaxis"].get("ticksuffix", "") + figure["layout"]["yaxis"].get("tickprefix", "")


def test_both_axes_of_the_lorenz_curve_write_the_affixes_they_are_given():
    figure = charts.lorenz_curve([(0, 0), (1, 1)], "Equity", "Partners", "Contributions", "Equality", "Ours",
                                 percent_affixes=("", "%"))
    for axis in ("xaxis", "yaxis"):
        assert (figure["layout"][axis]["tickprefix"], figure["layout"][axis]["ticksuffix"]) == ("", "%")
