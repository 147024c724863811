"""SQLite is set up for several gunicorn workers: WAL, foreign keys, busy timeout, and writes
that take the lock when they begin. PostgreSQL needs none of this."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from forum.areas.models import Area
from forum.extensions import db
from tests.conftest import make_app
from tests.factories import make_area


def test_sqlite_pragmas(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        conn = db.session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_foreign_keys_are_enforced(app):
    from sqlalchemy.exc import IntegrityError

    from forum.areas.models import PartnerKind, PartnerOrganisation

    with app.app_context():
        db.session.add(PartnerOrganisation(area_id=999, name="Ghost", kind=PartnerKind.OTHER))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.real_commits
def test_concurrent_writers_never_see_database_is_locked(app):
    """Eight threads, each its own app and connection, read then write at the same time —
    the pattern that fails with "database is locked" under SQLite's default deferred begin.
    On PostgreSQL two writers can read the same version of the row; the row's version column
    turns the later write into a StaleDataError (a lost update caught, not made), and the
    writer reads again and retries, as the edit forms ask a person to. Either way no update
    is lost."""
    with app.app_context():
        make_area(slug="counter")
    apps = [make_app(app.config.copy()) for _ in range(8)]
    errors: list[BaseException] = []
    retried: list[int] = []
    barrier = threading.Barrier(len(apps))

    def work(flask_app):
        with flask_app.app_context():
            try:
                barrier.wait()
                for _ in range(10):
                    while True:
                        area = db.session.scalar(select(Area).where(Area.slug == "counter"))
                        area.forum_description = (area.forum_description or "") + "x"
                        try:
                            db.session.commit()
                            break
                        except StaleDataError:
                            db.session.rollback()
                            retried.append(1)
            except BaseException as exc:  # noqa: BLE001 - collected and reported below
                errors.append(exc)
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=work, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        description = db.session.scalar(
            select(Area.forum_description).where(Area.slug == "counter")
        )
        assert description.count("x") == 80
        if db.engine.dialect.name == "sqlite":
            # BEGIN IMMEDIATE serialises each read-modify-write: nobody ever has to retry
            assert retried == []
        assert db.session.scalar(select(func.count()).select_from(Area)) == 1
        db.session.execute(text("SELECT 1"))
