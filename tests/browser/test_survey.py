"""A facilitator builds and opens a survey, partners answer it on their phones in Spanish, and the results show.

Participants' words are looked up in the app's own Spanish catalog: where a
string is not translated yet, the page shows the English text and so does the
lookup, so these tests hold before and after the translators' work.
"""

import re

from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from roundtable import surveys
from roundtable.survey_templates import TEMPLATES

from .conftest import log_in_as, watch

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
    "locale": "es-ES",
}
HEALTH_CHECK = TEMPLATES["health_check"]
AGREEMENT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")


def spanish(app, message, **variables):
    """``message`` as the app shows it to a Spanish speaker."""
    with app.test_request_context(), force_locale("es"):
        return gettext(message, **variables)


def log_in_as_facilitator(page, live_app):
    """Make a facilitator account and log in with it through the login page."""
    log_in_as(page, live_app, "fatima", "facilitator")


def join_code_on_builder(page):
    """The join code as the builder page shows it, next to its term."""
    fact = page.get_by_role("term").filter(has_text=re.compile(r"^\s*Join code\s*$")).locator("..")
    code = fact.get_by_role("definition").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code
    return code


def answer_on_a_phone(browser, live_app, code, agreement, partner_type, comment):
    """One participant on a Spanish phone: join with the code, answer, send; returns their receipt code."""
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], **PHONE)
    page = context.new_page()
    problems = watch(page)
    es = lambda message, **variables: spanish(live_app, message, **variables)  # noqa: E731

    try:
        page.goto("/join")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        page.get_by_label(es("Code"), exact=True).fill(code.lower())
        page.get_by_role("button", name=es("Join"), exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(HEALTH_CHECK["title"]["es"])
        questions = HEALTH_CHECK["questions"]
        first = page.get_by_role("group", name=questions[0]["text"]["es"])
        option = first.get_by_role("radio", name=es(agreement), exact=True)
        option.check()
        expect(option).to_be_checked()
        # The second statement gets the same answer, chosen by its place on the scale.
        second = page.get_by_role("group", name=questions[1]["text"]["es"])
        radios = second.get_by_role("radio")
        expect(radios).to_have_count(5)
        position = AGREEMENT.index(agreement)
        radios.nth(position).check()
        expect(radios.nth(position)).to_have_value(str(position + 1))

        comment_box = page.get_by_label(questions[-1]["text"]["es"])
        comment_box.fill(comment)
        page.get_by_role("group", name=es("What type of partner do you speak for?")).get_by_role(
            "radio", name=es(partner_type), exact=True
        ).check()
        expect(
            page.get_by_text(
                es("%(answered)s of %(total)s questions answered", answered=3, total=len(questions)), exact=True
            )
        ).to_be_visible()
        send = page.get_by_role("button", name=es("Send my answers"))
        send.scroll_into_view_if_needed()
        send.tap()

        expect(page.get_by_role("heading", name=es("Thank you: your answers were saved"))).to_be_visible()
        expect(page.get_by_text(HEALTH_CHECK["closing"]["es"])).to_be_visible()
        receipt = page.get_by_role("region", name=es("Your receipt code"))
        expect(receipt).to_be_visible()
        receipt_code = receipt.get_by_text(re.compile(rf"^{code}-[A-Z2-9]{{4}}-[A-Z2-9]{{4}}-[A-Z2-9]{{4}}$"))
        expect(receipt_code).to_be_visible()
        text = receipt_code.inner_text()
        # Nothing on the phone may be wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    finally:
        context.close()
    assert not problems, f"browser console errors on the phone: {problems}"
    return text


def test_facilitator_builds_partners_answer_on_phones_and_results_show(page, browser, live_app):
    """The whole round: template, settings, open, three answers on Spanish phones, chart and table."""
    log_in_as_facilitator(page, live_app)

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Surveys").click()
    page.get_by_role("button", name="Use “Partnership health check”").click()
    expect(page.get_by_role("status")).to_contain_text("A draft survey was made from the template")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership health check")

    page.get_by_role("link", name="Settings and texts").click()
    page.get_by_role("radio", name=re.compile(r"^By partner type: ")).check()
    page.get_by_role("button", name="Save survey").click()
    expect(page.get_by_role("status")).to_contain_text("Survey saved.")
    expect(page.get_by_text("By partner type: each response says which type of partner it speaks for")).to_be_visible()

    page.get_by_role("button", name="Open to responses").click()
    expect(page.get_by_role("status")).to_contain_text("The survey is open")
    expect(page.get_by_role("button", name="Close the survey")).to_be_visible()
    code = join_code_on_builder(page)

    answers = [
        ("Agree", "Business", "Más reuniones conjuntas."),
        ("Agree", "Labor", "Compartir los datos antes."),
        ("Strongly agree", "Business", "Nada que añadir."),
    ]
    receipts = [
        answer_on_a_phone(browser, live_app, code, agreement, partner_type, comment)
        for agreement, partner_type, comment in answers
    ]
    assert len(set(receipts)) == 3

    page.reload()
    expect(page.get_by_role("definition").filter(has_text=re.compile(r"^\s*3\s*$"))).to_have_count(1)
    page.get_by_role("link", name="Results", exact=True).click()
    expect(page.get_by_role("heading", name="Results: Partnership health check")).to_be_visible()
    expect(page.get_by_text("3 responses.")).to_be_visible()
    expect(page.get_by_text("Partner types heard from: Business, Labor")).to_be_visible()

    first = page.get_by_role("region", name="1. We are building trust relationships among partners.")
    chart = first.get_by_role("img", name="Chart of the answers to question 1; the same figures are in the table.")
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()  # charts draw as they come into view
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(chart.get_by_text("Strongly agree", exact=True)).to_be_visible()  # an axis label plotly drew

    table = first.get_by_role("table", name="Answers to question 1")
    expect(table).to_be_visible()
    expected = {
        "Strongly disagree": "0",
        "Disagree": "0",
        "Neither agree nor disagree": "0",
        "Agree": "2",
        "Strongly agree": "1",
    }
    for label, count in expected.items():
        row = table.get_by_role("row", name=re.compile(rf"^{label} "))
        expect(row.get_by_role("cell").first).to_have_text(count)
    expect(table.get_by_role("row", name=re.compile("^Agree ")).get_by_role("cell").nth(1)).to_have_text("67%")

    comments = page.get_by_role("list", name="Text answers, in random order")
    for _agreement, _type, comment in answers:
        expect(comments.get_by_text(comment, exact=True)).to_be_visible()


def open_survey(live_app, questions):
    """An open survey with these questions, made directly in the store."""
    survey = surveys.create_survey(live_app.config["STORE"], {"en": "Quick check"}, "en", questions=questions)
    return surveys.set_status(live_app.config["STORE"], survey.id, "open")


def test_answering_works_without_javascript(browser, live_app):
    """Joining, answering and sending are plain links and form posts."""
    survey = open_survey(
        live_app,
        [
            {"kind": "agreement", "text": {"en": "The meetings are useful."}, "required": True},
            {
                "kind": "single",
                "text": {"en": "Which meeting day suits you?"},
                "choices": [{"en": "Monday"}, {"en": "Thursday"}],
            },
            {"kind": "yes_no", "text": {"en": "Will you come to the next meeting?"}},
            {"kind": "rating5", "text": {"en": "How useful was the last meeting?"}},
            {"kind": "long_text", "text": {"en": "Anything else?"}},
        ],
    )
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], java_script_enabled=False)
    page = context.new_page()
    problems = watch(page)

    page.goto("/join")
    page.get_by_label("Code").fill(survey.join_code)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", name="Quick check")).to_be_visible()
    # With JavaScript a survey of five questions shows a progress bar; here it stays hidden.
    expect(page.get_by_role("progressbar", include_hidden=True)).to_be_hidden()

    page.get_by_role("group", name="The meetings are useful.").get_by_role("radio", name="Agree", exact=True).check()
    page.get_by_role("group", name="Which meeting day suits you?").get_by_role("radio", name="Thursday").check()
    page.get_by_role("group", name="How useful was the last meeting?").get_by_role("radio", name="4").check()
    page.get_by_label("Anything else?").fill("Start on time, please.")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Thank you: your answers were saved")).to_be_visible()
    expect(page.get_by_role("region", name="Your receipt code")).to_contain_text(survey.join_code)
    context.close()
    assert not problems, f"browser console errors: {problems}"
    assert surveys.response_count(live_app.config["STORE"], survey.id) == 1


def test_a_missing_required_answer_is_summarized_and_typed_text_kept(page, live_app):
    """The error summary links to the unanswered question; nothing typed is lost."""
    survey = open_survey(
        live_app,
        [
            {"kind": "agreement", "text": {"en": "The meetings are useful."}, "required": True},
            {"kind": "long_text", "text": {"en": "What would you change?"}},
        ],
    )
    required = survey.questions[0]

    page.goto(f"/s/{survey.share_token}")
    page.get_by_label("What would you change?").fill("Shorter agendas.\nMore time for questions.")
    page.get_by_role("button", name="Send my answers").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("1 answer needs your attention.")
    link = summary.get_by_role("link", name="The meetings are useful.")
    expect(link).to_have_attribute("href", f"#q-{required.id}")
    link.click()
    expect(page).to_have_url(re.compile(rf"#q-{required.id}$"))

    group = page.get_by_role("group", name="The meetings are useful.")
    expect(group).to_be_in_viewport()
    expect(group.get_by_role("radio")).to_have_count(5)
    for radio in group.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    expect(page.get_by_label("What would you change?")).to_have_value("Shorter agendas.\nMore time for questions.")

    group.get_by_role("radio", name="Strongly agree").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you: your answers were saved")).to_be_visible()
    assert surveys.response_count(live_app.config["STORE"], survey.id) == 1
