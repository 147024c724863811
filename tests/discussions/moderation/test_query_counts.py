"""The moderation queue sends as many SQL statements with one post to look at as with many:
held and reported posts by different authors, in threads on different boards (a row links to
its post, whose URL needs the board), with reports from different members."""

from __future__ import annotations

from forum.areas.models import Area, Role
from forum.discussions.models import Post, PostStatus, ReportReason
from forum.discussions.moderation import services
from forum.extensions import db
from tests.discussions.worlds import build_moderation_place, login, user_of
from tests.factories import make_board, make_person_in, make_post, make_thread
from tests.support import assert_same_count, statements_for

QUEUE = "/areas/north/moderation"


def _reported(post, reporter, reason=ReportReason.UNKIND):
    services.report_post(post, reporter=reporter, reason=reason, detail="It names a child")


def test_moderation_queue_sends_as_many_statements_with_1_post_as_with_13(app, client, auth):
    with app.app_context():
        place = build_moderation_place()
        first = db.session.get(Post, place["post_id"])
        _reported(first, user_of(place, "ben"))
        db.session.commit()
    login(auth, "olu")
    small = statements_for(app, client, QUEUE)

    with app.app_context():
        area = db.session.get(Area, place["area_id"])
        for n in range(6):
            author = make_person_in(area, Role.MEMBER, name=f"Writer {n}")
            reporter = make_person_in(area, Role.MEMBER, name=f"Reader {n}")
            thread = make_thread(make_board(area, name=f"Board {n}"), author, title=f"Talk {n}")
            reply = make_post(thread, author, body=f"Reply {n}")
            held = db.session.get(Post, reply.id)
            held.status = PostStatus.HELD
            held.status_reason = "It has a link"
            opening = db.session.scalar(
                db.select(Post).where(Post.thread_id == thread.id, Post.number == 1)
            )
            _reported(opening, reporter, ReportReason.SPAM)
            _reported(opening, user_of(place, "cat"))
        db.session.commit()
    large = statements_for(app, client, QUEUE)
    page = client.get(QUEUE).get_data(as_text=True)
    assert "Talk 5" in page and "Reply 5" in page, "the new rows are on the page"
    assert "Waiting for approval (6)" in page
    assert_same_count(QUEUE, small, large)
