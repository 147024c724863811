"""Engine set-up that differs between SQLite and PostgreSQL.

SQLite runs in WAL mode with foreign keys and a busy timeout. Requests that may write (any
method but GET/HEAD/OPTIONS, and all CLI work) open their transaction with `BEGIN IMMEDIATE`, so
two gunicorn workers queue for the write lock instead of failing with "database is locked"
when a read transaction tries to upgrade. GET requests never change state, so they begin
deferred and keep WAL's concurrent reads.
"""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 15_000


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Hand transaction control to the "begin" hook below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # Deleted rows are overwritten with zeros, not left in free pages, so what a person
        # asked us to erase is gone from the file too (some builds do this by default).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if has_request_context() and request.method in READ_ONLY_METHODS:
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class Upsert:
    """One "insert, or update the row with this key" statement, the same on both engines
    (`INSERT … ON CONFLICT (key) DO UPDATE`), built once per dialect and run with each call's
    values. `replace` columns take the new value; `add` columns add it to what is stored.

        SENT = Upsert(SentCount, key="survey_id", add=("sent",))
        SENT.run(db.session, survey_id=7, sent=1)
    """

    def __init__(
        self,
        model,
        *,
        key: str | tuple[str, ...],
        replace: tuple[str, ...] = (),
        add: tuple[str, ...] = (),
    ):
        self.model = model
        #: the column, or columns, of the unique key a row is found by
        self.key = (key,) if isinstance(key, str) else key
        self.replace = replace
        self.add = add
        self._built: dict[str, object] = {}

    def statement(self, dialect: str):
        built = self._built.get(dialect)
        if built is None:
            from sqlalchemy.dialects import postgresql, sqlite

            table = self.model.__table__
            insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
            new = insert.excluded
            changes = {name: new[name] for name in self.replace}
            changes.update({name: table.c[name] + new[name] for name in self.add})
            built = self._built[dialect] = insert.on_conflict_do_update(
                index_elements=list(self.key), set_=changes
            )
        return built

    def run(self, session, **values) -> None:
        self.run_many(session, [values])

    def run_many(self, session, rows: list[dict]) -> None:
        """One statement for every row (an executemany when there are several)."""
        if rows:
            statement = self.statement(session.get_bind().dialect.name)
            session.execute(statement, rows if len(rows) > 1 else rows[0])


def fits(column, value: str | None) -> bool:
    """Whether `value` is a non-empty string the `String(n)` column could hold: URL loaders ask
    before looking a slug up, so that one no row can have is a 404 without a statement."""
    return value is not None and 0 < len(value) <= column.type.length
