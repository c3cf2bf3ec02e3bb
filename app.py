"""Roundtable's application factory: ``flask --app app run``."""

import os

from flask import Flask

from roundtable.addresses import public_base
from roundtable.settings import DEFAULTS, SettingsError, secret_key
from roundtable.store.api import open_store


def create_app(config=None):
    """Create the app; ``config`` overrides settings (tests pass a fresh DATA_DIR)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    config = dict(config or {})
    data_dir = config.get("DATA_DIR") or os.environ.get("ROUNDTABLE_DATA_DIR") or app.instance_path
    data_dir = os.path.abspath(data_dir)
    os.makedirs(data_dir, exist_ok=True)
    settings_file = os.path.join(data_dir, app.config["SETTINGS_FILE"])
    if os.path.exists(settings_file):
        import tomllib

        app.config.from_file(settings_file, load=tomllib.load, text=False)
    app.config.from_prefixed_env("ROUNDTABLE")
    if "ROUNDTABLE_SECRET_KEY" in os.environ:  # a string, even where it would parse as JSON (20240101)
        app.config["SECRET_KEY"] = os.environ["ROUNDTABLE_SECRET_KEY"]
    app.config.update(config)
    app.config["DATA_DIR"] = data_dir
    app.config["PUBLIC_URL"] = public_base(app.config.get("PUBLIC_URL"))  # a clear error now, not a bad link later
    if "STORE" not in app.config:
        app.config["STORE"] = open_store(app.config.get("DATABASE_URL"), data_dir)
    app.config["SECRET_KEY"] = secret_key(app.config.get("SECRET_KEY"), app.config["STORE"], data_dir)

    from views import register

    register(app)
    return app


def __getattr__(name):
    # ``app:app`` for flask and gunicorn, created on first use so that merely
    # importing create_app (as the tests do) touches no data directory.
    if name == "app":
        try:
            globals()["app"] = create_app()
        except SettingsError as error:
            raise SystemExit(f"Roundtable cannot start: {error}") from None
        return globals()["app"]
    raise AttributeError(name)
