"""scorecard figures: stored counts of people and feedback items per area, plan, top-level
priority and consultation, refreshed by `flask outcomes refresh-figures`

Revision ID: 0008_scorecard_figures
Revises: 0007_outcome_ledger
Create Date: 2026-11-28 02:55:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0008_scorecard_figures"
down_revision = "0007_outcome_ledger"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scorecard_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Enum("area", "plan", "priority", "consultation", name="figurescope", native_enum=False, length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_scorecard_figures_area_id_areas"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_figures")),
        sa.UniqueConstraint("scope", "subject_id", name="uq_scorecard_figures_scope_subject"),
    )
    with op.batch_alter_table("scorecard_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scorecard_figures_area_id"), ["area_id"], unique=False)


def downgrade():
    with op.batch_alter_table("scorecard_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecard_figures_area_id"))
    op.drop_table("scorecard_figures")
