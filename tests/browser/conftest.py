"""A live server on 127.0.0.1 and Debian's Chromium driven by Playwright.

Browser tests are part of CI: when CI=true a missing browser fails the run
instead of skipping it.
"""

import contextlib
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path():
    """Debian's Chromium, or None."""
    return os.environ.get("ROUNDTABLE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _missing(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    executable = chromium_path()
    if not executable:
        _missing("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def serving(app):
    """Serve ``app`` on 127.0.0.1 in a thread (its address in ``LIVE_URL``) until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    try:
        yield app
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_app(tmp_path):
    """The app on an empty data directory, served on 127.0.0.1 in a thread."""
    with serving(create_app({"DATA_DIR": str(tmp_path / "data")})) as app:
        yield app


def watch(page):
    """Record the page's script errors, CSP violations and failed subresources; returns the list it fills.

    A CSP violation is reported on the console as an error, so it lands here too.
    """
    problems = []

    def on_console(message):
        # A page answering bad input with a 4xx status is logged as a failed
        # load; failed subresources are caught by on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response):
        # A form that offline.js posts and the server refuses (a missing answer) is answered, not broken:
        # the script then posts it as a plain form, whose page says why.
        if response.request.resource_type == "fetch" and response.request.method == "POST" and response.status < 500:
            return
        if response.request.resource_type != "document" and response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", on_response)
    return problems


@pytest.fixture
def page(browser, live_app):
    """A fresh browser context and page; fails the test on script errors, CSP violations or broken resources."""
    context = browser.new_context(base_url=live_app.config["LIVE_URL"])
    page = context.new_page()
    problems = watch(page)
    yield page
    context.close()
    assert not problems, f"browser console errors: {problems}"


STAFF_PASSWORD = "a long and memorable sentence"


def words(app, language):
    """``gettext`` as the app speaks to a visitor reading ``language``."""
    from flask_babel import force_locale, gettext

    def translate(message, **variables):
        with app.test_request_context(), force_locale(language):
            return gettext(message, **variables)

    return translate


def log_in_as(page, app, username, role):
    """Make a staff account and log in with it through the login page, as a person would."""
    from playwright.sync_api import expect

    from roundtable import accounts

    accounts.create_account(app.config["STORE"], username, STAFF_PASSWORD, role)
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()
