"""The measures done in a month by centre: ``ix_measure_done`` carries the measure's centre (and its id) in place of
its programme, so that the monthly figures count a month's measures by centre, kind and organisation from the index
alone, without looking up each measure's programme (100,000 lookups in a region's month).

Revision ID: 5b1d3f7a9c2e
Revises: 07fc26dfbc40
Create Date: 2026-12-01 23:30:00.000000
"""

from alembic import op

revision = "5b1d3f7a9c2e"
down_revision = "07fc26dfbc40"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_measure_done", table_name="measure")
    op.create_index("ix_measure_done", "measure", ["done_on", "status", "centre_id", "kind", "id"], unique=False)


def downgrade():
    op.drop_index("ix_measure_done", table_name="measure")
    op.create_index("ix_measure_done", "measure", ["done_on", "status", "kind", "programme_id"], unique=False)
