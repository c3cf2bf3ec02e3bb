"""Small helpers the blueprints share: the store, safe redirects, cookie flags, domain errors on forms."""

from urllib.parse import urlsplit

from flask import abort, current_app, request

from .messages import message_for


def store():
    """The app's store."""
    return current_app.config["STORE"]


def or_404(thing):
    """``thing``, or a 404 when it is None."""
    if thing is None:
        abort(404)
    return thing


def safe_next(target, default="/"):
    """``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def cookie_flags():
    """The flags every cookie of ours carries: hidden from scripts, not sent cross-site, HTTPS-only behind HTTPS."""
    return {"httponly": True, "samesite": "Lax", "secure": request.is_secure}


def attach_error(form, error):
    """Show a domain ``InvalidInput`` on the form field it names (or the form)."""
    text = message_for(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [text]
    else:
        form.form_errors.append(text)
