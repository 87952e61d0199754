"""``flask report monthly``: the monthly report of a centre, or the consolidated one, as a workbook; ``flask report
recount``: the dashboard's tally counted again from the programmes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

report_cli = AppGroup("report", help="Workbooks of the order's forms.")


@report_cli.command("monthly")
@click.option("--month", required=True, help="Reporting month, YYYY-MM.")
@click.option("--centre", "centre_id", type=int, help="One centre's report; without it, the consolidated one.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="XLSX file.")
def report_monthly(month: str, centre_id: int | None, out: str) -> None:
    """Write the monthly report (annex 3) of a centre, or the consolidated report of all centres."""
    from datetime import date

    from app.extensions import db
    from app.models import Centre, MonthlyReport
    from app.reporting import exports, monthly
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


@report_cli.command("recount")
def report_recount() -> None:
    """Recount the dashboard's tally of every centre from the programmes (after data were loaded or changed
    outside the console; the console's own commits keep it current)."""
    from app.extensions import db
    from app.reporting import tally

    tally.recount(db.session.connection())
    db.session.commit()
    click.echo("the dashboard's tally is recounted")
