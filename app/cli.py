"""Command-line groups: ``flask roles``, ``flask demo`` (later: ``flask reminders``, ``flask report``)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

roles_cli = AppGroup("roles", help="Roles and permissions.")
demo_cli = AppGroup("demo", help="Demonstration data.")


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


def register_cli(app: Flask) -> None:
    app.cli.add_command(roles_cli)
    app.cli.add_command(demo_cli)
