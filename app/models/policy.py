"""One declaration per model: what its records are to the console.

Each model carries a ``__policy__``: who may do what with its records (role → level), how its rows are limited to
a user's centres, whether they are personal data of a citizen's case (never shown to the admin, every read of a
record audited), whether every change is audited, whether anybody changes them through the console at all, and
which of its columns identify a person (a search by one is audited). Menus and permissions
(``app.security.roles``), the row scope (``app.security.scope``) and the audit log (``app.platform.audit``) read this
declaration and nothing else, so a new model is declared in one place, next to its columns.

The row scopes are plain descriptions; ``app.security.scope`` turns them into SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.roles import ADMIN, DEPARTMENT, DIRECTOR, FULL, READ, REGISTRAR, SPECIALIST, TERRITORY, WRITE


@dataclass(frozen=True)
class ByCentre:
    """Rows of the user's centres, by a column holding the centre's id (``id`` for the centre itself)."""

    column: str = "centre_id"


@dataclass(frozen=True)
class ByParent:
    """Rows whose parent (a many-to-one relationship) is in scope: a consent through its citizen."""

    relationship: str


@dataclass(frozen=True)
class ByCentreOrTerritory:
    """Rows of the user's centres or of the user's territories (a commission, a working group)."""

    centre: str = "centre_id"
    territory: str = "territory_id"


@dataclass(frozen=True)
class ByRecipient:
    """Only the user's own rows (reminders). ``partner_measure``: the column naming a measure that a partner's row
    is about; the row is the partner's only while the partner sees that measure (``ForPartner``), so a consent
    revoked or narrowed takes the reminder's text away at once, not at the next scan."""

    column: str = "recipient_id"
    partner_measure: str | None = None


RowScope = ByCentre | ByParent | ByCentreOrTerritory | ByRecipient


@dataclass(frozen=True)
class ForPartner:
    """What a partner organisation's user sees of a model's records, and changes (``app.security.scope``): the
    records assigned to the organisation (``organisations``, a many-to-many relationship) in the centres of the
    organisation's territory, of an open programme (``programme``), while a consent of the programme's citizen in
    force covers the transfer to the organisation (``app.domain.partners.covers_transfer``); a partner's write
    changes ``fields`` only. Every other model gives a partner nothing."""

    organisations: str = "organisations"
    programme: str = "programme"
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Policy:
    """What a model's records are to the console; see the module's docstring."""

    access: Mapping[str, str]  # role → READ, WRITE or FULL; a role not named has no access
    rows: RowScope | None = None  # None: the same rows for everybody (reference data)
    case_data: bool = False  # personal data of citizens and their cases: never for the admin (DOMAIN.md §1 [D])
    audited: bool = True  # every change is written to the audit log
    read_only: bool = False  # written by the system or by a case page's actions, never through a generic form
    # columns that identify a person by themselves (SNILS): a search by one of them is audited with its term
    identifiers: tuple[str, ...] = ()
    # the rows and fields a partner organisation's user has (``ForPartner``); ``None``: none at all
    partner: ForPartner | None = None
    extra: Mapping[str, object] = field(default_factory=dict)

    def level(self, role: str) -> str | None:
        """The role's level, capped at READ for records nobody edits through the console."""
        level = self.access.get(role)
        return READ if level is not None and self.read_only else level


def policy_of(model: type) -> Policy | None:
    return getattr(model, "__policy__", None)


# Access shared by several kinds of record.
CASE_ACCESS = {DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: FULL, SPECIALIST: WRITE}  # a programme and its parts
REGISTRY_ACCESS = {**CASE_ACCESS, REGISTRAR: WRITE}  # the citizen, the journal of appeals and its documents
REFERENCE_ACCESS = {ADMIN: FULL, DEPARTMENT: READ, TERRITORY: READ, DIRECTOR: READ, SPECIALIST: READ, REGISTRAR: READ}
