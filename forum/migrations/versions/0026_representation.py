"""the representation log: meetings the forum attended, who went, what was raised (themes,
priorities) and the actions agreed (which can become plan commitments)

Revision ID: 0026_representation
Revises: 0025_quotes
Create Date: 2026-12-06 02:20:41

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0026_representation"
down_revision = "0025_quotes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "representation_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("partner_name", sa.String(length=160), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("is_raised_public", sa.Boolean(), nullable=False),
        sa.Column("is_agreed_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_representation_meetings_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_representation_meetings_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner_organisations.id"],
            name=op.f("fk_representation_meetings_partner_id_partner_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_representation_meetings_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_representation_meetings")),
    )
    with op.batch_alter_table("representation_meetings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_representation_meetings_area_held", ["area_id", "held_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_representation_meetings_partner_id"), ["partner_id"], unique=False
        )

    op.create_table(
        "representation_meeting_priorities",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["representation_meetings.id"],
            name=op.f("fk_representation_meeting_priorities_meeting_id_representation_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priorities.id"],
            name=op.f("fk_representation_meeting_priorities_priority_id_priorities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "priority_id", name=op.f("pk_representation_meeting_priorities")
        ),
    )
    op.create_table(
        "representation_meeting_themes",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["representation_meetings.id"],
            name=op.f("fk_representation_meeting_themes_meeting_id_representation_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_representation_meeting_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "theme_id", name=op.f("pk_representation_meeting_themes")
        ),
    )
    op.create_table(
        "representation_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("is_former_member", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_representation_people_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["representation_meetings.id"],
            name=op.f("fk_representation_people_meeting_id_representation_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_representation_people_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_representation_people")),
    )
    with op.batch_alter_table("representation_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_representation_people_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_representation_people_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "representation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("owner", sa.String(length=160), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("is_done", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_representation_actions_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_representation_actions_commitment_id_commitments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["representation_meetings.id"],
            name=op.f("fk_representation_actions_meeting_id_representation_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_representation_actions")),
    )
    with op.batch_alter_table("representation_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_representation_actions_area_id"), ["area_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_representation_actions_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_representation_actions_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("representation_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_representation_actions_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_representation_actions_commitment_id"))
        batch_op.drop_index(batch_op.f("ix_representation_actions_area_id"))

    op.drop_table("representation_actions")
    with op.batch_alter_table("representation_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_representation_people_user_id"))
        batch_op.drop_index(batch_op.f("ix_representation_people_meeting_id"))

    op.drop_table("representation_people")
    op.drop_table("representation_meeting_themes")
    op.drop_table("representation_meeting_priorities")
    with op.batch_alter_table("representation_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_representation_meetings_partner_id"))
        batch_op.drop_index("ix_representation_meetings_area_held")

    op.drop_table("representation_meetings")
