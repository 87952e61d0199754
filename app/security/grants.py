"""Four eyes over access to case data: a role that opens it takes effect when a second person confirms it.

The administrator gives users their roles and staff profiles, and could otherwise give itself or anybody the
region's case data unseen. So a user's roles that open case data (``app.domain.roles.CASE_ROLES``, held directly or
through a group) count only as far as the *confirmed grant* on the user's staff profile covers them, for the
profile's present centre and territory (``effective_role_names``; the security manager and the centre scope ask it):

* a change that would open more — a case role given, the centre or territory changed, the account activated again,
  the password set by somebody else — asks for a grant (``request_grants``, run before every flush by the save
  pipeline): a pending ``AccessGrant`` of the roles and place wanted, requested by whoever made the change. Until
  it is confirmed the user works with what the old grant covers in the same place (nothing in a new place);
* taking a role away, or deactivating the account, takes effect at once (deactivation drops the grant);
* ``confirm`` / ``refuse``: a second person decides (``app.domain.roles.check_confirmation``): the centre's
  director for the centre's staff, a department user for directors, territories and the department; never the
  user concerned, never whoever asked, never an administrator;
* ``record_confirmed``: a grant confirmed without a second person of the console — the first department user,
  confirmed on the server by ``flask access confirm-first-department`` (README), and the demo data set.

Every request, decision and change of users, roles and groups is in the audit log (``app.security.accounts``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_appbuilder.security.sqla.models import Group, Role, User
from sqlalchemy import inspect, select

from app.domain import partners
from app.domain import roles as domain_roles
from app.domain.choices import AuditAction, GrantReason, GrantStatus
from app.domain.errors import RuleViolation
from app.extensions import db
from app.models import AccessGrant, StaffProfile
from app.models.committees import seated_in_working_group
from app.platform import audit
from app.platform.identity import current_account, is_signed_in

ROLE_ORDER = (
    domain_roles.DEPARTMENT,
    domain_roles.TERRITORY,
    domain_roles.DIRECTOR,
    domain_roles.SPECIALIST,
    domain_roles.REGISTRAR,
    domain_roles.PARTNER,
)


def _ordered(names) -> str:
    return ",".join(sorted(names, key=lambda n: (ROLE_ORDER.index(n) if n in ROLE_ORDER else 99, n)))


def all_role_names(user) -> frozenset[str]:
    """Every role the user holds, directly or through a group."""
    names = {role.name for role in getattr(user, "roles", None) or ()}
    for group in getattr(user, "groups", None) or ():
        names.update(role.name for role in group.roles)
    return frozenset(names)


def _id(related, key):
    """A related record's id, also while it is being saved (the key column is filled only as the row is written)."""
    return related.id if related is not None else key


def place_of(record) -> tuple[int | None, int | None, int | None]:
    """The centre, territory and (a partner's) organisation of a staff profile or a grant."""
    if record is None:
        return None, None, None
    return (
        _id(record.centre, record.centre_id),
        _id(record.territory, record.territory_id),
        _id(record.organisation, record.organisation_id),
    )


def _inactive(user) -> bool:
    return getattr(user, "active", None) is False  # a new account is active once written (its default)


def granted_case_roles(user) -> frozenset[str]:
    """The case roles the confirmed grant on the user's staff profile covers, for the profile's present place."""
    profile = getattr(user, "staff_profile", None)
    grant = profile.grant if profile is not None else None
    if grant is None or grant.status != GrantStatus.CONFIRMED or _inactive(user):
        return frozenset()
    if place_of(grant) != place_of(profile):
        return frozenset()
    return grant.role_set


def takes_effect(user, role_name: str) -> bool:
    """Does this role of the user count? Roles that open no case data always do."""
    return role_name not in domain_roles.CASE_ROLES or role_name in granted_case_roles(user)


def effective_role_names(user) -> frozenset[str]:
    """The roles that count for a signed-in user: the others, and the case roles the confirmed grant covers."""
    if not is_signed_in(user):
        return frozenset()
    granted = granted_case_roles(user)
    return frozenset(n for n in all_role_names(user) if n not in domain_roles.CASE_ROLES or n in granted)


# --- asking ---------------------------------------------------------------------------------------------------------


def _changed(obj, *keys: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in keys if key in state.attrs)


def _added(obj, key: str) -> list:
    return list(inspect(obj).attrs[key].history.added or ())


def request_grants(session) -> None:
    """Before a flush: ask for a grant for every user whose change would open case data; drop the grant of an
    account deactivated (see the module's docstring)."""
    touched: dict[int, tuple[User, str]] = {}
    profiles: dict[int, StaffProfile] = {}  # a profile being saved may not be reachable from its user yet

    def touch(user, reason: str = GrantReason.ROLES) -> None:
        if user is not None:
            touched.setdefault(id(user), (user, reason))

    for obj in (*session.new, *session.dirty):
        if isinstance(obj, User):
            if obj in session.new or _changed(obj, "roles", "groups"):
                touch(obj)
            active = inspect(obj).attrs.active.history
            if obj not in session.new and active.has_changes():
                if obj.active:
                    touch(obj, GrantReason.REACTIVATED)
                else:
                    _drop_grant(obj)
        elif isinstance(obj, StaffProfile) and (
            obj in session.new
            or _changed(obj, "centre_id", "territory_id", "centre", "territory", "organisation_id", "organisation")
        ):
            user = obj.user if obj.user is not None else db.session.get(User, obj.user_id)
            if user is not None:
                profiles[id(user)] = obj
                touch(user)
        elif isinstance(obj, Role):
            for user in _added(obj, "user"):
                touch(user)
        elif isinstance(obj, Group):
            for user in _added(obj, "users"):
                touch(user)
            if any(role.name in domain_roles.CASE_ROLES for role in _added(obj, "roles")):
                for user in obj.users:
                    touch(user)
    for key, (user, reason) in touched.items():
        ask_for(user, reason, profile=profiles.get(key))


def _drop_grant(user) -> None:
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.grant_id is not None:
        profile.grant = None


def ask_for(
    user, reason: str = GrantReason.ROLES, *, whatever_is_granted: bool = False, profile: StaffProfile | None = None
) -> AccessGrant | None:
    """A pending grant of the case roles the user holds, in the profile's place, unless the confirmed grant already
    covers them (or ``whatever_is_granted``: ask again even so, the grant being dropped). Supersedes the user's
    earlier pending requests."""
    if _inactive(user):
        return None
    wanted = frozenset(n for n in all_role_names(user) if n in domain_roles.CASE_ROLES)
    if not wanted:
        return None
    profile = profile or getattr(user, "staff_profile", None)
    if not whatever_is_granted and wanted <= granted_case_roles(user):
        return None
    pending = [g for g in _grants_of(user) if g.status == GrantStatus.PENDING]
    for grant in pending:
        if (grant.role_set, *place_of(grant)) == (wanted, *place_of(profile)):
            return grant
        grant.status = GrantStatus.SUPERSEDED
    requester = current_account()
    place = {}
    if profile is not None:  # the related records themselves where they are being saved with the profile
        for name in ("centre", "territory", "organisation"):
            related = getattr(profile, name)
            place[name if related is not None else f"{name}_id"] = related or getattr(profile, f"{name}_id")
    grant = AccessGrant(
        user=user,
        roles=_ordered(wanted),
        **place,
        status=GrantStatus.PENDING,
        reason=reason,
        requested_by_id=requester.id if is_signed_in(requester) else None,
    )
    db.session.add(grant)
    return grant


def _grants_of(user) -> list[AccessGrant]:
    if user.id is None:
        return [o for o in db.session.new if isinstance(o, AccessGrant) and o.user is user]
    return list(db.session.scalars(select(AccessGrant).where(AccessGrant.user_id == user.id)))


def suspend(user, reason: str) -> None:
    """The account's access waits for a new confirmation (its password was set by somebody else)."""
    if not all_role_names(user) & domain_roles.CASE_ROLES:
        return
    _drop_grant(user)
    ask_for(user, reason, whatever_is_granted=True)


def pending_for(user) -> list[AccessGrant]:
    """The user's own requests waiting for a confirmation (the home page says so)."""
    if not is_signed_in(user) or not (all_role_names(user) & domain_roles.CASE_ROLES) - granted_case_roles(user):
        return []  # every case role the user holds counts: nothing waits (and nothing is read)
    query = select(AccessGrant).where(AccessGrant.user_id == user.id, AccessGrant.status == GrantStatus.PENDING)
    return list(db.session.scalars(query))


# --- deciding -------------------------------------------------------------------------------------------------------


def confirm(grant: AccessGrant, confirmer, note: str | None = None) -> None:
    """A second person confirms the grant: it takes effect at once (the caller commits)."""
    check_decidable(grant, confirmer)
    profile = grant.user.staff_profile
    if profile is None:
        profile = StaffProfile(user=grant.user)
        db.session.add(profile)
    if place_of(profile) != place_of(grant):
        raise RuleViolation("grant_not_pending")  # the user has moved since: a newer request stands
    _decide(grant, GrantStatus.CONFIRMED, confirmer, note)
    profile.grant = grant
    audit.record(AuditAction.GRANT_CONFIRMED, grant, changes=_summary(grant), commit=False)


def refuse(grant: AccessGrant, confirmer, note: str | None = None) -> None:
    check_decidable(grant, confirmer)
    _decide(grant, GrantStatus.REFUSED, confirmer, note)
    audit.record(AuditAction.GRANT_REFUSED, grant, changes=_summary(grant), commit=False)


def check_decidable(grant: AccessGrant, confirmer) -> None:
    """Raise ``RuleViolation`` unless ``confirmer`` may decide this pending grant."""
    if grant.status != GrantStatus.PENDING:
        raise RuleViolation("grant_not_pending")
    profile = getattr(confirmer, "staff_profile", None)
    domain_roles.check_confirmation(
        grant_roles=grant.role_set,
        grant_centre_id=grant.centre_id,
        grantee_id=grant.user_id,
        requested_by_id=grant.requested_by_id,
        confirmer_id=confirmer.id,
        confirmer_roles=effective_role_names(confirmer) | (all_role_names(confirmer) & {domain_roles.ADMIN}),
        confirmer_centre_id=profile.centre_id if profile is not None else None,
    )
    if domain_roles.PARTNER in grant.role_set:
        organisation = grant.organisation
        seated = organisation is not None and db.session.scalar(
            select(seated_in_working_group(organisation.id, organisation.territory_id))
        )
        partners.check_partner_account(bool(seated))


def _decide(grant: AccessGrant, status: str, decider, note: str | None) -> None:
    grant.status = status
    grant.decided_by_id = decider.id if decider is not None else None
    grant.decided_at = datetime.now(UTC)
    grant.note = (note or "").strip() or grant.note


def _summary(grant: AccessGrant) -> dict:
    return {"user": grant.user.username, "roles": grant.roles, "status": grant.status, "reason": grant.reason}


def record_confirmed(user, reason: str, note: str) -> AccessGrant:
    """A grant of the user's case roles, confirmed without a second person of the console (the first department
    user on the server; the demo data set). The caller commits."""
    grant = ask_for(user, reason, whatever_is_granted=True)
    if grant is None:
        raise RuleViolation("grant_not_pending")
    _decide(grant, GrantStatus.CONFIRMED, None, note)
    profile = user.staff_profile
    if profile is None:
        profile = StaffProfile(user=user)
        db.session.add(profile)
    profile.grant = grant
    return grant


def confirm_first_department(user, note: str) -> AccessGrant:
    """The region's first department user: allowed only while no department user has confirmed access."""
    if domain_roles.DEPARTMENT not in all_role_names(user):
        raise RuleViolation("grant_confirmer_role", role=domain_roles.DEPARTMENT)
    confirmed = select(AccessGrant.roles).join(StaffProfile, StaffProfile.grant_id == AccessGrant.id)
    if any(domain_roles.DEPARTMENT in roles.split(",") for roles in db.session.scalars(confirmed)):
        raise RuleViolation("first_department_exists")
    grant = record_confirmed(user, GrantReason.FIRST_DEPARTMENT, note)
    audit.record(AuditAction.GRANT_CONFIRMED, grant, changes=_summary(grant), commit=False)
    return grant
