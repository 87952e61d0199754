"""The reminder scan: which reminders are due today, recorded once, and closed when their cause is gone.

Every due date comes from the rules engine; the database only narrows the candidates with indexed date-range
queries (open programmes by start or end date, open measures by due date, on partial indexes of the open rows), so
the scan never walks every programme. It is idempotent: a reminder is identified by (recipient, kind, subject, due
date) under a unique index and inserted with ``ON CONFLICT DO NOTHING``, so two scans, even at once on two workers,
record it once. An open reminder that the scan no longer finds due (the item was done, the programme closed or
extended) is closed. A reminder the recipient marked done stays done.

The new reminders of a scan are written in bulk however many there are (on PostgreSQL copied into a table of the
transaction and inserted from it in one statement; on SQLite one prepared INSERT run over every row), without
foreign keys to check row by row (``app.models.reminders``): the day's first scan of a region records about 30,000.

A scan handles tens of thousands of reminders (every open measure past its date, and its escalation): rows are read
through Core, not the ORM, and what is due is kept as tuples of ints, strings and dates, which the garbage collector
leaves alone (no dataclass, no enum member per reminder).

Who is reminded of what (issue decisions, DOMAIN.md §3):
* the responsible specialist: interim assessment due within 7 days / overdue; monitoring inspection due within
  7 days / overdue; the end of the term passed without completion or extension; a measure due within 3 days /
  overdue;
* the centre's directors: the same items when overdue by more than 7 days (escalation); a programme extended to the
  one-year limit; the monthly report not submitted by the 5th (warning) and by the 10th (overdue);
* territory and department users: centres whose report is overdue;
* a partner organisation's users: the organisation's measures they see (``app.security.scope``) due within 3 days
  / overdue, naming the measure only;
* the responsible specialist: a partner organisation's report on a measure, for a week after it was made.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter

from flask_appbuilder.security.sqla.models import Role, User, assoc_user_role
from sqlalchemy import Row, Select, func, select, text, update
from sqlalchemy.dialects import sqlite

from app.domain import roles, rules
from app.domain.choices import (
    ControlKind,
    DecisionKind,
    ProgrammeStatus,
    ReminderKind,
    ReportStatus,
)
from app.domain.roles import PARTNER
from app.extensions import db
from app.models import (
    Centre,
    CommitteeDecision,
    ControlEvent,
    Measure,
    MeasureReport,
    MonthlyReport,
    Programme,
    Reminder,
    StaffProfile,
)
from app.models.base import utcnow
from app.models.programmes import OPEN_MEASURES, OPEN_PROGRAMMES
from app.platform.memory import collection_paused
from app.security.scope import restrict, scope_for

_SLACK = timedelta(days=4)  # month ends make add_months non-invertible: widen the SQL window, decide in Python

# The kinds as plain str, not enum members: the garbage collector stops tracking a tuple of ints, strs and dates,
# whereas tens of thousands of keys holding enum members set off full collections, each as long as the scan itself.
INTERIM_DUE = ReminderKind.INTERIM_DUE.value
INTERIM_OVERDUE = ReminderKind.INTERIM_OVERDUE.value
MONITORING_DUE = ReminderKind.MONITORING_DUE.value
MONITORING_OVERDUE = ReminderKind.MONITORING_OVERDUE.value
PROGRAMME_ENDED = ReminderKind.PROGRAMME_ENDED.value
MEASURE_DUE = ReminderKind.MEASURE_DUE.value
MEASURE_OVERDUE = ReminderKind.MEASURE_OVERDUE.value
ESCALATION = ReminderKind.ESCALATION.value
EXTENSION_LIMIT = ReminderKind.EXTENSION_LIMIT.value
REPORT_WARNING = ReminderKind.REPORT_WARNING.value
REPORT_OVERDUE = ReminderKind.REPORT_OVERDUE.value
PARTNER_REPORTED = ReminderKind.PARTNER_REPORTED.value
_OVERDUE_KINDS = frozenset({INTERIM_OVERDUE, MONITORING_OVERDUE, PROGRAMME_ENDED, MEASURE_OVERDUE})


Key = tuple[int, str, str, date]  # (recipient, kind, subject, due date), as in the unique index
Refs = tuple[int | None, int | None, int | None, int | None]  # centre, programme, measure, report
Item = tuple[Key, Refs]


@dataclass
class ScanResult:
    due: int = 0
    created: int = 0
    closed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def _rows(statement) -> Iterator[Row]:
    """Rows through Core, a small chunk at a time: no ORM result processing, and the rows (which the garbage
    collector tracks) never pile up into a list of tens of thousands."""
    for chunk in db.session.connection().execute(statement).partitions(200):
        yield from chunk


# --- what is due --------------------------------------------------------------------------------------------------


def specialist_items(today: date, read: Callable[[Select], Iterable[Row]] = _rows) -> Iterator[Item]:
    """Interim, monitoring, end of term and measures of open programmes, for the responsible specialist (the
    measures through ``read``, which may have started reading them already)."""
    soon = today + timedelta(days=rules.DUE_SOON_DAYS)
    interim_held = select(ControlEvent.id).where(
        ControlEvent.programme_id == Programme.id, ControlEvent.kind == ControlKind.INTERIM
    )
    # programmes share their dates: ask the rules engine once per date (a few hundred instead of thousands)
    interim_due, interim_required = functools.cache(rules.interim_due), functools.cache(rules.interim_required)
    # interim assessment falls due 3 months after the start: candidates started up to (soon - 3 months)
    for pid, centre, specialist, start, end in _rows(
        select(
            Programme.id, Programme.centre_id, Programme.specialist_id, Programme.start_date, Programme.end_date
        ).where(
            Programme.status.in_(OPEN_PROGRAMMES),
            Programme.start_date <= rules.add_months(soon, -rules.INTERIM_MONTHS) + _SLACK,
            Programme.specialist_id.is_not(None),
            ~interim_held.exists(),
        )
    ):
        due = interim_due(start)
        if not interim_required(start, end) or due > soon:
            continue
        kind = INTERIM_OVERDUE if due < today else INTERIM_DUE
        yield (specialist, kind, f"programme:{pid}", due), (centre, pid, None, None)
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
    for pid, centre, specialist, start, end, monitoring, extended in _rows(
        select(
            Programme.id,
            Programme.centre_id,
            Programme.specialist_id,
            Programme.start_date,
            Programme.end_date,
            monitoring_held,
            latest_extension,
        ).where(
            Programme.status.in_(OPEN_PROGRAMMES),
            Programme.end_date <= soon + timedelta(days=rules.MONITORING_LEAD_DAYS),
            Programme.specialist_id.is_not(None),
        )
    ):
        due = rules.monitoring_due(end, start)
        refs = (centre, pid, None, None)
        if rules.monitoring_held_in_term(monitoring, extended) is None and due <= soon:
            kind = MONITORING_OVERDUE if due < today else MONITORING_DUE
            yield (specialist, kind, f"programme:{pid}", due), refs
        if end < today:
            yield (specialist, PROGRAMME_ENDED, f"programme:{pid}", end), refs
    # measures due within 3 days or overdue
    for mid, due, status, pid, centre, specialist in read(measure_candidates(today)):
        kind = MEASURE_OVERDUE if rules.measure_overdue(due, status, today) else MEASURE_DUE
        yield (specialist, kind, f"measure:{mid}", due), (centre, pid, mid, None)


def measure_candidates(today: date):
    """Open measures of open programmes due within 3 days or overdue, with their programme's specialist."""
    return (
        select(Measure.id, Measure.due_date, Measure.status, Programme.id, Programme.centre_id, Programme.specialist_id)
        .join(Programme, Programme.id == Measure.programme_id)
        .where(
            Measure.status.in_(OPEN_MEASURES),
            Measure.due_date <= today + timedelta(days=rules.MEASURE_SOON_DAYS),
            Programme.status.in_(OPEN_PROGRAMMES),
            Programme.specialist_id.is_not(None),
        )
    )


def partner_items(today: date) -> Iterator[Item]:
    """A partner's user: the organisation's measures the user sees today (the partner's row scope, consent
    included), due within 3 days or overdue. No centre and no programme on the reminder: it names the measure."""
    soon = today + timedelta(days=rules.MEASURE_SOON_DAYS)
    partners = db.session.scalars(
        select(User)
        .join(assoc_user_role, assoc_user_role.c.user_id == User.id)
        .join(Role, Role.id == assoc_user_role.c.role_id)
        .where(User.active.is_(True), Role.name == PARTNER)
    ).all()
    for user in partners:
        scope = scope_for(user)
        if not scope.partner:
            continue
        measures = select(Measure.id, Measure.due_date, Measure.status).where(
            Measure.status.in_(OPEN_MEASURES), Measure.due_date <= soon
        )
        for mid, due, status in _rows(restrict(measures, Measure, scope)):
            kind = MEASURE_OVERDUE if rules.measure_overdue(due, status, today) else MEASURE_DUE
            yield (user.id, kind, f"measure:{mid}", due), (None, None, mid, None)


def partner_report_items(today: date) -> Iterator[Item]:
    """The responsible specialist: each partner's report on a measure of an open programme, for a week."""
    since = today - timedelta(days=rules.PARTNER_REPORT_NOTICE_DAYS)
    for rid, mid, on, pid, centre, specialist in _rows(
        select(
            MeasureReport.id,
            MeasureReport.measure_id,
            MeasureReport.reported_on,
            Programme.id,
            Programme.centre_id,
            Programme.specialist_id,
        )
        .join(Measure, Measure.id == MeasureReport.measure_id)
        .join(Programme, Programme.id == Measure.programme_id)
        .where(
            MeasureReport.reported_on >= since,
            Programme.status.in_(OPEN_PROGRAMMES),
            Programme.specialist_id.is_not(None),
        )
    ):
        yield (specialist, PARTNER_REPORTED, f"measure_report:{rid}", on), (centre, pid, mid, None)


def escalated(today: date, items: Iterable[Item], directors: dict[int, list[int]]) -> Iterator[Item]:
    """The items themselves and, for an item overdue by more than a week, one escalation to each of the centre's
    directors."""
    escalates = functools.cache(rules.escalates)  # a few hundred due dates among tens of thousands of items
    for item in items:
        yield item
        (_, kind, subject, due), refs = item
        if kind in _OVERDUE_KINDS and escalates(due, today):
            for director in directors.get(refs[0], ()):
                yield (director, ESCALATION, f"{kind}:{subject}", due), refs


def extension_limit_items(today: date, directors: dict[int, list[int]]) -> Iterator[Item]:
    """Programmes extended to the one-year limit, for the centre's directors."""
    can_extend_further = functools.cache(rules.can_extend_further)  # programmes share their terms
    for pid, centre, start, end in _rows(
        select(Programme.id, Programme.centre_id, Programme.start_date, Programme.end_date).where(
            Programme.status == ProgrammeStatus.EXTENDED, Programme.end_date >= today
        )
    ):
        if can_extend_further(start, end):
            continue
        for director in directors.get(centre, ()):
            yield (director, EXTENSION_LIMIT, f"programme:{pid}", end), (centre, pid, None, None)


def report_items(today: date, recipients: Recipients) -> Iterator[Item]:
    """The previous month's report: a warning from the 5th, overdue after the 10th (S1 annex 3)."""
    month = rules.reporting_month(today)
    if today < rules.report_warning_date(month):
        return
    overdue = today > rules.report_due(month)
    reports, submitted = {}, set()
    for centre_id, report_id, status in _rows(
        select(MonthlyReport.centre_id, MonthlyReport.id, MonthlyReport.status).where(MonthlyReport.month == month)
    ):
        reports[centre_id] = report_id
        if status == ReportStatus.SUBMITTED:
            submitted.add(centre_id)
    kind = REPORT_OVERDUE if overdue else REPORT_WARNING
    due = rules.report_due(month)
    for centre_id, territory_id in _rows(select(Centre.id, Centre.territory_id)):
        if centre_id in submitted:
            continue
        people = list(recipients.directors.get(centre_id, ()))
        if overdue:
            people += recipients.territory.get(territory_id, []) + recipients.department
        subject = f"report:{centre_id}:{month:%Y-%m}"
        for person in dict.fromkeys(people):
            yield (person, kind, subject, due), (centre_id, None, None, reports.get(centre_id))


@dataclass
class Recipients:
    directors: dict[int, list[int]]  # centre → directors
    territory: dict[int, list[int]]  # territory → territory users
    department: list[int]


def recipients() -> Recipients:
    """Active users by role and attachment (staff profile): who hears about a centre beyond its specialists."""
    rows = _rows(
        select(User.id, Role.name, StaffProfile.centre_id, StaffProfile.territory_id)
        .join(assoc_user_role, assoc_user_role.c.user_id == User.id)
        .join(Role, Role.id == assoc_user_role.c.role_id)
        .join(StaffProfile, StaffProfile.user_id == User.id, isouter=True)
        .where(User.active.is_(True), Role.name.in_((roles.DIRECTOR, roles.TERRITORY, roles.DEPARTMENT)))
    )
    result = Recipients({}, {}, [])
    for user_id, name, centre_id, territory_id in rows:
        if name == roles.DIRECTOR and centre_id is not None:
            result.directors.setdefault(centre_id, []).append(user_id)
        elif name == roles.TERRITORY and territory_id is not None:
            result.territory.setdefault(territory_id, []).append(user_id)
        elif name == roles.DEPARTMENT:
            result.department.append(user_id)
    return result


def due_reminders(today: date, read: Callable[[Select], Iterable[Row]] = _rows) -> dict[Key, Refs]:
    """Every reminder that should be open today: (recipient, kind, subject, due date) → (centre, programme,
    measure, report)."""
    people = recipients()
    due = dict(escalated(today, specialist_items(today, read), people.directors))
    due.update(extension_limit_items(today, people.directors))
    due.update(report_items(today, people))
    due.update(partner_items(today))
    due.update(partner_report_items(today))
    return due


# --- recording --------------------------------------------------------------------------------------------------


_COLUMNS = ("recipient_id", "kind", "subject_key", "due_date", "centre_id", "programme_id", "measure_id", "report_id")
# PostgreSQL: the new reminders are copied into a table of this transaction, then inserted from it in one statement;
# a reminder already recorded (open, or closed by its recipient) conflicts and is skipped
_STAGING = (
    "CREATE TEMPORARY TABLE reminder_new (recipient_id INTEGER, kind VARCHAR(32), subject_key VARCHAR(64), "
    "due_date DATE, centre_id INTEGER, programme_id INTEGER, measure_id INTEGER, report_id INTEGER) ON COMMIT DROP"
)
_STAGING_TYPES = ("int4", "varchar", "varchar", "date", "int4", "int4", "int4", "int4")  # as in _STAGING
_FROM_STAGING = text(
    f"INSERT INTO reminder ({', '.join(_COLUMNS)}, created_at, auto_closed) "
    f"SELECT {', '.join(_COLUMNS)}, :created_at, false FROM reminder_new "
    "ON CONFLICT (recipient_id, kind, subject_key, due_date) DO NOTHING"
)


def _insert_ignoring_duplicates(rows: list[tuple], created_at) -> int:
    """Record new reminders (tuples in the order of ``_COLUMNS``) in bulk; the number actually inserted."""
    if not rows:
        return 0
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()  # the session's transaction
        try:
            cursor.execute(_STAGING)
            # binary: the driver writes ints and dates as they are, instead of formatting each as text
            with cursor.copy(f"COPY reminder_new ({', '.join(_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(_STAGING_TYPES)
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
        return connection.execute(_FROM_STAGING, {"created_at": created_at}).rowcount
    # SQLite: one prepared INSERT OR IGNORE, run over every row by the driver (which sums up the rows it inserted)
    statement = sqlite.insert(Reminder).on_conflict_do_nothing(index_elements=list(_COLUMNS[:4]))
    values = [{**dict(zip(_COLUMNS, row, strict=True)), "created_at": created_at} for row in rows]
    return connection.execute(statement, values).rowcount


def _fetched(engine, statement) -> list[Row]:
    """Every row of ``statement``, read on a connection of its own."""
    with engine.connect() as connection:
        return connection.execute(statement).all()


def _open_reminders(engine=None) -> dict[Key, int]:
    """The open reminders, by key: their ids. Read on a connection of its own from ``engine`` (the scan's thread
    beside the one working out what is due), else in the session's transaction."""
    statement = select(
        Reminder.id, Reminder.recipient_id, Reminder.kind, Reminder.subject_key, Reminder.due_date
    ).where(Reminder.closed_at.is_(None))
    rows = _rows(statement) if engine is None else _fetched(engine, statement)
    return {(recipient, kind, subject, when): rid for rid, recipient, kind, subject, when in rows}


def scan(today: date) -> ScanResult:
    """Record the reminders due today and close those whose cause is gone; commits.

    Reminders already open are neither inserted again nor touched: an hourly scan of an unchanged day writes nothing,
    and finds so by comparing the two sets of keys once, without working out the differences.
    """
    now = utcnow()
    with collection_paused():
        if db.engine.dialect.name == "postgresql":
            # the open reminders and the measures due are read by two threads of the scan beside the other
            # candidates: the server's work for each overlaps the others' Python (a fifth of the scan). Not on
            # SQLite, whose driver hands Python's lock back and forth at every row, so that the threads took turns
            # and the scan took twice as long.
            db.session.commit()  # what the session holds is in the database, where the threads see it
            with ThreadPoolExecutor(max_workers=2) as reader:
                open_reminders = reader.submit(_open_reminders, db.engine)
                measures = reader.submit(_fetched, db.engine, measure_candidates(today))
                due = due_reminders(today, lambda statement: measures.result())
                open_keys = open_reminders.result()
        else:
            due = due_reminders(today)
            open_keys = _open_reminders()
        result = ScanResult(due=len(due), by_kind=dict(Counter(map(itemgetter(1), due))))
        if due.keys() == open_keys.keys():
            missing, gone = (), []
        else:
            missing = due.keys() - open_keys.keys()
            gone = sorted(open_keys[key] for key in open_keys.keys() - due.keys())
        new = [(*key, *refs) for key, refs in due.items() if key in missing] if missing else []
    result.created = _insert_ignoring_duplicates(new, now)  # closed ones (done by the person) conflict, stay closed
    for start in range(0, len(gone), 500):  # one its recipient marked done meanwhile stays as they left it
        result.closed += db.session.execute(
            update(Reminder)
            .where(Reminder.id.in_(gone[start : start + 500]), Reminder.closed_at.is_(None))
            .values(closed_at=now, auto_closed=True)
        ).rowcount
    db.session.commit()
    return result
