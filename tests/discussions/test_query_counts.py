"""Discussion pages send the same number of SQL statements however long the thread or board
(no N+1 queries): a thread page with 10, 100 and 1,000 posts, a board page with 10, 100 and
2,000 threads, and the boards list and area home page as threads pile up.

Rows are inserted in bulk, each post by its own author (some responders for their own
organisation, some quoting an earlier post, some edited, with "me too"s), so a lazy load per
row cannot hide behind the identity map.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from forum.accounts.models import User
from forum.areas.models import Membership, MembershipStatus, PartnerOrganisation, Role
from forum.discussions.models import Board, MeToo, Post, PostRevision, PostStatus, Thread
from forum.extensions import db
from forum.models import utcnow
from tests.factories import make_area, make_board, make_person_in, make_thread
from tests.support import assert_same_count, statements_for

STATUSES = [PostStatus.VISIBLE] * 6 + [PostStatus.HELD, PostStatus.HIDDEN, PostStatus.DELETED]


def _people(area_id: int, count: int) -> list[int]:
    """`count` new members of the area (every fifth a responder for their own organisation);
    returns their ids."""
    first = db.session.scalar(select(func.coalesce(func.max(User.id), 0))) + 1
    start = first
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"bulk{start + n}@example.org",
                "display_name": f"Bulk {start + n}",
                "password_hash": "x",
                "email_verified_at": now,
            }
            for n in range(count)
        ],
    )
    ids = list(
        db.session.scalars(select(User.id).where(User.id >= first).order_by(User.id).limit(count))
    )
    db.session.execute(
        insert(PartnerOrganisation),
        [
            {"area_id": area_id, "name": f"Partner {start + n}", "kind": "health"}
            for n in range(0, count, 5)
        ],
    )
    partners = dict(
        db.session.execute(
            select(PartnerOrganisation.name, PartnerOrganisation.id).where(
                PartnerOrganisation.area_id == area_id
            )
        ).all()
    )
    db.session.execute(
        insert(Membership),
        [
            {
                "area_id": area_id,
                "user_id": user_id,
                "role": Role.RESPONDER if n % 5 == 0 else Role.MEMBER,
                "status": MembershipStatus.ACTIVE,
                "partner_id": partners.get(f"Partner {start + n}") if n % 5 == 0 else None,
                "request_note": "",
            }
            for n, user_id in enumerate(ids)
        ],
    )
    return ids


def grow_thread(app, thread_id: int, to: int) -> None:
    """Posts up to number `to` in the thread."""
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        last = db.session.scalar(select(func.max(Post.number)).where(Post.thread_id == thread_id))
        count = to - last
        people = _people(thread.area_id, count)
        partner_of = dict(
            db.session.execute(
                select(Membership.user_id, Membership.partner_id).where(
                    Membership.user_id.in_(people)
                )
            ).all()
        )
        opening = db.session.scalar(
            select(Post.id).where(Post.thread_id == thread_id, Post.number == 1)
        )
        now = utcnow()
        db.session.execute(
            insert(Post),
            [
                {
                    "thread_id": thread_id,
                    "area_id": thread.area_id,
                    "number": last + 1 + n,
                    "author_id": author,
                    "partner_id": partner_of.get(author),
                    "quotes_id": opening if n % 3 == 0 else None,
                    "body": f"Post **{last + 1 + n}**\n\n- a list",
                    "status": STATUSES[n % len(STATUSES)],
                    "status_reason": "Reason",
                    "created_at": now + timedelta(seconds=n),
                    "edited_at": now if n % 4 == 0 else None,
                    "me_too_count": n % 3,
                }
                for n, author in enumerate(people)
            ],
        )
        new_posts = list(
            db.session.scalars(
                select(Post.id).where(Post.thread_id == thread_id, Post.number > last)
            )
        )
        db.session.execute(
            insert(PostRevision),
            [{"post_id": post_id, "body": "Before"} for post_id in new_posts[::4]],
        )
        db.session.execute(
            insert(MeToo),
            [{"post_id": post_id, "user_id": people[0]} for post_id in new_posts[1::2] if post_id],
        )
        thread.reply_count = to - 1
        db.session.commit()


def grow_board(app, board_id: int, to: int) -> None:
    """Threads (each with its opening post by its own author) up to `to` on the board."""
    with app.app_context():
        board = db.session.get(Board, board_id)
        have = db.session.scalar(
            select(func.count()).select_from(Thread).where(Thread.board_id == board_id)
        )
        count = to - have
        people = _people(board.area_id, count)
        now = utcnow()
        first = db.session.scalar(select(func.coalesce(func.max(Thread.id), 0))) + 1
        db.session.execute(
            insert(Thread),
            [
                {
                    "board_id": board_id,
                    "area_id": board.area_id,
                    "title": f"Topic {have + n}",
                    "author_id": author,
                    "created_at": now - timedelta(hours=n),
                    "last_activity_at": now - timedelta(minutes=n),
                    "reply_count": n % 7,
                    "is_pinned": n % 50 == 0,
                    "is_locked": n % 30 == 0,
                }
                for n, author in enumerate(people)
            ],
        )
        threads = list(
            db.session.execute(
                select(Thread.id, Thread.author_id)
                .where(Thread.board_id == board_id, Thread.id >= first)
                .order_by(Thread.id)
            )
        )
        partner_of = dict(
            db.session.execute(
                select(Membership.user_id, Membership.partner_id).where(
                    Membership.user_id.in_(people)
                )
            ).all()
        )
        db.session.execute(
            insert(Post),
            [
                {
                    "thread_id": thread_id,
                    "area_id": board.area_id,
                    "number": 1,
                    "author_id": author,
                    "partner_id": partner_of.get(author),
                    "body": "Opening",
                    "status": PostStatus.VISIBLE,
                    "status_reason": "",
                    "created_at": now,
                }
                for thread_id, author in threads
            ],
        )
        db.session.commit()


@pytest.fixture
def north(app):
    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        member = make_person_in(area, Role.MEMBER, email="member@example.org")
        board = make_board(area, name="Chat", visibility="public")
        thread = make_thread(board, member, title="Long one")
        return {"board": board, "thread": thread.id}


WHO = ["visitor", "member", "organiser"]


def sign_in(auth, who):
    if who != "visitor":
        auth.login(f"{'org' if who == 'organiser' else who}@example.org")


@pytest.mark.parametrize("who", WHO)
def test_thread_page_costs_the_same_with_100_or_1000_posts(app, client, auth, north, who):
    sign_in(auth, who)
    url = f"/areas/northshire/discussions/threads/{north['thread']}"
    grow_thread(app, north["thread"], 10)
    few = statements_for(app, client, url)
    grow_thread(app, north["thread"], 100)
    small = statements_for(app, client, url)
    last_small = statements_for(app, client, url + "?page=2")
    grow_thread(app, north["thread"], 1000)
    large = statements_for(app, client, url)
    last_large = statements_for(app, client, url + "?page=20")
    page = client.get(url + "?page=20").get_data(as_text=True)
    assert 'id="post-1000"' in page and "Partner" in page
    assert_same_count(url, few, small)
    assert_same_count(url, small, large)
    assert_same_count(url + "?page=20", last_small, last_large)


@pytest.mark.parametrize("who", WHO)
def test_board_page_costs_the_same_with_100_or_2000_threads(app, client, auth, north, who):
    sign_in(auth, who)
    board = north["board"]
    url = f"/areas/northshire/discussions/{board.slug}"
    grow_board(app, board.id, 10)
    few = statements_for(app, client, url)
    grow_board(app, board.id, 100)
    small = statements_for(app, client, url)
    grow_board(app, board.id, 2000)
    large = statements_for(app, client, url)
    page = client.get(url).get_data(as_text=True)
    assert page.count('class="app-thread-card"') == 25 and "for Partner" in page
    assert_same_count(url, few, small)
    assert_same_count(url, small, large)
    # a later page (keyset) costs the same as the first
    more = re.search(r'href="([^"]+after=[^"]+)"', page).group(1).replace("&amp;", "&")
    assert_same_count(more, large, statements_for(app, client, more))


@pytest.mark.parametrize("who", WHO)
def test_boards_list_and_area_home_cost_the_same_with_more_boards(app, client, auth, north, who):
    sign_in(auth, who)
    small = {
        url: statements_for(app, client, url)
        for url in ("/areas/northshire/discussions", "/areas/northshire")
    }
    with app.app_context():
        area = db.session.get(Board, north["board"].id).area
        boards = [
            make_board(area, name=f"More {n}", visibility=("public", "members")[n % 2]).id
            for n in range(8)
        ]
    for board_id in boards:
        grow_board(app, board_id, 5)
    for url, before in small.items():
        assert_same_count(url, before, statements_for(app, client, url))
