"""``flask roles sync``: create the declared roles (idempotent; run at every deployment)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

roles_cli = AppGroup("roles", help="Roles and permissions.")


@roles_cli.command("sync")
def roles_sync() -> None:
    """Create the roles declared in app/domain/roles.py (idempotent; run at every deployment)."""
    created = current_app.appbuilder.sm.sync_roles()
    click.echo(f"roles created: {', '.join(created) if created else 'none (all present)'}")
