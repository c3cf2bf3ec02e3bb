"""Shared fixtures: a fresh data directory per test, a client, and logged-in staff."""

import os
import re
from html.parser import HTMLParser

import pytest

from app import create_app
from roundtable import accounts, addresses, surveys
from roundtable.errors import InvalidInput
from roundtable.store.api import open_store

# The facilitator (a staff client that also drives meetings), and the meeting tests' roster, phones and open_meeting.
pytest_plugins = ["tests.meeting_fixtures"]

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(autouse=True)
def no_lan(monkeypatch):
    """Pages do not depend on the networks of the machine running the tests: it has no LAN address here.

    Tests of links phones open patch ``addresses.lan_addresses`` with one (tests/test_links.py).
    """
    monkeypatch.setattr(addresses, "lan_addresses", lambda: [])


DATABASE_URL = os.environ.get("ROUNDTABLE_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def postgres_store():
    """One PostgreSQL store for the session (``ROUNDTABLE_TEST_DATABASE_URL``), its schema created.

    Without the variable its tests skip, except in CI (``CI=true``), where a
    missing database is a failure: .ci/run starts one.
    """
    if not DATABASE_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but ROUNDTABLE_TEST_DATABASE_URL is not set: the PostgreSQL tests cannot run")
        pytest.skip("ROUNDTABLE_TEST_DATABASE_URL is not set (PostgreSQL tests skipped)")
    store = open_store(DATABASE_URL)
    store.init()
    yield store
    store.close()


@pytest.fixture(params=["memory", "files", "postgres"])
def store(request, tmp_path):
    """An empty store of each backend: the store's contract, and the domain over it, hold on all three."""
    if request.param == "postgres":
        store = request.getfixturevalue("postgres_store")
        store.reset_for_tests()
        return store
    return open_store("memory:" if request.param == "memory" else None, str(tmp_path))


@pytest.fixture
def app(tmp_path):
    """An app on an empty data directory of its own."""
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True})
    yield app


@pytest.fixture
def client(app):
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for ``app``."""
    return app.test_cli_runner()


def csrf_token(client, path="/login"):
    """The CSRF token a page of ``path`` carries for this client's session."""
    page = client.get(path, follow_redirects=True)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Staff:
    """Creates staff accounts and logs the client in as one of them."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def create(self, username, role):
        """Create an account directly in the store."""
        return accounts.create_account(self.app.config["STORE"], username, PASSWORD, role)

    def login(self, username="admin", role="admin"):
        """Create the account if needed, then log in through the login form."""
        store = self.app.config["STORE"]
        if not any(a.username == username for a in accounts.list_accounts(store)):
            self.create(username, role)
        token = csrf_token(self.client, "/login")
        response = self.client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    def post(self, path, data=None, **kwargs):
        """POST a form with the session's CSRF token added."""
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(self.client, "/"))
        return self.client.post(path, data=data, **kwargs)

    def confirm(self, path, data=None, **kwargs):
        """POST an irreversible action, then confirm it on the confirm page it must answer with; the answer."""
        asked = self.post(path, data)
        form = confirm_form(asked)
        assert form is not None, (asked.status_code, asked.get_data(as_text=True)[-1500:])
        return self.client.post(form[0], data=form[1], **kwargs)

    def post_through_confirmation(self, path, data=None, **kwargs):
        """POST a form; when the app asks to confirm (an irreversible action), confirm it. The last answer."""
        return through_confirmation(self.client, self.post(path, data, **kwargs), **kwargs)


class _ConfirmForm(HTMLParser):
    """The confirm page's form: its action and fields (the one holding ``confirmed``)."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action", ""), {}))
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1][1][attrs["name"]] = attrs.get("value", "")


def confirm_form(response):
    """(action, fields) of the confirm page ``response`` is, or None when it is not one."""
    if response.status_code != 200:
        return None
    parser = _ConfirmForm()
    parser.feed(response.get_data(as_text=True))
    return next(((action, fields) for action, fields in parser.forms if fields.get("confirmed") == "1"), None)


def through_confirmation(client, response, **kwargs):
    """``response``, or, when it is a confirm page, the answer to confirming it with ``client``."""
    form = confirm_form(response)
    return response if form is None else client.post(form[0], data=form[1], **kwargs)


@pytest.fixture
def staff(app, client):
    """Helpers to log in as staff and post forms."""
    return Staff(app, client)


@pytest.fixture
def participant(app):
    """A second client with no account: a partner's representative."""
    return app.test_client()


def data_files(app):
    """(path, bytes) of every file under the app's data directory."""
    found = []
    for root, _dirs, names in os.walk(app.config["DATA_DIR"]):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as file:
                found.append((path, file.read()))
    assert found, "the data directory holds no files"
    return found


def files_containing(app, needle):
    """Names (relative to the data directory) of the files whose raw bytes contain ``needle``."""
    needle = needle.encode("utf-8") if isinstance(needle, str) else needle
    return sorted(
        os.path.relpath(path, app.config["DATA_DIR"]) for path, content in data_files(app) if needle in content
    )


def open_survey(store, **kwargs):
    """An open anonymous survey with one required short-text question (``kwargs`` go to ``create_survey``)."""
    survey = surveys.create_survey(
        store,
        {"en": "Check-in"},
        "en",
        "anonymous",
        "planning",
        questions=[{"kind": "short_text", "text": {"en": "Say"}, "required": True}],
        **kwargs,
    )
    return surveys.set_status(store, survey.id, "open")


def refused(code, call, *args, **kwargs):
    """Run ``call`` and check it raises InvalidInput with ``code``; return the error."""
    with pytest.raises(InvalidInput) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.code
    return info.value
