"""Indexes for the monthly report (annex 3), which reads one month of a region of programmes and measures.

* ``ix_programme_month`` — a centre's programmes by closure date with every column the month's figures filter and
  count on: the programmes in accompaniment on a day (not closed, or closed after it) and those closed in a month are
  two ranges of it, and counting them does not read the table.
* ``ix_measure_done`` replaces ``ix_measure_done_on``: the measures done in a month, with their kind and programme.
* ``ix_measure_programme_done`` — the done measures of one programme: the detail sheet counts them for each of its
  rows, and one centre's measures of the month are found from its programmes.

Revision ID: 87c4d09ef592
Revises: d5e7f9a1b3c4
Create Date: 2026-11-30 13:00:00.000000
"""

from alembic import op

revision = "87c4d09ef592"
down_revision = "d5e7f9a1b3c4"
branch_labels = None
depends_on = None

MONTH_COLUMNS = [
    "centre_id",
    "closed_on",
    "status",
    "activated_on",
    "start_date",
    "citizen_id",
    "stage",
    "closure_reason",
]


def upgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.create_index("ix_programme_month", MONTH_COLUMNS, unique=False)
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index("ix_measure_done_on")
        batch_op.create_index("ix_measure_done", ["done_on", "status", "kind", "programme_id"], unique=False)
        batch_op.create_index(
            "ix_measure_programme_done", ["programme_id", "status", "done_on", "kind"], unique=False
        )


def downgrade():
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index("ix_measure_programme_done")
        batch_op.drop_index("ix_measure_done")
        batch_op.create_index("ix_measure_done_on", ["done_on"], unique=False)
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_month")
