"""plotly.js and its stylesheet, served by Roundtable itself: no CDN, works offline.

plotly.js normally injects a <style> element, which a strict
Content-Security-Policy refuses. It skips that when the page already has an
element with id ``plotly.js-style-global`` and class ``no-inline-styles``:
our pages link this stylesheet under that id, made from the rules inside the
installed plotly.js, so the two can never drift apart.

plotly.js also bundles MapLibre's stylesheet, which it injects as a <style>
element of its own unless the page already has an element with that
stylesheet's id. Its rules are in our stylesheet as well, and pages carry an
empty marker element with each such id (see ``plotly_bundled_style_ids``).
"""

import functools
import hashlib
import os
import re

import plotly
from flask import Blueprint, Response, request

bp = Blueprint("assets", __name__, url_prefix="/assets")

PLOTLY_JS = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
_RULES_START = '{"X,X div":'
_RULE = re.compile(r'"([^"]+)":(?:\'([^\']*)\'|"([^"]*)")')
_BUNDLED_STYLE = re.compile(r'getElementById\("([^"]+)"\)\)\{var (\w+)=document\.createElement\("style"\);'
                            r'\2\.id="\1",\2\.textContent=\'([^\']*)\'')


@functools.cache
def plotly_js():
    """The installed plotly.min.js, and its ETag."""
    with open(PLOTLY_JS, "rb") as file:
        payload = file.read()
    return payload, hashlib.sha256(payload).hexdigest()[:16]


@functools.cache
def bundled_styles():
    """The stylesheets plotly.js injects as <style> elements of their own: {element id: CSS}."""
    source = plotly_js()[0].decode("utf-8")
    return {match.group(1): match.group(3) for match in _BUNDLED_STYLE.finditer(source)}


@bp.app_template_global()
def plotly_bundled_style_ids():
    """The ids plotly.js looks for before injecting a bundled stylesheet; pages mark each as present."""
    return list(bundled_styles())


@functools.cache
def plotly_css():
    """The stylesheet plotly.js would have injected, and its ETag."""
    source = plotly_js()[0].decode("utf-8")
    start = source.find(_RULES_START)
    rules = []
    if start >= 0:
        end = source.find("for(", start)
        for selector, single, double in _RULE.findall(source[start:end]):
            selector = re.sub(r"^,", " ,", selector).replace("X", ".js-plotly-plot .plotly").replace(
                "Y", ".plotly-notifier")
            rules.append(f"{selector}{{{single or double}}}")
    rules.extend(bundled_styles().values())
    payload = "\n".join(rules).encode("utf-8")
    return payload, hashlib.sha256(payload).hexdigest()[:16]


def _cached(payload, etag, mimetype):
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(payload, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/plotly.min.js")
def plotly_script():
    """plotly.js from the installed plotly package."""
    return _cached(*plotly_js(), "text/javascript")


@bp.get("/plotly.css")
def plotly_stylesheet():
    """plotly.js's own rules, as a stylesheet the CSP allows."""
    return _cached(*plotly_css(), "text/css")
