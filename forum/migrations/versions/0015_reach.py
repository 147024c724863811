"""reaching families: email preferences, public subscribers, digest items, who an optional email is for

Revision ID: 0015_reach
Revises: 0014_privacy
Create Date: 2026-12-05 20:45:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0015_reach"
down_revision = "0014_privacy"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirm_digest", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_email_subscribers_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_subscribers")),
        sa.UniqueConstraint("area_id", "email", name="uq_email_subscribers_area_email"),
        sa.UniqueConstraint("confirm_digest", name=op.f("uq_email_subscribers_confirm_digest")),
    )
    op.create_table(
        "email_digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column(
            "topic",
            sa.Enum(
                "consultations",
                "newsletters",
                "outcomes",
                "replies",
                "events",
                name="topic",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "frequency",
            sa.Enum(
                "immediately",
                "daily",
                "weekly",
                "never",
                name="frequency",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("about", sa.String(length=60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (subscriber_id IS NULL)",
            name=op.f("ck_email_digest_items_digest_item_has_one_person"),
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_email_digest_items_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["email_subscribers.id"],
            name=op.f("fk_email_digest_items_subscriber_id_email_subscribers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_digest_items_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_digest_items")),
    )
    with op.batch_alter_table("email_digest_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_email_digest_items_due",
            ["frequency", "sent_at", "user_id", "subscriber_id"],
            unique=False,
        )

    op.create_table(
        "email_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column(
            "topic",
            sa.Enum(
                "consultations",
                "newsletters",
                "outcomes",
                "replies",
                "events",
                name="topic",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "frequency",
            sa.Enum(
                "immediately",
                "daily",
                "weekly",
                "never",
                name="frequency",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (subscriber_id IS NULL)",
            name=op.f("ck_email_preferences_email_preference_has_one_person"),
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_email_preferences_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["email_subscribers.id"],
            name=op.f("fk_email_preferences_subscriber_id_email_subscribers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_preferences")),
        sa.UniqueConstraint(
            "area_id", "subscriber_id", "topic", name="uq_email_preferences_subscriber"
        ),
        sa.UniqueConstraint("area_id", "user_id", "topic", name="uq_email_preferences_user"),
    )
    with op.batch_alter_table("email_preferences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_preferences_subscriber_id"), ["subscriber_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_email_preferences_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "topic",
                sa.Enum(
                    "consultations",
                    "newsletters",
                    "outcomes",
                    "replies",
                    "events",
                    name="topic",
                    native_enum=False,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subscriber_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("audience", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("about", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_subscriber_id"), ["subscriber_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_messages_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_user_id_users"),
            "users",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_area_id_areas"),
            "areas",
            ["area_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_subscriber_id_email_subscribers"),
            "email_subscribers",
            ["subscriber_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_subscriber_id_email_subscribers"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_outbox_messages_area_id_areas"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_outbox_messages_user_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_user_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_subscriber_id"))
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("about")
        batch_op.drop_column("audience")
        batch_op.drop_column("subscriber_id")
        batch_op.drop_column("user_id")
        batch_op.drop_column("area_id")
        batch_op.drop_column("topic")

    with op.batch_alter_table("email_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_preferences_user_id"))
        batch_op.drop_index(batch_op.f("ix_email_preferences_subscriber_id"))

    op.drop_table("email_preferences")
    with op.batch_alter_table("email_digest_items", schema=None) as batch_op:
        batch_op.drop_index("ix_email_digest_items_due")

    op.drop_table("email_digest_items")
    op.drop_table("email_subscribers")
