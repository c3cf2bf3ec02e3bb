"""Two production servers on one PostgreSQL database, as behind a load balancer.

Participants join on one server and answer on the other; a seat taken on A
votes through B; the facilitator's screen, served by the other, follows the
votes (a waiting screen on B is answered by a ballot stored through A). A
form sent twice, once to each server, is stored once. Nothing is lost,
nothing is counted twice, and both servers report the same counts. The
servers share no folder and no secret but the database: the key that signs
sessions, CSRF tokens and seats is the one kept there.
"""

import datetime
import json
import re
import threading

import pytest

from roundtable import accounts, meetings, partners, surveys

from .conftest import DATABASE_URL, PASSWORD
from .local_http import Browser, production_server

CLIENT_ID = re.compile(r'name="client_id" value="([^"]+)"')
ROUND = re.compile(r'name="round" value="([^"]+)"')


@pytest.fixture
def shared(postgres_store, tmp_path):
    """A partnership in the test database: six partners, a survey by partner, a meeting with an open round."""
    store = postgres_store
    store.reset_for_tests()
    accounts.create_account(store, "fran", PASSWORD, "facilitator")
    roster = [
        partners.add_partner(store, f"Partner {n}", kind)
        for n, kind in enumerate(["business", "labor", "cbo", "government", "foundation", "semi_public"], start=1)
    ]
    survey = surveys.create_survey(
        store,
        {"en": "After the retreat"},
        "en",
        "partner",
        None,
        questions=[{"kind": "yes_no", "text": {"en": "Was it useful?"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")
    meeting = meetings.create_meeting(
        store, {"en": "Monthly meeting"}, datetime.date.today(), attending=[p.id for p in roster[:3]]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Meet in the library from March."})
    meetings.open_round(store, meeting["id"], proposal["id"])
    return store, roster, survey, meetings.get_meeting(store, meeting["id"])


@pytest.fixture
def servers(shared, tmp_path):
    """Servers A and B: the production command, each with a data folder of its own, one database."""

    def environment(name):
        # No ROUNDTABLE_SECRET_KEY: each server takes the key kept in the database.
        return {
            "ROUNDTABLE_DATA_DIR": str(tmp_path / name),
            "ROUNDTABLE_DATABASE_URL": DATABASE_URL,
            "ROUNDTABLE_SECRET_KEY": None,
        }

    with production_server(environment("a"), seconds=180) as a, production_server(environment("b"), seconds=180) as b:
        yield a, b


def staff_on(base):
    """The facilitator, logged in on ``base``."""
    office = Browser(base)
    office.request("/login")
    status, _location, _page = office.request("/login", {"username": "fran", "password": PASSWORD})
    assert status == 303
    return office


def test_two_servers_on_one_database_lose_nothing_and_count_nothing_twice(shared, servers, monkeypatch):
    store, roster, survey, meeting = shared
    a, b = servers

    # Each partner joins the survey on A, answers on B (the form and session A made are valid there).
    for number, partner in enumerate(roster):
        phone = Browser(a)
        phone.request("/join")
        status, page = phone.follow("/join", {"code": survey.join_code})
        assert status == 200 and "Was it useful?" in page
        question = re.search(r'name="(q-[^"]+)"', page).group(1)
        answer = {
            "client_id": CLIENT_ID.search(page).group(1),
            "partner": partner.id,
            question: "yes" if number % 2 else "no",
        }
        on_b = phone.on(b)
        status, _location, _body = on_b.request(f"/s/{survey.share_token}", answer)
        assert status == 303, on_b.page[:2000]
        if number == 0:
            # The same form sent again, to A this time (a retry through the other server): stored once.
            status, _location, _body = phone.on(a).request(f"/s/{survey.share_token}", answer)
            assert status == 303
    assert len(store.records(surveys.stream(survey.id))) == len(roster)

    # Three partners take their seats on A and vote through B; the screen is on the other server.
    office_a, office_b = staff_on(a), staff_on(b)
    screen = f"/meetings/{meeting['id']}/live.json"
    for number, partner in enumerate(roster[:3]):
        phone = Browser(a)
        phone.request(f"/m/{meeting['share_token']}")
        status, page = phone.follow(f"/m/{meeting['share_token']}", {"partner": partner.id})
        assert status == 200 and "Meet in the library" in page
        ballot = {"option": "agree", "client_id": CLIENT_ID.search(page).group(1), "round": ROUND.search(page).group(1)}
        if number == 2:
            # B's screen waits (a long poll) while the last ballot goes through A: B hears of it from the database.
            status, _location, body = office_b.request(screen)
            etag = office_b.headers["ETag"]
            answered = {}
            waiter = threading.Thread(
                target=lambda: answered.update(
                    zip(
                        ("status", "location", "body"),
                        office_b.request(screen + "?wait=1", headers={"If-None-Match": etag}),
                    )
                )
            )
            waiter.start()
            status, _location, _body = phone.on(a).request(f"/m/{meeting['share_token']}/vote", ballot)
            waiter.join(timeout=30)
            assert status == 303
            assert answered["status"] == 200 and json.loads(answered["body"])["voted"] == 3
        else:
            status, _location, _body = phone.on(b).request(f"/m/{meeting['share_token']}/vote", ballot)
            assert status == 303
            # The same ballot again, through A: counted once.
            status, _location, _body = phone.on(a).request(f"/m/{meeting['share_token']}/vote", ballot)
            assert status == 303
        for office in (office_a, office_b):
            status, _location, body = office.request(screen)
            assert status == 200 and json.loads(body)["voted"] == number + 1

    # Closed on A, counted the same from both.
    status, _location, page = office_a.request(f"/meetings/{meeting['id']}")
    status, location, _body = office_a.request(f"/meetings/{meeting['id']}/close", {"confirmed": "1"})
    assert status == 303, _body[:500]
    results = [json.loads(office.request(screen)[2]) for office in (office_a, office_b)]
    assert results[0]["open"] is False and results[0] == results[1]
    closed = meetings.get_meeting(store, meeting["id"])["proposals"][0]["rounds"][0]
    assert closed["status"] == "closed" and closed["tally"]["ballots"] == 3
    assert sorted(b["partner"] for b in closed["ballots"]) == sorted(p.id for p in roster[:3])
