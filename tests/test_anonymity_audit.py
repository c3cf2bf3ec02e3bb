"""Anonymity audit: after a full demo, nothing says who took part or when, and k holds everywhere.

The demo goes through the web as people would. An administrator adds the
roster, builds three surveys through the forms, one per attribution mode
(fully anonymous, by partner type, by partner with one-time invitation
codes), opens them, and runs a meeting: a proposal, a round, the projector
screen and its live data, the close, a decision, the end of the meeting.
Five phones, each with its own recognizable address (``REMOTE_ADDR``,
``X-Forwarded-For``, ``X-Real-IP``, ``Forwarded``), user agent, language and
tracking cookie, join every survey and the meeting by typing the code,
answer, check their receipt, take a seat, vote, change their vote and
comment. A leader reads every results page, CSV and JSON, the minutes and the
dashboard. The store is then compacted.

Then every file under the data directory (raw bytes, with each secret also in
its JSON-escaped forms) and every log line (every record at DEBUG of every
logger, with its arguments and traceback, and everything written to stdout and
stderr) is searched for: the phones' addresses, user agents and tracking
cookies; their session cookies (whole and payload), seat tokens, CSRF tokens
(signed and raw) and receipt codes; and the wall-clock minutes during which
they submitted: ISO and other common formats, "HH:MM" within 40 characters of
the date, and the epoch seconds of every second in those minutes. Zero hits,
before and after compaction; and no record at INFO or above is made during
the demo at all (its own time would date a request). A planted secret of each
kind is found by the same search (the test of the test), and the development
server's request lines, which carry addresses and times, never reach a log.

k: with two responses (or ballots) of one partner type its breakdown is
withheld in the results page, the summary CSV and JSON, the response CSV and
JSON and the meeting minutes; with three it shows in each.

Run: ``pytest tests/test_anonymity_audit.py -q`` (about 10 s on a quiet machine).
"""

import csv
import datetime
import html
import io
import json
import logging
import os
import re
import threading
import time
import urllib.request

import pytest
from werkzeug.serving import make_server

from roundtable import meetings, partners, surveys

from . import conftest
from .conftest import csrf_token, data_files
from .meeting_fixtures import PROPOSAL_FORM

CODE = r"[A-HJKMNP-Z2-9]"
INVITATION = re.compile(rf'<span class="code" dir="ltr">({CODE}{{4}}-{CODE}{{4}})</span>')
RECEIPT = re.compile(rf"\b({CODE}{{6}}-{CODE}{{4}}-{CODE}{{4}}-{CODE}{{4}})\b")
ROSTER = [
    ("Acme Manufacturing", "business"),
    ("Local 12 Carpenters", "labor"),
    ("Valley Food Bank", "cbo"),
    ("County Workforce Board", "government"),
    ("Harbor Foundation", "foundation"),
]
LANGUAGES = ["es", "vi", "zh-CN", "ar", "en-US"]


def text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


class Phone:
    """A participant's phone: its own address, user agent, language and tracking cookie."""

    def __init__(self, app, number):
        self.client = app.test_client()
        self.address = f"198.51.100.{40 + number}"
        self.forwarded = f"203.0.113.{70 + number}"
        self.proxy = f"192.0.2.{90 + number}"
        self.agent = f'AuditPhone/{number}.7 (zebra-{number}; "quoted") ünïcørn-{number}'
        self.tracking = f"trk-{number}-c00kie-value"
        self.headers = {
            "User-Agent": self.agent,
            "X-Forwarded-For": f"{self.forwarded}, {self.proxy}",
            "X-Real-IP": self.forwarded,
            "Forwarded": f"for={self.proxy};proto=https",
            "Accept-Language": LANGUAGES[number % len(LANGUAGES)],
        }
        self.client.set_cookie("tracking", self.tracking)
        self.receipts = []
        self.tokens = []

    def get(self, path):
        """GET ``path`` from this phone."""
        return self.client.get(path, headers=self.headers, environ_base={"REMOTE_ADDR": self.address})

    def post(self, path, data):
        """POST ``data`` to ``path`` from this phone, with a CSRF token of its session."""
        token = conftest.CSRF.search(self.get("/join").get_data(as_text=True)).group(1)
        self.tokens.append(token)
        return self.client.post(
            path, data=dict(data, csrf_token=token), headers=self.headers, environ_base={"REMOTE_ADDR": self.address}
        )

    def join(self, code):
        """Type the code at /join; return the path it leads to."""
        response = self.post("/join", {"code": code.lower()})
        assert response.status_code == 303, text(response)
        return response.location


class Staff:
    """A staff member's browser, logged in through the form."""

    def __init__(self, app, username, role):
        self.client = app.test_client()
        conftest.Staff(app, self.client).login(username, role)

    def post(self, path, data=None, expect=303, **kwargs):
        """POST a form with the session's CSRF token; check the status."""
        data = dict(data or {}, csrf_token=csrf_token(self.client, "/"))
        response = self.client.post(path, data=data, **kwargs)
        assert response.status_code == expect, (path, text(response)[-1500:])
        return response

    def confirm(self, path, data=None):
        """POST an irreversible action, confirm it on the page that asks; check the status."""
        response = conftest.through_confirmation(self.client, self.post(path, data, expect=200))
        assert response.status_code == 303, (path, text(response)[-1500:])
        return response

    def get(self, path, expect=200):
        """GET ``path``; check the status."""
        response = self.client.get(path)
        assert response.status_code == expect, path
        return response


def new_survey(admin, title, attribution, invitations_only=False):
    """A survey built through the forms: an agreement question and a comment; opened."""
    data = {"title": title, "default_language": "en", "attribution": attribution, "intro": "", "closing": ""}
    if invitations_only:
        data["invitations_only"] = "y"
    survey_id = admin.post("/surveys/new", data).location.split("/")[2]
    admin.post(
        f"/surveys/{survey_id}/questions/new", {"kind": "agreement", "text": "We trust each other.", "required": "y"}
    )
    admin.post(f"/surveys/{survey_id}/questions/new", {"kind": "long_text", "text": "Anything else?"})
    admin.post(f"/surveys/{survey_id}/status/open")
    return survey_id


# -- the search ------------------------------------------------------------------------


def forms_of(secret):
    """``secret`` as it might be written: as is, and JSON-escaped (ASCII-only or not)."""
    return {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}


def minute_secrets(minutes):
    """What would date a submission to its minute, for each minute (a naive local or UTC datetime)."""
    found = {}
    for minute in minutes:
        for fmt in (
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%Y%m%dT%H%M",
            "%d/%b/%Y:%H:%M",
            "%a, %d %b %Y %H:%M",
            "%d/%m/%Y %H:%M",
            "%m/%d/%Y %H:%M",
            "%d.%m.%Y %H:%M",
        ):
            found[f"time {minute.strftime(fmt)}"] = minute.strftime(fmt)
    return found


def epoch_seconds(start, end):
    """Every epoch second (as text) of the minutes from ``start`` to ``end``."""
    first, last = int(start) // 60 * 60, int(end) // 60 * 60 + 59
    return {f"epoch {second}": str(second) for second in range(first, last + 1)}


def time_near_date(content, minutes):
    """Places where a minute's "HH:MM" appears within 40 characters of its date."""
    hits = []
    for minute in minutes:
        clock = minute.strftime("%H:%M")
        for date in {
            minute.strftime("%Y-%m-%d"),
            minute.strftime("%Y%m%d"),
            minute.strftime("%d/%m/%Y"),
            minute.strftime("%m/%d/%Y"),
        }:
            for match in re.finditer(re.escape(date), content):
                window = content[max(0, match.start() - 40) : match.end() + 40]
                if clock in window:
                    hits.append((clock, window))
    return hits


def search(app, logs, secrets, minutes):
    """Every place a secret, or a minute near its date, is found: (where, what)."""
    hits = []
    haystacks = [
        (os.path.relpath(path, app.config["DATA_DIR"]), content.decode("utf-8", "replace"))
        for path, content in data_files(app)
    ] + [(f"log line {i}", line) for i, line in enumerate(logs)]
    for where, content in haystacks:
        for what, secret in secrets.items():
            if any(form in content for form in forms_of(secret)):
                hits.append((where, what))
        hits.extend((where, f"time near the date: {clock}") for clock, _window in time_near_date(content, minutes))
    return hits


def log_lines(caplog, captured):
    """Every log record (message, arguments, traceback, extra fields) and everything printed.

    Left out: the time each record carries of its own (``created`` and the
    like), which a handler may print; that no record at INFO or above is made
    during the demo is checked separately.
    """
    own_time = {"created", "msecs", "relativeCreated", "asctime"}
    formatter = logging.Formatter("%(name)s %(levelname)s %(pathname)s %(message)s")
    lines = []
    for record in caplog.records:
        lines.append(formatter.format(record))
        lines.append(repr({key: value for key, value in record.__dict__.items() if key not in own_time}))
    return lines + captured.out.splitlines() + captured.err.splitlines()


def every_logger_at_debug(caplog):
    """Capture every record of every logger, from DEBUG up (restored after the test)."""
    caplog.set_level(logging.DEBUG)
    for name in set(logging.root.manager.loggerDict) | {"werkzeug", "flask.app", "app", "roundtable", "views"}:
        caplog.set_level(logging.DEBUG, logger=name)


def session_secrets(app, phone):
    """The phone's session cookie (whole, payload) and the raw CSRF token inside it."""
    cookie = phone.client.get_cookie("session")
    serializer = app.session_interface.get_signing_serializer(app)
    return {
        "session cookie": cookie.value,
        "session payload": cookie.value.lstrip(".").split(".")[0],
        "raw CSRF token": serializer.loads(cookie.value)["csrf_token"],
    }


# -- the demo ------------------------------------------------------------------------------


def demo(app, phones, moments):
    """The whole demo; ``moments`` collects the wall-clock time around every phone's submission."""
    store = app.config["STORE"]
    admin = Staff(app, "ada", "admin")
    for name, kind in ROSTER:
        admin.post("/partners/new", {"name": name, "type": kind, "active": "y"})
    roster = {p.name: p for p in partners.list_partners(store)}
    by_partner = new_survey(admin, "Spring check-in (by partner)", "partner", invitations_only=True)
    by_type = new_survey(admin, "Health check (by type)", "partner_type")
    anonymous = new_survey(admin, "Open feedback (anonymous)", "anonymous")
    page = admin.post(f"/surveys/{by_partner}/invitations", {"count": str(len(phones)), "partner": ""}, expect=200)
    invitations = INVITATION.findall(text(page))
    assert len(invitations) == len(phones)

    for number, phone in enumerate(phones):
        name, kind = ROSTER[number]
        for survey_id in (by_partner, by_type, anonymous):
            survey = surveys.get_survey(store, survey_id)
            path = phone.join(survey.join_code)
            assert phone.get(path).status_code == 200
            answers = {
                f"q-{survey.questions[0].id}": str(1 + number % 5),
                f"q-{survey.questions[1].id}": f"Comment from phone {number}",
            }
            if survey_id == by_partner:
                answers.update(partner=roster[name].id, invitation=invitations[number])
            elif survey_id == by_type:
                answers["partner_type"] = kind
            moments.append(time.time())
            response = phone.post(path, answers)
            moments.append(time.time())
            assert response.status_code == 303, text(response)[-1500:]
            receipt = RECEIPT.search(text(phone.get(response.location))).group(1)
            phone.receipts.append(receipt)
            assert phone.post("/receipt", {"code": receipt}).status_code == 200

    day = datetime.date.today().isoformat()
    meeting_id = admin.post(
        "/meetings/new",
        {"title": "Board retreat", "day": day, "default_language": "en", "attending": [p.id for p in roster.values()]},
    ).location.split("/")[2]
    admin.post(
        f"/meetings/{meeting_id}/proposals/new",
        {"text": "Adopt the vision", **PROPOSAL_FORM},
    )
    meeting = meetings.get_meeting(store, meeting_id)
    admin.post(f"/meetings/{meeting_id}/proposals/{meeting['proposals'][0]['id']}/open")
    for number, phone in enumerate(phones):
        path = phone.join(meeting["join_code"])
        moments.append(time.time())
        assert phone.post(path, {"partner": roster[ROSTER[number][0]].id}).status_code == 303
        assert phone.post(f"{path}/vote", {"option": "block"}).status_code == 303
        assert (
            phone.post(f"{path}/vote", {"option": "agree", "comment": f"Concern of phone {number}"}).status_code == 303
        )
        moments.append(time.time())
        phone.tokens.append(phone.client.get_cookie(f"seat_{meeting_id}", path=path).value)
        assert phone.get(f"{path}/state").status_code == 200
    admin.get(f"/meetings/{meeting_id}/screen")
    admin.get(f"/meetings/{meeting_id}/live.json")
    admin.confirm(f"/meetings/{meeting_id}/close")
    admin.post(
        f"/meetings/{meeting_id}/proposals/{meeting['proposals'][0]['id']}/decision",
        {"decision": "adopted", "rationale": "Everyone agreed"},
    )

    leader = Staff(app, "lee", "leader")
    for survey_id in (by_partner, by_type, anonymous):
        for by in ("", "partner_type", "partner"):
            leader.get(f"/surveys/{survey_id}/results?by={by}")
            leader.get(f"/surveys/{survey_id}/results.csv?by={by}")
            leader.get(f"/surveys/{survey_id}/results.json?by={by}")
        leader.get(f"/surveys/{survey_id}/responses.csv")
        leader.get(f"/surveys/{survey_id}/responses.json")
    for path in ("minutes", "minutes.md", "minutes.csv"):
        leader.get(f"/meetings/{meeting_id}/{path}")
    leader.get("/dashboard")
    leader.get("/dashboard.csv")
    admin.get("/surveys/")
    admin.get(f"/surveys/{by_partner}")
    admin.confirm(f"/meetings/{meeting_id}/end")


def test_a_full_demo_leaves_no_trace_of_who_took_part_or_when(app, caplog, capsys):
    every_logger_at_debug(caplog)
    phones = [Phone(app, number) for number in range(5)]
    moments = []
    records_before = len(caplog.records)
    demo(app, phones, moments)
    assert len(surveys.list_surveys(app.config["STORE"])) == 3

    secrets = {}
    for number, phone in enumerate(phones):
        secrets.update(
            {
                f"phone {number} address": phone.address,
                f"phone {number} forwarded address": phone.forwarded,
                f"phone {number} proxy address": phone.proxy,
                f"phone {number} user agent": phone.agent,
                f"phone {number} user agent word": f"zebra-{number}",
                f"phone {number} tracking cookie": phone.tracking,
            }
        )
        secrets.update({f"phone {number} {what}": value for what, value in session_secrets(app, phone).items()})
        secrets.update({f"phone {number} token {i}": token for i, token in enumerate(set(phone.tokens))})
        secrets.update({f"phone {number} receipt {i}": receipt for i, receipt in enumerate(phone.receipts)})
    local = {datetime.datetime.fromtimestamp(moment).replace(second=0, microsecond=0) for moment in moments}
    utc = {
        datetime.datetime.fromtimestamp(moment, datetime.UTC).replace(second=0, microsecond=0, tzinfo=None)
        for moment in moments
    }
    minutes = local | utc
    secrets.update(minute_secrets(minutes))
    secrets.update(epoch_seconds(min(moments), max(moments)))

    # Five phones' addresses, agents, cookies, tokens, seats and receipts, and every minute they submitted in.
    assert len([what for what in secrets if what.startswith("phone ")]) >= 5 * 14
    assert minutes and len([what for what in secrets if what.startswith("epoch ")]) >= 60
    logs = log_lines(caplog, capsys.readouterr())
    assert search(app, logs, secrets, minutes) == []
    # Compaction folds (and shuffles) every journal: the folded files are clean too.
    result = app.test_cli_runner().invoke(args=["store", "compact"])
    assert result.exit_code == 0, result.output
    assert search(app, logs, secrets, minutes) == []
    # Nothing is logged at INFO or above while the demo runs: no line whose own time would date a request.
    assert [r.getMessage() for r in caplog.records[records_before:] if r.levelno >= logging.INFO] == []


def test_the_search_finds_what_is_planted(app, caplog, capsys):
    """The test of the test: each kind of secret, planted in a data file or a log line, is found."""
    every_logger_at_debug(caplog)
    minute = datetime.datetime(2026, 11, 23, 14, 5)
    secrets = {
        "address": "203.0.113.77",
        "agent": 'Agent "quoted" ünï',
        **minute_secrets({minute}),
        **epoch_seconds(1795448700, 1795448700),
    }
    os.makedirs(app.config["DATA_DIR"], exist_ok=True)
    with open(os.path.join(app.config["DATA_DIR"], "planted.json"), "w", encoding="utf-8") as file:
        json.dump({"agent": secrets["agent"], "day": "2026-11-23", "note": "at 14:05", "at": 1795448712.25}, file)
    logging.getLogger("roundtable.audit").debug("request from %s", "203.0.113.77")
    print("2026-11-23T14:05:09 something happened")
    logs = log_lines(caplog, capsys.readouterr())
    hits = search(app, logs, secrets, {minute})
    assert ("planted.json", "agent") in hits
    assert ("planted.json", "time near the date: 14:05") in hits
    assert ("planted.json", "epoch 1795448712") in hits
    assert any(where.startswith("log line") and what == "address" for where, what in hits)
    assert any(where.startswith("log line") and what == "time 2026-11-23T14:05" for where, what in hits)
    assert not any(what == "address" for where, what in hits if where == "planted.json")


def test_the_development_server_logs_no_request_line(app, caplog):
    """``flask run``'s request lines carry the visitor's address and the time: they are dropped."""
    every_logger_at_debug(caplog)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/health", timeout=5) as response:
            assert response.status == 200
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert not thread.is_alive()
    lines = [record.getMessage() for record in caplog.records]
    assert not any("127.0.0.1" in line or "/health" in line for line in lines), lines


# -- k: withheld with two, shown with three --------------------------------------------------------


def breakdown_row(page, label):
    """The cells of the first breakdown table's row for ``label``."""
    table = re.findall(r'<table class="breakdown">(.*?)</table>', page, flags=re.S)[0]
    rows = dict(re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, flags=re.S))
    return rows[label]


@pytest.mark.parametrize("labor", [2, 3])
def test_k_holds_in_pages_csv_and_json(app, labor):
    """Labor answers ``labor`` times, business 3, cbo 4: labor (and, to protect it, business) withheld only with 2."""
    store = app.config["STORE"]
    admin = Staff(app, "ada", "admin")
    survey_id = new_survey(admin, "Health check", "partner_type")
    survey = surveys.get_survey(store, survey_id)
    plan = [("labor", "1", "Labor's own words")] * labor + [("business", "4", "")] * 3 + [("cbo", "5", "")] * 4
    phone = Phone(app, 0)
    for kind, agree, note in plan:
        response = phone.post(
            f"/s/{survey.share_token}",
            {f"q-{survey.questions[0].id}": agree, f"q-{survey.questions[1].id}": note, "partner_type": kind},
        )
        assert response.status_code == 303
    withheld = labor == 2
    leader = Staff(app, "lee", "leader")

    page = text(leader.get(f"/surveys/{survey_id}/results?by=partner_type"))
    for label in ("Labor", "Business"):
        assert ('class="withheld"' in breakdown_row(page, label)) is withheld, label
    assert 'class="withheld"' not in breakdown_row(page, "Community-based organization (not-for-profit)")

    rows = list(
        csv.reader(io.StringIO(text(leader.get(f"/surveys/{survey_id}/results.csv?by=partner_type")).lstrip("\ufeff")))
    )
    labor_rows = [row for row in rows if row[0] == "Labor"]
    assert labor_rows
    assert all(row[1].startswith("Withheld") for row in labor_rows) is withheld
    strongly_disagree = [row for row in labor_rows if row[2] == "Strongly disagree"]
    assert (strongly_disagree == []) is withheld
    if not withheld:
        assert strongly_disagree[0][3] == "3"

    groups = {
        g["group"]: g for g in leader.get(f"/surveys/{survey_id}/results.json?by=partner_type").get_json()["groups"]
    }
    assert groups["Labor"]["withheld"] is withheld and groups["Business"]["withheld"] is withheld
    assert (groups["Labor"]["questions"] == []) is withheld

    rows = list(csv.reader(io.StringIO(text(leader.get(f"/surveys/{survey_id}/responses.csv")).lstrip("\ufeff"))))
    attributions = [row[0] for row in rows[1:]]
    assert attributions.count("Labor") == (0 if withheld else labor)
    assert attributions.count("withheld") == (labor + 3 if withheld else 0)
    responses = leader.get(f"/surveys/{survey_id}/responses.json").get_json()["responses"]
    assert [r["partner_type"] for r in responses].count("Labor") == (0 if withheld else labor)
    for row in responses:
        if row["Anything else?"] == "Labor's own words":
            assert row["partner_type"] == ("withheld" if withheld else "Labor")

    # The meeting minutes break a round down by partner type under the same rule.
    meeting = meetings.create_meeting(store, {"en": "Board"}, datetime.date.today())
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    for kind, count in (("labor", labor), ("business", 3), ("cbo", 4)):
        for _seat in range(count):
            seat = app.test_client()
            token = csrf_token(seat, f"/m/{meeting['share_token']}")
            assert (
                seat.post(f"/m/{meeting['share_token']}", data={"csrf_token": token, "partner_type": kind}).status_code
                == 303
            )
            assert (
                seat.post(
                    f"/m/{meeting['share_token']}/vote",
                    data={"csrf_token": token, "option": "block" if kind == "labor" else "agree"},
                ).status_code
                == 303
            )
    admin.confirm(f"/meetings/{meeting['id']}/close")
    minutes = text(leader.get(f"/meetings/{meeting['id']}/minutes"))
    table = re.findall(r"<caption>Round 1 by partner type</caption>(.*?)</table>", minutes, flags=re.S)[0]
    rows = {
        re.sub(r"<[^>]+>", "", header): cells  # a type's name may sit in <bdi> (types can be user text)
        for header, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, flags=re.S)
    }
    for label in ("Labor", "Business"):
        assert ('class="withheld"' in rows[label]) is withheld, label
    assert 'class="withheld"' not in rows["Community-based organization (not-for-profit)"]
    if not withheld:
        assert re.findall(r"<td>(\d+)</td>", rows["Labor"]) == ["0", "0", "0", str(labor)]
