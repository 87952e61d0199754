"""What a specialist reads: the caseload ("My cases") with what is due next.

What is due next comes from the rules engine (``rules.next_due``) and is stored on the programme at every commit
that touched its facts (the programme, its measures, control events or decisions), so "My cases" reads a page of a
region's open programmes in that order from an index instead of computing it for all of them on every view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import joinedload

from app.domain import rules
from app.domain.choices import ControlKind, DecisionKind
from app.extensions import db
from app.models import CommitteeDecision, ControlEvent, Measure, Programme
from app.models.programmes import OPEN_MEASURES, OPEN_PROGRAMMES
from app.security.scope import Scope, current_scope, restrict


@dataclass(frozen=True)
class Case:
    programme: Programme  # with citizen and specialist
    next: rules.DueItem | None
    overdue: bool


def _held(kind: str):
    return (
        select(func.max(ControlEvent.held_on))
        .where(ControlEvent.programme_id == Programme.id, ControlEvent.kind == kind)
        .scalar_subquery()
    )


def _facts():
    """What ``rules.next_due`` needs of programmes, a row each: (id, status, start, end, interim held on, monitoring
    held on, extended on, earliest open measure)."""
    return select(
        Programme.id,
        Programme.status,
        Programme.start_date,
        Programme.end_date,
        _held(ControlKind.INTERIM),
        _held(ControlKind.MONITORING),
        select(func.max(CommitteeDecision.meeting_date))
        .where(CommitteeDecision.programme_id == Programme.id, CommitteeDecision.decision == DecisionKind.EXTEND)
        .scalar_subquery(),
        select(func.min(Measure.due_date))
        .where(Measure.programme_id == Programme.id, Measure.status.in_(OPEN_MEASURES))
        .scalar_subquery(),
    )


def next_due_of(status, start, end, interim, monitoring, extended, measure_due) -> rules.DueItem | None:
    """The rules engine's next item for one row of ``_facts``."""
    facts = rules.ProgrammeFacts(
        status=status,
        start_date=start,
        end_date=end,
        interim_held_on=interim,
        monitoring_held_on=monitoring,
        extended_on=extended,
        next_measure_due=measure_due,
    )
    return rules.next_due(facts)


_NEXT_DUE = (
    update(Programme.__table__)
    .where(Programme.__table__.c.id == bindparam("pid"))
    .values(next_due_on=bindparam("due"), next_due_kind=bindparam("kind"))
)


def refresh_next_due(connection, programme_ids) -> None:
    """Store what is due next for these programmes (``Programme.next_due_on``), from the rules engine."""
    ids = sorted({pid for pid in programme_ids if pid is not None})
    for first in range(0, len(ids), 500):
        rows = connection.execute(_facts().where(Programme.id.in_(ids[first : first + 500])))
        values = []
        for pid, *facts in rows:
            item = next_due_of(*facts)
            values.append({"pid": pid, "due": item.due_date if item else None, "kind": item.kind if item else None})
        if values:
            connection.execute(_NEXT_DUE, values)


_CHANGED = "next_due_changed"  # session.info: programmes whose next due item may have moved since the last commit


def note_changed_programmes(session) -> None:
    """After a flush: the programmes touched directly, or through a measure, a control event or a decision."""
    changed = session.info.setdefault(_CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Programme):
            changed.add(obj.id)
        elif isinstance(obj, Measure | ControlEvent | CommitteeDecision):
            changed.add(obj.programme_id)
            history = sa_inspect(obj).attrs.programme_id.history
            changed.update(history.deleted or ())  # a measure moved to another programme leaves the first one


def refresh_changed_programmes(session) -> None:
    """At commit: what is due next on each programme whose facts changed since the last commit."""
    session.flush()
    changed = session.info.pop(_CHANGED, None)
    if changed:
        refresh_next_due(session.connection(), changed)


def forget_changed_programmes(session) -> None:
    session.info.pop(_CHANGED, None)


def _open_programmes(mine: bool, scope: Scope | None):
    scope = scope or current_scope()
    query = select(Programme).where(Programme.status.in_(OPEN_PROGRAMMES))
    if mine:
        query = query.where(Programme.specialist_id == scope.user_id)
    return restrict(query, Programme, scope)


def open_cases(
    today: date,
    *,
    mine: bool,
    scope: Scope | None = None,
    offset: int = 0,
    limit: int | None = None,
    due_from: date | None = None,
    due_before: date | None = None,
) -> list[Case]:
    """Open programmes of the user (``mine``) or of the whole scope, by what is due next: the overdue ones come
    first, as theirs are the earliest dates. Read in that order from the index, a page at a time."""
    query = _open_programmes(mine, scope).options(joinedload(Programme.citizen), joinedload(Programme.specialist))
    if due_from is not None:
        query = query.where(Programme.next_due_on >= due_from)
    if due_before is not None:
        query = query.where(Programme.next_due_on < due_before)
    query = query.order_by(Programme.next_due_on, Programme.number).offset(offset).limit(limit)
    cases = []
    for programme in db.session.scalars(query):
        item = None
        if programme.next_due_on is not None:
            item = rules.DueItem(rules.DueKind(programme.next_due_kind), programme.next_due_on)
        cases.append(Case(programme, item, item is not None and item.overdue(today)))
    return cases


def caseload_counts(today: date, *, mine: bool, scope: Scope | None = None) -> tuple[int, int]:
    """(open programmes, overdue among them) of the user or of the scope."""
    counted = _open_programmes(mine, scope).with_only_columns(
        func.count(), func.count(case((Programme.next_due_on < today, 1)))
    )
    total, overdue = db.session.execute(counted).one()
    return total, overdue
