"""survey sections (chapters), the organiser's own question numbers and word limits

Revision ID: 0021_sections
Revises: 0020_newsletters
Create Date: 2026-12-05 23:27:16

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0021_sections"
down_revision = "0020_newsletters"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), server_default="", nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_survey_sections_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_sections_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_sections")),
    )
    with op.batch_alter_table("survey_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_sections_area_id"), ["area_id"], unique=False)
        batch_op.create_index(
            "ix_survey_sections_survey_position", ["survey_id", "position"], unique=False
        )

    with op.batch_alter_table("survey_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_words", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("section_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("number", sa.String(length=16), server_default="", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_survey_questions_section_id"), ["section_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_survey_questions_section_id_survey_sections"),
            "survey_sections",
            ["section_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "numbering",
                sa.Enum("automatic", "own", "none", name="numbering", native_enum=False, length=16),
                server_default="automatic",
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_column("numbering")

    with op.batch_alter_table("survey_questions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_survey_questions_section_id_survey_sections"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_survey_questions_section_id"))
        batch_op.drop_column("number")
        batch_op.drop_column("section_id")
        batch_op.drop_column("max_words")

    with op.batch_alter_table("survey_sections", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_sections_survey_position")
        batch_op.drop_index(batch_op.f("ix_survey_sections_area_id"))

    op.drop_table("survey_sections")
