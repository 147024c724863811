"""survey responses: vouched for (issue 12, disclosure control)

A response is vouched for when it cannot be made in bulk for nothing: sent from a signed-in
account, typed in by the forum (paper, phone, event), or to a members-only consultation (only
members, who have accounts, can answer those). Published counts need at least 5 vouched
responses in every cell. A response already sent to an anonymous survey of a public
consultation keeps no account, so it cannot be told from one sent by nobody in particular
and is not vouched for.

The stored scorecard figures gain the same two counts for people and feedback items. They
start at 0, so published people and item counts are withheld until `flask outcomes
refresh-figures` next runs (run it after upgrading).

Revision ID: 0010_vouched_responses
Revises: 0009_pending_email
Create Date: 2026-12-05 18:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0010_vouched_responses"
down_revision = "0009_pending_email"
branch_labels = None
depends_on = None


#: responses already held: vouched for when sent from an account, typed in by the forum, or
#: sent to a members-only consultation (tested in tests/test_migrations.py)
BACKFILL = (
    "UPDATE survey_responses SET vouched = :yes"
    " WHERE user_id IS NOT NULL"
    " OR channel <> 'online'"
    " OR survey_id IN (SELECT surveys.id FROM surveys"
    " JOIN consultations ON consultations.id = surveys.consultation_id"
    " WHERE consultations.audience = 'members')"
)


def upgrade():
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("vouched", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    op.get_bind().execute(sa.text(BACKFILL), {"yes": True})

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.alter_column("vouched", existing_type=sa.Boolean(), server_default=None)

    with op.batch_alter_table("scorecard_figures", schema=None) as batch_op:
        for name in ("vouched_participants", "vouched_items"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("scorecard_figures", schema=None) as batch_op:
        for name in ("vouched_participants", "vouched_items"):
            batch_op.alter_column(name, existing_type=sa.Integer(), server_default=None)


def downgrade():
    with op.batch_alter_table("scorecard_figures", schema=None) as batch_op:
        batch_op.drop_column("vouched_items")
        batch_op.drop_column("vouched_participants")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_column("vouched")
