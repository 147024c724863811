"""survey sent counts: how many responses each survey has been sent, upserted at each
submission, naming a survey's kept results while it takes responses

Revision ID: 0039_survey_sent_counts
Revises: 0038_area_data_versions
Create Date: 2026-12-06 12:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0039_survey_sent_counts"
down_revision = "0038_area_data_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_sent_counts",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("sent", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_sent_counts_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", name=op.f("pk_survey_sent_counts")),
    )


def downgrade():
    op.drop_table("survey_sent_counts")
