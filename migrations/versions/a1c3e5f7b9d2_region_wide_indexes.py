"""Indexes for the region-wide pages: the default order of the lists (programmes newest first, measures by due date)
and the sort of measures by their programme's number, so a department user's first page reads 25 rows instead of
sorting 100,000 programmes or a million measures; and the dashboard's counts (caseload by centre, status and stage;
citizens in accompaniment; enrolments by month) read from an index instead of the whole table.

Revision ID: a1c3e5f7b9d2
Revises: 4793af507b81
Create Date: 2026-11-30 12:40:00
"""

from alembic import op

revision = "a1c3e5f7b9d2"
down_revision = "4793af507b81"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_programme_start", "programme", ["start_date", "id"])
    op.create_index("ix_programme_number", "programme", ["number"])
    op.create_index("ix_measure_due", "measure", ["due_date", "id"])
    op.drop_index("ix_programme_centre_status", table_name="programme")
    op.create_index("ix_programme_centre_status", "programme", ["centre_id", "status", "stage"])
    op.create_index("ix_programme_status_citizen", "programme", ["status", "citizen_id"])
    op.create_index("ix_programme_activated_on", "programme", ["activated_on"])


def downgrade():
    op.drop_index("ix_programme_activated_on", table_name="programme")
    op.drop_index("ix_programme_status_citizen", table_name="programme")
    op.drop_index("ix_programme_centre_status", table_name="programme")
    op.create_index("ix_programme_centre_status", "programme", ["centre_id", "status"])
    op.drop_index("ix_measure_due", table_name="measure")
    op.drop_index("ix_programme_number", table_name="programme")
    op.drop_index("ix_programme_start", table_name="programme")
