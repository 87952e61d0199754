"""What is due next on each programme (by the rules engine), so that My cases reads a page of a region's open
programmes in that order from an index. Filled here for the open programmes; kept current at every commit.

Revision ID: e8a2c4f6b1d3
Revises: 87c4d09ef592
Create Date: 2026-11-30 14:45:00
"""

import sqlalchemy as sa
from alembic import op

from app.domain import rules

revision = "e8a2c4f6b1d3"
down_revision = "87c4d09ef592"
branch_labels = None
depends_on = None

OPEN_PROGRAMME = sa.text("status IN ('active', 'extended')")
FACTS = sa.text(
    "SELECT p.id, p.status, p.start_date, p.end_date, "
    "(SELECT max(held_on) FROM control_event e WHERE e.programme_id = p.id AND e.kind = 'interim'), "
    "(SELECT max(held_on) FROM control_event e WHERE e.programme_id = p.id AND e.kind = 'monitoring'), "
    "(SELECT max(meeting_date) FROM committee_decision d WHERE d.programme_id = p.id AND d.decision = 'extend'), "
    "(SELECT min(due_date) FROM measure m WHERE m.programme_id = p.id AND m.status IN ('planned', 'in_progress')) "
    "FROM programme p WHERE p.status IN ('active', 'extended')"
).columns(
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    *(sa.column(name, sa.Date) for name in ("start", "end", "interim", "monitoring", "extended", "measure")),
)


def upgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_due_kind", sa.String(length=16), nullable=True))
        batch_op.create_index(
            "ix_programme_next_due",
            ["next_due_on", "number"],
            unique=False,
            sqlite_where=OPEN_PROGRAMME,
            postgresql_where=OPEN_PROGRAMME,
        )
    bind = op.get_bind()
    values = []
    for pid, status, start, end, interim, monitoring, extended, measure in bind.execute(FACTS):
        facts = rules.ProgrammeFacts(
            status=status,
            start_date=start,
            end_date=end,
            interim_held_on=interim,
            monitoring_held_on=monitoring,
            extended_on=extended,
            next_measure_due=measure,
        )
        item = rules.next_due(facts)
        if item is not None:
            values.append({"pid": pid, "due": item.due_date, "kind": str(item.kind)})
    if values:
        bind.execute(
            sa.text("UPDATE programme SET next_due_on = :due, next_due_kind = :kind WHERE id = :pid"), values
        )


def downgrade():
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_next_due")
        batch_op.drop_column("next_due_kind")
        batch_op.drop_column("next_due_on")
