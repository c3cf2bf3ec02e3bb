"""Plotly figures as plain dicts, built from numbers and already-translated words.

Colours come from the Okabe–Ito palette, which stays distinct for people with
colour-vision deficiencies; every bar also carries its number as text, so
colour is never the only cue.
"""

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"


def distribution(labels, counts, title, axis_title, right_to_left=False):
    """A horizontal bar chart of how many responses chose each option."""
    return {
        "data": [{
            "type": "bar",
            "orientation": "h",
            "y": list(labels),
            "x": list(counts),
            "text": [str(count) for count in counts],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": OKABE_ITO[0]},
            "hovertemplate": "%{y}: %{x}<extra></extra>",
        }],
        "layout": {
            "title": {"text": title, "x": 1 if right_to_left else 0, "xanchor": "right" if right_to_left else "left"},
            "xaxis": {"title": {"text": axis_title}, "rangemode": "tozero", "autorange": "reversed" if right_to_left
                      else True, "fixedrange": True, "dtick": max(1, (max(counts, default=0) // 5) or 1)},
            "yaxis": {"autorange": "reversed", "automargin": True, "side": "right" if right_to_left else "left",
                      "fixedrange": True},
            "height": 120 + 36 * len(labels),
            "margin": {"t": 48, "b": 48, "l": 16, "r": 16},
            "font": {"family": FONT, "size": 14, "color": "#1b1f24"},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
        },
    }
