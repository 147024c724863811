"""A signed-in thread page keeps its posts' heads (who wrote each, when, its words) for the
area's data version and the viewer's standing, and writes each person's buttons for them
(views.thread): two members who stand alike share the heads but never each other's "Edit",
"Report", "me too" or CSRF token; what only a post's author or the organisers read is never
kept for anyone else; and a change shows on the next look."""

from __future__ import annotations

import re

import pytest

from forum.accounts.models import User
from forum.areas.models import Role
from forum.discussions import services
from forum.discussions.models import Post, Thread
from forum.extensions import db
from tests.conftest import AuthActions
from tests.discussions.worlds import make_people
from tests.factories import make_area, make_board, make_thread
from tests.support import recorded_statements


@pytest.fixture
def place(app):
    with app.app_context():
        area = make_area(slug="north", name="North")
        people = make_people(area, {"ana": Role.MEMBER, "ben": Role.MEMBER, "olu": Role.ORGANISER})
        board = make_board(area, name="Getting support")
        thread = make_thread(board, people["ana"], title="Waiting lists", body="Months, for us")
        thread = db.session.get(Thread, thread.id)  # the factory's copy is detached
        ben = db.session.get(User, people["ben"].id)
        reply = services.reply(thread, body="Same here, a year", author=ben)
        db.session.commit()
        return {
            "thread": thread.id,
            "opening": thread_opening(thread.id),
            "reply": reply.id,
            **{k: v.id for k, v in people.items()},
        }


def thread_opening(thread_id: int) -> int:
    from sqlalchemy import select

    return db.session.scalar(select(Post.id).where(Post.thread_id == thread_id, Post.number == 1))


def url(place) -> str:
    return f"/areas/north/discussions/threads/{place['thread']}"


def signed_in(make_client, email: str):
    client = make_client()
    AuthActions(client).login(email)
    return client


def post_html(page: str, number: int) -> str:
    """The <li> of post `number`."""
    found = re.search(rf'<li class="app-post[^"]*" id="post-{number}">(.*?)</li>', page, re.S)
    assert found, f"post {number} is not on the page"
    return found.group(1)


def tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_members_share_the_heads_but_not_each_others_buttons(app, make_client, place):
    ana, ben = signed_in(make_client, "ana@example.org"), signed_in(make_client, "ben@example.org")
    ana_page = ana.get(url(place)).get_data(as_text=True)  # made, then kept
    ben_page = ben.get(url(place)).get_data(as_text=True)  # kept heads, Ben's own buttons
    edit_opening = f"/posts/{place['opening']}/edit"
    edit_reply = f"/posts/{place['reply']}/edit"
    report_opening = f"/posts/{place['opening']}/report"
    report_reply = f"/posts/{place['reply']}/report"
    assert edit_opening in post_html(ana_page, 1) and report_reply in post_html(ana_page, 2)
    assert edit_reply not in ana_page and report_opening not in ana_page
    assert edit_reply in post_html(ben_page, 2) and report_opening in post_html(ben_page, 1)
    assert edit_opening not in ben_page and report_reply not in ben_page
    # each page's forms carry its own session's token, one for the whole page
    assert len(tokens(ana_page)) == 1 and len(tokens(ben_page)) == 1
    assert tokens(ana_page) != tokens(ben_page)
    # the heads are the same words for both
    assert "Same here, a year" in ana_page and "Same here, a year" in ben_page


def test_me_too_is_each_persons_own_and_its_count_shows_at_once(app, make_client, place):
    ana, ben = signed_in(make_client, "ana@example.org"), signed_in(make_client, "ben@example.org")
    ana.get(url(place))
    ben.get(url(place))  # both looked: the heads are kept
    token = next(iter(tokens(ana.get(url(place)).get_data(as_text=True))))
    response = ana.post(
        f"/areas/north/discussions/posts/{place['reply']}/me-too",
        data={"on": "yes", "csrf_token": token},
    )
    assert response.status_code == 303
    ana_reply = post_html(ana.get(url(place)).get_data(as_text=True), 2)
    ben_page = ben.get(url(place)).get_data(as_text=True)
    assert 'aria-pressed="true"' in ana_reply and "1 person says" in ana_reply
    assert "1 person says" in post_html(ben_page, 2)
    assert 'aria-pressed="true"' not in ben_page


def test_a_held_post_is_read_only_by_its_author_and_the_organisers(app, make_client, place):
    ben = signed_in(make_client, "ben@example.org")
    ana = signed_in(make_client, "ana@example.org")
    olu = signed_in(make_client, "olu@example.org")
    ana.get(url(place))  # kept for members before the held post
    ben.post_form(url(place) + "/reply", {"body": "Ring me on 07700 900123"})
    # another member first, so the heads are kept for members before its author looks
    other = ana.get(url(place)).get_data(as_text=True)
    assert "Waiting for an organiser" in other and "07700 900123" not in other
    own = ben.get(url(place)).get_data(as_text=True)
    assert "07700 900123" in post_html(own, 3)
    assert "Only you and the organisers can see these words." in own
    assert "07700 900123" not in ana.get(url(place)).get_data(as_text=True)
    organiser = olu.get(url(place)).get_data(as_text=True)
    assert "07700 900123" in organiser and "Only its author and the organisers" in organiser
    assert f"/posts/{place['reply'] + 1}/edit" not in organiser


def test_an_edit_shows_at_once_and_earlier_versions_only_to_organisers(app, make_client, place):
    ana, ben = signed_in(make_client, "ana@example.org"), signed_in(make_client, "ben@example.org")
    olu = signed_in(make_client, "olu@example.org")
    for client in (ana, ben, olu):
        client.get(url(place))
    response = ana.post_form(
        f"/areas/north/discussions/posts/{place['opening']}/edit", {"body": "Months and months"}
    )
    assert response.status_code == 303
    member = ben.get(url(place)).get_data(as_text=True)
    assert "Months and months" in member and "Earlier versions" not in member
    organiser = olu.get(url(place)).get_data(as_text=True)
    assert "Earlier versions (1)" in organiser and "Months, for us" in organiser
    # the organiser's kept heads are not a member's
    assert "Earlier versions" not in ben.get(url(place)).get_data(as_text=True)


def test_a_new_name_shows_at_once(app, make_client, place):
    ana = signed_in(make_client, "ana@example.org")
    assert "Renamed Ben" not in ana.get(url(place)).get_data(as_text=True)
    with app.app_context():
        db.session.get(User, place["ben"]).display_name = "Renamed Ben"
        db.session.commit()
    assert "Renamed Ben" in post_html(ana.get(url(place)).get_data(as_text=True), 2)


def test_kept_heads_cost_fewer_statements_and_the_member_page_is_whole(app, make_client, place):
    """Made: the last number, the posts, the caller's "me too"s and follow; kept: only the
    caller's own, in one statement with the follow."""
    ben = signed_in(make_client, "ben@example.org")
    with recorded_statements(app) as made:
        first = ben.get(url(place)).get_data(as_text=True)
    with recorded_statements(app) as kept:
        again = ben.get(url(place)).get_data(as_text=True)
    assert len(kept) == len(made) - 2
    assert sum("post_me_toos" in statement for statement in kept) == 1
    assert _plain(first) == _plain(again)
    with app.app_context():
        assert db.session.get(Thread, place["thread"]).reply_count == 1


def _plain(page: str) -> str:
    """A page without its CSRF token, nonces and form values (each response's own: the
    reply form's key for a repeated send among them)."""
    for token in tokens(page):
        page = page.replace(token, "")
    return re.sub(r'(nonce|value)="[^"]+"', "", page)
