"""consultation date history, whether the organiser chose the response due date, and
reminders about answers saved but not sent

Revision ID: 0022_closing
Revises: 0021_sections
Create Date: 2026-12-05 23:40:00

An existing due date exactly 12 weeks after its closing date is taken as the default (it then
follows the closing date from now on); any other was chosen by the organiser.
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0022_closing"
down_revision = "0021_sections"
branch_labels = None
depends_on = None


def mark_custom(bind) -> None:
    """Say which existing due dates the organiser chose: any not exactly 12 weeks after the
    closing date. Compared in Python, so it is the same on SQLite and PostgreSQL."""
    consultations = sa.table(
        "consultations",
        sa.column("id", sa.Integer()),
        sa.column("closes_at", forum.models.UTCDateTime(timezone=True)),
        sa.column("response_due_at", forum.models.UTCDateTime(timezone=True)),
        sa.column("response_due_is_custom", sa.Boolean()),
    )
    rows = bind.execute(
        sa.select(consultations.c.id, consultations.c.closes_at, consultations.c.response_due_at)
    ).all()
    custom = [id_ for id_, closes, due in rows if due != closes + timedelta(weeks=12)]
    for start in range(0, len(custom), 500):
        bind.execute(
            consultations.update()
            .where(consultations.c.id.in_(custom[start : start + 500]))
            .values(response_due_is_custom=True)
        )


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "response_due_is_custom", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    mark_custom(op.get_bind())
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.alter_column(
            "response_due_is_custom", existing_type=sa.Boolean(), server_default=None
        )

    op.create_table(
        "consultation_date_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column(
            "field",
            sa.Enum(
                "opens_at",
                "closes_at",
                "response_due_at",
                name="datefield",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "edited",
                "opened_early",
                "extended",
                "reopened",
                "closed_early",
                "followed",
                name="datechangekind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("from_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("to_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_consultation_date_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_date_changes_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_date_changes")),
    )
    with op.batch_alter_table("consultation_date_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_date_changes_actor_id"), ["actor_id"], unique=False
        )
        batch_op.create_index(
            "ix_consultation_date_changes_consultation",
            ["consultation_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "draft_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_draft_reminders_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_draft_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_reminders")),
        sa.UniqueConstraint("consultation_id", "user_id", name="uq_draft_reminders_person"),
    )
    with op.batch_alter_table("draft_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_reminders_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("draft_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_reminders_user_id"))
    op.drop_table("draft_reminders")
    with op.batch_alter_table("consultation_date_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_consultation_date_changes_consultation")
        batch_op.drop_index(batch_op.f("ix_consultation_date_changes_actor_id"))
    op.drop_table("consultation_date_changes")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("response_due_is_custom")
