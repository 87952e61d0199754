"""Background jobs: on an RQ worker when ``REDIS_URL`` is set, in-process otherwise.

Features write their jobs as plain functions decorated with ``@job``: a job runs inside an app context (the one
``python -m app.worker`` builds once, or one built on first use under a plain ``rq worker``), and leaves a line in
the job journal
(``JobRun``) that the administrator reads under Администрирование → Фоновые задания. A job that fails is retried
by RQ with back-off (30 s, 2 min, 10 min) and ends in RQ's failed-job registry, which the same page lists.

If Redis is unreachable, ``enqueue`` logs the failure and journals it as "not queued" instead of raising: the
console keeps working and the next scheduled scan catches up.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable

from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

from app.domain.choices import JobStatus
from app.extensions import db
from app.models import JobRun
from app.models.base import utcnow

log = logging.getLogger(__name__)

QUEUE = "default"
RETRY_INTERVALS = [30, 120, 600]
_app = None
# How a worker process that did not build the console builds it (a plain `rq worker`): set by ``app`` itself.
app_factory: Callable | None = None


def redis_connection(url: str) -> Redis:
    """Short timeouts: a dead Redis must not hang a specialist's request."""
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=3)


def _app_context():
    global _app
    if has_app_context():
        return None
    if _app is None:  # a plain `rq worker`: build the console once per worker process
        _app = app_factory()
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
