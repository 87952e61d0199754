""" "My reminders" (with mark read / done), the unread counter of the navigation bar, and the job journal."""

from __future__ import annotations

import time

from flask import abort, flash, g, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.digest import describe, open_for
from app.extensions import db
from app.models import JobRun, Reminder
from app.models.base import utcnow
from app.security.scope import current_scope
from app.views.base import ConsoleModelView, eager

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
        reminders = open_for(current_scope().user_id, limit=200)
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
        return redirect(request.form.get("next") or url_for(".mine"))


class JobRunView(ConsoleModelView):
    """Read-only journal of background jobs, with RQ's failed jobs when Redis is configured."""

    datamodel = eager(JobRun)
    base_permissions = {"can_list", "can_show"}
    list_title = _l("Background jobs")
    show_title = _l("Background job")
    list_template = "reminders/jobs.html"
    list_columns = ["started_at", "name", "status", "finished_at"]
    show_columns = ["started_at", "name", "status", "finished_at", "detail"]
    search_columns = ["name", "status", "started_at"]
    base_order = ("started_at", "desc")

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            kwargs["queue"] = queue_state()
        return super().render_template(template, **kwargs)


def queue_state() -> dict | None:
    """Queue length and the last failed jobs from Redis; ``{"error": …}`` when Redis cannot be reached."""
    from flask import current_app
    from redis.exceptions import RedisError
    from rq import Queue
    from rq.registry import FailedJobRegistry

    from app.jobs import QUEUE, redis_connection

    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    try:
        connection = redis_connection(url)
        queue = Queue(QUEUE, connection=connection)
        registry = FailedJobRegistry(queue=queue)
        failed = []
        for job in queue.job_class.fetch_many(registry.get_job_ids(0, 19), connection=connection):
            if job is not None:
                result = job.latest_result()
                error = (result.exc_string or "") if result is not None else ""
                failed.append({"id": job.id, "name": job.func_name, "at": job.ended_at, "error": error[-2000:]})
        return {"queued": queue.count, "failed_count": registry.count, "failed": failed}
    except RedisError as error:
        return {"error": f"{type(error).__name__}: {error}"}
