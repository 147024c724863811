"""inspection packs: the shares of an area's evidence pack (a named partner, a window, the
hash of the link's token, expiry and revocation) and each time a share's link was opened

Revision ID: 0036_inspection_packs
Revises: 0034_population_sources
Create Date: 2026-12-06 08:19:05

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0036_inspection_packs"
down_revision = "0034_population_sources"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pack_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("partner_name", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_pack_shares_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_pack_shares_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["users.id"],
            name=op.f("fk_pack_shares_revoked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_shares")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_pack_shares_token_hash")),
    )
    with op.batch_alter_table("pack_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_shares_area_id"), ["area_id"], unique=False)

    op.create_table(
        "pack_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("share_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("viewed_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_pack_views_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["share_id"],
            ["pack_shares.id"],
            name=op.f("fk_pack_views_share_id_pack_shares"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_views")),
    )
    with op.batch_alter_table("pack_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_views_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_views_share_id"), ["share_id"], unique=False)


def downgrade():
    with op.batch_alter_table("pack_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_views_share_id"))
        batch_op.drop_index(batch_op.f("ix_pack_views_area_id"))
    op.drop_table("pack_views")
    with op.batch_alter_table("pack_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_shares_area_id"))
    op.drop_table("pack_shares")
