"""Discussion services: posting, the personal-data guard, first-post approval, edits and
their history, deletion, "me too", follows and emails, and what suspensions and locks stop.
Reports and hiding are moderation's own (tests/discussions/moderation/test_services.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.discussions import services
from forum.discussions.models import (
    Board,
    Post,
    PostRevision,
    PostStatus,
    Thread,
)
from forum.discussions.moderation import services as moderation
from forum.discussions.personal_data import nhs_number_is_valid, personal_details
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from tests.discussions.worlds import make_people
from tests.factories import make_area, make_board, make_post, make_thread


@pytest.fixture
def place(app):
    with app.app_context():
        area = make_area(slug="north")
        people = make_people(
            area,
            {
                "ana": Role.MEMBER,
                "ben": Role.MEMBER,
                "cat": Role.MEMBER,
                "dee": Role.MEMBER,
                "olu": Role.ORGANISER,
            },
        )
        board = make_board(area, name="Getting support")
        thread = make_thread(board, people["ana"], title="Waiting lists", body="Months, for us")
        return {
            "area_id": area.id,
            "board_id": board.id,
            "thread_id": thread.id,
            **{k: v.id for k, v in people.items()},
        }


def _get(model, id_):
    return db.session.get(model, id_)


def _user(place, name):
    return _get(User, place[name])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("His NHS number is 943 476 5919", ["an NHS number"]),
        ("9434765919", ["an NHS number"]),
        ("9434765918 is not a valid one", []),
        ("ring me on 07700 900123", ["a phone number"]),
        ("or +44 20 7946 0958", ["a phone number"]),
        ("write to ana.parent@example.org", ["an email address"]),
        ("we live in SW1A 1AA", ["a postcode"]),
        ("we waited 18 months and 3 weeks", []),
        ("school year 2025 to 2026", []),
    ],
)
def test_the_guard(text, found):
    assert personal_details(text) == found


def test_nhs_check_digit():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765910")


def test_a_reply_counts_moves_the_thread_and_emails_followers(app, place):
    with app.app_context():
        thread = _get(Thread, place["thread_id"])
        before = thread.last_activity_at
        services.set_following(thread, _user(place, "ben"), True)
        post = services.reply(thread, body="Same here", author=_user(place, "cat"))
        db.session.commit()
        assert post.number == 2 and thread.reply_count == 1
        assert thread.last_activity_at >= before
        sent = db.session.scalars(select(OutboxMessage.to_address)).all()
        # Ana started it (so follows it) and Ben follows; Cat wrote it.
        assert sorted(sent) == ["ana@example.org", "ben@example.org"]


def test_personal_details_hold_a_post_and_editing_them_out_releases_it(app, place):
    with app.app_context():
        thread = _get(Thread, place["thread_id"])
        ben = _user(place, "ben")
        post = services.reply(thread, body="Call me on 07700 900123", author=ben)
        db.session.commit()
        assert post.status is PostStatus.HELD and "a phone number" in post.status_reason
        assert thread.reply_count == 0
        services.edit_post(post, body="Message me through the forum", actor=ben)
        db.session.commit()
        assert post.status is PostStatus.VISIBLE and thread.reply_count == 1
        revisions = db.session.scalars(select(PostRevision.body)).all()
        assert revisions == ["Call me on 07700 900123"]


def test_first_posts_wait_for_approval_when_the_area_asks(app, place):
    with app.app_context():
        area = _get(Board, place["board_id"]).area
        services.set_first_post_approval(area, 1, actor=_user(place, "olu"))
        thread = _get(Thread, place["thread_id"])
        first = services.reply(thread, body="Hello", author=_user(place, "dee"))
        db.session.commit()
        assert first.status is PostStatus.HELD
        moderation.approve_post(first, actor=_user(place, "olu"))
        second = services.reply(thread, body="Hello again", author=_user(place, "dee"))
        db.session.commit()
        assert first.status is PostStatus.VISIBLE and second.status is PostStatus.VISIBLE


def test_me_too_toggles_once_per_member(app, place):
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.thread_id == place["thread_id"]))
        assert services.toggle_me_too(post, _user(place, "ben")) is True
        assert services.toggle_me_too(post, _user(place, "cat")) is True
        assert post.me_too_count == 2
        assert services.toggle_me_too(post, _user(place, "ben")) is False
        assert post.me_too_count == 1


def test_suspended_members_cannot_post_and_are_told_why(app, place):
    with app.app_context():
        area = _get(Board, place["board_id"]).area
        moderation.suspend(
            _user(place, "ben"),
            area,
            until=utcnow() + timedelta(days=7),
            reason="Repeated unkind posts",
            actor=_user(place, "olu"),
        )
        db.session.commit()
        with pytest.raises(services.DiscussionError, match="Repeated unkind posts"):
            services.reply(_get(Thread, place["thread_id"]), body="Hi", author=_user(place, "ben"))


def test_locked_threads_take_no_replies(app, place):
    with app.app_context():
        thread = _get(Thread, place["thread_id"])
        moderation.set_locked(thread, True, actor=_user(place, "olu"))
        with pytest.raises(services.DiscussionError, match="locked"):
            services.reply(thread, body="Hi", author=_user(place, "ben"))


def test_deleting_leaves_a_place_in_the_thread(app, place):
    with app.app_context():
        thread = _get(Thread, place["thread_id"])
        post = services.reply(thread, body="Oops", author=_user(place, "ben"))
        services.delete_post(post, actor=_user(place, "ben"))
        db.session.commit()
        assert post.status is PostStatus.DELETED and thread.reply_count == 0
        count = db.session.scalar(select(func.count()).select_from(Post))
        assert count == 2


def test_factories_make_threads_and_posts(app, place):
    with app.app_context():
        board = _get(Board, place["board_id"])
        post = make_post(_get(Thread, place["thread_id"]), _user(place, "ben"))
        assert post.number == 2 and board.name == "Getting support"
