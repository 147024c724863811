"""Reading discussions: URL loaders, the boards a person can see, board and thread pages.

Every list is filtered in SQL by what the viewer may read, so a page costs the same few
statements however many boards, threads or posts there are.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, and_, false, func, literal, or_, select, true
from sqlalchemy.orm import aliased, joinedload

from forum.accounts.models import User
from forum.areas.models import PartnerOrganisation
from forum.areas.permissions import is_member
from forum.consultations.models import Audience, Consultation
from forum.consultations.permissions import can_manage_consultations
from forum.database import fits
from forum.discussions.models import (
    POSTS_PER_PAGE,
    Board,
    DiscussionSettings,
    Follow,
    MeToo,
    Post,
    PostRevision,
    Thread,
    Visibility,
)
from forum.discussions.permissions import is_staff
from forum.extensions import db
from forum.web.text import render_post

#: threads on one board page (posts on a thread page: `models.POSTS_PER_PAGE`)
THREADS_PER_PAGE = 25


# --- URL loaders ---------------------------------------------------------------------------


def load_board(kwargs: dict) -> dict:
    """area_slug, board_slug → area, board (404 if unknown or another area's)."""
    from forum.areas.queries import load_area

    kwargs = load_area(kwargs)
    slug = kwargs.pop("board_slug")
    board = None
    if fits(Board.slug, slug):
        board = db.session.scalar(
            select(Board).where(Board.area_id == kwargs["area"].id, Board.slug == slug)
        )
    if board is None:
        abort(404)
    kwargs["board"] = board
    return kwargs


def load_consultation_board(kwargs: dict) -> dict:
    """area_slug, slug → area, consultation, board: the consultation's board, or an unsaved
    one (nobody has started a thread yet) that answers permission checks the same way."""
    from forum.consultations.queries import load_consultation

    kwargs = load_consultation(kwargs)
    consultation = kwargs["consultation"]
    board = db.session.scalar(select(Board).where(Board.consultation_id == consultation.id))
    if board is None:
        board = Board(
            area=kwargs["area"],
            consultation=consultation,
            area_id=consultation.area_id,
            consultation_id=consultation.id,
            name=consultation.title,
            description="",
            visibility=Visibility.MEMBERS,
        )
    kwargs["board"] = board
    return kwargs


def load_thread(kwargs: dict) -> dict:
    """area_slug, thread_id → area, board, thread (404 unless the thread is in the area)."""
    from forum.areas.queries import load_area

    kwargs = load_area(kwargs)
    thread = db.session.scalar(
        select(Thread)
        .options(joinedload(Thread.board).joinedload(Board.consultation))
        .where(Thread.id == kwargs.pop("thread_id"), Thread.area_id == kwargs["area"].id)
    )
    if thread is None:
        abort(404)
    kwargs["board"], kwargs["thread"] = thread.board, thread
    return kwargs


def load_post(kwargs: dict) -> dict:
    """area_slug, post_id → area, board, thread, post."""
    from forum.areas.queries import load_area

    kwargs = load_area(kwargs)
    post = db.session.scalar(
        select(Post)
        .options(joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.consultation))
        .where(Post.id == kwargs.pop("post_id"), Post.area_id == kwargs["area"].id)
    )
    if post is None:
        abort(404)
    kwargs["board"], kwargs["thread"], kwargs["post"] = post.thread.board, post.thread, post
    return kwargs


def get_settings(area) -> DiscussionSettings:
    """The area's discussion settings, or the defaults when it has none saved."""
    found = db.session.get(DiscussionSettings, area.id)
    return found or DiscussionSettings(area_id=area.id, approve_first_posts=0)


# --- what a person can see -----------------------------------------------------------------


def visible_boards(user, area):
    """A condition on Board (with Consultation outer-joined) for the boards `user` can read
    in `area`: the SQL twin of `permissions.can_view_board`. A draft consultation's board
    only for those who may see drafts (`can_view_consultation`: organisers and admins)."""
    if can_manage_consultations(user, area):
        return true()
    published = Consultation.published_at.is_not(None)
    area_boards: ColumnElement[bool]
    consultation_boards: ColumnElement[bool]
    if is_staff(user, area):
        area_boards = true()
        consultation_boards = published
    elif is_member(user, area):
        area_boards = Board.visibility.in_([Visibility.PUBLIC, Visibility.MEMBERS])
        consultation_boards = published
    else:
        area_boards = Board.visibility == Visibility.PUBLIC
        consultation_boards = and_(published, Consultation.audience == Audience.PUBLIC)
    return or_(
        and_(Board.consultation_id.is_(None), area_boards),
        and_(Board.consultation_id.is_not(None), consultation_boards),
    )


def boards_with_counts(user, area) -> list[tuple[Board, int, datetime | None]]:
    """The area's own boards `user` can read, each with its thread count and last activity."""
    counts = (
        select(
            Thread.board_id,
            func.count(Thread.id).label("threads"),
            func.max(Thread.last_activity_at).label("last_activity"),
        )
        .where(Thread.area_id == area.id)
        .group_by(Thread.board_id)
        .subquery()
    )
    stmt = (
        select(Board, counts.c.threads, counts.c.last_activity)
        .outerjoin(counts, counts.c.board_id == Board.id)
        .outerjoin(Consultation, Consultation.id == Board.consultation_id)
        .where(
            Board.area_id == area.id,
            Board.consultation_id.is_(None),
            visible_boards(user, area),
        )
        .order_by(Board.position, Board.id)
    )
    return [(board, threads or 0, last) for board, threads, last in db.session.execute(stmt)]


def recent_threads(user, area, *, limit: int = 5) -> list[tuple[Thread, Board]]:
    """The most recently active threads `user` can read in `area`, in one query."""
    stmt = (
        select(Thread, Board)
        .join(Board, Board.id == Thread.board_id)
        .outerjoin(Consultation, Consultation.id == Board.consultation_id)
        .where(Thread.area_id == area.id, visible_boards(user, area))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return [(thread, board) for thread, board in db.session.execute(stmt)]


# --- a board page --------------------------------------------------------------------------


@dataclass
class ThreadRow:
    thread: Thread
    #: who started it: their name, or their organisation for a responder
    author: str
    partner: str | None


@dataclass
class ThreadPage:
    rows: list[ThreadRow]
    #: the `after` value for the next page, or None on the last page
    next_after: str | None


def _cursor(thread: Thread) -> str:
    when = thread.last_activity_at
    seconds = calendar.timegm(when.utctimetuple())
    return f"{int(thread.is_pinned)}.{seconds}.{when.microsecond:06d}.{thread.id}"


def parse_after(raw: str | None) -> tuple[bool, datetime, int] | None:
    """`after` from the URL: "<pinned 0/1>.<unix time>.<id>", or None when absent or wrong."""
    from datetime import UTC

    parts = (raw or "").split(".")
    if len(parts) != 4 or parts[0] not in ("0", "1"):
        return None
    seconds, micros, thread_id = parts[1], parts[2], parts[3]
    if not (seconds.isdigit() and micros.isdigit() and thread_id.isdigit()):
        return None
    if len(seconds) > 11 or len(micros) > 6 or len(thread_id) > 12:
        return None
    when = datetime.fromtimestamp(int(seconds), UTC).replace(microsecond=int(micros))
    return parts[0] == "1", when, int(thread_id)


def select_threads(board: Board) -> Select:
    opening = aliased(Post)
    return (
        select(Thread, User.display_name, PartnerOrganisation.name)
        .join(opening, and_(opening.thread_id == Thread.id, opening.number == 1))
        .outerjoin(User, User.id == Thread.author_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == opening.partner_id)
        .where(Thread.board_id == board.id)
        .order_by(Thread.is_pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
    )


def thread_page(board: Board, after: tuple[bool, datetime, int] | None) -> ThreadPage:
    """One page of the board's threads: pinned first, then the most recently active (keyset
    on pinned, last activity, id: the same cost for the first page and the hundredth)."""
    stmt = select_threads(board)
    if after is not None:
        pinned, when, last_id = after
        earlier = or_(
            Thread.last_activity_at < when,
            and_(Thread.last_activity_at == when, Thread.id < last_id),
        )
        if pinned:
            stmt = stmt.where(or_(Thread.is_pinned.is_(false()), earlier))
        else:
            stmt = stmt.where(Thread.is_pinned.is_(false()), earlier)
    found = db.session.execute(stmt.limit(THREADS_PER_PAGE + 1)).all()
    rows = [
        ThreadRow(thread, name or "A former member", partner)
        for thread, name, partner in found[:THREADS_PER_PAGE]
    ]
    more = len(found) > THREADS_PER_PAGE
    return ThreadPage(rows=rows, next_after=_cursor(rows[-1].thread) if more else None)


# --- a thread page -------------------------------------------------------------------------


@dataclass
class PostView:
    """What a post shows of itself (the same for everyone; who sees its words is decided when
    it is shown): made from a row of `post_rows`, or from a Post just written."""

    id: int
    number: int
    author_id: int | None
    #: their name, or None for a former member
    author_name: str | None
    #: the organisation a responder wrote for
    partner_name: str | None
    #: a `PostStatus` value
    status: str
    status_reason: str
    created_at: datetime
    edited_at: datetime | None
    me_too_count: int
    #: the number of the post it quotes
    quoted_number: int | None
    body: str
    #: (replaced at, the earlier words as HTML), newest first; filled only for organisers
    revisions: list[tuple[datetime, Markup]]

    @property
    def html(self) -> Markup:
        return render_post(self.body)

    @classmethod
    def of(cls, post: Post, quoted_number: int | None = None) -> PostView:
        return cls(
            id=post.id,
            number=post.number,
            author_id=post.author_id,
            author_name=post.author.display_name if post.author else None,
            partner_name=post.partner.name if post.partner else None,
            status=post.status.value,
            status_reason=post.status_reason,
            created_at=post.created_at,
            edited_at=post.edited_at,
            me_too_count=post.me_too_count,
            quoted_number=quoted_number,
            body=post.body,
            revisions=[],
        )


@dataclass
class PostRows:
    """One page of a thread's posts as rows, without ORM objects or anything of the viewer's
    own."""

    posts: list[PostView]
    page: int
    pages: int


def post_rows(thread: Thread, page: int, *, with_revisions: bool) -> PostRows:
    """One page of the thread's posts in number order, as plain rows: the last number, the
    posts with their authors', organisations' and quoted posts' names and numbers, and (for
    organisers) the earlier wordings; three statements at most, however long the thread."""
    last = db.session.scalar(select(func.max(Post.number)).where(Post.thread_id == thread.id))
    pages = max(1, -(-(last or 0) // POSTS_PER_PAGE))
    page = min(max(page, 1), pages)
    first = (page - 1) * POSTS_PER_PAGE + 1
    quoted = aliased(Post)
    rows = db.session.execute(
        select(
            Post.id,
            Post.number,
            Post.author_id,
            User.display_name,
            PartnerOrganisation.name,
            Post.status,
            Post.status_reason,
            Post.created_at,
            Post.edited_at,
            Post.me_too_count,
            quoted.number,
            Post.body,
        )
        .outerjoin(User, User.id == Post.author_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Post.partner_id)
        .outerjoin(quoted, quoted.id == Post.quotes_id)
        .where(
            Post.thread_id == thread.id,
            Post.number >= first,
            Post.number < first + POSTS_PER_PAGE,
        )
        .order_by(Post.number)
    ).all()
    posts = [
        PostView(
            id=row[0],
            number=row[1],
            author_id=row[2],
            author_name=row[3],
            partner_name=row[4],
            status=row[5].value,
            status_reason=row[6] or "",
            created_at=row[7],
            edited_at=row[8],
            me_too_count=row[9] or 0,
            quoted_number=row[10],
            body=row[11],
            revisions=[],
        )
        for row in rows
    ]
    if with_revisions and posts:
        by_id = {post.id: post for post in posts}
        for post_id, replaced_at, body in db.session.execute(
            select(PostRevision.post_id, PostRevision.replaced_at, PostRevision.body)
            .where(PostRevision.post_id.in_(list(by_id)))
            .order_by(PostRevision.replaced_at.desc(), PostRevision.id.desc())
        ):
            by_id[post_id].revisions.append((replaced_at, render_post(body)))
    return PostRows(posts=posts, page=page, pages=pages)


def mine_on_page(thread: Thread, post_ids: list[int], user) -> tuple[set[int], bool]:
    """Which of these posts `user` said "me too" to, and whether they follow the thread, in
    one statement."""
    if not (user and user.is_authenticated):
        return set(), False
    reactions = select(literal(0).label("kind"), MeToo.post_id.label("id")).where(
        MeToo.user_id == user.id, MeToo.post_id.in_(post_ids)
    )
    follows = select(literal(1).label("kind"), Follow.thread_id.label("id")).where(
        Follow.thread_id == thread.id, Follow.user_id == user.id
    )
    me_too, following = set(), False
    for kind, found_id in db.session.execute(reactions.union_all(follows)):
        if kind == 0:
            me_too.add(found_id)
        else:
            following = True
    return me_too, following


def get_post(thread: Thread, post_id: int) -> Post | None:
    return db.session.scalar(select(Post).where(Post.id == post_id, Post.thread_id == thread.id))


def has_me_too(post: Post, user) -> bool:
    return db.session.get(MeToo, (post.id, user.id)) is not None
