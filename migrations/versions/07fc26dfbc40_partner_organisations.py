"""Partner organisations of the interagency working group: a partner's organisation on the staff profile and on its
grant, consent per purpose (in the centre, named organisations, the territory's working group, a term), the
measures a working-group decision approved, the programme's ИППСУ number and date, the partners' reports.

Consents given before carry over as consents to processing in the centre only: no partner sees a measure until a
consent names the transfer.

Revision ID: 07fc26dfbc40
Revises: c9a874181ade
Create Date: 2026-12-01 19:46:27.878909

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "07fc26dfbc40"
down_revision = "c9a874181ade"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consent_organisation",
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["consent_id"], ["consent.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("consent_id", "organisation_id"),
    )
    with op.batch_alter_table("consent_organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_organisation_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "measure_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["reported_by_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measure_report", schema=None) as batch_op:
        batch_op.create_index("ix_measure_report_done", ["done_on", "status", "organisation_id"], unique=False)
        batch_op.create_index("ix_measure_report_measure", ["measure_id", "reported_at"], unique=False)
        batch_op.create_index("ix_measure_report_reported_on", ["reported_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_measure_report_organisation_id"), ["organisation_id"], unique=False)

    with op.batch_alter_table("access_grant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_access_grant_organisation", "organisation", ["organisation_id"], ["id"], ondelete="CASCADE"
        )

    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("in_centre", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("to_working_group", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("with_phone", sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_measure_decision_id"), ["decision_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_measure_decision", "committee_decision", ["decision_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ippsu_number", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("ippsu_date", sa.Date(), nullable=True))

    with op.batch_alter_table("staff_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_staff_profile_organisation", "organisation", ["organisation_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("staff_profile", schema=None) as batch_op:
        batch_op.drop_constraint("fk_staff_profile_organisation", type_="foreignkey")
        batch_op.drop_column("organisation_id")

    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("ippsu_date")
        batch_op.drop_column("ippsu_number")

    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_constraint("fk_measure_decision", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_measure_decision_id"))
        batch_op.drop_column("decision_id")

    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_column("with_phone")
        batch_op.drop_column("to_working_group")
        batch_op.drop_column("in_centre")
        batch_op.drop_column("valid_until")

    with op.batch_alter_table("access_grant", schema=None) as batch_op:
        batch_op.drop_constraint("fk_access_grant_organisation", type_="foreignkey")
        batch_op.drop_column("organisation_id")

    with op.batch_alter_table("measure_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_report_organisation_id"))
        batch_op.drop_index("ix_measure_report_reported_on")
        batch_op.drop_index("ix_measure_report_measure")
        batch_op.drop_index("ix_measure_report_done")

    op.drop_table("measure_report")
    with op.batch_alter_table("consent_organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_organisation_organisation_id"))

    op.drop_table("consent_organisation")
