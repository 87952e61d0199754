"""Reminders: each kind reaches the right person on the right day (time travel), exactly once, closes itself when
its cause is gone; the scan survives concurrency; "My reminders" and the navbar counter."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.casework import workflow
from app.domain import roles, rules
from app.extensions import db
from app.models import ControlEvent, JobRun, MonthlyReport, Reminder
from app.platform.clock import zone
from app.reminders import jobs as reminder_jobs
from app.reminders import scan as reminders
from tests import factories

START = date(2026, 1, 15)  # interim due 15.04.2026, six-month end 14.07.2026, monitoring due 30.06.2026


def travel(day: date):
    """Stand on ``day`` at 09:00 in Yekaterinburg, as the morning scan does."""
    return time_machine.travel(datetime.combine(day, time(9, 0), tzinfo=zone()), tick=False)


def scan_on(day: date) -> dict:
    with travel(day):
        return reminder_jobs.scan_reminders()


def open_reminders(user=None, reports: bool = False) -> set[tuple[str, str, date]]:
    """Open reminders as (kind, subject, due date); the monthly reports' only when asked (they run all year)."""
    db.session.expire_all()
    query = select(Reminder).where(Reminder.closed_at.is_(None))
    if user is not None:
        query = query.where(Reminder.recipient_id == user.id)
    if not reports:
        query = query.where(Reminder.subject_key.not_like("report:%"))
    return {(r.kind, r.subject_key, r.due_date) for r in db.session.scalars(query)}


@pytest.fixture
def active(world):
    programme = factories.draft_case(world, START)
    workflow.activate(programme, START, scope=None)
    db.session.commit()
    return programme


def test_interim_assessment_due_then_overdue_then_closed_when_held(world, active):
    specialist, key = world.users["specialist"], f"programme:{active.id}"
    due = rules.interim_due(START)
    scan_on(due - timedelta(days=8))
    assert open_reminders(specialist) == set()
    scan_on(due - timedelta(days=7))
    assert ("interim_due", key, due) in open_reminders(specialist)
    scan_on(due + timedelta(days=1))
    assert open_reminders(specialist) == {("interim_overdue", key, due)}  # "due soon" closed itself
    db.session.add(ControlEvent(programme_id=active.id, kind="interim", held_on=due + timedelta(days=1)))
    db.session.commit()
    scan_on(due + timedelta(days=2))
    assert open_reminders(specialist) == set()
    closed = db.session.scalars(select(Reminder).where(Reminder.closed_at.is_not(None))).all()
    assert sorted(r.kind for r in closed if r.subject_key == key and r.auto_closed) == [
        "interim_due",
        "interim_overdue",
    ]


def test_monitoring_end_of_term_and_escalation_to_the_director(world, active):
    specialist, director, key = world.users["specialist"], world.users["director"], f"programme:{active.id}"
    db.session.add(ControlEvent(programme_id=active.id, kind="interim", held_on=date(2026, 4, 15)))
    db.session.commit()
    monitoring, end = rules.monitoring_due(active.end_date), active.end_date
    scan_on(monitoring - timedelta(days=7))
    assert open_reminders(specialist) == {("monitoring_due", key, monitoring)}
    scan_on(end + timedelta(days=1))
    assert open_reminders(specialist) == {("monitoring_overdue", key, monitoring), ("programme_ended", key, end)}
    assert open_reminders(director) == {("escalation", f"monitoring_overdue:{key}", monitoring)}  # > 7 days late
    scan_on(end + timedelta(days=8))
    assert ("escalation", f"programme_ended:{key}", end) in open_reminders(director)
    workflow.terminate(active, reason="term_ended", today=end + timedelta(days=9))
    db.session.commit()
    scan_on(end + timedelta(days=9))
    assert open_reminders() == set()  # the programme is closed: every reminder about it too


def test_extension_moves_the_monitoring_reminder_and_the_limit_warns_the_director(world, active):
    specialist, director, key = world.users["specialist"], world.users["director"], f"programme:{active.id}"
    db.session.add(ControlEvent(programme_id=active.id, kind="interim", held_on=date(2026, 4, 15)))
    db.session.commit()
    old_monitoring = rules.monitoring_due(active.end_date)
    scan_on(old_monitoring)
    assert ("monitoring_due", key, old_monitoring) in open_reminders(specialist)
    db.session.add(ControlEvent(programme_id=active.id, kind="monitoring", held_on=old_monitoring, decision="extend"))
    db.session.commit()
    limit = rules.max_extended_end_date(START)
    workflow.record_extension(
        active,
        committee=factories.committee(world.centre_a),
        protocol_number="4",
        meeting_date=old_monitoring,
        extend_to=limit,
        reason=None,
        today=old_monitoring,
    )
    db.session.commit()
    scan_on(old_monitoring + timedelta(days=1))
    assert open_reminders(specialist) == set()  # the old monitoring date is gone with the extension
    assert open_reminders(director) == {("extension_limit", key, limit)}
    new_monitoring = rules.monitoring_due(limit)
    scan_on(new_monitoring - timedelta(days=3))
    assert open_reminders(specialist) == {("monitoring_due", key, new_monitoring)}


def test_measures_due_within_three_days_overdue_and_done(world, active):
    specialist = world.users["specialist"]
    measure = factories.measure(active, due_date=date(2026, 2, 10))
    key = f"measure:{measure.id}"
    scan_on(date(2026, 2, 6))
    assert open_reminders(specialist) == set()
    scan_on(date(2026, 2, 7))
    assert open_reminders(specialist) == {("measure_due", key, date(2026, 2, 10))}
    scan_on(date(2026, 2, 11))
    assert open_reminders(specialist) == {("measure_overdue", key, date(2026, 2, 10))}
    measure.status, measure.done_on = "done", date(2026, 2, 11)
    db.session.commit()
    scan_on(date(2026, 2, 12))
    assert open_reminders(specialist) == set()


def test_monthly_report_warning_then_overdue_up_the_chain(world):
    director, territory, department = (world.users[n] for n in ("director", "territory", "department"))
    key = f"report:{world.centre_a.id}:2026-01"
    due = date(2026, 2, 10)
    scan_on(date(2026, 2, 4))
    assert open_reminders(director, reports=True) == set()
    scan_on(date(2026, 2, 5))
    assert open_reminders(director, reports=True) == {("report_warning", key, due)}
    assert open_reminders(territory, reports=True) == set()
    scan_on(date(2026, 2, 11))
    assert open_reminders(director, reports=True) == {("report_overdue", key, due)}
    assert ("report_overdue", key, due) in open_reminders(territory, reports=True)
    assert ("report_overdue", key, due) in open_reminders(department, reports=True)
    # centre B belongs to the other territory: its overdue report is not this territory user's business
    territory_subjects = {subject for _, subject, _ in open_reminders(territory, reports=True)}
    assert territory_subjects == {key}
    factories.add(
        MonthlyReport(
            centre=world.centre_a,
            month=date(2026, 1, 1),
            status="submitted",
            submitted_at=datetime(2026, 2, 11, 8, 0, tzinfo=zone()),
        )
    )
    scan_on(date(2026, 2, 12))
    assert all(subject != key for _, subject, _ in open_reminders(reports=True))


def test_the_scan_is_idempotent_and_a_done_reminder_stays_done(world, active):
    first = scan_on(rules.interim_due(START))
    again = scan_on(rules.interim_due(START))
    assert first["created"] == first["due"] > 0 and again["created"] == 0 and again["closed"] == 0
    reminder = db.session.scalars(select(Reminder)).first()
    reminder.closed_at = datetime(2026, 4, 15, 10, 0, tzinfo=zone())
    db.session.commit()
    scan_on(rules.interim_due(START))
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).closed_at is not None
    assert db.session.scalar(select(func.count(Reminder.id))) == first["due"]


def test_two_scans_at_once_record_each_reminder_once(app, world):
    for _ in range(20):
        factories.draft_case(world, START)
    db.session.execute(db.text("UPDATE programme SET status = 'active'"))
    db.session.commit()
    day = rules.interim_due(START) + timedelta(days=1)
    barrier, errors = threading.Barrier(2), []

    def scan():
        with app.app_context():
            try:
                barrier.wait()
                reminders.scan(day)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    total = db.session.scalar(select(func.count(Reminder.id)))
    distinct = db.session.scalar(
        select(func.count()).select_from(
            select(Reminder.recipient_id, Reminder.kind, Reminder.subject_key, Reminder.due_date).distinct().subquery()
        )
    )
    assert total == distinct == len(reminders.due_reminders(day)) > 20  # 20 interim overdue, and the reports


def test_the_scan_journals_its_runs(world, active):
    scan_on(rules.interim_due(START))
    run = db.session.scalars(select(JobRun)).one()
    assert (run.name, run.status) == ("reminders.scan", "done") and run.finished_at is not None


# --- in the console ------------------------------------------------------------------------------------------


def test_my_reminders_counter_mark_read_and_done(world, active, login):
    scan_on(rules.interim_due(START) + timedelta(days=1))
    client = login("specialist")
    page = client.get("/reminders/mine").get_data(as_text=True)
    assert "промежуточная оценка просрочена" in page
    assert 'id="reminders-counter"' in page and '<span class="badge">1</span>' in page
    assert "промежуточная оценка просрочена" in client.get("/case/mine").get_data(as_text=True)
    reminder = db.session.scalars(select(Reminder).where(Reminder.recipient_id == world.users["specialist"].id)).one()
    assert client.post(f"/reminders/{reminder.id}/read").status_code == 302
    assert '<span class="badge">' not in client.get("/reminders/mine").get_data(as_text=True)
    assert client.post(f"/reminders/{reminder.id}/done").status_code == 302
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).closed_at is not None
    assert "Все мои напоминания" not in client.get("/case/mine").get_data(as_text=True)  # done: gone from My cases
    other = login("specialist_b")
    assert other.post(f"/reminders/{reminder.id}/done").status_code == 404
    assert 'id="reminders-counter"' not in login("admin").get("/").get_data(as_text=True)


def test_a_deleted_measure_programme_or_user_takes_its_reminders_along(world, active):
    """Reminders point at their recipient and subject without foreign keys (the scan writes them in bulk): the
    delete takes them along."""
    measure = factories.measure(active, due_date=date(2026, 2, 10))
    other = factories.measure(active, due_date=date(2026, 2, 11))
    draft = factories.draft_case(world, START)
    scan_on(date(2026, 2, 12))
    assert {r.measure_id for r in db.session.scalars(select(Reminder))} >= {measure.id, other.id}
    reminder = db.session.scalars(select(Reminder).where(Reminder.measure_id == other.id)).first()
    reminder.programme_id = draft.id  # as if it were about the draft, to see the programme's delete reach it

    db.session.delete(measure)
    db.session.delete(draft)
    db.session.commit()

    left = db.session.scalars(select(Reminder)).all()
    assert not [r for r in left if r.measure_id == measure.id or r.programme_id == draft.id]
    assert [r for r in left if r.measure_id != measure.id]  # the others stay

    leaving = factories.user("leaving", roles.SPECIALIST, centre=world.centre_a)
    factories.add(Reminder(recipient_id=leaving.id, kind="measure_due", subject_key="measure:0", due_date=START))
    db.session.delete(leaving)
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(Reminder.recipient_id == leaving.id)) == 0
