"""Background jobs for real: Redis on 127.0.0.1 (its own database number), a worker process, rq's cron schedule,
Redis unreachable, and the e-mail digest against a local SMTP server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from redis import Redis
from rq import Queue, SimpleWorker
from rq.cron import CronScheduler
from sqlalchemy import func, select

from app.casework import workflow
from app.domain import rules
from app.extensions import db
from app.models import JobRun, Reminder
from app.platform import jobs
from app.platform.clock import today as regional_today
from app.platform.clock import zone
from app.reminders import jobs as reminder_jobs
from tests import factories
from tests.factories import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_db():
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture
def overdue_case(world):
    """An active programme whose interim assessment is a week overdue today."""
    start = rules.add_months(regional_today(), -3) - timedelta(days=7)
    programme = factories.draft_case(world, start)
    workflow.activate(programme, start, scope=None)
    db.session.commit()
    return programme


def explode() -> None:
    raise RuntimeError("the job broke")


def test_cron_schedule_is_in_the_regions_time_zone(redis_db):
    saved = os.environ.get("TZ")
    try:
        scheduler = CronScheduler(connection=redis_db)
        scheduler.load_config_from_file("app.cron")
        by_name = {job.name: job for job in scheduler.get_jobs()}
        assert set(by_name) == {"reminders-morning-scan", "reminders-hourly-scan", "reminders-digest"}
        morning = by_name["reminders-morning-scan"]
        assert morning.func is reminder_jobs.enqueue_scan and morning.queue_name == jobs.QUEUE
        assert morning.next_enqueue_time.astimezone(zone()).hour == 7  # 07:00 in Yugra, whatever the server's zone
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_cron_enqueues_the_scan_and_a_worker_process_runs_it(app, overdue_case, redis_db):
    saved = os.environ.get("TZ")
    try:
        with time_machine.travel(datetime.now(zone()).replace(hour=6, minute=59, second=50), tick=False) as clock:
            scheduler = CronScheduler(connection=redis_db)
            scheduler.load_config_from_file("app.cron")
            clock.shift(timedelta(seconds=15))  # 07:00:05: the morning scan is due
            enqueued = scheduler.enqueue_jobs()
        assert [job.name for job in enqueued] == ["reminders-morning-scan"]
    finally:
        os.environ.pop("TZ", None) if saved is None else os.environ.__setitem__("TZ", saved)
        time.tzset()
    assert Queue(jobs.QUEUE, connection=redis_db).count == 1
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "APP_ENV": "testing",
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.run(
        [sys.executable, "-m", "app.worker", "--burst", jobs.QUEUE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    db.session.expire_all()
    kinds = set(db.session.scalars(select(Reminder.kind).where(Reminder.programme_id == overdue_case.id)))
    assert kinds == {"interim_overdue"}
    run = db.session.scalars(select(JobRun).where(JobRun.name == "reminders.scan")).one()
    assert run.status == "done"
    assert Queue(jobs.QUEUE, connection=redis_db).count == 0


def test_a_failed_job_is_shown_to_the_administrator(app, world, redis_db, login, monkeypatch):
    queue = Queue(jobs.QUEUE, connection=redis_db)
    queue.enqueue(explode)
    SimpleWorker([queue], connection=redis_db).work(burst=True)
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    page = login("admin").get("/jobrunview/list/").get_data(as_text=True)
    assert "tests.reminders.test_jobs.explode" in page and "the job broke" in page


def test_redis_down_the_console_works_and_the_admin_is_told(app, overdue_case, login, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", DEAD_REDIS_URL)
    client = login("specialist")
    assert client.get("/case/mine").status_code == 200
    response = client.post(f"/case/{overdue_case.id}/tick", data={"item": "collect_information"})
    assert response.status_code == 302  # the tick is saved; the scan could not be queued
    assert client.get(response.headers["Location"]).status_code == 200
    failed = db.session.scalars(select(JobRun).where(JobRun.status == "enqueue_failed")).all()
    assert [run.name for run in failed] == ["reminders.scan"] and "Connection" in failed[0].detail
    page = login("admin").get("/jobrunview/list/").get_data(as_text=True)
    assert "Redis недоступен" in page and "не поставлено в очередь" in page


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(app, monkeypatch):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    yield inbox
    controller.stop()


def test_daily_digest_one_message_per_person_per_day(world, overdue_case, smtp_inbox):
    factories.measure(overdue_case, due_date=regional_today() - timedelta(days=2))
    reminder_jobs.scan_reminders()
    assert reminder_jobs.send_digests() >= 1
    to_specialist = [m for m in smtp_inbox.messages if m["To"] == "specialist@example.org"]
    assert len(to_specialist) == 1
    body = to_specialist[0].get_payload(decode=True).decode()
    assert "промежуточная оценка просрочена" in body and "Консультация юриста" in body
    sent = len(smtp_inbox.messages)
    reminder_jobs.scan_reminders()
    assert reminder_jobs.send_digests() == 0 and len(smtp_inbox.messages) == sent  # nothing new, nobody mailed twice
    assert db.session.scalar(select(func.count(Reminder.id)).where(Reminder.notified_at.is_(None))) == 0
