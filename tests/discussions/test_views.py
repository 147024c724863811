"""Discussion pages: boards, a board's threads (keyset "show more"), a consultation's board,
a thread's posts and placeholders, replying inline and without JavaScript, quoting, editing,
deleting, "me too", following, pinning, organisers' boards and settings, and the posting
rate limit."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.areas.models import Role
from forum.discussions import services
from forum.discussions.models import (
    Board,
    DiscussionSettings,
    Follow,
    Post,
    PostStatus,
    Thread,
)
from forum.discussions.moderation import services as moderation
from forum.extensions import db
from forum.models import utcnow
from tests.discussions.worlds import make_people
from tests.factories import (
    make_area,
    make_board,
    make_consultation,
    make_membership,
    make_partner,
    make_thread,
    make_user,
)


@pytest.fixture
def place(app):
    with app.app_context():
        area = make_area(slug="north", name="North")
        people = make_people(area, {"ana": Role.MEMBER, "ben": Role.MEMBER, "olu": Role.ORGANISER})
        council = make_partner(area, name="North Council")
        rita = make_user(email="rita@example.org", name="Rita")
        make_membership(rita, area, Role.RESPONDER, partner=council)
        board = make_board(area, name="Getting support")
        thread = make_thread(board, people["ana"], title="Waiting lists", body="Months, for us")
        return {
            "board": board.slug,
            "thread": thread.id,
            **{k: v.id for k, v in people.items()},
        }


def thread_path(place) -> str:
    return f"/areas/north/discussions/threads/{place['thread']}"


def posts_of(app, thread_id) -> list[Post]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Post).where(Post.thread_id == thread_id).order_by(Post.number)
            )
        )


def test_boards_list_and_board_page(client, auth, place):
    auth.login("ana@example.org")
    page = client.get("/areas/north/discussions").get_data(as_text=True)
    assert "Getting support" in page and "1 thread" in page
    assert "Create a board" not in page
    board = client.get(f"/areas/north/discussions/{place['board']}").get_data(as_text=True)
    assert "Waiting lists" in board and "Started by Ana" in board and "Start a thread" in board


def test_organiser_sees_create_a_board(client, auth, place):
    auth.login("olu@example.org")
    page = client.get("/areas/north/discussions").get_data(as_text=True)
    assert "Create a board" in page


def test_start_a_thread_without_js(app, client, auth, place):
    auth.login("ben@example.org")
    url = f"/areas/north/discussions/{place['board']}/new"
    assert client.get(url).status_code == 200
    response = client.post_form(url, {"title": "Transport", "body": "The bus is **late**"})
    assert response.status_code == 303
    assert re.search(r"/discussions/threads/\d+$", response.headers["Location"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Transport" in page and "<strong>late</strong>" in page and "Thread started." in page


def test_start_a_thread_mistakes_are_shown(client, auth, place):
    auth.login("ben@example.org")
    url = f"/areas/north/discussions/{place['board']}/new"
    response = client.post_form(url, {"title": "", "body": ""})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Enter a title" in text and "Write your post" in text


def test_reply_without_js_redirects_to_the_anchor(app, client, auth, place):
    auth.login("ben@example.org")
    response = client.post_form(thread_path(place) + "/reply", {"body": "Same here"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{thread_path(place)}#post-2")
    page = client.get(thread_path(place)).get_data(as_text=True)
    assert 'id="post-2"' in page and "Same here" in page


def test_reply_with_htmx_answers_the_new_post_and_an_empty_form(app, client, auth, place):
    auth.login("ben@example.org")
    response = client.post_form(thread_path(place) + "/reply", {"body": "Same here"}, htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[:500]
    assert "<html" not in text
    assert 'id="post-2"' in text and "Same here" in text
    assert 'id="reply-form"' in text and 'hx-swap-oob="outerHTML"' in text
    assert "Your reply has been posted." in text
    form = text[text.index('id="reply-form"') :]
    assert "Same here" not in form
    assert "HX-Request" in response.headers["Vary"]


def test_reply_with_htmx_mistake_swaps_the_form(client, auth, place):
    auth.login("ben@example.org")
    response = client.post_form(thread_path(place) + "/reply", {"body": ""}, htmx=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#reply-form"
    text = response.get_data(as_text=True)
    assert "Write your reply" in text and "<html" not in text


def test_quote_fills_the_reply_form(app, client, auth, place):
    opening = posts_of(app, place["thread"])[0]
    auth.login("ben@example.org")
    url = f"{thread_path(place)}/reply?quote={opening.id}"
    page = client.get(url).get_data(as_text=True)
    assert "&gt; Ana wrote:" in page and "&gt; Months, for us" in page
    assert f'value="{opening.id}"' in page
    fragment = client.htmx_get(url).get_data(as_text=True)
    assert "<html" not in fragment and 'id="reply-form"' in fragment and "autofocus" in fragment
    response = client.post_form(
        thread_path(place) + "/reply",
        {"body": "> Months, for us\n\nUs too", "quotes_id": str(opening.id)},
    )
    assert response.status_code == 303
    reply = posts_of(app, place["thread"])[-1]
    assert reply.quotes_id == opening.id
    page = client.get(thread_path(place)).get_data(as_text=True)
    assert "replying to" in page and "<blockquote" in page


def test_quote_of_another_threads_post_is_ignored(app, client, auth, place):
    with app.app_context():
        other = make_thread(
            db.session.get(Board, db.session.scalar(select(Board.id))),
            db.session.get(Thread, place["thread"]).author,
            title="Other",
        )
        other_post = db.session.scalar(select(Post.id).where(Post.thread_id == other.id))
    auth.login("ben@example.org")
    page = client.get(f"{thread_path(place)}/reply?quote={other_post}").get_data(as_text=True)
    assert "wrote:" not in page


def test_held_post_shows_a_placeholder_to_others(app, client, auth, make_client, place):
    auth.login("ben@example.org")
    client.post_form(thread_path(place) + "/reply", {"body": "Ring me on 07700 900123"})
    own = client.get(thread_path(place)).get_data(as_text=True)
    assert "Waiting for an organiser" in own and "07700 900123" in own
    assert "Only you and the organisers can see these words." in own
    other = make_client()
    from tests.conftest import AuthActions

    AuthActions(other).login("ana@example.org")
    page = other.get(thread_path(place)).get_data(as_text=True)
    assert "Waiting for an organiser" in page and "07700 900123" not in page
    organiser = make_client()
    AuthActions(organiser).login("olu@example.org")
    page = organiser.get(thread_path(place)).get_data(as_text=True)
    assert "07700 900123" in page and "Only its author and the organisers" in page


def test_placeholders(app, client, auth, place):
    with app.app_context():
        thread = db.session.get(Thread, place["thread"])
        from forum.accounts.models import User

        ben = db.session.get(User, place["ben"])
        olu = db.session.get(User, place["olu"])
        hidden = services.reply(thread, body="Secret canary one", author=ben)
        deleted = services.reply(thread, body="Secret canary two", author=ben)
        moderation.hide_post(hidden, reason="Off topic", actor=olu)
        services.delete_post(deleted, actor=ben)
        db.session.commit()
    auth.login("ana@example.org")
    page = client.get(thread_path(place)).get_data(as_text=True)
    assert "Hidden by an organiser: Off topic" in page
    assert "Post removed by its author" in page
    assert "Secret canary" not in page


def test_responder_posts_for_their_organisation(app, client, auth, place):
    auth.login("rita@example.org")
    client.post_form(thread_path(place) + "/reply", {"body": "We are looking at this"})
    page = client.get(thread_path(place)).get_data(as_text=True)
    assert "Rita, for North Council" in page and "Responder for their organisation" in page


def test_edit_and_revisions(app, client, auth, make_client, place):
    opening = posts_of(app, place["thread"])[0]
    auth.login("ana@example.org")
    url = f"/areas/north/discussions/posts/{opening.id}/edit"
    assert "Months, for us" in client.get(url).get_data(as_text=True)
    response = client.post_form(url, {"body": "Months and months"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#post-1")
    page = client.get(thread_path(place)).get_data(as_text=True)
    assert "Months and months" in page and "edited" in page and "Earlier versions" not in page
    from tests.conftest import AuthActions

    organiser = make_client()
    AuthActions(organiser).login("olu@example.org")
    page = organiser.get(thread_path(place)).get_data(as_text=True)
    assert "Earlier versions (1)" in page and "Months, for us" in page


def test_only_the_author_edits_or_deletes(app, client, auth, place):
    opening = posts_of(app, place["thread"])[0]
    auth.login("ben@example.org")
    for action in ("edit", "delete"):
        url = f"/areas/north/discussions/posts/{opening.id}/{action}"
        assert client.get(url).status_code == 403
        assert client.post_form(url, {"body": "Mine now"}).status_code == 403
    assert posts_of(app, place["thread"])[0].body == "Months, for us"


def test_delete_asks_first(app, client, auth, place):
    opening = posts_of(app, place["thread"])[0]
    auth.login("ana@example.org")
    url = f"/areas/north/discussions/posts/{opening.id}/delete"
    assert "Delete your post?" in client.get(url).get_data(as_text=True)
    assert posts_of(app, place["thread"])[0].status is PostStatus.VISIBLE
    response = client.post_form(url)
    assert response.status_code == 303
    assert posts_of(app, place["thread"])[0].status is PostStatus.DELETED
    assert "Post removed by its author" in client.get(thread_path(place)).get_data(as_text=True)


def test_me_too_toggles_with_and_without_htmx(app, client, auth, place):
    opening = posts_of(app, place["thread"])[0]
    auth.login("ben@example.org")
    url = f"/areas/north/discussions/posts/{opening.id}/me-too"
    response = client.post_form(url, {"on": "yes"}, htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert 'aria-pressed="true"' in text and "1 person says" in text
    # the same click again (a double submit) changes nothing
    client.post_form(url, {"on": "yes"}, htmx=True)
    assert posts_of(app, place["thread"])[0].me_too_count == 1
    plain = client.post_form(url, {"on": "no"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#post-1")
    assert posts_of(app, place["thread"])[0].me_too_count == 0


def test_follow_and_stop(app, client, auth, place):
    auth.login("ben@example.org")
    url = thread_path(place) + "/follow"
    response = client.post_form(url, {"following": "yes"}, htmx=True)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Follow, (place["thread"], place["ben"])) is not None
    assert client.post_form(url, {"following": "no"}).status_code == 303
    with app.app_context():
        assert db.session.get(Follow, (place["thread"], place["ben"])) is None


def test_pin_is_for_organisers(app, client, auth, make_client, place):
    auth.login("ben@example.org")
    url = thread_path(place) + "/pin"
    assert client.post_form(url, {"pinned": "yes"}).status_code == 403
    from tests.conftest import AuthActions

    organiser = make_client()
    AuthActions(organiser).login("olu@example.org")
    assert organiser.post_form(url, {"pinned": "yes"}).status_code == 303
    with app.app_context():
        assert db.session.get(Thread, place["thread"]).is_pinned


def test_locked_thread_has_no_reply_form(app, client, auth, place):
    with app.app_context():
        thread = db.session.get(Thread, place["thread"])
        thread.is_locked = True
        db.session.commit()
    auth.login("ben@example.org")
    page = client.get(thread_path(place)).get_data(as_text=True)
    assert "This thread is locked" in page and 'id="reply-form"' not in page
    response = client.post_form(thread_path(place) + "/reply", {"body": "Let me in"})
    assert response.status_code == 422 and "locked" in response.get_data(as_text=True)


def test_board_show_more_is_keyset(app, client, auth, place):
    with app.app_context():
        board = db.session.scalar(select(Board).where(Board.slug == place["board"]))
        from forum.accounts.models import User

        ana = db.session.get(User, place["ana"])
        now = utcnow()
        for n in range(30):
            thread = services.start_thread(board, title=f"Topic {n:02d}", body="Hi", author=ana)
            thread.last_activity_at = now - timedelta(minutes=n)
        db.session.commit()
    auth.login("ana@example.org")
    url = f"/areas/north/discussions/{place['board']}"
    first = client.get(url).get_data(as_text=True)
    assert first.count('class="app-thread-card"') == 25
    more = re.search(r'href="([^"]+after=[^"]+)"', first).group(1).replace("&amp;", "&")
    fragment = client.htmx_get(more).get_data(as_text=True)
    assert "<html" not in fragment and fragment.count('class="app-thread-card"') == 6
    seen = set(re.findall(r"Topic \d\d|Waiting lists", first + fragment))
    assert len(seen) == 31
    assert client.get(more).status_code == 200
    assert client.get(url + "?after=nonsense").status_code == 200


def test_consultation_board_starts_empty_then_holds_threads(app, client, auth, place):
    with app.app_context():
        consultation = make_consultation(
            db.session.scalar(select(Board).where(Board.slug == place["board"])).area,
            audience="members",
        )
    url = f"/areas/north/consultations/{consultation.slug}/discussion"
    auth.login("ben@example.org")
    page = client.get(url).get_data(as_text=True)
    assert "Nobody has started a thread here yet" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Board)) == 1
    response = client.post_form(url + "/new", {"title": "Our view", "body": "Thoughts"})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Our view" in page


def test_organiser_creates_and_edits_a_board(app, client, auth, place):
    auth.login("olu@example.org")
    response = client.post_form(
        "/areas/north/discussions/new-board",
        {"name": "Staff room", "description": "", "visibility": "staff"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/areas/north/discussions/staff-room"
    response = client.post_form(
        "/areas/north/discussions/staff-room/edit",
        {"name": "Staff room", "description": "For us", "visibility": "members"},
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Board.description).where(Board.slug == "staff-room"))


def test_first_post_approval_setting(app, client, auth, place):
    auth.login("olu@example.org")
    url = "/areas/north/discussions/settings"
    assert client.post_form(url, {"approve_first_posts": "30"}).status_code == 422
    assert client.post_form(url, {"approve_first_posts": "2"}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(DiscussionSettings.approve_first_posts)) == 2
    assert 'value="2"' in client.get(url).get_data(as_text=True)


def test_area_home_lists_recent_threads(client, place):
    page = client.get("/areas/north").get_data(as_text=True)
    # the board is for members: a visitor sees the section but not the thread
    assert "Discussions" in page and "Waiting lists" not in page


def test_area_home_lists_recent_threads_for_members(client, auth, place):
    auth.login("ben@example.org")
    page = client.get("/areas/north").get_data(as_text=True)
    assert "Waiting lists" in page and "See all discussions" in page


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {
            **app_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_POSTING": "3 per minute",
            "RATELIMIT_KEY_PREFIX": f"coproduce-test-{uuid.uuid4().hex}",
        }

    def test_posting_too_fast_gets_a_clear_page(self, app, client, auth, place):
        auth.login("ben@example.org")
        url = thread_path(place) + "/reply"
        statuses = [client.post_form(url, {"body": f"Reply {n}"}).status_code for n in range(3)]
        assert statuses == [303, 303, 303]
        response = client.post_form(url, {"body": "One more"})
        assert response.status_code == 429
        text = response.get_data(as_text=True)
        assert "You have posted a lot in a short time" in text
        assert "password" not in text.lower()
        # reading is not limited, and htmx gets the message in the page's main content
        assert client.get(thread_path(place)).status_code == 200
        htmx = client.post_form(url, {"body": "And again"}, htmx=True)
        assert htmx.status_code == 429 and htmx.headers["HX-Retarget"] == "#main-content"
