"""Reminder state (closed by the scan or by the recipient, mailed in a digest), the journal of background jobs,
and the programme's end date before its first extension ("срок продлён с … по …" on the programme form).

Revision ID: 4793af507b81
Revises: dfe66faf1515
Create Date: 2026-11-23 11:42:54.313347
"""

import sqlalchemy as sa
from alembic import op

revision = "4793af507b81"
down_revision = "dfe66faf1515"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.create_index("ix_job_run_started", ["started_at"], unique=False)

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("auto_closed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extended_from", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("extended_from")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_column("notified_at")
        batch_op.drop_column("auto_closed")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index("ix_job_run_started")
    op.drop_table("job_run")
