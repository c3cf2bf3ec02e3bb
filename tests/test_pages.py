"""Every page renders in every shipped language, with the right direction."""

import datetime
import re

import pytest

from roundtable import accounts, meetings, partners, surveys
from roundtable.languages import LANGUAGES, html_lang, text_direction
from roundtable.survey_templates import TEMPLATES

from .conftest import PASSWORD

# Every GET page and how to reach it; a new route must be added here.
PAGES = {
    "main.index": "/",
    "main.health": "/health",
    "main.counting": "/help/counting",
    "auth.login": "/login",
    "auth.password": "/account/password",
    "admin.account_list": "/admin/accounts",
    "admin.account_edit": "/admin/accounts/{account}",
    "roster.partners_list": "/partners/",
    "roster.partner_new": "/partners/new",
    "roster.partner_edit": "/partners/{partner}/edit",
    "roster.partner_import": "/partners/import",
    "roster.partner_types": "/partners/types",
    "surveys.survey_list": "/surveys/",
    "surveys.survey_new": "/surveys/new",
    "surveys.builder": "/surveys/{survey}",
    "surveys.survey_edit": "/surveys/{survey}/details",
    "surveys.question_new": "/surveys/{survey}/questions/new",
    "surveys.question_edit": "/surveys/{survey}/questions/{question}",
    "surveys.preview": "/surveys/{survey}/preview",
    "surveys.share": "/surveys/{survey}/share",
    "surveys.qr_code": "/surveys/{survey}/qr.svg",
    "surveys.invitations": "/surveys/{survey}/invitations",
    "results.survey_results": "/surveys/{survey}/results",
    "results.results_csv": "/surveys/{survey}/results.csv",
    "results.results_json": "/surveys/{survey}/results.json",
    "results.responses_csv": "/surveys/{survey}/responses.csv",
    "results.responses_json": "/surveys/{survey}/responses.json",
    "respond.join": "/join",
    "respond.survey": "/s/{token}",
    "respond.thanks": "/s/{token}/thanks",
    "respond.receipt": "/receipt",
    "meetings.meeting_list": "/meetings/",
    "meetings.meeting_new": "/meetings/new",
    "meetings.agenda": "/meetings/{meeting}",
    "meetings.proposal_new": "/meetings/{meeting}/proposals/new",
    "meetings.screen": "/meetings/{meeting}/screen",
    "meetings.live": "/meetings/{meeting}/live.json",
    "meetings.qr_code": "/meetings/{meeting}/qr.svg",
    "meetings.minutes": "/meetings/{meeting}/minutes",
    "meetings.minutes_markdown": "/meetings/{meeting}/minutes.md",
    "meetings.minutes_csv": "/meetings/{meeting}/minutes.csv",
    "vote.meeting": "/m/{meeting_token}",
    "vote.state": "/m/{meeting_token}/state",
    "dashboard.dashboard": "/dashboard",
    "dashboard.dashboard_csv": "/dashboard.csv",
}
# Reachable only before setup, or only by POST.
NOT_PAGES = {
    "auth.setup",
    "auth.logout",
    "main.language",
    "roster.partner_toggle",
    "static",
    "surveys.from_template",
    "surveys.question_action",
    "surveys.survey_status",
    "surveys.survey_duplicate",
    "meetings.round_open",
    "meetings.round_close",
    "meetings.decision",
    "meetings.meeting_end",
    "vote.cast",
    "meetings.seat_release",
    "meetings.proxy_give",
    "meetings.proxy_withdraw",
    "meetings.proposal_translate",
}


def test_every_route_is_listed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(PAGES) - NOT_PAGES == set()


def build_world(store, partner_name="Valley Community College"):
    """A partner, a leader, an open survey and a meeting with an open round: the ids PAGES' paths need."""
    partner = partners.add_partner(store, partner_name, "semi_public")
    account = accounts.create_account(store, "leader1", PASSWORD, "leader")
    survey = surveys.create_from_template(store, TEMPLATES["health_check"])
    survey = surveys.set_status(store, survey.id, "open")
    meeting = meetings.create_meeting(store, {"en": "Board"}, datetime.date(2026, 11, 23), attending=[partner.id])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    return {
        "partner": partner.id,
        "account": account.id,
        "survey": survey.id,
        "token": survey.share_token,
        "question": survey.questions[0].id,
        "meeting": meeting["id"],
        "meeting_token": meeting["share_token"],
    }


@pytest.fixture
def admin_pages(app, staff):
    staff.login("admin", "admin")
    ids = build_world(app.config["STORE"])
    return {name: path.format(**ids) for name, path in PAGES.items()}


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_page_renders_in_every_language(client, admin_pages, code):
    for endpoint, path in admin_pages.items():
        response = client.get(path, headers={"Accept-Language": code.replace("_", "-")})
        assert response.status_code == 200, (endpoint, code)
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        assert f'<html lang="{html_lang(code)}" dir="{text_direction(code)}">' in page, (endpoint, code)
        assert re.search(r"<title>[^<]+ · Roundtable</title>", page), endpoint


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_setup_page_renders_in_every_language(client, code):
    response = client.get("/setup", headers={"Accept-Language": code.replace("_", "-")})
    assert response.status_code == 200
    assert f'dir="{text_direction(code)}"' in response.get_data(as_text=True)


def test_arabic_pages_are_right_to_left_and_translated(client, admin_pages):
    response = client.get(admin_pages["roster.partners_list"], headers={"Accept-Language": "ar"})
    page = response.get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "Partner roster" not in page


@pytest.mark.parametrize(
    "path, legend",
    [
        ("/admin/accounts", "Role"),
        ("/surveys/new", "What responses say about who answered"),
        ("/meetings/{meeting}/proposals/new", "Voting method"),
    ],
)
def test_radio_groups_are_fieldsets_with_a_legend(client, admin_pages, path, legend):
    meeting_path = admin_pages["meetings.agenda"]
    page = client.get(path.replace("/meetings/{meeting}", meeting_path)).get_data(as_text=True)
    assert re.search(r"<fieldset[^>]*>\s*<legend>" + re.escape(legend) + "</legend>", page), path
