"""membership tools: invitations by email, yearly renewal (a forum setting and each
membership's renewal dates), and the reason an organiser removed someone

Revision ID: 0033_membership_tools
Revises: 0032_reach
Create Date: 2026-12-06 06:13:12

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0033_membership_tools"
down_revision = "0032_reach"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), server_default="", nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "sent",
                "accepted",
                "withdrawn",
                "expired",
                name="invitationstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("nonce_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sends", sa.Integer(), server_default="1", nullable=False),
        sa.Column("last_sent_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"],
            ["users.id"],
            name=op.f("fk_invitations_accepted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_invitations_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_invitations_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitations_email"), ["email"], unique=False)

    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_renewal_on", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("renewal_days", sa.Integer(), server_default="30", nullable=False)
        )

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("removal_reason", sa.Text(), server_default="", nullable=False)
        )
        for name in (
            "ended_at",
            "renewed_at",
            "renewal_asked_at",
            "renewal_due_at",
            "renewal_reminded_at",
        ):
            batch_op.add_column(
                sa.Column(name, forum.models.UTCDateTime(timezone=True), nullable=True)
            )
        batch_op.create_index(
            batch_op.f("ix_memberships_renewal_due_at"), ["renewal_due_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_renewal_due_at"))
        batch_op.drop_column("renewal_reminded_at")
        batch_op.drop_column("renewal_due_at")
        batch_op.drop_column("renewal_asked_at")
        batch_op.drop_column("renewed_at")
        batch_op.drop_column("ended_at")
        batch_op.drop_column("removal_reason")

    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.drop_column("renewal_days")
        batch_op.drop_column("is_renewal_on")

    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_email"))
        batch_op.drop_index(batch_op.f("ix_invitations_area_id"))

    op.drop_table("invitations")
