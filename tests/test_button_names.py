"""Buttons that do different things on one page have different accessible names (WCAG 2.4.6, 4.1.2).

A screen-reader user who lists a page's buttons hears only their names: two
"Open round 2" or two "Release the seat of Labor" buttons would be a guess.
The test crawls every staff page of the populated partnership in
``tests/roles.py`` (plus a meeting between rounds, with two proposals and two
seats of one partner type) as an administrator, and, on each page, groups the
``<button>`` and ``input[type=submit]`` elements by accessible name (their
``aria-label``, else their text or value, whitespace-normalized): a name must
never stand for two different actions (form action, hidden fields, the
button's own name and value).
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from flask import url_for

from roundtable import meetings

from .conftest import csrf_token
from .roles import build, client_as, url_values


class Buttons(HTMLParser):
    """Every submit button of a page: (accessible name, what it does)."""

    def __init__(self):
        super().__init__()
        self.form = None
        self.button = None
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {"action": attrs.get("action", ""), "fields": []}
        elif (
            tag == "input"
            and self.form is not None
            and attrs.get("type") == "hidden"
            and attrs.get("name") != "csrf_token"
        ):
            self.form["fields"].append((attrs.get("name"), attrs.get("value")))
        elif tag == "input" and attrs.get("type") == "submit":
            self._add(attrs.get("aria-label") or attrs.get("value", ""), attrs)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.button = {"attrs": attrs, "text": []}

    def handle_data(self, data):
        if self.button is not None:
            self.button["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self.button is not None:
            attrs = self.button["attrs"]
            self._add(attrs.get("aria-label") or "".join(self.button["text"]), attrs)
            self.button = None
        elif tag == "form":
            self.form = None

    def _add(self, name, attrs):
        form = self.form or {"action": "", "fields": []}
        # A hidden field added after the button still belongs to its form: key on the form, read at the end.
        self.found.append((" ".join(name.split()), form, attrs.get("name"), attrs.get("value")))

    def names(self):
        """{accessible name: the set of actions it stands for}."""
        named = {}
        for name, form, button_name, button_value in self.found:
            action = (form["action"], tuple(sorted(form["fields"])), button_name, button_value)
            named.setdefault(name, set()).add(action)
        return named


def shared_names(page):
    """The accessible names on ``page`` that stand for more than one action."""
    parser = Buttons()
    parser.feed(page)
    return {name: actions for name, actions in parser.names().items() if len(actions) > 1}


def test_the_parser_sees_a_shared_name():
    page = (
        '<form action="/a"><input type="hidden" name="seat" value="1"><button>Release</button></form>'
        '<form action="/a"><input type="hidden" name="seat" value="2"><button> Release </button></form>'
        '<form action="/b"><button aria-label="Go to b">Go</button></form>'
        '<form action="/c"><input type="submit" value="Go"></form>'
    )
    assert set(shared_names(page)) == {"Release"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The shared partnership, built once for this module."""
    return build(tmp_path_factory.mktemp("names") / "data")


def between_rounds(app):
    """A meeting with two proposals whose first rounds are closed, and two seats of one partner type; its id."""
    store = app.config["STORE"]
    meeting = meetings.create_meeting(store, {"en": "Meeting C"}, datetime.date(2026, 11, 24))
    for text in ("Adopt the vision", "Adopt the budget"):
        proposal = meetings.add_proposal(store, meeting["id"], {"en": text})
        meetings.open_round(store, meeting["id"], proposal["id"])
        meetings.close_round(store, meeting["id"])
    path = f"/m/{meeting['share_token']}"
    for _phone in range(2):
        phone = app.test_client()
        token = csrf_token(phone, path)
        assert phone.post(path, data={"csrf_token": token, "partner_type": "labor"}).status_code == 303
    return meeting["id"]


def test_no_two_buttons_on_a_staff_page_share_a_name_for_different_actions(world, tmp_path):
    app = world.copy(tmp_path / "data")
    ids = dict(world.ids, meeting=between_rounds(app))
    admin = client_as(app, world, "admin")
    crawled, shared = 0, {}
    for these in (world.ids, ids):
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in ("static", "auth.setup"):
                continue
            with app.test_request_context():
                path = url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, these))
            response = admin.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            crawled += 1
            found = shared_names(response.get_data(as_text=True))
            if found:
                shared[path] = found
    assert crawled > 30
    assert shared == {}
    agenda = admin.get(f"/meetings/{ids['meeting']}").get_data(as_text=True)
    assert len(re.findall(r">Open round 2 of proposal \d</button>", agenda)) == 2  # the crawl saw meeting C
