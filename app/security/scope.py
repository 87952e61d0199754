"""Who may see which centre's records: one mechanism for views, API, actions, pages, reports and jobs.

A user's *scope* follows from the role and the staff profile:

* Director, Specialist, Registrar: the centre of their staff profile;
* Territory: the centres of their territory (read-only by role);
* Department: every centre (read-only by role);
* Admin: reference data of every centre, but no case data (DOMAIN.md §1, [D]);
* Partner: no centre at all; only the records a model declares for partners (``ForPartner``: the measures assigned
  to the organisation of the staff profile, in the centres of the organisation's territory, of open programmes,
  while a consent in force of the citizen covers the transfer to the organisation — ``partner_clause``), and own
  reminders;
* anybody without a centre, territory or regional role: nothing.

``scope_clause(model, scope)`` turns a scope into a SQL condition for any model, from the model's declaration
(``__policy__``, ``app.models.policy``); ``ScopedInterface`` (``app.fab.interface``) applies it to every query FAB
makes, and every custom page, job and report asks ``restrict`` or ``in_scope``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import has_request_context, request
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Date, and_, bindparam, exists, false, func, or_, select, true
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import MANYTOONE, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.domain import roles
from app.domain.errors import RuleViolation
from app.extensions import db
from app.models import Centre, Consent, Measure, Organisation, Programme, StaffProfile
from app.models.base import stored_value
from app.models.citizens import consent_organisation
from app.models.committees import seated_in_working_group
from app.models.policy import ByCentre, ByCentreOrTerritory, ByParent, ByRecipient, ForPartner, policy_of
from app.models.programmes import OPEN_PROGRAMMES, measure_organisation
from app.platform.clock import today
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
    # a partner organisation's user: the organisation and its territory (``partner_clause``); no centre at all
    organisation_id: int | None = None
    partner_territory_id: int | None = None

    @property
    def partner(self) -> bool:
        return self.organisation_id is not None

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
    if roles.PARTNER in role_names and profile is not None and profile.organisation_id is not None:
        organisation = db.session.get(Organisation, profile.organisation_id)
        if organisation is not None and organisation.territory_id is not None:
            return Scope(
                centre_ids=frozenset(),
                territory_ids=frozenset(),
                user_id=user.id,
                organisation_id=organisation.id,
                partner_territory_id=organisation.territory_id,
            )
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
        own = getattr(model, rows.column) == scope.user_id
        if scope.partner and rows.partner_measure is not None:
            return and_(own, _partner_sees_measure(getattr(model, rows.partner_measure), scope))
        return own
    if scope.partner:  # what a model declares for partners, reference data, and nothing else
        if policy is not None and policy.partner is not None:
            return partner_clause(model, policy.partner, scope)
        return None if rows is None and model is not User and not is_case_data(model) else false()
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


def transfer_consented(citizen_id, organisation_id, territory_id, day, *, phone: bool = False) -> ColumnElement:
    """SQL: a consent of the citizen in force on ``day`` covers the transfer of the citizen's data to the
    organisation — it names the organisation, or it names the working group and the organisation sits in an
    interagency working group of ``territory_id`` (the citizen's centre's territory). The rule of
    ``app.domain.partners.covers_transfer``, written once for queries; computed at query time, so revoking or
    narrowing a consent takes effect on the next request. ``phone``: the consent includes the contact phone.

    Its tables are aliased: it may stand in a query that selects from the same tables."""
    consent, link = aliased(Consent), consent_organisation.alias()
    named = exists().where(link.c.consent_id == consent.id, link.c.organisation_id == organisation_id)
    seated = seated_in_working_group(organisation_id, territory_id)
    return exists().where(
        consent.citizen_id == citizen_id,
        consent.signed_on <= day,
        or_(consent.revoked_on.is_(None), consent.revoked_on > day),
        or_(consent.valid_until.is_(None), consent.valid_until >= day),
        or_(named, and_(consent.to_working_group.is_(True), seated)),
        *((consent.with_phone.is_(True),) if phone else ()),
    )


GAP_SEPARATOR = "\x1f"


def transfer_gap_names(measure_id, day):
    """SQL, a scalar subquery: the names of the measure's organisations to which the citizen's consents do not allow
    passing the data today (the measure is hidden from them), joined by ``GAP_SEPARATOR``; NULL when there is none.
    Through ``transfer_consented``, the very condition of the partner's row scope."""
    link, organisation = measure_organisation.alias(), aliased(Organisation)
    measure, programme, centre = aliased(Measure), aliased(Programme), aliased(Centre)
    return (
        select(func.aggregate_strings(organisation.name, GAP_SEPARATOR))
        .select_from(link)
        .join(organisation, organisation.id == link.c.organisation_id)
        .join(measure, measure.id == link.c.measure_id)
        .join(programme, programme.id == measure.programme_id)
        .join(centre, centre.id == programme.centre_id)
        .where(
            link.c.measure_id == measure_id,
            ~transfer_consented(programme.citizen_id, organisation.id, centre.territory_id, day),
        )
        .scalar_subquery()
    )


def gap_list(names: str | None) -> list[str]:
    """``transfer_gap_names`` read back: the names in order."""
    return sorted(names.split(GAP_SEPARATOR)) if names else []


@functools.cache
def _gaps_of_measures():
    """The statement of ``transfer_gaps``, built once: its expression takes longer to build than to run."""
    day, ids = bindparam("day", type_=Date), bindparam("ids", expanding=True)
    return select(Measure.id, transfer_gap_names(Measure.id, day)).where(Measure.id.in_(ids))


def transfer_gaps(measure_ids, day) -> dict[int, list[str]]:
    """Measure id → the organisations its citizen's consents do not let the data go to (``transfer_gap_names``)."""
    ids = sorted(set(measure_ids))
    if not ids:
        return {}
    rows = db.session.execute(_gaps_of_measures(), {"day": day, "ids": ids})
    return {pk: gap_list(names) for pk, names in rows if names}


def _partner_sees_measure(column, scope: Scope) -> ColumnElement:
    """SQL: ``column`` names no measure, or one the partner sees now (the measure's ``ForPartner``)."""
    from app.models.programmes import Measure

    visible = select(Measure.id).where(partner_clause(Measure, policy_of(Measure).partner, scope))
    return or_(column.is_(None), column.in_(visible))


def partner_clause(model: type, declared: ForPartner, scope: Scope) -> ColumnElement:
    """A partner's rows of ``model`` (``ForPartner``): assigned to the organisation, in a centre of its territory,
    of an open programme, with the citizen's consent to the transfer in force today."""
    organisations = sa_inspect(model).relationships[declared.organisations]
    ((own_key, own_column),) = organisations.synchronize_pairs  # measure.id = measure_organisation.measure_id
    ((_, organisation_column),) = organisations.secondary_synchronize_pairs
    (programme_key,) = sa_inspect(model).relationships[declared.programme].local_columns
    # aliased: the clause may stand in a query that selects from the same tables (a partner's page joins them)
    programme = aliased(Programme)

    def territory_centres():
        centre = aliased(Centre)
        return select(centre.id).where(centre.territory_id == scope.partner_territory_id)

    return and_(
        model.centre_id.in_(territory_centres()),
        exists().where(own_column == own_key, organisation_column == scope.organisation_id),
        exists().where(
            programme.id == programme_key,
            programme.status.in_(OPEN_PROGRAMMES),
            programme.centre_id.in_(territory_centres()),
            transfer_consented(programme.citizen_id, scope.organisation_id, scope.partner_territory_id, today()),
        ),
    )


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
    if scope.partner:
        check_partner_write(item, scope)
        return
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


def partner_fields(model: type) -> tuple[str, ...]:
    """The fields a partner's report changes on a model's records (none for most)."""
    policy = policy_of(model)
    return policy.partner.fields if policy is not None and policy.partner is not None else ()


def check_partner_write(item, scope: Scope) -> None:
    """A partner changes a record it sees, and only the fields its model declares for partners (a measure's status,
    date done and result note): never creates one, never points it elsewhere."""
    allowed = partner_fields(type(item))
    state = sa_inspect(item)
    if not allowed or not state.persistent or not in_scope(item, scope):
        raise RuleViolation("wrong_centre")
    for attr in state.attrs:
        if attr.key not in allowed and attr.key != "version" and attr.history.has_changes():
            raise RuleViolation("partner_field", attr.key)


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
