"""Links for others to open: no code in any URL, and no address taken from a stranger's ``Host``.

Share pages, QR codes, invitation sheets and the meeting screen build links
that people open later on other devices. Those links start with
``PUBLIC_URL`` when it is set, and otherwise with a host this machine answers
to: a request sent with ``Host: evil.example`` never puts evil.example on a
page or in a QR code. Invitation links carry the code after ``#``, which
browsers never send, so no server or proxy log holds it.
"""

import datetime
import html
import io
import re

import pytest
import segno

from app import create_app
from roundtable import addresses, meetings, surveys

from .conftest import Staff, csrf_token

CODE = r"[A-HJKMNP-Z2-9]"
INVITATION = re.compile(rf"<span class=\"code\" dir=\"ltr\">({CODE}{{4}}-{CODE}{{4}})</span>")
EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}


def text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


def qr_svg(link, title):
    """The SVG Roundtable draws for a QR code of ``link``."""
    output = io.BytesIO()
    segno.make(link, error="m").save(output, kind="svg", scale=8, border=2, title=title)
    return output.getvalue()


def world(tmp_path, **config):
    """An app with an open invitations-only survey, a meeting, and a facilitator logged in."""
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True, **config})
    store = app.config["STORE"]
    survey = surveys.create_survey(
        store,
        {"en": "Check-in"},
        "en",
        "anonymous",
        None,
        invitations_only=True,
        questions=[{"kind": "yes_no", "text": {"en": "Good?"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")
    meeting = meetings.create_meeting(store, {"en": "Quarterly"}, datetime.date(2026, 6, 1))
    client = app.test_client()
    staff = Staff(app, client)
    staff.login("fran", "facilitator")
    return app, client, staff, survey, meeting


def invite(staff, survey, headers=None, **form):
    """Make two invitation codes on the staff page; (page text, codes)."""
    response = staff.post(
        f"/surveys/{survey.id}/invitations", {"count": "2", "partner": "", **form}, headers=headers or {}
    )
    assert response.status_code == 200
    page = text(response)
    return page, INVITATION.findall(page)


# -- no codes in URLs -------------------------------------------------------------


def test_invitation_links_carry_the_code_after_the_hash(tmp_path):
    _app, _client, staff, survey, _meeting = world(tmp_path)
    page, codes = invite(staff, survey)
    assert len(codes) == 2
    for code in codes:
        assert f"http://localhost/s/{survey.share_token}#invite={code}" in page
    assert "?invite=" not in page and "invite=" not in page.replace("#invite=", "")


def test_the_survey_page_takes_no_code_from_its_address(tmp_path):
    app, _client, staff, survey, _meeting = world(tmp_path)
    _page, (code, _other) = invite(staff, survey)
    participant = app.test_client()
    page = text(participant.get(f"/s/{survey.share_token}?invite={code}"))
    assert re.search(r'<input type="text" id="invitation" name="invitation" value=""', page)
    assert code not in page  # (not even in the language picker's return address)
    # Without JavaScript the form asks for the code, in a labelled field, with the script that fills it in.
    assert re.search(r'<label for="invitation">Your invitation code</label>', page)
    assert re.search(r'<script src="/static/js/invite\.[0-9a-f]{12}\.js" defer></script>', page)


def test_join_takes_no_code_from_its_address(tmp_path):
    app, _client, _staff, survey, meeting = world(tmp_path)
    participant = app.test_client()
    for code in (survey.join_code, meeting["join_code"]):
        response = participant.get(f"/join?code={code}")
        assert response.status_code == 200 and response.location is None
        page = text(response)
        assert code not in page and "Join with a code" in page  # (not even in the language picker's return address)
    # Typed and posted, it still leads to the survey.
    response = participant.post(
        "/join", data={"csrf_token": csrf_token(participant, "/join"), "code": survey.join_code}
    )
    assert response.status_code == 303 and response.location == f"/s/{survey.share_token}"


# -- links never carry a stranger's host -------------------------------------------


def every_link(app, client, staff, survey, meeting, headers):
    """(what, content) of every page or image that builds a link for others, fetched with ``headers``."""
    # The browser that sends this Host holds the facilitator's session (and its form token) for it.
    token = csrf_token(client, "/")
    session = client.get_cookie("session", domain="localhost")
    client.set_cookie("session", session.value, domain=headers["Host"].rsplit(":", 1)[0])
    invitations, _codes = invite(staff, survey, headers=headers, csrf_token=token)
    return {
        "share": text(client.get(f"/surveys/{survey.id}/share", headers=headers)),
        "survey qr": client.get(f"/surveys/{survey.id}/qr.svg", headers=headers).data,
        "invitations": invitations,
        "screen": text(client.get(f"/meetings/{meeting['id']}/screen", headers=headers)),
        "meeting qr": client.get(f"/meetings/{meeting['id']}/qr.svg", headers=headers).data,
    }


@pytest.mark.parametrize(
    "public_url, base", [(None, "http://localhost"), ("https://vote.example.org/", "https://vote.example.org")]
)
def test_a_strangers_host_never_reaches_a_link_or_qr_code(tmp_path, public_url, base):
    app, client, staff, survey, meeting = world(tmp_path, PUBLIC_URL=public_url)
    found = every_link(app, client, staff, survey, meeting, EVIL)
    for what in ("share", "invitations", "screen"):
        assert "evil.example" not in found[what], what
    assert f"{base}/s/{survey.share_token}" in found["share"]
    assert f"{base}/join" in found["share"] and f"{base}/join" in found["screen"]
    assert re.search(rf"{re.escape(base)}/s/{survey.share_token}#invite={CODE}{{4}}-{CODE}{{4}}", found["invitations"])
    assert found["survey qr"] == qr_svg(f"{base}/s/{survey.share_token}", "QR code of the survey link")
    assert found["meeting qr"] == qr_svg(f"{base}/m/{meeting['share_token']}", "QR code that opens the meeting")


def test_a_host_of_this_machine_is_kept_with_its_port(tmp_path):
    app, client, staff, survey, meeting = world(tmp_path)
    found = every_link(app, client, staff, survey, meeting, {"Host": "127.0.0.1:8000"})
    assert f"http://127.0.0.1:8000/s/{survey.share_token}" in found["share"]
    assert "http://127.0.0.1:8000/join" in found["screen"]
    assert found["meeting qr"] == qr_svg(
        f"http://127.0.0.1:8000/m/{meeting['share_token']}", "QR code that opens the meeting"
    )


def test_public_url_wins_over_a_trusted_host(tmp_path):
    app, client, staff, survey, meeting = world(tmp_path, PUBLIC_URL="https://vote.example.org")
    found = every_link(app, client, staff, survey, meeting, {"Host": "localhost:5000"})
    assert f"https://vote.example.org/s/{survey.share_token}" in found["share"]
    assert "localhost" not in found["share"] and "localhost" not in found["screen"]


# -- links phones in the room can open ---------------------------------------------

LAPTOP = "http://127.0.0.1:5000"  # the facilitator at the laptop that runs `flask --app app serve`
UNREACHABLE = (
    "Phones cannot reach this computer: it has no network address. Connect it to the room's Wi-Fi, "
    "or set ROUNDTABLE_PUBLIC_URL."
)


def from_the_laptop(app, client, staff, survey, meeting):
    """Every page and QR code that builds a link, as the facilitator sees them at ``LAPTOP``."""
    token = csrf_token(client, "/")
    client.set_cookie("session", client.get_cookie("session", domain="localhost").value, domain="127.0.0.1")
    sheet = client.post(
        f"/surveys/{survey.id}/invitations", base_url=LAPTOP, data={"count": "2", "partner": "", "csrf_token": token}
    )
    assert sheet.status_code == 200
    return {
        "share": text(client.get(f"/surveys/{survey.id}/share", base_url=LAPTOP)),
        "survey qr": client.get(f"/surveys/{survey.id}/qr.svg", base_url=LAPTOP).data,
        "invitations": text(sheet),
        "screen": text(client.get(f"/meetings/{meeting['id']}/screen", base_url=LAPTOP)),
        "meeting qr": client.get(f"/meetings/{meeting['id']}/qr.svg", base_url=LAPTOP).data,
    }


def test_at_the_laptop_links_and_qr_codes_use_its_lan_address(tmp_path, monkeypatch):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: ["192.168.1.23", "10.0.0.7"])
    _app, _client, _staff, survey, meeting = found_world = world(tmp_path)
    found = from_the_laptop(*found_world)
    base = "http://192.168.1.23:5000"
    assert f"{base}/s/{survey.share_token}" in found["share"] and f"{base}/join" in found["share"]
    assert found["survey qr"] == qr_svg(f"{base}/s/{survey.share_token}", "QR code of the survey link")
    assert re.search(rf"{re.escape(base)}/s/{survey.share_token}#invite={CODE}{{4}}-{CODE}{{4}}", found["invitations"])
    assert f"{base}/join" in found["screen"]
    assert found["meeting qr"] == qr_svg(f"{base}/m/{meeting['share_token']}", "QR code that opens the meeting")
    for what in ("share", "invitations", "screen"):
        assert "127.0.0.1" not in found[what] and "localhost" not in found[what], what
        assert UNREACHABLE not in found[what], what


def test_at_a_laptop_with_no_network_the_pages_say_phones_cannot_reach_it(tmp_path, monkeypatch):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: [])
    _app, _client, _staff, survey, _meeting = found_world = world(tmp_path)
    found = from_the_laptop(*found_world)
    for what in ("share", "invitations", "screen"):
        assert UNREACHABLE in found[what], what
    assert f"{LAPTOP}/s/{survey.share_token}" in found["share"]
    # Pages that build no link for others say nothing of it.
    assert UNREACHABLE not in text(found_world[1].get("/surveys/", base_url=LAPTOP))


def test_at_the_laptop_public_url_wins_over_its_lan_address(tmp_path, monkeypatch):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: ["192.168.1.23"])
    _app, _client, _staff, survey, meeting = found_world = world(tmp_path, PUBLIC_URL="https://vote.example.org")
    found = from_the_laptop(*found_world)
    assert "https://vote.example.org/s/" in found["share"] and "https://vote.example.org/join" in found["screen"]
    assert found["meeting qr"] == qr_svg(
        f"https://vote.example.org/m/{meeting['share_token']}", "QR code that opens the meeting"
    )
    for what in ("share", "invitations", "screen"):
        assert "192.168.1.23" not in found[what] and UNREACHABLE not in found[what], what
