"""event notes: what was heard at an event (a summary, the points families raised, the actions
agreed), with who may read them

Revision ID: 0029_event_notes
Revises: 0028_contact_version
Create Date: 2026-12-06 03:50:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0029_event_notes"
down_revision = "0028_contact_version"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _indexes(table: str, columns: tuple[str, ...]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        "event_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum(
                "public",
                "members",
                "organisers",
                name="notevisibility",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        _fk("event_notes", "area_id", "areas", "CASCADE"),
        _fk("event_notes", "created_by_id", "users", "SET NULL"),
        _fk("event_notes", "event_id", "events", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_notes")),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_notes_event_id")),
    )
    _indexes("event_notes", ("area_id", "created_by_id"))
    op.create_table(
        "event_note_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "people IS NULL OR (people >= 1 AND people <= 1000)",
            name=op.f("ck_event_note_items_people"),
        ),
        _fk("event_note_items", "area_id", "areas", "CASCADE"),
        _fk("event_note_items", "created_by_id", "users", "SET NULL"),
        _fk("event_note_items", "note_id", "event_notes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_note_items")),
    )
    _indexes("event_note_items", ("area_id", "created_by_id", "note_id"))
    op.create_table(
        "event_note_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("is_done", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        _fk("event_note_actions", "area_id", "areas", "CASCADE"),
        _fk("event_note_actions", "created_by_id", "users", "SET NULL"),
        _fk("event_note_actions", "note_id", "event_notes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_note_actions")),
    )
    _indexes("event_note_actions", ("area_id", "created_by_id", "note_id"))


def downgrade():
    for table in ("event_note_actions", "event_note_items", "event_notes"):
        op.drop_table(table)
