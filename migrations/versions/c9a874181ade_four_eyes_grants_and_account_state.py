"""Four-eyes grants of access to case data, account state (lock, session generation), report version

Revision ID: c9a874181ade
Revises: 1941bd46e917
Create Date: 2026-12-01 16:49:08.818922

A role that opens case data takes effect only as far as a confirmed grant covers it (app/security/grants.py).
Access the users held before this revision is carried over as confirmed, with a note saying so: the upgrade
must not lock a region's staff out of their work, and every grant after it is confirmed by a second person.
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c9a874181ade"
down_revision = "1941bd46e917"
branch_labels = None
depends_on = None

CASE_ROLES = ("Department", "Territory", "Director", "Specialist", "Registrar")  # app.domain.roles.CASE_ROLES
ROLE_ORDER = ("Department", "Territory", "Director", "Specialist", "Registrar")


def upgrade():
    op.create_table(
        "account_state",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "access_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=True),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("access_grant", schema=None) as batch_op:
        batch_op.create_index("ix_access_grant_status", ["status", "centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_grant_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("monthly_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("staff_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grant_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_staff_profile_grant_id_access_grant", "access_grant", ["grant_id"], ["id"], ondelete="SET NULL"
        )

    _carry_over_existing_access()


def _carry_over_existing_access():
    connection = op.get_bind()
    held = connection.execute(
        sa.text(
            "SELECT p.id, p.user_id, p.centre_id, p.territory_id, r.name FROM staff_profile p "
            "JOIN ab_user_role ur ON ur.user_id = p.user_id JOIN ab_role r ON r.id = ur.role_id "
            "WHERE r.name IN :roles"
        ).bindparams(sa.bindparam("roles", expanding=True)),
        {"roles": list(CASE_ROLES)},
    ).all()
    profiles: dict[int, tuple] = {}
    for profile_id, user_id, centre_id, territory_id, role in held:
        _, _, _, _, roles = profiles.setdefault(profile_id, (profile_id, user_id, centre_id, territory_id, set()))
        roles.add(role)
    now = datetime.now(timezone.utc)
    grants = sa.table(
        "access_grant",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("roles", sa.String),
        sa.column("centre_id", sa.Integer),
        sa.column("territory_id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("reason", sa.String),
        sa.column("requested_at", sa.DateTime(timezone=True)),
        sa.column("decided_at", sa.DateTime(timezone=True)),
        sa.column("note", sa.Text),
    )
    for profile_id, user_id, centre_id, territory_id, roles in profiles.values():
        grant_id = connection.execute(
            sa.insert(grants)
            .values(
                user_id=user_id,
                roles=",".join(r for r in ROLE_ORDER if r in roles),
                centre_id=centre_id,
                territory_id=territory_id,
                status="confirmed",
                reason="roles",
                requested_at=now,
                decided_at=now,
                note="Access held before the four-eyes rule, carried over by the upgrade.",
            )
            .returning(grants.c.id)
        ).scalar_one()
        connection.execute(
            sa.text("UPDATE staff_profile SET grant_id = :grant WHERE id = :profile"),
            {"grant": grant_id, "profile": profile_id},
        )


def downgrade():
    with op.batch_alter_table("staff_profile", schema=None) as batch_op:
        batch_op.drop_constraint("fk_staff_profile_grant_id_access_grant", type_="foreignkey")
        batch_op.drop_column("grant_id")

    with op.batch_alter_table("monthly_report", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("access_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_grant_user_id"))
        batch_op.drop_index("ix_access_grant_status")

    op.drop_table("access_grant")
    op.drop_table("account_state")
