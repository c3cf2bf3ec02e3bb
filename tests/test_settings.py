"""Settings: defaults, the data directory's settings.toml, the environment, the secret key."""

import os

from app import create_app
from roundtable.settings import SECRET_KEY_FILE, load_secret_key


def test_defaults(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.config["ANONYMITY_K"] == 3
    assert app.config["DEFAULT_LOCALE"] == "en"


def test_data_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_DATA_DIR", str(tmp_path / "here"))
    app = create_app()
    assert app.config["DATA_DIR"] == str(tmp_path / "here")
    assert (tmp_path / "here" / SECRET_KEY_FILE).exists()


def test_settings_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text('ANONYMITY_K = 5\nDEFAULT_LOCALE = "es"\n')
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.config["ANONYMITY_K"] == 5
    assert app.config["DEFAULT_LOCALE"] == "es"
    monkeypatch.setenv("ROUNDTABLE_ANONYMITY_K", "7")
    assert create_app({"DATA_DIR": str(tmp_path)}).config["ANONYMITY_K"] == 7


def test_default_locale_applies_without_a_preference(tmp_path):
    (tmp_path / "settings.toml").write_text('DEFAULT_LOCALE = "vi"\n')
    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    assert '<html lang="vi"' in client.get("/setup").get_data(as_text=True)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = create_app({"DATA_DIR": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"DATA_DIR": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / SECRET_KEY_FILE).read_text() == first
    assert os.stat(tmp_path / SECRET_KEY_FILE).st_mode & 0o077 == 0


def test_secret_keys_differ_between_installs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert load_secret_key(str(tmp_path / "a")) != load_secret_key(str(tmp_path / "b"))


def test_public_url_from_the_environment_is_checked_at_start(tmp_path, monkeypatch):
    from roundtable.addresses import BadPublicUrl

    monkeypatch.setenv("ROUNDTABLE_PUBLIC_URL", "https://vote.example.org/")
    assert create_app({"DATA_DIR": str(tmp_path)}).config["PUBLIC_URL"] == "https://vote.example.org"
    monkeypatch.setenv("ROUNDTABLE_PUBLIC_URL", "vote.example.org/?x=1")
    try:
        create_app({"DATA_DIR": str(tmp_path)})
    except BadPublicUrl as error:
        assert "PUBLIC_URL 'vote.example.org/?x=1' must start with http:// or https://" in str(error)
    else:
        raise AssertionError("a bad PUBLIC_URL was accepted")
    monkeypatch.delenv("ROUNDTABLE_PUBLIC_URL")
    assert create_app({"DATA_DIR": str(tmp_path)}).config["PUBLIC_URL"] is None
