"""The reminder scan: which reminders are due today, recorded once, and closed when their cause is gone.

Every due date comes from the rules engine; the database only narrows the candidates with indexed date-range
queries (open programmes by start or end date, open measures by due date, on partial indexes of the open rows), so
the scan never walks every programme. It is idempotent: a reminder is identified by (recipient, kind, subject, due
date) under a unique index and inserted with ``ON CONFLICT DO NOTHING``, so two scans, even at once on two workers,
record it once. An open reminder that the scan no longer finds due (the item was done, the programme closed or
extended) is closed. A reminder the recipient marked done stays done.

Who is reminded of what (issue decisions, DOMAIN.md §3):
* the responsible specialist: interim assessment due within 7 days / overdue; monitoring inspection due within
  7 days / overdue; the end of the term passed without completion or extension; a measure due within 3 days /
  overdue;
* the centre's directors: the same items when overdue by more than 7 days (escalation); a programme extended to the
  one-year limit; the monthly report not submitted by the 5th (warning) and by the 10th (overdue);
* territory and department users: centres whose report is overdue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.domain import rules
from app.domain.choices import (
    OPEN_STATUSES,
    ControlKind,
    DecisionKind,
    MeasureStatus,
    ProgrammeStatus,
    ReminderKind,
    ReportStatus,
)
from app.extensions import db
from app.models import (
    Centre,
    CommitteeDecision,
    ControlEvent,
    Measure,
    MonthlyReport,
    Programme,
    Reminder,
    StaffProfile,
)
from app.models.base import utcnow
from app.security import roles

DUE_SOON_DAYS = 7  # interim assessment and monitoring inspection: remind a week ahead [D]
MEASURE_SOON_DAYS = 3  # a measure: three days ahead
ESCALATION_DAYS = 7  # the director hears of items overdue by more than a week
_SLACK = timedelta(days=4)  # month ends make add_months non-invertible: widen the SQL window, decide in Python

# The status lists are written into the SQL rather than bound, so that the partial indexes on open programmes and
# open measures apply (neither SQLite nor a generic PostgreSQL plan can match a bound list to an index predicate).
_OPEN_PROGRAMME = bindparam("open_programme", [s.value for s in OPEN_STATUSES], expanding=True, literal_execute=True)
_OPEN_MEASURE = bindparam(
    "open_measure", [MeasureStatus.PLANNED.value, MeasureStatus.IN_PROGRESS.value], expanding=True, literal_execute=True
)

_OVERDUE_KINDS = frozenset(
    {
        ReminderKind.INTERIM_OVERDUE,
        ReminderKind.MONITORING_OVERDUE,
        ReminderKind.PROGRAMME_ENDED,
        ReminderKind.MEASURE_OVERDUE,
    }
)


@dataclass(frozen=True)
class Due:
    recipient_id: int
    kind: str
    subject_key: str
    due_date: date
    centre_id: int | None = None
    programme_id: int | None = None
    measure_id: int | None = None
    report_id: int | None = None

    @property
    def key(self) -> tuple[int, str, str, date]:
        return (self.recipient_id, self.kind, self.subject_key, self.due_date)


@dataclass
class ScanResult:
    due: int = 0
    created: int = 0
    closed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


# --- what is due --------------------------------------------------------------------------------------------------


def specialist_items(today: date) -> list[Due]:
    """Interim, monitoring, end of term and measures of open programmes, for the responsible specialist."""
    items: list[Due] = []
    soon = today + timedelta(days=DUE_SOON_DAYS)
    interim_held = select(ControlEvent.id).where(
        ControlEvent.programme_id == Programme.id, ControlEvent.kind == ControlKind.INTERIM
    )
    # interim assessment falls due 3 months after the start: candidates started up to (soon - 3 months)
    for pid, centre, specialist, start, end in db.session.execute(
        select(
            Programme.id, Programme.centre_id, Programme.specialist_id, Programme.start_date, Programme.end_date
        ).where(
            Programme.status.in_(_OPEN_PROGRAMME),
            Programme.start_date <= rules.add_months(soon, -rules.INTERIM_MONTHS) + _SLACK,
            Programme.specialist_id.is_not(None),
            ~interim_held.exists(),
        )
    ):
        due = rules.interim_due(start)
        if not rules.interim_required(start, end) or due > soon:
            continue
        kind = ReminderKind.INTERIM_OVERDUE if due < today else ReminderKind.INTERIM_DUE
        items.append(Due(specialist, kind, f"programme:{pid}", due, centre, pid))
    # monitoring falls due 14 days before the end; the end itself
    monitoring_held = (
        select(func.max(ControlEvent.held_on))
        .where(ControlEvent.programme_id == Programme.id, ControlEvent.kind == ControlKind.MONITORING)
        .scalar_subquery()
    )
    latest_extension = (
        select(func.max(CommitteeDecision.meeting_date))
        .where(CommitteeDecision.programme_id == Programme.id, CommitteeDecision.decision == DecisionKind.EXTEND)
        .scalar_subquery()
    )
    for pid, centre, specialist, start, end, monitoring, extended in db.session.execute(
        select(
            Programme.id,
            Programme.centre_id,
            Programme.specialist_id,
            Programme.start_date,
            Programme.end_date,
            monitoring_held,
            latest_extension,
        ).where(
            Programme.status.in_(_OPEN_PROGRAMME),
            Programme.end_date <= soon + timedelta(days=rules.MONITORING_LEAD_DAYS),
            Programme.specialist_id.is_not(None),
        )
    ):
        held = monitoring is not None and (extended is None or monitoring > extended)
        due = rules.monitoring_due(end, start)
        if not held and due <= soon:
            kind = ReminderKind.MONITORING_OVERDUE if due < today else ReminderKind.MONITORING_DUE
            items.append(Due(specialist, kind, f"programme:{pid}", due, centre, pid))
        if end < today:
            items.append(Due(specialist, ReminderKind.PROGRAMME_ENDED, f"programme:{pid}", end, centre, pid))
    # measures due within 3 days or overdue
    measures = db.session.execute(
        select(Measure.id, Measure.due_date, Measure.status, Programme.id, Programme.centre_id, Programme.specialist_id)
        .join(Programme, Programme.id == Measure.programme_id)
        .where(
            Measure.status.in_(_OPEN_MEASURE),
            Measure.due_date <= today + timedelta(days=MEASURE_SOON_DAYS),
            Programme.status.in_(_OPEN_PROGRAMME),
            Programme.specialist_id.is_not(None),
        )
    ).all()
    for mid, due, status, pid, centre, specialist in measures:
        kind = ReminderKind.MEASURE_OVERDUE if rules.measure_overdue(due, status, today) else ReminderKind.MEASURE_DUE
        items.append(Due(specialist, kind, f"measure:{mid}", due, centre, pid, mid))
    return items


def director_items(today: date, specialist: Iterable[Due], directors: dict[int, list[int]]) -> list[Due]:
    """Escalations of long-overdue items and programmes extended to the one-year limit, for the centre's directors."""
    items: list[Due] = []
    for item in specialist:
        if item.kind in _OVERDUE_KINDS and (today - item.due_date).days > ESCALATION_DAYS:
            subject = f"{item.kind}:{item.subject_key}"
            for director in directors.get(item.centre_id, ()):
                items.append(
                    Due(
                        director,
                        ReminderKind.ESCALATION,
                        subject,
                        item.due_date,
                        item.centre_id,
                        item.programme_id,
                        item.measure_id,
                    )
                )
    limit_candidates = db.session.execute(
        select(Programme.id, Programme.centre_id, Programme.start_date, Programme.end_date).where(
            Programme.status == ProgrammeStatus.EXTENDED, Programme.end_date >= today
        )
    ).all()
    for pid, centre, start, end in limit_candidates:
        if rules.can_extend_further(start, end):
            continue
        for director in directors.get(centre, ()):
            items.append(Due(director, ReminderKind.EXTENSION_LIMIT, f"programme:{pid}", end, centre, pid))
    return items


def report_items(today: date, recipients: Recipients) -> list[Due]:
    """The previous month's report: a warning from the 5th, overdue after the 10th (S1 annex 3)."""
    month = rules.reporting_month(today)
    if today < rules.report_warning_date(month):
        return []
    overdue = today > rules.report_due(month)
    submitted = dict(
        db.session.execute(
            select(MonthlyReport.centre_id, MonthlyReport.id).where(
                MonthlyReport.month == month, MonthlyReport.status == ReportStatus.SUBMITTED
            )
        ).all()
    )
    reports = dict(
        db.session.execute(select(MonthlyReport.centre_id, MonthlyReport.id).where(MonthlyReport.month == month)).all()
    )
    items: list[Due] = []
    kind = ReminderKind.REPORT_OVERDUE if overdue else ReminderKind.REPORT_WARNING
    due = rules.report_due(month)
    for centre_id, territory_id in db.session.execute(select(Centre.id, Centre.territory_id)).all():
        if centre_id in submitted:
            continue
        people = list(recipients.directors.get(centre_id, ()))
        if overdue:
            people += recipients.territory.get(territory_id, []) + recipients.department
        subject = f"report:{centre_id}:{month:%Y-%m}"
        report_id = reports.get(centre_id)
        items += [Due(p, kind, subject, due, centre_id, report_id=report_id) for p in dict.fromkeys(people)]
    return items


@dataclass
class Recipients:
    directors: dict[int, list[int]]  # centre → directors
    territory: dict[int, list[int]]  # territory → territory users
    department: list[int]


def recipients() -> Recipients:
    """Active users by role and attachment (staff profile): who hears about a centre beyond its specialists."""
    rows = db.session.execute(
        select(User.id, Role.name, StaffProfile.centre_id, StaffProfile.territory_id)
        .join(assoc_user_role, assoc_user_role.c.user_id == User.id)
        .join(Role, Role.id == assoc_user_role.c.role_id)
        .join(StaffProfile, StaffProfile.user_id == User.id, isouter=True)
        .where(User.active.is_(True), Role.name.in_((roles.DIRECTOR, roles.TERRITORY, roles.DEPARTMENT)))
    ).all()
    result = Recipients({}, {}, [])
    for user_id, name, centre_id, territory_id in rows:
        if name == roles.DIRECTOR and centre_id is not None:
            result.directors.setdefault(centre_id, []).append(user_id)
        elif name == roles.TERRITORY and territory_id is not None:
            result.territory.setdefault(territory_id, []).append(user_id)
        elif name == roles.DEPARTMENT:
            result.department.append(user_id)
    return result


def due_reminders(today: date) -> dict[tuple, Due]:
    """Every reminder that should be open today, keyed like the unique index."""
    people = recipients()
    specialist = specialist_items(today)
    items = specialist + director_items(today, specialist, people.directors) + report_items(today, people)
    return {item.key: item for item in items}


# --- recording --------------------------------------------------------------------------------------------------


def _insert_ignoring_duplicates(rows: list[dict]) -> int:
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Reminder)
        .on_conflict_do_nothing(index_elements=["recipient_id", "kind", "subject_key", "due_date"])
        .returning(Reminder.id)  # only the rows inserted: drivers disagree on executemany's rowcount
    )
    created = 0
    for start in range(0, len(rows), 500):
        created += len(db.session.connection().execute(statement, rows[start : start + 500]).all())
    return created


def scan(today: date) -> ScanResult:
    """Record the reminders due today and close those whose cause is gone; commits.

    Reminders already open are neither inserted again nor touched: an hourly scan of an unchanged day writes nothing.
    """
    due = due_reminders(today)
    now = utcnow()
    open_rows = db.session.execute(
        select(Reminder.id, Reminder.recipient_id, Reminder.kind, Reminder.subject_key, Reminder.due_date).where(
            Reminder.closed_at.is_(None)
        )
    ).all()
    open_keys = {tuple(key): rid for rid, *key in open_rows}
    rows = [
        {
            "recipient_id": d.recipient_id,
            "kind": str(d.kind),
            "subject_key": d.subject_key,
            "due_date": d.due_date,
            "centre_id": d.centre_id,
            "programme_id": d.programme_id,
            "measure_id": d.measure_id,
            "report_id": d.report_id,
            "created_at": now,
        }
        for key, d in due.items()
        if key not in open_keys
    ]
    result = ScanResult(due=len(due))
    result.created = _insert_ignoring_duplicates(rows)  # closed ones (done by the person) conflict and stay closed
    gone = [rid for key, rid in open_keys.items() if key not in due]
    for start in range(0, len(gone), 500):
        db.session.execute(
            update(Reminder).where(Reminder.id.in_(gone[start : start + 500])).values(closed_at=now, auto_closed=True)
        )
    result.closed = len(gone)
    for item in due.values():
        result.by_kind[str(item.kind)] = result.by_kind.get(str(item.kind), 0) + 1
    db.session.commit()
    return result
