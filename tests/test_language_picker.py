"""The language switcher in every page's header: one labelled list of languages, each in its own name.

It posts to ``/language`` with the page's address in ``next``; on the pages a
participant opens from a link or a code, that address is the path alone, so
an old ``?invite=`` (or any query) is never carried on. (Switching, the cookie
and unsafe ``next`` values: tests/test_web.py; on a phone: tests/browser/test_language_switcher.py.)
"""

import datetime
import html
import re

import pytest

from roundtable import meetings, surveys
from roundtable.languages import LANGUAGES

from .conftest import csrf_token

PICKER = re.compile(r'<form class="language-picker".*?</form>', re.S)


def picker(client, path):
    """The language form on ``path``."""
    page = client.get(path).get_data(as_text=True)
    found = PICKER.search(page)
    assert found, path
    return html.unescape(found.group(0))


@pytest.mark.parametrize("current", list(LANGUAGES))
def test_one_labelled_list_each_language_in_its_own_name(client, current):
    client.set_cookie("lang", current)
    form = picker(client, "/setup")
    assert re.search(r'<label for="language-choice">.*<span class="language-label">[^<]+</span>\s*</label>', form, re.S)
    assert '<select id="language-choice" name="lang">' in form
    options = re.findall(r'<option value="([^"]+)" lang="([^"]+)"\s*(selected)?>([^<]+)</option>', form)
    assert [(value, lang, name) for value, lang, _selected, name in options] == [
        (code, code.replace("_", "-"), name) for code, name in LANGUAGES.items()
    ]
    assert [value for value, _lang, selected, _name in options if selected] == [current]
    # One button, for browsers without JavaScript (and keyboards), and the script that submits on a choice.
    assert len(re.findall(r"<button", form)) == 1 and 'type="submit" class="language-go"' in form
    assert "<fieldset" not in form and "aria-pressed" not in form
    page = client.get("/setup").get_data(as_text=True)
    assert re.search(r'<script src="/static/js/language\.[0-9a-f]{12}\.js" defer></script>', page)


def next_on(client, path):
    """The ``next`` address the language form on ``path`` carries."""
    return re.search(r'name="next" value="([^"]*)"', picker(client, path)).group(1)


def test_participant_pages_carry_no_query_on(app, client, staff):
    staff.login()
    store = app.config["STORE"]
    survey = surveys.create_survey(
        store,
        {"en": "Check-in"},
        "en",
        "anonymous",
        None,
        invitations_only=True,
        questions=[{"kind": "yes_no", "text": {"en": "Good?"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")
    meeting = meetings.create_meeting(store, {"en": "Quarterly"}, datetime.date(2026, 6, 1))
    participant = app.test_client()
    assert next_on(participant, f"/s/{survey.share_token}?invite=ABCD-EFGH") == f"/s/{survey.share_token}"
    assert next_on(participant, "/join?code=ABC123") == "/join"
    assert next_on(participant, f"/m/{meeting['share_token']}?seat=x") == f"/m/{meeting['share_token']}"
    # Staff pages keep theirs (a filtered dashboard stays filtered).
    assert next_on(client, "/dashboard/?phase=planning") == "/dashboard/?phase=planning"


def test_choosing_a_language_on_a_participant_page_goes_back_without_the_query(app, client):
    token = csrf_token(client, "/join")
    response = client.post(
        "/language", data={"csrf_token": token, "lang": "vi", "next": next_on(client, "/join?code=ABC123")}
    )
    assert response.status_code == 303 and response.location == "/join"
    assert '<html lang="vi" dir="ltr">' in client.get("/join").get_data(as_text=True)
