"""Reading what organisers moderate: the queue of held and reported posts, the area's
suspensions and its recent moderation, and URL loaders for posts and threads of an area.

Every read is scoped to one area: a post or thread id from another area is never found here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import abort
from markupsafe import Markup
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.accounts.queries import display_names
from forum.areas.queries import load_area
from forum.audit.models import AuditEvent
from forum.discussions.models import Board, Post, PostStatus, Report, Suspension, Thread
from forum.extensions import db
from forum.models import utcnow

#: audit actions shown under "Recent moderation", with how they read
MODERATION_ACTIONS = {
    "post.approved": "Approved a post",
    "post.hidden": "Hid a post",
    "post.reports_dismissed": "Dismissed the reports on a post",
    "post.auto_hidden": "A post was hidden after reports from several members",
    "thread.locked": "Locked a thread",
    "thread.unlocked": "Unlocked a thread",
    "thread.pinned": "Pinned a thread",
    "thread.unpinned": "Unpinned a thread",
    "member.suspended": "Stopped a member posting",
    "member.suspension_lifted": "Let a member post again",
}


def get_post(area, post_id: int) -> Post:
    """A post of this area (thread, board and author loaded), or 404."""
    post = db.session.scalar(
        select(Post)
        .options(
            joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.area),
            joinedload(Post.author),
        )
        .where(Post.id == post_id, Post.area_id == area.id)
    )
    if post is None:
        abort(404)
    return post


def get_thread(area, thread_id: int) -> Thread:
    thread = db.session.scalar(
        select(Thread)
        .options(joinedload(Thread.board).joinedload(Board.area))
        .where(Thread.id == thread_id, Thread.area_id == area.id)
    )
    if thread is None:
        abort(404)
    return thread


def load_post(kwargs: dict) -> dict:
    """URL loader: area_slug and post_id → area and post (404 unless the post is the area's)."""
    kwargs = load_area(kwargs)
    kwargs["post"] = get_post(kwargs["area"], kwargs.pop("post_id"))
    return kwargs


def load_thread(kwargs: dict) -> dict:
    kwargs = load_area(kwargs)
    kwargs["thread"] = get_thread(kwargs["area"], kwargs.pop("thread_id"))
    return kwargs


@dataclass
class ReportLine:
    reason: str
    detail: str
    at: datetime


@dataclass
class QueueRow:
    """One post as the moderation queue shows it."""

    post: Post
    reports: list[ReportLine] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.post.id

    @property
    def html(self) -> Markup:
        return self.post.html

    @property
    def thread(self) -> Thread:
        return self.post.thread

    @property
    def author_name(self) -> str:
        author = self.post.author
        return author.display_name if author is not None else "A former member"

    @property
    def is_held(self) -> bool:
        return self.post.status is PostStatus.HELD

    @property
    def is_auto_hidden(self) -> bool:
        return self.post.status is PostStatus.REPORTED

    @property
    def is_open(self) -> bool:
        """Still needs an organiser: held, or with reports nobody has dealt with."""
        return self.is_held or bool(self.reports) or self.is_auto_hidden

    @property
    def can_hide(self) -> bool:
        return self.post.status in (PostStatus.VISIBLE, PostStatus.HELD, PostStatus.REPORTED)


def _open_reports(post_ids: list[int]) -> dict[int, list[ReportLine]]:
    found: dict[int, list[ReportLine]] = {}
    if not post_ids:
        return found
    reports = db.session.scalars(
        select(Report)
        .where(Report.post_id.in_(post_ids), Report.resolved_at.is_(None))
        .order_by(Report.created_at, Report.id)
    )
    for report in reports:
        found.setdefault(report.post_id, []).append(
            ReportLine(reason=report.reason.label, detail=report.detail, at=report.created_at)
        )
    return found


def rows_for(posts: list[Post]) -> list[QueueRow]:
    reports = _open_reports([p.id for p in posts])
    return [QueueRow(post=p, reports=reports.get(p.id, [])) for p in posts]


def queue_row(post: Post) -> QueueRow:
    return rows_for([post])[0]


@dataclass
class Queue:
    held: list[QueueRow]
    reported: list[QueueRow]


QUEUE_LIMIT = 200


def moderation_queue(area) -> Queue:
    """Posts waiting for approval, then reported posts (auto-hidden ones first), oldest first."""
    posts = list(
        db.session.scalars(
            select(Post)
            # the board too: each row links to its post, whose URL needs the board
            .options(joinedload(Post.thread).joinedload(Thread.board), joinedload(Post.author))
            .where(
                Post.area_id == area.id,
                or_(
                    Post.status.in_((PostStatus.HELD, PostStatus.REPORTED)),
                    (Post.report_count > 0) & (Post.status == PostStatus.VISIBLE),
                ),
            )
            .order_by(Post.created_at, Post.id)
            .limit(QUEUE_LIMIT)
        ).unique()
    )
    rows = rows_for(posts)
    held = [r for r in rows if r.is_held]
    reported = sorted(
        (r for r in rows if not r.is_held), key=lambda r: (not r.is_auto_hidden, r.post.id)
    )
    return Queue(held=held, reported=reported)


@dataclass
class SuspensionRow:
    user_id: int
    name: str
    until: datetime
    reason: str
    by_name: str


def active_suspensions(area) -> list[SuspensionRow]:
    """Members who may not post in the area now, soonest to end first."""
    suspensions = list(
        db.session.scalars(
            select(Suspension)
            .where(Suspension.area_id == area.id, Suspension.until > utcnow())
            .order_by(Suspension.until, Suspension.id)
        )
    )
    names = display_names([s.user_id for s in suspensions] + [s.by_id for s in suspensions])
    rows: dict[int, SuspensionRow] = {}
    for s in suspensions:
        # The latest-ending suspension of a person is the one that counts.
        rows[s.user_id] = SuspensionRow(
            user_id=s.user_id,
            name=names.get(s.user_id, "A former member"),
            until=s.until,
            reason=s.reason,
            by_name=names.get(s.by_id, "an organiser"),
        )
    return sorted(rows.values(), key=lambda r: r.until)


def current_suspension(area, user_id: int) -> Suspension | None:
    """The member's suspension in the area that ends last, if one is running now."""
    return db.session.scalar(
        select(Suspension)
        .where(
            Suspension.area_id == area.id,
            Suspension.user_id == user_id,
            Suspension.until > utcnow(),
        )
        .order_by(Suspension.until.desc())
        .limit(1)
    )


def is_suspended(area, user_id: int) -> bool:
    return current_suspension(area, user_id) is not None


def get_suspended(area, user_id: int) -> User | None:
    """The member, if they may not post in the area now."""
    user = db.session.get(User, user_id)
    return user if user is not None and is_suspended(area, user_id) else None


@dataclass
class ModerationEvent:
    at: datetime
    who: str
    what: str
    why: str
    thread: Thread | None
    post: Post | None


def recent_moderation(area, limit: int = 20) -> list[ModerationEvent]:
    """The last moderation actions in the area: who, when, what and why."""
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.area_id == area.id,
                AuditEvent.action.in_(list(MODERATION_ACTIONS)),
            )
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
    post_ids = {e.subject_id for e in events if e.subject_type == "Post"}
    thread_ids = {e.subject_id for e in events if e.subject_type == "Thread"}
    user_ids = {e.subject_id for e in events if e.subject_type == "User"}
    posts = (
        {
            p.id: p
            for p in db.session.scalars(
                select(Post)
                .options(joinedload(Post.thread))
                .where(Post.id.in_(post_ids), Post.area_id == area.id)
            )
        }
        if post_ids
        else {}
    )
    threads: dict[int | None, Thread] = (
        {
            t.id: t
            for t in db.session.scalars(
                select(Thread).where(Thread.id.in_(thread_ids), Thread.area_id == area.id)
            )
        }
        if thread_ids
        else {}
    )
    names = display_names({e.actor_id for e in events} | user_ids)
    found = []
    for event in events:
        what = MODERATION_ACTIONS[event.action]
        thread, post = None, None
        if event.subject_type == "Post" and event.subject_id in posts:
            post = posts[event.subject_id]
            thread = post.thread
        elif event.subject_type == "Thread":
            thread = threads.get(event.subject_id)
        elif event.subject_type == "User":
            what = f"{what}: {names.get(event.subject_id, 'a former member')}"
        who = names.get(event.actor_id, "A former organiser") if event.actor_id else "Automatic"
        found.append(
            ModerationEvent(
                at=event.created_at,
                who=who,
                what=what,
                why=str((event.detail or {}).get("reason") or ""),
                thread=thread,
                post=post,
            )
        )
    return found
