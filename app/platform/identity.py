"""Who is signed in on this request: the session's user or the API token's, as Flask-AppBuilder resolves it."""

from __future__ import annotations

from flask import current_app, g, has_request_context


def current_account():
    """The signed-in user of this request (``None`` or an anonymous user otherwise)."""
    if not has_request_context():
        return None
    try:
        return current_app.appbuilder.sm.current_user
    except Exception:  # no valid JWT and no session: anonymous
        return getattr(g, "user", None)


def is_signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def role_names(user) -> frozenset[str]:
    return frozenset(role.name for role in getattr(user, "roles", None) or ()) if is_signed_in(user) else frozenset()
