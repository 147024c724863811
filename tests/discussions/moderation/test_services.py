"""Moderation services: reports, hiding a post when three members report it, dismissing
reports, and hiding with a reason the author is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussions import services
from forum.discussions.models import PostStatus, ReportReason, Thread
from forum.discussions.moderation import services as moderation
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.discussions.worlds import build_moderation_place, user_of


@pytest.fixture
def place(app):
    with app.app_context():
        return build_moderation_place()


def test_three_reports_from_different_members_hide_a_post(app, place):
    with app.app_context():
        thread = db.session.get(Thread, place["thread_id"])
        post = services.reply(thread, body="Unkind words", author=user_of(place, "ana"))
        db.session.commit()
        for name in ("ben", "ben", "cat"):
            moderation.report_post(
                post, reporter=user_of(place, name), reason=ReportReason.UNKIND, detail=""
            )
        assert post.status is PostStatus.VISIBLE and post.report_count == 2
        moderation.report_post(
            post, reporter=user_of(place, "dee"), reason=ReportReason.UNKIND, detail=""
        )
        assert post.status is PostStatus.REPORTED and thread.reply_count == 0
        with pytest.raises(services.DiscussionError):
            moderation.report_post(
                post, reporter=user_of(place, "ana"), reason=ReportReason.OTHER, detail=""
            )
        moderation.dismiss_reports(post, actor=user_of(place, "olu"))
        db.session.commit()
        assert post.status is PostStatus.VISIBLE and post.report_count == 0
        assert thread.reply_count == 1


def test_hiding_tells_the_author_why(app, place):
    with app.app_context():
        thread = db.session.get(Thread, place["thread_id"])
        post = services.reply(thread, body="Names a teacher", author=user_of(place, "ben"))
        with pytest.raises(services.DiscussionError):
            moderation.hide_post(post, reason="", actor=user_of(place, "olu"))
        moderation.hide_post(post, reason="It names a member of staff", actor=user_of(place, "olu"))
        db.session.commit()
        assert post.status is PostStatus.HIDDEN
        email = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == "ben@example.org")
        )
        assert "It names a member of staff" in email.body_text
