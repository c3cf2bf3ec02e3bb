"""The web interface: thin blueprints over the domain in ``roundtable``."""

import os


def register(app):
    """Bind extensions, blueprints, error handlers and commands to ``app``, in that order."""
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)


def register_extensions(app):
    """Translations, number formats, security, static files, logins and confirmations."""
    from . import assets, auth, confirm, formats, i18n, security

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "locales"))
    app.jinja_env.add_extension("jinja2.ext.do")
    i18n.init_app(app)
    formats.init_app(app)  # after Flask-Babel: its template gettext is replaced by one that writes numbers
    security.init_app(app)
    assets.init_app(app)
    auth.init_app(app)
    confirm.init_app(app)


def register_blueprints(app):
    """Every area's blueprint."""
    from . import admin, auth, dashboard, main, meetings, respond, results, roster, surveys, vote

    for module in (main, auth, admin, roster, surveys, respond, results, meetings, vote, dashboard):
        app.register_blueprint(module.bp)


def register_errorhandlers(app):
    """The translated error pages."""
    from . import errors

    errors.init_app(app)


def register_commands(app):
    """The ``flask`` commands."""
    from . import commands

    commands.init_app(app)
