"""Error pages in the user's language inside the console's layout (menu, language switch), for 403, 404, 429 (the
login's rate limit too) and 500; the REST API answers its one error shape instead (``{message, rule, field}``).

A 500 page is rendered without touching the database when the layout itself cannot be drawn (the database may be
what failed): then a plain page in the user's language is sent.
"""

from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.platform.labels import RULE_MESSAGES

log = logging.getLogger(__name__)

PAGES = {
    400: (_l("The request cannot be processed"), _l("The page received data it cannot read. Go back and try again.")),
    403: (_l("No access"), _l("You have no access to this page. If you need it, ask your centre's director.")),
    404: (
        _l("Page not found"),
        _l("There is no such page, or the record belongs to another centre or has been deleted."),
    ),
    405: (_l("The request cannot be processed"), _l("This page cannot be opened this way.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts from your address in a short time. Wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The console could not complete the request. Nothing you saved before is lost; try again in a minute."),
    ),
}
# an HTTP status under /api/ → the rule code of the API's one error shape (its sentence: RULE_MESSAGES)
API_RULES = {
    400: "invalid",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_attempts",
    500: "server_error",
}


def api_refusal(status: int):
    """The API's one error shape for a status no API class answered itself."""
    rule = API_RULES.get(status, "server_error" if status >= 500 else "invalid")
    response = jsonify(message=str(RULE_MESSAGES[rule]), rule=rule, field=None)
    response.status_code = status
    return response


def _answer(status: int):
    title, text = PAGES[status]
    if request.path.startswith("/api/"):
        return api_refusal(status)
    appbuilder = current_app.appbuilder
    try:
        page = render_template(
            "errors/error.html",
            base_template=appbuilder.base_template,
            appbuilder=appbuilder,
            title=str(title),
            text=str(text),
            status=status,
        )
    except Exception:  # the layout needs the database and the user: when that fails, a plain page
        log.exception("error page without the layout")
        db.session.rollback()
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h1>{title}</h1><p>{text}</p><p><a href='/'>{_('Home')}</a></p></body></html>"
        )
    return page, status


def init_app(app) -> None:
    for status in PAGES:
        app.register_error_handler(status, lambda error, status=status: _answer(status))

    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPException):
            return error if error.code not in PAGES else _answer(error.code)
        log.exception("unhandled error", exc_info=error)
        db.session.rollback()
        return _answer(500)
