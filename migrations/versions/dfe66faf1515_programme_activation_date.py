"""Programme activation date, for the case timeline.

Programmes activated before this revision get their start date, the best record there is.

Revision ID: dfe66faf1515
Revises: 2de4ff80ec86
Create Date: 2026-11-23 11:17:44.267089
"""

import sqlalchemy as sa
from alembic import op

revision = "dfe66faf1515"
down_revision = "2de4ff80ec86"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activated_on", sa.Date(), nullable=True))
    op.execute("UPDATE programme SET activated_on = start_date WHERE status <> 'draft'")


def downgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("activated_on")
