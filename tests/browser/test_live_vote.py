"""A facilitator runs a live vote: participants take seats on their phones, vote, and the projector screen follows.

The facilitator's projector screen must follow the votes without reloading;
participants' phones follow the meeting by themselves when a round opens.
Participants' words are looked up in the app's own catalogs (one participant
reads Arabic), so these tests hold before and after the translators' work.
"""

import datetime
import re

from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from roundtable import meetings, partners

from .conftest import log_in_as, watch

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
LIVE = 5000  # ms: the screen polls every second, phones every two
PROPOSAL = "Pool the partners' training budgets for the next year."
ROSTER = (("Harbor Logistics", "business"), ("Eastside Tenants Union", "cbo"), ("Carpenters Local 12", "labor"))


def words(app, language):
    """``gettext`` as the app speaks to a visitor reading ``language``."""

    def translate(message, **variables):
        with app.test_request_context(), force_locale(language):
            return gettext(message, **variables)

    return translate


def seats_voted(voted, seats=3):
    """The projector screen's count, in English."""
    return f"{voted} of {seats} seats have voted"


def stance_name(label):
    """A stance radio's accessible name: its label, then its meaning."""
    return re.compile("^" + re.escape(label) + r"(\s|$)")


def still_waiting(region, names):
    """The "Not voted yet" list holds exactly these partners, in whatever order."""
    items = region.get_by_role("listitem")
    expect(items).to_have_count(len(names), timeout=LIVE)
    for name in names:
        expect(items.filter(has_text=re.compile(rf"^{re.escape(name)}$"))).to_have_count(1)


def make_roster(live_app):
    """Three active partners, each of a different type."""
    store = live_app.config["STORE"]
    return [partners.add_partner(store, name, type_key).name for name, type_key in ROSTER]


def log_in_as_facilitator(page, live_app):
    """Make a facilitator account and log in with it through the login page."""
    log_in_as(page, live_app, "fatima", "facilitator")


def create_meeting_with_proposal(page, names):
    """Meetings → New meeting with every partner attending, then one proposal; returns the join code."""
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Title", exact=True).fill("Spring partners' meeting")
    attending = page.get_by_role("group", name="Attending partners")
    for name in names:
        expect(attending.get_by_role("checkbox", name=name)).to_be_checked()
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("status")).to_contain_text("Meeting created.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring partners' meeting")
    fact = page.get_by_role("term").filter(has_text=re.compile(r"^\s*Attending partners\s*$")).locator("..")
    expect(fact.get_by_role("definition")).to_have_text("3")

    page.get_by_role("link", name="Add a proposal").click()
    page.get_by_label("Proposal", exact=True).fill(PROPOSAL)
    page.get_by_role("group", name="Voting method").get_by_role("radio", name=re.compile(r"^Simple stance: ")).check()
    page.get_by_role("group", name="Decision rule").get_by_role(
        "radio", name=re.compile(r"^Consensus: no block")
    ).check()
    page.get_by_role("group", name="Quorum", exact=True).get_by_role(
        "radio", name="Every attending partner has voted"
    ).check()
    page.get_by_role("group", name="Weighting").get_by_role("radio", name=re.compile(r"^Per partner: ")).check()
    page.get_by_role("button", name="Add proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Proposal added to the agenda.")
    proposal = page.get_by_role("region", name="Proposal 1")
    expect(proposal).to_contain_text(PROPOSAL)

    fact = page.get_by_role("term").filter(has_text=re.compile(r"^\s*Join code\s*$")).locator("..")
    code = fact.get_by_role("definition").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code
    return code


class Participant:
    """One participant on their own phone, in their own language."""

    def __init__(self, browser, live_app, partner, language="en"):
        locale = {"en": "en-US", "ar": "ar"}[language]
        self.context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale=locale, **PHONE)
        self.page = self.context.new_page()
        self.problems = watch(self.page)
        self.t = words(live_app, language)
        self.partner = partner
        self.language = language

    def take_seat(self, code):
        """Join with the meeting's code and pick the partner they speak for."""
        page, t = self.page, self.t
        page.goto("/join")
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if self.language == "ar" else "ltr")
        page.get_by_label(t("Code"), exact=True).fill(code.lower())
        page.get_by_role("button", name=t("Join"), exact=True).tap()
        page.get_by_label(t("Partner organization")).select_option(label=self.partner)
        page.get_by_role("button", name=t("Take my seat")).tap()
        expect(page.get_by_role("status")).to_contain_text(
            t("You have a seat. Waiting for the facilitator to open a vote…")
        )

    def sees_the_proposal(self):
        """The round appears on the phone by itself: the test never reloads it."""
        page, t = self.page, self.t
        expect(page.get_by_text(PROPOSAL)).to_be_visible(timeout=LIVE)
        expect(page.get_by_text(t("Round %(number)s", number=1), exact=True)).to_be_visible()
        expect(page.get_by_role("group", name=t("Your stance")).get_by_role("radio")).to_have_count(4)

    def vote(self, stance):
        """Choose a stance by its label in the participant's language, and send it."""
        page, t = self.page, self.t
        option = page.get_by_role("group", name=t("Your stance")).get_by_role("radio", name=stance_name(t(stance)))
        option.check()
        expect(option).to_be_checked()
        send = page.get_by_role("button", name=t("Send my vote"))
        send.scroll_into_view_if_needed()
        send.tap()
        expect(
            page.get_by_role("status").filter(
                has_text=t("Your vote is recorded. You can change it until the round closes.")
            )
        ).to_have_count(1)
        expect(
            page.get_by_role("group", name=t("Your stance")).get_by_role("radio", name=stance_name(t(stance)))
        ).to_be_checked()
        # Nothing on the phone may be wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]

    def leave(self):
        """Put the phone away; fails on any script error, CSP violation or broken resource it showed."""
        self.context.close()
        assert not self.problems, f"browser console errors on {self.partner}'s phone: {self.problems}"


def test_participants_vote_from_phones_and_the_screen_follows_without_reloading(page, browser, live_app):
    """Meeting, proposal, seats on three phones (one in Arabic), live counts on the projector, close, outcome."""
    names = make_roster(live_app)
    log_in_as_facilitator(page, live_app)
    code = create_meeting_with_proposal(page, names)

    # The participants take their seats before voting opens, so their phones must follow the meeting.
    people = [
        Participant(browser, live_app, names[0]),
        Participant(browser, live_app, names[1]),
        Participant(browser, live_app, names[2], "ar"),
    ]
    try:
        for person in people:
            person.take_seat(code)

        page.get_by_role("button", name="Open voting on proposal 1").click()
        expect(page).to_have_title(re.compile(r"^Projector screen: "))
        expect(page.get_by_role("status").filter(has_text="Voting is open.")).to_have_count(1)
        expect(page.get_by_role("heading", level=1)).to_have_text(PROPOSAL)
        expect(page.get_by_text(code, exact=True)).to_be_visible()
        count = page.locator(".screen-count")
        expect(count).to_have_text(seats_voted(0))
        # Turnout only, until the facilitator asks for the names of who has not voted yet.
        expect(page.get_by_role("region", name="Not voted yet")).to_have_count(0)
        page.get_by_role("link", name="Show who has not voted yet").click()
        waiting = page.get_by_role("region", name="Not voted yet")
        still_waiting(waiting, names)
        page.evaluate("window.__marker = 1")

        for person in people:
            person.sees_the_proposal()

        for voted, (person, stance) in enumerate(zip(people, ("Agree", "Agree", "Abstain")), start=1):
            person.vote(stance)
            expect(count).to_contain_text(seats_voted(voted), timeout=LIVE)
            remaining = [name for name in names if name not in {p.partner for p in people[:voted]}]
            still_waiting(waiting, remaining)
        expect(waiting).to_contain_text("Every attending partner has voted.")
        expect(page.get_by_text("Quorum met.", exact=True)).to_be_visible()
        # The spread stays hidden while the round is open: names and stances never share the screen.
        spread = page.get_by_role("region", name="How votes are spread")
        expect(spread).to_contain_text("Hidden until the round closes")
        expect(page.get_by_role("table")).to_have_count(0)
        assert page.evaluate("window.__marker") == 1, "the projector screen reloaded"

        page.get_by_role("button", name="Close this round").click()
        page.get_by_role("dialog").get_by_role("button", name="Close the round and show the result").click()
        expect(page.get_by_role("status").filter(has_text="The round is closed.")).to_have_count(1)
        # Back on the projector, the room sees the result.
        expect(page.get_by_role("heading", level=1)).to_have_text("Result of round 1")
        expect(page.get_by_text("Adopted", exact=True)).to_be_visible()
        expect(count).to_have_text("3 ballots from 3 organizations")
        page.get_by_role("link", name="Back to the agenda").click()
        proposal = page.get_by_role("region", name="Proposal 1")
        expect(proposal.get_by_role("listitem")).to_have_text(
            re.compile(r"^Round 1: Adopted\s+\(3 ballots from 3 organizations;\s+Supportive:\s+100\s*%\)$")
        )
    finally:
        for person in people:
            person.leave()


def test_a_changed_vote_counts_once_with_its_last_stance(page, browser, live_app):
    """Agree, then Disagree before the round closes: the screen shows neither; the minutes count one Disagree."""
    store = live_app.config["STORE"]
    harbor = partners.add_partner(store, "Harbor Logistics", "business")
    meeting = meetings.create_meeting(
        store, {"en": "Budget meeting"}, datetime.date.today(), "en", attending=[harbor.id]
    )
    meetings.add_proposal(store, meeting["id"], {"en": PROPOSAL})
    log_in_as_facilitator(page, live_app)

    person = Participant(browser, live_app, harbor.name)
    try:
        person.take_seat(meeting["join_code"])
        page.goto(f"/meetings/{meeting['id']}")
        page.get_by_role("button", name="Open voting on proposal 1").click()
        count = page.locator(".screen-count")
        expect(count).to_have_text(seats_voted(0, 1))
        person.sees_the_proposal()

        person.vote("Agree")
        expect(count).to_have_text(seats_voted(1, 1), timeout=LIVE)
        person.vote("Disagree")
        # A changed stance shows nowhere while the round is open: the count stays, no spread appears.
        page.wait_for_timeout(1500)
        expect(count).to_have_text(seats_voted(1, 1))
        expect(page.get_by_role("table")).to_have_count(0)
        # Coming back to the page later, the phone still says once that the vote is recorded, and which.
        person.page.reload()
        expect(person.page.get_by_role("status")).to_have_text(
            "Your vote is recorded. You can change it until the round closes."
        )
        expect(person.page.get_by_role("radio", name=stance_name("Disagree"))).to_be_checked()

        page.get_by_role("button", name="Close this round").click()
        page.get_by_role("dialog").get_by_role("button", name="Close the round and show the result").click()
        expect(page.get_by_role("status").filter(has_text="The round is closed.")).to_have_count(1)
        expect(count).to_have_text("1 ballot from 1 organization")
        page.get_by_role("link", name="Back to the agenda").click()
        page.get_by_role("link", name="Minutes").click()
        table = page.get_by_role("table", name="Ballots in round 1")
        expected = {"Agree": "0", "Abstain": "0", "Disagree": "1", "Block": "0"}
        expect(table.get_by_role("row")).to_have_count(1 + len(expected))
        for option, ballots in expected.items():
            expect(table.get_by_role("row", name=re.compile(rf"^{option} ")).get_by_role("cell")).to_have_text(ballots)
        expect(page.get_by_text("Partners who voted: Harbor Logistics")).to_be_visible()
    finally:
        person.leave()
    assert meetings.get_meeting(store, meeting["id"])["proposals"][0]["rounds"][0]["tally"]["ballots"] == 1
