"""Surveys through the web: building, sharing, responding, bad input, anonymity, k and exports.

Two clients take part: ``client`` is the facilitator (or leader) at the office,
``participant`` is a partner's representative on a phone, with no account.
Every test looks at what the page says and at what the store holds.
"""

import csv
import datetime
import html
import io
import json
import logging
import os
import re
import time

import pytest
from babel.messages.pofile import read_po

from roundtable import partners, surveys
from roundtable.survey_templates import TEMPLATES

from .conftest import csrf_token, files_containing

LOCALES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locales")
CODE = r"[A-HJKMNP-Z2-9]"
INVITATION = re.compile(rf"<span class=\"code\" dir=\"ltr\">({CODE}{{4}}-{CODE}{{4}})</span>")
RECEIPT = re.compile(rf"\b({CODE}{{6}}-{CODE}{{4}}-{CODE}{{4}}-{CODE}{{4}})\b")
TYPED = "My typed words stay right here"

# One question of every kind; each test refers to them by these names.
QUESTIONS = [
    (
        "agree",
        {
            "kind": "agreement",
            "text": {"en": "We trust each other.", "es": "Confiamos unos en otros."},
            "required": True,
        },
    ),
    ("r10", {"kind": "rating10", "text": {"en": "How likely are you to stay?"}}),
    ("yn", {"kind": "yes_no", "text": {"en": "Did the meeting start on time?"}}),
    (
        "one",
        {
            "kind": "single",
            "text": {"en": "Best meeting day?"},
            "choices": [{"en": "Monday"}, {"en": "Tuesday"}, {"en": "Friday"}],
        },
    ),
    (
        "many",
        {
            "kind": "multiple",
            "text": {"en": "Which topics?"},
            "choices": [{"en": "Funding"}, {"en": "Hiring"}, {"en": "Training"}],
        },
    ),
    ("short", {"kind": "short_text", "text": {"en": "One word for the partnership?"}}),
    ("long", {"kind": "long_text", "text": {"en": "Anything else?"}}),
]


# -- helpers -------------------------------------------------------------------


def text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


def store_of(app):
    """The app's store."""
    return app.config["STORE"]


def make_survey(
    app, attribution="anonymous", questions=None, status="open", invitations_only=False, title="Partnership check-in"
):
    """A survey made directly in the store, opened (or closed) unless ``status`` is "draft"."""
    specs = [spec for _name, spec in (QUESTIONS if questions is None else questions)]
    store = store_of(app)
    survey = surveys.create_survey(
        store, {"en": title}, "en", attribution, None, questions=specs, invitations_only=invitations_only
    )
    if status in ("open", "closed"):
        survey = surveys.set_status(store, survey.id, "open")
    if status == "closed":
        survey = surveys.set_status(store, survey.id, "closed")
    return survey


def qid(survey, name, questions=QUESTIONS):
    """The id of the question called ``name`` in ``questions``."""
    return survey.questions[[n for n, _spec in questions].index(name)].id


def form(survey, answers, questions=QUESTIONS, **extra):
    """Form fields for ``answers`` ({name: value or [values]}) plus ``extra`` fields."""
    data = {}
    for name, value in answers.items():
        key = "q-" + (qid(survey, name, questions) if name in dict(questions) else name)
        data[key] = value
    data.update(extra)
    return data


def submit(client, survey, data, token=None, headers=None, with_csrf=True, **kwargs):
    """POST answers to the survey's share link from ``client``."""
    data = dict(data)
    if with_csrf:
        data.setdefault("csrf_token", csrf_token(client, "/join"))
    return client.post(f"/s/{token or survey.share_token}", data=data, headers=headers or {}, **kwargs)


def records(app, survey):
    """The survey's stored responses."""
    return store_of(app).records(surveys.stream(survey.id))


def catalog_text(language, msgid):
    """The translation of ``msgid`` in a shipped catalog ("" when not translated yet)."""
    with open(os.path.join(LOCALES, language, "LC_MESSAGES", "messages.po"), "rb") as file:
        message = read_po(file, locale=language).get(msgid)
    return message.string if message else ""


@pytest.fixture
def roster(app):
    """A small roster: one partner of each of four types, and an inactive one."""
    store = store_of(app)
    return {
        "union": partners.add_partner(store, "Local 12 Carpenters Union", "labor"),
        "bakery": partners.add_partner(store, "Main Street Bakery", "business"),
        "food": partners.add_partner(store, "Valley Food Bank", "cbo"),
        "county": partners.add_partner(store, "County Workforce Board", "government"),
        "gone": partners.add_partner(store, "Closed Shop Inc", "business", active=False),
    }


# == 1. the builder ===================================================================


def new_survey_form(**changes):
    data = {
        "title": "Spring check-in",
        "intro": "Tell us how it goes.",
        "closing": "Thank you!",
        "default_language": "en",
        "attribution": "partner_type",
        "phase": "planning",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_facilitator_creates_a_survey_from_scratch(app, client, facilitator):
    response = facilitator.post("/surveys/new", new_survey_form(invitations_only="y"))
    assert response.status_code == 303
    (survey,) = surveys.list_surveys(store_of(app))
    assert response.location == f"/surveys/{survey.id}"
    assert survey.title == {"en": "Spring check-in"} and survey.intro == {"en": "Tell us how it goes."}
    assert survey.closing == {"en": "Thank you!"}
    assert (survey.status, survey.attribution, survey.phase, survey.invitations_only) == (
        "draft",
        "partner_type",
        "planning",
        True,
    )
    assert survey.questions == ()
    page = text(client.get(response.location))
    assert "Survey created. Now add its questions." in page
    assert "Spring check-in" in page and survey.join_code in page and "No questions yet." in page


def test_the_new_survey_form_starts_in_the_asked_language(client, facilitator):
    page = text(client.get("/surveys/new?lang=es"))
    assert re.search(r'<option selected value="es">|<option value="es" selected>', page)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "Please write this in English, the default language."),
        ({"title": "   "}, "Please write this in English, the default language."),
        ({"title": "T" * 201}, "Please use at most 200 characters."),
        ({"intro": "i" * 4001}, "Please use at most 4000 characters."),
        ({"attribution": "named"}, "Please choose one of the options offered."),
        ({"attribution": None}, "This field is required."),
        ({"default_language": "xx"}, "Please choose one of the options offered."),
        ({"phase": "someday"}, "Please choose one of the options offered."),
    ],
)
def test_invalid_survey_details_are_refused(app, client, facilitator, changes, message):
    response = facilitator.post("/surveys/new", new_survey_form(**changes))
    assert response.status_code == 400
    assert message in text(response)
    assert surveys.list_surveys(store_of(app)) == []


def question_form(kind, text_="What do you think?", help_="", choices="", required=False):
    data = {"kind": kind, "text": text_, "help": help_, "choices": choices}
    if required:
        data["required"] = "y"
    return data


@pytest.mark.parametrize("kind", surveys.KINDS)
def test_facilitator_adds_a_question_of_every_kind(app, client, facilitator, kind):
    survey = make_survey(app, questions=[], status="draft")
    choices = "Apples\n\n  Pears  \nPlums\n" if kind in surveys.CHOICE_KINDS else ""
    response = facilitator.post(
        f"/surveys/{survey.id}/questions/new",
        question_form(kind, f"A {kind} question?", "Some help.", choices, required=True),
    )
    assert response.status_code == 303
    assert response.location == f"/surveys/{survey.id}#questions"
    (question,) = surveys.get_survey(store_of(app), survey.id).questions
    assert (question.kind, question.text, question.help, question.required) == (
        kind,
        {"en": f"A {kind} question?"},
        {"en": "Some help."},
        True,
    )
    if kind in surveys.CHOICE_KINDS:
        assert [c["text"] for c in question.choices] == [{"en": "Apples"}, {"en": "Pears"}, {"en": "Plums"}]
    else:
        assert question.choices == ()
    page = text(client.get(f"/surveys/{survey.id}"))
    assert "Question added." in page and f"A {kind} question?" in page


@pytest.mark.parametrize(
    "data, message",
    [
        (question_form("essay"), "Please choose one of the options offered."),
        (question_form("short_text", text_=""), "Please write this in English, the default language."),
        (question_form("short_text", text_="Q" * 501), "Please use at most 500 characters."),
        (question_form("short_text", help_="H" * 1001), "Please use at most 1000 characters."),
        (question_form("single", choices="Only one"), "Please give at least two choices, one per line."),
        (question_form("multiple", choices=""), "Please give at least two choices, one per line."),
        (
            question_form("single", choices="\n".join(f"Choice {n}" for n in range(31))),
            "A question can have at most 30 choices.",
        ),
        (question_form("single", choices="a\n" + "c" * 201), "Please use at most 200 characters."),
    ],
)
def test_invalid_questions_are_refused(app, facilitator, data, message):
    survey = make_survey(app, questions=QUESTIONS[:1], status="draft")
    response = facilitator.post(f"/surveys/{survey.id}/questions/new", data)
    assert response.status_code == 400
    assert message in text(response)
    assert surveys.get_survey(store_of(app), survey.id) == survey


def test_edit_a_question_in_the_default_language(app, client, facilitator):
    survey = make_survey(app, status="draft")
    question = survey.question(qid(survey, "one"))
    page = text(client.get(f"/surveys/{survey.id}/questions/{question.id}"))
    assert "Best meeting day?" in page and "Monday\nTuesday\nFriday" in page
    response = facilitator.post(
        f"/surveys/{survey.id}/questions/{question.id}",
        question_form("multiple", "Good meeting days?", "Pick any.", "Mon\nWed", required=True),
    )
    assert response.status_code == 303
    edited = surveys.get_survey(store_of(app), survey.id).question(question.id)
    assert (edited.kind, edited.text, edited.help, edited.required) == (
        "multiple",
        {"en": "Good meeting days?"},
        {"en": "Pick any."},
        True,
    )
    assert [c["text"] for c in edited.choices] == [{"en": "Mon"}, {"en": "Wed"}]
    assert "Question saved." in text(client.get(response.location))


def test_edit_a_question_in_another_language_changes_only_its_texts(app, client, facilitator):
    survey = make_survey(app, status="draft")
    question = survey.question(qid(survey, "one"))
    page = text(client.get(f"/surveys/{survey.id}/questions/{question.id}?lang=es"))
    assert "The kind of question and its number of choices are set in the default language." in page
    assert "Best meeting day?" in page  # shown for reference
    # kind and required sent anyway are ignored outside the default language
    response = facilitator.post(
        f"/surveys/{survey.id}/questions/{question.id}?lang=es",
        question_form("short_text", "¿Mejor día para reunirse?", "Elija uno.", "Lunes\nMartes\nViernes", required=True),
    )
    assert response.status_code == 303
    edited = surveys.get_survey(store_of(app), survey.id).question(question.id)
    assert edited.kind == "single" and edited.required is False and edited.id == question.id
    assert edited.text == {"en": "Best meeting day?", "es": "¿Mejor día para reunirse?"}
    assert edited.help == {"es": "Elija uno."}
    assert [c["text"] for c in edited.choices] == [
        {"en": "Monday", "es": "Lunes"},
        {"en": "Tuesday", "es": "Martes"},
        {"en": "Friday", "es": "Viernes"},
    ]
    assert [c["id"] for c in edited.choices] == question.choice_ids()
    again = text(client.get(f"/surveys/{survey.id}/questions/{question.id}?lang=es"))
    assert "¿Mejor día para reunirse?" in again and "Lunes\nMartes\nViernes" in again


@pytest.mark.parametrize("lines", ["Lunes\nMartes", "Lunes\nMartes\nViernes\nSábado"])
def test_another_language_with_a_different_number_of_choices_is_refused(app, facilitator, lines):
    survey = make_survey(app, status="draft")
    question_id = qid(survey, "one")
    response = facilitator.post(
        f"/surveys/{survey.id}/questions/{question_id}?lang=es", question_form("single", "¿Mejor día?", "", lines)
    )
    assert response.status_code == 400
    page = text(response)
    assert "Please give exactly 3 choices, one per line, in the same order as in the default language." in page
    assert "¿Mejor día?" in page  # what was typed is kept
    assert surveys.get_survey(store_of(app), survey.id) == survey


def question_order(app, survey):
    return [q.id for q in surveys.get_survey(store_of(app), survey.id).questions]


def test_move_duplicate_and_delete_questions(app, client, facilitator):
    survey = make_survey(app, questions=QUESTIONS[:3], status="draft")
    a, b, c = question_order(app, survey)
    base = f"/surveys/{survey.id}/questions"
    response = facilitator.post(f"{base}/{a}/down")
    assert response.status_code == 303 and response.location == f"/surveys/{survey.id}#q-{a}"
    assert question_order(app, survey) == [b, a, c]
    facilitator.post(f"{base}/{c}/up")
    assert question_order(app, survey) == [b, c, a]
    response = facilitator.post(f"{base}/{b}/up")  # already first
    assert response.status_code == 303
    assert "This question cannot move further." in text(client.get(response.location))
    assert question_order(app, survey) == [b, c, a]
    facilitator.post(f"{base}/{c}/duplicate")
    order = question_order(app, survey)
    assert len(order) == 4 and order[:2] == [b, c] and order[3] == a and order[2] not in (a, b, c)
    copy = surveys.get_survey(store_of(app), survey.id).questions[2]
    assert copy.text == survey.question(c).text and copy.kind == survey.question(c).kind
    facilitator.confirm(f"{base}/{b}/delete")
    assert question_order(app, survey) == [c, order[2], a]
    assert client.post(f"{base}/{a}/delete").status_code == 400  # no CSRF token
    assert facilitator.post(f"{base}/{a}/explode").status_code == 404
    assert facilitator.post(f"{base}/nope/delete").status_code == 404
    assert question_order(app, survey) == [c, order[2], a]


def test_answered_questions_can_no_longer_be_deleted_or_change_kind(app, client, facilitator, participant):
    survey = make_survey(app)
    agree = qid(survey, "agree")
    assert submit(participant, survey, form(survey, {"agree": "4"})).status_code == 303
    page = text(client.get(f"/surveys/{survey.id}"))
    assert "questions that have answers cannot be deleted, and their kind and choices stay as they are" in page
    response = facilitator.confirm(f"/surveys/{survey.id}/questions/{agree}/delete")
    assert "This question already has answers" in text(client.get(response.location))
    # Its form has no kind to change (tests/test_revisions_web.py); a kind sent anyway is ignored.
    response = facilitator.post(
        f"/surveys/{survey.id}/questions/{agree}", question_form("yes_no", "We trust each other.")
    )
    assert response.status_code == 303
    assert surveys.get_survey(store_of(app), survey.id) == survey


def test_edit_details_in_another_language_keeps_the_default_title(app, client, facilitator):
    survey = make_survey(app, status="draft", title="Spring check-in")
    page = text(client.get(f"/surveys/{survey.id}/details?lang=es"))
    assert "You are editing the texts in Español." in page
    response = facilitator.post(
        f"/surveys/{survey.id}/details?lang=es",
        new_survey_form(
            title="Revisión de primavera", intro="Cuéntenos.", closing="", attribution="anonymous", phase=""
        ),
    )
    assert response.status_code == 303
    edited = surveys.get_survey(store_of(app), survey.id)
    assert edited.title == {"en": "Spring check-in", "es": "Revisión de primavera"}
    assert edited.intro == {"es": "Cuéntenos."} and edited.closing == {}
    assert edited.languages() == ["en", "es"]
    assert "Survey saved." in text(client.get(response.location))
    assert "Revisión de primavera" in text(client.get(f"/surveys/{survey.id}/details?lang=es"))
    assert "Spring check-in" in text(client.get(f"/surveys/{survey.id}/details?lang=en"))


def test_attribution_is_fixed_once_responses_exist(app, facilitator, participant):
    survey = make_survey(app, attribution="anonymous")
    submit(participant, survey, form(survey, {"agree": "3"}))
    response = facilitator.post(
        f"/surveys/{survey.id}/details", new_survey_form(title="Partnership check-in", attribution="partner", phase="")
    )
    assert response.status_code == 400
    assert "This survey already has responses" in text(response)
    assert surveys.get_survey(store_of(app), survey.id).attribution == "anonymous"


def test_duplicate_a_survey(app, client, facilitator, participant):
    survey = make_survey(app)
    submit(participant, survey, form(survey, {"agree": "3"}))
    response = facilitator.post(f"/surveys/{survey.id}/duplicate")
    assert response.status_code == 303
    (copy,) = [s for s in surveys.list_surveys(store_of(app)) if s.id != survey.id]
    assert response.location == f"/surveys/{copy.id}"
    assert copy.status == "draft" and copy.questions == survey.questions and copy.title == survey.title
    assert copy.join_code != survey.join_code and copy.share_token != survey.share_token
    assert surveys.response_count(store_of(app), copy.id) == 0
    assert "This is a copy of the survey" in text(client.get(response.location))


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_start_from_each_template(app, client, facilitator, key):
    assert f"Use “<bdi>{TEMPLATES[key]['title']['en']}</bdi>”" in text(client.get("/surveys/"))
    response = facilitator.post(f"/surveys/from-template/{key}")
    assert response.status_code == 303
    (survey,) = surveys.list_surveys(store_of(app))
    template = TEMPLATES[key]
    assert survey.status == "draft" and survey.title == template["title"]
    assert [q.text for q in survey.questions] == [q["text"] for q in template["questions"]]
    assert [q.kind for q in survey.questions] == [q["kind"] for q in template["questions"]]
    page = text(client.get(response.location))
    assert "A draft survey was made from the template." in page
    assert template["questions"][0]["text"]["en"] in page


def test_unknown_template_is_not_found(app, facilitator):
    assert facilitator.post("/surveys/from-template/nope").status_code == 404
    assert surveys.list_surveys(store_of(app)) == []


def test_open_and_close(app, client, facilitator):
    empty = make_survey(app, questions=[], status="draft")
    response = facilitator.post(f"/surveys/{empty.id}/status/open")
    assert response.status_code == 303
    assert "Add at least one question before opening the survey." in text(client.get(response.location))
    assert surveys.get_survey(store_of(app), empty.id).status == "draft"

    survey = make_survey(app, status="draft")
    response = facilitator.post(f"/surveys/{survey.id}/status/open")
    assert surveys.get_survey(store_of(app), survey.id).status == "open"
    page = text(client.get(response.location))
    assert "The survey is open: share its link or code." in page and "Close the survey" in page
    facilitator.confirm(f"/surveys/{survey.id}/status/closed")
    assert surveys.get_survey(store_of(app), survey.id).status == "closed"
    assert "The survey is closed; no more responses are accepted." in text(client.get(f"/surveys/{survey.id}"))
    facilitator.post(f"/surveys/{survey.id}/status/draft")  # not a status one can set
    assert surveys.get_survey(store_of(app), survey.id).status == "closed"
    facilitator.post(f"/surveys/{survey.id}/status/open")  # reopened
    assert surveys.get_survey(store_of(app), survey.id).status == "open"


def test_preview_shows_the_questions_and_cannot_submit(app, client, facilitator):
    survey = make_survey(app, status="draft")
    response = client.get(f"/surveys/{survey.id}/preview")
    assert response.status_code == 200
    page = text(response)
    assert "Preview: this is what participants see." in page
    for _name, spec in QUESTIONS:
        assert spec["text"]["en"] in page
    assert "Tuesday" in page and "Training" in page
    buttons = re.findall(r"<button[^>]*>\s*Send my answers\s*</button>", page)
    assert buttons and all("disabled" in b and 'type="submit"' not in b for b in buttons)


def test_share_page_shows_the_code_and_the_qr_code(app, client, facilitator):
    survey = make_survey(app)
    page = text(client.get(f"/surveys/{survey.id}/share"))
    assert survey.join_code in page
    assert f"http://localhost/s/{survey.share_token}" in page
    assert re.search(rf'<img[^>]+src="/surveys/{survey.id}/qr\.svg"[^>]+alt="[^"]+"', page)
    qr = client.get(f"/surveys/{survey.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert b"<svg" in qr.data


def builder_routes(survey, question_id):
    base = f"/surveys/{survey.id}"
    return {
        "get": [
            "/surveys/new",
            base,
            f"{base}/details",
            f"{base}/questions/new",
            f"{base}/questions/{question_id}",
            f"{base}/preview",
            f"{base}/share",
            f"{base}/qr.svg",
            f"{base}/invitations",
        ],
        "post": [
            "/surveys/new",
            "/surveys/from-template/health_check",
            f"{base}/details",
            f"{base}/questions/new",
            f"{base}/questions/{question_id}",
            f"{base}/questions/{question_id}/down",
            f"{base}/questions/{question_id}/delete",
            f"{base}/status/closed",
            f"{base}/duplicate",
            f"{base}/invitations",
        ],
    }


def snapshot(app):
    store = store_of(app)
    return store.all(surveys.TABLE), store.all(surveys.INVITATIONS)


def test_leaders_may_read_results_but_not_build(app, client, staff):
    survey = make_survey(app)
    staff.login("lee", "leader")
    before = snapshot(app)
    routes = builder_routes(survey, survey.questions[0].id)
    for path in routes["get"]:
        assert client.get(path).status_code == 403, path
    for path in routes["post"]:
        response = staff.post(
            path,
            {
                "title": "Hijack",
                "kind": "yes_no",
                "text": "?",
                "count": "5",
                "default_language": "en",
                "attribution": "anonymous",
            },
        )
        assert response.status_code == 403, path
        assert "You do not have access to this page" in text(response)
    assert snapshot(app) == before
    assert client.get(f"/surveys/{survey.id}/results").status_code == 200
    # Leaders find surveys in the list, which leads them to results, never to the builder.
    listing = text(client.get("/surveys/"))
    assert f'href="/surveys/{survey.id}/results"' in listing
    assert f'href="/surveys/{survey.id}"' not in listing and "/surveys/new" not in listing
    assert "/surveys/from-template/" not in listing


def test_visitors_are_sent_to_login(app, client, staff):
    staff.create("fran", "facilitator")
    survey = make_survey(app)
    before = snapshot(app)
    token = csrf_token(client, "/join")
    routes = builder_routes(survey, survey.questions[0].id)
    for path in routes["get"] + [f"/surveys/{survey.id}/results", f"/surveys/{survey.id}/responses.csv"]:
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login"), path
    for path in routes["post"]:
        response = client.post(path, data={"csrf_token": token, "title": "Hijack", "count": "5"})
        assert response.status_code == 302 and response.location.startswith("/login"), path
    assert snapshot(app) == before


# == 2. responding ==================================================================


def test_join_with_a_typed_code(app, participant):
    survey = make_survey(app)
    assert "Join with a code" in text(participant.get("/join"))
    typed = " " + " ".join(survey.join_code.lower()[:3]) + "  " + survey.join_code.lower()[3:] + " "
    response = participant.post("/join", data={"csrf_token": csrf_token(participant, "/join"), "code": typed})
    assert response.status_code == 303
    assert response.location == f"/s/{survey.share_token}"
    # Codes are posted, never read from an address (tests/test_links.py).
    assert participant.get(f"/join?code={survey.join_code.lower()}").location is None


@pytest.mark.parametrize("code", ["ZZZZZZ", "", "  ", "x" * 500, "<script>"])
def test_join_with_an_unknown_code(app, participant, code):
    make_survey(app)
    response = participant.post("/join", data={"csrf_token": csrf_token(participant, "/join"), "code": code})
    assert response.status_code == 404
    page = text(response)
    assert "No survey or meeting has this code. Please check it and try again." in page
    assert "<script>" not in response.get_data(as_text=True)


def test_a_participant_reads_the_health_check_in_spanish_and_gets_a_receipt(app, client, facilitator, participant):
    facilitator.post("/surveys/from-template/health_check")
    (survey,) = surveys.list_surveys(store_of(app))
    facilitator.post(f"/surveys/{survey.id}/status/open")
    template = TEMPLATES["health_check"]

    response = participant.get(f"/s/{survey.share_token}", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="es"' in page
    assert template["title"]["es"] in page
    for question in template["questions"]:
        assert question["text"]["es"] in page
        assert question["text"]["en"] not in page

    first = survey.questions[0].id
    response = submit(
        participant,
        survey,
        {f"q-{first}": "5", f"q-{survey.questions[-1].id}": "¡Bien!"},
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 303
    assert response.location == f"/s/{survey.share_token}/thanks"
    (record,) = records(app, survey)
    assert record["answers"] == {first: 5, survey.questions[-1].id: "¡Bien!"}

    thanks = text(participant.get(response.location))
    receipt = RECEIPT.search(thanks).group(1)
    assert receipt.startswith(survey.join_code + "-")
    assert RECEIPT.search(text(participant.get(response.location))) is None  # shown once

    token = csrf_token(participant, "/receipt")
    for typed in (receipt, receipt.lower().replace("-", " ")):
        checked = participant.post("/receipt", data={"csrf_token": token, "code": typed})
        assert checked.status_code == 200
        title = template["title"]["en"]
        assert f"Yes: a response with this receipt was counted in “<bdi>{title}</bdi>”." in text(checked)
    wrong = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    for typed in (wrong, survey.join_code, "", "nonsense" * 20):
        checked = participant.post("/receipt", data={"csrf_token": token, "code": typed})
        assert checked.status_code == 404
        assert "No response with this receipt code was found. Please check the code." in text(checked)
    for spelling in (receipt, receipt.replace("-", ""), receipt[len(survey.join_code) + 1 :]):
        assert files_containing(app, spelling) == [], spelling  # only a digest of it is kept


def test_the_receipt_cookie_goes_only_to_the_thanks_page_and_cannot_be_forged(app, facilitator, participant):
    survey = make_survey(app)
    question = survey.questions[0].id
    response = submit(participant, survey, {f"q-{question}": "4"})
    assert response.status_code == 303
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("receipt=")]
    assert f"Path=/s/{survey.share_token}/thanks" in cookie and "Max-Age=600" in cookie
    assert participant.get_cookie("receipt", path=f"/s/{survey.share_token}/thanks") is not None
    assert participant.get_cookie("receipt") is None  # not sent anywhere else

    thanks = participant.get(response.location)
    assert RECEIPT.search(text(thanks))
    assert any(c.startswith("receipt=;") for c in thanks.headers.getlist("Set-Cookie"))  # gone once shown

    forged = f"{survey.join_code}-ABCD-EFGH-JKMN"
    for value in (forged, f"{forged}.AAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA", "", "\u00e9"):
        participant.set_cookie("receipt", value, path=f"/s/{survey.share_token}/thanks")
        page = participant.get(response.location)
        assert page.status_code == 200 and forged not in text(page) and RECEIPT.search(text(page)) is None


def test_invitations_only_survey(app, client, facilitator, participant, roster):
    survey = make_survey(app, attribution="partner", invitations_only=True)
    page = text(client.get(f"/surveys/{survey.id}/invitations"))
    assert "0 of 0 codes used so far." in page

    response = facilitator.post(f"/surveys/{survey.id}/invitations", {"count": "3", "partner": ""})
    assert response.status_code == 200
    codes = INVITATION.findall(text(response))
    assert len(codes) == 3 == len(set(codes))
    assert f"http://localhost/s/{survey.share_token}#invite={codes[0]}" in text(response)
    union = roster["union"]
    response = facilitator.post(f"/surveys/{survey.id}/invitations", {"count": "2", "partner": union.id})
    union_codes = INVITATION.findall(text(response))
    assert len(union_codes) == 2 and union.name in text(response)
    stored = store_of(app).find(surveys.INVITATIONS, survey_id=survey.id)
    assert len(stored) == 5 and not any(d["used"] for d in stored)
    assert sorted(d["partner_id"] or "" for d in stored) == ["", "", "", union.id, union.id]

    # the link carries the code after "#", which only the browser reads (tests/browser/test_invitation_link.py)
    assert f"/s/{survey.share_token}#invite={union_codes[0]}" in text(response)
    # a union code, typed in lower case without its dash, speaks for the union whatever is picked
    typed = union_codes[0].lower().replace("-", "")
    response = submit(
        participant, survey, form(survey, {"agree": "2", "long": TYPED}, partner=roster["food"].id, invitation=typed)
    )
    assert response.status_code == 303
    (record,) = records(app, survey)
    assert record["partner"] == union.id and record["partner_type"] == "labor"
    assert set(record) == {"_id", "answers", "day", "partner", "partner_type"}
    assert "1 of 5 codes used so far." in text(client.get(f"/surveys/{survey.id}/invitations"))

    # a second use of the same code is refused, and nothing is stored
    for again in (union_codes[0], typed):
        response = submit(participant, survey, form(survey, {"agree": "4", "long": "Second try"}, invitation=again))
        assert response.status_code == 400
        page = text(response)
        assert "This invitation code has already been used. Each code works once." in page
        assert "Second try" in page
        assert len(records(app, survey)) == 1

    for bad in ("", "ABCD-EFGH", codes[0][:-1]):
        response = submit(participant, survey, form(survey, {"agree": "4"}, partner=roster["food"].id, invitation=bad))
        assert response.status_code == 400
        assert "This invitation code is not valid for this survey. Please check it and try again." in text(response)
    assert len(records(app, survey)) == 1

    # a general code works for the partner the participant picks
    response = submit(participant, survey, form(survey, {"agree": "5"}, partner=roster["food"].id, invitation=codes[1]))
    assert response.status_code == 303
    assert sorted(r["partner"] for r in records(app, survey)) == sorted([union.id, roster["food"].id])

    # no code, in any spelling, is kept anywhere in the data directory
    for code in codes + union_codes:
        for spelling in (code, code.replace("-", ""), code.lower(), code.lower().replace("-", "")):
            assert files_containing(app, spelling) == [], spelling


def test_a_partners_code_on_a_survey_by_type_answers_as_its_type_only(app, facilitator, participant, roster):
    survey = make_survey(app, attribution="partner_type", invitations_only=True)
    union = roster["union"]
    response = facilitator.post(f"/surveys/{survey.id}/invitations", {"count": "2", "partner": union.id})
    first, second = INVITATION.findall(text(response))
    response = submit(
        participant, survey, form(survey, {"agree": "4", "long": "Kept"}, partner_type="business", invitation=first)
    )
    assert response.status_code == 400
    page = text(response)
    assert (
        "This invitation was made for a partner of another type. Please choose the partner type it was made for."
    ) in page
    assert "Kept" in page and records(app, survey) == []
    response = submit(participant, survey, form(survey, {"agree": "4"}, partner_type=union.type, invitation=first))
    assert response.status_code == 303
    response = submit(participant, survey, form(survey, {"agree": "2"}, invitation=second))  # filled in
    assert response.status_code == 303
    assert [r["partner_type"] for r in records(app, survey)] == [union.type, union.type]


def test_a_code_of_one_survey_does_not_open_another(app, facilitator, participant):
    first = make_survey(app, invitations_only=True)
    second = make_survey(app, invitations_only=True, title="Other")
    (code,) = surveys.create_invitations(store_of(app), first.id, 1)
    response = submit(participant, second, form(second, {"agree": "4"}, invitation=code))
    assert response.status_code == 400
    assert "This invitation code is not valid for this survey." in text(response)
    assert records(app, second) == []


@pytest.mark.parametrize(
    "data, message",
    [
        ({"count": "0"}, "Please give a number from 1 to 1000."),
        ({"count": "1001"}, "Please give a number from 1 to 1000."),
        ({"count": "many"}, "Please give a whole number."),
        ({"count": ""}, "This field is required."),
        ({"count": "2", "partner": "forged-id"}, "That partner is not on the roster."),
    ],
)
def test_invalid_invitation_requests_are_refused(app, facilitator, data, message):
    survey = make_survey(app, invitations_only=True)
    response = facilitator.post(f"/surveys/{survey.id}/invitations", data)
    assert response.status_code == 400
    assert message in text(response)
    assert INVITATION.findall(text(response)) == []
    assert store_of(app).all(surveys.INVITATIONS) == []


# == 3. bad input on the survey form =============================================


BAD_ANSWERS = {
    # name: (answers replacing the valid ones, the message shown)
    "unknown question": ({"nope": "1"}, "This question is not part of the survey."),
    "agreement too high": ({"agree": "6"}, "Please choose one of the values offered."),
    "agreement zero": ({"agree": "0"}, "Please choose one of the values offered."),
    "agreement negative": ({"agree": "-1"}, "Please choose one of the values offered."),
    "agreement in words": ({"agree": "four"}, "Please choose one of the values offered."),
    "agreement twice": ({"agree": ["3", "4"]}, "Please choose one of the values offered."),
    "agreement superscript digit": ({"agree": "³"}, "Please choose one of the values offered."),
    "agreement double minus": ({"agree": "--3"}, "Please choose one of the values offered."),
    "agreement huge number": ({"agree": "9" * 5000}, "Please choose one of the values offered."),
    "rating above ten": ({"r10": "11"}, "Please choose one of the values offered."),
    "rating decimal": ({"r10": "7.5"}, "Please choose one of the values offered."),
    "yes or no: maybe": ({"yn": "maybe"}, "Please choose among the options offered."),
    "single: not a choice": ({"one": "c9"}, "Please choose among the options offered."),
    "single: two choices": ({"one": ["c1", "c2"]}, "Please choose among the options offered."),
    "multiple: not a choice": ({"many": ["c1", "zz"]}, "Please choose among the options offered."),
    "multiple: repeated": ({"many": ["c1", "c1"]}, "Please choose among the options offered."),
    "required missing": ({"agree": ""}, "Please answer this question."),
    "required blank": ({"agree": "   "}, "Please answer this question."),
    "short text too long": ({"short": "s" * 201}, "Please use at most 200 characters."),
    "long text too long": ({"long": "L" * 5001}, "Please use at most 5000 characters."),
}


@pytest.mark.parametrize("case", list(BAD_ANSWERS))
def test_bad_answers_are_refused_and_what_was_typed_is_kept(app, participant, case):
    survey = make_survey(app)
    changes, message = BAD_ANSWERS[case]
    answers = {"agree": "4", "many": ["c1", "c3"], "short": "Trust", "long": TYPED}
    answers.update(changes)
    response = submit(participant, survey, form(survey, answers))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'class="error-summary" role="alert"' in page
    if case != "unknown question":  # a field of no question is explained above the form, not counted
        assert "1 answer needs your attention." in page
        (name,) = changes
        assert re.search(rf'<p class="error" id="q-{qid(survey, name)}-error">{re.escape(message)}</p>', page)
    # what was typed is still there to correct
    assert f">{answers['long']}</textarea>" in page
    assert f'value="{answers["short"]}"' in page
    many = qid(survey, "many")
    for choice in ("c1", "c3"):
        if case not in ("multiple: not a choice", "multiple: repeated"):
            assert re.search(rf'id="q-{many}-{choice}"[^>]*\bchecked\b', page)
    if answers["agree"] == "4":
        assert re.search(rf'id="q-{qid(survey, "agree")}-4"[^>]*\bchecked\b', page)
    assert records(app, survey) == []


def test_a_bad_answer_is_explained_in_the_participants_language(app, participant):
    survey = make_survey(app)
    english = "Please use at most 5000 characters."
    spanish = catalog_text("es", "Please use at most %(max)s characters.") % {"max": 5000}
    assert spanish and spanish != english
    response = submit(
        participant, survey, form(survey, {"agree": "4", "long": "L" * 5001}), headers={"Accept-Language": "es"}
    )
    assert response.status_code == 400
    page = text(response)
    assert '<html lang="es"' in page
    assert spanish in page and english not in page
    assert "Confiamos unos en otros." in page  # the question, in Spanish too
    assert records(app, survey) == []


def test_an_empty_submission_is_refused(app, participant):
    survey = make_survey(app, questions=QUESTIONS[1:])  # nothing required
    response = submit(participant, survey, form(survey, {"short": "  ", "long": ""}, questions=QUESTIONS[1:]))
    assert response.status_code == 400
    assert "Please answer at least one question before sending." in text(response)
    assert records(app, survey) == []


@pytest.mark.parametrize(
    "status, code, message",
    [
        ("closed", 410, "This survey is not open"),
        ("draft", 404, "This survey is not open"),
    ],
)
def test_a_survey_that_is_not_open_takes_no_answers(app, participant, status, code, message):
    survey = make_survey(app, status=status)
    assert participant.get(f"/s/{survey.share_token}").status_code == code
    response = submit(participant, survey, form(survey, {"agree": "4", "long": TYPED}))
    assert response.status_code == code
    page = text(response)
    assert message in page and "Nothing was saved." in page
    assert "Partnership check-in" in page
    assert records(app, survey) == []


def test_a_survey_closed_while_answering(app, participant):
    survey = make_survey(app)
    token = csrf_token(participant, f"/s/{survey.share_token}")
    surveys.set_status(store_of(app), survey.id, "closed")
    response = submit(participant, survey, form(survey, {"agree": "4"}, csrf_token=token))
    assert response.status_code == 410
    assert records(app, survey) == []


@pytest.mark.parametrize("token", ["forged-token", "x" * 300, "%00", "..%2F..%2Fetc"])
def test_a_forged_link_is_not_found(app, participant, token):
    survey = make_survey(app)
    assert participant.get(f"/s/{token}").status_code == 404
    response = submit(participant, survey, form(survey, {"agree": "4"}), token=token)
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert records(app, survey) == []


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_answers_without_a_valid_form_token_are_refused(app, participant, token):
    survey = make_survey(app)
    data = form(survey, {"agree": "4", "long": TYPED})
    if token is not None:
        data["csrf_token"] = token
    response = submit(participant, survey, data, with_csrf=False)
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    assert records(app, survey) == []


@pytest.mark.parametrize(
    "partner, message",
    [
        ("forged-id", "Please choose the partner organization you speak for."),
        ("", "Please choose the partner organization you speak for."),
        ("gone", "Please choose the partner organization you speak for."),
    ],
)
def test_by_partner_survey_refuses_unknown_or_inactive_partners(app, participant, roster, partner, message):
    survey = make_survey(app, attribution="partner")
    partner_id = roster[partner].id if partner in roster else partner
    response = submit(participant, survey, form(survey, {"agree": "4", "long": TYPED}, partner=partner_id))
    assert response.status_code == 400
    page = text(response)
    assert message in page and f">{TYPED}</textarea>" in page
    assert "Closed Shop Inc" not in page  # inactive partners are not offered
    assert "Main Street Bakery" in page
    assert records(app, survey) == []


@pytest.mark.parametrize("partner_type", ["plumbers", "", "Labor"])
def test_by_type_survey_refuses_unknown_types(app, participant, partner_type):
    survey = make_survey(app, attribution="partner_type")
    response = submit(participant, survey, form(survey, {"agree": "4", "long": TYPED}, partner_type=partner_type))
    assert response.status_code == 400
    page = text(response)
    assert "Please choose the type of partner you speak for." in page and f">{TYPED}</textarea>" in page
    assert records(app, survey) == []


def test_a_valid_by_type_response_is_stored(app, participant):
    survey = make_survey(app, attribution="partner_type")
    response = submit(
        participant,
        survey,
        form(
            survey,
            {
                "agree": "4",
                "r10": "0",
                "yn": "no",
                "one": "c2",
                "many": ["c3", "c1"],
                "short": " Trust ",
                "long": "Line one\nLine two",
            },
            partner_type="cbo",
        ),
    )
    assert response.status_code == 303
    (record,) = records(app, survey)
    assert record["partner_type"] == "cbo"
    assert record["answers"] == {
        qid(survey, "agree"): 4,
        qid(survey, "r10"): 0,
        qid(survey, "yn"): "no",
        qid(survey, "one"): "c2",
        qid(survey, "many"): ["c1", "c3"],
        qid(survey, "short"): "Trust",
        qid(survey, "long"): "Line one\nLine two",
    }


# == 4. the anonymity audit ========================================================


AGENT = "AuditAgent/9.9 zebra-unicorn"
FORWARDED = "203.0.113.77"
REMOTE = "198.51.100.23"
COOKIE = "cookie-value-xyz"


def minute_stamps(start, end):
    """The wall-clock minutes between ``start`` and ``end`` (epoch seconds), in common formats."""
    stamps = set()
    moment = int(start) - 60
    while moment <= int(end) + 60:
        for when in (datetime.datetime.fromtimestamp(moment), datetime.datetime.fromtimestamp(moment, datetime.UTC)):
            stamps.update(
                {
                    when.strftime("%Y-%m-%dT%H:%M"),
                    when.strftime("%Y-%m-%d %H:%M"),
                    when.strftime("%Y%m%dT%H%M"),
                    when.strftime("%d/%b/%Y:%H:%M"),  # web server logs
                    when.strftime("%a, %d %b %Y %H:%M"),  # HTTP and e-mail dates
                    when.strftime("%d/%m/%Y %H:%M"),
                    when.strftime("%m/%d/%Y %H:%M"),
                }
            )
        stamps.add(str(moment)[:-2])  # epoch seconds, to about the minute
        stamps.add(str(moment * 1000)[:-5])  # epoch milliseconds, likewise
        moment += 60
    return stamps


def log_texts(caplog):
    """What each captured log record says: its message, arguments, traceback and extra fields.

    Left out: the time every log record carries of its own (``created`` and the
    like), which a handler adds and the audit does not blame on the app.
    """
    own_time = {"created", "msecs", "relativeCreated", "asctime"}
    formatter = logging.Formatter("%(name)s %(levelname)s %(pathname)s %(message)s")
    texts = []
    for record in caplog.records:
        texts.append(formatter.format(record))
        texts.append(repr({key: value for key, value in record.__dict__.items() if key not in own_time}))
    return texts


@pytest.mark.parametrize(
    "attribution, keys",
    [
        ("partner_type", {"_id", "answers", "day", "partner_type"}),
        ("partner", {"_id", "answers", "day", "partner", "partner_type"}),
    ],
)
def test_anonymity_audit(app, participant, roster, caplog, attribution, keys):
    caplog.set_level(logging.DEBUG)
    for name in set(logging.root.manager.loggerDict) | {"werkzeug", "flask.app", "app", "roundtable", "views"}:
        caplog.set_level(logging.DEBUG, logger=name)  # restored after the test
    survey = make_survey(app, attribution=attribution)
    participant.set_cookie("tracking", COOKIE)
    headers = {"User-Agent": AGENT, "X-Forwarded-For": FORWARDED, "X-Real-IP": FORWARDED, "Accept-Language": "vi"}
    environ = {"REMOTE_ADDR": REMOTE}
    start = time.time()
    answers = [
        ({"agree": "5", "long": "Good work"}, "labor", "union"),
        ({"agree": "2", "one": "c1", "short": "Slow"}, "business", "bakery"),
        ({"agree": "3", "many": ["c2"]}, "cbo", "food"),
        ({"agree": "4", "yn": "yes"}, "labor", "union"),
    ]
    for given, partner_type, partner in answers:
        page = participant.get(f"/s/{survey.share_token}", headers=headers, environ_base=environ)
        assert '<html lang="vi"' in text(page)
        token = csrf_token(participant, f"/s/{survey.share_token}")
        extra = {"partner": roster[partner].id} if attribution == "partner" else {"partner_type": partner_type}
        response = participant.post(
            f"/s/{survey.share_token}",
            data=form(survey, given, csrf_token=token, **extra),
            headers=headers,
            environ_base=environ,
        )
        assert response.status_code == 303, text(response)
        thanks = participant.get(response.location, headers=headers, environ_base=environ)
        receipt = RECEIPT.search(text(thanks)).group(1)
        checked = participant.post(
            "/receipt", data={"csrf_token": token, "code": receipt}, headers=headers, environ_base=environ
        )
        assert checked.status_code == 200
    end = time.time()

    stored = records(app, survey)
    assert len(stored) == len(answers)
    for record in stored:
        assert set(record) == keys
        assert record["day"] == datetime.date.today().isoformat()
    assert sorted(r["partner_type"] for r in stored) == ["business", "cbo", "labor", "labor"]

    session = participant.get_cookie("session")
    secrets_ = {
        "user agent": AGENT,
        "user agent product": "AuditAgent",
        "user agent word": "zebra-unicorn",
        "forwarded address": FORWARDED,
        "remote address": REMOTE,
        "tracking cookie": COOKIE,
    }
    if session is not None and session.value:
        secrets_["session cookie"] = session.value
        secrets_["session cookie payload"] = session.value.split(".")[0].lstrip(".")
    for stamp in minute_stamps(start, end):
        secrets_[f"time {stamp}"] = stamp
    logs = log_texts(caplog)
    for what, secret in secrets_.items():
        assert files_containing(app, secret) == [], what
        assert not any(secret in line for line in logs), what


# == 5. k-suppression in results and exports ====================================


LABOR_TEXT = "Only the union says: the apprenticeship money is late"
K_QUESTIONS = [
    (
        "pick",
        {
            "kind": "single",
            "text": {"en": "Priority?"},
            "choices": [{"en": "More jobs"}, {"en": "Better training"}, {"en": "Strike fund zebra"}],
        },
    ),
    ("agree", {"kind": "agreement", "text": {"en": "We trust each other."}}),
    ("note", {"kind": "long_text", "text": {"en": "Anything else?"}}),
]
LABELS = {
    "labor": "Labor",
    "business": "Business",
    "cbo": "Community-based organization (not-for-profit)",
    "government": "Government (local, regional, state, federal)",
}


@pytest.fixture
def k_survey(app, participant):
    """A by-type survey: 2 from labor (its own option and text), 3 business, 4 cbo, 5 government."""
    survey = make_survey(app, attribution="partner_type", questions=K_QUESTIONS)
    plan = (
        [("labor", "c3", "1", LABOR_TEXT)] * 2
        + [("business", "c1", "4", "")] * 3
        + [("cbo", "c2", "5", "")] * 4
        + [("government", "c1", "3", "")] * 5
    )
    for partner_type, pick, agree, note in plan:
        response = submit(
            participant,
            survey,
            form(
                survey, {"pick": pick, "agree": agree, "note": note}, questions=K_QUESTIONS, partner_type=partner_type
            ),
        )
        assert response.status_code == 303
    return survey


def test_results_page_withholds_small_groups(app, client, staff, k_survey):
    staff.login("lee", "leader")
    response = client.get(f"/surveys/{k_survey.id}/results?by=partner_type")
    assert response.status_code == 200
    page = text(response)
    assert "14 responses." in page
    tables = re.findall(r'<table class="breakdown">(.*?)</table>', page, flags=re.S)
    assert len(tables) == 2  # the two closed questions; text answers are never broken down
    for table in tables:
        rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, flags=re.S))
        assert set(rows) == set(LABELS.values())
        for withheld in ("labor", "business"):  # business is withheld too, or labor = total - the rest
            row = rows[LABELS[withheld]]
            assert 'class="withheld"' in row and "Withheld" in row
            assert re.findall(r"<td>(.*?)</td>", row) == [("2" if withheld == "labor" else "3")]
        for shown in ("cbo", "government"):
            assert 'class="withheld"' not in rows[LABELS[shown]]
    # labor's own option is a column, but no row attributes it: the shown groups never chose it
    assert "Strike fund zebra" in tables[0].split("</thead>")[0]
    rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', tables[0], flags=re.S))
    assert re.findall(r"<td>(.*?)</td>", rows[LABELS["cbo"]]) == ["4", "0", "4", "0"]
    assert re.findall(r"<td>(.*?)</td>", rows[LABELS["government"]]) == ["5", "5", "0", "0"]
    breakdowns = "".join(tables)
    assert LABOR_TEXT not in breakdowns


def test_summary_exports_withhold_small_groups(app, client, staff, k_survey):
    staff.login("lee", "leader")
    response = client.get(f"/surveys/{k_survey.id}/results.csv?by=partner_type")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Group", "Question", "Answer", "Responses", "Mean", "Median", "Reworded on"]
    for group in (LABELS["labor"], LABELS["business"]):
        mine = [row for row in rows if row[0] == group]
        assert mine and all(row[1].startswith("Withheld") and row[3] == "" for row in mine)
    assert [row for row in rows if row[0] == LABELS["cbo"] and row[2] == "Better training"][0][3] == "4"
    assert not any(
        row[0] not in ("All responses",) and row[2] == "Strike fund zebra" and row[3] not in ("0", "")
        for row in rows[1:]
    )
    assert LABOR_TEXT not in response.get_data(as_text=True)

    data = client.get(f"/surveys/{k_survey.id}/results.json?by=partner_type").get_json()
    assert data["shown"] is True and data["breakdown_by"] == "partner_type"
    groups = {g["group"]: g for g in data["groups"]}
    for group in (LABELS["labor"], LABELS["business"]):
        assert groups[group]["withheld"] is True and groups[group]["questions"] == []
    for group in (LABELS["cbo"], LABELS["government"]):
        assert groups[group]["withheld"] is False and groups[group]["questions"]
        assert all(q["counts"].get("Strike fund zebra", 0) == 0 for q in groups[group]["questions"])
    assert LABOR_TEXT not in json.dumps(data["groups"], ensure_ascii=False)
    # the overall list of text answers is not broken down, so it may hold labor's words
    overall = {q["question"]: q for q in data["questions"]}
    assert overall["Priority?"]["counts"]["Strike fund zebra"] == 2


def test_response_exports_never_attribute_small_groups(app, client, staff, k_survey):
    staff.login("lee", "leader")
    response = client.get(f"/surveys/{k_survey.id}/responses.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Partner type", "Priority?", "We trust each other.", "Anything else?"]
    body = rows[1:]
    assert len(body) == 14
    assert LABELS["labor"] not in {row[0] for row in body}
    assert LABELS["business"] not in {row[0] for row in body}
    assert sorted(row[0] for row in body).count("withheld") == 5
    for row in body:
        if row[1] == "Strike fund zebra" or row[3] == LABOR_TEXT:
            assert row[0] == "withheld"

    data = client.get(f"/surveys/{k_survey.id}/responses.json").get_json()
    assert len(data["responses"]) == 14 and data["shown"] is True
    for item in data["responses"]:
        assert item["partner_type"] not in (LABELS["labor"], LABELS["business"])
        if item["Priority?"] == "Strike fund zebra" or item["Anything else?"] == LABOR_TEXT:
            assert item["partner_type"] == "withheld"


def test_by_partner_breakdown_withholds_small_partners(app, client, staff, participant, roster):
    survey = make_survey(app, attribution="partner", questions=K_QUESTIONS)
    plan = [("union", "c3", LABOR_TEXT)] * 2 + [("bakery", "c1", "")] * 3 + [("food", "c2", "")] * 4
    for partner, pick, note in plan:
        submit(
            participant,
            survey,
            form(survey, {"pick": pick, "note": note}, questions=K_QUESTIONS, partner=roster[partner].id),
        )
    staff.login("lee", "leader")
    for by in ("partner", "partner_type"):
        page = text(client.get(f"/surveys/{survey.id}/results?by={by}"))
        table = re.findall(r'<table class="breakdown">(.*?)</table>', page, flags=re.S)[0]
        rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, flags=re.S))
        union = roster["union"].name if by == "partner" else "Labor"
        assert 'class="withheld"' in rows[union]
    rows = list(csv.reader(io.StringIO(client.get(f"/surveys/{survey.id}/responses.csv").get_data(as_text=True))))
    assert rows[0][0].lstrip("\ufeff") == "Partner"
    assert roster["union"].name not in {row[0] for row in rows[1:]}
    assert all(row[0] == "withheld" for row in rows[1:] if row[1] == "Strike fund zebra")


def test_fewer_than_k_responses_show_nothing(app, client, staff, participant):
    survey = make_survey(app, attribution="partner_type", questions=K_QUESTIONS)
    for partner_type in ("labor", "business"):
        submit(
            participant,
            survey,
            form(survey, {"pick": "c3", "note": LABOR_TEXT}, questions=K_QUESTIONS, partner_type=partner_type),
        )
    staff.login("lee", "leader")
    page = text(client.get(f"/surveys/{survey.id}/results?by=partner_type"))
    assert "Results are withheld until at least 3 responses are in" in page
    assert "Strike fund zebra" not in page and LABOR_TEXT not in page
    assert 'class="breakdown"' not in page

    rows = list(csv.reader(io.StringIO(client.get(f"/surveys/{survey.id}/responses.csv").get_data(as_text=True))))
    assert len(rows) == 1  # the header only
    responses = client.get(f"/surveys/{survey.id}/responses.json").get_json()
    assert responses["responses"] == [] and responses["shown"] is False
    summary_csv = client.get(f"/surveys/{survey.id}/results.csv?by=partner_type").get_data(as_text=True)
    summary_rows = list(csv.reader(io.StringIO(summary_csv.lstrip("\ufeff"))))
    assert len(summary_rows) == 2 and summary_rows[1][1].startswith("Withheld")
    assert LABOR_TEXT not in summary_csv and "Strike fund zebra" not in summary_csv
    summary = client.get(f"/surveys/{survey.id}/results.json?by=partner_type").get_json()
    assert summary["shown"] is False and summary["questions"] == [] and summary["groups"] == []


@pytest.mark.parametrize("by", ["", "partner", "nope", "partner_type", "responses", "x" * 300])
def test_any_breakdown_parameter_is_safe(app, client, staff, k_survey, by):
    staff.login("lee", "leader")
    for path in ("results", "results.csv", "results.json"):
        response = client.get(f"/surveys/{k_survey.id}/{path}?by={by}")
        assert response.status_code == 200, path
    page = text(client.get(f"/surveys/{k_survey.id}/results?by={by}"))
    if by == "partner_type":
        assert page.count('class="withheld"') == 4  # labor and business, in both closed questions
    else:
        assert 'class="breakdown"' not in page  # nothing to break down by


# == 6. exports =====================================================================


def test_exports_are_well_formed(app, client, staff, participant):
    survey = make_survey(app)
    given = [
        {"agree": "4", "long": "Ça va, «très» bien,\nmerci"},
        {"agree": "2", "one": "c2"},
        {"agree": "5", "many": ["c1", "c3"], "short": "信任"},
    ]
    for answers in given:
        assert submit(participant, survey, form(survey, answers)).status_code == 303
    staff.login("fran", "facilitator")
    for path in ("responses.csv", "results.csv"):
        response = client.get(f"/surveys/{survey.id}/{path}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.data.startswith(b"\xef\xbb\xbf")
        assert "attachment" in response.headers["Content-Disposition"]
    response = client.get(f"/surveys/{survey.id}/responses.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [spec["text"]["en"] for _name, spec in QUESTIONS]
    assert len(rows) == 1 + len(given)
    assert sorted(row[0] for row in rows[1:]) == ["Agree", "Disagree", "Strongly agree"]
    assert "Ça va, «très» bien,\nmerci" in [row[-1] for row in rows[1:]]
    assert "Funding; Training" in [row[4] for row in rows[1:]]
    for path in ("responses.json", "results.json"):
        response = client.get(f"/surveys/{survey.id}/{path}")
        assert response.mimetype == "application/json"
        data = json.loads(response.data.decode("utf-8"))
        assert data["survey"] == "Partnership check-in"
    responses = client.get(f"/surveys/{survey.id}/responses.json").get_json()["responses"]
    assert len(responses) == len(given)
    assert {r["Anything else?"] for r in responses} == {"Ça va, «très» bien,\nmerci", ""}
    summary = client.get(f"/surveys/{survey.id}/results.json").get_json()
    assert summary["responses"] == 3 and summary["shown"] is True
    agree = summary["questions"][0]
    assert agree["answered"] == 3 and agree["mean"] == round((4 + 2 + 5) / 3, 2)
    assert agree["counts"] == {
        "Strongly disagree": 0,
        "Disagree": 1,
        "Neither agree nor disagree": 0,
        "Agree": 1,
        "Strongly agree": 1,
    }


def test_k_counts_organisations_in_pages_and_exports(app, client, staff, participant, roster):
    """The union sends two of labor's three responses: labor holds 2 organisations, so it is withheld everywhere."""
    store = store_of(app)
    second = partners.add_partner(store, "Local 99 Electricians", "labor")
    businesses = [roster["bakery"]] + [partners.add_partner(store, f"Shop {n}", "business") for n in range(2)]
    survey = make_survey(app, attribution="partner", questions=K_QUESTIONS)
    plan = [(roster["union"], "c3"), (roster["union"], "c3"), (second, "c2")] + [(p, "c1") for p in businesses] * 2
    for partner, pick in plan:
        assert (
            submit(
                participant, survey, form(survey, {"pick": pick}, questions=K_QUESTIONS, partner=partner.id)
            ).status_code
            == 303
        )
    staff.login("lee", "leader")
    page = text(client.get(f"/surveys/{survey.id}/results?by=partner_type"))
    table = re.findall(r'<table class="breakdown">(.*?)</table>', page, flags=re.S)[0]
    rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, flags=re.S))
    assert 'class="withheld"' in rows["Labor"] and "fewer than 3 partners" in rows["Labor"]
    # withheld labor (2 organisations) would be the total minus business: business is withheld too
    assert 'class="withheld"' in rows["Business"]
    data = client.get(f"/surveys/{survey.id}/results.json?by=partner_type").get_json()
    assert all(g["withheld"] and g["questions"] == [] for g in data["groups"])
    summary_rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/surveys/{survey.id}/results.csv?by=partner_type").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    assert [row[1] for row in summary_rows if row[0] == "Labor"] == ["Withheld: fewer than 3 partners"]
    exported = list(
        csv.reader(
            io.StringIO(client.get(f"/surveys/{survey.id}/responses.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    assert {row[0] for row in exported[1:]} == {"withheld"}
    assert {item["partner"] for item in client.get(f"/surveys/{survey.id}/responses.json").get_json()["responses"]} == {
        "withheld"
    }


def test_a_by_partner_survey_shows_nothing_until_k_organisations_answered(app, client, staff, participant, roster):
    survey = make_survey(app, attribution="partner", questions=K_QUESTIONS)
    for partner in ("union", "union", "bakery"):
        submit(
            participant,
            survey,
            form(survey, {"pick": "c3", "note": LABOR_TEXT}, questions=K_QUESTIONS, partner=roster[partner].id),
        )
    staff.login("lee", "leader")
    page = text(client.get(f"/surveys/{survey.id}/results"))
    assert "Results are withheld until at least 3 partners have answered" in page
    assert LABOR_TEXT not in page and "Strike fund zebra" not in page
    assert client.get(f"/surveys/{survey.id}/results.json").get_json()["shown"] is False
    assert client.get(f"/surveys/{survey.id}/responses.json").get_json()["responses"] == []
    summary_csv = client.get(f"/surveys/{survey.id}/results.csv").get_data(as_text=True)
    assert "Withheld: fewer than 3 partners" in summary_csv and LABOR_TEXT not in summary_csv


def test_the_receipt_page_confirms_counting_and_shows_no_answer(app, client, participant):
    survey = make_survey(app, attribution="partner_type", questions=K_QUESTIONS)
    response = submit(
        participant,
        survey,
        form(survey, {"pick": "c3", "agree": "2", "note": LABOR_TEXT}, questions=K_QUESTIONS, partner_type="labor"),
    )
    receipt = RECEIPT.search(text(participant.get(response.location))).group(1)
    token = csrf_token(client, "/receipt")
    page = client.post("/receipt", data={"csrf_token": token, "code": receipt})
    assert page.status_code == 200 and "was counted in “<bdi>Partnership check-in</bdi>”" in text(page)
    for answer in (LABOR_TEXT, "Strike fund zebra", "Labor", "Disagree"):
        assert answer not in text(page)
    stored = files_containing(app, receipt) + files_containing(app, receipt.replace("-", ""))
    assert stored == []
