"""Reminders: who must be reminded of what today (the scan, from the rules engine's dates), "My reminders", the
counter in the navigation bar, the daily e-mail digest, and the jobs and schedule that run them.

Other features use what this package exports here, never its modules.
"""

from __future__ import annotations

from app.reminders.jobs import request_scan, scan_reminders, send_digests
from app.reminders.schedule import SCHEDULE

__all__ = ["SCHEDULE", "init_app", "open_reminders_of", "request_scan", "scan_reminders", "send_digests"]


def open_reminders_of(scope, limit: int) -> list[tuple[object, str]]:
    """A person's open reminders as the person's scope sees them, earliest due first, each with how it reads."""
    from app.reminders.digest import describe, open_for

    return [(reminder, describe(reminder)) for reminder in open_for(scope, limit)]


def init_app(app, appbuilder) -> None:
    from flask import current_app
    from flask_babel import lazy_gettext as _l

    from app.fab.registry import ACCOMPANIMENT, Link, register
    from app.models import Reminder
    from app.reminders import cli, steps
    from app.reminders.jobs import autoscan_if_due
    from app.reminders.views import MyRemindersView, ReminderView, unread_count

    steps.register()
    register(
        appbuilder,
        MyRemindersView,
        Link("My reminders", _l("My reminders"), "fa-bell", ACCOMPANIMENT, "MyRemindersView.mine", Reminder, "also"),
        ReminderView,
    )
    app.before_request(lambda: autoscan_if_due(app))
    app.jinja_env.globals["unread_reminders"] = lambda: unread_count(current_app.appbuilder)
    app.cli.add_command(cli.reminders_cli)
