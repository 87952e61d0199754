"""The home dashboard's figures: one aggregate query each, always through the user's centre scope."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import extract, func, select

from app.domain import rules
from app.domain.choices import OPEN_STATUSES, ControlKind, MeasureStatus, ProgrammeStatus
from app.extensions import db
from app.labels import choice_label
from app.models import Category, Centre, Citizen, ControlEvent, Measure, Programme
from app.security.scope import Scope, restrict

MONTHS = 12
SOON_DAYS = 14


def _rows(query, model, scope: Scope) -> list:
    return db.session.execute(restrict(query, model, scope)).all()


def by_status(scope: Scope) -> list[tuple[str, int]]:
    rows = _rows(select(Programme.status, func.count(Programme.id)).group_by(Programme.status), Programme, scope)
    counts = dict(rows)
    return [(choice_label(ProgrammeStatus, s), counts.get(s, 0)) for s in ProgrammeStatus]


def by_stage(scope: Scope) -> list[tuple[str, int]]:
    query = (
        select(Programme.stage, func.count(Programme.id))
        .where(Programme.status.in_(OPEN_STATUSES))
        .group_by(Programme.stage)
        .order_by(Programme.stage)
    )
    return [(str(stage), count) for stage, count in _rows(query, Programme, scope)]


def by_category(scope: Scope) -> list[tuple[str, int]]:
    query = (
        select(Category.name, func.count(Programme.id))
        .join(Citizen, Citizen.id == Programme.citizen_id)
        .join(Category, Category.id == Citizen.category_id, isouter=True)
        .where(Programme.status.in_(OPEN_STATUSES))
        .group_by(Category.name)
        .order_by(func.count(Programme.id).desc())
    )
    return [(name or "—", count) for name, count in _rows(query, Programme, scope)]


def per_month(scope: Scope, today: date) -> list[tuple[str, int, int]]:
    """Enrolments (activation) and closures per month over the last twelve months: (mm.yyyy, enrolled, closed)."""
    first = rules.add_months(rules.month_start(today), -(MONTHS - 1))

    def monthly(column) -> dict[tuple[int, int], int]:
        query = (
            select(extract("year", column), extract("month", column), func.count(Programme.id))
            .where(column >= first)
            .group_by(extract("year", column), extract("month", column))
        )
        return {(int(y), int(m)): n for y, m, n in _rows(query, Programme, scope)}

    enrolled, closed = monthly(Programme.activated_on), monthly(Programme.closed_on)
    months = [rules.add_months(first, k) for k in range(MONTHS)]
    return [(f"{m:%m.%Y}", enrolled.get((m.year, m.month), 0), closed.get((m.year, m.month), 0)) for m in months]


def attention(scope: Scope, today: date) -> dict[str, int]:
    """What needs attention now: interim assessments and ends of term within 14 days, overdue measures."""
    soon = today + timedelta(days=SOON_DAYS)
    no_interim = (
        ~select(ControlEvent.id)
        .where(ControlEvent.programme_id == Programme.id, ControlEvent.kind == ControlKind.INTERIM)
        .exists()
    )
    interim_window = (rules.add_months(today, -rules.INTERIM_MONTHS), rules.add_months(soon, -rules.INTERIM_MONTHS))
    open_ = Programme.status.in_(OPEN_STATUSES)
    interim = select(func.count(Programme.id)).where(open_, no_interim, Programme.start_date.between(*interim_window))
    ending = select(func.count(Programme.id)).where(open_, Programme.end_date.between(today, soon))
    overdue = (
        select(func.count(Measure.id))
        .join(Programme, Programme.id == Measure.programme_id)
        .where(
            open_,
            Measure.status.in_((MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)),
            Measure.due_date < today,
        )
    )
    return {
        "interim_soon": db.session.scalar(restrict(interim, Programme, scope)) or 0,
        "ending_soon": db.session.scalar(restrict(ending, Programme, scope)) or 0,
        "measures_overdue": db.session.scalar(restrict(overdue, Programme, scope)) or 0,
    }


def per_centre(scope: Scope) -> list[tuple[str, int]]:
    query = (
        select(Centre.short_name, func.count(Programme.id))
        .join(Programme, Programme.centre_id == Centre.id)
        .where(Programme.status.in_(OPEN_STATUSES))
        .group_by(Centre.short_name)
        .order_by(Centre.short_name)
    )
    return [(name, count) for name, count in _rows(query, Programme, scope)]


def citizens_in_accompaniment(scope: Scope) -> int:
    query = select(func.count(func.distinct(Programme.citizen_id))).where(Programme.status.in_(OPEN_STATUSES))
    return db.session.scalar(restrict(query, Programme, scope)) or 0
