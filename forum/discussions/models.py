"""Discussion models: boards, threads, posts, their history, support, follows, reports and
suspensions.

A board is an area's place to talk: organisers make area boards (each with its own visibility)
and every consultation gets one board of its own, whose visibility follows the consultation's.
A post keeps the words its author wrote (`body`); its HTML is derived by the one sanitiser in
`forum.web.text`, never stored as the truth.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask import url_for
from markupsafe import Markup
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow
from forum.web.text import render_post

#: posts on one thread page; a post's page follows from its number alone
POSTS_PER_PAGE = 50


def page_of(number: int) -> int:
    """The thread page that shows post `number` (numbers are never reused)."""
    return (number - 1) // POSTS_PER_PAGE + 1


def thread_page_url(area_slug: str, thread_id: int, page: int) -> str:
    """Page `page` of a thread, from the values that name it (`Thread.page_url`, and pages
    that read threads as rows)."""
    return url_for(
        "discussions.thread",
        area_slug=area_slug,
        thread_id=thread_id,
        page=page if page > 1 else None,
    )


def post_url_of(area_slug: str, thread_id: int, number: int) -> str:
    """The page that shows post `number` of a thread, at its anchor, from the values that
    name them (`Post.url`, and pages that read posts as rows)."""
    return thread_page_url(area_slug, thread_id, page_of(number)) + f"#post-{number}"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return {
            "public": "Everyone, including people who are not signed in",
            "members": "Members of the forum",
            "staff": "Organisers and responders only",
        }[self.value]


class Board(db.Model):
    __tablename__ = "boards"
    __table_args__ = (UniqueConstraint("area_id", "slug", name="uq_boards_area_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: set for a consultation's own board; its visibility then follows the consultation
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, 16), default=Visibility.MEMBERS
    )
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area = relationship("Area")
    consultation = relationship("Consultation")

    @property
    def url(self) -> str:
        return self.page_url()

    def page_url(self, after: str | None = None) -> str:
        """The board page; `after` continues the list from a thread page's `next_after`."""
        if self.consultation_id is not None:
            return url_for(
                "discussions.consultation_board",
                area_slug=self.area.slug,
                slug=self.consultation.slug,
                after=after,
            )
        return url_for(
            "discussions.board", area_slug=self.area.slug, board_slug=self.slug, after=after
        )


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        # The board page: pinned first, then by last activity, newest first (keyset).
        Index("ix_threads_board_listing", "board_id", "is_pinned", "last_activity_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    #: denormalised so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: visible replies (the opening post not counted)
    reply_count: Mapped[int] = mapped_column(default=0)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)

    board: Mapped[Board] = relationship()
    author = relationship("User")

    @property
    def url(self) -> str:
        return self.page_url(1)

    def page_url(self, page: int) -> str:
        return thread_page_url(self.board.area.slug, self.id, page)

    def post_url(self, number: int) -> str:
        """The page that shows post `number`, at its anchor."""
        return post_url_of(self.board.area.slug, self.id, number)


class PostStatus(enum.StrEnum):
    VISIBLE = "visible"
    #: waiting for an organiser: it looked like personal data, or the author's first posts
    #: need approval in this area
    HELD = "held"
    #: hidden by an organiser, with a reason shown in its place
    HIDDEN = "hidden"
    #: hidden after reports from three different members, until an organiser looks
    REPORTED = "reported"
    #: removed by its author
    DELETED = "deleted"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_thread_number", "thread_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on when an edit form saves the row (not on every report or "me too"); the
    #: form carries it to catch a stale save (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: 1 for the opening post, then 2, 3, … in the order they were written
    number: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: a responder posting for their organisation
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="SET NULL")
    )
    #: the post this one quotes, if any
    quotes_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    #: what the author wrote (markdown); the HTML is derived from it
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[PostStatus] = mapped_column(str_enum(PostStatus, 16), default=PostStatus.VISIBLE)
    #: why it is held or hidden, shown to its author (and for hidden posts, to everyone)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when its author removed it or an organiser hid it; its words are erased a while after
    #: (`forum.discussions.retention`)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    me_too_count: Mapped[int] = mapped_column(default=0)
    #: open reports from different members
    report_count: Mapped[int] = mapped_column(default=0)

    thread: Mapped[Thread] = relationship()
    author = relationship("User")
    partner = relationship("PartnerOrganisation")

    @property
    def is_visible(self) -> bool:
        return self.status is PostStatus.VISIBLE

    @property
    def url(self) -> str:
        return self.thread.post_url(self.number)

    @property
    def html(self) -> Markup:
        """The words as HTML, through the one sanitiser for posts."""
        return render_post(self.body)


class PostRevision(db.Model):
    """An earlier wording of an edited post; organisers can read them."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    #: when this wording was replaced
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def html(self) -> Markup:
        return render_post(self.body)


class MeToo(db.Model):
    """ "Me too": one per member per post."""

    __tablename__ = "post_me_toos"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Follow(db.Model):
    __tablename__ = "thread_follows"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportReason(enum.StrEnum):
    PERSONAL = "personal"
    UNKIND = "unkind"
    UNTRUE = "untrue"
    SPAM = "spam"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "personal": "It shares someone's personal details",
            "unkind": "It is unkind, rude or bullying",
            "untrue": "It is misleading or untrue",
            "spam": "It is advertising or spam",
            "other": "Something else",
        }[self.value]


class Report(db.Model):
    __tablename__ = "post_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id", name="uq_post_reports_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason, 16))
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: set when an organiser dealt with the post
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Suspension(db.Model):
    """A member may not post in an area until `until`."""

    __tablename__ = "posting_suspensions"
    __table_args__ = (Index("ix_posting_suspensions_area_user", "area_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DiscussionSettings(db.Model):
    """An area's discussion settings."""

    __tablename__ = "discussion_settings"
    __table_args__ = (CheckConstraint("approve_first_posts >= 0", name="approve_first_posts"),)

    area_id: Mapped[int] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True
    )
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    #: a member's first this-many posts wait for an organiser's approval (0: none do)
    approve_first_posts: Mapped[int] = mapped_column(default=0)
