"""The access log proof: a whole demo through the production server leaves no code in its log.

A reverse proxy's (or gunicorn's) access log keeps each request line, with the
visitor's address and the time beside it. So no address a participant requests
or is sent to may carry an invitation code, a receipt code, a join code, a seat
token or a response id. This test starts the README's production command
(gunicorn, two workers of four threads) on 127.0.0.1 with its access log
switched on, walks a facilitator and two participants through a survey with
invitations and a meeting vote over plain HTTP, and then reads that log.
"""

import contextlib
import datetime
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from app import create_app
from roundtable import accounts, meetings, partners, surveys

from .conftest import PASSWORD
from .local_http import Browser, production_server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODE = r"[A-HJKMNP-Z2-9]"
# (Before this test, links read "?invite=": accepted here so that the old code fails on its log, not on this.)
INVITATION_LINK = re.compile(rf'dir="ltr">(http://[^<"#?]+/s/[^<"#?]+[#?]invite=({CODE}{{4}}-{CODE}{{4}}))</span>')
RECEIPT = re.compile(rf"\b({CODE}{{6}}-{CODE}{{4}}-{CODE}{{4}}-{CODE}{{4}})\b")
SERVER_SECONDS = 120  # the server stops itself after this, whatever happens to the test


def prepare(data_dir):
    """The demo partnership (seed-demo, as the README says), plus a survey by invitation and an open round."""
    seeded = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "seed-demo"],
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "ROUNDTABLE_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
    )
    assert seeded.returncode == 0, seeded.stderr
    store = create_app({"DATA_DIR": str(data_dir)}).config["STORE"]
    accounts.create_account(store, "fran", PASSWORD, "facilitator")
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
    roster = partners.list_partners(store, active_only=True)
    meeting = meetings.create_meeting(
        store, {"en": "Monthly meeting"}, datetime.date.today(), attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Meet in the library from March."})
    meetings.open_round(store, meeting["id"], proposal["id"])
    return store, survey, meetings.get_meeting(store, meeting["id"]), roster


@contextlib.contextmanager
def logged_server(data_dir, access_log, error_log):
    """The README's gunicorn command on 127.0.0.1 with its access log on."""
    with production_server(
        {"ROUNDTABLE_DATA_DIR": str(data_dir)},
        "--access-logfile",
        str(access_log),
        "--error-logfile",
        str(error_log),
        seconds=SERVER_SECONDS,
        error_log=error_log,
    ) as base:
        yield base


def spellings(code):
    """The ways a code may be written: as shown, without dashes, in lower case."""
    bare = code.replace("-", "")
    return {code, bare, code.lower(), bare.lower()}


def test_a_whole_demo_leaves_no_code_in_the_access_log_or_any_address(tmp_path):
    data_dir, access_log, error_log = tmp_path / "data", tmp_path / "access.log", tmp_path / "error.log"
    store, survey, meeting, roster = prepare(data_dir)
    addresses = []
    with logged_server(data_dir, access_log, error_log) as base:
        # The facilitator shares the survey, prints invitations and shows the meeting screen.
        office = Browser(base, addresses)
        office.request("/login")
        assert office.request("/login", {"username": "fran", "password": PASSWORD})[0] == 303
        status, share = office.follow(f"/surveys/{survey.id}/share")
        assert status == 200 and f"/s/{survey.share_token}" in share
        assert office.request(f"/surveys/{survey.id}/qr.svg")[0] == 200
        office.request(f"/surveys/{survey.id}/invitations")
        status, _location, sheet = office.request(f"/surveys/{survey.id}/invitations", {"count": "2", "partner": ""})
        invitations = INVITATION_LINK.findall(sheet)
        assert status == 200 and len(invitations) == 2, sheet
        assert office.follow(f"/meetings/{meeting['id']}/screen")[0] == 200
        assert office.request(f"/meetings/{meeting['id']}/qr.svg")[0] == 200

        # A partner opens an invitation link: the browser sends the address without what follows "#",
        # and the page's script puts the code into the form, which is posted.
        link, invitation = invitations[0]
        address, _hash, fragment = link.partition("#")
        phone = Browser(base, addresses)
        opened = urllib.parse.urlsplit(address)
        assert phone.request(opened._replace(scheme="", netloc="").geturl())[0] == 200
        code = urllib.parse.parse_qs(fragment or opened.query)["invite"][0]
        answer = {f"q-{survey.questions[0].id}": "yes", "invitation": code}
        status, thanks = phone.follow(f"/s/{survey.share_token}", answer)
        receipt = RECEIPT.search(thanks).group(1)
        assert status == 200 and "Thank you" in thanks
        phone.request("/receipt")
        status, _location, checked = phone.request("/receipt", {"code": receipt})
        assert status == 200 and "Yes: a response with this receipt was counted" in checked
        phone.request("/join")
        assert phone.follow("/join", {"code": survey.join_code})[0] == 200

        # Another partner joins the meeting by its code, takes a seat and votes.
        seat = Browser(base, addresses)
        seat.request("/join")
        status, page = seat.follow("/join", {"code": meeting["join_code"].lower()})
        assert status == 200 and f"/m/{meeting['share_token']}" in seat.addresses[-1][1]
        status, page = seat.follow(f"/m/{meeting['share_token']}", {"partner": roster[0].id})
        seat_token = next(c.value for c in seat.cookies if c.name.startswith("seat_"))
        status, page = seat.follow(f"/m/{meeting['share_token']}/vote", {"option": "agree"})
        assert status == 200 and "Your vote is recorded" in page

    (response,) = store.records(surveys.stream(survey.id))
    secrets = {
        "survey join code": {survey.join_code, survey.join_code.lower()},
        "meeting join code": {meeting["join_code"], meeting["join_code"].lower()},
        "invitation codes": set().union(*(spellings(c) for _link, c in invitations)),
        "receipt code": spellings(receipt) | spellings(receipt[len(survey.join_code) + 1 :]),
        "seat token": {seat_token},
        "response id": {response["_id"]},
    }
    log = access_log.read_text()
    lines = log.splitlines()
    # The log is on and holds the walk: it can fail.
    assert len(lines) == 1 + len([path for what, path in addresses if what == "requested"])  # and /health
    assert f'"POST /s/{survey.share_token} HTTP/1.1" 303' in log
    assert f'"POST /m/{meeting["share_token"]}/vote HTTP/1.1" 303' in log
    found = [
        (what, secret, line)
        for what, spelled in secrets.items()
        for secret in spelled
        for line in lines + [path for _what, path in addresses] + error_log.read_text().splitlines()
        if secret in line
    ]
    assert found == []
