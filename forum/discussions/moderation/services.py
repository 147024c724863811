"""Moderating discussions: reports, approving held posts, hiding posts, locking threads and
suspending members.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. Organisers approve held posts, hide posts with a reason (shown in the post's place and
emailed to its author), or dismiss reports. Three reports from different members hide a post
until an organiser looks.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import delete, func, select, update

from forum.audit.services import record
from forum.discussions.models import Post, PostStatus, Report, ReportReason, Suspension, Thread
from forum.discussions.services import DiscussionError, became_visible
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email
from forum.web.urls import absolute

REASON_MAX = 500
#: reports from this many different members hide a post until an organiser looks
AUTO_HIDE_REPORTS = 3


def _check_reason(reason: str) -> None:
    if len(reason) > REASON_MAX:
        raise DiscussionError(
            f"The reason must be {REASON_MAX} characters or fewer", field="reason"
        )


def report_post(post: Post, *, reporter, reason: ReportReason, detail: str) -> Report:
    if len(detail) > REASON_MAX:
        raise DiscussionError(
            f"What you tell us must be {REASON_MAX} characters or fewer", field="detail"
        )
    if post.author_id == reporter.id:
        raise DiscussionError("You cannot report your own post", field="reason")
    existing = db.session.scalar(
        select(Report).where(
            Report.post_id == post.id,
            Report.reporter_id == reporter.id,
            Report.resolved_at.is_(None),
        )
    )
    if existing is not None:
        return existing
    report = Report(
        post_id=post.id,
        area_id=post.area_id,
        reporter_id=reporter.id,
        reason=reason,
        detail=detail,
    )
    db.session.add(report)
    db.session.flush()
    count = db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).where(
            Report.post_id == post.id, Report.resolved_at.is_(None)
        )
    )
    post.report_count = cast(int, count)  # count() is never NULL
    if post.status is PostStatus.VISIBLE and post.report_count >= AUTO_HIDE_REPORTS:
        post.status = PostStatus.REPORTED
        post.status_reason = (
            "Hidden after reports from several members, until an organiser has looked at it."
        )
        if post.number > 1:
            post.thread.reply_count -= 1
        record("post.auto_hidden", post, area=post.thread.board.area, reports=post.report_count)
    db.session.flush()
    return report


def _resolve_reports(post: Post) -> None:
    db.session.execute(
        update(Report)
        .where(Report.post_id == post.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    post.report_count = 0


def dismiss_reports(post: Post, *, actor) -> None:
    """The organiser looked and the post may stay (or come back)."""
    came_back = post.status is PostStatus.REPORTED
    _resolve_reports(post)
    if came_back:
        post.status, post.status_reason, post.removed_at = PostStatus.VISIBLE, "", None
        db.session.flush()
        if post.number > 1:
            post.thread.reply_count += 1
    db.session.flush()
    record("post.reports_dismissed", post, actor=actor, area=post.thread.board.area)


def approve_post(post: Post, *, actor) -> None:
    if post.status is not PostStatus.HELD:
        raise DiscussionError("Only a post waiting for approval can be approved")
    post.status, post.status_reason, post.removed_at = PostStatus.VISIBLE, "", None
    db.session.flush()
    became_visible(post)
    record("post.approved", post, actor=actor, area=post.thread.board.area)


def hide_post(post: Post, *, reason: str, actor) -> None:
    if not reason:
        raise DiscussionError("Say why the post is hidden: its author is told", field="reason")
    _check_reason(reason)
    if post.status is PostStatus.DELETED:
        raise DiscussionError("Its author has already removed this post")
    if post.status is PostStatus.VISIBLE and post.number > 1:
        post.thread.reply_count -= 1
    post.status, post.status_reason = PostStatus.HIDDEN, reason
    post.removed_at = utcnow()
    _resolve_reports(post)
    db.session.flush()
    area = post.thread.board.area
    record("post.hidden", post, actor=actor, area=area, reason=reason)
    if post.author is not None:
        queue_email(
            post.author.email,
            "post_hidden",
            kind="moderation",
            user=post.author,
            post=post,
            thread=post.thread,
            area=area,
            reason=reason,
            link=absolute(post),
        )


def set_locked(thread: Thread, locked: bool, *, actor, reason: str = "") -> None:
    _check_reason(reason)
    thread.is_locked = locked
    db.session.flush()
    record(
        "thread.locked" if locked else "thread.unlocked",
        thread,
        actor=actor,
        area=thread.board.area,
        reason=reason,
    )


def suspend(user, area, *, until: datetime, reason: str, actor) -> Suspension:
    if not reason:
        raise DiscussionError("Say why: the member is told", field="reason")
    _check_reason(reason)
    if until <= utcnow():
        raise DiscussionError("Choose a date in the future", field="until")
    if user.id == actor.id:
        raise DiscussionError("You cannot suspend yourself", field="until")
    suspension = Suspension(
        area_id=area.id, user_id=user.id, until=until, reason=reason, by_id=actor.id
    )
    db.session.add(suspension)
    db.session.flush()
    record("member.suspended", user, actor=actor, area=area, until=until.isoformat(), reason=reason)
    queue_email(
        user.email,
        "posting_suspended",
        kind="moderation",
        user=user,
        area=area,
        until=until,
        reason=reason,
    )
    return suspension


def lift_suspension(user, area, *, actor) -> None:
    db.session.execute(
        delete(Suspension).where(
            Suspension.area_id == area.id,
            Suspension.user_id == user.id,
            Suspension.until > utcnow(),
        )
    )
    db.session.flush()
    record("member.suspension_lifted", user, actor=actor, area=area)
