"""Words people typed keep their own direction: on an Arabic page, a Latin name is isolated (``<bdi>``/``dir``)."""

import datetime
import pathlib
import re
from html.parser import HTMLParser

import pytest

from roundtable import accounts, meetings, partners, surveys

TEMPLATES = pathlib.Path(__file__).parent.parent / "templates"
SECRET = "test-secret"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Ancestors(HTMLParser):
    """For every text node holding ``needle``, the open elements around it, outermost first."""

    def __init__(self, needle):
        super().__init__(convert_charrefs=True)
        self.needle, self.open, self.found = needle, [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break

    def handle_data(self, data):
        if self.needle in data:
            self.found.append(list(self.open))


def isolated(ancestors):
    """Whether some element around the text (not the page itself) isolates its direction."""
    return any(tag == "bdi" or "dir" in attrs for tag, attrs in ancestors if tag != "html")


def occurrences(page, needle):
    """List the ancestors of each text node of ``page`` holding ``needle``; fail when there is none."""
    parser = _Ancestors(needle)
    parser.feed(page)
    assert parser.found, f"{needle!r} is not on the page"
    return parser.found


def assert_isolated(page, *needles):
    """Every occurrence of each needle, outside ``<title>`` (which holds text only), sits in an isolate."""
    for needle in needles:
        bare = [
            [tag for tag, _ in around]
            for around in occurrences(page, needle)
            if not isolated(around) and "title" not in {tag for tag, _ in around}
        ]
        assert not bare, f"{needle!r} is not direction-isolated inside {bare}"


@pytest.fixture
def arabic_room(app, client, staff):
    """Make a partnership whose names, titles and texts are typed in Latin script; read it in Arabic as admin."""
    store = app.config["STORE"]
    acme = partners.add_partner(store, "Acme Manufacturing", "business")
    beta = partners.add_partner(store, "Beta Works", "labor")
    gamma = partners.add_partner(store, "Gamma College", "semi_public")
    partners.add_partner(store, "Delta Foundation", "foundation")  # never heard
    # Typed in Latin script although the meeting's language is Arabic: its own language says nothing of the script.
    meeting = meetings.create_meeting(
        store, {"ar": "Board retreat"}, datetime.date(2026, 11, 23), "ar", attending=[acme.id, beta.id, gamma.id]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"ar": "Adopt the WIOA plan"})
    meetings.give_proxy(store, meeting["id"], absent=gamma.id, holder=acme.id)
    meetings.open_round(store, meeting["id"], proposal["id"])
    token = meetings.take_seat(store, meeting["id"], SECRET, partner_id=acme.id)
    meetings.cast_ballot(
        store,
        meeting["id"],
        meetings.seat_for(store, meeting["id"], SECRET, token),
        "agree",
        comment="Needs a timeline",
    )
    meetings.close_round(store, meeting["id"])
    meetings.take_seat(store, meeting["id"], SECRET, partner_id=beta.id)
    survey = surveys.create_survey(
        store,
        {"ar": "Health check"},
        "ar",
        attribution="partner",
        questions=[
            {"kind": "yes_no", "text": {"ar": "Is the mission clear?"}},
            {"kind": "short_text", "text": {"ar": "Anything else?"}},
        ],
    )
    surveys.set_status(store, survey.id, "open")
    survey = surveys.get_survey(store, survey.id)
    # Three partners: results show from k = 3.
    surveys.add_responses(
        store,
        survey,
        [
            ({survey.questions[0].id: "yes", survey.questions[1].id: "More data please"}, partner.id, None)
            for partner in (acme, beta, gamma)
        ],
    )
    staff.login("admin", "admin")
    accounts.create_account(store, "fay.lopez", "correct horse battery", "facilitator")
    client.set_cookie("lang", "ar")
    return {"meeting": meetings.get_meeting(store, meeting["id"]), "survey": survey}


def page(client, path):
    """Get an Arabic page of ``path``."""
    response = client.get(path)
    assert response.status_code == 200, path
    text = response.get_data(as_text=True)
    assert 'dir="rtl"' in text
    return text


def test_partner_names_on_the_roster_are_isolated(client, arabic_room):
    assert_isolated(page(client, "/partners/"), "Acme Manufacturing", "Beta Works")


def test_a_meetings_title_names_proposal_seats_and_proxies_are_isolated(client, arabic_room):
    meeting = arabic_room["meeting"]
    assert_isolated(
        page(client, f"/meetings/{meeting['id']}"),
        "Board retreat",
        "Adopt the WIOA plan",
        "Acme Manufacturing",
        "Beta Works",
        "Gamma College",
    )
    assert_isolated(page(client, "/meetings/"), "Board retreat")


def test_the_minutes_isolate_titles_texts_names_and_concerns(client, arabic_room):
    meeting = arabic_room["meeting"]
    assert_isolated(
        page(client, f"/meetings/{meeting['id']}/minutes"),
        "Board retreat",
        "Adopt the WIOA plan",
        "Acme Manufacturing",
        "Gamma College",
        "Needs a timeline",
    )


def test_the_phone_page_isolates_the_meeting_and_the_partners(client, arabic_room):
    meeting = arabic_room["meeting"]
    assert_isolated(page(client, f"/m/{meeting['share_token']}"), "Board retreat", "Acme Manufacturing")


def test_survey_titles_questions_names_and_answers_are_isolated(client, arabic_room):
    survey = arabic_room["survey"]
    assert_isolated(page(client, "/surveys/"), "Health check")
    assert_isolated(
        page(client, f"/surveys/{survey.id}/results"),
        "Health check",
        "Is the mission clear?",
        "Beta Works",
        "Delta Foundation",
        "More data please",
    )
    assert_isolated(page(client, f"/surveys/{survey.id}"), "Health check", "Is the mission clear?")


def test_account_names_are_isolated(client, arabic_room):
    assert_isolated(page(client, "/admin/accounts"), "fay.lopez")
    assert_isolated(page(client, "/"), "admin")


# What people type, as templates name it: names of partners, accounts and types, titles, texts, concerns.
# A loop over such a list (``{% for name in participation.heard %}``) makes its variable one too.
USER_TEXT = re.compile(
    r"(?:^|\.|_)(?:name|title|text|comment|concern|username|absent|holder)s?$"
    r"|^(?:seat\.label|round\.voted|released)$"
)
# Outputs that hold no one's typing, or cannot hold markup, and why.
NOT_USER_TEXT = {
    "form.": "a WTForms field: the field macro renders an input, not a text",
    "label.text": "a form's own label, our translated words",
    "confirmation.": "the confirm page's words from views/confirm.py, our translated sentences",
    "l.text": "inside templates/_text.html: the macros that isolate",
    "t.name": "the name of a language in meetings/_live.html, from our list of languages",
    "t.text": "meetings/_live.html: inside a div marked with the text's own lang and dir",
    ".texts": "the room's texts on the projector, each in a div marked with its own lang and dir",
    "said.": "templates/_forms.html: the confirm dialog's words, in attributes (no markup there)",
    "phase_names": "the partnership phases' names, our translated words",
}
# Names that are user text elsewhere but not in this template.
NOT_USER_TEXT_IN = {
    ("errors/error.html", "title"): "the error's title, our translated words",
    ("surveys/_language_tabs.html", "name"): "the name of a language, from our list, marked with its own lang",
    ("surveys/builder.html", "name"): "the name of a language, from our list, marked with its own lang",
    ("base.html", "name"): "the language picker: names of languages, each marked with its own lang",
    ("meetings/agenda.html", "default_name"): "the name of the meeting's language, from our list of languages",
}
EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
DOTTED = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*")
STRING = re.compile(r"'(?!bdi')[^']*'|\"(?!bdi\")[^\"]*\"")
LOOP = re.compile(r"\{%-?\s*for\s+(\w+)\s+in\s+([\w.]+)")


def _reads(expression):
    """(name, what follows it) for each dotted name an expression reads; names called as functions are skipped."""
    expression = STRING.sub('""', expression)
    for match in DOTTED.finditer(expression):
        ahead, rest = expression[: match.start()], expression[match.end() :]
        name = match.group(0)
        if name.endswith(".get") and rest.startswith("("):  # texts.get(language): reads the text
            name, rest = name[:-4], re.sub(r"^\([^()]*\)", "", rest)
        called, named, filter_ = rest.lstrip().startswith("("), rest.startswith("="), re.search(r"\|\s*$", ahead)
        counted = re.match(r"\s*\|\s*length\b", rest)
        if not (called or named or filter_ or counted):
            yield name, ahead, rest


def _isolated(before, rest):
    """Whether a name read in an expression is piped through ``bdi``, or handed to a macro that isolates it.

    Those are ``lt()``, ``paragraphs()`` and ``reader_text()``.
    """
    rest = re.sub(r"^\s*(?:,[^()]*)?\)\.text", "", rest) if re.search(r"\blocalized\(\s*$", before) else rest
    return bool(
        re.match(r"\s*(?:\|\s*\w+(?:\([^)]*\))?\s*)*\|\s*(?:bdi\b|map\(\s*['\"]bdi['\"])", rest)
        or re.search(r"\b(?:lt|paragraphs|reader_text)\(\s*$", before)
    )


def bare_user_text(source, path=""):
    """List outputs in ``source`` showing a user-text name without ``|bdi``, ``lt()`` or a ``dir="auto"`` element."""
    # <title> holds text only: no element can isolate there.
    source = re.sub(r"\{%-?\s*block title\s*%\}.*?\{%-?\s*endblock\s*%\}", "", source, flags=re.S)
    loops = {var for var, over in LOOP.findall(source) if USER_TEXT.search(over)}
    found = []
    for match in EXPRESSION.finditer(source):
        before = source[: match.start()]
        if before.rfind("<") > before.rfind(">"):
            continue  # inside a tag: an attribute's value holds no markup
        if re.search(r'(?:dir="auto"[^<>]*|<bdi)>\s*$', before):
            continue
        for name, ahead, rest in _reads(match.group(1)):
            if (
                not (USER_TEXT.search(name) or name in loops)
                or any(part in name for part in NOT_USER_TEXT)
                or (path, name) in NOT_USER_TEXT_IN
            ):
                continue
            if not _isolated(ahead, rest):
                found.append(f"{{{{{match.group(1)}}}}}")
    return found


@pytest.mark.parametrize("path", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_every_user_text_a_template_shows_is_direction_isolated(path):
    assert bare_user_text((TEMPLATES / path).read_text(), path) == []


def test_the_template_check_knows_isolated_from_bare():
    assert bare_user_text("<li>{{ partner.name }}</li>") == ["{{ partner.name }}"]
    assert bare_user_text('<th>{{ _("Edit %(name)s", name=account.username) }}</th>') != []
    assert bare_user_text("<li>{{ partner.name|bdi }}</li>") == []
    assert bare_user_text('<li>{{ _("Edit %(name)s", name=partner.name|bdi) }}</li>') == []
    assert bare_user_text("<li>{{ names|map('bdi')|join(', ') }}</li>") == []
    assert bare_user_text('<li dir="auto">{{ comment }}</li>') == []
    assert bare_user_text("<h1>{{ lt(meeting.title, meeting.default_language) }}</h1>") == []
    assert bare_user_text('<option value="{{ p.name }}">') == []
    assert bare_user_text('<li>{{ c.text.get(language, "") }}</li>') != []
