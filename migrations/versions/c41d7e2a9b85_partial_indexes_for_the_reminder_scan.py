"""Partial indexes for the reminder scan: open measures by due date, open programmes, open reminders.

The scan reads every open measure due within three days or overdue with its programme, the open programmes that
may owe an interim assessment or a monitoring inspection, and every open reminder. Covering partial indexes keep
those reads to the open rows, which stay few while closed ones accumulate over the years.

Revision ID: c41d7e2a9b85
Revises: a1c3e5f7b9d2
Create Date: 2026-11-30 12:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c41d7e2a9b85"
down_revision = "a1c3e5f7b9d2"
branch_labels = None
depends_on = None

OPEN_MEASURE = sa.text("status IN ('planned', 'in_progress')")
OPEN_PROGRAMME = sa.text("status IN ('active', 'extended')")
OPEN_REMINDER = sa.text("closed_at IS NULL")
NEW_INDEXES = ("ix_measure_open_due", "ix_programme_open", "ix_reminder_open")


def upgrade():
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_measure_open_due",
            ["due_date", "programme_id", "status"],
            unique=False,
            sqlite_where=OPEN_MEASURE,
            postgresql_where=OPEN_MEASURE,
        )
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.create_index(
            "ix_programme_open",
            ["id", "status", "specialist_id", "centre_id", "start_date", "end_date"],
            unique=False,
            sqlite_where=OPEN_PROGRAMME,
            postgresql_where=OPEN_PROGRAMME,
        )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reminder_open",
            ["recipient_id", "kind", "subject_key", "due_date", "closed_at"],
            unique=False,
            sqlite_where=OPEN_REMINDER,
            postgresql_where=OPEN_REMINDER,
        )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and sa.inspect(bind).has_table("sqlite_stat1"):
        # a database analysed before has statistics for every index but these: without them SQLite's planner
        # prefers the old indexes and walks every open programme's measures
        for index in NEW_INDEXES:
            op.execute(f"ANALYZE {index}")


def downgrade():
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_open")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_open")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index("ix_measure_open_due")
