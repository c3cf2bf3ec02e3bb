"""bench/stand_ins.py: the stores the benchmarks compare against, on every backend.

``no_write`` must leave the store exactly as it was after a submission (so
that ``submit_vs_no_write`` compares a durable submission with the request
path alone), while the shipped app stores the response, its receipt and its
retry mark; the one-line stand-ins write to a file of their own, never the
store. Through the app's own form post, as the benchmarks send it.
"""

import os
import re
import sys

import pytest

from roundtable import surveys

from .conftest import CSRF

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
import stand_ins  # noqa: E402  (bench/ is not a package)

CLIENT_ID = re.compile(r'name="client_id" value="([A-Za-z0-9_-]+)"')


def submit(app):
    """An open anonymous survey and one complete response posted to it, with its client id; (survey, response)."""
    store = app.config["STORE"]
    survey = surveys.create_survey(
        store,
        {"en": "Check-in"},
        "en",
        "anonymous",
        None,
        questions=[{"kind": "short_text", "text": {"en": "One word?"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")
    client = app.test_client()
    page = client.get(f"/s/{survey.share_token}").get_data(as_text=True)
    before = store.version()
    response = client.post(
        f"/s/{survey.share_token}",
        data={
            "csrf_token": CSRF.search(page).group(1),
            "client_id": CLIENT_ID.search(page).group(1),
            f"q-{survey.questions[0].id}": "trust",
        },
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/thanks")
    return survey, before


def stored(store, survey):
    """(responses, receipts, retry marks) the store holds for ``survey``."""
    return (
        len(store.records(surveys.stream(survey.id))),
        len(store.members(surveys.receipts_set(survey.id))),
        len(store.members(surveys.sent_responses_set(survey.id))),
    )


def test_no_write_leaves_the_store_as_it_was(store, tmp_path):
    app = stand_ins.create("no_write", {"DATA_DIR": str(tmp_path / "data"), "STORE": store, "TESTING": True})
    survey, before = submit(app)
    assert stored(store, survey) == (0, 0, 0)
    assert store.version() == before


def test_shipped_stores_the_response_its_receipt_and_its_retry_mark(store, tmp_path):
    app = stand_ins.create("shipped", {"DATA_DIR": str(tmp_path / "data"), "STORE": store, "TESTING": True})
    survey, before = submit(app)
    assert stored(store, survey) == (1, 1, 1)
    assert store.version() != before


@pytest.mark.parametrize("kind", ["one_line", "one_write"])
def test_one_line_stand_ins_write_the_submission_to_their_own_file(store, tmp_path, kind):
    app = stand_ins.create(kind, {"DATA_DIR": str(tmp_path / "data"), "STORE": store, "TESTING": True})
    survey, before = submit(app)
    assert stored(store, survey) == (0, 0, 0)
    [log] = [name for name in os.listdir(tmp_path / "data") if name.startswith("one-line")]
    lines = (tmp_path / "data" / log).read_bytes().splitlines()
    assert len(lines) == 3 and b"trust" in lines[0]  # the response, its retry mark, its receipt's digest
