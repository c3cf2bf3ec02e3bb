"""Roundtable's application factory: ``flask --app app run``."""

import os

from flask import Flask

from roundtable.addresses import public_base
from roundtable.settings import DEFAULTS, load_secret_key
from roundtable.store import FileStore


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
    app.config.update(config)
    app.config["DATA_DIR"] = data_dir
    app.config["PUBLIC_URL"] = public_base(app.config.get("PUBLIC_URL"))  # a clear error now, not a bad link later
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(data_dir)
    app.config.setdefault("STORE", FileStore(os.path.join(data_dir, "store")))

    from views import register

    register(app)
    return app


def __getattr__(name):
    # ``app:app`` for flask and gunicorn, created on first use so that merely
    # importing create_app (as the tests do) touches no data directory.
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)
