"""Who may see which centre's records: one mechanism for views, API, actions, pages, reports and jobs.

A user's *scope* follows from the role and the staff profile:

* Director, Specialist, Registrar: the centre of their staff profile;
* Territory: the centres of their territory (read-only by role);
* Department: every centre (read-only by role);
* Admin: reference data of every centre, but no case data (DOMAIN.md §1, [D]);
* anybody without a centre, territory or regional role: nothing.

``scope_clause(model, scope)`` turns a scope into a SQL condition for any model, from the model's declaration
(``__policy__``, ``app.models.policy``); ``ScopedInterface`` (``app.fab.interface``) applies it to every query FAB
makes, and every custom page, job and report asks ``restrict`` or ``in_scope``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import false, or_, select, true
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import MANYTOONE
from sqlalchemy.sql.elements import ColumnElement

from app.domain import roles
from app.domain.errors import RuleViolation
from app.extensions import db
from app.models import Centre, Programme, StaffProfile
from app.models.base import stored_value
from app.models.policy import ByCentre, ByCentreOrTerritory, ByParent, ByRecipient, policy_of
from app.platform.identity import current_account, is_signed_in
from app.security.grants import effective_role_names


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
    if not is_signed_in(user):
        return Scope.nothing()
    role_names = effective_role_names(user)  # a case role counts once a second person confirmed it
    profile: StaffProfile | None = getattr(user, "staff_profile", None)
    if roles.DEPARTMENT in role_names:
        return Scope(centre_ids=None, territory_ids=None, user_id=user.id)
    if roles.TERRITORY in role_names and profile is not None and profile.territory_id is not None:
        ids = db.session.scalars(select(Centre.id).where(Centre.territory_id == profile.territory_id)).all()
        return Scope(frozenset(ids), frozenset({profile.territory_id}), user.id)
    if role_names & roles.CENTRE_ROLES and profile and profile.centre_id:
        centre = db.session.get(Centre, profile.centre_id)
        territory = frozenset({centre.territory_id}) if centre else frozenset()
        responsible_only = roles.DIRECTOR not in role_names
        return Scope(frozenset({profile.centre_id}), territory, user.id, responsible_only=responsible_only)
    if roles.ADMIN in role_names:
        return Scope(centre_ids=None, territory_ids=None, user_id=user.id, case_data=False)
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


def is_case_data(model: type) -> bool:
    policy = policy_of(model)
    return policy is not None and policy.case_data


def scope_clause(model: type, scope: Scope) -> ColumnElement | None:
    """A WHERE condition limiting ``model`` to ``scope``; ``None`` when nothing needs limiting."""
    if is_case_data(model) and not scope.case_data:
        return false()
    policy = policy_of(model)
    rows = policy.rows if policy is not None else None
    if model is User:
        rows = _USERS
    if isinstance(rows, ByRecipient):  # own rows, whoever the user is
        return getattr(model, rows.column) == scope.user_id
    if scope.unrestricted or rows is None:
        return None
    if isinstance(rows, ByCentre):
        return _in_centres(getattr(model, rows.column), scope)
    if isinstance(rows, ByCentreOrTerritory):
        territories = sorted(scope.territory_ids or ())
        return or_(_in_centres(getattr(model, rows.centre), scope), getattr(model, rows.territory).in_(territories))
    if isinstance(rows, ByParent):
        relationship = sa_inspect(model).relationships[rows.relationship]
        parent = relationship.mapper.class_
        parent_clause = scope_clause(parent, scope)
        if parent_clause is None:
            return true()
        (foreign_key,) = relationship.local_columns
        return foreign_key.in_(select(parent.id).where(parent_clause))
    if rows is _USERS:
        return User.id.in_(select(StaffProfile.user_id).where(_in_centres(StaffProfile.centre_id, scope)))
    raise TypeError(f"unknown row scope {rows!r} of {model.__name__}")


_USERS = object()  # FAB's own user table: the users whose staff profile is in the user's centres


def _in_centres(column, scope: Scope) -> ColumnElement:
    return column.in_(sorted(scope.centre_ids))


def restrict(query, model: type, scope: Scope | None = None):
    """Limit a Query or Select over ``model`` to the scope (the current user's by default)."""
    clause = scope_clause(model, scope or current_scope())
    return query if clause is None else query.where(clause)


def sees_rows_of_centre(model: type, centre_id: int | None, scope: Scope | None = None) -> bool:
    """Would the scope see a record of ``model`` that belongs to ``centre_id``? Asked of what is kept outside the
    model's table, such as the programme list a submitted monthly report froze: it is read by the same scope as
    the live programmes (the admin, who sees no case data, gets none of it)."""
    scope = scope or current_scope()
    if is_case_data(model) and not scope.case_data:
        return False
    return scope.allows_centre(centre_id)


def in_scope(obj, scope: Scope | None = None) -> bool:
    """Is this loaded object inside the scope? Used to vet foreign ids sent by forms and the API."""
    scope = scope or current_scope()
    model = type(obj)
    clause = scope_clause(model, scope)
    if clause is None:
        return True
    return db.session.scalar(select(model.id).where(model.id == obj.id).where(clause)) is not None


def scoped_get(model: type, pk, scope: Scope | None = None):
    """The record of this id if the scope sees it, else ``None`` (another centre's record does not exist for the
    user). Any id that is not a positive integer of the database's range is simply not found."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return db.session.scalar(restrict(select(model).where(model.id == pk), model, scope))


def check_write_scope(item, scope: Scope | None = None) -> None:
    """Refuse a write that points outside the user's centres, or mixes two centres.

    Forms only offer in-scope choices, but a forged POST or an API call can send any
    foreign id (FAB's schema loads it unfiltered): every many-to-one target is vetted.
    """
    scope = scope or current_scope()
    if is_case_data(type(item)) and not scope.case_data:
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


def check_responsible(programme, scope: Scope | None = None) -> None:
    """Within a centre a specialist changes only own programmes (and their measures, ticks, events); reassigning a
    programme is the director's. Checks, never assigns (a new programme's default specialist is set before)."""
    scope = scope or current_scope()
    if not scope.responsible_only or programme is None:
        return
    specialist_id = programme.specialist.id if programme.specialist is not None else programme.specialist_id
    committed = stored_value(programme, "specialist_id")
    if specialist_id != scope.user_id or (committed is not None and committed != scope.user_id):
        raise RuleViolation("not_responsible")


def programme_of(item):
    """The programme a record belongs to (itself for a programme), for the responsibility rule."""
    return item if isinstance(item, Programme) else getattr(item, "programme", None)
