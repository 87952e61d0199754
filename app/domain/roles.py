"""The actors of DOMAIN.md §1 and the levels of access a role may have to a kind of record.

Plain names, no Flask: the models declare with them who may do what (``app.models.policy``), and
``app.security`` turns those declarations into Flask-AppBuilder's permissions and the centre scope.
"""

from __future__ import annotations

ADMIN = "Admin"  # the IT team: users, roles, centres, reference data; no case data [D]
DEPARTMENT = "Department"  # the regional department: every centre, read-only (S1 §3.2, §4)
TERRITORY = "Territory"  # a social-protection administration (УСЗН): its territory's centres, read-only
DIRECTOR = "Director"  # head of a centre: everything of the centre
SPECIALIST = "Specialist"  # specialist in social accompaniment: the centre's citizens, own programmes
REGISTRAR = "Registrar"  # keeps the journal of appeals (S2)
PUBLIC = "Public"  # not signed in

ALL_ROLES = (ADMIN, DEPARTMENT, TERRITORY, DIRECTOR, SPECIALIST, REGISTRAR)
CENTRE_ROLES = frozenset({DIRECTOR, SPECIALIST, REGISTRAR})  # attached to one centre by their staff profile

# Levels, each a superset of the previous one.
READ = "read"  # list, show, download
WRITE = "write"  # + add, edit
FULL = "full"  # + delete
LEVELS = (READ, WRITE, FULL)

# Who may reopen a submitted monthly report for corrections: the department that receives it (S1 annex 3) [D].
REPORT_REOPENERS = frozenset({DEPARTMENT})


def may_reopen_reports(role_names: set[str] | frozenset[str]) -> bool:
    """The department sends a submitted report back; nobody else, not even the centre that filed it."""
    return bool(REPORT_REOPENERS & set(role_names))
