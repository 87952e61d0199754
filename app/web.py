"""Plain Flask hooks of the console: security headers every response gets, template helpers."""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app, g

from app.domain.choices import ControlDecision, ControlKind, ProgrammeStatus
from app.labels import choice_label, format_period
from app.views.reminders import unread_count

# FAB's templates carry inline scripts and styles, hence 'unsafe-inline'; everything else is same-origin only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def register_web(app: Flask) -> None:
    from app.jobs import autoscan_if_due

    app.before_request(lambda: autoscan_if_due(app))
    app.jinja_env.filters["ddmmyyyy"] = _ddmmyyyy
    app.jinja_env.globals.update(
        format_period=format_period,
        unread_reminders=lambda: unread_count(current_app.appbuilder),
        has_role=lambda name: any(role.name == name for role in getattr(getattr(g, "user", None), "roles", [])),
        status_label=lambda code: choice_label(ProgrammeStatus, code),
        control_kind_label=lambda code: choice_label(ControlKind, code),
        control_decision_label=lambda code: choice_label(ControlDecision, code),
    )

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("ENV_NAME") == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
