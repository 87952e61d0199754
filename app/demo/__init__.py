"""The demonstration data set: a small, realistic and deterministic region (``flask demo load``)."""

from __future__ import annotations


def init_app(app, appbuilder) -> None:
    from app.demo import cli

    app.cli.add_command(cli.demo_cli)
