"""The actors of DOMAIN.md §1 and the levels of access a role may have to a kind of record.

Plain names, no Flask: the models declare with them who may do what (``app.models.policy``), and
``app.security`` turns those declarations into Flask-AppBuilder's permissions and the centre scope.
"""

from __future__ import annotations

from app.domain.errors import RuleViolation

ADMIN = "Admin"  # the IT team: users, roles, centres, reference data; no case data [D]
DEPARTMENT = "Department"  # the regional department: every centre, read-only (S1 §3.2, §4)
TERRITORY = "Territory"  # a social-protection administration (УСЗН): its territory's centres, read-only
DIRECTOR = "Director"  # head of a centre: everything of the centre
SPECIALIST = "Specialist"  # specialist in social accompaniment: the centre's citizens, own programmes
REGISTRAR = "Registrar"  # keeps the journal of appeals (S2)
# a user of a member organisation of the interagency working group (S2, 442-ФЗ art. 22): the measures assigned to
# the organisation, with only what carrying them out needs, while the citizen's consent covers the transfer [D]
PARTNER = "Partner"
PUBLIC = "Public"  # not signed in

ALL_ROLES = (ADMIN, DEPARTMENT, TERRITORY, DIRECTOR, SPECIALIST, REGISTRAR, PARTNER)
CENTRE_ROLES = frozenset({DIRECTOR, SPECIALIST, REGISTRAR})  # attached to one centre by their staff profile

# Levels, each a superset of the previous one.
READ = "read"  # list, show, download
WRITE = "write"  # + add, edit
FULL = "full"  # + delete
# a partner's level: read and report progress on records that exist (no add, no delete); which fields a report
# changes is the model's declaration (``app.models.policy.ForPartner``)
REPORT = "report"
LEVELS = (READ, REPORT, WRITE, FULL)

# Who may reopen a submitted monthly report for corrections: the department that receives it (S1 annex 3) [D].
REPORT_REOPENERS = frozenset({DEPARTMENT})


def may_reopen_reports(role_names: set[str] | frozenset[str]) -> bool:
    """The department sends a submitted report back; nobody else, not even the centre that filed it."""
    return bool(REPORT_REOPENERS & set(role_names))


# --- four eyes: a role that opens case data takes effect only when a second person confirms it [D, 152-ФЗ art. 19] ---

# The roles that open citizens' case data. A role made in the database by the administrator opens none: the centre
# scope (app.security.scope) gives such a role no rows.
CASE_ROLES = frozenset({DEPARTMENT, TERRITORY, DIRECTOR, SPECIALIST, REGISTRAR, PARTNER})

# Who confirms a grant of each role: the centre's director confirms the centre's staff; the department confirms the
# centres' directors (it appoints them), the territories, its own users and the partner organisations' users.
CONFIRMED_BY = {
    SPECIALIST: DIRECTOR,
    REGISTRAR: DIRECTOR,
    DIRECTOR: DEPARTMENT,
    TERRITORY: DEPARTMENT,
    DEPARTMENT: DEPARTMENT,
    PARTNER: DEPARTMENT,
}
# A confirming director confirms only the staff of his or her own centre.
CONFIRMS_OWN_CENTRE = frozenset({DIRECTOR})


def confirmers_of(grant_roles) -> frozenset[str]:
    """The roles whose holders must confirm a grant of ``grant_roles`` (each of them)."""
    return frozenset(CONFIRMED_BY[role] for role in grant_roles if role in CONFIRMED_BY)


def check_confirmation(
    *,
    grant_roles,
    grant_centre_id: int | None,
    grantee_id: int,
    requested_by_id: int | None,
    confirmer_id: int,
    confirmer_roles,
    confirmer_centre_id: int | None,
) -> None:
    """May this person confirm this grant? A second person, never the one it opens access to nor the one who asked
    for it, never an administrator, holding (confirmed) the role that confirms each role granted, and for a
    director, in the grant's own centre. Raises ``RuleViolation``."""
    if confirmer_id in (grantee_id, requested_by_id):
        raise RuleViolation("grant_second_person")
    if ADMIN in confirmer_roles:
        raise RuleViolation("grant_not_by_admin")
    for role in confirmers_of(grant_roles):
        if role not in confirmer_roles:
            raise RuleViolation("grant_confirmer_role", role=role)
        if role in CONFIRMS_OWN_CENTRE and (grant_centre_id is None or grant_centre_id != confirmer_centre_id):
            raise RuleViolation("grant_other_centre")
