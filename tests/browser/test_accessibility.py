"""axe-core audits every page of Roundtable, in all five languages, against WCAG 2.2 A and AA.

axe-core comes bundled in the axe-playwright-python package (nothing is fetched
while testing). Every endpoint of ``app.url_map`` is either audited, in some
state a person meets it in, or listed in NOT_AUDITED with the reason: a new
page that is neither fails the test.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.exceptions import MethodNotAllowed, NotFound

from app import create_app
from roundtable import accounts, demo, meetings, partners, surveys
from roundtable.languages import LANGUAGES, html_lang

from ..test_pages import PAGES, build_world
from .conftest import STAFF_PASSWORD, serving, watch, words
from .drawing import charts_drawn

# WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules axe-core tags with these.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()

# What a form post that redirects shows before it acts: one page, audited once.
CONFIRM_AUDITED = "; its confirm page is templates/confirm.html, audited as meetings.meeting_end's"
# Endpoints that answer with no HTML page of their own: nothing there for axe to audit.
NOT_AUDITED = {
    "static": "stylesheets, scripts and the icon",
    "main.health": "JSON for load balancers",
    "main.language": "a form post that redirects back to the page it came from",
    "auth.logout": "a form post that redirects to the home page",
    "surveys.qr_code": "an SVG image, shown with its text alternative on the share page",
    "meetings.qr_code": "an SVG image, shown with its text alternative on the projector screen",
    "results.results_csv": "a download",
    "results.results_json": "a download",
    "results.responses_csv": "a download",
    "results.responses_json": "a download",
    "meetings.minutes_markdown": "a download",
    "meetings.minutes_csv": "a download",
    "dashboard.dashboard_csv": "a download",
    "meetings.live": "JSON the projector screen polls; its HTML is audited on the screen",
    "vote.state": "JSON participants' phones poll",
    "roster.partner_toggle": "a form post that redirects to the roster" + CONFIRM_AUDITED,
    "surveys.from_template": "a form post that redirects to the new survey",
    "surveys.question_action": "a form post that redirects to the builder" + CONFIRM_AUDITED,
    "surveys.survey_status": "a form post that redirects to the builder" + CONFIRM_AUDITED,
    "surveys.survey_duplicate": "a form post that redirects to the copy",
    "meetings.round_open": "a form post that redirects to the projector screen" + CONFIRM_AUDITED,
    "meetings.round_close": "a form post that redirects to the projector screen" + CONFIRM_AUDITED,
    "meetings.decision": "a form post that redirects to the agenda",
    "meetings.seat_release": "a form post that redirects to the agenda" + CONFIRM_AUDITED,
    "meetings.proxy_give": "a form post that redirects to the agenda (its form is audited there)",
    "meetings.proxy_withdraw": "a form post that redirects to the agenda",
    "meetings.proposal_translate": "a form post that redirects to the agenda",
}
# Audited as a visitor sees them (on a phone, no staff menu) rather than with a staff login.
VISITOR_ENDPOINTS = {
    "auth.login",
    "respond.join",
    "respond.survey",
    "respond.thanks",
    "respond.receipt",
    "vote.meeting",
}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def audit(page):
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now: [(rule id, summary, [target selectors])]."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [
        (
            violation["id"],
            violation["help"],
            [
                " >> ".join(t if isinstance(t, str) else " > ".join(t) for t in node["target"])
                for node in violation["nodes"]
            ],
        )
        for violation in results.response["violations"]
    ]


class Tour:
    """Audits pages one after the other, remembering which endpoint served each and what axe found."""

    def __init__(self, app, language):
        self.adapter = app.url_map.bind("127.0.0.1")
        self.language = language
        self.t = words(app, language)
        self.endpoints = set()
        self.findings = []

    def endpoint(self, path, method):
        """The endpoint that answers ``method`` on ``path``, or the error status the app gives."""
        try:
            return self.adapter.match(path.split("?")[0], method=method)[0]
        except NotFound:
            return "404"
        except MethodNotAllowed:
            return "405"

    def check(self, page, method="GET"):
        """Audit the page the browser shows now, in the tour's language, once its charts are drawn."""
        page.wait_for_load_state("load")
        where = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]
        endpoint = self.endpoint(where, method)
        self.endpoints.add(endpoint)
        kind = page.evaluate("document.contentType")
        if kind != "text/html":
            self.findings.append(f"{method} {where} ({endpoint}) is {kind}, not a page: list it in NOT_AUDITED")
            return
        expect(page.locator("html")).to_have_attribute("lang", html_lang(self.language))
        charts_drawn(page)
        for rule, summary, targets in audit(page):
            self.findings.append(
                f"{self.language} {method} {where} ({endpoint}): {rule}: {summary}: " + ", ".join(targets)
            )

    def visit(self, page, path):
        """Open ``path`` and audit it."""
        page.goto(path)
        self.check(page)

    def send(self, page, button):
        """Press the main form's button named ``button`` (its English source text) and audit the answer."""
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("button", name=self.t(button), exact=True).click()
        self.check(page, "POST")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo partnership, plus a world filling every page, served; and an empty install for the setup page."""
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("a11y") / "data")})
    store = app.config["STORE"]
    demo.seed_demo(store)
    ids = build_world(store, partner_name="Eastside Tenants Union")
    for username, role in (("auditor", "admin"), ("reader", "leader"), ("locked", "leader")):
        accounts.create_account(store, username, STAFF_PASSWORD, role)
    # Survey pages show the demo's open health check: answered, so its results have charts.
    everything = surveys.list_surveys(store)
    answered = next(s for s in everything if s.attribution == "partner_type" and s.is_open)
    surveys.create_invitations(store, answered.id, 3)
    closed = next(s for s in everything if s.status == "closed")
    # The meeting: a first proposal voted on, closed and decided (for the agenda and minutes), a second one open.
    meeting = ids["meeting"]
    first = meetings.get_meeting(store, meeting)["proposals"][0]["id"]
    secret = app.config["SECRET_KEY"]
    for partner, stance, concern in zip(
        partners.list_partners(store), ("agree", "agree", "block"), ("", "", "We need time to train our staff.")
    ):
        seat = meetings.seat_for(store, meeting, secret, meetings.take_seat(store, meeting, secret, partner.id))
        meetings.cast_ballot(store, meeting, seat, stance, concern)
    meetings.close_round(store, meeting)
    meetings.record_decision(store, meeting, first, "deferred", "Back to the working group.")
    second = meetings.add_proposal(store, meeting, {"en": "Share one intake form across all partners."})
    # The fourth partner holds the fifth's proxy: its phone shows two ballots (the seat's cookie: ids["proxy_seat"]).
    seated = {p.id for p in partners.list_partners(store)[:3]}
    holder, absent = [p for p in partners.list_partners(store, active_only=True) if p.id not in seated][:2]
    meetings.give_proxy(store, meeting, absent=absent.id, holder=holder.id)
    proxy_seat = meetings.take_seat(store, meeting, secret, holder.id)
    meetings.open_round(store, meeting, second["id"])
    # A third proposal written in Spanish too: the open one is behind in Spanish (the agenda's Translate form, the
    # screen's "Not yet translated"; phones in any language but English show the English so marked).
    meetings.add_proposal(
        store, meeting, {"en": "Meet every month in spring.", "es": "Reunirse cada mes en primavera."}
    )
    past = next(m for m in store.all(meetings.TABLE) if m["id"] != meeting)
    ids.update(
        survey=answered.id,
        token=answered.share_token,
        question=answered.questions[0].id,
        closed_token=closed.share_token,
        past_meeting=past["id"],
        proxy_seat=proxy_seat,
    )
    fresh = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("a11y-setup") / "data")})
    with serving(app), serving(fresh):
        yield {"app": app, "fresh": fresh, "ids": ids}


def logged_in(browser, app, username):
    """A browser context logged in as ``username``, and its page."""
    context = browser.new_context(base_url=app.config["LIVE_URL"])
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()
    return context, page


@pytest.fixture(scope="module")
def staff(browser, world):
    """An administrator's and a leader's browsers, logged in once for every language."""
    admin, admin_page = logged_in(browser, world["app"], "auditor")
    leader, leader_page = logged_in(browser, world["app"], "reader")
    problems = watch(admin_page) + watch(leader_page)
    yield {"admin": admin_page, "leader": leader_page, "problems": problems}
    admin.close()
    leader.close()


def speak(context, app, language):
    """Make the app answer this browser in ``language``, as the language picker would."""
    context.add_cookies([{"name": "lang", "value": language, "url": app.config["LIVE_URL"]}])


def staff_tour(tour, page, ids):
    """Every staff page of PAGES, then the states only data or a mistake shows."""
    for endpoint, path in PAGES.items():
        if endpoint not in NOT_AUDITED and endpoint not in VISITOR_ENDPOINTS:
            tour.visit(page, path.format(**ids))
    # The projector screen (its round open is in PAGES): closed, with its last round's result; open, with names.
    tour.visit(page, f"/meetings/{ids['past_meeting']}/screen")
    expect(page.get_by_role("heading", level=1)).to_have_text(tour.t("Result of round %(number)s", number=1))
    tour.visit(page, f"/meetings/{ids['meeting']}/screen?waiting=1")  # the names of who has not voted yet
    # Before anything irreversible: the dialog that asks (with JavaScript), then the confirm page (without:
    # the form sent as a browser without JavaScript sends it). Neither changes anything.
    page.goto(f"/meetings/{ids['meeting']}")
    page.get_by_role("button", name=tour.t("End the meeting (forget every seat)")).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    tour.check(page)
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.locator("form[data-confirm-title]").first.evaluate("form => form.submit()")
    expect(page.get_by_role("heading", level=1)).to_have_text(tour.t("End the meeting?"))
    tour.check(page, "POST")
    # A form sent empty: its errors next to the fields.
    page.goto("/partners/new")
    tour.send(page, "Save partner")
    expect(page.get_by_role("alert")).to_be_visible()


def visitor_tour(tour, page, ids, app):
    """A participant's pages on a phone: join, answer (a mistake first), receipt, vote; then the error pages."""
    t = tour.t
    tour.visit(page, "/")
    tour.visit(page, "/login")
    tour.visit(page, "/join")
    page.get_by_label(t("Code"), exact=True).fill("ZZZZZZ")
    tour.send(page, "Join")
    expect(page.get_by_role("alert")).to_be_visible()

    tour.visit(page, f"/s/{ids['token']}")
    tour.send(page, "Send my answers")  # without saying which type of partner: refused
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_role("group", name=t("What type of partner do you speak for?")).get_by_role("radio").last.check()
    page.get_by_role("radio", name=t("Agree"), exact=True).first.check()
    page.get_by_role("main").get_by_role("button", name=t("Send my answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you: your answers were saved"))
    tour.check(page)
    receipt = page.get_by_role("region", name=t("Your receipt code")).locator("[dir=ltr]").inner_text().strip()
    page.get_by_role("link", name=t("Check a receipt code")).click()
    expect(page).to_have_url(re.compile(r"/receipt$"))
    tour.check(page)
    page.get_by_label(t("Receipt code")).fill(receipt)
    tour.send(page, "Check")
    page.get_by_label(t("Receipt code")).fill("NOT-A-RECEIPT")
    tour.send(page, "Check")
    tour.visit(page, f"/s/{ids['closed_token']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("This survey is not open"))

    tour.visit(page, f"/m/{ids['meeting_token']}")
    tour.send(page, "Take my seat")  # no partner chosen: refused
    expect(page.get_by_role("alert")).to_be_visible()
    # By partner type: the roster's seats are taken already (a partner's seat is taken once, by one device).
    page.get_by_text(t("My organization is not listed")).click()
    page.get_by_label(t("Then choose the type of partner you speak for")).select_option(index=1)
    page.get_by_role("button", name=t("Take my seat")).click()
    stances = page.get_by_role("group", name=t("Your stance")).get_by_role("radio")
    expect(stances.first).to_be_visible()
    tour.check(page)
    tour.send(page, "Send my vote")  # no stance chosen: refused
    expect(page.get_by_role("alert")).to_be_visible()
    stances.first.check()
    page.get_by_role("button", name=t("Send my vote")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        t("Your vote is recorded. You can change it until the round closes.")
    )
    tour.check(page)

    # The phone of a partner holding an absent partner's proxy: two ballots, each with its own legend.
    meeting = ids["meeting_token"]
    page.context.add_cookies(
        [{"name": f"seat_{ids['meeting']}", "value": ids["proxy_seat"], "domain": "127.0.0.1", "path": f"/m/{meeting}"}]
    )
    tour.visit(page, f"/m/{meeting}")
    expect(page.locator("main fieldset legend")).to_have_count(2)

    tour.visit(page, "/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Page not found"))
    tour.visit(page, "/logout")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("This action is not available here"))
    # A form whose CSRF token no longer matches (400).
    page.goto("/join")
    page.evaluate("document.querySelector('main input[name=csrf_token]').value = 'stale'")
    tour.send(page, "Join")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("This form has expired"))
    # More than MAX_CONTENT_LENGTH (413).
    page.goto("/receipt")
    page.get_by_label(t("Receipt code")).evaluate(
        "(box, size) => { box.value = 'x'.repeat(size); }", app.config["MAX_CONTENT_LENGTH"] + 1
    )
    tour.send(page, "Check")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("What you sent is too large"))
    # Failed logins until this client is throttled for the account (429): five a minute by default.
    for _attempt in range(6):
        page.goto("/login")
        page.get_by_label(t("Username")).fill("locked")
        page.get_by_label(t("Password")).fill("not the password at all")
        with page.expect_response(re.compile(r"/login$")) as answer:
            page.get_by_role("main").get_by_role("button", name=t("Log in")).click()
        if answer.value.status == 429:
            break
    assert answer.value.status == 429
    tour.check(page, "POST")


def test_audit_finds_an_unlabelled_input(browser, world):
    """The audit is not blind: a text box with no label on a real page is reported, with route, language, target."""
    context = browser.new_context(base_url=world["app"].config["LIVE_URL"])
    page = context.new_page()
    tour = Tour(world["app"], "en")
    try:
        tour.visit(page, "/join")
        assert tour.findings == []
        page.evaluate("""() => {
            const input = document.createElement('input');
            input.type = 'text';
            input.id = 'unlabelled';
            document.querySelector('main form').appendChild(input);
        }""")
        tour.check(page)
        assert len(tour.findings) == 1, tour.findings
        assert tour.findings[0].startswith("en GET /join (respond.join): label: "), tour.findings
        assert tour.findings[0].endswith(": #unlabelled"), tour.findings
    finally:
        context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_passes_wcag_22_aa(browser, world, staff, language):
    """Zero violations on every page, as staff and as a participant, in ``language``; no endpoint left out."""
    app, fresh, ids = world["app"], world["fresh"], world["ids"]
    tour = Tour(app, language)

    admin = staff["admin"]
    speak(admin.context, app, language)
    staff_tour(tour, admin, ids)
    leader = staff["leader"]
    speak(leader.context, app, language)
    tour.visit(leader, "/admin/accounts")
    expect(leader.get_by_role("heading", level=1)).to_have_text(tour.t("You do not have access to this page"))

    visitor = browser.new_context(base_url=app.config["LIVE_URL"], **PHONE)
    speak(visitor, app, language)
    page = visitor.new_page()
    problems = watch(page)
    try:
        visitor_tour(tour, page, ids, app)
        # An empty install: the setup page, then sent empty.
        speak(visitor, fresh, language)
        page.goto(fresh.config["LIVE_URL"] + "/setup")
        tour.check(page)
        tour.send(page, "Create administrator")
    finally:
        visitor.close()

    unaudited = {rule.endpoint for rule in app.url_map.iter_rules()} - tour.endpoints - set(NOT_AUDITED)
    assert not unaudited, f"pages neither audited nor listed in NOT_AUDITED: {sorted(unaudited)}"
    assert not tour.findings, "WCAG 2.2 A/AA violations:\n" + "\n".join(tour.findings)
    assert not problems + staff["problems"], f"browser console errors: {problems + staff['problems']}"


def test_not_audited_lists_only_real_endpoints(world):
    """NOT_AUDITED names no endpoint that is gone, and no participant page."""
    endpoints = {rule.endpoint for rule in world["app"].url_map.iter_rules()}
    assert set(NOT_AUDITED) <= endpoints
    assert not set(NOT_AUDITED) & VISITOR_ENDPOINTS
