"""One submission is one step for the store: killed between its parts, a response is stored whole or not at all.

A survey response is three things: the response's line in its stream, the
digest of its client id in the survey's ``sent-responses`` set (so a retry is
not counted twice) and its receipt's digest in the ``receipts`` set. A child
process submits one response to a file store and is killed with SIGKILL at a
precise point between those parts (a fault injected by patching the store's
own functions in the child). The participant saw no answer, so its phone
sends the same form again. After that retry the store holds the response
once, with its receipt and its retry mark, every time: where the kill came
after the response was written, the retry is recognised as already received;
where it cut the write short, the retry is what is stored. No line of the
journal holds a receipt's digest afterwards.

Run: ``pytest tests/test_atomic_submission.py``.
"""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from roundtable import retries, surveys
from roundtable.store import FileStore

from .conftest import open_survey

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "atomic-submission-test-key"
CLIENT = "C" * 22

# Each point: where the child dies, and whether the response it was sending is then stored ("all") or not ("none").
POINTS = {
    # The batch is in the journal (the page cache outlives the process) but was never fsynced.
    "journal-written-not-synced": (
        "all",
        """
        real = os.fsync
        def fsync(fd):
            if os.readlink(f"/proc/self/fd/{fd}").endswith(".log"):
                os.kill(os.getpid(), signal.SIGKILL)
            real(fd)
        os.fsync = fsync
    """,
    ),
    "before-the-first-set": (
        "all",
        """
        real = sets.add
        def add(path, members):
            os.kill(os.getpid(), signal.SIGKILL)
        sets.add = add
    """,
    ),
    "between-the-two-sets": (
        "all",
        """
        real, calls = sets.add, []
        def add(path, members):
            calls.append(path)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
            real(path, members)
        sets.add = add
    """,
    ),
    "before-the-intent-is-erased": (
        "all",
        """
        from roundtable.store import files
        def erase_intent(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        files.erase_intent = erase_intent
    """,
    ),
    # A write cut short a little way into the batch's second line (SIGKILL can stop a write between pages).
    "journal-write-cut-short": (
        "none",
        """
        from roundtable.store import journal
        def write_all(fd, payload):
            os.write(fd, payload[:payload.index(b"\\n") + 20])
            os.kill(os.getpid(), signal.SIGKILL)
        journal.write_all = write_all
    """,
    ),
}

CHILD = """
import os, signal, sys
sys.path.insert(0, {root!r})
from roundtable import surveys
from roundtable.store import FileStore, sets
store = FileStore({store!r})
survey = surveys.get_survey(store, {survey!r})
{fault}
surveys.submit_response(store, survey, {{survey.questions[0].id: "crashed"}}, secret={secret!r}, client_id={client!r})
print("acknowledged", flush=True)
"""


@pytest.mark.parametrize("point", list(POINTS))
def test_a_submission_killed_between_its_parts_is_stored_whole_or_not_at_all(tmp_path, point):
    expected, fault = POINTS[point]
    root = str(tmp_path / "store")
    store = FileStore(root)
    survey = open_survey(store)
    qid = survey.questions[0].id
    first = surveys.submit_response(store, survey, {qid: "first"}, secret=SECRET, client_id="A" * 22)
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD.format(
                root=ROOT, store=root, survey=survey.id, secret=SECRET, client=CLIENT, fault=textwrap.dedent(fault)
            ),
        ],
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert b"acknowledged" not in child.stdout

    after = FileStore(root)  # a process started after the crash
    assert all(report.ok for report in after.check())
    # The participant saw no answer: the phone sends the same form again.
    if expected == "all":
        with pytest.raises(retries.AlreadyReceived):
            surveys.submit_response(after, survey, {qid: "crashed"}, secret=SECRET, client_id=CLIENT)
    else:
        assert surveys.submit_response(after, survey, {qid: "crashed"}, secret=SECRET, client_id=CLIENT)

    for reader in (after, FileStore(root), store):
        answers = sorted(r["answers"][qid] for r in reader.records(surveys.stream(survey.id)))
        assert answers == ["crashed", "first"], point
        receipts = reader.members(surveys.receipts_set(survey.id))
        assert len(receipts) == 2, point
        sent = reader.members(surveys.sent_responses_set(survey.id))
        assert retries.digest(SECRET, "response", survey.id, CLIENT) in sent and len(sent) == 2, point
    assert surveys.check_receipt(after, first, secret=SECRET) == survey
    # A retry recognised from the sets alone writes nothing; the next response completes what the crash left.
    surveys.submit_response(after, survey, {qid: "next"}, secret=SECRET, client_id="D" * 22)
    receipts = after.members(surveys.receipts_set(survey.id))
    sent = after.members(surveys.sent_responses_set(survey.id))
    journal, _ = after.stream_paths(surveys.stream(survey.id))
    with open(journal, "rb") as file:
        written = file.read()
    assert not [digest for digest in receipts | sent if digest.encode() in written], point
    assert all(report.ok and "unfinished" not in report.detail for report in after.check())
