"""A newsletter: a message an organiser writes to an audience of the area, sent once, then
kept in the area's archive.

Lifecycle: draft → scheduled (a send time in the future) → sending (the fan-out job is
queueing emails, `cursor_*` say how far it got) → sent (every email queued; the outbox
delivers them). A draft can be deleted; a message being sent or sent can be withdrawn, which
takes it out of the archive and stops the emails not yet delivered (the send-time check in
`forum/mailings/permissions.py`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask import url_for
from markupsafe import Markup
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow
from forum.notifications.models import DigestItem, OutboxMessage
from forum.notifications.topics import Topic
from forum.web.text import render_post


class NewsletterStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "scheduled": "Scheduled",
            "sending": "Sending",
            "sent": "Sent",
            "withdrawn": "Withdrawn",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "draft": "govuk-tag--grey",
            "scheduled": "govuk-tag--yellow",
            "sending": "govuk-tag--blue",
            "sent": "govuk-tag--green",
            "withdrawn": "govuk-tag--red",
        }[self.value]


class AudienceKind(enum.StrEnum):
    """Who a newsletter goes to. Members and subscribers get it only if they chose to get
    newsletters (`Topic.NEWSLETTERS`, off until a person turns it on); the people who answered
    a consultation get a message about it as a consultation email (`Topic.CONSULTATIONS`)."""

    MEMBERS = "members"
    PUBLIC = "public"
    RESPONDERS = "responders"

    @property
    def label(self) -> str:
        return {
            "members": "Members who chose to get newsletters",
            "public": "Members and public subscribers who chose to get newsletters",
            "responders": "People who answered a consultation",
        }[self.value]

    @property
    def topic(self) -> Topic:
        return Topic.CONSULTATIONS if self is AudienceKind.RESPONDERS else Topic.NEWSLETTERS


class Visibility(enum.StrEnum):
    """Who may read a sent message in the area's archive."""

    MEMBERS = "members"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return "Anyone" if self is Visibility.PUBLIC else "Members of the forum only"


class Newsletter(db.Model):
    __tablename__ = "newsletters"
    __table_args__ = (
        Index("ix_newsletters_area_status", "area_id", "status"),
        Index("ix_newsletters_due", "status", "scheduled_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form (and the Send button) carries it to
    #: catch a stale save (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(150))
    #: markdown, shown through the one sanitiser (`forum.web.text.render_markdown`)
    body: Mapped[str] = mapped_column(Text)
    audience: Mapped[AudienceKind] = mapped_column(
        str_enum(AudienceKind, 16), default=AudienceKind.MEMBERS
    )
    #: for `AudienceKind.RESPONDERS`: whose responders; the message goes to nobody once the
    #: consultation is deleted
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL")
    )
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, 16), default=Visibility.MEMBERS
    )
    status: Mapped[NewsletterStatus] = mapped_column(
        str_enum(NewsletterStatus, 16), default=NewsletterStatus.DRAFT
    )
    #: when a scheduled message is to go (UTC; chosen in Europe/London)
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when sending began: the date the archive shows
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: how many people the audience had when sending began (for the progress bar)
    audience_size: Mapped[int] = mapped_column(default=0)
    #: the fan-out's progress: the last account id, then the last subscriber id, already
    #: given their email (or digest line). A crashed fan-out resumes after them.
    cursor_user_id: Mapped[int] = mapped_column(default=0)
    cursor_subscriber_id: Mapped[int] = mapped_column(default=0)
    #: people the fan-out has gone through so far (queued, in a digest, or skipped by choice)
    people_done: Mapped[int] = mapped_column(default=0)
    #: emails queued and digest lines kept so far
    queued: Mapped[int] = mapped_column(default=0)
    #: when every email had been queued
    fanned_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    area = relationship("Area")
    consultation = relationship("Consultation")

    @property
    def html(self) -> Markup:
        """The message as HTML: the discussion posts' markdown subset, through the one
        sanitiser (raw HTML shown as text, no images, only http(s) and mailto links)."""
        return render_post(self.body)

    @property
    def about(self) -> str:
        """What its emails are about, on their outbox rows and digest lines."""
        return f"newsletter:{self.id}"

    @property
    def is_editable(self) -> bool:
        return self.status in (NewsletterStatus.DRAFT, NewsletterStatus.SCHEDULED)

    @property
    def is_out(self) -> bool:
        """Sending or sent: in the archive, and its figures mean something."""
        return self.status in (NewsletterStatus.SENDING, NewsletterStatus.SENT)

    @property
    def url(self) -> str:
        """The message in the area's archive."""
        return url_for("mailings.newsletter", area_slug=self.area.slug, newsletter_id=self.id)

    def manage_url(self, action: str = "newsletter_check") -> str:
        return url_for(f"mailings.{action}", area_slug=self.area.slug, newsletter_id=self.id)


#: the figures of a message (delivered, failed, withdrawn, in digests) are counted from the
#: outbox rows and digest lines that carry its `about`
Index("ix_outbox_messages_about", OutboxMessage.__table__.c.about)
Index("ix_email_digest_items_about", DigestItem.__table__.c.about)
