"""newsletters: messages to an audience of the area, their fan-out cursor and figures; outbox
rows and digest lines found by what they are about

Revision ID: 0020_newsletters
Revises: 0019_email_format
Create Date: 2026-12-05 20:41:19

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_newsletters"
down_revision = "0019_email_format"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "newsletters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=150), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum(
                "members",
                "public",
                "responders",
                name="audiencekind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column(
            "visibility",
            sa.Enum("members", "public", name="visibility", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "scheduled",
                "sending",
                "sent",
                "withdrawn",
                name="newsletterstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("audience_size", sa.Integer(), nullable=False),
        sa.Column("cursor_user_id", sa.Integer(), nullable=False),
        sa.Column("cursor_subscriber_id", sa.Integer(), nullable=False),
        sa.Column("people_done", sa.Integer(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("fanned_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_newsletters_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_newsletters_consultation_id_consultations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_newsletters_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newsletters")),
    )
    with op.batch_alter_table("newsletters", schema=None) as batch_op:
        batch_op.create_index("ix_newsletters_area_status", ["area_id", "status"], unique=False)
        batch_op.create_index("ix_newsletters_due", ["status", "scheduled_for"], unique=False)
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_about", ["about"], unique=False)
    with op.batch_alter_table("email_digest_items", schema=None) as batch_op:
        batch_op.create_index("ix_email_digest_items_about", ["about"], unique=False)


def downgrade():
    with op.batch_alter_table("email_digest_items", schema=None) as batch_op:
        batch_op.drop_index("ix_email_digest_items_about")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_about")
    with op.batch_alter_table("newsletters", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletters_due")
        batch_op.drop_index("ix_newsletters_area_status")
    op.drop_table("newsletters")
