"""event notes as evidence: a theme can link one point families raised at an event, or one
action agreed there; points can carry the linked consultation's survey codes

Revision ID: 0030_event_evidence
Revises: 0029_event_notes
Create Date: 2026-12-06 05:40:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0030_event_evidence"
down_revision = "0029_event_notes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_note_item_codes",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("tagged_by_id", sa.Integer(), nullable=True),
        sa.Column("tagged_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["event_note_items.id"],
            name=op.f("fk_event_note_item_codes_item_id_event_note_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["survey_codes.id"],
            name=op.f("fk_event_note_item_codes_code_id_survey_codes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tagged_by_id"],
            ["users.id"],
            name=op.f("fk_event_note_item_codes_tagged_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("item_id", "code_id", name=op.f("pk_event_note_item_codes")),
    )
    with op.batch_alter_table("event_note_item_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_note_item_codes_code_id"), ["code_id"], unique=False
        )

    with op.batch_alter_table("theme_evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("event_action_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_theme_evidence_event_item_id_event_note_items"),
            "event_note_items",
            ["event_item_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_theme_evidence_event_action_id_event_note_actions"),
            "event_note_actions",
            ["event_action_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index("ix_theme_evidence_event_item", ["event_item_id"], unique=False)
        batch_op.create_index("ix_theme_evidence_event_action", ["event_action_id"], unique=False)


def downgrade():
    op.execute("DELETE FROM theme_evidence WHERE kind IN ('event_item', 'event_action')")
    with op.batch_alter_table("theme_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_theme_evidence_event_action")
        batch_op.drop_index("ix_theme_evidence_event_item")
        batch_op.drop_constraint(
            batch_op.f("fk_theme_evidence_event_action_id_event_note_actions"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_theme_evidence_event_item_id_event_note_items"), type_="foreignkey"
        )
        batch_op.drop_column("event_action_id")
        batch_op.drop_column("event_item_id")
    with op.batch_alter_table("event_note_item_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_note_item_codes_code_id"))
    op.drop_table("event_note_item_codes")
