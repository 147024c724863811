"""edit versions for documents and for paper and phone responses' contact details

Issue 14: a document's label and a typed-in response's contact details can be changed by
organisers, so each carries a `version` and a save from a stale copy is caught
(forum/web/versions.py).

Revision ID: 0028_contact_version
Revises: 0027_events
Create Date: 2026-12-06 03:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028_contact_version"
down_revision = "0027_events"
branch_labels = None
depends_on = None

VERSIONED = ("documents", "survey_response_contacts")


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade():
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
