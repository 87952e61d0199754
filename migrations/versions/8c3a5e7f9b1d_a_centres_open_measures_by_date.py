"""A centre's open measures by due date (``ix_measure_open_centre_due``): the director's dashboard counts the centre's
overdue measures from it, rather than looking through the measures of each of the centre's open programmes (which
grew with the open caseload: 15 ms at three times the data set, 5 ms from this index).

Revision ID: 8c3a5e7f9b1d
Revises: 5b1d3f7a9c2e
Create Date: 2026-12-02 04:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "8c3a5e7f9b1d"
down_revision = "5b1d3f7a9c2e"
branch_labels = None
depends_on = None

OPEN_MEASURE = sa.text("status IN ('planned', 'in_progress')")


def upgrade():
    op.create_index(
        "ix_measure_open_centre_due",
        "measure",
        ["centre_id", "due_date", "programme_id"],
        sqlite_where=OPEN_MEASURE,
        postgresql_where=OPEN_MEASURE,
    )


def downgrade():
    op.drop_index("ix_measure_open_centre_due", table_name="measure")
