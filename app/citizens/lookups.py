"""The citizens' search-as-you-type lists: citizens by any part of the name, the birth date or the SNILS; appeals by
journal number or the citizen's name (the one search of ``app.models.search``)."""

from __future__ import annotations

from sqlalchemy.orm import contains_eager

from app.fab.lookups import Lookup, register_lookup
from app.models import Appeal, Citizen


def register() -> None:
    register_lookup("citizen", Lookup(Citizen, "CitizenView", Citizen.surname, str))
    register_lookup(
        "appeal",
        Lookup(
            Appeal,
            "AppealView",
            Appeal.appeal_date.desc(),
            lambda a: f"{a} — {a.citizen.short_name}",
            keys=(Appeal.search, Citizen.search),
            joins=(Appeal.citizen,),
            options=(contains_eager(Appeal.citizen),),
            rank_by=Citizen.search,
        ),
    )
