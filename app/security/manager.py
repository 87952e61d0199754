"""The console's security manager.

* Alembic owns the schema and ``flask roles sync`` the roles: nothing is created at start-up.
* Logins and failed logins go to the audit log.
* After ``LOGIN_LOCKOUT_THRESHOLD`` failures in a row an account is locked for
  ``LOGIN_LOCKOUT_MINUTES`` (even the right password is refused meanwhile).
* The API login is rate-limited like the form login (FAB limits only the form).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager as _FabSecurityManager
from flask_appbuilder.security.views import UserDBModelView
from flask_appbuilder.utils.limit import Limit
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.choices import AuditAction
from app.domain.roles import ALL_ROLES, PUBLIC
from app.models.centres import StaffProfile
from app.platform import audit


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


class RateLimitedSecurityApi(SecurityApi):
    """``/api/v1/security/login`` with the same limit as the login form."""

    limits = [Limit(_auth_limit, key_func=get_remote_address, methods=("POST",))]


def password_policy(password: str) -> None:
    """At least 10 characters with letters and digits (FAB_PASSWORD_COMPLEXITY_VALIDATOR)."""
    if len(password) < 10 or not re.search(r"[A-Za-zА-Яа-яЁё]", password) or not re.search(r"\d", password):
        raise PasswordComplexityValidationError(
            _l("The password must have at least 10 characters, with letters and digits.")
        )


class ConsoleUserDBModelView(UserDBModelView):
    """FAB's list of users with «да»/«нет» for the active flag (FAB prints ``True``)."""

    formatters_columns = {"active": lambda active: str(_l("yes") if active else _l("no"))}


class SecurityManager(_FabSecurityManager):
    security_api = RateLimitedSecurityApi
    userdbmodelview = ConsoleUserDBModelView

    def create_db(self) -> None:
        """Never ``create_all`` behind Alembic's back; roles are created by ``flask roles sync``."""

    def get_user_by_id(self, pk):
        """The signed-in user of every request in one statement: roles, groups, staff profile and its centre
        (FAB's default loads each lazily, three to five statements on every page)."""
        user = self.user_model
        query = (
            select(user)
            .where(user.id == pk)
            .options(
                joinedload(user.roles),
                joinedload(user.groups),
                joinedload(user.staff_profile).joinedload(StaffProfile.centre),
            )
        )
        return self.session.scalars(query).unique().first()

    def _has_access_builtin_roles(self, role, permission_name: str, view_name: str) -> bool:
        """The declared roles (``FAB_ROLES``) do not change while the app runs: each answer is worked out once.
        FAB matches every pattern of the role on each check, and a page's menu makes about thirty checks."""
        key = (role.name, permission_name, view_name)
        answers = self.__dict__.setdefault("_declared_access", {})
        if key not in answers:
            answers[key] = super()._has_access_builtin_roles(role, permission_name, view_name)
        return answers[key]

    def sync_roles(self) -> list[str]:
        """Create the declared roles that are missing; idempotent. Returns the names created."""
        created = []
        for name in (*ALL_ROLES, PUBLIC):
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created

    def is_locked(self, user) -> bool:
        config = current_app.config
        if (user.fail_login_count or 0) < config["LOGIN_LOCKOUT_THRESHOLD"]:
            return False
        last_change = user.changed_on or datetime.min
        return datetime.now() - last_change < timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])

    def auth_user_db(self, username, password):
        user = self.find_user(username=username) if username else None
        if user is not None and self.is_locked(user):
            self.update_user_auth_stat(user, False)
            audit.record(AuditAction.LOGIN_FAILED, username=username, changes={"reason": "locked"})
            return None
        result = super().auth_user_db(username, password)
        action = AuditAction.LOGIN if result is not None else AuditAction.LOGIN_FAILED
        audit.record(action, username=(username or "")[:100])
        return result
