"""``flask demo load [--reset]``: the demonstration data set."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
@click.option("--reset", is_flag=True, help="Delete all case data first.")
def demo_load(reset: bool) -> None:
    """Load the deterministic demo data set and one demo user per role per centre."""
    from app.demo.data import load_demo

    current_app.appbuilder.sm.sync_roles()
    summary = load_demo(password=current_app.config["DEMO_PASSWORD"], reset=reset)
    click.echo(", ".join(f"{name}: {count}" for name, count in summary.items()))
