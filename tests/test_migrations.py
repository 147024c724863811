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


def test_0010_vouches_for_responses_that_could_not_be_made_in_bulk(app):
    """The backfill of `Response.vouched`, run on this engine over responses of every kind."""
    import importlib.util
    from pathlib import Path

    from sqlalchemy import select, text, update

    from forum.surveys.models import Response
    from tests.factories import make_area, make_consultation, make_response, make_survey, make_user

    path = (
        Path(__file__).resolve().parents[1] / "forum/migrations/versions/0010_vouched_responses.py"
    )
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    with app.app_context():
        area = make_area()
        public = make_survey(make_consultation(area, audience="public"))
        members = make_survey(make_consultation(area, audience="members"))
        anonymous = make_survey(make_consultation(area, audience="public"), is_anonymous=True)
        made = {
            "account": make_response(public, user=make_user(), status="submitted"),
            "nobody": make_response(public, status="submitted"),
            "paper": make_response(public, channel="paper", status="submitted"),
            "members-only": make_response(members, status="submitted"),
            "anonymous": make_response(anonymous, status="submitted"),
        }
        ids = {name: response.id for name, response in made.items()}
        db.session.execute(update(Response).values(vouched=False))
        db.session.execute(text(migration.BACKFILL), {"yes": True})
        vouched = dict(db.session.execute(select(Response.id, Response.vouched)).all())
        assert {name: vouched[i] for name, i in ids.items()} == {
            "account": True,
            "nobody": False,
            "paper": True,
            "members-only": True,
            # without an account on the row, an anonymous survey's response cannot be told
            # from one sent by nobody in particular: it is not vouched for
            "anonymous": False,
        }


def test_0022_takes_a_due_date_exactly_12_weeks_after_closing_as_the_default(app):
    """The backfill of `Consultation.response_due_is_custom`, run on this engine."""
    import importlib.util
    from datetime import timedelta
    from pathlib import Path

    from sqlalchemy import select, update

    from forum.consultations.models import Consultation
    from tests.factories import make_area, make_consultation

    path = Path(__file__).resolve().parents[1] / "forum/migrations/versions/0022_closing.py"
    spec = importlib.util.spec_from_file_location("migration_0022", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    with app.app_context():
        area = make_area()
        default = make_consultation(area, state="open")
        chosen = make_consultation(area, state="open")
        db.session.get(Consultation, chosen.id).response_due_at += timedelta(days=1)
        db.session.flush()
        db.session.execute(update(Consultation).values(response_due_is_custom=False))
        migration.mark_custom(db.session.connection())
        found = dict(
            db.session.execute(select(Consultation.id, Consultation.response_due_is_custom)).all()
        )
        assert (found[default.id], found[chosen.id]) == (False, True)
