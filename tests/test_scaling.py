"""Choosing the store, the shared secret key, and moving a file store into PostgreSQL."""

import datetime
import os
import sys

import pytest

from app import create_app
from roundtable import meetings, partners, retries, surveys
from roundtable.settings import SettingsError
from roundtable.store import FileStore, MemoryStore
from roundtable.store.api import StoreUnavailableError, open_store
from roundtable.store.transfer import CopyRefused, copy_store, inventory

from .conftest import DATABASE_URL

GOOD_KEY = "k" * 40


def test_open_store_names_the_backend_from_the_url(tmp_path):
    assert isinstance(open_store(None, str(tmp_path)), FileStore)
    assert open_store(None, str(tmp_path)).root == str(tmp_path / "store")
    assert open_store(f"file://{tmp_path}/other").root == str(tmp_path / "other" / "store")
    assert isinstance(open_store("memory:"), MemoryStore)
    with pytest.raises(ValueError, match="mysql"):
        open_store("mysql://db/roundtable")


def test_an_unreachable_database_is_a_clear_store_error():
    with pytest.raises(StoreUnavailableError) as raised:
        open_store("postgresql://nobody:secret-password@127.0.0.1:1/none?connect_timeout=1")
    assert "127.0.0.1:1" in str(raised.value) and "secret-password" not in str(raised.value)


def test_without_psycopg_a_database_url_is_a_clear_store_error(monkeypatch):
    """The postgres extra not installed: the store says how to install it, not an ImportError."""
    for name in [m for m in sys.modules if m.startswith(("psycopg", "roundtable.store.postgres"))]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("psycopg", "psycopg_pool"):
        monkeypatch.setitem(sys.modules, name, None)  # import psycopg raises ImportError
    with pytest.raises(StoreUnavailableError, match="psycopg is not installed"):
        open_store("postgresql://postgres@127.0.0.1:9/none")


@pytest.mark.parametrize("value", ["20240101", "", "   ", "short-key", "true"])
def test_a_short_empty_or_json_looking_secret_key_stops_the_app_at_start(tmp_path, monkeypatch, value):
    """ROUNDTABLE_SECRET_KEY is text; 20240101 once became an integer and turned every form into a 500."""
    monkeypatch.setenv("ROUNDTABLE_SECRET_KEY", value)
    with pytest.raises(SettingsError, match="at least 32"):
        create_app({"DATA_DIR": str(tmp_path)})


def test_a_long_secret_key_is_read_as_text_even_when_it_parses_as_json(tmp_path, monkeypatch, client):
    digits = "1" * 40  # JSON would make it an integer
    monkeypatch.setenv("ROUNDTABLE_SECRET_KEY", digits)
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.config["SECRET_KEY"] == digits
    assert app.test_client().get("/setup").status_code == 200  # a form, signed with it


def test_the_app_stops_with_the_reason_when_started_by_flask_or_gunicorn(tmp_path):
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "ROUNDTABLE_SECRET_KEY": "20240101", "ROUNDTABLE_DATA_DIR": str(tmp_path)}
    ran = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "routes"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode != 0
    assert "Roundtable cannot start" in ran.stderr and "at least 32" in ran.stderr
    assert "Traceback" not in ran.stderr


def _filled(store):
    """A partnership with a survey's responses and receipts, and a closed round."""
    acme = partners.add_partner(store, "Acme", "business")
    partners.add_partner(store, "Local 12", "labor")
    survey = surveys.create_survey(
        store, {"en": "Check"}, "en", "partner", None, questions=[{"kind": "yes_no", "text": {"en": "Clear?"}}]
    )
    survey = surveys.set_status(store, survey.id, "open")
    question = survey.questions[0].id
    for answer in ("yes", "no", "yes"):
        answers, errors = surveys.validate_answers(survey, {question: [answer]})
        assert not errors
        surveys.submit_response(
            store, survey, answers, partner_id=acme.id, secret=GOOD_KEY, client_id=retries.new_client_id()
        )
    meeting = meetings.create_meeting(store, {"en": "Board"}, datetime.date(2026, 6, 1), attending=[acme.id])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt"})
    meetings.open_round(store, meeting["id"], proposal["id"])
    seat = meetings.take_seat(store, meeting["id"], GOOD_KEY, partner_id=acme.id)
    meetings.cast_ballot(store, meeting["id"], meetings.seat_for(store, meeting["id"], GOOD_KEY, seat), "agree")
    return meeting


def test_a_copy_carries_everything_and_is_verified(tmp_path, store):
    source = FileStore(tmp_path / "source")
    meeting = _filled(source)
    with pytest.raises(CopyRefused, match="round is open"):
        copy_store(source, store)
    meetings.close_round(source, meeting["id"])
    copied = copy_store(source, store)
    assert copied == inventory(source) == inventory(store)
    assert {part.split()[0] for part in copied} == {"table", "stream", "set"}
    with pytest.raises(CopyRefused, match="already holds data"):
        copy_store(source, store)


def test_the_copy_command_moves_a_data_folder_into_postgresql(tmp_path, postgres_store, runner):
    postgres_store.reset_for_tests()
    meeting = _filled(FileStore(tmp_path / "data" / "store"))
    meetings.close_round(FileStore(tmp_path / "data" / "store"), meeting["id"])
    done = runner.invoke(args=["store", "copy", f"file://{tmp_path}/data", DATABASE_URL])
    assert done.exit_code == 0, done.output
    assert "Copied and verified" in done.output and "sha256" in done.output
    assert inventory(postgres_store) == inventory(FileStore(tmp_path / "data" / "store"))
    again = runner.invoke(args=["store", "copy", f"file://{tmp_path}/data", DATABASE_URL])
    assert again.exit_code == 1 and "already holds data" in again.output


def test_on_postgresql_init_check_and_backup_say_what_they_do(tmp_path, postgres_store):
    postgres_store.reset_for_tests()
    app = create_app({"DATA_DIR": str(tmp_path), "STORE": open_store(DATABASE_URL)})
    runner = app.test_cli_runner()
    init = runner.invoke(args=["store", "init"])
    assert init.exit_code == 0 and "Schema ready" in init.output
    check = runner.invoke(args=["store", "check"])
    assert check.exit_code == 0 and "readable" in check.output
    backup = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert backup.exit_code == 1 and "pg_dump" in backup.output


def test_servers_without_a_key_share_the_one_the_database_keeps(tmp_path, postgres_store, monkeypatch):
    postgres_store.reset_for_tests()
    monkeypatch.delenv("ROUNDTABLE_SECRET_KEY", raising=False)
    keys = {
        create_app({"DATA_DIR": str(tmp_path / name), "STORE": open_store(DATABASE_URL)}).config["SECRET_KEY"]
        for name in ("a", "b")
    }
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert not os.path.exists(tmp_path / "a" / "secret_key")


def test_compacting_postgresql_leaves_no_order_or_transaction_id_that_links_a_receipt(tmp_path, postgres_store):
    """After `store compact`, a survey's responses and its receipts each share one transaction id, in random order."""
    postgres_store.reset_for_tests()
    app = create_app({"DATA_DIR": str(tmp_path), "STORE": open_store(DATABASE_URL)})
    _filled(postgres_store)
    survey = postgres_store.all(surveys.TABLE)[0]
    stream = surveys.stream(survey["id"])
    for _ in range(17):
        postgres_store.append(stream, {"answers": {}}, members=[("receipts-x", os.urandom(32).hex())])
    arrival = [r["_id"] for r in postgres_store.records(stream)]

    def transaction_ids():
        with postgres_store._connection() as conn:
            return (
                conn.execute(
                    "SELECT count(DISTINCT xmin::text) FROM rt_records WHERE stream = %s", (stream,)
                ).fetchone()[0],
                conn.execute("SELECT count(DISTINCT xmin::text) FROM rt_members").fetchone()[0],
            )

    assert transaction_ids() == (20, 20)  # each response, and its receipt, by the transaction that wrote them
    done = app.test_cli_runner().invoke(args=["store", "compact"])
    assert done.exit_code == 0, done.output
    assert transaction_ids() == (1, len(postgres_store.set_names()))  # one per stream, one per set
    assert [r["_id"] for r in postgres_store.records(stream)] != arrival
    assert sorted(r["_id"] for r in postgres_store.records(stream)) == sorted(arrival)
