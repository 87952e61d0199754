"""The citizens' steps in the save pipeline (``app.fab.pipeline``): a SNILS is registered once in the region, and a
citizen's case history is never deleted: neither a citizen with appeals or programmes, nor the appeal an activated
programme rests on (its documents are the citizen's application). Deleting an appeal or a citizen deletes its
documents, consents and household members each with its own entry in the audit log (``app.platform.audit``)."""

from __future__ import annotations

from sqlalchemy import exists, select

from app.citizens.duplicates import check_snils_free
from app.domain.choices import ProgrammeStatus
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


def check_appeal_without_programme(appeal: Appeal) -> None:
    """The appeal of a programme that has been activated (active, extended or closed) is its ground: kept."""
    based_on = select(exists().where(Programme.appeal_id == appeal.id, Programme.status != ProgrammeStatus.DRAFT))
    if db.session.scalar(based_on):
        raise RuleViolation("appeal_has_programme")


def register() -> None:
    pipeline.on_save(Citizen)(check_snils_registered_once)
    pipeline.on_delete(Citizen)(check_citizen_without_history)
    pipeline.on_delete(Appeal)(check_appeal_without_programme)
