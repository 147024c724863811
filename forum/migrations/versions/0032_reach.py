"""reach: figures about the area's children and young people with SEND (uploaded, with their
source and date), and whether the area's reach reports are published

Revision ID: 0032_reach
Revises: 0031_members
Create Date: 2026-12-06 06:20:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0032_reach"
down_revision = "0031_members"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "member_population_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("uploaded_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_member_population_uploads_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_member_population_uploads_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_population_uploads")),
    )
    with op.batch_alter_table("member_population_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_population_uploads_area_id"), ["area_id"])
    op.create_table(
        "member_population_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["member_population_uploads.id"],
            name=op.f("fk_member_population_figures_upload_id_member_population_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_population_figures")),
        sa.UniqueConstraint("upload_id", "dimension", "category", name="uq_member_population_cell"),
    )
    with op.batch_alter_table("member_population_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_population_figures_upload_id"), ["upload_id"])
    op.create_table(
        "member_reach_settings",
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("changed_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_member_reach_settings_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_member_reach_settings_changed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("area_id", name=op.f("pk_member_reach_settings")),
    )


def downgrade():
    op.drop_table("member_reach_settings")
    op.drop_table("member_population_figures")
    op.drop_table("member_population_uploads")
