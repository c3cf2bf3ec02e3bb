"""No English on a non-English page.

Every HTML page — staff pages, participant pages, the dashboard with the demo
partnership's data, the setup page, error pages, and what comes back when each
form on a page is sent empty — is rendered in Spanish, Vietnamese, Simplified
Chinese and Arabic, and so are the CSV and Markdown downloads, the QR codes'
titles and the projector screen's live part. What people read or hear on it (text, the ``<title>``,
``aria-label``, ``title``, ``alt``, ``placeholder``, button values, texts that
scripts show, and the Plotly figures' titles, axis titles, legends and hover
labels) must hold no English source string: no msgid of ``locales/messages.pot``
(whole, or for a msgid with placeholders each literal fragment of two words or
more), none of WTForms' own messages, and no English text of a survey template.

Names people typed (partners, meetings, proposals, comments, usernames) are
taken out of the text before looking, and a short allow-list holds the words
that are the same in every language.
"""

import errno
import html.parser
import json
import os
import pathlib
import re

import pytest
import wtforms
from babel.messages.pofile import read_po

from app import create_app
from roundtable import accounts, demo, meetings, surveys
from roundtable.survey_templates import TEMPLATES

from .conftest import PASSWORD, csrf_token
from .test_pages import PAGES, build_world

ROOT = pathlib.Path(__file__).resolve().parent.parent
LANGUAGES = ["es", "vi", "zh_Hans", "ar"]

# The same in every language, by nature: the product's name and file formats' names.
SAME_EVERYWHERE = {"Roundtable", "CSV", "JSON", "PNG", "SVG", "QR"}
# Spanish spells these two words as English does.
SAME_IN = {"es": {"No", "Veto"}}

# What people typed into the world the pages show (build_world's and the demo's texts, and ours).
PARTNER_NAME = "Qalatu Zentrum"
TYPED = [PARTNER_NAME, "Board", "Adopt the vision", "leader1", "admin", "qzx9"]
TYPED += [text for partner in demo.DEMO_PARTNERS for text in partner[:2]]
TYPED += demo.DEMO_COMMENTS + [
    "facilitator",
    "leader",
    "Quarterly partnership meeting",
    "Reunión trimestral",
    "We need time to train our staff.",
    "Agreed in the room.",
    "Back to the working group.",
    "Small partners may phase it in over six months.",
]

# Attributes whose text is read or heard; data-template is the survey's progress text, shown by a script.
SPOKEN_ATTRIBUTES = {
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "aria-placeholder",
    "title",
    "alt",
    "placeholder",
    "label",
    "data-template",
}
BUTTON_INPUTS = {"submit", "button", "reset"}
# Downloads meant for people (JSON is for programs: its keys stay English).
DOWNLOADS = {"text/csv", "text/markdown"}
# Keys of a Plotly figure that hold colours and fonts, never words.
FIGURE_STYLE_KEYS = {"color", "colorscale", "family", "paper_bgcolor", "plot_bgcolor"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Punctuation a fragment between placeholders may start or end with, and a page may set apart.
EDGES = " ()“”\"'‘’:;,.·/-"
WORD = re.compile(r"[A-Za-z]+")
# A needle must not be part of a longer word in a Latin script (Spanish and Vietnamese letters included).
LATIN = r"A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF"


def normalized(text):
    """``text`` with its runs of white space made single spaces."""
    return " ".join(text.split())


class Visible(html.parser.HTMLParser):
    """Collects (where, text) of what a page shows or says, and its Plotly figures."""

    # A textarea holds what was typed into it, in whichever language the field is for.
    SKIPPED = {"script", "style", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self.figures = []
        self.skipping = 0
        self.tag = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tag = tag
        if tag in self.SKIPPED:
            self.skipping += 1
        for name, value in attrs.items():
            if value and (
                name in SPOKEN_ATTRIBUTES or (name == "value" and tag == "input" and attrs.get("type") in BUTTON_INPUTS)
            ):
                self.texts.append((f"<{tag} {name}>", value))
        if attrs.get("data-figure"):
            self.figures.append(json.loads(attrs["data-figure"]))

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append((f"text in <{self.tag}>", data))


def figure_texts(figure, where="figure"):
    """(where, text) of every string of a Plotly figure but its colours and fonts."""
    if isinstance(figure, str):
        return [(where, figure)]
    if isinstance(figure, dict):
        items = [(key, value) for key, value in figure.items() if key not in FIGURE_STYLE_KEYS]
    elif isinstance(figure, list):
        items = list(enumerate(figure))
    else:
        return []
    return [found for key, value in items for found in figure_texts(value, f"{where}.{key}")]


def page_texts(page):
    """(where, text) of everything a page shows or says, figures included."""
    parser = Visible()
    parser.feed(page)
    parser.close()
    return parser.texts + [found for figure in parser.figures for found in figure_texts(figure)]


def _needle(text):
    return re.compile(f"(?<![{LATIN}]){re.escape(text)}(?![{LATIN}])")


def _pieces(message_id):
    """What of an English message would show on a page: the whole text, or its literal fragments of 2+ words."""
    text = normalized(message_id.replace("%%", "%"))
    if not PLACEHOLDER.search(text):
        return [text]
    fragments = (normalized(f).strip(EDGES) for f in PLACEHOLDER.split(text))
    return [f for f in fragments if len(WORD.findall(f)) >= 2]


def _catalog_ids(path):
    with open(path, "rb") as file:
        for message in read_po(file):
            if message.id:
                yield from (message.id if isinstance(message.id, tuple) else (message.id,))


def _template_texts(value):
    """The English texts of a survey template, line by line (as the pages show them)."""
    if isinstance(value, dict):
        if isinstance(value.get("en"), str):
            return [line for line in value["en"].split("\n") if line.strip()]
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _template_texts(item)]
    return []


def english_needles():
    """{English text: pattern} of every string a translated page must not show."""
    ids = set(_catalog_ids(ROOT / "locales" / "messages.pot"))
    ids |= set(_catalog_ids(pathlib.Path(wtforms.__file__).parent / "locale" / "wtforms.pot"))
    ids |= {text for template in TEMPLATES.values() for text in _template_texts(template)}
    pieces = {piece for message_id in ids for piece in _pieces(message_id)}
    return {piece: _needle(piece) for piece in pieces if piece not in SAME_EVERYWHERE}


NEEDLES = english_needles()
# Needles by their first word: a text is searched only for the needles whose first word it holds.
BY_FIRST_WORD = {}
for _english, _pattern in NEEDLES.items():
    BY_FIRST_WORD.setdefault(WORD.search(_english).group(), []).append((_english, _pattern))


def proposals_in(store):
    """The texts of every proposal of every meeting, as typed (each round's wording, in each language)."""
    return [
        text
        for meeting in store.all(meetings.TABLE)
        for proposal in meeting["proposals"]
        for round_ in proposal["rounds"]
        for text in round_["text"].values()
    ]


def english_on(page, code, typed=TYPED):
    """[(English text, where, text it was found in)] on the HTML ``page`` shown in language ``code``."""
    return english_in(page_texts(page), code, typed)


def english_in(texts, code, typed=TYPED):
    """[(English text, where, text it was found in)] among ``texts`` ([(where, text)]) in language ``code``."""
    allowed = SAME_IN.get(code, set())
    # Charts shorten long names to their first 50 or 60 characters.
    names = {normalized(shown) for name in typed for shown in (name, name[:50], name[:60])}
    names = sorted(names, key=len, reverse=True)
    found = []
    for where, text in texts:
        text = normalized(text)
        for name in names:
            text = text.replace(name, " \u2063 ")
        candidates = (pair for word in set(WORD.findall(text)) for pair in BY_FIRST_WORD.get(word, ()))
        found += [
            (english, where, text) for english, needle in candidates if english not in allowed and needle.search(text)
        ]
    return found


def get(client, path, code, **kwargs):
    """GET ``path`` in language ``code``."""
    return client.get(path, headers={"Accept-Language": code.replace("_", "-")}, **kwargs)


class Sweep:
    """Renders pages in one language and gathers the English found on them."""

    def __init__(self, code, typed=TYPED):
        self.code = code
        self.typed = typed
        self.problems = []
        self.pages = 0

    def check(self, label, response, status=None):
        """Look for English on ``response``, an HTML page (or a CSV or Markdown download) expected with ``status``."""
        if status is not None:
            assert response.status_code == status, (label, response.status_code)
        if response.mimetype in DOWNLOADS:
            lines = [
                (f"line {number}", line)
                for number, line in enumerate(response.get_data(as_text=True).splitlines(), start=1)
            ]
            self.problems += [
                (label, english, where, text) for english, where, text in english_in(lines, self.code, self.typed)
            ]
            return
        if response.mimetype == "image/svg+xml":  # a QR code's <title>
            self.problems += [
                (label, english, where, text)
                for english, where, text in english_on(response.get_data(as_text=True), self.code, self.typed)
            ]
            return
        if response.mimetype == "application/json" and isinstance(response.get_json().get("html"), str):
            # The projector screen's live part, as live.js puts it on the page.
            self.problems += [
                (label, english, where, text)
                for english, where, text in english_on(response.get_json()["html"], self.code, self.typed)
            ]
            return
        if response.mimetype != "text/html":
            return
        self.pages += 1
        page = response.get_data(as_text=True)
        assert f'lang="{self.code.replace("_", "-")}"' in page, f"{label} is not served in {self.code}"
        self.problems += [
            (label, english, where, text) for english, where, text in english_on(page, self.code, self.typed)
        ]

    def report(self):
        """A readable list of what was found, one line each."""
        return "\n".join(
            f"{label} [{self.code}] {where}: {english!r} in {text[:160]!r}"
            for label, english, where, text in self.problems
        )


class Forms(html.parser.HTMLParser):
    """The POST forms of a page: (action, {hidden field: value}, [(button name, value)])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([attrs.get("action"), attrs.get("method", "get").lower(), {}, []])
            self.inside = True
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.forms[-1][2][attrs["name"]] = attrs.get("value") or ""
        elif (
            tag == "button"
            and attrs.get("type", "submit") == "submit"
            or tag == "input"
            and attrs.get("type") == "submit"
        ):
            self.forms[-1][3].append((attrs.get("name"), attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


# Forms not sent empty: the language picker and logging out change the visit, not the page.
UNSENT_ACTIONS = {"/language", "/logout"}


def send_forms_empty(client, sweep, path):
    """Send each POST form of ``path`` once per button, with nothing typed, and check the page that comes back."""
    parser = Forms()
    response = get(client, path, sweep.code)
    assert response.status_code < 500, (path, response.status_code)
    parser.feed(response.get_data(as_text=True))
    for action, method, hidden, buttons in parser.forms:
        action = action or path
        if method != "post" or action.split("?")[0] in UNSENT_ACTIONS:
            continue
        for name, value in buttons or [(None, "")]:
            data = dict(hidden, **({name: value} if name else {}))
            response = client.post(
                action, data=data, follow_redirects=True, headers={"Accept-Language": sweep.code.replace("_", "-")}
            )
            assert response.status_code < 500, (path, action, data, response.status_code)
            sweep.check(f"{path} → empty form {action} {name or ''}={value}", response)


def log_in(client, username):
    """Log ``client`` in through the login form."""
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 303, response.status_code


def answer_survey(client, code, token):
    """Answer the survey at ``/s/<token>`` in language ``code``; the response that comes back."""
    page = get(client, f"/s/{token}", code).get_data(as_text=True)
    first = re.search(r'name="(q-[^"]+)" value="([^"]+)"', page)
    data = {"csrf_token": csrf_token(client, f"/s/{token}"), first.group(1): first.group(2)}
    return client.post(f"/s/{token}", data=data, headers={"Accept-Language": code.replace("_", "-")})


@pytest.fixture
def world(app, staff):
    """build_world's partnership plus a partner-type survey with a response; the admin logged in."""
    store = app.config["STORE"]
    staff.login("admin", "admin")
    ids = build_world(store, PARTNER_NAME)
    by_type = surveys.set_status(
        store, surveys.create_from_template(store, TEMPLATES["ingredients"], "partner_type").id, "open"
    )
    ids["by_type"] = by_type.share_token
    return ids


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_english_on_any_page(app, client, world, code):
    sweep = Sweep(code)
    paths = {endpoint: path.format(**world) for endpoint, path in PAGES.items()}
    for endpoint, path in paths.items():
        sweep.check(endpoint, get(client, path, code), 200)
    # Participant pages in their other states.
    sweep.check("survey by partner type", get(client, f"/s/{world['by_type']}", code), 200)
    response = answer_survey(client, code, world["token"])
    assert response.status_code == 303, response.status_code
    sweep.check("thanks, with a receipt", get(client, response.headers["Location"], code), 200)
    sweep.check(
        "join, unknown code",
        client.post(
            "/join",
            data={"code": "ZZZZZZ", "csrf_token": csrf_token(client, "/join")},
            headers={"Accept-Language": code.replace("_", "-")},
        ),
        404,
    )
    sweep.check(
        "receipt not found",
        client.post(
            "/receipt",
            data={"code": "NOPE", "csrf_token": csrf_token(client, "/receipt")},
            headers={"Accept-Language": code.replace("_", "-")},
        ),
        404,
    )
    vote = paths["vote.meeting"]
    response = client.post(
        vote,
        data={"partner": world["partner"], "csrf_token": csrf_token(client, vote)},
        headers={"Accept-Language": code.replace("_", "-")},
    )
    assert response.status_code == 303, response.status_code
    sweep.check("vote page with a seat", get(client, vote, code), 200)
    sweep.check(
        "vote page, no stance chosen",
        client.post(
            f"{vote}/vote",
            data={"csrf_token": csrf_token(client, vote)},
            headers={"Accept-Language": code.replace("_", "-")},
            follow_redirects=True,
        ),
    )
    # Every form on every page, sent empty: the errors and flashed messages that come back.
    for endpoint, path in paths.items():
        if endpoint not in ("vote.meeting",):
            send_forms_empty(client, sweep, path)
    assert not sweep.problems, "English on translated pages:\n" + sweep.report()
    assert sweep.pages > len(PAGES)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """An app holding the demo partnership (only read by the tests that use it)."""
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("demo") / "data"), "TESTING": True})
    demo.seed_demo(app.config["STORE"])
    accounts.create_account(app.config["STORE"], "qzx9", PASSWORD, "admin")
    return app


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_english_on_the_dashboard_and_results_of_the_demo(demo_app, code):
    store = demo_app.config["STORE"]
    client = demo_app.test_client()
    log_in(client, "qzx9")
    sweep = Sweep(code, TYPED + proposals_in(store))
    for path in ("/", "/dashboard", "/dashboard?phase=planning", "/surveys/", "/meetings/", "/partners/"):
        sweep.check(path, get(client, path, code), 200)
    for survey in surveys.list_surveys(store):
        for view in ("/results", "/results?by=partner_type", "", "/results.csv", "/responses.csv"):
            sweep.check(f"survey{view}", get(client, f"/surveys/{survey.id}{view}", code), 200)
    for meeting in store.all(meetings.TABLE):
        for view in ("", "/minutes", "/screen", "/screen?waiting=1", "/minutes.md", "/minutes.csv"):
            sweep.check(f"meeting{view}", get(client, f"/meetings/{meeting['id']}{view}", code), 200)
    sweep.check("dashboard.csv", get(client, "/dashboard.csv", code), 200)
    assert not sweep.problems, "English on translated pages:\n" + sweep.report()


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_english_on_setup_and_error_pages(tmp_path, monkeypatch, code):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True, "LOGIN_LIMITS": "2 per hour"})
    client = app.test_client()
    sweep = Sweep(code)
    sweep.check("setup", get(client, "/setup", code), 200)
    sweep.check(
        "setup sent empty",
        client.post(
            "/setup",
            data={"csrf_token": csrf_token(client, "/setup")},
            headers={"Accept-Language": code.replace("_", "-")},
        ),
        400,
    )
    store = app.config["STORE"]
    accounts.create_account(store, "admin", PASSWORD, "admin")
    accounts.create_account(store, "leader1", PASSWORD, "leader")
    open_survey, closed_survey = (
        surveys.set_status(store, surveys.create_from_template(store, TEMPLATES["health_check"]).id, "open")
        for _ in range(2)
    )
    lang = {"Accept-Language": code.replace("_", "-")}
    sweep.check("404", get(client, "/no/such/page", code), 404)
    sweep.check("405", get(client, "/logout", code), 405)
    sweep.check("400, form expired", client.post("/join", data={"code": "X"}, headers=lang), 400)
    sweep.check("413", client.post("/join", data={"code": "x" * (3 * 1024 * 1024)}, headers=lang), 413)
    for _attempt in range(3):
        response = client.post(
            "/login",
            data={"csrf_token": csrf_token(client, "/login"), "username": "admin", "password": "not the password"},
            headers=lang,
        )
    sweep.check("429, login throttled", response, 429)
    surveys.set_status(store, closed_survey.id, "closed")
    sweep.check("410, closed survey", get(client, f"/s/{closed_survey.share_token}", code), 410)
    log_in(client, "leader1")
    sweep.check("403", get(client, "/admin/accounts", code), 403)

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", full_disk)
        sweep.check("503, disk full", answer_survey(client, code, open_survey.share_token), 503)
    with open(os.path.join(app.config["DATA_DIR"], "store", "roundtable.json"), "wb") as file:
        file.write(b"\x00 not a store file")
    sweep.check("503, damaged store", get(client, "/", code), 503)
    assert not sweep.problems, "English on translated pages:\n" + sweep.report()


# The checker can fail: a page with one English string in it, in each place the checker reads.
TRANSLATED_PAGE = """<!doctype html><html lang="es"><head><title>Socios · Roundtable</title></head>
<body><main><h1>Socios</h1>{}</main></body></html>"""


@pytest.mark.parametrize(
    "english, where",
    [
        ("<p>Partner roster</p>", "text in <p>"),
        ("<p>Su cuenta: <b>Your account</b> (ana)</p>", "text in <b>"),
        ("<p>Yes: a response with this receipt was counted in “Encuesta”.</p>", "text in <p>"),
        ('<nav aria-label="Main menu"></nav>', "<nav aria-label>"),
        ('<input type="submit" value="Log in">', "<input value>"),
        ('<input type="search" placeholder="Partner roster">', "<input placeholder>"),
        ("<template><button>Download as PNG</button></template>", "text in <button>"),
        ("<p>This field is required.</p>", "text in <p>"),
        ("<p>We are building trust relationships among partners.</p>", "text in <p>"),
        (
            '<div data-figure=\'{"data": [], "layout": {"xaxis": {"title": {"text": "Responses"}}}}\'></div>',
            "figure.layout.xaxis.title.text",
        ),
        (
            '<div data-figure=\'{"data": [{"name": "Partners", "type": "scatter"}], "layout": {}}\'></div>',
            "figure.data.0.name",
        ),
    ],
)
def test_the_checker_finds_english(english, where):
    found = english_on(TRANSLATED_PAGE.format(english), "es")
    assert found, english
    if where:
        assert where in {place for _text, place, _in in found}, found


def test_the_checker_lets_through_translations_names_and_shared_words():
    page = TRANSLATED_PAGE.format(
        '<p>Resultados (CSV, JSON)</p><p>Qalatu Zentrum</p><p lang="en">Adopt the vision</p>'
        '<button aria-label="Descargar como PNG">PNG</button><p>No</p>'
        '<div data-figure=\'{"data": [{"type": "bar", "marker": {"color": "#0072B2"}}], '
        '"layout": {"title": {"text": "Respuestas"}}}\'></div>'
    )
    assert english_on(page, "es", typed=TYPED + [PARTNER_NAME]) == []
    # "No" is Spanish too, not Vietnamese.
    assert english_on(page.replace("<p>No</p>", "<p>Yes</p>"), "es")


def test_the_checker_finds_english_on_a_real_english_page(client, world):
    page = get(client, f"/surveys/{world['survey']}/results", "en").get_data(as_text=True)
    found = {english for english, _where, _text in english_on(page, "es")}
    assert {"Skip to main content", "Main menu", "Download as PNG", "Who has been heard"} <= found, found


def test_the_checker_finds_english_in_a_download():
    found = english_in([("line 1", "Socio,Silent partner, last heard")], "es")
    assert [english for english, _where, _text in found] == ["Silent partner, last heard"]


def test_the_checker_reads_qr_codes_and_the_screens_live_part(client, world):
    for path, english in (
        (f"/surveys/{world['survey']}/qr.svg", "QR code of the survey link"),
        (f"/meetings/{world['meeting']}/live.json", "How votes are spread"),
        (f"/meetings/{world['meeting']}/live.json?waiting=1", "Not voted yet"),
    ):
        sweep = Sweep("es")
        sweep.check(path, get(client, path, "en"), 200)
        assert english in {found for _label, found, _where, _text in sweep.problems}, sweep.report()
