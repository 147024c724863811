"""email format and bounces: each outbox email keeps an HTML part beside its text, and
addresses whose receiving server refuses email for good are counted and, after a few
refusals, marked undeliverable

Revision ID: 0016_email_format
Revises: 0018_announcements
Create Date: 2026-12-05 20:34:45

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_email_format"
down_revision = "0018_announcements"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_address_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("permanent_failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undeliverable_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_address_status")),
        sa.UniqueConstraint("address", name=op.f("uq_email_address_status_address")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_html", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("body_html")
    op.drop_table("email_address_status")
