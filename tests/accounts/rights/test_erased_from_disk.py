"""On SQLite, a deleted person's words are gone from the database file itself, not only from
its tables: deleted rows are overwritten (`PRAGMA secure_delete`) and the full-text index is
merged, so once the write-ahead log is checkpointed no canary is left in any byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from forum.extensions import db
from forum.notifications.services import deliver_pending
from tests.accounts.rights.worlds import populate
from tests.factories import PASSWORD


@pytest.mark.real_commits
def test_no_canary_is_left_in_the_database_file(app, client, auth):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's file; PostgreSQL's old row versions go with autovacuum")
        world = populate()
        path = Path(db.engine.url.database or "")
    assert world.canary.encode() in path.read_bytes() + _wal(path)
    auth.login(world.person_email)
    assert client.post_form("/account/delete", {"password": PASSWORD}).status_code == 303
    with app.app_context():
        app.config["MAIL_TRANSPORT"] = "console"
        deliver_pending()
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            busy, _, _ = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.close()
    assert busy == 0
    left = path.read_bytes() + _wal(path)
    assert [name for name, value in world.planted.items() if value.encode() in left] == []
    assert world.canary.encode() not in left


def _wal(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return wal.read_bytes() if wal.exists() else b""
