"""``flask reminders scan`` and ``flask reminders digest`` (for system cron, or by hand)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Reminders of due dates.")


@reminders_cli.command("scan")
@click.option("--queue", is_flag=True, help="Queue the scan on the RQ worker instead of running it here.")
def reminders_scan(queue: bool) -> None:
    """Record the reminders due today and close those whose cause is gone (idempotent; for system cron too)."""
    from app.platform.jobs import enqueue
    from app.reminders.jobs import scan_reminders

    if queue:
        ok = enqueue(scan_reminders)
        raise SystemExit(0 if ok else "could not queue the scan: is Redis reachable?")
    result = scan_reminders()
    click.echo(f"due: {result['due']}, new: {result['created']}, closed: {result['closed']}")


@reminders_cli.command("digest")
def reminders_digest() -> None:
    """Send today's e-mail digest of new reminders (needs MAIL_SERVER)."""
    from app.reminders.jobs import send_digests

    click.echo(f"messages sent: {send_digests()}")
