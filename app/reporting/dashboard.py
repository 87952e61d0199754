"""The home dashboard's figures: a few aggregate queries, always through the user's centre scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, literal_column, select, union_all

from app.domain import rules
from app.domain.choices import OPEN_STATUSES, ControlKind, ProgrammeStatus
from app.extensions import db
from app.models import Category, Centre, Citizen, ControlEvent, Measure, Programme
from app.models.programmes import OPEN_MEASURES, OPEN_PROGRAMMES
from app.platform.labels import choice_label
from app.security.scope import Scope, restrict

MONTHS = 12
SOON_DAYS = 14


def _rows(query, model, scope: Scope) -> list:
    return db.session.execute(restrict(query, model, scope)).all()


@dataclass
class Caseload:
    by_status: list[tuple[str, int]]  # every status, zeros included
    by_stage: list[tuple[str, int]]  # open programmes
    per_centre: list[tuple[str, int]]  # open programmes, for users who see several centres


def caseload(scope: Scope) -> Caseload:
    """Programmes by status, and the open ones by stage and by centre: one grouped query for the three charts."""
    query = select(Programme.centre_id, Programme.status, Programme.stage, func.count(Programme.id)).group_by(
        Programme.centre_id, Programme.status, Programme.stage
    )
    statuses: Counter[str] = Counter()
    stages: Counter[int] = Counter()
    centres: Counter[int] = Counter()
    for centre_id, status, stage, count in _rows(query, Programme, scope):
        statuses[status] += count
        if status in OPEN_STATUSES:
            stages[stage] += count
            centres[centre_id] += count
    per_centre: list[tuple[str, int]] = []
    if scope.unrestricted or len(scope.centre_ids) > 1:
        names = _rows(select(Centre.id, Centre.short_name).order_by(Centre.short_name), Centre, scope)
        per_centre = [(name, centres[centre_id]) for centre_id, name in names if centres[centre_id]]
    return Caseload(
        by_status=[(choice_label(ProgrammeStatus, s), statuses[s]) for s in ProgrammeStatus],
        by_stage=[(str(stage), stages[stage]) for stage in sorted(stages)],
        per_centre=per_centre,
    )


def by_category(scope: Scope) -> list[tuple[str, int]]:
    """Open programmes by their citizen's category: counted per category id, then named (the names of a
    region's sixteen thousand rows are not looked up one by one).

    The category is grouped as ``category_id + 0``: grouped by the bare column, SQLite may instead walk all the
    region's citizens in category order and look each one's programmes up, ten times slower; the expression keeps
    the walk on the open programmes, whatever order the indexes were created in."""
    category = Citizen.category_id + literal_column("0")
    counted = restrict(
        select(category.label("category_id"), func.count().label("programmes"))
        .select_from(Programme)
        .join(Citizen, Citizen.id == Programme.citizen_id)
        .where(Programme.status.in_(OPEN_PROGRAMMES))
        .group_by(category),
        Programme,
        scope,
    ).subquery()
    query = (
        select(Category.name, counted.c.programmes)
        .select_from(counted)
        .join(Category, Category.id == counted.c.category_id, isouter=True)
        .order_by(counted.c.programmes.desc(), Category.name.nulls_last())  # "—" last on both databases
    )
    return [(name or "—", count) for name, count in db.session.execute(query)]


def per_month(scope: Scope, today: date) -> list[tuple[str, int, int]]:
    """Enrolments (activation) and closures per month over the last twelve months: (mm.yyyy, enrolled, closed).

    Counted per day in SQL, in the order of the date's index, and summed per month here: no date function per row
    (a third of the time for the region), and the same SQL on SQLite and PostgreSQL.
    """
    first = rules.add_months(rules.month_start(today), -(MONTHS - 1))

    def daily(column, what: str):
        query = select(literal_column(f"'{what}'"), column, func.count()).where(column >= first).group_by(column)
        return restrict(query, Programme, scope)

    counts: Counter[tuple[str, int, int]] = Counter()
    for what, day, n in db.session.execute(
        union_all(daily(Programme.activated_on, "enrolled"), daily(Programme.closed_on, "closed"))
    ):
        counts[what, day.year, day.month] += n
    months = [rules.add_months(first, k) for k in range(MONTHS)]
    return [(f"{m:%m.%Y}", counts["enrolled", m.year, m.month], counts["closed", m.year, m.month]) for m in months]


def attention(scope: Scope, today: date) -> dict[str, int]:
    """Citizens in accompaniment, and what needs attention now: interim assessments and ends of term within
    14 days, overdue measures. Four counts in one statement."""
    soon = today + timedelta(days=SOON_DAYS)
    no_interim = (
        ~select(ControlEvent.id)
        .where(ControlEvent.programme_id == Programme.id, ControlEvent.kind == ControlKind.INTERIM)
        .exists()
    )
    interim_window = (rules.add_months(today, -rules.INTERIM_MONTHS), rules.add_months(soon, -rules.INTERIM_MONTHS))
    open_ = Programme.status.in_(OPEN_PROGRAMMES)
    interim = select(func.count(Programme.id)).where(open_, no_interim, Programme.start_date.between(*interim_window))
    ending = select(func.count(Programme.id)).where(open_, Programme.end_date.between(today, soon))
    overdue = (
        select(func.count(Measure.id))
        .join(Programme, Programme.id == Measure.programme_id)
        .where(
            open_,
            Measure.status.in_(OPEN_MEASURES),
            Measure.due_date < today,
        )
    )
    citizens = select(func.count(func.distinct(Programme.citizen_id))).where(open_)
    counts = {
        "citizens": citizens,
        "interim_soon": interim,
        "ending_soon": ending,
        "measures_overdue": overdue,
    }
    row = db.session.execute(
        select(*(restrict(query, Programme, scope).scalar_subquery().label(name) for name, query in counts.items()))
    ).one()
    return {name: value or 0 for name, value in row._mapping.items()}
