"""The citizens' steps in the save pipeline (``app.fab.pipeline``): a SNILS is registered once in the region, and a
citizen's case history is never deleted."""

from __future__ import annotations

from sqlalchemy import exists, select

from app.citizens.duplicates import check_snils_free
from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab import pipeline
from app.models import Appeal, Citizen, Programme


def check_snils_registered_once(citizen: Citizen) -> None:
    check_snils_free(citizen.snils, citizen.id)


def check_citizen_without_history(citizen: Citizen) -> None:
    """A citizen with appeals or programmes is never deleted: the case history stays."""
    has_case = db.session.scalar(select(exists().where(Programme.citizen_id == citizen.id))) or db.session.scalar(
        select(exists().where(Appeal.citizen_id == citizen.id))
    )
    if has_case:
        raise RuleViolation("citizen_has_history")


def register() -> None:
    pipeline.on_save(Citizen)(check_snils_registered_once)
    pipeline.on_delete(Citizen)(check_citizen_without_history)
