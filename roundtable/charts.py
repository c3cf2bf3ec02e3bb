"""Plotly figures as plain dicts, built from numbers and already-translated words.

Colours come from the Okabe–Ito palette, which stays distinct for people with
colour-vision deficiencies; every bar also carries its number as text, so
colour is never the only cue.
"""

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# What a percentage axis writes around its numbers, (prefix, suffix): the caller passes the visitor's way.
PERCENT_AFFIXES = ("", "%")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"


def distribution(labels, counts, title, axis_title, right_to_left=False):
    """A horizontal bar chart of how many responses chose each option."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": list(labels),
                "x": list(counts),
                "text": [str(count) for count in counts],
                "textposition": "outside",
                "cliponaxis": False,
                "marker": {"color": OKABE_ITO[0]},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": title, "x": 1 if right_to_left else 0, "xanchor": "right" if right_to_left else "left"},
            "xaxis": {
                "title": {"text": axis_title},
                "rangemode": "tozero",
                "autorange": "reversed" if right_to_left else True,
                "fixedrange": True,
                "dtick": max(1, (max(counts, default=0) // 5) or 1),
            },
            "yaxis": {
                "autorange": "reversed",
                "automargin": True,
                "side": "right" if right_to_left else "left",
                "fixedrange": True,
            },
            "height": 120 + 36 * len(labels),
            # Room at the bars' far end for the numbers written beyond them.
            "margin": {"t": 48, "b": 48, "l": 48 if right_to_left else 16, "r": 16 if right_to_left else 48},
            "font": {"family": FONT, "size": 14, "color": "#1b1f24"},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
        },
    }


def _layout(title, right_to_left, height=360):
    return {
        "title": {"text": title, "x": 1 if right_to_left else 0, "xanchor": "right" if right_to_left else "left"},
        "height": height,
        # The y axis, with its title, is on the start side: on the right in Arabic.
        "margin": {"t": 48, "b": 56, "l": 24 if right_to_left else 56, "r": 56 if right_to_left else 24},
        "font": {"family": FONT, "size": 14, "color": "#1b1f24"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        # The legend starts on the start side too: under the plot's right edge in Arabic.
        "legend": {
            "orientation": "h",
            "y": -0.2,
            "x": 1 if right_to_left else 0,
            "xanchor": "right" if right_to_left else "left",
        },
    }


def _percent_axis(affixes):
    prefix, suffix = affixes
    return {"tickprefix": prefix, "ticksuffix": suffix}


def _value_axis(title, value_range, right_to_left, percent_affixes=None):
    """A line chart's y axis: titled, fixed to ``value_range``, on the start side (the right in Arabic).

    With ``percent_affixes`` (prefix, suffix) its ticks are written as percentages.
    """
    return {
        "title": {"text": title},
        "range": value_range,
        "fixedrange": True,
        "side": "right" if right_to_left else "left",
        "automargin": True,
        **(_percent_axis(percent_affixes) if percent_affixes else {}),
    }


def lines(x, series, title, y_title, right_to_left=False, percent=True, percent_affixes=PERCENT_AFFIXES):
    """A line chart of several series over ``x``; ``series`` is [(name, values)]. Markers differ, not only colours.

    With ``percent``, the values are 0…100 and the axis writes them with ``percent_affixes`` (prefix, suffix).
    """
    symbols = ("circle", "square", "diamond", "triangle-up")
    layout = _layout(title, right_to_left)
    layout["xaxis"] = {"type": "category", "autorange": "reversed" if right_to_left else True, "fixedrange": True}
    layout["yaxis"] = _value_axis(
        y_title, [0, 100] if percent else [1, 5], right_to_left, percent_affixes if percent else None
    )
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": list(x),
                "y": list(values),
                "marker": {"symbol": symbols[i % len(symbols)], "size": 10, "color": OKABE_ITO[i % 8]},
                "line": {"color": OKABE_ITO[i % 8], "dash": ("solid", "dash", "dot")[i % 3]},
            }
            for i, (name, values) in enumerate(series)
        ],
        "layout": layout,
    }


def phase_lines(phases, labels, series, title, y_title, right_to_left=False, percent_affixes=PERCENT_AFFIXES):
    """Lines over the partnership phases, in the order of ``phases``; None when there is no figure to draw.

    ``series`` is [(name, {phase: percent or None})] and ``labels`` names each phase in the reader's
    language. A phase appears if any series has it; a missing or None value is a gap in its line, not 0.
    """
    shown = [phase for phase in phases if any(phase in values for _, values in series)]
    if not any(values.get(phase) is not None for _, values in series for phase in shown):
        return None
    figure = lines(
        [labels[phase] for phase in shown],
        [(name, [values.get(phase) for phase in shown]) for name, values in series],
        title,
        y_title,
        right_to_left=right_to_left,
        percent_affixes=percent_affixes,
    )
    # Few phases, and shares that often coincide (every partner and every type heard): each marker is
    # drawn smaller than the one before, so none hides another.
    for index, trace in enumerate(figure["data"]):
        trace["marker"]["size"] = max(6, 14 - 4 * index)
    return figure


def lorenz_curve(
    points, title, x_title, y_title, equality_name, partners_name, right_to_left=False, percent_affixes=PERCENT_AFFIXES
):
    """The Lorenz curve of contributions against the line of perfect equality; axes in percent (``lines``)."""
    layout = _layout(title, right_to_left)
    layout["xaxis"] = {
        "title": {"text": x_title},
        "range": [0, 100],
        "fixedrange": True,
        "autorange": "reversed" if right_to_left else True,
        **_percent_axis(percent_affixes),
    }
    layout["yaxis"] = _value_axis(y_title, [0, 100], right_to_left, percent_affixes)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": equality_name,
                "x": [0, 100],
                "y": [0, 100],
                "line": {"color": "#6b7580", "dash": "dash"},
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": partners_name,
                "x": [round(float(x) * 100, 1) for x, _ in points],
                "y": [round(float(y) * 100, 1) for _, y in points],
                "line": {"color": OKABE_ITO[0]},
                "marker": {"symbol": "circle", "size": 8},
            },
        ],
        "layout": layout,
    }


def heatmap(rows, columns, values, title, right_to_left=False):
    """Partner types × events: how many partners of each type were heard; numbers written in each cell."""
    layout = _layout(title, right_to_left, height=120 + 40 * len(rows))
    layout["xaxis"] = {
        "type": "category",
        "fixedrange": True,
        "autorange": "reversed" if right_to_left else True,
        "automargin": True,
    }
    layout["yaxis"] = {"automargin": True, "fixedrange": True, "side": "right" if right_to_left else "left"}
    # Gaps between cells keep plotly.js off its "fast" drawing path, which styles the image with an
    # inline style attribute that the Content-Security-Policy refuses (style-src 'self').
    return {
        "data": [
            {
                "type": "heatmap",
                "x": list(columns),
                "y": list(rows),
                "z": values,
                "xgap": 1,
                "ygap": 1,
                "text": [[str(v) for v in row] for row in values],
                "texttemplate": "%{text}",
                "colorscale": [[0, "#f7fbff"], [1, OKABE_ITO[0]]],
                "showscale": False,
                "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>",
            }
        ],
        "layout": layout,
    }
