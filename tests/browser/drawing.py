"""Waiting for a page's charts, for the browser tests and the screenshot script alike."""

# Charts draw as they come into view: bring each undrawn one into view in turn, then go back to the top.
# A chart is drawn when plotly.js has drawn its SVG and charts.js has put its download buttons after it.
CHARTS_DRAWN = """() => {
    const undrawn = Array.from(document.querySelectorAll('[data-figure]'))
      .find(chart => !(chart.querySelector('svg.main-svg') && chart.nextElementSibling
             && chart.nextElementSibling.classList.contains('chart-actions')));
    if (undrawn) { undrawn.scrollIntoView(); return false; }
    window.scrollTo(0, 0);
    return true;
}"""


def charts_drawn(page):
    """Wait until every chart on the page is drawn, scrolling each into view; end at the top of the page."""
    page.wait_for_function(CHARTS_DRAWN)
