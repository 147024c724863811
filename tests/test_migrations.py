"""The migrations are the only source of the schema: they must match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from forum.discussions.search.queries import is_search_object
from forum.extensions import db


def _not_search(name, type_, parent_names):
    # The full-text search tables and indexes are made by hand in 0006 (FTS5 or GIN) and have
    # no model: see forum.discussions.search.
    return not (name and is_search_object(name))


def test_models_and_migrations_agree(app):
    with app.app_context():
        diff = compare_metadata(
            MigrationContext.configure(
                db.session.connection(), opts={"compare_type": True, "include_name": _not_search}
            ),
            db.metadata,
        )
    assert diff == []
