"""Duplicate detection across centres.

The same person (same SNILS, or same surname, first name and date of birth) may
already be accompanied by another centre. The user is told *which centre*, and
nothing else of that centre's record: the query runs outside the user's scope
but only the centre's name leaves it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.extensions import db
from app.models import Centre, Citizen
from app.security.scope import current_scope


def _centres_holding(condition, exclude_id: int | None) -> list[tuple[int, str]]:
    query = select(Centre.id, Centre.short_name).join(Citizen, Citizen.centre_id == Centre.id).where(condition)
    if exclude_id is not None:
        query = query.where(Citizen.id != exclude_id)
    return list(db.session.execute(query.distinct()))


def check_snils_free(snils: str | None, exclude_id: int | None = None) -> None:
    """SNILS is unique in the region: say where the person is registered already."""
    if not snils:
        return
    holders = _centres_holding(Citizen.snils == snils, exclude_id)
    if not holders:
        return
    centre_id, name = holders[0]
    if current_scope().allows_centre(centre_id):
        raise RuleViolation("snils_taken", "snils")
    raise RuleViolation("snils_taken_elsewhere", "snils", centre=name)


def namesakes_elsewhere(
    surname: str, first_name: str, birth_date: date | None, exclude_id: int | None = None
) -> list[str]:
    """Other centres registering a person with the same name and date of birth (a warning, not a refusal)."""
    if not (surname and first_name and birth_date):
        return []
    condition = (
        (func.lower(Citizen.surname) == surname.strip().lower())
        & (func.lower(Citizen.first_name) == first_name.strip().lower())
        & (Citizen.birth_date == birth_date)
    )
    scope = current_scope()
    return [name for centre_id, name in _centres_holding(condition, exclude_id) if not scope.allows_centre(centre_id)]
