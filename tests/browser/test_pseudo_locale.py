"""Longer text breaks no layout: every kind of page in a pseudo-locale, on a phone and on a desktop.

The pseudo-locale (``tests/pseudo_locale.py``, built at test time, never
shipped) makes every translatable text about 40 % longer and accented. Served
as the app's English, it shows what a long translation would do to the pages:
no page may scroll sideways, and no button, link, label, heading or table
header may have its text cut off by an ``overflow: hidden`` box.
"""

import pytest
from playwright.sync_api import expect

from app import create_app
from roundtable import accounts, demo, meetings, surveys

from ..pseudo_locale import pseudo, pseudo_catalog, write_pseudo_catalog
from ..test_pages import build_world
from .conftest import STAFF_PASSWORD, serving, watch
from .drawing import charts_drawn

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# What the page does wrong with longer text, as readable sentences (an empty list when all is well).
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways (${root.scrollWidth}px wide in a ${root.clientWidth}px window)`);
  }
  const name = (el) => `<${el.tagName.toLowerCase()}> "${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)}"`;
  const clips = (style) => ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
  const selector = 'button, a, label, legend, summary, h1, h2, h3, h4, h5, h6, th, dt, input[type=submit]';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length || el.closest('.visually-hidden, .skip-link, .js-plotly-plot, template')) {
      continue;
    }
    const style = getComputedStyle(el);
    if (clips(style) && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      problems.push(`${name(el)} is cut off (${el.scrollWidth}×${el.scrollHeight}px of text`
                    + ` in ${el.clientWidth}×${el.clientHeight}px)`);
      continue;
    }
    const rect = el.getBoundingClientRect();
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (!clips(getComputedStyle(box))) { continue; }
      const frame = box.getBoundingClientRect();
      if (rect.left < frame.left - 1 || rect.right > frame.right + 1 || rect.bottom > frame.bottom + 1) {
        problems.push(`${name(el)} sticks out of the <${box.tagName.toLowerCase()}> that hides its overflow`);
      }
      break;
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def pseudo_app(tmp_path_factory):
    """The demo partnership and a world filling every page, served with the pseudo-locale as its English."""
    catalogs = write_pseudo_catalog(tmp_path_factory.mktemp("pseudo-locale"))
    app = create_app(
        {"DATA_DIR": str(tmp_path_factory.mktemp("pseudo") / "data"), "BABEL_TRANSLATION_DIRECTORIES": catalogs}
    )
    store = app.config["STORE"]
    demo.seed_demo(store)
    ids = build_world(store, partner_name="Eastside Tenants Union")
    accounts.create_account(store, "pseudo", STAFF_PASSWORD, "admin")
    everything = surveys.list_surveys(store)
    ids["answered"] = next(s for s in everything if s.attribution == "partner_type" and s.is_open).id
    ids["past_meeting"] = next(m for m in store.all(meetings.TABLE) if m["id"] != ids["meeting"])["id"]
    with serving(app):
        yield app, ids


STAFF_PAGES = [
    "/",
    "/dashboard",
    "/partners/",
    "/partners/new",
    "/partners/import",
    "/partners/types",
    "/admin/accounts",
    "/admin/accounts/{account}",
    "/account/password",
    "/surveys/",
    "/surveys/new",
    "/surveys/{survey}",
    "/surveys/{survey}/details",
    "/surveys/{survey}/questions/new",
    "/surveys/{survey}/share",
    "/surveys/{survey}/invitations",
    "/surveys/{answered}/results",
    "/surveys/{answered}/results?by=partner_type",
    "/meetings/",
    "/meetings/new",
    "/meetings/{meeting}",
    "/meetings/{meeting}/proposals/new",
    "/meetings/{meeting}/screen",
    "/meetings/{past_meeting}",
    "/meetings/{past_meeting}/minutes",
]
PARTICIPANT_PAGES = ["/login", "/join", "/receipt", "/s/{token}", "/m/{meeting_token}"]


def layout_problems(page):
    """The page's layout problems, once it has loaded and drawn its charts."""
    page.wait_for_load_state("load")
    charts_drawn(page)
    return page.evaluate(LAYOUT_PROBLEMS)


def tour(page, paths, ids):
    """Every path at a phone's and a desktop's width: ["size path: problem"]."""
    found = []
    for size_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        for path in paths:
            page.goto(path.format(**ids))
            found += [f"{size_name} {path}: {problem}" for problem in layout_problems(page)]
    return found


def test_longer_text_breaks_no_layout(browser, pseudo_app):
    app, ids = pseudo_app
    staff = browser.new_context(base_url=app.config["LIVE_URL"])
    participant = browser.new_context(base_url=app.config["LIVE_URL"])
    try:
        page = staff.new_page()
        problems = watch(page)
        page.goto("/login")
        page.get_by_label(pseudo("Username")).fill("pseudo")
        page.get_by_label(pseudo("Password")).fill(STAFF_PASSWORD)
        page.get_by_role("button", name=pseudo("Log in")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("pseudo")
        found = tour(page, STAFF_PAGES, ids)

        phone = participant.new_page()
        problems += watch(phone)
        # A seat first, so that the vote page shows the open round's ballot.
        phone.goto(f"/m/{ids['meeting_token']}")
        phone.get_by_label(pseudo("Partner organization")).select_option(index=1)
        phone.get_by_role("button", name=pseudo("Take my seat")).click()
        expect(phone.get_by_role("group", name=pseudo("Your stance")).get_by_role("radio").first).to_be_visible()
        found += tour(phone, PARTICIPANT_PAGES, ids)
    finally:
        staff.close()
        participant.close()
    assert not found, "layouts broken by longer text:\n" + "\n".join(found)
    assert not problems, f"browser console errors: {problems}"


def test_the_layout_check_finds_sideways_scrolling_and_cut_off_text(browser, pseudo_app):
    app, ids = pseudo_app
    context = browser.new_context(base_url=app.config["LIVE_URL"], viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/join")
        assert layout_problems(page) == []
        page.get_by_role("button").last.evaluate(
            "button => { button.classList.add('cut'); button.textContent = 'x'.repeat(400); }"
        )
        page.evaluate("""() => { const sheet = new CSSStyleSheet();
            sheet.replaceSync('.cut { overflow: hidden; white-space: nowrap; max-width: 5rem; }');
            document.adoptedStyleSheets = [sheet]; }""")
        cut = layout_problems(page)
        assert len(cut) == 1 and "is cut off" in cut[0], cut
        page.get_by_role("main").evaluate("main => { main.style.minWidth = '900px'; }")
        assert any("scrolls sideways" in problem for problem in layout_problems(page))
    finally:
        context.close()


def test_the_pseudo_locale_is_longer_accented_and_keeps_placeholders_and_plurals():
    catalog = pseudo_catalog()
    messages = [message for message in catalog if message.id]
    assert len(messages) > 500
    plurals = [message for message in messages if isinstance(message.id, tuple)]
    assert plurals and all(len(message.string) == 2 for message in plurals)
    assert pseudo("Your account (%(name)s)").count("%(name)s") == 1
    assert "%%" in pseudo("Supportive: %(share)s %%")
    text = "Keep this code if you want to check later that your response was counted."
    assert 1.3 * len(text) <= len(pseudo(text)) <= 1.5 * len(text)
    assert not set("aeiou") & set(pseudo("Save partner"))


def test_the_pseudo_locale_reaches_only_its_own_app(tmp_path):
    catalogs = write_pseudo_catalog(tmp_path / "pseudo-locale")
    pseudo_app = create_app({"DATA_DIR": str(tmp_path / "a"), "BABEL_TRANSLATION_DIRECTORIES": catalogs})
    plain_app = create_app({"DATA_DIR": str(tmp_path / "b")})
    for app, title in (
        (pseudo_app, pseudo("Set up Roundtable")),
        (plain_app, "Set up Roundtable"),
        (pseudo_app, pseudo("Set up Roundtable")),
    ):
        page = app.test_client().get("/setup", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert f"<title>{title} · Roundtable</title>" in page
