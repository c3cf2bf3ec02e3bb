"""Every form takes a bounded number of fields: a flood is refused at once with the clear 413 page."""

import datetime
import html
import time

import pytest
from flask_babel import force_locale, gettext

from app import create_app
from roundtable import meetings, partners, surveys

from .conftest import csrf_token, data_files

FLOOD = 50_000
CPU_BUDGET = 1.0  # seconds of this process's CPU for one flooded request, all included


def text(response):
    return html.unescape(response.get_data(as_text=True))


def too_large(app, language="en"):
    """The 413 page's title, as a visitor reading ``language`` sees it."""
    with app.test_request_context(), force_locale(language):
        return gettext("What you sent is too large")


@pytest.fixture
def public(app):
    """An open survey (every kind of question), a meeting with an open round, and a seated phone."""
    store = app.config["STORE"]
    partner = partners.add_partner(store, "Valley College", "semi_public")
    survey = surveys.create_survey(
        store,
        {"en": "Health check"},
        "en",
        "partner_type",
        questions=[
            {"kind": "agreement", "text": {"en": "We trust each other."}, "required": True},
            {"kind": "multiple", "text": {"en": "Which?"}, "choices": [{"en": f"Choice {n}"} for n in range(30)]},
            {"kind": "long_text", "text": {"en": "Anything else?"}},
        ],
    )
    survey = surveys.set_status(store, survey.id, "open")
    meeting = meetings.create_meeting(store, {"en": "Retreat"}, datetime.date(2026, 11, 23), attending=[partner.id])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    phone = app.test_client()
    path = f"/m/{meeting['share_token']}"
    sat = phone.post(path, data={"csrf_token": csrf_token(phone, path), "partner": partner.id})
    assert sat.status_code == 303
    return {"survey": survey, "meeting": meeting, "phone": phone, "partner": partner}


def paths(public):
    survey, meeting = public["survey"], public["meeting"]
    return {
        "survey": f"/s/{survey.share_token}",
        "invitation": f"/s/{survey.share_token}?invite=ABCD-EFGH",
        "join": "/join",
        "seat": f"/m/{meeting['share_token']}",
        "vote": f"/m/{meeting['share_token']}/vote",
        "receipt": "/receipt",
        "login": "/login",
    }


def flood(client, path, fields, multipart=False, **kwargs):
    """POST ``fields`` (name, value) pairs with the page's CSRF token; (response, CPU seconds)."""
    token = csrf_token(client, path.split("?")[0])
    if multipart:
        data = {"csrf_token": token, **{name: value for name, value in fields}}
        start = time.process_time()
        response = client.post(path, data=data, content_type="multipart/form-data", **kwargs)
    else:
        body = "&".join([f"csrf_token={token}"] + [f"{name}={value}" for name, value in fields]).encode()
        start = time.process_time()
        response = client.post(path, data=body, content_type="application/x-www-form-urlencoded", **kwargs)
    return response, time.process_time() - start


def store_bytes(app):
    return sorted((path, content) for path, content in data_files(app) if not path.endswith(".lock"))


@pytest.mark.parametrize("route", ["survey", "invitation", "join", "seat", "vote", "receipt", "login"])
def test_fifty_thousand_fields_on_a_public_form_are_refused_at_once(app, public, route):
    path = paths(public)[route]
    client = public["phone"] if route == "vote" else app.test_client()
    client.set_cookie("lang", "es")
    before = store_bytes(app)
    fields = [(f"q-f{n}", "x") for n in range(FLOOD)]
    response, cpu = flood(client, path, fields)
    assert response.status_code == 413, (response.status_code, cpu)
    assert too_large(app, "es") in text(response)
    assert cpu < CPU_BUDGET, f"{cpu:.2f} s of CPU"
    assert store_bytes(app) == before


def test_fifty_thousand_copies_of_one_answer_are_refused_at_once(app, public):
    survey = public["survey"]
    path = paths(public)["survey"]
    fields = [(f"q-{survey.questions[2].id}", "x") for _ in range(FLOOD)]
    response, cpu = flood(app.test_client(), path, fields)
    assert response.status_code == 413 and too_large(app) in text(response)
    assert cpu < CPU_BUDGET, f"{cpu:.2f} s of CPU"


def test_a_multipart_flood_is_refused_too(app, public):
    fields = [(f"q-f{n}", "x") for n in range(5_000)]
    response, cpu = flood(app.test_client(), paths(public)["survey"], fields, multipart=True)
    assert response.status_code == 413 and too_large(app) in text(response)


def test_a_survey_takes_no_more_answers_than_its_questions_can_hold(app, public):
    survey = public["survey"]
    agreement, multiple, comment = survey.questions
    path = paths(public)["survey"]
    client = app.test_client()
    # Everything the form can send at once is accepted: every box ticked.
    every_choice = [(f"q-{multiple.id}", choice) for choice in multiple.choice_ids()]
    fields = [(f"q-{agreement.id}", "4"), (f"q-{comment.id}", "Fine"), ("partner_type", "labor")] + every_choice
    response, _cpu = flood(client, path, fields)
    assert response.status_code == 303, text(response)
    assert surveys.response_count(app.config["STORE"], survey.id) == 1
    # One value more than the survey's questions can hold is refused, and nothing is stored.
    response, _cpu = flood(client, path, fields + [(f"q-{comment.id}", "again")])
    assert response.status_code == 413 and too_large(app) in text(response)
    assert surveys.response_count(app.config["STORE"], survey.id) == 1


def test_a_staff_form_has_the_same_bound(app, staff):
    staff.login()
    before = store_bytes(app)
    fields = [("name", "Valley College"), ("type", "cbo")] + [(f"junk{n}", "x") for n in range(FLOOD)]
    response, cpu = flood(staff.client, "/partners/new", fields)
    assert response.status_code == 413 and too_large(app) in text(response)
    assert cpu < CPU_BUDGET, f"{cpu:.2f} s of CPU"
    assert store_bytes(app) == before


def test_the_setup_form_has_the_same_bound(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "fresh"), "TESTING": True})
    fields = [(f"junk{n}", "x") for n in range(FLOOD)]
    response, cpu = flood(app.test_client(), "/setup", fields)
    assert response.status_code == 413 and too_large(app) in text(response)
    assert cpu < CPU_BUDGET, f"{cpu:.2f} s of CPU"


def test_the_bound_is_a_setting(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True, "MAX_FORM_PARTS": 3})
    client = app.test_client()
    response, _cpu = flood(client, "/join", [("code", "ABC"), ("a", "1"), ("b", "2")])
    assert response.status_code == 413
    response, _cpu = flood(client, "/join", [("code", "ABC"), ("a", "1")])
    assert response.status_code == 404  # three fields with the token: read, and no such code
