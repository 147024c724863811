"""annual reports: the organisers' words, chosen sections and publishing of each area's
annual report for a period, and the words they type for the grant monitoring return

Revision ID: 0037_annual_reports
Revises: 0036_inspection_packs
Create Date: 2026-12-06 08:40:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0037_annual_reports"
down_revision = "0036_inspection_packs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("foreword", sa.Text(), nullable=False),
        sa.Column("highlights", sa.Text(), nullable=False),
        sa.Column("priorities", sa.Text(), nullable=False),
        sa.Column("hidden_sections", sa.JSON(), nullable=False),
        sa.Column("grant_words", sa.JSON(), nullable=False),
        sa.Column("published_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_annual_reports_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_annual_reports_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_annual_reports_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint(
            "area_id", "starts_on", "ends_on", name=op.f("uq_annual_reports_period")
        ),
    )
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_annual_reports_area_id"), ["area_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annual_reports_area_id"))

    op.drop_table("annual_reports")
