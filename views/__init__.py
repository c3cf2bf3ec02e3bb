"""The web interface: thin blueprints over the domain in ``roundtable``."""

import os


def register(app):
    """Bind extensions, blueprints, error handlers and commands to ``app``."""
    from . import (
        admin,
        assets,
        auth,
        commands,
        confirm,
        dashboard,
        errors,
        formats,
        i18n,
        main,
        meetings,
        respond,
        results,
        roster,
        security,
        surveys,
        vote,
    )

    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "locales")
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    i18n.init_app(app)
    formats.init_app(app)  # after Flask-Babel: its template gettext is replaced by one that writes numbers
    security.init_app(app)
    assets.init_app(app)
    auth.init_app(app)
    confirm.init_app(app)
    for module in (main, auth, admin, roster, surveys, respond, results, meetings, vote, dashboard):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    commands.init_app(app)
