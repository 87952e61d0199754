"""Who may see which centre's records: one mechanism for views, API, actions, pages, reports and jobs.

A user's *scope* follows from the role and the staff profile:

* Director, Specialist, Registrar: the centre of their staff profile;
* Territory: the centres of their territory (read-only by role);
* Department: every centre (read-only by role);
* Admin: reference data of every centre, but no case data (DOMAIN.md §1, [D]);
* anybody without a centre, territory or regional role: nothing.

``scope_clause(model, scope)`` turns a scope into a SQL condition for any model;
``ScopedInterface`` (app/views/base.py) applies it to every query FAB makes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import false, or_, select, true
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import MANYTOONE
from sqlalchemy.sql.elements import ColumnElement

from app.domain.errors import RuleViolation
from app.extensions import db
from app.models import (
    Appeal,
    AppealDocument,
    AuditEntry,
    Centre,
    ChecklistItem,
    Citizen,
    Committee,
    CommitteeDecision,
    CommitteeMember,
    Consent,
    ControlEvent,
    HouseholdMember,
    Measure,
    MonthlyReport,
    Programme,
    Reminder,
    StaffProfile,
    Unit,
)
from app.security import roles

# Personal data of citizens and their cases: never shown to Admin by default.
CASE_MODELS = frozenset(
    {
        Citizen,
        HouseholdMember,
        Consent,
        Appeal,
        AppealDocument,
        Programme,
        Measure,
        ChecklistItem,
        ControlEvent,
        CommitteeDecision,
        Reminder,
    }
)


@dataclass(frozen=True)
class Scope:
    """The centres a user may see. ``centre_ids=None`` means every centre."""

    centre_ids: frozenset[int] | None
    territory_ids: frozenset[int] | None = None
    user_id: int | None = None
    case_data: bool = True
    responsible_only: bool = False  # a specialist changes only the programmes he or she is responsible for

    @classmethod
    def everything(cls) -> Scope:
        """For jobs and commands that act for the whole region."""
        return cls(centre_ids=None, territory_ids=None)

    @classmethod
    def nothing(cls, user_id: int | None = None) -> Scope:
        return cls(centre_ids=frozenset(), territory_ids=frozenset(), user_id=user_id, case_data=False)

    @property
    def unrestricted(self) -> bool:
        return self.centre_ids is None

    def allows_centre(self, centre_id: int | None) -> bool:
        return self.centre_ids is None or centre_id in self.centre_ids


def scope_for(user) -> Scope:
    """Compute the scope of a FAB user from roles and staff profile."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope.nothing()
    role_names = {role.name for role in user.roles}
    profile: StaffProfile | None = getattr(user, "staff_profile", None)
    if roles.DEPARTMENT in role_names:
        return Scope(centre_ids=None, territory_ids=None, user_id=user.id)
    if roles.TERRITORY in role_names and profile is not None and profile.territory_id is not None:
        ids = db.session.scalars(select(Centre.id).where(Centre.territory_id == profile.territory_id)).all()
        return Scope(frozenset(ids), frozenset({profile.territory_id}), user.id)
    if role_names & {roles.DIRECTOR, roles.SPECIALIST, roles.REGISTRAR} and profile and profile.centre_id:
        centre = db.session.get(Centre, profile.centre_id)
        territory = frozenset({centre.territory_id}) if centre else frozenset()
        responsible_only = roles.DIRECTOR not in role_names
        return Scope(frozenset({profile.centre_id}), territory, user.id, responsible_only=responsible_only)
    if roles.ADMIN in role_names:
        return Scope(centre_ids=None, territory_ids=None, user_id=user.id, case_data=roles.ADMIN_CASE_ACCESS)
    return Scope.nothing(user.id)


def current_scope() -> Scope:
    """The scope of the signed-in user, computed once per request."""
    if not has_request_context():
        return Scope.everything()
    cached = getattr(request, "_console_scope", None)
    if cached is None:
        with db.session.no_autoflush:  # may run mid-way through loading a record
            cached = request._console_scope = scope_for(current_account())
    return cached


def current_account():
    """The signed-in user of this request: the session's, or the API token's (FAB's own resolution)."""
    try:
        return current_app.appbuilder.sm.current_user
    except Exception:  # no valid JWT and no session: anonymous
        return getattr(g, "user", None)


def _in_centres(column, scope: Scope) -> ColumnElement:
    return column.in_(sorted(scope.centre_ids))


def scope_clause(model: type, scope: Scope) -> ColumnElement | None:
    """A WHERE condition limiting ``model`` to ``scope``; ``None`` when nothing needs limiting."""
    if model in CASE_MODELS and not scope.case_data:
        return false()
    if scope.unrestricted:
        return None
    builder = _CLAUSES.get(model)
    return builder(scope) if builder is not None else None


def _via(fk_column, parent_model: type):
    """Child rows whose parent (``fk_column`` → ``parent_model``) is in scope."""

    def build(scope: Scope) -> ColumnElement:
        parent_clause = scope_clause(parent_model, scope)
        if parent_clause is None:
            return true()
        return fk_column.in_(select(parent_model.id).where(parent_clause))

    return build


def _committee(scope: Scope) -> ColumnElement:
    territories = sorted(scope.territory_ids or ())
    return or_(_in_centres(Committee.centre_id, scope), Committee.territory_id.in_(territories))


_CLAUSES = {
    Centre: lambda s: _in_centres(Centre.id, s),
    Unit: lambda s: _in_centres(Unit.centre_id, s),
    Citizen: lambda s: _in_centres(Citizen.centre_id, s),
    Appeal: lambda s: _in_centres(Appeal.centre_id, s),
    Programme: lambda s: _in_centres(Programme.centre_id, s),
    MonthlyReport: lambda s: _in_centres(MonthlyReport.centre_id, s),
    AuditEntry: lambda s: _in_centres(AuditEntry.centre_id, s),
    StaffProfile: lambda s: _in_centres(StaffProfile.centre_id, s),
    Reminder: lambda s: Reminder.recipient_id == s.user_id,
    Committee: _committee,
    HouseholdMember: _via(HouseholdMember.citizen_id, Citizen),
    Consent: _via(Consent.citizen_id, Citizen),
    AppealDocument: _via(AppealDocument.appeal_id, Appeal),
    Measure: lambda s: _in_centres(Measure.centre_id, s),
    ChecklistItem: _via(ChecklistItem.programme_id, Programme),
    ControlEvent: _via(ControlEvent.programme_id, Programme),
    CommitteeDecision: _via(CommitteeDecision.programme_id, Programme),
    CommitteeMember: _via(CommitteeMember.committee_id, Committee),
    User: lambda s: User.id.in_(select(StaffProfile.user_id).where(StaffProfile.centre_id.in_(sorted(s.centre_ids)))),
}


def restrict(query, model: type, scope: Scope | None = None):
    """Limit a Query or Select over ``model`` to the scope (the current user's by default)."""
    clause = scope_clause(model, scope or current_scope())
    return query if clause is None else query.where(clause)


def in_scope(obj, scope: Scope | None = None) -> bool:
    """Is this loaded object inside the scope? Used to vet foreign ids sent by forms and the API."""
    scope = scope or current_scope()
    model = type(obj)
    clause = scope_clause(model, scope)
    if clause is None:
        return True
    return db.session.scalar(select(model.id).where(model.id == obj.id).where(clause)) is not None


def check_write_scope(item, scope: Scope | None = None) -> None:
    """Refuse a write that points outside the user's centres, or mixes two centres.

    Forms only offer in-scope choices, but a forged POST or an API call can send any
    foreign id (FAB's schema loads it unfiltered): every many-to-one target is vetted.
    """
    scope = scope or current_scope()
    if type(item) in CASE_MODELS and not scope.case_data:
        raise RuleViolation("wrong_centre")
    centres: set[int] = set()
    for rel in sa_inspect(type(item)).relationships:
        if rel.direction is not MANYTOONE:
            continue
        target = getattr(item, rel.key)
        if target is None:
            continue
        if not in_scope(target, scope):
            raise RuleViolation("wrong_centre", rel.key)
        if rel.key in ("centre", "citizen", "programme", "appeal"):
            centres.add(target.id if rel.key == "centre" else target.centre_id)
    if len(centres) > 1:
        raise RuleViolation("centre_mismatch")


def check_responsibility(item, scope: Scope | None = None) -> None:
    """Within a centre a specialist changes only own programmes (and their measures, ticks, events).

    A new programme without a responsible specialist becomes the creator's own.
    Reassigning a programme is the director's (who is not ``responsible_only``).
    """
    scope = scope or current_scope()
    if not scope.responsible_only:
        return
    programme = item if isinstance(item, Programme) else getattr(item, "programme", None)
    if programme is None:
        return
    if isinstance(item, Programme) and programme.specialist_id is None and programme.specialist is None:
        # the relationship, not the key: a form that sent "no specialist" set the relationship to None,
        # which would win over the key at flush
        programme.specialist = db.session.get(User, scope.user_id)
    specialist_id = programme.specialist.id if programme.specialist is not None else programme.specialist_id
    committed = inspect_history_value(programme, "specialist_id")
    if specialist_id != scope.user_id or (committed is not None and committed != scope.user_id):
        raise RuleViolation("not_responsible")


def inspect_history_value(obj, key: str):
    """The value of ``key`` as loaded from the database (``None`` for a new object)."""
    state = sa_inspect(obj)
    if state.transient or state.pending:
        return None
    history = state.attrs[key].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else None
