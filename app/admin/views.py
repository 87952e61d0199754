"""Administration: staff profiles, the audit log, the journal of background jobs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.fab.interface import eager
from app.fab.registry import ADMINISTRATION, Menu
from app.fab.views import ConsoleModelView
from app.models import AuditEntry, JobRun, StaffProfile
from app.platform.labels import COLUMN_LABELS, describe_changes, model_label


class StaffProfileView(ConsoleModelView):
    datamodel = eager(StaffProfile, "user", "centre", "unit", "territory", "organisation")
    menu = Menu("Staff profiles", _l("Staff profiles"), "fa-id-badge", ADMINISTRATION)
    lookups = {"organisation": "organisation"}  # a partner's user: the member organisation he or she works for
    list_title = _l("Staff profiles")
    list_columns = ["user", "centre", "unit", "territory", "organisation", "position", "phone"]
    add_columns = edit_columns = show_columns = [
        "user",
        "centre",
        "unit",
        "territory",
        "organisation",
        "position",
        "phone",
    ]
    search_columns = ["position", "centre", "territory"]


class AuditEntryView(ConsoleModelView):
    """Read-only: the audit log is append-only, nobody edits or deletes an entry."""

    datamodel = eager(AuditEntry)
    menu = Menu("Audit log", _l("Audit log"), "fa-history", ADMINISTRATION)
    list_title = _l("Audit log")
    list_columns = ["at", "username", "remote_addr", "action", "object_type", "object_id"]
    show_columns = ["at", "username", "remote_addr", "action", "object_type", "object_id", "centre_id", "changes"]
    search_columns = ["username", "action", "object_type", "at"]
    base_order = ("at", "desc")
    label_columns = {"centre_id": COLUMN_LABELS["centre"]}
    formatters_columns = {"object_type": model_label, "changes": lambda changes: describe_changes(changes)}


class JobRunView(ConsoleModelView):
    """Read-only journal of background jobs, with RQ's failed jobs when Redis is configured."""

    datamodel = eager(JobRun)
    menu = Menu("Background jobs", _l("Background jobs"), "fa-cogs", ADMINISTRATION)
    list_title = _l("Background jobs")
    show_title = _l("Background job")
    list_template = "admin/jobs.html"
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

    from app.platform.jobs import QUEUE, redis_connection

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
