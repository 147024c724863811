"""What the retention schedule erases from discussions (docs/retention.md), run by
`forum.retention.run_purges` through `hooks.retention_purges`.

A removed post keeps its row, so the thread's numbering and "removed" notice stay, but its
words and every earlier wording are erased: after `DELETED_KEPT` when its author removed it,
after `HIDDEN_KEPT` when an organiser hid it (long enough to look again at a complaint about
the decision).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, and_, delete, func, or_, select, update

from forum.discussions.models import Post, PostRevision, PostStatus
from forum.extensions import db

DELETED_KEPT = timedelta(days=30)
HIDDEN_KEPT = timedelta(days=180)


def _due(now: datetime):
    # Posts removed before `removed_at` existed count from their last edit or creation.
    since = func.coalesce(Post.removed_at, Post.edited_at, Post.created_at)
    return or_(
        and_(Post.status == PostStatus.DELETED, since < now - DELETED_KEPT),
        and_(Post.status == PostStatus.HIDDEN, since < now - HIDDEN_KEPT),
    )


def purge_removed_posts(now: datetime) -> int:
    """Erase the words and revisions of posts removed long enough ago; returns how many posts
    were erased (each once: an erased post has no words left to erase)."""
    due = select(Post.id).where(_due(now))
    db.session.execute(
        delete(PostRevision)
        .where(PostRevision.post_id.in_(due))
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        update(Post)
        .where(_due(now), Post.body != "")
        .values(body="")
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, result).rowcount or 0
