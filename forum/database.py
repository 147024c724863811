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
