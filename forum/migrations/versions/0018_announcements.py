"""consultation announcements (one row per consultation and occasion) and reminder settings

Revision ID: 0018_announcements
Revises: 0017_jobs
Create Date: 2026-12-05 20:40:11

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0018_announcements"
down_revision = "0017_jobs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("occasion", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_announcements_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_announcements")),
        sa.UniqueConstraint(
            "consultation_id", "occasion", name="uq_consultation_announcements_occasion"
        ),
    )
    with op.batch_alter_table("consultation_announcements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_announcements_consultation_id"),
            ["consultation_id"],
            unique=False,
        )

    op.create_table(
        "consultation_reminder_settings",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("is_on", sa.Boolean(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "days_before BETWEEN 1 AND 14",
            name=op.f("ck_consultation_reminder_settings_reminder_days_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_reminder_settings_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_consultation_reminder_settings")),
    )


def downgrade():
    op.drop_table("consultation_reminder_settings")
    with op.batch_alter_table("consultation_announcements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_announcements_consultation_id"))
    op.drop_table("consultation_announcements")
