"""Full-text search over the discussions a person may read in one area.

One function, `search`, behind which SQLite uses the FTS5 tables `post_search` (posts.body) and
`thread_search` (threads.title), and PostgreSQL uses to_tsvector('english', …) with
websearch_to_tsquery over the GIN expression indexes; both are made by migration 0006.

Whatever someone types is first turned into plain words (`query_terms`): quotes, brackets,
operators such as NEAR, AND or *, and anything else that is not a letter or a digit are
dropped, so no input can make the query fail. Only visible posts are found, and only on boards
the person may see (`queries.visible_boards`). Snippets are made from the post's own words by
`snippets.highlight`; the search engines' own highlighting is never used with user text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import ColumnClause, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import aliased, contains_eager

from forum.consultations.models import Consultation
from forum.discussions.models import Board, Post, PostStatus, Thread
from forum.discussions.queries import visible_boards
from forum.discussions.search.snippets import highlight
from forum.extensions import db

#: what is read of the search box at most; the rest is ignored
MAX_QUERY = 200
#: words searched for at most
MAX_TERMS = 8
MAX_TERM_LENGTH = 40

#: the tables and indexes migration 0006 makes by hand (no model describes them)
SEARCH_TABLES = ("post_search", "thread_search")
SEARCH_INDEXES = ("ix_posts_body_search", "ix_threads_title_search")

_WORD = re.compile(r"\w+")
# websearch_to_tsquery reads a bare "or" as an operator; it is a stop word anyway.
_OPERATOR_WORDS = {"or"}


def is_search_object(name: str) -> bool:
    """True for the FTS5 tables (and their shadow tables) and the GIN indexes of 0006."""
    return name in SEARCH_INDEXES or any(
        name == table or name.startswith(table + "_") for table in SEARCH_TABLES
    )


def query_terms(raw: str | None) -> list[str]:
    """The plain words to look for: letters and digits only (any script), lower case, each
    kept once, at most `MAX_TERMS`."""
    if not raw:
        return []
    value = unicodedata.normalize("NFKC", raw[:MAX_QUERY])
    terms: list[str] = []
    for word in _WORD.findall(value.casefold()):
        word = word.strip("_")[:MAX_TERM_LENGTH]
        if not word or word in _OPERATOR_WORDS or word in terms:
            continue
        terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


@dataclass(frozen=True)
class Hit:
    post_id: int
    post_number: int
    thread_id: int
    title: Markup
    snippet: Markup
    board_name: str
    created_at: datetime
    thread: Thread = field(compare=False, repr=False)

    @property
    def url(self) -> str:
        """The page of the thread that shows the post, at its anchor."""
        return self.thread.post_url(self.post_number)


@dataclass
class Results:
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    #: pass as `after` for the next results; None when there are no more
    next_after: int | None = None


def _match_clause(terms: list[str]):
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        # Literal 'english' so the expressions are exactly those of the GIN indexes.
        english: ColumnClause[str] = literal_column("'english'")
        query = func.websearch_to_tsquery(english, " ".join(terms))
        # The title as a subquery on threads, so its own GIN index can be used.
        titles = aliased(Thread)
        titled = select(titles.id).where(func.to_tsvector(english, titles.title).op("@@")(query))
        return or_(
            func.to_tsvector(english, Post.body).op("@@")(query),
            and_(Post.number == 1, Post.thread_id.in_(titled)),
        )
    # FTS5: every word quoted (so none is an operator) and a prefix; all must match.
    fts = " ".join(f'"{term}"*' for term in terms)
    return or_(
        text("posts.id IN (SELECT rowid FROM post_search WHERE post_search MATCH :fts)").bindparams(
            fts=fts
        ),
        and_(
            Post.number == 1,
            text(
                "threads.id IN (SELECT rowid FROM thread_search WHERE thread_search MATCH :tfts)"
            ).bindparams(tfts=fts),
        ),
    )


def search(user, area, text_: str | None, *, limit: int, after: int | None = None) -> Results:
    """Visible posts in `area` that `user` may read and that contain every word of `text_`
    (in the post, or in the title for a thread's opening post), newest first. `after` is the
    `next_after` of the previous results."""
    terms = query_terms(text_)
    results = Results(terms=terms)
    if not terms:
        return results
    statement = (
        select(
            Post.id,
            Post.number,
            Post.body,
            Post.created_at,
            Thread,
        )
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .outerjoin(Consultation, Consultation.id == Board.consultation_id)
        # the board (for its name and each hit's URL) from this same statement
        .options(contains_eager(Thread.board))
        .where(
            Post.area_id == area.id,
            Thread.area_id == area.id,
            Board.area_id == area.id,
            Post.status == PostStatus.VISIBLE,
            visible_boards(user, area),
            _match_clause(terms),
        )
        .order_by(Post.id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        statement = statement.where(Post.id < after)
    rows = db.session.execute(statement).all()
    for row in rows[:limit]:
        results.hits.append(
            Hit(
                post_id=row.id,
                post_number=row.number,
                thread_id=row.Thread.id,
                title=highlight(row.Thread.title, terms, length=None),
                snippet=highlight(row.body, terms),
                board_name=row.Thread.board.name,
                created_at=row.created_at,
                thread=row.Thread,
            )
        )
    if len(rows) > limit:
        results.next_after = rows[limit - 1].id
    return results
