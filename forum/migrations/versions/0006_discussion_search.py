"""discussion search: full-text indexes over post bodies and thread titles

SQLite: two FTS5 tables with external content (`post_search` over posts.body, `thread_search`
over threads.title; the words are not stored twice), kept in step by triggers on insert, update
and delete, as the SQLite manual shows. PostgreSQL: GIN expression indexes on
to_tsvector('english', …), which `forum.discussions.search` uses with exactly the same
expressions.

Revision ID: 0006_discussion_search
Revises: 0005_discussions
"""

from alembic import op

revision = "0006_discussion_search"
down_revision = "0005_discussions"
branch_labels = None
depends_on = None

#: (FTS table, content table, column)
_SQLITE_INDEXES = (("post_search", "posts", "body"), ("thread_search", "threads", "title"))


def _sqlite_upgrade():
    for fts, table, column in _SQLITE_INDEXES:
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
            "END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END"
        )
        # Rows written before this migration.
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _sqlite_downgrade():
    for fts, _table, _column in _SQLITE_INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_posts_body_search ON posts USING gin (to_tsvector('english', body))"
        )
        op.execute(
            "CREATE INDEX ix_threads_title_search ON threads "
            "USING gin (to_tsvector('english', title))"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_downgrade()
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_threads_title_search")
        op.execute("DROP INDEX IF EXISTS ix_posts_body_search")
