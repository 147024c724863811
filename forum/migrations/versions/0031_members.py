"""members: consented family profiles (about the parent or carer, and each child or young
person, without names) and each area's own list of localities

Revision ID: 0031_members
Revises: 0030_event_evidence
Create Date: 2026-12-06 06:10:00

"""

import sqlalchemy as sa
from alembic import op

import forum.models

# revision identifiers, used by Alembic.
revision = "0031_members"
down_revision = "0030_event_evidence"
branch_labels = None
depends_on = None


def _enum(name: str, length: int, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade():
    op.create_table(
        "member_localities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        _fk("member_localities", "area_id", "areas", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_localities")),
        sa.UniqueConstraint("area_id", "name", name="uq_member_localities_area_name"),
    )
    with op.batch_alter_table("member_localities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_localities_area_id"), ["area_id"])

    yes_no = ("yes", "no", "prefer_not")
    op.create_table(
        "family_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("consented_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("consent_version", sa.Integer(), nullable=False),
        sa.Column(
            "parent_age",
            _enum(
                "parentage",
                16,
                "under_25",
                "25_34",
                "35_44",
                "45_54",
                "55_64",
                "65_over",
                "prefer_not",
            ),
            nullable=True,
        ),
        sa.Column(
            "ethnicity",
            _enum("ethnicity", 16, "asian", "black", "mixed", "white", "other", "prefer_not"),
            nullable=True,
        ),
        sa.Column("young_carer", _enum("yesno", 16, *yes_no), nullable=True),
        sa.Column("disabled", _enum("yesno", 16, *yes_no), nullable=True),
        sa.Column("created_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", forum.models.UTCDateTime(timezone=True), nullable=False),
        _fk("family_profiles", "area_id", "areas", "CASCADE"),
        _fk("family_profiles", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_profiles")),
        sa.UniqueConstraint("area_id", "user_id", name="uq_family_profiles_area_user"),
    )
    with op.batch_alter_table("family_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_profiles_area_id"), ["area_id"])
        batch_op.create_index(batch_op.f("ix_family_profiles_user_id"), ["user_id"])

    op.create_table(
        "family_profile_children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "age_band",
            _enum("ageband", 16, "0_4", "5_10", "11_15", "16_18", "19_25", "prefer_not"),
            nullable=True,
        ),
        sa.Column(
            "phase",
            _enum(
                "phase",
                16,
                "early_years",
                "primary",
                "secondary",
                "post_16",
                "further",
                "prefer_not",
            ),
            nullable=True,
        ),
        sa.Column(
            "need",
            _enum(
                "need",
                16,
                "spld",
                "mld",
                "sld",
                "pmld",
                "semh",
                "slcn",
                "hi",
                "vi",
                "msi",
                "pd",
                "asd",
                "other",
                "not_known",
                "prefer_not",
            ),
            nullable=True,
        ),
        sa.Column(
            "support",
            _enum("support", 16, "ehc_plan", "sen_support", "waiting", "none", "prefer_not"),
            nullable=True,
        ),
        sa.Column(
            "setting",
            _enum(
                "setting",
                20,
                "mainstream",
                "special",
                "alternative",
                "home",
                "not_in_education",
                "prefer_not",
            ),
            nullable=True,
        ),
        sa.Column("locality_id", sa.Integer(), nullable=True),
        _fk("family_profile_children", "profile_id", "family_profiles", "CASCADE"),
        _fk("family_profile_children", "area_id", "areas", "CASCADE"),
        _fk("family_profile_children", "locality_id", "member_localities", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_profile_children")),
    )
    with op.batch_alter_table("family_profile_children", schema=None) as batch_op:
        batch_op.create_index("ix_family_profile_children_area", ["area_id"])
        batch_op.create_index(batch_op.f("ix_family_profile_children_profile_id"), ["profile_id"])
        batch_op.create_index(batch_op.f("ix_family_profile_children_locality_id"), ["locality_id"])


def downgrade():
    op.drop_table("family_profile_children")
    op.drop_table("family_profiles")
    op.drop_table("member_localities")
