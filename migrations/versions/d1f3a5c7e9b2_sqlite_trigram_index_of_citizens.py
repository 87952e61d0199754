"""SQLite: a trigram index of the citizens' search key, with SQLite's own full-text search (FTS5, ``citizen_search``,
an external-content table over ``citizen``), kept by triggers on every insert, delete and change of the key. A search
of the region's 100,000 citizens (the department's, the registrar's at an appeal) reads the rows the index names
instead of every key (``app.models.search``), as PostgreSQL's trigram index does. PostgreSQL: nothing to do.

A later migration that rebuilds ``citizen`` on SQLite (``batch_alter_table``) drops these triggers with the old table
and must make them again (``tests/models/test_migrations.py`` checks them at the head).

Revision ID: d1f3a5c7e9b2
Revises: b7d9f1a3c5e7
Create Date: 2026-12-02 12:10:00.000000
"""

from alembic import op

revision = "d1f3a5c7e9b2"
down_revision = "b7d9f1a3c5e7"
branch_labels = None
depends_on = None

TABLE, INDEX = "citizen", "citizen_search"
INSERT = f"INSERT INTO {INDEX}(rowid, search) VALUES (new.id, new.search);"
DELETE = f"INSERT INTO {INDEX}({INDEX}, rowid, search) VALUES ('delete', old.id, old.search);"


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {INDEX} USING fts5(search, content='{TABLE}', content_rowid='id', tokenize='trigram')"
    )
    op.execute(f"CREATE TRIGGER {INDEX}_insert AFTER INSERT ON {TABLE} BEGIN {INSERT} END")
    op.execute(f"CREATE TRIGGER {INDEX}_delete AFTER DELETE ON {TABLE} BEGIN {DELETE} END")
    op.execute(f"CREATE TRIGGER {INDEX}_update AFTER UPDATE OF search ON {TABLE} BEGIN {DELETE} {INSERT} END")
    op.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')")  # the citizens there are


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER {INDEX}_{trigger}")
    op.execute(f"DROP TABLE {INDEX}")
