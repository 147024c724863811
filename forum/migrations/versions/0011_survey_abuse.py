"""survey abuse controls and partners' access: quarantine, confirmed email addresses, abuse
signals kept for a while, the outbox forgetting an address once sent, and the setting that
shares consented written answers with partners (issue 12, points 3 and 4)

Revision ID: 0011_survey_abuse
Revises: 0010_vouched_responses
Create Date: 2026-12-05 18:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0011_survey_abuse"
down_revision = "0010_vouched_responses"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requires_confirmed_email", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("shares_answers_with_partners", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_awaiting_email", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("quarantined_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quarantine_reason", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("device_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("address_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sent_hour", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("answers_hash", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_survey_responses_quarantined_by_id_users"),
            "users",
            ["quarantined_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "survey_email_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_email_confirmations_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_email_confirmations_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_email_confirmations")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_survey_email_confirmations_token_digest")),
    )
    with op.batch_alter_table("survey_email_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_email_confirmations_response_id"), ["response_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_email_confirmations_survey_id"), ["survey_id"], unique=False
        )

    op.create_table(
        "survey_counted_emails",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_counted_emails_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", "email_hash", name=op.f("pk_survey_counted_emails")),
    )

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_forgotten_once_sent", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("is_forgotten_once_sent")
    op.drop_table("survey_counted_emails")
    with op.batch_alter_table("survey_email_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_email_confirmations_survey_id"))
        batch_op.drop_index(batch_op.f("ix_survey_email_confirmations_response_id"))
    op.drop_table("survey_email_confirmations")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_survey_responses_quarantined_by_id_users"), type_="foreignkey"
        )
        for column in (
            "answers_hash",
            "sent_hour",
            "address_hash",
            "device_hash",
            "quarantine_reason",
            "quarantined_by_id",
            "quarantined_at",
            "verified_at",
            "is_awaiting_email",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_column("shares_answers_with_partners")
        batch_op.drop_column("requires_confirmed_email")
