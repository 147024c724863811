"""documents (files and links in accessible formats), format requests, and where to send
paper responses to a survey

Revision ID: 0023_documents
Revises: 0022_closing
Create Date: 2026-12-05 23:40:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0023_documents"
down_revision = "0022_closing"
branch_labels = None
depends_on = None

FORMATS = ("full", "easy_read", "bsl", "large_print", "audio", "language")


def upgrade():
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(length=24), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "format",
            sa.Enum(*FORMATS, name="documentformat", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("link_url", sa.String(length=500), nullable=True),
        sa.Column("storage_key", sa.String(length=80), nullable=True),
        sa.Column(
            "file_type",
            sa.Enum(
                "pdf",
                "docx",
                "odt",
                "png",
                "jpeg",
                "mp3",
                "m4a",
                "wav",
                name="filetype",
                native_enum=False,
                length=8,
            ),
            nullable=True,
        ),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
            name=op.f("fk_documents_added_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_documents_area_id_areas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_documents_storage_key")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_area_id"), ["area_id"], unique=False)
        batch_op.create_index(
            "ix_documents_owner", ["owner_kind", "owner_id", "position"], unique=False
        )

    op.create_table(
        "format_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(length=24), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("about", sa.String(length=200), nullable=False),
        sa.Column(
            "format",
            sa.Enum(*FORMATS, name="documentformat", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "done", name="formatrequeststatus", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", forum.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_format_requests_answered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_format_requests_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_format_requests_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_format_requests")),
    )
    with op.batch_alter_table("format_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_format_requests_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_format_requests_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "ix_format_requests_owner", ["owner_kind", "owner_id"], unique=False
        )

    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paper_responses_to", sa.Text(), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_column("paper_responses_to")

    with op.batch_alter_table("format_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_format_requests_owner")
        batch_op.drop_index(batch_op.f("ix_format_requests_user_id"))
        batch_op.drop_index(batch_op.f("ix_format_requests_area_id"))
    op.drop_table("format_requests")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_owner")
        batch_op.drop_index(batch_op.f("ix_documents_area_id"))
    op.drop_table("documents")
