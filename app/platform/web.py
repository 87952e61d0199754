"""Plain Flask hooks of the console: security headers every response gets, template helpers shared by all pages."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import Flask, request
from flask_babel import get_locale

from app.platform.labels import format_period

# FAB's templates carry inline scripts and styles, hence 'unsafe-inline'; everything else is same-origin only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def local_path(target: str | None, default: str) -> str:
    """``target`` if it is a path of this console (``/case/12#stage-2``), else ``default``: a redirect never leads to
    another site, whatever a form or a link sends as ``next`` (``//evil.example``, ``https://…``, ``/\\evil``)."""
    if not target or not isinstance(target, str) or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["ddmmyyyy"] = ddmmyyyy
    app.jinja_env.globals.update(format_period=format_period, current_lang=lambda: str(get_locale() or "ru"))

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("ENV_NAME") == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not request.path.startswith("/static/"):
            # pages, exports and files carry personal data: nothing is kept by the browser or a proxy
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response
