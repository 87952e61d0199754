"""Attached scans keep their original name, the type found in their content and their size, so that a card shows
the file as a link and the download carries its own name. Files stored by Flask-AppBuilder's upload field before
(``<uuid>_sep_<name>``) get their name from the stored one.

The monthly report counts as of its date: the need assessment acts by their date, and each programme's ticks by
stage up to a day, each from an index of its own.

Revision ID: b6e8d0f2a4c6
Revises: b2d4f6a8c0e1
Create Date: 2026-12-01 16:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b6e8d0f2a4c6"
down_revision = "b2d4f6a8c0e1"
branch_labels = None
depends_on = None

TABLES = ("appeal_document", "consent")
SEPARATOR = "_sep_"  # Flask-AppBuilder's uuid_namegen


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("file_name", sa.String(length=255), nullable=True))
            batch_op.add_column(sa.Column("file_type", sa.String(length=100), nullable=True))
            batch_op.add_column(sa.Column("file_size", sa.Integer(), nullable=True))
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("file", sa.String), sa.column("file_name"))
        connection = op.get_bind()
        for row_id, stored in connection.execute(sa.select(rows.c.id, rows.c.file).where(rows.c.file.is_not(None))):
            name = stored.split(SEPARATOR, 1)[-1]
            connection.execute(sa.update(rows).where(rows.c.id == row_id).values(file_name=name[:255]))
    op.create_index("ix_appeal_document_kind_date", "appeal_document", ["kind", "document_date", "appeal_id"])
    op.create_index("ix_checklist_programme_done", "checklist_item", ["programme_id", "done_on", "stage"])


def downgrade():
    op.drop_index("ix_checklist_programme_done", table_name="checklist_item")
    op.drop_index("ix_appeal_document_kind_date", table_name="appeal_document")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("file_size")
            batch_op.drop_column("file_type")
            batch_op.drop_column("file_name")
