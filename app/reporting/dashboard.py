"""The home dashboard's figures, always through the user's centre scope: the caseload from the tally kept current at
every commit (``app.reporting.tally``), what needs attention now from indexes over a window of dates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.domain import rules
from app.domain.choices import OPEN_STATUSES, ControlKind, ProgrammeStatus
from app.extensions import db
from app.fab.interface import CappedCount
from app.models import Category, Centre, ControlEvent, Measure, Programme
from app.models.programmes import OPEN_MEASURES, OPEN_PROGRAMMES
from app.models.tally import CaseloadCentre, CaseloadMonth, CaseloadTally
from app.platform.labels import choice_label
from app.security.scope import Scope, restrict

MONTHS = 12
SOON_DAYS = 14
# The overdue measures are counted up to a thousand: the figure says how large the backlog is, and the list it links
# to (counting to 10,000 and paging) gives the measures themselves. A centre's backlog is exact up to a thousand; a
# region's reads «более 1 000» without reading 10,000 entries of the open measures' index and their programmes on
# every visit of the department's home page (25 to 30 ms at 300,000 programmes, 5 to 7 ms up to a thousand).
OVERDUE_CAP = 1_000


def _rows(query, model, scope: Scope) -> list:
    return db.session.execute(restrict(query, model, scope)).all()


@dataclass
class Caseload:
    by_status: list[tuple[str, int]]  # every status, zeros included
    by_stage: list[tuple[str, int]]  # open programmes
    by_category: list[tuple[str, int]]  # open programmes by the citizen's category, larger first, "—" last
    per_centre: list[tuple[str, int]]  # open programmes, for users who see several centres


def caseload(scope: Scope) -> Caseload:
    """Programmes by status, and the open ones by stage, by category and by centre, from the tally
    (``app.reporting.tally``): one statement over a few hundred rows, whatever the region's history."""
    query = (
        select(
            CaseloadTally.centre_id,
            CaseloadTally.status,
            CaseloadTally.stage,
            Category.name,
            func.sum(CaseloadTally.programmes),
        )
        .join(Category, Category.id == CaseloadTally.category_id, isouter=True)
        .group_by(CaseloadTally.centre_id, CaseloadTally.status, CaseloadTally.stage, Category.name)
    )
    statuses: Counter[str] = Counter()
    stages: Counter[int] = Counter()
    categories: Counter[str | None] = Counter()
    centres: Counter[int] = Counter()
    for centre_id, status, stage, category, count in _rows(query, CaseloadTally, scope):
        statuses[status] += count
        if status in OPEN_STATUSES:
            stages[stage] += count
            categories[category] += count
            centres[centre_id] += count
    per_centre: list[tuple[str, int]] = []
    if scope.unrestricted or len(scope.centre_ids) > 1:
        names = _rows(select(Centre.id, Centre.short_name).order_by(Centre.short_name), Centre, scope)
        per_centre = [(name, centres[centre_id]) for centre_id, name in names if centres[centre_id]]
    return Caseload(
        by_status=[(choice_label(ProgrammeStatus, s), statuses[s]) for s in ProgrammeStatus],
        by_stage=[(str(stage), stages[stage]) for stage in sorted(stages)],
        # larger first, then by name; citizens without a category ("—") last among equals
        by_category=[
            (name or "—", count)
            for name, count in sorted(categories.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
        ],
        per_centre=per_centre,
    )


def per_month(scope: Scope, today: date) -> list[tuple[str, int, int]]:
    """Enrolments (activation) and closures per month over the last twelve months: (mm.yyyy, enrolled, closed),
    from the tally."""
    first = rules.add_months(rules.month_start(today), -(MONTHS - 1))
    query = (
        select(CaseloadMonth.month, func.sum(CaseloadMonth.enrolled), func.sum(CaseloadMonth.closed))
        .where(CaseloadMonth.month >= first)
        .group_by(CaseloadMonth.month)
    )
    counts = {
        (month.year, month.month): (enrolled, closed) for month, enrolled, closed in _rows(query, CaseloadMonth, scope)
    }
    months = [rules.add_months(first, k) for k in range(MONTHS)]
    return [(f"{m:%m.%Y}", *counts.get((m.year, m.month), (0, 0))) for m in months]


def attention(scope: Scope, today: date) -> dict[str, int]:
    """Citizens in accompaniment (from the tally: a citizen accompanied by two centres at once counts in each), and
    what needs attention now: interim assessments and ends of term within 14 days, overdue measures (up to
    ``OVERDUE_CAP``), each counted from an index of open programmes or open measures over a window of dates. Four counts
    in one statement."""
    soon = today + timedelta(days=SOON_DAYS)
    no_interim = (
        ~select(ControlEvent.id)
        .where(ControlEvent.programme_id == Programme.id, ControlEvent.kind == ControlKind.INTERIM)
        .exists()
    )
    interim_window = (rules.add_months(today, -rules.INTERIM_MONTHS), rules.add_months(soon, -rules.INTERIM_MONTHS))
    open_ = Programme.status.in_(OPEN_PROGRAMMES)
    interim = select(func.count(Programme.id)).where(open_, no_interim, Programme.start_date.between(*interim_window))
    # count(*), not count(id): the (status, end date) index answers it alone (a region's 4,500 programmes ending
    # within two weeks at 300,000 programmes: 1 ms instead of 10 through the wider index of open programmes)
    ending = select(func.count()).select_from(Programme).where(open_, Programme.end_date.between(today, soon))
    # counted up to ``OVERDUE_CAP``: at most that many entries of the open measures' index, however large the region;
    # a centre's from the index of its open measures (a measure carries its programme's centre), not by looking
    # through each of its open programmes' measures
    overdue = select(Measure.id).join(Programme, Programme.id == Measure.programme_id)
    overdue = overdue.where(open_, Measure.status.in_(OPEN_MEASURES), Measure.due_date < today)
    overdue = restrict(restrict(overdue, Programme, scope), Measure, scope).limit(OVERDUE_CAP + 1)
    counts = {
        "citizens": restrict(select(func.sum(CaseloadCentre.citizens)), CaseloadCentre, scope),
        "interim_soon": restrict(interim, Programme, scope),
        "ending_soon": restrict(ending, Programme, scope),
        "measures_overdue": select(func.count()).select_from(overdue.subquery()),
    }
    row = db.session.execute(select(*(query.scalar_subquery().label(name) for name, query in counts.items()))).one()
    figures = {name: int(value or 0) for name, value in row._mapping.items()}
    if figures["measures_overdue"] > OVERDUE_CAP:
        figures["measures_overdue"] = CappedCount(OVERDUE_CAP)
    return figures
