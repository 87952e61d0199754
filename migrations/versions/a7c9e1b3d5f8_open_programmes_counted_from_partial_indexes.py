"""A region's open programmes counted from their partial indexes alone: My cases counts the open and overdue ones
from the index of what is due next (it now carries the status), the dashboard its citizens in accompaniment and
their categories from the index of open programmes (it now carries the citizen). The index on (status, citizen_id)
goes: beside the partial one, SQLite's choice between the two depended on the order they were created in.

Revision ID: a7c9e1b3d5f8
Revises: f3b5d7e9a2c4
Create Date: 2026-11-30 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c9e1b3d5f8"
down_revision = "f3b5d7e9a2c4"
branch_labels = None
depends_on = None

OPEN_PROGRAMME = sa.text("status IN ('active', 'extended')")
OPEN_COLUMNS = ["id", "status", "specialist_id", "centre_id", "start_date", "end_date"]


def _replace(name: str, columns: list[str]) -> None:
    op.drop_index(name, table_name="programme")
    op.create_index(name, "programme", columns, sqlite_where=OPEN_PROGRAMME, postgresql_where=OPEN_PROGRAMME)


def upgrade():
    _replace("ix_programme_next_due", ["next_due_on", "number", "status"])
    _replace("ix_programme_open", [*OPEN_COLUMNS, "citizen_id"])
    op.drop_index("ix_programme_status_citizen", table_name="programme")


def downgrade():
    op.create_index("ix_programme_status_citizen", "programme", ["status", "citizen_id"])
    _replace("ix_programme_open", OPEN_COLUMNS)
    _replace("ix_programme_next_due", ["next_due_on", "number"])
