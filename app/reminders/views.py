""" "My reminders" (with mark read / done), the list of reminders, and the unread counter of the navigation bar."""

from __future__ import annotations

import time

from flask import abort, flash, g, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.fab.interface import eager
from app.fab.registry import ACCOMPANIMENT, Menu
from app.fab.views import ConsoleModelView
from app.models import Reminder
from app.models.base import utcnow
from app.platform.web import local_path
from app.reminders.digest import describe, open_for
from app.security.scope import current_scope

COUNTER_TTL = 60  # seconds the navbar counter is cached in the session: one query a minute, not one per page


def unread_count(appbuilder) -> int | None:
    """Open unread reminders of the signed-in user; ``None`` for users without reminders (the admin)."""
    user = getattr(g, "user", None)
    if user is None or not user.is_authenticated or not appbuilder.sm.has_access("can_list", "ReminderView"):
        return None
    cached = session.get("reminders_unread")
    if cached and cached[0] == user.id and time.time() - cached[2] < COUNTER_TTL:
        return cached[1]
    count = db.session.scalar(
        select(func.count(Reminder.id)).where(
            Reminder.recipient_id == user.id, Reminder.closed_at.is_(None), Reminder.read_at.is_(None)
        )
    )
    session["reminders_unread"] = (user.id, count, time.time())
    return count


def forget_count() -> None:
    session.pop("reminders_unread", None)


def link_to(reminder: Reminder) -> str | None:
    """Where the reminder's item is handled: the case page, the measure, the monthly reports."""
    if reminder.programme_id is not None:
        return url_for("CaseView.page", pk=reminder.programme_id)
    if reminder.measure_id is not None:  # a partner's: the organisation's measure
        return url_for("PartnerMeasuresView.show", pk=reminder.measure_id)
    if reminder.centre_id is not None:
        return url_for("MonthlyReportView.list")
    return None


class MyRemindersView(BaseView):
    """The signed-in user's open reminders, earliest due first; read and done are the user's own marks."""

    route_base = "/reminders"
    class_permission_name = "ReminderView"
    default_view = "mine"

    @expose("/mine")
    @has_access
    @permission_name("list")
    def mine(self):
        reminders = open_for(current_scope(), limit=200)
        rows = [(r, describe(r), link_to(r)) for r in reminders]
        return self.render_template("reminders/mine.html", title=_("My reminders"), rows=rows)

    @expose("/<int:pk>/<any(read, done):mark>", methods=["POST"])
    @has_access
    @permission_name("list")
    def mark(self, pk: int, mark: str):
        reminder = db.session.get(Reminder, pk)
        if reminder is None or reminder.recipient_id != current_scope().user_id:
            abort(404)  # somebody else's reminder does not exist for this user
        now = utcnow()
        reminder.read_at = reminder.read_at or now
        if mark == "done":
            reminder.closed_at = now
        db.session.commit()
        forget_count()
        flash(_("The reminder is marked done.") if mark == "done" else _("The reminder is marked read."), "success")
        return redirect(local_path(request.form.get("next"), url_for(".mine")))


class ReminderView(ConsoleModelView):
    """Read-only: reminders are written by the scan job from the rules, not by hand."""

    partners = "also"  # a partner's reminders name the measure only
    datamodel = eager(Reminder, "recipient", "programme")
    menu = Menu("Reminders", _l("Reminders"), "fa-bell", ACCOMPANIMENT)
    list_title = _l("Reminders")
    list_columns = ["due_date", "kind", "programme", "recipient", "read_at", "closed_at"]
    show_columns = ["due_date", "kind", "programme", "measure", "recipient", "created_at", "read_at", "closed_at"]
    search_columns = ["kind", "due_date"]
    base_order = ("due_date", "asc")
