"""Damaged data files are refused by name and never overwritten; backups restore exactly.

Three files are damaged in turn — the documents file (``store/roundtable.json``),
and a survey's response stream: its journal (``streams/responses-ID.log``) and
its folded file (``streams/responses-ID.json``) — in each way a disk can
damage them: truncated, emptied, overwritten with garbage, or holding bytes
that are not UTF-8. Then, both in the running app (whose caches were warm
before the damage) and in a freshly started one:

- every page that needs that file answers 503 "Data could not be read", naming
  the file, never a 500; pages that do not need it still work;
- posts that would write to it are refused the same way (and nothing else
  about them is stored), while writes elsewhere go on;
- the log names the damaged file;
- ``flask --app app store check`` reports it as DAMAGED and exits 1, and
  ``store compact`` refuses it;
- and afterwards the damaged file's bytes are exactly what they were.

A journal's end is special: a cut after its last newline is what a crash
during an append leaves (a torn, never acknowledged line), and an empty
journal is what a fold leaves, so neither is damage (tests/test_store.py covers
torn tails). The journal cases here damage a line in the middle.

Backups: ``flask --app app backup`` then ``restore`` into an empty data
directory gives byte-identical files (store, journals, folded files, key,
settings) that read identically, and a damaged backup is refused before
anything is copied. tests/test_web.py covers the commands' basic use.

Run: ``pytest tests/test_corruption.py``.
"""

import datetime
import hashlib
import html
import os

import pytest

from app import create_app
from roundtable import meetings, partners, surveys
from roundtable.settings import SECRET_KEY_FILE
from roundtable.survey_templates import TEMPLATES

from .conftest import csrf_token

REFUSED = "Data could not be read"


def truncated(payload):
    """The first half of the file."""
    return payload[: len(payload) // 2]


def emptied(payload):
    """Zero bytes."""
    return b""


def garbage(payload):
    """Bytes that are no JSON at all."""
    return b"\x00\xff\xfe\x13 \x80\x81 this is not a store file\n\x00"


def invalid_utf8(payload):
    """One bit flipped in a string, so the bytes are no longer UTF-8 (the length is unchanged)."""
    at = payload.index(b'"') + 1
    return payload[:at] + bytes([payload[at] | 0x80]) + payload[at + 1 :]


def _middle_line(change):
    def damage(payload):
        lines = payload.split(b"\n")
        assert len(lines) >= 4, "the journal needs lines around the damaged one"
        # A record's line with lines around it (not the generation mark, nor an erased intent: neither holds data).
        at = next(i for i, line in enumerate(lines[1:-2], start=1) if b'"_id"' in line)
        lines[at] = change(lines[at])
        return b"\n".join(lines)

    damage.__doc__ = change.__doc__
    return damage


JSON_DAMAGE = {"truncated": truncated, "empty": emptied, "garbage": garbage, "invalid UTF-8": invalid_utf8}
JOURNAL_DAMAGE = {
    "truncated line": _middle_line(lambda line: line[: len(line) // 2]),
    "garbage line": _middle_line(lambda line: b"\x00\xff garbage " + line),
    "invalid UTF-8 line": _middle_line(lambda line: line[:2] + b"\xff" + line[2:]),
}
CASES = (
    [("documents", kind) for kind in JSON_DAMAGE]
    + [("folded", kind) for kind in JSON_DAMAGE]
    + [("journal", kind) for kind in JOURNAL_DAMAGE]
)


def text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


def digest(path):
    """The SHA-256 of a file's bytes."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


@pytest.fixture
def world(app, client, staff):
    """A partnership with a survey whose responses are partly folded, partly journalled, and a live meeting."""
    store = app.config["STORE"]
    staff.login("admin", "admin")
    partner = partners.add_partner(store, "Valley Community College", "semi_public")
    survey = surveys.set_status(store, surveys.create_from_template(store, TEMPLATES["health_check"]).id, "open")
    agreement = next(q for q in survey.questions if q.kind == "agreement")
    comment = next(q for q in survey.questions if q.kind == "long_text")
    for n in range(4):
        surveys.submit_response(
            store, survey, {agreement.id: n + 1, comment.id: f"folded answer {n}"}, secret=app.secret_key
        )
    store.fold(surveys.stream(survey.id))
    for n in range(4):
        surveys.submit_response(
            store, survey, {agreement.id: 5 - n, comment.id: f"journalled answer {n}"}, secret=app.secret_key
        )
    meeting = meetings.create_meeting(store, {"en": "Board"}, datetime.date(2026, 11, 23), attending=[partner.id])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    seat = meetings.take_seat(store, meeting["id"], app.config["SECRET_KEY"], partner_id=partner.id)
    # The round's first ballot freezes its electorate in the meeting's document; later ballots touch only the
    # ballot stream, so the documents' bytes can be compared below.
    meetings.cast_ballot(
        store, meeting["id"], meetings.seat_for(store, meeting["id"], app.config["SECRET_KEY"], seat), "agree"
    )
    journal, folded = store.stream_paths(surveys.stream(survey.id))
    paths = {"documents": store.documents_path, "journal": journal, "folded": folded}
    assert all(os.path.getsize(path) for path in paths.values())
    survey_page, vote_page = f"/s/{survey.share_token}", f"/m/{meeting['share_token']}"
    client.set_cookie(f"seat_{meeting['id']}", seat)
    # Forms are loaded before the damage, as a visitor's open page would be.
    tokens = {"survey": csrf_token(client, survey_page), "vote": csrf_token(client, vote_page)}
    results = f"/surveys/{survey.id}"
    return {
        "store": store,
        "paths": paths,
        "survey": survey,
        "agreement": agreement,
        "comment": comment,
        "meeting": meeting,
        "tokens": tokens,
        "survey_page": survey_page,
        "vote_page": vote_page,
        # Pages that read the survey's responses, and pages that do not.
        "stream_pages": [
            results + "/results",
            results + "/results.csv",
            results + "/results.json",
            results + "/responses.csv",
            results + "/responses.json",
            "/dashboard",
            "/dashboard.csv",
        ],
        "other_pages": [survey_page, vote_page, "/partners/", "/meetings/"],
    }


def restarted(app, client, world):
    """A second app on the same data directory (a restarted server), with the same visitor's cookies."""
    fresh = create_app({"DATA_DIR": app.config["DATA_DIR"], "TESTING": True})
    visitor = fresh.test_client()
    for name in ("session", f"seat_{world['meeting']['id']}"):
        visitor.set_cookie(name, client.get_cookie(name).value)
    return fresh, visitor


def post_response(client, world, marker):
    """A participant's complete answers to the survey."""
    return client.post(
        world["survey_page"],
        data={
            "csrf_token": world["tokens"]["survey"],
            f"q-{world['agreement'].id}": "3",
            f"q-{world['comment'].id}": marker,
        },
    )


def post_ballot(client, world, marker):
    """A participant's ballot in the open round."""
    return client.post(
        world["vote_page"] + "/vote", data={"csrf_token": world["tokens"]["vote"], "option": "agree", "comment": marker}
    )


def assert_refused(response, file_name):
    """A clear 503 naming the damaged file."""
    assert response.status_code == 503, response.status_code
    page = text(response)
    assert REFUSED in page and file_name in page


@pytest.mark.parametrize("target, kind", CASES)
def test_damaged_file_is_refused_by_name_and_left_alone(app, client, runner, world, caplog, target, kind):
    path = world["paths"][target]
    damage = JSON_DAMAGE.get(kind) or JOURNAL_DAMAGE[kind]
    with open(path, "rb") as file:
        damaged = damage(file.read())
    with open(path, "wb") as file:
        file.write(damaged)
    # Nothing refused may land anywhere: the stream's files and the documents keep their bytes.
    before = {name: digest(other) for name, other in world["paths"].items()}
    file_name = os.path.join(os.path.basename(os.path.dirname(path)), os.path.basename(path))
    store = world["store"]
    ballots = meetings.ballots_stream(world["meeting"]["id"])

    for server, visitor in ((app, client), restarted(app, client, world)):
        caplog.clear()
        if target == "documents":
            needed, working = world["stream_pages"] + world["other_pages"] + ["/", "/login"], []
        else:
            needed, working = world["stream_pages"], world["other_pages"]
        for page in needed:
            assert_refused(visitor.get(page), file_name)
        for page in working:
            assert visitor.get(page).status_code == 200, page
        # A participant's answers would go into the damaged file (or need it): refused, nothing stored.
        assert_refused(post_response(visitor, world, f"refused answer {server is app}"), file_name)
        ballot = post_ballot(visitor, world, f"ballot {server is app}")
        if target == "documents":
            assert_refused(ballot, file_name)
        else:
            # The meeting's ballots live in other files, which keep working.
            assert ballot.status_code == 303, ballot.status_code
            assert [b["comment"] for b in store.records(ballots)].count(f"ballot {server is app}") == 1
        assert f"refusing damaged store file {path}" in [r.getMessage().split(":")[0] for r in caplog.records]
        assert not [r for r in caplog.records if r.exc_info or r.getMessage() == "unexpected error"]

    check = runner.invoke(args=["store", "check"])
    assert check.exit_code == 1
    assert f"DAMAGED   {path}:" in check.output
    assert [line for line in check.output.splitlines() if line.startswith("DAMAGED")] == [
        line for line in check.output.splitlines() if path in line
    ]
    if target != "documents":
        # Folding would rewrite the stream's files: refused, by name.
        compact = runner.invoke(args=["store", "compact"])
        assert compact.exit_code == 1 and path in compact.output and "Compacted" not in compact.output
    assert {name: digest(other) for name, other in world["paths"].items()} == before
    assert not [name for name in os.listdir(os.path.dirname(path)) if name.endswith(".tmp")]


def test_journal_bit_flip_is_refused_after_a_restart(app, client, runner, world):
    """Damage that keeps a journal's length, in lines this process already read, is found when the file is read anew."""
    path = world["paths"]["journal"]
    with open(path, "rb") as file:
        damaged = _middle_line(lambda line: invalid_utf8(line))(file.read())
    with open(path, "wb") as file:
        file.write(damaged)
    fresh, visitor = restarted(app, client, world)
    file_name = os.path.join("streams", os.path.basename(path))
    assert_refused(visitor.get(world["stream_pages"][0]), file_name)
    assert_refused(post_response(visitor, world, "after the flip"), file_name)
    assert runner.invoke(args=["store", "check"]).exit_code == 1
    with open(path, "rb") as file:
        assert file.read() == damaged


def data_directory_files(data_dir):
    """{relative path: bytes} of every file a backup carries (lock files hold nothing)."""
    found = {}
    for directory, _dirs, names in os.walk(data_dir):
        for name in names:
            if name.endswith(".lock"):
                continue
            path = os.path.join(directory, name)
            with open(path, "rb") as file:
                found[os.path.relpath(path, data_dir)] = file.read()
    return found


def test_backup_and_restore_are_byte_identical(app, client, world, runner, tmp_path):
    with open(os.path.join(app.config["DATA_DIR"], app.config["SETTINGS_FILE"]), "w", encoding="utf-8") as file:
        file.write("ANONYMITY_K = 3\n")
    assert post_ballot(client, world, "in the backup").status_code == 303  # a ballot journal too
    store = world["store"]
    original = data_directory_files(app.config["DATA_DIR"])
    assert {SECRET_KEY_FILE, app.config["SETTINGS_FILE"], "store/roundtable.json"} <= set(original)
    assert {os.path.relpath(p, app.config["DATA_DIR"]) for p in world["paths"].values()} <= set(original)

    destination = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(destination)]).exit_code == 0
    fresh = create_app({"DATA_DIR": str(tmp_path / "restored"), "TESTING": True})
    result = fresh.test_cli_runner().invoke(args=["restore", str(destination)])
    assert result.exit_code == 0, result.output

    assert data_directory_files(fresh.config["DATA_DIR"]) == original
    restored = create_app({"DATA_DIR": str(tmp_path / "restored"), "TESTING": True}).config["STORE"]
    assert restored.streams() == store.streams()
    for name in store.streams():
        assert restored.records(name) == store.records(name)
    for table in ("accounts", "partners", "surveys", "meetings", "seats"):
        assert restored.all(table) == store.all(table)
    assert all(report.ok for report in restored.check())
    # The restored server has the same key: the same session and seat still work there.
    _server, visitor = restarted(fresh, client, world)
    assert visitor.get(f"/surveys/{world['survey'].id}/results").status_code == 200
    assert post_ballot(visitor, world, "after the restore").status_code == 303


@pytest.mark.parametrize("target", ["documents", "journal", "folded"])
def test_damaged_backup_is_refused_before_anything_is_copied(app, world, runner, tmp_path, target):
    destination = tmp_path / "backup"
    assert runner.invoke(args=["backup", str(destination)]).exit_code == 0
    relative = os.path.relpath(world["paths"][target], os.path.join(app.config["DATA_DIR"], "store"))
    damaged = destination / "store" / relative
    damaged.write_bytes(
        truncated(damaged.read_bytes()) if target != "journal" else JOURNAL_DAMAGE["garbage line"](damaged.read_bytes())
    )
    fresh = create_app({"DATA_DIR": str(tmp_path / "restored"), "TESTING": True})
    key = (tmp_path / "restored" / SECRET_KEY_FILE).read_bytes()
    result = fresh.test_cli_runner().invoke(args=["restore", str(destination)])
    assert result.exit_code != 0
    assert "The backup is damaged" in result.output and str(damaged) in result.output
    assert fresh.config["STORE"].files() == []
    assert (tmp_path / "restored" / SECRET_KEY_FILE).read_bytes() == key
