"""events: an area's meetings, their registrations with capacity and a waiting list, and
their links to plan priorities; files attached to outbox emails (an event's .ics)

Revision ID: 0027_events
Revises: 0026_representation
Create Date: 2026-12-06 02:20:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0027_events"
down_revision = "0026_representation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=True))
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("is_in_person", sa.Boolean(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("has_step_free_access", sa.Boolean(), nullable=False),
        sa.Column("has_parking", sa.Boolean(), nullable=False),
        sa.Column("has_quiet_room", sa.Boolean(), nullable=False),
        sa.Column("has_hearing_loop", sa.Boolean(), nullable=False),
        sa.Column("accessibility_notes", sa.Text(), nullable=False),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=False),
        sa.Column("needs_registration", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("places_taken", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "audience",
            sa.Enum("public", "members", name="audience", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "published", "cancelled", name="eventstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("is_registration_open", sa.Boolean(), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("keep_needs_days", sa.Integer(), nullable=False),
        sa.Column("needs_erased_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "capacity IS NULL OR (capacity >= 1 AND capacity <= 5000)",
            name=op.f("ck_events_capacity"),
        ),
        sa.CheckConstraint(
            "capacity IS NULL OR places_taken <= capacity",
            name=op.f("ck_events_places_within_capacity"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_events_ends_after_start")),
        sa.CheckConstraint("is_in_person OR is_online", name=op.f("ck_events_in_person_or_online")),
        sa.CheckConstraint(
            "keep_needs_days >= 1 AND keep_needs_days <= 365",
            name=op.f("ck_events_keep_needs_days"),
        ),
        sa.CheckConstraint("places_taken >= 0", name=op.f("ck_events_places_taken")),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_events_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_events_consultation_id_consultations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_events_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_area_starts", ["area_id", "starts_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "event_priorities",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_priorities_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priorities.id"],
            name=op.f("fk_event_priorities_priority_id_priorities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "priority_id", name=op.f("pk_event_priorities")),
    )
    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("adults", sa.Integer(), nullable=False),
        sa.Column("access_choices", sa.String(length=100), nullable=False),
        sa.Column("access_needs", sa.Text(), nullable=False),
        sa.Column("dietary_needs", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "unconfirmed",
                "confirmed",
                "waiting",
                "cancelled",
                name="registrationstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("waiting_since", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("promoted_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "adults >= 1 AND adults <= 10", name=op.f("ck_event_registrations_adults")
        ),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR email IS NOT NULL", name=op.f("ck_event_registrations_someone")
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_event_registrations_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_registrations_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_registrations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registrations")),
        sa.UniqueConstraint("event_id", "email", name="uq_event_registrations_event_email"),
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_registrations_event_user"),
    )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_registrations_area_id"), ["area_id"], unique=False
        )
        batch_op.create_index(
            "ix_event_registrations_event_status", ["event_id", "status", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_registrations_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_registrations_user_id"))
        batch_op.drop_index("ix_event_registrations_event_status")
        batch_op.drop_index(batch_op.f("ix_event_registrations_area_id"))

    op.drop_table("event_registrations")
    op.drop_table("event_priorities")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_consultation_id"))
        batch_op.drop_index("ix_events_area_starts")

    op.drop_table("events")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("attachments")
