"""What discussions hold about a person, for their download and for deleting their account:
the threads they started, their posts and earlier wordings, the posts they reported, followed
and said "me too" to, and any time an organiser stopped them posting.

When the account is deleted, discussions keep their shape for everyone else: each of the
person's posts stays in its place reading "removed" (its words, the reason it was held or
hidden, and every earlier wording erased), and a thread they started keeps the replies others
wrote under a title that no longer holds their words. Their reports stay, so moderation still
adds up, without their name or what they wrote; "me too" counts stay, without them.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select, text, update

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.areas.models import Area
from forum.discussions.models import (
    Board,
    Follow,
    MeToo,
    Post,
    PostRevision,
    PostStatus,
    Report,
    Suspension,
    Thread,
)
from forum.discussions.search.queries import SEARCH_TABLES
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from forum.notifications.services import replace_in_message

#: the title of a thread whose author deleted their account
REMOVED_TITLE = "Title removed: its author deleted their account"

_STATUS_WORDS = {
    PostStatus.VISIBLE: "Shown",
    PostStatus.HELD: "Waiting for an organiser",
    PostStatus.HIDDEN: "Hidden by an organiser",
    PostStatus.REPORTED: "Hidden while an organiser looks at reports",
    PostStatus.DELETED: "Removed by you",
}


def personal_data(user: User) -> list[PersonalData]:
    threads = db.session.execute(
        select(Thread, Board.name, Area.forum_name)
        .join(Board, Board.id == Thread.board_id)
        .join(Area, Area.id == Thread.area_id)
        .where(Thread.author_id == user.id)
        .order_by(Thread.created_at.desc())
    ).all()
    posts = db.session.execute(
        select(Post, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user.id)
        .order_by(Post.created_at.desc(), Post.id.desc())
    ).all()
    revisions: dict[int, list[dict]] = {}
    if posts:
        for revision in db.session.scalars(
            select(PostRevision)
            .join(Post, Post.id == PostRevision.post_id)
            .where(Post.author_id == user.id)
            .order_by(PostRevision.replaced_at)
        ):
            revisions.setdefault(revision.post_id, []).append(
                {"body": revision.body, "replaced_at": revision.replaced_at}
            )
    reports = db.session.execute(
        select(Report, Post.number, Thread.title)
        .join(Post, Post.id == Report.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Report.reporter_id == user.id)
        .order_by(Report.created_at.desc())
    ).all()
    follows = db.session.execute(
        select(Thread.title, Follow.created_at)
        .join(Follow, Follow.thread_id == Thread.id)
        .where(Follow.user_id == user.id)
        .order_by(Follow.created_at.desc())
    ).all()
    me_toos = db.session.execute(
        select(Thread.title, Post.number, MeToo.created_at)
        .join(Post, Post.thread_id == Thread.id)
        .join(MeToo, MeToo.post_id == Post.id)
        .where(MeToo.user_id == user.id)
        .order_by(MeToo.created_at.desc())
    ).all()
    suspensions = db.session.execute(
        select(Suspension, Area.forum_name)
        .join(Area, Area.id == Suspension.area_id)
        .where(Suspension.user_id == user.id)
        .order_by(Suspension.created_at.desc())
    ).all()
    return [
        PersonalData(
            key="threads",
            title="Discussions you started",
            about="The title of each discussion you started; its first post is with your posts.",
            when_deleted=(
                "They stay for the people who replied, but their titles, which are your "
                "words, are removed."
            ),
            labels={"title": "Title", "board": "Board", "forum": "Forum", "created_at": "Started"},
            records=[
                {
                    "title": thread.title,
                    "board": board,
                    "forum": forum_name,
                    "created_at": thread.created_at,
                }
                for thread, board, forum_name in threads
            ],
            empty="You have not started a discussion.",
        ),
        PersonalData(
            key="posts",
            title="Your posts",
            about=(
                "Everything you posted in discussions, with the earlier wording of posts you "
                "edited (organisers can read those)."
            ),
            when_deleted=(
                "Each post stays in its place so replies still make sense, but reads "
                "“removed”: its words and every earlier wording are erased."
            ),
            labels={
                "thread": "Discussion",
                "number": "Post number",
                "status": "Status",
                "body": "What you wrote",
                "created_at": "Posted",
                "edited_at": "Last edited",
                "revisions": "Earlier wordings",
                "replaced_at": "Replaced",
            },
            records=[
                {
                    "thread": title,
                    "number": post.number,
                    "status": _STATUS_WORDS[post.status],
                    "body": post.body,
                    "created_at": post.created_at,
                    "edited_at": post.edited_at,
                    "revisions": revisions.get(post.id, []),
                }
                for post, title in posts
            ],
            empty="You have not posted in any discussion.",
        ),
        PersonalData(
            key="reports",
            title="Posts you reported",
            about="Posts you reported to the organisers, and what you told them.",
            when_deleted=(
                "The reports stay, so the organisers' work still adds up, but without your "
                "name or what you wrote."
            ),
            labels={
                "thread": "Discussion",
                "post": "Post number",
                "reason": "Why",
                "detail": "What you added",
                "created_at": "Reported",
                "resolved_at": "Dealt with",
            },
            records=[
                {
                    "thread": title,
                    "post": number,
                    "reason": report.reason.label,
                    "detail": report.detail,
                    "created_at": report.created_at,
                    "resolved_at": report.resolved_at,
                }
                for report, number, title in reports
            ],
            empty="You have not reported a post.",
        ),
        PersonalData(
            key="follows",
            title="Discussions you follow",
            about="We email you when someone replies in these.",
            when_deleted="Deleted, so the emails stop.",
            labels={"thread": "Discussion", "since": "Following since"},
            records=[{"thread": title, "since": since} for title, since in follows],
            empty="You do not follow any discussion.",
        ),
        PersonalData(
            key="me_too",
            title="Posts you said “me too” to",
            about="Your “me too” adds to the count shown on the post.",
            when_deleted="Deleted; the counts on the posts stay as they are, without your name.",
            labels={"thread": "Discussion", "post": "Post number", "at": "When"},
            records=[{"thread": title, "post": number, "at": at} for title, number, at in me_toos],
            empty="You have not said “me too” to a post.",
        ),
        PersonalData(
            key="posting_suspensions",
            title="Times you were stopped from posting",
            about="When an organiser stopped you posting for a while, and the reason they gave.",
            when_deleted="Deleted.",
            labels={
                "forum": "Forum",
                "until": "Until",
                "reason": "Reason given",
                "created_at": "When",
            },
            records=[
                {
                    "forum": forum_name,
                    "until": suspension.until,
                    "reason": suspension.reason,
                    "created_at": suspension.created_at,
                }
                for suspension, forum_name in suspensions
            ],
            empty="You have never been stopped from posting.",
        ),
    ]


def _retitle_reply_emails(thread: Thread) -> None:
    """Reply emails to the thread's other followers carry its title in their subject and
    words; they get the new title too."""
    link = re.compile(rf"/discussions/threads/{thread.id}(?!\d)")
    for message in db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == "thread_reply",
            OutboxMessage.body_text.contains(f"/discussions/threads/{thread.id}"),
        )
    ):
        if link.search(message.body_text):
            replace_in_message(message, thread.title, REMOVED_TITLE)


def _forget_erased_words() -> None:
    """SQLite's full-text index (FTS5) marks changed words as deleted but keeps them in its
    segments until they are merged; merging now leaves nothing of the erased words in the
    index. (PostgreSQL's GIN indexes drop them when autovacuum cleans the old rows.)"""
    if db.engine.dialect.name != "sqlite":
        return
    for table in SEARCH_TABLES:
        db.session.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))  # noqa: S608 - our own table names


def erase(user: User) -> None:
    posts = list(db.session.scalars(select(Post).where(Post.author_id == user.id)))
    if posts:
        db.session.execute(
            delete(PostRevision)
            .where(PostRevision.post_id.in_([post.id for post in posts]))
            .execution_options(synchronize_session=False)
        )
    for post in posts:
        if post.status is PostStatus.VISIBLE and post.number > 1:
            post.thread.reply_count -= 1
        post.status = PostStatus.DELETED
        post.body = ""
        post.status_reason = ""
        post.author_id = None
    for thread in db.session.scalars(select(Thread).where(Thread.author_id == user.id)):
        _retitle_reply_emails(thread)
        thread.title = REMOVED_TITLE
        thread.author_id = None
    db.session.execute(
        update(Report)
        .where(Report.reporter_id == user.id)
        .values(reporter_id=None, detail="")
        .execution_options(synchronize_session=False)
    )
    for model in (Follow, MeToo, Suspension):
        db.session.execute(
            delete(model)
            .where(model.user_id == user.id)  # type: ignore[attr-defined]  # all three have it
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Suspension)
        .where(Suspension.by_id == user.id)
        .values(by_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    if posts:
        _forget_erased_words()
