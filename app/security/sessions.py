"""Sessions and API tokens that end when they should, and cookie-authenticated API writes that need the CSRF token.

Every account has a *generation* (``AccountState.session_epoch``). A session cookie is stamped with the generation
it was signed in under, an API token (JWT) carries it as a claim. Signing out, changing or resetting the password,
deactivating the account and changing its roles move the account to the next generation: every session and token
issued before — in any browser, any script — stops working at its next request. (Signing out therefore signs the
account out everywhere; an integration uses an account of its own.)

The REST API also accepts the browser's session cookie, for the console's own pages. A cross-site page could make
the browser send that cookie with a form post (``text/plain`` needs no preflight), so an API write authenticated
by the cookie must carry the session's CSRF token (``X-CSRFToken``) like every form; a write with a bearer token
needs none, as no other site can make a browser send one.
"""

from __future__ import annotations

from flask import Flask, jsonify, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.extensions import csrf, db
from app.models import AccountState

EPOCH_KEY = "_account_epoch"
EPOCH_CLAIM = "epoch"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# signing in and refreshing a token happen before any session or token to protect
NO_CSRF_PATHS = ("/api/v1/security/login", "/api/v1/security/refresh")

CSRF_MESSAGE = _l("The page that sent this request is not the console's: sign in again and repeat the action.")


def epoch_of(user) -> int:
    state = getattr(user, "account_state", None)
    return state.session_epoch if state is not None and state.session_epoch is not None else 0


def next_epoch(user) -> None:
    """Move the account to the next generation (the caller commits, or it happens within a flush)."""
    state = db.session.get(AccountState, user.id)
    if state is None:
        state = AccountState(user_id=user.id, session_epoch=0)
        db.session.add(state)
    state.session_epoch = (state.session_epoch or 0) + 1
    user.account_state = state


def stamp_session(user) -> None:
    """The session now belongs to the account's present generation (at sign-in, after one's own password change)."""
    session[EPOCH_KEY] = epoch_of(user)


def session_is_current(user) -> bool:
    return session.get(EPOCH_KEY, 0) == epoch_of(user)


def token_claims(identity) -> dict:
    """The claims an API token gets when issued: the account's generation."""
    from flask_appbuilder.security.sqla.models import User

    try:
        user = db.session.get(User, int(identity))
    except (TypeError, ValueError):
        user = None
    return {EPOCH_CLAIM: epoch_of(user) if user is not None else 0}


def token_is_current(user, jwt_data: dict) -> bool:
    return jwt_data.get(EPOCH_CLAIM, 0) == epoch_of(user)


def install(app: Flask) -> None:
    @app.before_request
    def cookie_api_writes_need_the_csrf_token():
        if not request.path.startswith("/api/") or request.method in SAFE_METHODS or request.path in NO_CSRF_PATHS:
            return None
        if not app.config.get("WTF_CSRF_ENABLED", True) or not current_user.is_authenticated:
            return None  # a bearer token, or nobody: the API answers that itself
        try:
            csrf.protect()
        except CSRFError:
            return jsonify(message=str(CSRF_MESSAGE), rule="csrf", field=None), 400
        return None
