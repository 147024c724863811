"""account tokens: the new address an email-change link confirms

Revision ID: 0009_pending_email
Revises: 0008_scorecard_figures
Create Date: 2026-12-05 17:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0009_pending_email"
down_revision = "0008_scorecard_figures"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_email", sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.drop_column("new_email")
