"""Background jobs: on an RQ worker when ``REDIS_URL`` is set, in-process otherwise.

A job is a plain function decorated with ``@job``: it runs inside an app context (the one ``python -m app.worker``
builds once, or one built on first use under a plain ``rq worker``), and leaves a line in the job journal
(``JobRun``) that the administrator reads under Администрирование → Фоновые задания. A job that fails is retried
by RQ with back-off (30 s, 2 min, 10 min) and ends in RQ's failed-job registry, which the same page lists.

If Redis is unreachable, ``enqueue`` logs the failure and journals it as "not queued" instead of raising: the
console keeps working and the next scheduled scan catches up.
"""

from __future__ import annotations

import functools
import logging
import smtplib
import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

from app.domain.choices import JobStatus
from app.extensions import db
from app.models import JobRun
from app.models.base import utcnow
from app.timeutil import today

log = logging.getLogger(__name__)

QUEUE = "default"
RETRY_INTERVALS = [30, 120, 600]
_app = None
_autoscan_lock = threading.Lock()


def redis_connection(url: str) -> Redis:
    """Short timeouts: a dead Redis must not hang a specialist's request."""
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=3)


def _app_context():
    global _app
    if has_app_context():
        return None
    if _app is None:  # a plain `rq worker`: build the console once per worker process
        from app import create_app

        _app = create_app()
    return _app.app_context()


def job(name: str) -> Callable:
    """Run the function in an app context and journal its run; re-raise a failure so that RQ retries it."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def run(*args, **kwargs):
            context = _app_context()
            if context is not None:
                with context:
                    return _journaled(name, func, args, kwargs)
            return _journaled(name, func, args, kwargs)

        run.job_name = name
        return run

    return decorate


def _journaled(name: str, func: Callable, args, kwargs):
    entry = JobRun(name=name, status=JobStatus.RUNNING, started_at=utcnow())
    db.session.add(entry)
    db.session.commit()
    try:
        result = func(*args, **kwargs)
    except Exception:
        db.session.rollback()
        entry.status, entry.finished_at = JobStatus.FAILED, utcnow()
        entry.detail = traceback.format_exc(limit=5)[-4000:]
        db.session.commit()
        raise
    entry.status, entry.finished_at = JobStatus.DONE, utcnow()
    entry.detail = str(result)[:4000] if result is not None else None
    db.session.commit()
    return result


def enqueue(func: Callable, *args) -> bool:
    """Queue a job on Redis (with retries), or run it right here without Redis. False: could not queue."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        func(*args)
        return True
    try:
        Queue(QUEUE, connection=redis_connection(url)).enqueue(
            func, *args, retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS), job_timeout=900
        )
    except RedisError as error:
        log.warning("could not queue %s: %s", getattr(func, "job_name", func.__name__), error)
        db.session.rollback()
        db.session.add(
            JobRun(
                name=getattr(func, "job_name", func.__name__),
                status=JobStatus.ENQUEUE_FAILED,
                finished_at=utcnow(),
                detail=f"{type(error).__name__}: {error}",
            )
        )
        db.session.commit()
        return False
    return True


# --- the jobs -----------------------------------------------------------------------------------------------------


@job("reminders.scan")
def scan_reminders() -> dict:
    from app import reminders

    return asdict(reminders.scan(today()))


@job("reminders.digest")
def send_digests() -> int:
    from app import digest

    return digest.send_all(today())


def enqueue_scan() -> bool:
    """The cron entry of the scan: queue the real job with its retries (``rq cron`` itself cannot retry)."""
    return enqueue(scan_reminders)


def enqueue_digests() -> bool:
    return enqueue(send_digests)


def request_scan() -> None:
    """After a change that may close or open reminders: queue a scan, or without Redis let the next request scan."""
    if current_app.config.get("REDIS_URL"):
        enqueue(scan_reminders)
    else:
        current_app.extensions.setdefault("reminder_autoscan", {"last": None})["last"] = None


def autoscan_if_due(app) -> None:
    """Without Redis there is no cron: the console scans in-process at most every ``REMINDER_AUTOSCAN_MINUTES``.

    Called before a request; a failure is logged and journaled by ``job``, never shown to the user.
    """
    minutes = app.config.get("REMINDER_AUTOSCAN_MINUTES") or 0
    if app.config.get("REDIS_URL") or minutes <= 0:
        return
    state = app.extensions.setdefault("reminder_autoscan", {"last": None})
    now = utcnow()
    if state["last"] is not None and now - state["last"] < timedelta(minutes=minutes):
        return
    if not _autoscan_lock.acquire(blocking=False):
        return  # another thread is scanning
    try:
        state["last"] = now
        scan_reminders()
    except Exception:
        log.exception("in-process reminder scan failed")
    finally:
        _autoscan_lock.release()


def send_mail(app, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(app.config["MAIL_SERVER"], app.config.get("MAIL_PORT", 25), timeout=10) as smtp:
        if app.config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if app.config.get("MAIL_USERNAME"):
            smtp.login(app.config["MAIL_USERNAME"], app.config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
