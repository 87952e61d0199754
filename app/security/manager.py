"""The console's security manager: Flask-AppBuilder's, with sign-in, sessions and roles as trusted systems do them.

* **Sign-in** (form and API alike, ``auth_user_db``): failed attempts are limited per account name and per address,
  successes never counted, in Redis with an in-process fallback (``app.security.throttle``: a 429); after
  ``LOGIN_LOCKOUT_THRESHOLD`` failures in a row the account is locked for ``LOGIN_LOCKOUT_MINUTES`` from the
  failure that locked it (``AccountState.locked_until``, whenever the account was last edited). An unknown account,
  a wrong password and a locked account get the same answer after the same work: one password hash is checked on
  every path (a decoy hash for an unknown account), so neither the words nor the time tell that an account exists.
  Every attempt is in the audit log, with the true reason.
* **Sessions and tokens** end at sign-out, at a password change or reset, at deactivation and at a change of roles
  (``app.security.sessions``: the account's generation).
* **Roles** count as far as their grant is confirmed (``app.security.grants``): FAB's permission checks, the menu
  and the centre scope all read ``get_user_roles``.
* **Passwords** are judged by zxcvbn (Dropbox's estimator with its lists of common passwords, names and keyboard
  patterns): at least 10 characters and a score of 3 of 4.
* Alembic owns the schema and ``flask roles sync`` the roles: nothing is created at start-up.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from flask import abort, current_app, flash, g, has_request_context, request
from flask_appbuilder import expose
from flask_appbuilder.api import safe
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.forms import LoginForm_db
from flask_appbuilder.security.sqla.manager import SecurityManager as _FabSecurityManager
from flask_appbuilder.security.utils import is_null_password
from flask_appbuilder.security.views import AuthDBView, UserDBModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_in
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from app.domain.choices import AuditAction, GrantReason
from app.domain.roles import ALL_ROLES, PUBLIC
from app.extensions import db
from app.models import AccountState, StaffProfile
from app.platform import audit
from app.platform.identity import current_account, is_signed_in
from app.security import grants, sessions
from app.security.throttle import LoginThrottle, TooManyAttempts

# zxcvbn's dictionaries are English: the words a user of this console would reach for first are given as context
# (the console's own vocabulary, the region's towns, the Russian keyboard's first rows)
CONTEXT_WORDS = (
    "пароль",
    "социальное",
    "сопровождение",
    "специалист",
    "директор",
    "регистратор",
    "департамент",
    "территория",
    "кцсон",
    "югра",
    "хмао",
    "сургут",
    "ханты",
    "мансийск",
    "нижневартовск",
    "нефтеюганск",
    "йцукен",
    "фывапролд",
    "ячсмить",
)
MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash scenario"
TOO_MANY = _l("Too many failed sign-in attempts. Wait a few minutes and try again.")
WEAK_PASSWORD = _l(
    "The password is too easy to guess. Use at least 10 characters: several unrelated words, or letters, digits "
    "and signs that are not a common password, a name, a date or a keyboard pattern."
)


def password_policy(password: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: long enough, and not guessable by zxcvbn's estimate, which also knows
    the console's own words and the user's name and e-mail from the form being filled in."""
    password = password or ""
    hints = list(CONTEXT_WORDS)
    if has_request_context():
        hints += [v for k in ("username", "first_name", "last_name", "email") if (v := request.form.get(k))]
        user = current_account()
        if is_signed_in(user):
            hints += [user.username, user.first_name or "", user.last_name or "", user.email or ""]
    score = zxcvbn(password[:72], user_inputs=hints)["score"]  # zxcvbn reads at most 72 characters
    if len(password) < MIN_PASSWORD_LENGTH or score < MIN_PASSWORD_SCORE:
        raise PasswordComplexityValidationError(str(WEAK_PASSWORD))


class ConsoleSecurityApi(SecurityApi):
    """``/api/v1/security/login`` and ``/refresh`` answering every refusal in the API's one error shape; too many
    failures are a 429."""

    def response_400(self, message=None):
        return self._refusal(400, message or _("The request is not correct."), "invalid")

    def response_401(self):
        return self._refusal(401, _("Wrong user name or password."), "invalid_login")

    def response_500(self, message=None):
        if isinstance(sys.exc_info()[1], TooManyAttempts):
            return self._refusal(429, str(TOO_MANY), "too_many_attempts")
        return self._refusal(500, _("The server could not answer the request. The error is logged."), "server_error")

    def _refusal(self, status: int, message, rule: str):
        if isinstance(message, dict):  # marshmallow's {field: [messages]}
            field, errors = next(iter(message.items()))
            text = errors[0] if isinstance(errors, list) and errors else errors
            return self.response(status, message=str(text), rule=rule, field=str(field))
        return self.response(status, message=str(message), rule=rule, field=None)

    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        return super().login()


class ConsoleAuthDBView(AuthDBView):
    """The sign-in form; too many failures are answered with the form again, a message and 429."""

    @expose("/login/", methods=["GET", "POST"])
    def login(self):
        try:
            return super().login()
        except TooManyAttempts:
            flash(str(TOO_MANY), "danger")
            page = self.render_template(
                self.login_template, title=self.title, form=LoginForm_db(), appbuilder=self.appbuilder
            )
            return page, 429


class ConsoleUserDBModelView(UserDBModelView):
    """FAB's list of users with «да»/«нет» for the active flag (FAB prints ``True``)."""

    formatters_columns = {"active": lambda active: str(_l("yes") if active else _l("no"))}


class SecurityManager(_FabSecurityManager):
    security_api = ConsoleSecurityApi
    authdbview = ConsoleAuthDBView
    userdbmodelview = ConsoleUserDBModelView

    def create_db(self) -> None:
        """Never ``create_all`` behind Alembic's back; roles are created by ``flask roles sync``."""

    # --- who is signed in --------------------------------------------------------------------------------------

    def get_user_by_id(self, pk):
        """The signed-in user of every request in one statement: roles, groups, staff profile with its centre and
        confirmed grant, and the account's state (FAB's default loads each lazily, several statements a page)."""
        user = self.user_model
        query = (
            select(user)
            .where(user.id == pk)
            .options(
                joinedload(user.roles),
                joinedload(user.groups),
                joinedload(user.staff_profile).joinedload(StaffProfile.centre),
                joinedload(user.staff_profile).joinedload(StaffProfile.grant),
                joinedload(user.account_state),
            )
        )
        return self.session.scalars(query).unique().first()

    def create_login_manager(self, app):
        manager = super().create_login_manager(app)
        real_app = app._get_current_object() if hasattr(app, "_get_current_object") else app  # FAB passes the proxy
        user_logged_in.connect(_stamp_session, real_app, weak=False)
        return manager

    def load_user(self, pk):
        """A session's user, while the session belongs to the account's present generation."""
        try:
            user = self.get_user_by_id(int(pk))
        except (TypeError, ValueError):
            return None
        if user is None or not user.is_active or not sessions.session_is_current(user):
            return None
        return user

    def create_jwt_manager(self, app):
        manager = super().create_jwt_manager(app)
        manager.additional_claims_loader(sessions.token_claims)
        return manager

    def load_user_jwt(self, _jwt_header, jwt_data):
        """An API token's user, while the token belongs to the account's present generation."""
        try:
            user = self.get_user_by_id(int(jwt_data["sub"]))
        except (KeyError, TypeError, ValueError):
            return None
        if user is None or not user.is_active or not sessions.token_is_current(user, jwt_data):
            return None
        g.user = user
        return user

    def on_user_logout(self, user) -> None:
        """Signing out ends every session and token of the account."""
        sessions.next_epoch(user)
        db.session.commit()
        audit.record(AuditAction.LOGOUT, username=user.username)

    def reset_password(self, userid, password):
        """A new password ends the account's other sessions and tokens; set by somebody else (the administrator),
        it also waits for a second person's confirmation before it opens case data again."""
        try:
            user = self.get_user_by_id(int(userid))
        except (TypeError, ValueError):
            user = None
        if user is None:
            abort(404)  # the administrator's form names the user in its address: a wrong one is nobody
        super().reset_password(user.id, password)
        sessions.next_epoch(user)
        actor = current_account()
        own = is_signed_in(actor) and actor.id == user.id
        if not own:
            grants.suspend(user, GrantReason.PASSWORD_RESET)
        db.session.commit()  # the change itself is in the audit log (app.security.accounts), the hash masked
        if own and has_request_context():
            sessions.stamp_session(user)

    # --- which roles count ---------------------------------------------------------------------------------------

    def get_user_roles(self, user) -> list:
        """The roles that count: a role opening case data only as far as its grant is confirmed."""
        roles = super().get_user_roles(user)
        if not user.is_authenticated:
            return roles
        return [role for role in roles if grants.takes_effect(user, role.name)]

    def _has_access_builtin_roles(self, role, permission_name: str, view_name: str) -> bool:
        """The declared roles (``FAB_ROLES``) do not change while the app runs: each answer is worked out once.
        FAB matches every pattern of the role on each check, and a page's menu makes about thirty checks."""
        key = (role.name, permission_name, view_name)
        answers = self.__dict__.setdefault("_declared_access", {})
        if key not in answers:
            answers[key] = super()._has_access_builtin_roles(role, permission_name, view_name)
        return answers[key]

    def declared_roles_of(self, user) -> tuple[str, ...] | None:
        """The names of the roles that count for a signed-in ``user`` when all of them are declared ones (whose
        permissions do not change while the app runs): the same names see the same menu. ``None`` otherwise."""
        if not is_signed_in(user):
            return None
        names = tuple(sorted(role.name for role in self.get_user_roles(user)))
        return names if all(name in self.builtin_roles for name in names) else None

    def has_access(self, permission_name: str, view_name: str) -> bool:
        """Asked forty times and more on a page (every menu entry, every button), each time through the signed-in
        user's proxies and ORM state: within a request, each question is answered once for the user it was asked
        for (a sign-in or sign-out in the request asks again)."""
        if not has_request_context():
            return super().has_access(permission_name, view_name)
        user = (id(g.get("_login_user")), id(g.get("user")), g.get("_api_key_user", False))
        key = (*user, permission_name, view_name)
        answers = g.setdefault("_console_access", {})
        if key not in answers:
            answers[key] = super().has_access(permission_name, view_name)
        return answers[key]

    def sync_roles(self) -> list[str]:
        """Create the declared roles that are missing; idempotent. Returns the names created."""
        created = []
        for name in (*ALL_ROLES, PUBLIC):
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created

    # --- signing in ----------------------------------------------------------------------------------------------

    @property
    def login_throttle(self) -> LoginThrottle:
        throttle = self.__dict__.get("_login_throttle")
        if throttle is None:
            throttle = self.__dict__["_login_throttle"] = LoginThrottle(current_app.config)
        return throttle

    def _decoy_hash(self) -> str:
        """A hash made like the users' own, checked when there is no user's hash to check."""
        decoy = self.__dict__.get("_decoy")
        if decoy is None:
            method = current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
            decoy = self.__dict__["_decoy"] = generate_password_hash("no such account", method=method)
        return decoy

    def is_locked(self, user) -> bool:
        state = getattr(user, "account_state", None)
        until = state.locked_until if state is not None else None
        if until is None:
            return False
        if until.tzinfo is None:  # SQLite keeps the UTC time without its zone
            until = until.replace(tzinfo=UTC)
        return datetime.now(UTC) < until

    def _lock(self, user) -> None:
        state = user.account_state or db.session.get(AccountState, user.id)
        if state is None:
            state = AccountState(user_id=user.id, session_epoch=0)
            db.session.add(state)
        minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
        state.locked_until = datetime.now(UTC) + timedelta(minutes=minutes)
        user.account_state = state
        db.session.commit()

    def auth_user_db(self, username, password):
        """See the module's docstring: limits, lockout, one answer and one hash check for every failure."""
        username = (username or "").strip()[:256]
        if not username:
            return None
        address = request.remote_addr if has_request_context() else None
        self.login_throttle.check(username, address)
        user = self.find_user(username=username) or self.find_user(email=username)
        usable = user is not None and user.is_active and bool(user.password)
        matches = check_password_hash(user.password if usable else self._decoy_hash(), password or "")
        locked = user is not None and self.is_locked(user)
        if usable and matches and not locked and not is_null_password(password):
            self.update_user_auth_stat(user, True)
            audit.record(AuditAction.LOGIN, username=username[:100])
            return user
        self.login_throttle.failed(username, address)
        if user is None:
            reason = "unknown"
        elif not user.is_active:
            reason = "inactive"
        else:
            reason = "locked" if locked else "wrong_password"
        if user is not None:
            self.update_user_auth_stat(user, False)
            if not locked and (user.fail_login_count or 0) >= current_app.config["LOGIN_LOCKOUT_THRESHOLD"]:
                self._lock(user)
                reason = "locked_now"
        audit.record(AuditAction.LOGIN_FAILED, username=username[:100], changes={"reason": reason})
        return None


def _stamp_session(sender, user, **_kwargs) -> None:
    sessions.stamp_session(user)
