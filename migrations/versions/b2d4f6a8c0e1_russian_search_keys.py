"""The one Russian search: a folded search key on citizens, programmes, appeals, measures and organisations
(app.domain.search), filled here for the rows that exist, with the index that serves it: a GIN trigram index
(pg_trgm) on PostgreSQL, a B-tree on SQLite (app.models.search says why).

Revision ID: b2d4f6a8c0e1
Revises: a7c9e1b3d5f8
Create Date: 2026-12-01 17:00:00
"""

import sqlalchemy as sa
from alembic import op

from app.domain import search

revision = "b2d4f6a8c0e1"
down_revision = "a7c9e1b3d5f8"
branch_labels = None
depends_on = None

KEY_LENGTH = 400
BATCH = 5000


def _citizen(row) -> str:
    return search.citizen_key(row.surname, row.first_name, row.patronymic, row.birth_date, row.snils)


# table → (the columns its key is made of, how they make the key), as the models' ``search_key`` make it
KEYS = {
    "citizen": (
        (
            sa.column("surname"),
            sa.column("first_name"),
            sa.column("patronymic"),
            sa.column("birth_date", sa.Date),
            sa.column("snils"),
        ),
        _citizen,
    ),
    "programme": ((sa.column("number"),), lambda row: search.fold(row.number)),
    "appeal": ((sa.column("journal_number"),), lambda row: search.fold(row.journal_number)),
    "measure": ((sa.column("title"),), lambda row: search.fold(row.title)),
    "organisation": ((sa.column("name"),), lambda row: search.fold(row.name)),
}


def _fill(connection, table: str) -> None:
    columns, key = KEYS[table]
    source = sa.table(table, sa.column("id", sa.Integer), *columns)
    target = sa.table(table, sa.column("id", sa.Integer), sa.column("search", sa.String))
    update = target.update().where(target.c.id == sa.bindparam("row_id")).values(search=sa.bindparam("key"))
    last = 0
    while True:
        rows = connection.execute(sa.select(source).where(source.c.id > last).order_by(source.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(update, [{"row_id": row.id, "key": key(row)[:KEY_LENGTH]} for row in rows])
        last = rows[-1].id


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("search", sa.String(length=KEY_LENGTH), server_default="", nullable=False))
    for table in KEYS:
        _fill(connection, table)
    for table in KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                f"ix_{table}_search",
                ["search"],
                unique=False,
                postgresql_using="gin",
                postgresql_ops={"search": "gin_trgm_ops"},
            )


def downgrade():
    for table in reversed(list(KEYS)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_search")
            batch_op.drop_column("search")
