"""Take the README's screenshots: ``python docs/screenshots/make.py``.

Seeds the demo partnership into a temporary data directory, adds a meeting
with a round open and a few votes in, serves Roundtable on 127.0.0.1 (a free
port, in a thread, stopped at the end), and has Debian's Chromium (through
Playwright) photograph the main screens on a phone and on a desktop, in
English and in Arabic. The PNGs are written beside this script, at one device
pixel per CSS pixel to keep them small.
"""

import datetime
import os
import pathlib
import shutil
import sys
import tempfile
import threading

from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from roundtable import demo, meetings, partners, surveys  # noqa: E402
from tests.browser.drawing import charts_drawn  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
WALL = {"viewport": {"width": 1920, "height": 1080}}
SECRET = "screenshots"
STANCES = ["agree", "agree", "agree", "abstain", "agree", "disagree", "agree"]

PROPOSAL = {
    "en": "Share one intake form across all partners from next quarter, so that a job seeker tells their story once.",
    "es": "Compartir un solo formulario de admisión entre todos los socios a partir del próximo trimestre, para que "
    "quien busca empleo cuente su historia una sola vez.",
    "ar": "اعتماد استمارة تسجيل واحدة مشتركة بين جميع الشركاء اعتبارًا من الربع القادم، حتى لا يضطر الباحث عن عمل "
    "إلى رواية قصته إلا مرة واحدة.",
}
MEETING_TITLE = {"en": "Partnership board", "es": "Junta de la alianza", "ar": "مجلس الشراكة"}


def chromium():
    """Debian's Chromium, or the one named by ROUNDTABLE_CHROMIUM."""
    path = os.environ.get("ROUNDTABLE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    return path


def seed(store):
    """The demo partnership, plus a meeting whose first proposal has a round open and seven votes in."""
    credentials = demo.seed_demo(store)
    roster = partners.list_partners(store, active_only=True)
    meeting = meetings.create_meeting(
        store, MEETING_TITLE, datetime.date.today(), phase="planning", attending=[p.id for p in roster[:10]]
    )
    proposal = meetings.add_proposal(store, meeting["id"], PROPOSAL, method="stance")
    meetings.open_round(store, meeting["id"], proposal["id"])
    for partner, stance in zip(roster, STANCES):
        token = meetings.take_seat(store, meeting["id"], SECRET, partner_id=partner.id)
        meetings.cast_ballot(store, meeting["id"], meetings.seat_for(store, meeting["id"], SECRET, token), stance)
    everything = surveys.list_surveys(store)
    answering = next(s for s in everything if s.is_open and s.attribution == "partner_type")
    results = next(s for s in everything if s.status == "closed" and s.attribution == "partner_type")
    return credentials, {
        "meeting": meeting["id"],
        "meeting_token": meeting["share_token"],
        "survey": answering.share_token,
        "results": results.id,
        "builder": answering.id,
    }


class Server:
    """The app on 127.0.0.1, on a free port, in a thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


def context(browser, base_url, device, language):
    """A browser context of ``device`` that the app answers in ``language``."""
    made = browser.new_context(
        base_url=base_url, device_scale_factor=1, locale=language, reduced_motion="reduce", **device
    )
    made.add_cookies([{"name": "lang", "value": language, "url": base_url}])
    made.set_default_timeout(15000)
    return made


def shoot(page, name, start=None, end=None):
    """Save the page as ``name``.png beside this script: the window, or from ``start``'s top to ``end``'s bottom."""
    page.wait_for_load_state("networkidle")
    target = OUT / f"{name}.png"
    clip = None
    if end is not None:
        top = start.bounding_box()["y"] - 16 if start is not None else 0
        bottom = end.bounding_box()["y"] + end.bounding_box()["height"] + 16
        clip = {"x": 0, "y": top, "width": page.viewport_size["width"], "height": bottom - top}
    page.screenshot(path=str(target), full_page=clip is not None, clip=clip, animations="disabled", caret="hide")
    print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KiB")


def participant(browser, url, ids, language):
    """A participant's phone: the survey, then the vote page with a seat taken and a stance chosen."""
    with context(browser, url, PHONE, language) as phone:
        page = phone.new_page()
        page.goto(f"/s/{ids['survey']}")
        shoot(page, f"survey-phone-{language}")
        page.goto(f"/m/{ids['meeting_token']}")
        # A partner's seat belongs to one device: each language's phone speaks for another partner.
        page.locator("select#partner").select_option(index=8 if language == "en" else 9)
        page.locator("main form button[type=submit]").click()
        stances = page.locator("main input[type=radio]")
        expect(stances.first).to_be_visible()
        stances.first.check()
        shoot(page, f"vote-phone-{language}")


def staff(browser, url, ids, password, language):
    """The facilitator's and leader's desktop screens."""
    with context(browser, url, DESKTOP, language) as desktop:
        page = desktop.new_page()
        page.goto("/login")
        page.locator("input[name=username]").fill("admin")
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit], main form input[type=submit]").first.click()
        page.wait_for_url(f"{url}/")
        page.goto("/dashboard")
        charts_drawn(page)
        # From the top to the first chart: the headline figures, silent partners and coverage over time.
        shoot(page, f"dashboard-desktop-{language}", end=page.locator("main [data-figure]").first)
        if language != "en":
            return
        with desktop.browser.new_context(
            base_url=url, device_scale_factor=1, locale=language, storage_state=desktop.storage_state(), **WALL
        ) as wall:
            projector = wall.new_page()
            projector.goto(f"/meetings/{ids['meeting']}/screen")
            shoot(projector, "screen-projector-en")
        page.goto(f"/surveys/{ids['results']}/results")
        charts_drawn(page)
        first = page.locator("main section.result").first
        shoot(page, "results-desktop-en", end=first)
        page.goto(f"/surveys/{ids['builder']}")
        shoot(page, "builder-desktop-en")


def main():
    """Seed, serve, photograph, stop."""
    with tempfile.TemporaryDirectory(prefix="roundtable-screenshots-") as data:
        app = create_app({"DATA_DIR": data})
        credentials, ids = seed(app.config["STORE"])
        with Server(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
            try:
                for language in ("en", "ar"):
                    participant(browser, server.url, ids, language)
                    staff(browser, server.url, ids, credentials["admin"], language)
            finally:
                browser.close()
    total = sum(path.stat().st_size for path in OUT.glob("*.png"))
    print(f"{total // 1024} KiB in all")


if __name__ == "__main__":
    main()
