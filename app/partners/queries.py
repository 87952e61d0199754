"""What a partner's page reads: the organisation's measures with only what carrying them out needs, in one
statement each, through the partner's row scope (``app.security.scope``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import case, select

from app.domain import rules
from app.domain.partners import REPORTABLE_STATUSES
from app.extensions import db
from app.models import Citizen, Measure, Organisation, Programme, StaffProfile
from app.platform import audit
from app.security.scope import Scope, restrict, transfer_consented


@dataclass(frozen=True)
class PartnerMeasure:
    """A measure as its partner sees it: nothing of the programme, the category, the household or the documents."""

    id: int
    version: int
    title: str
    due_date: date
    status: str
    done_on: date | None
    result_note: str | None
    citizen_name: str
    birth_date: date
    phone: str | None  # only where the consent includes the phone
    specialist_name: str
    specialist_phone: str | None
    overdue: bool
    due_soon: bool

    @property
    def reportable(self) -> bool:
        return self.status in REPORTABLE_STATUSES


def _statement(scope: Scope, day: date):
    phone_allowed = transfer_consented(
        Programme.citizen_id, scope.organisation_id, scope.partner_territory_id, day, phone=True
    )
    open_first = case((Measure.status.in_([s.value for s in REPORTABLE_STATUSES]), 0), else_=1)
    statement = (
        select(
            Measure.id,
            Measure.version,
            Measure.title,
            Measure.due_date,
            Measure.status,
            Measure.done_on,
            Measure.result_note,
            Measure.centre_id,
            Citizen.id,
            Citizen.surname,
            Citizen.first_name,
            Citizen.patronymic,
            Citizen.birth_date,
            case((phone_allowed, Citizen.phone), else_=None),
            User.last_name,
            User.first_name,
            StaffProfile.phone,
        )
        .join(Programme, Programme.id == Measure.programme_id)
        .join(Citizen, Citizen.id == Programme.citizen_id)
        .outerjoin(User, User.id == Programme.specialist_id)
        .outerjoin(StaffProfile, StaffProfile.user_id == Programme.specialist_id)
        .order_by(open_first, Measure.due_date, Measure.id)
    )
    return restrict(statement, Measure, scope)


def _row(row, day: date) -> PartnerMeasure:
    (mid, version, title, due, status, done_on, note, _centre, _cid, surname, first, patronymic, born, phone) = row[:14]
    last, first_name, specialist_phone = row[14:]
    overdue = rules.measure_overdue(due, status, day)
    soon = not overdue and status in REPORTABLE_STATUSES and (due - day).days <= rules.MEASURE_SOON_DAYS
    return PartnerMeasure(
        id=mid,
        version=version,
        title=title,
        due_date=due,
        status=status,
        done_on=done_on,
        result_note=note,
        citizen_name=" ".join(p for p in (surname, first, patronymic) if p),
        birth_date=born,
        phone=phone,
        specialist_name=" ".join(p for p in (last, first_name) if p),
        specialist_phone=specialist_phone,
        overdue=overdue,
        due_soon=soon,
    )


def _audited(rows) -> None:
    """A partner's every read of a measure and of its citizen is in the audit log."""
    for row in rows:
        audit.note_read_of(Measure, row[0], row[7])
        audit.note_read_of(Citizen, row[8], row[7])


def organisation_measures(scope: Scope, day: date, limit: int = 200) -> list[PartnerMeasure]:
    """The organisation's measures, the open ones first (overdue and due soon at the top: by due date)."""
    rows = db.session.execute(_statement(scope, day).limit(limit)).all()
    _audited(rows)
    return [_row(row, day) for row in rows]


def organisation_measure(scope: Scope, day: date, pk: int) -> PartnerMeasure | None:
    rows = db.session.execute(_statement(scope, day).where(Measure.id == pk)).all()
    _audited(rows)
    return _row(rows[0], day) if rows else None


def organisation_name(scope: Scope) -> str:
    return db.session.scalar(select(Organisation.name).where(Organisation.id == scope.organisation_id)) or ""
