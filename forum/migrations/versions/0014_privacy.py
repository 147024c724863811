"""families' data rights: the history of consent to be quoted and its private link, anonymous
surveys sealed at closing (the salt may be gone), when a post was removed

Revision ID: 0014_privacy
Revises: 0013_versions_and_keys
Create Date: 2026-12-05 18:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0014_privacy"
down_revision = "0013_versions_and_keys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_quote_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("is_given", sa.Boolean(), nullable=False),
        sa.Column(
            "change",
            sa.Enum(
                "answered",
                "changed_answer",
                "withdrawn",
                "given",
                name="consentchange",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_survey_quote_consents_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_quote_consents_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_quote_consents")),
    )
    with op.batch_alter_table("survey_quote_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_quote_consents_area_id"), ["area_id"], unique=False
        )
        batch_op.create_index(
            "ix_survey_quote_consents_response_id_id", ["response_id", "id"], unique=False
        )

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote_token_digest", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_survey_responses_quote_token_digest"), ["quote_token_digest"]
        )

    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("salt", existing_type=sa.String(length=64), nullable=True)

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("removed_at")

    # A sealed survey has no salt; give it a fresh one so the column can be required again.
    surveys = sa.table("surveys", sa.column("id", sa.Integer), sa.column("salt", sa.String))
    connection = op.get_bind()
    import secrets

    for (survey_id,) in connection.execute(sa.select(surveys.c.id).where(surveys.c.salt.is_(None))):
        connection.execute(
            sa.update(surveys).where(surveys.c.id == survey_id).values(salt=secrets.token_hex(16))
        )
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.alter_column("salt", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("sealed_at")

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_survey_responses_quote_token_digest"), type_="unique"
        )
        batch_op.drop_column("quote_token_digest")

    with op.batch_alter_table("survey_quote_consents", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_quote_consents_response_id_id")
        batch_op.drop_index(batch_op.f("ix_survey_quote_consents_area_id"))

    op.drop_table("survey_quote_consents")
