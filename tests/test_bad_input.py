"""Bad input on every form: a 4xx page with a visible message, and the store untouched."""

import html
import io

import pytest

from roundtable import accounts, partners

from .conftest import PASSWORD, csrf_token

LONG = "x" * 10_000
NEW = "a brand new password"
TABLES = ("accounts", "partners", "partner_types")

# A valid submission of each form; each case below spoils one part of it.
VALID = {
    "setup": {"username": "ada", "password": NEW, "confirm": NEW},
    "login": {"username": "maria", "password": PASSWORD},
    "password": {"current": PASSWORD, "password": NEW, "confirm": NEW},
    "account_create": {"username": "newbie", "role": "leader", "password": NEW, "confirm": NEW},
    "account_edit": {"role": "facilitator", "active": "y"},
    "partner_new": {"name": "Valley College", "short_name": "Valley", "type": "semi_public", "active": "y"},
    "partner_edit": {"name": "Harbor Foundation", "short_name": "Harbor", "type": "foundation", "active": "y"},
    "partner_types": {"label": "Tribal nation"},
}

PATHS = {
    "setup": "/setup",
    "login": "/login",
    "password": "/account/password",
    "account_create": "/admin/accounts",
    "account_edit": "/admin/accounts/{maria}",
    "partner_new": "/partners/new",
    "partner_edit": "/partners/{harbor}/edit",
    "partner_types": "/partners/types",
    "partner_import": "/partners/import",
}

REQUIRED = "This field is required."
PASSWORD_LENGTH = "A password needs 10 to 200 characters."
DIFFER = "The two passwords differ."
NOT_A_CHOICE = "Please choose one of the options offered."


def at_most(n):
    return f"Please use at most {n} characters."


CASES = [
    # setup
    ("setup", {"username": ""}, REQUIRED),
    ("setup", {"password": "", "confirm": ""}, REQUIRED),
    ("setup", {"username": LONG}, at_most(40)),
    ("setup", {"username": "ab"}, "A username has 3 to 40 characters"),
    ("setup", {"username": "bad name!"}, "A username has 3 to 40 characters"),
    ("setup", {"password": "short", "confirm": "short"}, PASSWORD_LENGTH),
    ("setup", {"password": LONG, "confirm": LONG}, PASSWORD_LENGTH),
    ("setup", {"confirm": "something else entirely"}, DIFFER),
    # login
    ("login", {"username": ""}, REQUIRED),
    ("login", {"password": ""}, REQUIRED),
    ("login", {"username": LONG}, at_most(80)),
    ("login", {"password": LONG}, at_most(200)),
    # password change
    ("password", {"current": ""}, REQUIRED),
    ("password", {"password": "", "confirm": ""}, REQUIRED),
    ("password", {"current": LONG}, "The current password is not correct."),
    ("password", {"current": "not my password"}, "The current password is not correct."),
    ("password", {"password": "short", "confirm": "short"}, PASSWORD_LENGTH),
    ("password", {"password": LONG, "confirm": LONG}, PASSWORD_LENGTH),
    ("password", {"confirm": "something else entirely"}, DIFFER),
    # account create
    ("account_create", {"username": ""}, REQUIRED),
    ("account_create", {"username": LONG}, at_most(40)),
    ("account_create", {"username": "no spaces allowed"}, "A username has 3 to 40 characters"),
    ("account_create", {"username": "MARIA"}, "That username is already taken."),
    ("account_create", {"username": "admin"}, "That username is already taken."),
    ("account_create", {"role": "superuser"}, NOT_A_CHOICE),
    ("account_create", {"role": ""}, REQUIRED),
    ("account_create", {"role": LONG}, NOT_A_CHOICE),
    ("account_create", {"password": "", "confirm": ""}, REQUIRED),
    ("account_create", {"password": LONG, "confirm": LONG}, PASSWORD_LENGTH),
    ("account_create", {"confirm": "something else entirely"}, DIFFER),
    # account edit
    ("account_edit", {"role": "superuser"}, NOT_A_CHOICE),
    ("account_edit", {"role": ""}, REQUIRED),
    ("account_edit", {"role": LONG}, NOT_A_CHOICE),
    # partner new
    ("partner_new", {"name": ""}, REQUIRED),
    ("partner_new", {"name": "   "}, REQUIRED),
    ("partner_new", {"name": LONG}, at_most(120)),
    ("partner_new", {"short_name": LONG}, at_most(30)),
    ("partner_new", {"type": ""}, REQUIRED),
    ("partner_new", {"type": "nope"}, "Unknown partner type “nope”."),
    ("partner_new", {"type": LONG}, "Unknown partner type"),
    ("partner_new", {"name": "GOODWILL"}, "A partner named “GOODWILL” is already on the roster."),
    ("partner_new", {"short_name": "gw"}, "Another partner already uses the short name “gw”."),
    # partner edit
    ("partner_edit", {"name": ""}, REQUIRED),
    ("partner_edit", {"name": LONG}, at_most(120)),
    ("partner_edit", {"short_name": LONG}, at_most(30)),
    ("partner_edit", {"type": ""}, REQUIRED),
    ("partner_edit", {"type": "nope"}, "Unknown partner type “nope”."),
    ("partner_edit", {"name": "goodwill"}, "A partner named “goodwill” is already on the roster."),
    ("partner_edit", {"short_name": "GW"}, "Another partner already uses the short name “GW”."),
    # partner types
    ("partner_types", {"label": ""}, REQUIRED),
    ("partner_types", {"label": "  "}, REQUIRED),
    ("partner_types", {"label": LONG}, at_most(80)),
    ("partner_types", {"label": "FAITH COMMUNITY"}, "That partner type already exists."),
    ("partner_types", {"label": "Business"}, "That partner type already exists."),
]


@pytest.fixture
def world(app, client, staff):
    """Prepare the app for one form; return the form's path."""

    def prepare(form):
        store = app.config["STORE"]
        if form == "setup":
            return PATHS[form]
        staff.create("maria", "leader")
        if form == "login":
            return PATHS[form]
        staff.login("admin", "admin")
        partners.add_partner(store, "Goodwill", "cbo", "GW")
        harbor = partners.add_partner(store, "Harbor Foundation", "foundation", "Harbor")
        partners.add_partner_type(store, "Faith community")
        maria = next(a for a in accounts.list_accounts(store) if a.username == "maria")
        return PATHS[form].format(maria=maria.id, harbor=harbor.id)

    return prepare


def state(app):
    """Every table the forms could change."""
    return {table: app.config["STORE"].all(table) for table in TABLES}


def post_form(client, path, data, **kwargs):
    """POST ``data`` to ``path`` with a CSRF token from that page."""
    data = dict(data)
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data=data, **kwargs)


def page_text(response):
    """The response body as text, entities resolved."""
    return html.unescape(response.get_data(as_text=True))


def assert_refused(response, message):
    """A 400 page that shows ``message`` in an error summary."""
    assert response.status_code == 400, response.status_code
    text = page_text(response)
    assert message in text, text[-3000:]
    assert 'role="alert"' in text


@pytest.mark.parametrize(
    "form, changes, message", CASES, ids=[f"{f}-{'-'.join(c)}-{i}" for i, (f, c, _m) in enumerate(CASES)]
)
def test_bad_form_input(app, client, world, form, changes, message):
    path = world(form)
    before = state(app)
    data = {**VALID[form], **changes}
    response = post_form(client, path, data)
    assert_refused(response, message)
    assert state(app) == before


@pytest.mark.parametrize("form", sorted(VALID))
def test_empty_submission(app, client, world, form):
    """Nothing but the token: every form refuses, without a server error."""
    path = world(form)
    before = state(app)
    response = post_form(client, path, {})
    assert_refused(response, REQUIRED)
    assert state(app) == before


@pytest.mark.parametrize("form", sorted(VALID))
def test_valid_submission_is_accepted(app, client, world, form):
    """The baseline each bad case spoils is itself accepted (so the cases test what they claim)."""
    path = world(form)
    response = post_form(client, path, VALID[form])
    assert response.status_code == 303, page_text(response)[-2000:]


@pytest.mark.parametrize("form", sorted(VALID))
def test_every_field_ten_thousand_chars(app, client, world, form):
    path = world(form)
    before = state(app)
    response = post_form(client, path, {name: LONG for name in VALID[form]})
    assert 400 <= response.status_code < 500
    assert 'role="alert"' in page_text(response)
    assert state(app) == before


def test_wrong_login_changes_nothing(app, client, world):
    path = world("login")
    before = state(app)
    response = post_form(client, path, {"username": "maria", "password": "wrong password!"})
    assert_refused(response, "The username or password is not correct.")
    assert state(app) == before


def test_setup_trims_the_username(app, client, world):
    """Setup with padded but valid input makes exactly one admin, named without the padding."""
    path = world("setup")
    response = post_form(client, path, {"username": "  Ada  ", "password": NEW, "confirm": NEW})
    assert response.status_code == 303
    assert [a.username for a in accounts.list_accounts(app.config["STORE"])] == ["Ada"]


# -- CSV import ------------------------------------------------------------------


def upload(client, path, payload, filename="partners.csv"):
    """Post the import form with ``payload`` as the file."""
    return post_form(client, path, {"file": (io.BytesIO(payload), filename)}, content_type="multipart/form-data")


NOTHING = "Nothing was imported"
ENCODING = "The file is not UTF-8 text."

CSV_CASES = [
    (bytes(range(256)) * 4, ENCODING),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ENCODING),
    ("name,type\nCafé Olé,cbo\nÉcole,foundation\n".encode("latin-1"), ENCODING),
    ("name,type\nCafé,cbo\n".encode("utf-16"), ENCODING),
    (b"", "The file is empty."),
    (b"\n\n\n", "The file is empty."),
    (b"Valley College,semi_public\nOther,cbo\n", "The first row must name the columns"),
    (b"organization;kind\nValley College;semi_public\n", "The first row must name the columns"),
    (b"name,type\n", "The file has column names but no partners."),
    (b"name,type\nValley,nope\n", "Unknown partner type “nope”."),
    (b"name,type\n,cbo\n", REQUIRED),
    (b"name,type,active\nValley,cbo,maybe\n", "The “active” column must be yes or no, not “maybe”."),
    (b"name,type\nGoodwill,cbo\n", "A partner named “Goodwill” is already on the roster."),
    (b"name,type,short_name\nNew One,cbo,gw\n", "Another partner already uses the short name “gw”."),
    (b"name,type\nTwin,cbo\nTWIN,labor\n", "A partner named “TWIN” is already on the roster."),
    (b"name,type\n" + LONG.encode() + b",cbo\n", at_most(120)),
    (b"name,type\nFine,cbo\nBad,nope\n", "Nothing was imported: 1 row has a problem."),
    (("name,type\n" + "".join(f"P{i},cbo\n" for i in range(2001))).encode(), "A file can hold at most 2000 partners."),
]


@pytest.mark.parametrize("payload, message", CSV_CASES, ids=[f"csv-{i}" for i in range(len(CSV_CASES))])
def test_bad_csv_files(app, client, world, payload, message):
    path = world("partner_import")
    before = state(app)
    response = upload(client, path, payload)
    assert_refused(response, message)
    assert NOTHING in page_text(response)
    assert state(app) == before


def test_import_without_a_file(app, client, world):
    path = world("partner_import")
    before = state(app)
    response = post_form(client, path, {}, content_type="multipart/form-data")
    assert_refused(response, "Please choose a file.")
    assert state(app) == before


def test_import_file_as_a_plain_field(app, client, world):
    """A 'file' sent as plain text (not an upload) is refused, not crashed on."""
    path = world("partner_import")
    before = state(app)
    response = post_form(client, path, {"file": "name,type\nSneaky,cbo\n"})
    assert_refused(response, "Please choose a file.")
    assert state(app) == before


def test_import_every_bad_row_listed(app, client, world):
    path = world("partner_import")
    before = state(app)
    response = upload(client, path, b"name,type,active\nFine,cbo,yes\n,cbo,\nX,nope,\nY,cbo,perhaps\nFine 2,cbo,\n")
    assert_refused(response, "Nothing was imported: 3 rows have problems.")
    text = page_text(response)
    for line in (3, 4, 5):
        assert f'<th scope="row">{line}</th>' in text
    assert '<th scope="row">2</th>' not in text
    assert state(app) == before


# -- request size ----------------------------------------------------------------


def test_body_above_max_content_length_is_413(app, client, world):
    path = world("partner_new")
    before = state(app)
    token = csrf_token(client, path)
    response = client.post(
        path, data={"csrf_token": token, "name": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1), "type": "cbo"}
    )
    assert response.status_code == 413
    text = page_text(response)
    assert "What you sent is too large" in text
    assert "Please send a smaller file or shorter text." in text
    assert state(app) == before


def test_upload_above_max_content_length_is_413(app, client, world):
    path = world("partner_import")
    before = state(app)
    rows = b"".join(b"Partner %d,cbo\n" % i for i in range(200_000))
    assert len(rows) > app.config["MAX_CONTENT_LENGTH"]
    response = upload(client, path, b"name,type\n" + rows)
    assert response.status_code == 413
    assert "What you sent is too large" in page_text(response)
    assert state(app) == before


def test_anonymous_413_page(app, client, world):
    path = world("login")
    response = client.post(path, data={"username": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413
    assert "What you sent is too large" in page_text(response)
