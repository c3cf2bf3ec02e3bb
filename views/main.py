"""The home page, the language picker and the health check."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from roundtable import accounts
from roundtable.languages import supported

from .helpers import cookie_flags, safe_next, store
from .i18n import LANGUAGE_COOKIE

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Setup on a fresh install; else the home page for visitors or staff."""
    if not accounts.has_accounts(store()):
        return redirect(url_for("auth.setup"))
    return render_template("main/index.html", user=current_user)


@bp.post("/language")
def language():
    """Remember the chosen language in a cookie and go back where the visitor was."""
    code = request.form.get("lang", "")
    back = safe_next(request.form.get("next"), url_for("main.index"))
    response = redirect(back, code=303)
    if supported(code):
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, **cookie_flags())
    return response


@bp.get("/health")
def health():
    """A bare route for load balancers and benchmarks."""
    return {"status": "ok"}


@bp.get("/help/counting")
def counting():
    """How a round's ballots, organizations and supportive share are counted (docs/consensus.md, in the app)."""
    return render_template("main/counting.html")
