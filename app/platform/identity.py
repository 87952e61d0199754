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
    """The roles that count for the user, as the security manager says (a role opening case data counts once its
    grant is confirmed)."""
    if not is_signed_in(user):
        return frozenset()
    return frozenset(role.name for role in current_app.appbuilder.sm.get_user_roles(user))
