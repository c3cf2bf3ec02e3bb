"""A submission sent again (bad Wi-Fi, a retry) is stored once: the store's ``append(..., once=...)``.

The store keeps the keyed digest of each submission's client id in an
unordered set, checked and added under the stream's lock, so duplicates that
race in threads or in processes land once, and a stale retry never lands.
"""

import datetime
import hashlib
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from roundtable import meetings, partners, retries, surveys
from roundtable.errors import InvalidInput
from roundtable.store import AlreadyStored, FileStore

from .conftest import open_survey

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGEST = "ab" * 32


def test_the_same_member_appends_once(store):
    store.append("votes", {"n": 1}, once=("votes-seen", DIGEST))
    with pytest.raises(AlreadyStored):
        store.append("votes", {"n": 2}, once=("votes-seen", DIGEST))
    assert [r["n"] for r in store.records("votes")] == [1]
    assert store.members("votes-seen") == {DIGEST}


def test_a_refused_guard_stores_no_member(store):
    def refuse():
        raise ValueError("closed")

    with pytest.raises(ValueError):
        store.append("votes", {"n": 1}, guard=refuse, once=("votes-seen", DIGEST))
    assert store.members("votes-seen") == set()
    store.append("votes", {"n": 2}, once=("votes-seen", DIGEST))
    assert [r["n"] for r in store.records("votes")] == [2]


def test_a_duplicate_is_recognised_before_the_guard(store):
    """A retry of a stored ballot after its round closed is still 'stored', not 'refused'."""
    store.append("votes", {"n": 1}, once=("votes-seen", DIGEST))

    def refuse():
        raise ValueError("closed")

    with pytest.raises(AlreadyStored):
        store.append("votes", {"n": 1}, guard=refuse, once=("votes-seen", DIGEST))


def test_duplicates_racing_in_threads_land_once(store):
    # Members are digests: their first digits choose their bucket, so they must look random.
    members = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(40)]
    outcomes = []

    def send():
        for member in members:
            try:
                store.append("votes", {"member": member}, once=("votes-seen", member))
                outcomes.append("stored")
            except AlreadyStored:
                outcomes.append("again")

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["member"] for r in store.records("votes")) == sorted(members)
    assert outcomes.count("stored") == len(members) and outcomes.count("again") == 5 * len(members)


SENDER = textwrap.dedent("""
    import hashlib
    import sys
    from roundtable.store import AlreadyStored, FileStore
    store = FileStore(sys.argv[1])
    stored = 0
    for n in range(150):
        try:
            store.append("votes", {"n": n}, once=("votes-seen", hashlib.sha256(str(n).encode()).hexdigest()))
            stored += 1
        except AlreadyStored:
            pass
    print(stored)
""")


def test_duplicates_racing_in_processes_land_once(tmp_path):
    root = str(tmp_path / "store")
    FileStore(root)
    processes = [
        subprocess.Popen([sys.executable, "-c", SENDER, root], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    stored = [int(p.communicate(timeout=120)[0]) for p in processes]
    assert sum(stored) == 150
    records = FileStore(root).records("votes")
    assert sorted(r["n"] for r in records) == list(range(150))
    assert all(r.status == "ok" for r in FileStore(root).check())


# -- ballots and responses, through the domain --------------------------------

SECRET = "the app's secret key"


def _ballot_setup(store):
    roster = [
        partners.add_partner(store, name, kind)
        for name, kind in [("Acme", "business"), ("Local 12", "labor"), ("Valley College", "semi_public")]
    ]
    meeting = meetings.create_meeting(
        store, {"en": "Board"}, datetime.date(2026, 6, 1), attending=[p.id for p in roster]
    )
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    token = meetings.take_seat(store, meeting["id"], SECRET, partner_id=roster[0].id)
    return meeting, proposal, meetings.seat_for(store, meeting["id"], SECRET, token)


def _my_ballots(store, meeting, proposal):
    return [r for r in store.records(meetings.ballots_stream(meeting["id"])) if r["proposal"] == proposal["id"]]


def test_a_ballot_sent_twice_is_stored_once(store):
    meeting, proposal, seat = _ballot_setup(store)
    meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="A" * 22, secret=SECRET)
    with pytest.raises(retries.AlreadyReceived):
        meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="A" * 22, secret=SECRET)
    assert [b["option"] for b in _my_ballots(store, meeting, proposal)] == ["agree"]


def test_a_stale_retry_never_overwrites_a_newer_stance(store):
    meeting, proposal, seat = _ballot_setup(store)
    meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="first-attempt-0001", secret=SECRET)
    meetings.cast_ballot(store, meeting["id"], seat, "disagree", client_id="second-attempt-002", secret=SECRET)
    with pytest.raises(retries.AlreadyReceived):
        meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="first-attempt-0001", secret=SECRET)
    [latest] = meetings.live_ballots(store, meeting["id"], proposal["id"], 1)
    assert latest["option"] == "disagree"
    assert len(_my_ballots(store, meeting, proposal)) == 2


def test_a_changed_stance_under_the_same_id_is_a_new_ballot(store):
    """A phone without JavaScript sends its page's id again: a different stance is still counted."""
    meeting, proposal, seat = _ballot_setup(store)
    meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="page-rendered-once", secret=SECRET)
    meetings.cast_ballot(store, meeting["id"], seat, "disagree", client_id="page-rendered-once", secret=SECRET)
    [latest] = meetings.live_ballots(store, meeting["id"], proposal["id"], 1)
    assert latest["option"] == "disagree"


def test_a_retry_after_the_close_is_answered_as_stored_but_a_new_ballot_is_refused(store):
    meeting, proposal, seat = _ballot_setup(store)
    meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="sent-before-close", secret=SECRET)
    meetings.close_round(store, meeting["id"])
    with pytest.raises(retries.AlreadyReceived):
        meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="sent-before-close", secret=SECRET)
    with pytest.raises(InvalidInput) as error:
        meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id="never-sent-before", secret=SECRET)
    assert error.value.code == "round_closed"


def test_a_ballot_kept_for_one_round_never_lands_in_the_next(store):
    meeting, proposal, seat = _ballot_setup(store)
    first = meetings.round_key(proposal["id"], 1)
    meetings.close_round(store, meeting["id"])
    meetings.open_round(store, meeting["id"], proposal["id"])
    with pytest.raises(InvalidInput) as error:
        meetings.cast_ballot(
            store, meeting["id"], seat, "agree", client_id="kept-on-the-phone", for_round=first, secret=SECRET
        )
    assert error.value.code == "round_closed"
    meetings.cast_ballot(
        store,
        meeting["id"],
        seat,
        "agree",
        client_id="kept-on-the-phone",
        secret=SECRET,
        for_round=meetings.round_key(proposal["id"], 2),
    )


@pytest.mark.parametrize("client_id", ["short", "x" * 65, "has space in it ok", "ünïcode-ünïcode-ü", ["a"]])
def test_a_malformed_client_id_is_refused(store, client_id):
    meeting, _, seat = _ballot_setup(store)
    with pytest.raises(InvalidInput) as error:
        meetings.cast_ballot(store, meeting["id"], seat, "agree", client_id=client_id, secret=SECRET)
    assert error.value.code == "client_id_invalid"


def test_a_response_sent_twice_is_stored_once_with_one_receipt(store):
    survey = open_survey(store)
    qid = survey.questions[0].id
    receipt = surveys.submit_response(store, survey, {qid: "hello"}, secret=SECRET, client_id="B" * 22)
    assert receipt
    with pytest.raises(retries.AlreadyReceived):
        surveys.submit_response(store, survey, {qid: "hello again"}, secret=SECRET, client_id="B" * 22)
    assert [r["answers"][qid] for r in store.records(surveys.stream(survey.id))] == ["hello"]
    assert len(store.members(surveys.receipts_set(survey.id))) == 1


def test_a_response_with_an_invitation_sent_twice_is_answered_as_stored(store):
    survey = open_survey(store, invitations_only=True)
    [code] = surveys.create_invitations(store, survey.id, 1)
    qid = survey.questions[0].id
    surveys.submit_response(store, survey, {qid: "hi"}, invitation=code, secret=SECRET, client_id="C" * 22)
    with pytest.raises(retries.AlreadyReceived):
        surveys.submit_response(store, survey, {qid: "hi"}, invitation=code, secret=SECRET, client_id="C" * 22)
    assert surveys.invitation_counts(store, survey.id) == (1, 1)
    assert len(store.records(surveys.stream(survey.id))) == 1


def test_responses_racing_with_one_id_are_stored_once(store):
    survey = open_survey(store)
    qid = survey.questions[0].id
    outcomes = []

    def send():
        try:
            outcomes.append(surveys.submit_response(store, survey, {qid: "hi"}, secret=SECRET, client_id="D" * 22))
        except retries.AlreadyReceived:
            outcomes.append("again")

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.records(surveys.stream(survey.id))) == 1
    assert outcomes.count("again") == 7


def _folder_bytes(root):
    found = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            with open(os.path.join(directory, name), "rb") as file:
                found[os.path.join(directory, name)] = file.read()
    return found


def test_the_data_folder_holds_no_client_id_and_no_order_of_them(tmp_path):
    """Client ids are kept only as keyed digests, in a set file whose order says nothing of arrival."""
    count, orders = 24, []
    for trial in range(3):
        store = FileStore(tmp_path / f"trial{trial}")
        survey = open_survey(store)
        qid = survey.questions[0].id
        ids = [f"client-id-number-{n:02d}" for n in range(count)]
        for n, client_id in enumerate(ids):
            surveys.submit_response(store, survey, {qid: f"answer {n:02d}"}, secret=SECRET, client_id=client_id)
        files = _folder_bytes(tmp_path / f"trial{trial}")
        for client_id in ids:
            assert not any(client_id.encode() in data for data in files.values()), client_id
        where = []
        for client_id in ids:
            digest = retries.digest(SECRET, "response", survey.id, client_id).encode()
            [(path, offset)] = [(p, data.index(digest)) for p, data in files.items() if digest in data]
            assert path == store.set_path(surveys.sent_responses_set(survey.id))
            where.append(offset)
        ranks = [sorted(where).index(place) for place in where]
        assert ranks != list(range(count)), "client ids are stored in submission order"
        orders.append(ranks)
        for record in store.records(surveys.stream(survey.id)):
            assert set(record) == {"answers", "day", "_id"}
    assert len({tuple(order) for order in orders}) == 3
