"""Workbook exports: the same pure builders of ``reports/`` for the page, the RQ job and the CLI; every export audited.

A large export (the consolidated report, or a centre with thousands of programmes) runs as an RQ job when Redis is
configured: the job writes the file under ``instance/exports/`` and its progress to a small JSON file beside it, the
page shows the progress and then the download, which only the user who asked for it may fetch.
"""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from app.domain import rules
from app.domain.choices import AuditAction, ProgrammeStatus
from app.extensions import db
from app.models import Centre, Programme
from app.platform import audit
from app.platform.jobs import enqueue, job
from app.platform.memory import collection_paused
from app.reporting import monthly
from app.security.scope import Scope, restrict, scope_for
from reports.monthly import build_monthly_workbook

SYNC_LIMIT = 5000  # programmes: above this, with Redis, the export runs as a job
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_dir() -> Path:
    path = Path(current_app.config["EXPORT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def consolidated_name(month: date) -> str:
    return f"svodnyj-otchet-{month:%Y-%m}.xlsx"


def consolidated_workbook(month: date, scope: Scope, progress=None) -> bytes:
    with collection_paused():  # a region's 100,000 rows, read ahead and written, none referring to another
        data = monthly.consolidated_data(month, scope)
        if progress is not None:
            data.programmes = _counting(data.programmes, progress)
        return build_monthly_workbook(data)


def _counting(rows, progress, every: int = 2000):
    for count, row in enumerate(rows, start=1):
        if count % every == 0:
            progress(count)
        yield row


def programmes_in(month: date, scope: Scope) -> int:
    end = rules.report_month_end(month)
    query = select(func.count(Programme.id)).where(
        Programme.status != ProgrammeStatus.DRAFT, Programme.start_date <= end
    )
    return db.session.scalar(restrict(query, Programme, scope)) or 0


def audit_export(what: str, month: date, centre_id: int | None = None) -> None:
    audit.record(AuditAction.EXPORT, object_type=what, object_id=int(f"{month:%Y%m}"), centre_id=centre_id)


# --- the job --------------------------------------------------------------------------------------------------------


def start_consolidated(month: date, user) -> str:
    """Queue the consolidated export for ``user``; returns the token of its status file."""
    token = secrets.token_urlsafe(16)
    _write_status(token, {"user_id": user.id, "status": "queued", "rows": 0, "name": consolidated_name(month)})
    if not enqueue(build_consolidated, month.isoformat(), user.id, token):
        _write_status(token, {**read_status(token), "status": "failed"})
    return token


@job("exports.consolidated")
def build_consolidated(month_iso: str, user_id: int, token: str) -> str:
    from flask_appbuilder.security.sqla.models import User

    user = db.session.get(User, user_id)
    month = date.fromisoformat(month_iso)
    status = read_status(token)

    def progress(rows: int) -> None:
        _write_status(token, {**status, "status": "running", "rows": rows})

    try:
        content = consolidated_workbook(month, scope_for(user), progress)
    except Exception:
        _write_status(token, {**status, "status": "failed"})
        raise
    (export_dir() / f"{token}.xlsx").write_bytes(content)
    _write_status(token, {**status, "status": "done", "rows": status.get("rows", 0)})
    audit.record(AuditAction.EXPORT, object_type="consolidated_report", username=user.username)
    return token


def read_status(token: str) -> dict:
    path = export_dir() / f"{_safe(token)}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _write_status(token: str, status: dict) -> None:
    (export_dir() / f"{_safe(token)}.json").write_text(json.dumps(status))


def file_of(token: str) -> Path:
    return export_dir() / f"{_safe(token)}.xlsx"


def _safe(token: str) -> str:
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        raise ValueError("bad export token")
    return token


def centre_names(scope: Scope) -> list[tuple[int, str]]:
    return db.session.execute(restrict(select(Centre.id, Centre.name), Centre, scope).order_by(Centre.name)).all()
