"""Changes of users, roles and groups: audited with who, what, before → after, and followed by what they mean.

Flask-AppBuilder's own tables carry no ``__policy__`` (its views are not the console's), so the audit of the
console's models does not see them: ``audit_changes`` writes their entries after every flush — a user's columns
(the password as "changed", never its hash; the sign-in counters left out), its roles and groups by name, a role's
name and permissions, a group's roles and members — with the flush's own connection, so they commit or roll back
with the change.

``follow_changes`` runs before every flush: a change that could open case data asks for a grant
(``app.security.grants``), and a change of roles, groups or deactivation moves the account to the next generation
of sessions and tokens (``app.security.sessions``), so what the account could do before ends at once.
"""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import Group, PermissionView, Role, User
from sqlalchemy import inspect

from app.domain.choices import AuditAction
from app.platform import audit
from app.security import grants, sessions

# what a user's row changes at every sign-in, and what is never written to the log
_NOISE = {"last_login", "login_count", "fail_login_count", "changed_on", "created_on", "changed_by_fk", "created_by_fk"}
_MASKED = {"password"}
ACCOUNT_MODELS = (User, Role, Group, PermissionView)


def follow_changes(session) -> None:
    grants.request_grants(session)
    ended: dict[int, User] = {}
    for obj in session.dirty:
        if isinstance(obj, User) and _ends_sessions(obj):
            ended[id(obj)] = obj
        elif isinstance(obj, Role):
            history = inspect(obj).attrs.user.history
            ended.update((id(u), u) for u in (*history.added, *history.deleted))
        elif isinstance(obj, Group):
            state = inspect(obj)
            users = state.attrs.users.history
            ended.update((id(u), u) for u in (*users.added, *users.deleted))
            if state.attrs.roles.history.has_changes():
                ended.update((id(u), u) for u in obj.users)
    for user in ended.values():
        if user.id is not None:
            sessions.next_epoch(user)


def _ends_sessions(user) -> bool:
    state = inspect(user)
    active = state.attrs.active.history
    deactivated = active.has_changes() and not user.active
    return deactivated or state.attrs.roles.history.has_changes() or state.attrs.groups.history.has_changes()


def audit_changes(session) -> None:
    """After a flush: an entry per created, changed or deleted user, role, group or permission."""
    rows = []
    for action, objects in (
        (AuditAction.CREATE, session.new),
        (AuditAction.UPDATE, session.dirty),
        (AuditAction.DELETE, session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, ACCOUNT_MODELS):
                continue
            changes = audit.changes_of(obj, skip=_NOISE, masked=_MASKED) if action != AuditAction.DELETE else {}
            if action == AuditAction.UPDATE and not changes:
                continue  # a sign-in's counters
            if action == AuditAction.DELETE:
                changes = {"name": [str(obj), None]}
            rows.append(audit.entry(action, obj, changes))
    audit.insert_entries(session, rows)
