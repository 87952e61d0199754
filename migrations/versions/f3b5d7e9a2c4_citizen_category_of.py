"""A citizen's category read from an index alone: the dashboard and the monthly report count a region's open
programmes by category without reading sixteen thousand citizen rows.

Revision ID: f3b5d7e9a2c4
Revises: e8a2c4f6b1d3
Create Date: 2026-11-30 15:40:00
"""

from alembic import op

revision = "f3b5d7e9a2c4"
down_revision = "e8a2c4f6b1d3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_citizen_category_of", "citizen", ["id", "category_id"])


def downgrade():
    op.drop_index("ix_citizen_category_of", table_name="citizen")
