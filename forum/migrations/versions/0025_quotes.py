"""theme quotes chosen by organisers (excerpts, redactions), and contact details given with
paper and phone responses

Revision ID: 0025_quotes
Revises: 0024_forum_response
Create Date: 2026-12-05 23:45:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0025_quotes"
down_revision = "0024_forum_response"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "theme_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_excerpt", sa.Boolean(), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["survey_answers.id"],
            name=op.f("fk_theme_quotes_answer_id_survey_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_theme_quotes_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["chosen_by_id"],
            ["users.id"],
            name=op.f("fk_theme_quotes_chosen_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_theme_quotes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_quotes")),
        sa.UniqueConstraint("theme_id", "answer_id", name="uq_theme_quotes_theme_answer"),
    )
    with op.batch_alter_table("theme_quotes", schema=None) as batch_op:
        batch_op.create_index("ix_theme_quotes_answer", ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_theme_quotes_area_id"), ["area_id"], unique=False)


    op.create_table(
        "survey_response_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("agreed_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_survey_response_contacts_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_survey_response_contacts_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_response_contacts_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response_contacts")),
        sa.UniqueConstraint("response_id", name=op.f("uq_survey_response_contacts_response_id")),
    )
    with op.batch_alter_table("survey_response_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_response_contacts_area_id"), ["area_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("survey_response_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_response_contacts_area_id"))
    op.drop_table("survey_response_contacts")
    with op.batch_alter_table("theme_quotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_quotes_area_id"))
        batch_op.drop_index("ix_theme_quotes_answer")
    op.drop_table("theme_quotes")
