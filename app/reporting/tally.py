"""The dashboard's tally (``app.models.tally``), recounted for a centre at the commit that changes its caseload.

After each flush, the save pipeline notes the centres whose counts may have moved: a programme added, deleted, or
changed in its centre, status, stage, citizen, activation or closing date, and a citizen whose category changed. At
commit, before the data are committed and in the same transaction, those centres' rows are recounted from the
programmes (``recount``): a few grouped statements over one centre's programmes, not a running sum of differences,
so a count cannot drift and a repair is the same call (``flask report recount``, and the benchmark after its bulk
load).

Two transactions changing one centre at once recount it one after the other: on PostgreSQL each takes an advisory
lock of the centre first, so the second one's recount (at READ COMMITTED, PostgreSQL's default, each statement
sees what was committed before it began) includes the first one's programmes; SQLite writes one transaction at a
time anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import delete, func, insert, literal, select, text, union_all
from sqlalchemy import inspect as sa_inspect

from app.domain import rules
from app.models import Centre, Citizen, Programme
from app.models.base import utcnow
from app.models.programmes import OPEN_PROGRAMMES
from app.models.tally import CaseloadCentre, CaseloadMonth, CaseloadTally

_CHANGED = "tally_centres"  # session.info: centres whose tally may have moved since the last commit
# what the tally counts programmes by (the relationships too: a form sets ``citizen``, not ``citizen_id``)
_COUNTED = ("centre_id", "centre", "status", "stage", "citizen_id", "citizen", "activated_on", "closed_on")
_LOCKS = 1_907_001  # PostgreSQL advisory lock space of the tally: (space, centre id)


def note_changed_centres(session) -> None:
    """After a flush: the centres of the programmes and citizens whose counted facts changed."""
    centres = session.info.setdefault(_CHANGED, set())
    for obj in session.new:
        if isinstance(obj, Programme):
            centres.add(obj.centre_id)
    for obj in session.deleted:
        if isinstance(obj, Programme):
            centres.add(obj.centre_id)
    for obj in session.dirty:
        if isinstance(obj, Programme):
            state = sa_inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _COUNTED):
                centres.add(obj.centre_id)
                # moved: the centre it left, whether the key or the relationship was set
                centres.update(state.attrs.centre_id.history.deleted or ())
                centres.update(centre.id for centre in state.attrs.centre.history.deleted or () if centre is not None)
        elif isinstance(obj, Citizen):
            state = sa_inspect(obj)
            if state.attrs.category_id.history.has_changes() or state.attrs.category.history.has_changes():
                centres.update(
                    session.connection().scalars(
                        select(Programme.centre_id).where(Programme.citizen_id == obj.id).distinct()
                    )
                )


def recount_changed_centres(session) -> None:
    """At commit: recount the centres noted since the last commit."""
    session.flush()
    centres = session.info.pop(_CHANGED, None)
    if centres:
        recount(session.connection(), centres)


def forget_changed_centres(session) -> None:
    session.info.pop(_CHANGED, None)


def recount(connection, centre_ids: Iterable[int | None] | None = None) -> None:
    """Recount the tally of these centres (of every centre with ``None``) from their programmes, in the caller's
    transaction."""
    if centre_ids is None:
        centre_ids = connection.scalars(select(Centre.id))
    centres = sorted({centre for centre in centre_ids if centre is not None})
    if not centres:
        return
    if connection.dialect.name == "postgresql":
        for centre in centres:  # in order: two recounts of several centres never wait for each other in a circle
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:space, :centre)"), {"space": _LOCKS, "centre": centre}
            )
    for model in (CaseloadTally, CaseloadMonth, CaseloadCentre):
        connection.execute(delete(model).where(model.centre_id.in_(centres)))
    counted = (
        select(Programme.centre_id, Programme.status, Programme.stage, Citizen.category_id, func.count())
        .join(Citizen, Citizen.id == Programme.citizen_id)
        .where(Programme.centre_id.in_(centres))
        .group_by(Programme.centre_id, Programme.status, Programme.stage, Citizen.category_id)
    )
    connection.execute(
        insert(CaseloadTally).from_select(["centre_id", "status", "stage", "category_id", "programmes"], counted)
    )
    citizens = (
        select(func.count(func.distinct(Programme.citizen_id)))
        .where(Programme.centre_id == Centre.id, Programme.status.in_(OPEN_PROGRAMMES))
        .scalar_subquery()
    )
    connection.execute(
        insert(CaseloadCentre).from_select(
            ["centre_id", "citizens", "counted_at"],
            select(Centre.id, citizens, literal(utcnow(), CaseloadCentre.counted_at.type)).where(
                Centre.id.in_(centres)
            ),
        )
    )
    months = _months(connection, centres)
    if months:
        connection.execute(insert(CaseloadMonth), months)


def _months(connection, centres: list[int]) -> list[dict]:
    """Enrolments and closures per centre and month, counted per day in SQL (no date function: the same SQL on both
    databases) and summed per month here."""

    def daily(column, what: str):
        return (
            select(literal(what), Programme.centre_id, column, func.count())
            .where(Programme.centre_id.in_(centres), column.is_not(None))
            .group_by(Programme.centre_id, column)
        )

    counts: Counter[tuple[int, object, str]] = Counter()
    for what, centre, day, n in connection.execute(
        union_all(daily(Programme.activated_on, "enrolled"), daily(Programme.closed_on, "closed"))
    ):
        counts[centre, rules.month_start(day), what] += n
    months = sorted({(centre, month) for centre, month, _ in counts})
    return [
        {
            "centre_id": centre,
            "month": month,
            "enrolled": counts[centre, month, "enrolled"],
            "closed": counts[centre, month, "closed"],
        }
        for centre, month in months
    ]
