"""The dashboard's tally: a region's programmes per centre by status, stage and the citizen's category, the citizens
in accompaniment per centre, and the enrolments and closures per centre and month, so that the dashboard reads a
few hundred rows instead of counting 100,000 programmes on every view. Filled here from the programmes; kept
current by the commit that changes them (app.reporting.tally).

Reminders point at their recipient and subject (programme, measure, report, centre) without foreign keys: the
reminder scan records tens of thousands of reminders at once, and PostgreSQL checked five foreign keys row by row,
each with a query and a lock of the row it points to, which cost twice as much as writing the rows. A deleted user
or subject takes its reminders along (app.reminders.steps) and the scan closes
those whose cause is gone. The unused index on the centre goes; one index of the open reminders (recipient, due
date) serves the scan, the navbar counter, My reminders and the digest, in place of two with text keys; a small
one finds a report's reminders.

Revision ID: 1941bd46e917
Revises: b6e8d0f2a4c6
Create Date: 2026-12-01 16:51:27
"""

import sqlalchemy as sa
from alembic import op

revision = "1941bd46e917"
down_revision = "b6e8d0f2a4c6"
branch_labels = None
depends_on = None

SUBJECTS = {
    "recipient_id": "ab_user",
    "programme_id": "programme",
    "measure_id": "measure",
    "report_id": "monthly_report",
    "centre_id": "centre",
}
SQLITE_FK_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s"}
OPEN = sa.text("closed_at IS NULL")
REPORT = sa.text("report_id IS NOT NULL")


def upgrade():
    op.create_table(
        "caseload_centre",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("citizens", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("centre_id"),
    )
    op.create_table(
        "caseload_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("enrolled", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_caseload_month_centre", "caseload_month", ["centre_id", "month"])
    op.create_table(
        "caseload_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("programmes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_caseload_tally_centre", "caseload_tally", ["centre_id", "status", "stage", "category_id"])
    _fill()

    if op.get_bind().dialect.name == "postgresql":
        for column in SUBJECTS:
            op.drop_constraint(f"reminder_{column}_fkey", "reminder", type_="foreignkey")
    else:  # SQLite's foreign keys have no names: the batch copy of the table names them to drop them
        with op.batch_alter_table("reminder", naming_convention=SQLITE_FK_NAMES) as batch_op:
            for column in SUBJECTS:
                batch_op.drop_constraint(f"fk_reminder_{column}", type_="foreignkey")
    op.drop_index("ix_reminder_centre_id", table_name="reminder")
    op.drop_index("ix_reminder_recipient_open", table_name="reminder")
    op.drop_index("ix_reminder_open", table_name="reminder")
    op.create_index(
        "ix_reminder_open", "reminder", ["recipient_id", "due_date"], sqlite_where=OPEN, postgresql_where=OPEN
    )
    op.create_index("ix_reminder_report", "reminder", ["report_id"], sqlite_where=REPORT, postgresql_where=REPORT)


def _fill() -> None:
    """The tally of the data already there, as app.reporting.tally.recount counts it."""
    month = (
        "CAST(date_trunc('month', {}) AS DATE)"
        if op.get_bind().dialect.name == "postgresql"
        else "date({}, 'start of month')"
    )
    op.execute(
        "INSERT INTO caseload_tally (centre_id, status, stage, category_id, programmes) "
        "SELECT p.centre_id, p.status, p.stage, c.category_id, count(*) FROM programme p "
        "JOIN citizen c ON c.id = p.citizen_id GROUP BY p.centre_id, p.status, p.stage, c.category_id"
    )
    op.execute(
        "INSERT INTO caseload_centre (centre_id, citizens, counted_at) "
        "SELECT ce.id, (SELECT count(DISTINCT p.citizen_id) FROM programme p WHERE p.centre_id = ce.id "
        "AND p.status IN ('active', 'extended')), CURRENT_TIMESTAMP FROM centre ce"
    )
    op.execute(
        "INSERT INTO caseload_month (centre_id, month, enrolled, closed) "
        "SELECT centre_id, month, sum(enrolled), sum(closed) FROM ("
        f"SELECT centre_id, {month.format('activated_on')} AS month, 1 AS enrolled, 0 AS closed FROM programme "
        "WHERE activated_on IS NOT NULL UNION ALL "
        f"SELECT centre_id, {month.format('closed_on')} AS month, 0 AS enrolled, 1 AS closed FROM programme "
        "WHERE closed_on IS NOT NULL) AS days GROUP BY centre_id, month"
    )


def downgrade():
    op.drop_index("ix_reminder_report", table_name="reminder")
    op.drop_index("ix_reminder_open", table_name="reminder")
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("reminder") as batch_op:
        for column, table in SUBJECTS.items():
            name = f"reminder_{column}_fkey" if postgresql else f"fk_reminder_{column}"
            batch_op.create_foreign_key(name, table, [column], ["id"], ondelete="CASCADE")
    op.create_index(
        "ix_reminder_open",
        "reminder",
        ["recipient_id", "kind", "subject_key", "due_date", "closed_at"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index("ix_reminder_centre_id", "reminder", ["centre_id"])
    op.create_index("ix_reminder_recipient_open", "reminder", ["recipient_id", "closed_at", "read_at"])
    op.drop_index("ix_caseload_tally_centre", table_name="caseload_tally")
    op.drop_table("caseload_tally")
    op.drop_index("ix_caseload_month_centre", table_name="caseload_month")
    op.drop_table("caseload_month")
    op.drop_table("caseload_centre")
