"""Command-line groups: ``flask roles``, ``flask demo``, ``flask reminders``, ``flask report``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

roles_cli = AppGroup("roles", help="Roles and permissions.")
demo_cli = AppGroup("demo", help="Demonstration data.")
reminders_cli = AppGroup("reminders", help="Reminders of due dates.")
report_cli = AppGroup("report", help="Workbooks of the order's forms.")


@roles_cli.command("sync")
def roles_sync() -> None:
    """Create the roles declared in app/security/roles.py (idempotent; run at every deployment)."""
    created = current_app.appbuilder.sm.sync_roles()
    click.echo(f"roles created: {', '.join(created) if created else 'none (all present)'}")


@demo_cli.command("load")
@click.option("--reset", is_flag=True, help="Delete all case data first.")
def demo_load(reset: bool) -> None:
    """Load the deterministic demo data set and one demo user per role per centre."""
    from app.demo import load_demo

    current_app.appbuilder.sm.sync_roles()
    summary = load_demo(password=current_app.config["DEMO_PASSWORD"], reset=reset)
    click.echo(", ".join(f"{name}: {count}" for name, count in summary.items()))


@reminders_cli.command("scan")
@click.option("--queue", is_flag=True, help="Queue the scan on the RQ worker instead of running it here.")
def reminders_scan(queue: bool) -> None:
    """Record the reminders due today and close those whose cause is gone (idempotent; for system cron too)."""
    from app import jobs

    if queue:
        ok = jobs.enqueue(jobs.scan_reminders)
        raise SystemExit(0 if ok else "could not queue the scan: is Redis reachable?")
    result = jobs.scan_reminders()
    click.echo(f"due: {result['due']}, new: {result['created']}, closed: {result['closed']}")


@reminders_cli.command("digest")
def reminders_digest() -> None:
    """Send today's e-mail digest of new reminders (needs MAIL_SERVER)."""
    from app import jobs

    click.echo(f"messages sent: {jobs.send_digests()}")


@report_cli.command("monthly")
@click.option("--month", required=True, help="Reporting month, YYYY-MM.")
@click.option("--centre", "centre_id", type=int, help="One centre's report; without it, the consolidated one.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="XLSX file.")
def report_monthly(month: str, centre_id: int | None, out: str) -> None:
    """Write the monthly report (annex 3) of a centre, or the consolidated report of all centres."""
    from datetime import date

    from app import exports, monthly
    from app.extensions import db
    from app.models import Centre, MonthlyReport
    from app.security.scope import Scope
    from reports.monthly import build_monthly_workbook

    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM, e.g. 2026-10", param_hint="--month") from None
    if centre_id is None:
        content = exports.consolidated_workbook(first, Scope.everything())
    else:
        if db.session.get(Centre, centre_id) is None:
            raise click.BadParameter(f"no centre with id {centre_id}", param_hint="--centre")
        report = db.session.scalar(
            db.select(MonthlyReport).where(MonthlyReport.centre_id == centre_id, MonthlyReport.month == first)
        )
        data = monthly.report_data(report) if report else monthly.live_data([centre_id], first, Scope.everything())
        content = build_monthly_workbook(data)
    with open(out, "wb") as file:
        file.write(content)
    click.echo(f"{out}: {len(content)} bytes")


def register_cli(app: Flask) -> None:
    app.cli.add_command(roles_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(report_cli)
