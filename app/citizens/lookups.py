"""The citizens' search-as-you-type lists: citizens by surname, appeals by journal number or surname."""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from app.fab.lookups import Lookup, register_lookup, starts_with
from app.models import Appeal, Citizen


def register() -> None:
    register_lookup(
        "citizen",
        Lookup(Citizen, "CitizenView", Citizen.surname, str, lambda term: starts_with(Citizen.surname, term)),
    )
    register_lookup(
        "appeal",
        Lookup(
            Appeal,
            "AppealView",
            Appeal.appeal_date.desc(),
            lambda a: f"{a} — {a.citizen.short_name}",
            lambda term: or_(
                starts_with(Appeal.journal_number, term), Appeal.citizen.has(starts_with(Citizen.surname, term))
            ),
            (joinedload(Appeal.citizen),),
        ),
    )
