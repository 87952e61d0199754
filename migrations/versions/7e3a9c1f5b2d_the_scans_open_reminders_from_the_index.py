"""The open reminders' index (``ix_reminder_open``) carries their keys, so that SQLite reads the keys the reminder
scan compares with what is due from the index alone, instead of looking up each open reminder in the table (a fifth
of an hourly scan at 30,000 open reminders).

Revision ID: 7e3a9c1f5b2d
Revises: 2d6b8f0c4e1a
Create Date: 2026-12-02 06:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "7e3a9c1f5b2d"
down_revision = "2d6b8f0c4e1a"
branch_labels = None
depends_on = None

OPEN = sa.text("closed_at IS NULL")


def _index(columns: list[str]) -> None:
    op.drop_index("ix_reminder_open", table_name="reminder")
    op.create_index("ix_reminder_open", "reminder", columns, sqlite_where=OPEN, postgresql_where=OPEN)


def _analyze() -> None:
    """A database analysed before has statistics for every index but the one made anew, which SQLite's planner
    then weighs by guesswork against the others."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and sa.inspect(bind).has_table("sqlite_stat1"):
        op.execute("ANALYZE ix_reminder_open")


def upgrade():
    _index(["recipient_id", "due_date", "kind", "subject_key", "closed_at"])
    _analyze()


def downgrade():
    _index(["recipient_id", "due_date"])
    _analyze()
