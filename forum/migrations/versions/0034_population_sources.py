"""population sources: each set of figures may give only some questions (DfE's files give the
type of need, support, stage and setting, or age; an organiser's own file the localities), so
the report takes each question from the newest set that gives it; a set keeps a note of what
each question's figures cover, and the local authority DfE's figures were taken for

Revision ID: 0034_population_sources
Revises: 0033_membership_tools
Create Date: 2026-12-06 08:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0034_population_sources"
down_revision = "0033_membership_tools"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("member_population_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("local_authority", sa.String(length=120), server_default="", nullable=False)
        )
    with op.batch_alter_table("member_population_figures", schema=None) as batch_op:
        batch_op.create_index("ix_member_population_figures_dimension", ["dimension", "upload_id"])


def downgrade():
    with op.batch_alter_table("member_population_figures", schema=None) as batch_op:
        batch_op.drop_index("ix_member_population_figures_dimension")
    with op.batch_alter_table("member_population_uploads", schema=None) as batch_op:
        batch_op.drop_column("local_authority")
        batch_op.drop_column("notes")
