"""Changing discussions: boards, threads, posts, support, follows and pins (moderation is in
`moderation.services`).

Each function takes the acting user, flushes, records an audit entry where someone is
accountable, queues any emails in the same transaction, and returns; the caller commits. A
broken rule raises `DiscussionError`, whose message is safe to show (`field` names the form
field it is about).

A new post is visible, or held when it looks like personal data or when the area asks for a
new member's first posts to be approved. Authors may edit (the old wording is kept for
organisers) and delete (the thread keeps "removed by its author").
"""

from __future__ import annotations

import re
import unicodedata
from typing import cast

from sqlalchemy import func, select, update

from forum.areas.models import Membership, MembershipStatus, Role
from forum.audit.services import record
from forum.discussions.models import (
    Board,
    DiscussionSettings,
    Follow,
    MeToo,
    Post,
    PostRevision,
    PostStatus,
    Thread,
    Visibility,
)
from forum.discussions.moderation.queries import current_suspension
from forum.discussions.personal_data import held_reason, personal_details
from forum.discussions.queries import get_settings
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.preferences import Mail, notify_each
from forum.notifications.topics import Topic
from forum.web.text import clean_text
from forum.web.urls import absolute

TITLE_MAX = 150
BODY_MAX = 10_000
NAME_MAX = 120
DESCRIPTION_MAX = 1000


class DiscussionError(Refused):
    """A discussion rule was broken; the message is safe to show."""


# --- boards --------------------------------------------------------------------------------


#: addresses under /discussions/ that a board's slug must not take
RESERVED_SLUGS = {"search", "settings", "new-board", "threads", "posts"}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "board"
    return f"{slug}-board" if slug in RESERVED_SLUGS else slug


def _check_board(name: str, description: str) -> None:
    if not name:
        raise DiscussionError("Enter a name for the board", field="name")
    if len(name) > NAME_MAX:
        raise DiscussionError(f"The name must be {NAME_MAX} characters or fewer", field="name")
    if len(description) > DESCRIPTION_MAX:
        raise DiscussionError(
            f"The description must be {DESCRIPTION_MAX:,} characters or fewer",
            field="description",
        )


def create_board(area, *, name: str, description: str, visibility: Visibility, actor) -> Board:
    _check_board(name, description)
    taken = set(db.session.scalars(select(Board.slug).where(Board.area_id == area.id)))
    base = slug = _slug(name)
    n = 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    position = db.session.scalar(
        select(func.coalesce(func.max(Board.position), 0)).where(Board.area_id == area.id)
    )
    board = Board(
        area_id=area.id,
        slug=slug,
        name=name,
        description=description,
        visibility=visibility,
        position=cast(int, position) + 1,  # coalesce(max, 0) is never NULL
    )
    db.session.add(board)
    db.session.flush()
    record("board.created", board, actor=actor, area=area, visibility=visibility.value)
    return board


def update_board(board: Board, *, name: str, description: str, visibility: Visibility, actor):
    if board.consultation_id is not None:
        raise DiscussionError("A consultation's board follows the consultation")
    _check_board(name, description)
    board.name, board.description, board.visibility = name, description, visibility
    db.session.flush()
    record("board.changed", board, actor=actor, area=board.area, visibility=visibility.value)
    return board


def consultation_board(consultation) -> Board:
    """The consultation's own board, made the first time someone starts a thread in it."""
    board = db.session.scalar(select(Board).where(Board.consultation_id == consultation.id))
    if board is not None:
        return board
    board = Board(
        area_id=consultation.area_id,
        consultation_id=consultation.id,
        slug=f"consultation-{consultation.id}",
        name=consultation.title[:NAME_MAX],
        description="",
        visibility=Visibility.MEMBERS,
        position=0,
    )
    db.session.add(board)
    db.session.flush()
    return board


def set_first_post_approval(area, count: int, *, actor) -> None:
    if not 0 <= count <= 20:
        raise DiscussionError("Enter a number from 0 to 20", field="approve_first_posts")
    settings = db.session.get(DiscussionSettings, area.id)
    if settings is None:
        settings = DiscussionSettings(area_id=area.id)
        db.session.add(settings)
    settings.approve_first_posts = count
    db.session.flush()
    record("discussions.settings_changed", area, actor=actor, area=area, approve_first_posts=count)


# --- posting -------------------------------------------------------------------------------


def _check_body(body: str) -> None:
    if not body:
        raise DiscussionError("Write your post", field="body")
    if len(body) > BODY_MAX:
        raise DiscussionError(f"Your post must be {BODY_MAX:,} characters or fewer", field="body")


def _check_can_write(user, area) -> None:
    suspended = current_suspension(area, user.id)
    if suspended is not None:
        from forum.web.time import london

        raise DiscussionError(
            f"You cannot post in this forum until {london(suspended.until)}. The organisers "
            f"said: {suspended.reason}",
            field="body",
        )


def _partner_of(user, area) -> int | None:
    """A responder posts for their organisation."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.area_id == area.id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    if membership is not None and membership.role is Role.RESPONDER:
        return membership.partner_id
    return None


def _first_status(user, area, body: str) -> tuple[PostStatus, str]:
    """Visible, or held with the reason the author is shown."""
    found = personal_details(body)
    if found:
        return PostStatus.HELD, held_reason(found)
    settings = get_settings(area)
    if settings.approve_first_posts:
        approved = db.session.scalar(
            select(func.count())
            .select_from(Post)
            .where(
                Post.author_id == user.id,
                Post.area_id == area.id,
                Post.status == PostStatus.VISIBLE,
            )
        )
        if cast(int, approved) < settings.approve_first_posts:  # count() is never NULL
            return PostStatus.HELD, (
                "New members' first posts are checked by an organiser before they appear. "
                "Yours will show as soon as it has been checked."
            )
    return PostStatus.VISIBLE, ""


def start_thread(board: Board, *, title: str, body: str, author) -> Thread:
    # Forms clean their text already; this keeps every other caller (the seed, imports,
    # tests) to the same rules, e.g. no NUL bytes, which PostgreSQL refuses.
    title, body = clean_text(title), clean_text(body, multiline=True)
    area = board.area
    if not title:
        raise DiscussionError("Enter a title", field="title")
    if len(title) > TITLE_MAX:
        raise DiscussionError(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    _check_body(body)
    _check_can_write(author, area)
    if personal_details(title):
        raise DiscussionError(
            "The title seems to include personal details. Take them out: titles are shown "
            "in lists and search results.",
            field="title",
        )
    now = utcnow()
    thread = Thread(
        board_id=board.id,
        area_id=area.id,
        title=title,
        author_id=author.id,
        created_at=now,
        last_activity_at=now,
    )
    db.session.add(thread)
    db.session.flush()
    status, reason = _first_status(author, area, body)
    post = Post(
        thread_id=thread.id,
        area_id=area.id,
        number=1,
        author_id=author.id,
        partner_id=_partner_of(author, area),
        body=body,
        status=status,
        status_reason=reason,
        created_at=now,
    )
    db.session.add(post)
    db.session.add(Follow(thread_id=thread.id, user_id=author.id))
    db.session.flush()
    return thread


def reply(thread: Thread, *, body: str, author, quotes: Post | None = None) -> Post:
    body = clean_text(body, multiline=True)
    area = thread.board.area
    if thread.is_locked:
        raise DiscussionError("This thread is locked, so nobody can reply", field="body")
    _check_body(body)
    _check_can_write(author, area)
    if quotes is not None and (quotes.thread_id != thread.id or not quotes.is_visible):
        quotes = None
    # Lock the thread row so two replies at once get different numbers.
    locked = cast(
        Thread, db.session.scalar(select(Thread).where(Thread.id == thread.id).with_for_update())
    )
    number = (
        db.session.scalar(select(func.max(Post.number)).where(Post.thread_id == locked.id)) or 0
    ) + 1
    status, reason = _first_status(author, area, body)
    post = Post(
        thread_id=thread.id,
        area_id=area.id,
        number=number,
        author_id=author.id,
        partner_id=_partner_of(author, area),
        quotes_id=quotes.id if quotes else None,
        body=body,
        status=status,
        status_reason=reason,
    )
    db.session.add(post)
    db.session.flush()
    if status is PostStatus.VISIBLE:
        became_visible(post)
    return post


def became_visible(post: Post) -> None:
    """A post now shows (posted, released by an edit or approved): count it if it is a reply,
    move the thread up, tell its followers."""
    thread = post.thread
    if post.number > 1:
        thread.reply_count += 1
    thread.last_activity_at = max(thread.last_activity_at, post.created_at)
    db.session.flush()
    if post.number > 1:
        _tell_followers(post)


def _tell_followers(post: Post) -> None:
    from forum.accounts.models import User

    thread = post.thread
    followers = db.session.scalars(
        select(User)
        .join(Follow, Follow.user_id == User.id)
        .where(Follow.thread_id == thread.id, User.id != post.author_id)
    )
    area = thread.board.area
    link = absolute(post)
    notify_each(
        followers,
        area,
        Topic.REPLIES,
        lambda follower: Mail(
            template="thread_reply",
            kind="thread_reply",
            title=f"New reply in “{thread.title}”",
            link=link,
            context={"user": follower, "thread": thread, "post": post, "link": link},
        ),
        audience="personal",
        about=f"thread:{thread.id}",
    )


def edit_post(post: Post, *, body: str, actor) -> Post:
    body = clean_text(body, multiline=True)
    if post.status is PostStatus.DELETED:
        raise DiscussionError("This post has been removed", field="body")
    _check_body(body)
    _check_can_write(actor, post.thread.board.area)
    if body == post.body:
        return post
    db.session.add(PostRevision(post_id=post.id, body=post.body))
    post.body = body
    post.edited_at = utcnow()
    found = personal_details(body)
    if found and post.status is PostStatus.VISIBLE:
        post.status, post.status_reason = PostStatus.HELD, held_reason(found)
        if post.number > 1:
            post.thread.reply_count -= 1
    elif (
        not found
        and post.status is PostStatus.HELD
        and post.status_reason.startswith("Your post seems to include")
    ):
        # Held only for the details, and now they are gone: it shows (unless first posts
        # still need approval).
        status, reason = _first_status(actor, post.thread.board.area, body)
        post.status, post.status_reason = status, reason
        if status is PostStatus.VISIBLE:
            db.session.flush()
            became_visible(post)
    db.session.flush()
    return post


def delete_post(post: Post, *, actor) -> None:
    """The author removes their post: the thread reads "removed by its author" there."""
    if post.status is PostStatus.DELETED:
        return
    was_visible = post.status is PostStatus.VISIBLE
    post.status = PostStatus.DELETED
    post.status_reason = ""
    post.removed_at = utcnow()
    if was_visible and post.number > 1:
        post.thread.reply_count -= 1
    db.session.flush()


def toggle_me_too(post: Post, user) -> bool:
    """Add or take back "me too"; returns whether it is now on."""
    existing = db.session.get(MeToo, (post.id, user.id))
    if existing is not None:
        db.session.delete(existing)
        db.session.execute(
            update(Post).where(Post.id == post.id).values(me_too_count=Post.me_too_count - 1)
        )
        on = False
    else:
        db.session.add(MeToo(post_id=post.id, user_id=user.id))
        db.session.execute(
            update(Post).where(Post.id == post.id).values(me_too_count=Post.me_too_count + 1)
        )
        on = True
    db.session.flush()
    db.session.refresh(post, ["me_too_count"])
    return on


def set_following(thread: Thread, user, following: bool) -> bool:
    existing = db.session.get(Follow, (thread.id, user.id))
    if following and existing is None:
        db.session.add(Follow(thread_id=thread.id, user_id=user.id))
    elif not following and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    return following


def set_pinned(thread: Thread, pinned: bool, *, actor) -> None:
    thread.is_pinned = pinned
    db.session.flush()
    record(
        "thread.pinned" if pinned else "thread.unpinned",
        thread,
        actor=actor,
        area=thread.board.area,
    )
