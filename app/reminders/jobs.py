"""The reminders' background jobs: the scan and the e-mail digest, on the worker or in-process.

The cron (``app.cron``) queues ``enqueue_scan`` and ``enqueue_digests``; a case page's action asks for a scan with
``request_scan``; without Redis there is no cron, so the console scans in-process at most every
``REMINDER_AUTOSCAN_MINUTES`` on the next request (``autoscan_if_due``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict
from datetime import timedelta

from flask import current_app

from app.models.base import utcnow
from app.platform.clock import today
from app.platform.jobs import enqueue, job

log = logging.getLogger(__name__)
_autoscan_lock = threading.Lock()


@job("reminders.scan")
def scan_reminders() -> dict:
    from app.reminders import scan

    return asdict(scan.scan(today()))


@job("reminders.digest")
def send_digests() -> int:
    from app.reminders import digest

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
