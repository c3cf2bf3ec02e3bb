"""Static files, compressed and cached for good under fingerprinted names; plotly.js, no CDN.

At start-up every file under ``static/`` is copied into a cache directory
twice: under its own name (cached briefly) and under a fingerprinted one,
``js/charts.<12 hex of its SHA-256>.js`` (cached for good: a changed file gets
a new name). WhiteNoise's compressor writes a ``.gz`` and a ``.br`` beside
each, and WhiteNoise serves them by ``Accept-Encoding``, before the request
reaches Flask (so no session, no ``Vary: Cookie``). Pages name files through
``static_url``. The cache directory is named by a digest of everything in it,
so it is built once per change of ``static/``, and shared by every worker.

plotly.js is the cartesian bundle in ``static/vendor/plotly`` (see its
README). plotly.js normally injects a <style> element, which a strict
Content-Security-Policy refuses. It skips that when the page already has an
element with id ``plotly.js-style-global`` and class ``no-inline-styles``:
our pages link ``vendor/plotly/plotly.css`` under that id, made here from the
rules inside that plotly.js, so the two can never drift apart. Should a bundle
carry stylesheets of its own that it injects (the full one carries
MapLibre's), their rules go into plotly.css too, and pages carry an empty
marker element with each such id (see ``plotly_bundled_style_ids``).
"""

import functools
import hashlib
import importlib.metadata
import json
import os
import posixpath
import re
import shutil
import tempfile

from flask import url_for
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from .security import SECURITY_HEADERS

PLOTLY_JS = "vendor/plotly/plotly-cartesian.min.js"
PLOTLY_CSS = "vendor/plotly/plotly.css"
# Seconds a file under its own, unfingerprinted name may be cached.
SHORT_MAX_AGE = 60

_RULES_START = '{"X,X div":'
_RULE = re.compile(r'"([^"]+)":(?:\'([^\']*)\'|"([^"]*)")')
_BUNDLED_STYLE = re.compile(
    r'getElementById\("([^"]+)"\)\)\{var (\w+)=document\.createElement\("style"\);'
    r'\2\.id="\1",\2\.textContent=\'([^\']*)\''
)


def bundled_styles(source):
    """Find the stylesheets plotly.js injects as <style> elements: {element id: CSS}."""
    return {match.group(1): match.group(3) for match in _BUNDLED_STYLE.finditer(source)}


def plotly_css(source):
    """Make the stylesheet the plotly.js ``source`` would have injected."""
    start = source.find(_RULES_START)
    rules = []
    if start >= 0:
        end = source.find("for(", start)
        for selector, single, double in _RULE.findall(source[start:end]):
            selector = re.sub(r"^,", " ,", selector)
            selector = selector.replace("X", ".js-plotly-plot .plotly")
            selector = selector.replace("Y", ".plotly-notifier")
            rules.append(f"{selector}{{{single or double}}}")
    rules.extend(bundled_styles(source).values())
    return "\n".join(rules).encode("utf-8")


def static_files(folder):
    """Read every file served under /static/: ``folder``'s, and plotly.css. {name: bytes}."""
    files = {}
    for directory, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, "rb") as file:
                files[os.path.relpath(path, folder).replace(os.sep, "/")] = file.read()
    files[PLOTLY_CSS] = plotly_css(files[PLOTLY_JS].decode("utf-8"))
    return files


def fingerprinted(name, payload):
    """Put the first 12 hex digits of ``payload``'s SHA-256 before ``name``'s extension."""
    base, extension = posixpath.splitext(name)
    return f"{base}.{hashlib.sha256(payload).hexdigest()[:12]}{extension}"


def build(folder, cache_root):
    """Copy, fingerprint and compress ``folder``'s files under ``cache_root``.

    Returns the directory and the manifest, which maps each name to its
    fingerprinted name. The directory is built aside and renamed into place,
    so a worker never serves a half-built one, and two workers starting
    together both end up with the same.
    """
    files = static_files(folder)
    manifest = {name: fingerprinted(name, data) for name, data in sorted(files.items())}
    whitenoise_version = importlib.metadata.version("whitenoise")
    digest = hashlib.sha256(json.dumps([manifest, whitenoise_version]).encode())
    target = os.path.join(cache_root, digest.hexdigest()[:16])
    if not os.path.isdir(target):
        os.makedirs(cache_root, exist_ok=True)
        work = tempfile.mkdtemp(prefix=".building-", dir=cache_root)
        _write(work, files, manifest)
        try:
            os.rename(work, target)
        except OSError:  # another worker got there first: its copy is the same
            shutil.rmtree(work, ignore_errors=True)
    return target, manifest


def _write(work, files, manifest):
    """Write each file into ``work`` with its compressed copies, and all of them again under its fingerprinted name."""
    compressor = Compressor(quiet=True)
    for name, payload in files.items():
        path = os.path.join(work, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(payload)
        made = compressor.compress(path) if compressor.should_compress(path) else []
        fingerprinted_path = os.path.join(work, *manifest[name].split("/"))
        for source in (path, *made):
            shutil.copyfile(source, source.replace(path, fingerprinted_path, 1))


def cache_root(app):
    """Choose where built files live: STATIC_CACHE_DIR, the user's cache, or the data's."""
    if app.config.get("STATIC_CACHE_DIR"):
        return app.config["STATIC_CACHE_DIR"]
    fallback = os.path.join(app.config["DATA_DIR"], "cache", "static")
    home_cache = os.path.join(os.path.expanduser("~"), ".cache")
    candidate = os.path.join(os.environ.get("XDG_CACHE_HOME") or home_cache, "roundtable", "static")
    try:
        os.makedirs(candidate, exist_ok=True)
    except OSError:
        return fallback
    return candidate if os.access(candidate, os.W_OK) else fallback


class StaticFiles(WhiteNoise):
    """WhiteNoise, with our security headers on every answer it gives (304s too)."""

    @staticmethod
    def serve(static_file, environ, start_response):
        """Serve as WhiteNoise does, adding the headers views/security.py adds."""

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers = [
                *headers,
                *((name, value) for name, value in SECURITY_HEADERS.items() if name.lower() not in present),
            ]
            return start_response(status, headers, exc_info)

        return WhiteNoise.serve(static_file, environ, start)


def init_app(app):
    """Build the static cache, serve it at /static/ and give templates ``static_url``."""
    root, manifest = build(app.static_folder, cache_root(app))
    app.wsgi_app = _served(app, root, manifest)
    app.add_template_global(functools.partial(static_url, manifest), "static_url")
    app.add_template_global(functools.partial(_bundled_style_ids, root), "plotly_bundled_style_ids")


def _served(app, root, manifest):
    """``app``'s WSGI app behind WhiteNoise serving ``root``: fingerprinted files cached for good."""
    forever = frozenset(manifest.values())
    prefix = app.static_url_path + "/"
    return StaticFiles(
        app.wsgi_app,
        root=root,
        prefix=prefix,
        max_age=SHORT_MAX_AGE,
        allow_all_origins=False,
        immutable_file_test=lambda _path, url: url.removeprefix(prefix) in forever,
    )


def static_url(manifest, filename):
    """Give a static file's fingerprinted address (its plain one if it has none); templates pass ``filename``."""
    return url_for("static", filename=manifest.get(filename, filename))


@functools.cache
def _bundled_style_ids(root):
    """List the ids plotly.js looks for before injecting a bundled stylesheet."""
    with open(os.path.join(root, *PLOTLY_JS.split("/")), encoding="utf-8") as file:
        return list(bundled_styles(file.read()))
