"""area data versions: a token per area that changes with every change to the area's data, so
kept fragments of its pages are found by it (forum/areas/data_versions.py)

Revision ID: 0038_area_data_versions
Revises: 0037_annual_reports
Create Date: 2026-12-06 12:10:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0038_area_data_versions"
down_revision = "0037_annual_reports"
branch_labels = None
depends_on = None


def upgrade():
    versions = op.create_table(
        "area_data_versions",
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_area_data_versions_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("area_id", name=op.f("pk_area_data_versions")),
    )
    areas = op.get_bind().execute(sa.text("SELECT id FROM areas")).scalars().all()
    if areas:
        op.bulk_insert(
            versions, [{"area_id": area_id, "token": secrets.randbits(62)} for area_id in areas]
        )


def downgrade():
    op.drop_table("area_data_versions")
