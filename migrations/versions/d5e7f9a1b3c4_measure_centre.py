"""Each measure carries its programme's centre: a centre's measures are scoped and sorted by one index
(centre, due date) instead of through a subquery of the centre's programmes.

Revision ID: d5e7f9a1b3c4
Revises: c41d7e2a9b85
Create Date: 2026-11-30 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d5e7f9a1b3c4"
down_revision = "c41d7e2a9b85"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("centre_id", sa.Integer(), nullable=True))
    op.execute("UPDATE measure SET centre_id = (SELECT centre_id FROM programme WHERE programme.id = measure.programme_id)")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.alter_column("centre_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key("fk_measure_centre_id_centre", "centre", ["centre_id"], ["id"], ondelete="RESTRICT")
        batch_op.create_index("ix_measure_centre_due", ["centre_id", "due_date", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index("ix_measure_centre_due")
        batch_op.drop_constraint("fk_measure_centre_id_centre", type_="foreignkey")
        batch_op.drop_column("centre_id")
