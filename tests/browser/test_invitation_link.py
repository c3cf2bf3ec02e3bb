"""An invitation link in Chromium: the code rides after "#", the page's script posts it.

The server never sees it in an address.

The server's request log here is every request line the app receives (method,
path and query), recorded around the app, which is what an access log keeps.
"""

import re

from playwright.sync_api import expect

from roundtable import surveys

from .conftest import watch


def invitation_survey(app):
    """An open survey by invitation, one question, and one invitation code for it."""
    store = app.config["STORE"]
    survey = surveys.create_survey(
        store,
        {"en": "After the retreat"},
        "en",
        "anonymous",
        None,
        invitations_only=True,
        questions=[{"kind": "yes_no", "text": {"en": "Was it useful?"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")
    (code,) = surveys.create_invitations(store, survey.id, 1)
    return survey, code


def record_request_lines(app):
    """Note the request line of everything the server receives; returns the list it fills."""
    lines = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        query = environ.get("QUERY_STRING", "")
        lines.append(f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}{'?' + query if query else ''}")
        return inner(environ, start_response)

    app.wsgi_app = recording
    return lines


def bare(code):
    """The code without its dash, as it might also be written."""
    return code.replace("-", "")


def test_the_invitation_link_fills_the_form_and_the_code_is_only_posted(page, live_app):
    survey, code = invitation_survey(live_app)
    lines = record_request_lines(live_app)
    posts = []
    page.on("request", lambda request: posts.append(request.post_data or "") if request.method == "POST" else None)

    page.goto(f"/s/{survey.share_token}#invite={code}")
    field = page.get_by_label("Your invitation code")
    expect(field).to_have_value(code)
    # Out of the address bar (and this page's history entry) too.
    expect(page).to_have_url(re.compile(rf"/s/{survey.share_token}$"))
    page.get_by_role("group", name="Was it useful?").get_by_role("radio", name="Yes", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answers were saved")

    assert any(f"invitation={code}" in body for body in posts), posts
    assert lines and f"POST /s/{survey.share_token}" in lines
    assert [line for line in lines if code in line or bare(code) in line] == []
    assert surveys.invitation_counts(live_app.config["STORE"], survey.id) == (1, 1)


def test_without_javascript_the_page_asks_for_the_code(browser, live_app):
    survey, code = invitation_survey(live_app)
    lines = record_request_lines(live_app)
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], java_script_enabled=False)
    page = context.new_page()
    problems = watch(page)
    try:
        page.goto(f"/s/{survey.share_token}#invite={code}")
        field = page.get_by_label("Your invitation code")
        expect(field).to_be_visible()
        expect(field).to_have_value("")
        expect(field).to_have_accessible_description(
            "If your invitation link did not fill it in, type the code from your invitation."
        )
        field.fill(code.lower())
        page.get_by_role("group", name="Was it useful?").get_by_role("radio", name="Yes", exact=True).check()
        page.get_by_role("button", name="Send my answers").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answers were saved")
    finally:
        context.close()
    assert not problems, problems
    assert [line for line in lines if code in line or bare(code) in line or bare(code).lower() in line] == []
    assert surveys.invitation_counts(live_app.config["STORE"], survey.id) == (1, 1)
