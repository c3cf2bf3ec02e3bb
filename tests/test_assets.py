"""Static files on venue Wi-Fi: compressed, cached for good under fingerprinted names, plotly.js cut to our traces.

Through the public surface: pages name their scripts and stylesheets, and
those addresses are fetched as a browser would, with and without
Accept-Encoding. See "Pages on venue Wi-Fi" in docs/performance.md.
"""

import gzip
import inspect
import re

import brotli
import pytest

from roundtable import charts, demo

SRC = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="(/(?:static|assets)/[^"]+)"[^>]*>')
PLOTLY = re.compile(r'data-plotly="(/static/[^"]+)"')  # charts.js fetches it when a chart comes into view
SCRIPT = re.compile(r"<script\b[^>]*>")
RESULTS = re.compile(r'href="(/surveys/[^"/]+/results)"')
FINGERPRINTED = re.compile(r"\.[0-9a-f]{12}\.(?:js|css|svg)$")
YEAR = 365 * 24 * 3600

# One call of every public chart function, with small made-up data; the test
# below fails when a chart function has no call here.
CALLS = {
    "distribution": lambda: charts.distribution(["Yes", "No"], [3, 1], "Q", "Responses"),
    "lines": lambda: charts.lines(["a", "b"], [("s", [1, 2])], "T", "%"),
    "lorenz_curve": lambda: charts.lorenz_curve([(0, 0), (1, 1)], "T", "x", "y", "equal", "partners"),
    "heatmap": lambda: charts.heatmap(["r"], ["c"], [[1]], "T"),
    "phase_lines": lambda: charts.phase_lines(
        ["planning"], {"planning": "Planning"}, [("s", {"planning": 50})], "T", "%"
    ),
}


@pytest.fixture
def pages(app, client, staff):
    """{name: HTML} of the dashboard and a survey's results, on the demo partnership, for a leader."""
    demo.seed_demo(app.config["STORE"])
    staff.login("chief", "leader")
    surveys = client.get("/surveys/").get_data(as_text=True)
    results = RESULTS.search(surveys).group(1)
    return {
        "dashboard": client.get("/dashboard").get_data(as_text=True),
        "results": client.get(results).get_data(as_text=True),
    }


def plotly_script(page):
    """Give the address of the plotly.js the page loads."""
    return PLOTLY.search(page).group(1)


def test_pages_name_every_static_file_by_its_fingerprint(pages):
    for name, page in pages.items():
        sources = SRC.findall(page) + PLOTLY.findall(page)
        assert any("plotly" in src for src in sources), name
        for src in sources:
            assert FINGERPRINTED.search(src), (name, src)


def test_chart_scripts_are_deferred(pages):
    for name, page in pages.items():
        for tag in SCRIPT.findall(page):
            assert " defer" in tag, (name, tag)


def test_fingerprinted_files_are_cached_for_good_and_never_vary_by_cookie(client, pages):
    for src in SRC.findall(pages["dashboard"]) + PLOTLY.findall(pages["dashboard"]):
        response = client.get(src, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200, src
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "public" in cache, (src, cache)
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= YEAR, (src, cache)
        assert "cookie" not in response.headers.get("Vary", "").lower(), src
        assert "Set-Cookie" not in response.headers, src
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_plain_static_addresses_still_work_with_a_short_cache(client):
    response = client.get("/static/js/charts.js")
    assert response.status_code == 200
    assert b"Plotly" in response.data
    cache = response.headers["Cache-Control"]
    assert "immutable" not in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) <= 3600
    assert "cookie" not in response.headers.get("Vary", "").lower()


@pytest.mark.parametrize("encoding, decode", [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_plotly_is_sent_compressed_when_the_browser_accepts_it(client, pages, encoding, decode):
    src = plotly_script(pages["results"])
    plain = client.get(src, headers={"Accept-Encoding": "identity"})
    assert plain.headers.get("Content-Encoding") is None
    packed = client.get(src, headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert decode(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3


def test_first_visit_transfers_at_most_1_5_mb(client, pages):
    for name, page in pages.items():
        total = len(page.encode())
        for src in SRC.findall(page) + PLOTLY.findall(page):  # as if every chart were scrolled to
            total += len(client.get(src, headers={"Accept-Encoding": "gzip, deflate, br"}).data)
        assert total <= 1.5 * 1024 * 1024, (name, total)


def test_plotly_bundle_has_every_trace_type_the_charts_use(client, pages):
    public = {
        name
        for name, function in inspect.getmembers(charts, inspect.isfunction)
        if not name.startswith("_") and function.__module__ == charts.__name__
    }
    assert public == set(CALLS), "give every chart function a call in CALLS"
    used = {trace["type"] for call in CALLS.values() for trace in call()["data"]}
    bundle = client.get(plotly_script(pages["dashboard"])).get_data(as_text=True)
    bundled = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    assert used <= bundled, used - bundled
    assert "scattergeo" not in bundled  # a partial bundle, not the full one


def test_static_files_are_built_once_into_the_configured_cache(tmp_path):
    """Two apps (two workers, or two data directories) share one build; a change of static/ makes another."""
    from app import create_app

    cache = tmp_path / "cache"
    create_app({"DATA_DIR": str(tmp_path / "one"), "STATIC_CACHE_DIR": str(cache)})
    built = list(cache.iterdir())
    assert len(built) == 1 and (built[0] / "js" / "charts.js.br").is_file()
    stamp = built[0].stat().st_mtime_ns
    second = create_app({"DATA_DIR": str(tmp_path / "two"), "STATIC_CACHE_DIR": str(cache)})
    assert list(cache.iterdir()) == built and built[0].stat().st_mtime_ns == stamp
    assert second.test_client().get("/static/js/charts.js").status_code == 200
