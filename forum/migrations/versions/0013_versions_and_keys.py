"""edit versions, submission keys, outbox secrets and purging

Issue 12, points 9, 13 and 14: a `version` counter on every table an edit form changes (a
stale save is caught), the `submission_keys` table (a form's POST happens once, even when
copies arrive at the same moment), and the outbox columns that let sent emails lose their
secret links and, later, their bodies.

Revision ID: 0013_versions_and_keys
Revises: 0012_second_factor
Create Date: 2026-12-05 18:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0013_versions_and_keys"
down_revision = "0012_second_factor"
branch_labels = None
depends_on = None

#: every table whose rows an edit form changes
VERSIONED = (
    "local_plans",
    "priorities",
    "commitments",
    "consultations",
    "boards",
    "posts",
    "discussion_settings",
    "areas",
    "memberships",
    "surveys",
    "survey_questions",
    "themes",
    "decisions",
    "users",
)


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )
    op.create_table(
        "submission_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_keys")),
        sa.UniqueConstraint("key", "owner", name="uq_submission_keys_key_owner"),
    )
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.create_index("ix_submission_keys_created_at", ["created_at"], unique=False)
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret_values", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
        batch_op.drop_column("secret_values")
    with op.batch_alter_table("submission_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_keys_created_at")
    op.drop_table("submission_keys")
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
