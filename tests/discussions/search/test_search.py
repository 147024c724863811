"""Discussion search on both engines: only visible posts, only boards the person may read
(canary words in staff, members and draft-consultation boards), the index kept in step with
edits and deletions, hostile queries turned into plain words, snippets escaped then marked,
keyset paging, and the page with and without htmx."""

from __future__ import annotations

import re

import pytest
from flask_login import AnonymousUserMixin
from markupsafe import Markup
from sqlalchemy import delete, update

from forum.accounts.models import User
from forum.areas.models import Area, Role
from forum.discussions import services
from forum.discussions.models import Board, Post, PostStatus, Thread
from forum.discussions.permissions import can_view_board
from forum.discussions.search.queries import query_terms, search
from forum.discussions.search.snippets import highlight
from forum.extensions import db
from tests.factories import (
    make_area,
    make_board,
    make_consultation,
    make_person_in,
    make_post,
    make_thread,
    make_user,
)

# Board kind -> (visibility, consultation state, consultation audience); canary word each.
BOARDS = {
    "public": ("public", None, None),
    "members": ("members", None, None),
    "staff": ("staff", None, None),
    "draft": ("public", "draft", "public"),
    "openpublic": ("staff", "open", "public"),
    "openmembers": ("public", "open", "members"),
    "closedpublic": ("members", "closed", "public"),
}
PEOPLE = ("visitor", "outsider", "member", "responder", "organiser", "admin", "elsewhere")

HOSTILE_QUERIES = [
    '"',
    '""',
    '"unbalanced',
    "(((",
    "transport)",
    "NEAR(transport school, 2)",
    "transport NEAR school",
    "transport AND school",
    "transport OR school",
    "NOT transport",
    "-transport",
    "transport*",
    "*",
    "^transport",
    "body:transport",
    "title : transport",
    "{body title}: transport",
    "transport + school",
    "' OR 1=1 --",
    "'; DROP TABLE posts; --",
    "1; SELECT * FROM users",
    "%",
    "_",
    "\\",
    "\x00transport",
    "transport\u202e",
    "مواصلات المدرسة",
    "תחבורה",
    "👩‍👧 transport 🚌",
    "🚌🚌🚌",
    "x" * 10_000,
    "transport " * 2_000,
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "café résumé naïve",
    "ＴＲＡＮＳＰＯＲＴ",
    "   ",
    "",
]


@pytest.fixture(scope="module")
def world(world_app):
    """An area with one board of each kind, a thread in each whose post carries that board's
    canary word (and "transport"), and people of every kind."""
    with world_app.app_context():
        area = make_area(slug="north")
        other = make_area(slug="south")
        people = {
            "outsider": make_person_in(area, None, email="outsider@example.org"),
            "member": make_person_in(area, Role.MEMBER, email="member@example.org"),
            "responder": make_person_in(area, Role.RESPONDER, email="responder@example.org"),
            "organiser": make_person_in(area, Role.ORGANISER, email="organiser@example.org"),
            "admin": make_user(email="admin@example.org", is_admin=True),
            "elsewhere": make_person_in(other, Role.ORGANISER, email="elsewhere@example.org"),
        }
        author = people["organiser"]
        boards = {}
        for kind, (visibility, state, audience) in BOARDS.items():
            consultation = (
                make_consultation(area, state=state, audience=audience) if state else None
            )
            board = make_board(
                area, name=f"Board {kind}", visibility=visibility, consultation=consultation
            )
            make_thread(board, author, title=f"About {kind}", body=f"canary{kind} transport")
            boards[kind] = board.id
        # The same words in another area are never found from this one.
        board = make_board(other, name="Elsewhere", visibility="public")
        make_thread(board, people["elsewhere"], title="South", body="canaryelsewhere transport")
        return {
            "area": area.id,
            "other": other.id,
            "boards": boards,
            "people": {k: v.id for k, v in people.items()},
        }


def _person(world, who):
    if who == "visitor":
        return AnonymousUserMixin()
    return db.session.get(User, world["people"][who])


def _found(world, who, words, area="area", **kwargs):
    area = db.session.get(Area, world[area])
    results = search(_person(world, who), area, words, limit=kwargs.pop("limit", 50), **kwargs)
    return results


def _kinds(results):
    return {re.sub(r"</?mark>", "", str(hit.snippet)).split()[0][6:] for hit in results.hits}


@pytest.mark.parametrize("who", PEOPLE)
def test_each_person_finds_exactly_the_boards_they_may_read(app, world, who):
    with app.app_context():
        person = _person(world, who)
        expected = {
            kind
            for kind, board_id in world["boards"].items()
            if can_view_board(person, db.session.get(Board, board_id))
        }
        assert _kinds(_found(world, who, "transport")) == expected
        for kind in BOARDS:
            assert bool(_found(world, who, f"canary{kind}").hits) == (kind in expected), kind
        assert not _found(world, who, "canaryelsewhere").hits


def test_canaries_in_closed_boards_are_never_found_by_visitors(app, world):
    with app.app_context():
        for words in ("canarystaff", "canarymembers", "canarydraft", "canaryopenmembers"):
            assert _found(world, "visitor", words).hits == []
        assert _kinds(_found(world, "visitor", "transport")) == {
            "public",
            "openpublic",
            "closedpublic",
        }
        assert _kinds(_found(world, "member", "transport")) == {
            "public",
            "members",
            "openpublic",
            "openmembers",
            "closedpublic",
        }


def test_a_draft_consultations_board_is_found_only_by_organisers_and_admins(app, world):
    """The consultation page refuses its responders while it is a draft; so does search."""
    with app.app_context():
        for who in PEOPLE:
            found = bool(_found(world, who, "canarydraft").hits)
            assert found == (who in ("organiser", "admin")), who
            assert ("draft" in _kinds(_found(world, who, "transport"))) == found, who


def test_only_visible_posts_are_found(app, world):
    with app.app_context():
        thread = db.session.scalar(
            db.select(Thread).where(Thread.board_id == world["boards"]["public"])
        )
        member = _person(world, "member")
        posts = {}
        for status in PostStatus:
            post = make_post(thread, member, body=f"status{status.value} hedgehog")
            posts[status] = post.id
        for status, post_id in posts.items():
            db.session.execute(update(Post).where(Post.id == post_id).values(status=status))
        db.session.commit()
        found = _found(world, "admin", "hedgehog")
        assert [hit.post_id for hit in found.hits] == [posts[PostStatus.VISIBLE]]


def test_titles_match_the_opening_post_once(app, world):
    with app.app_context():
        board = db.session.get(Board, world["boards"]["public"])
        thread = make_thread(
            board, _person(world, "member"), title="Short breaks in summer", body="Anyone?"
        )
        make_post(thread, _person(world, "organiser"), body="Yes, three of us")
        found = _found(world, "visitor", "summer breaks")
        assert [(hit.thread_id, hit.post_number) for hit in found.hits] == [(thread.id, 1)]
        assert "<mark>summer</mark>" in str(found.hits[0].title)


def test_stemming_and_prefixes(app, world):
    with app.app_context():
        board = db.session.get(Board, world["boards"]["public"])
        make_thread(board, _person(world, "member"), title="Panels", body="We waited for months")
        for words in ("waiting", "waited", "wait", "MONTHS", "month"):
            assert len(_found(world, "visitor", words).hits) == 1, words


def test_the_index_follows_edits_title_changes_and_deletions(app, world):
    with app.app_context():
        board = db.session.get(Board, world["boards"]["public"])
        member = _person(world, "member")
        thread = make_thread(board, member, title="Old title", body="walrus")
        post = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id))
        services.edit_post(post, body="narwhal", actor=member)
        db.session.commit()
        assert not _found(world, "visitor", "walrus").hits
        assert len(_found(world, "visitor", "narwhal").hits) == 1

        db.session.execute(update(Thread).where(Thread.id == thread.id).values(title="Puffins"))
        db.session.commit()
        assert not _found(world, "visitor", "old title").hits
        assert len(_found(world, "visitor", "puffins").hits) == 1

        db.session.execute(delete(Post).where(Post.thread_id == thread.id))
        db.session.execute(delete(Thread).where(Thread.id == thread.id))
        db.session.commit()
        assert not _found(world, "visitor", "narwhal").hits
        assert not _found(world, "visitor", "puffins").hits
        # The rest of the index is intact.
        assert len(_found(world, "visitor", "transport").hits) == 3


def test_keyset_pages_never_repeat_or_skip(app, world):
    with app.app_context():
        board = db.session.get(Board, world["boards"]["members"])
        member = _person(world, "member")
        thread = make_thread(board, member, title="Many", body="otter 0")
        for n in range(1, 25):
            make_post(thread, member, body=f"otter {n}")
        seen, after = [], None
        while True:
            page = _found(world, "member", "otter", limit=10, after=after)
            seen += [hit.post_id for hit in page.hits]
            if page.next_after is None:
                break
            after = page.next_after
        assert len(seen) == 25 == len(set(seen))
        assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("words", HOSTILE_QUERIES)
def test_hostile_queries_never_fail(app, world, words):
    with app.app_context():
        results = _found(world, "organiser", words)
        assert all(re.fullmatch(r"\w+", term) for term in results.terms)
        if results.terms == ["transport"]:
            assert len(results.hits) >= len(BOARDS)


def test_query_terms_are_plain_words():
    assert query_terms('NEAR("a b" c*) AND -d OR e') == ["near", "a", "b", "c", "and", "d", "e"]
    assert query_terms("'; DROP TABLE posts; --") == ["drop", "table", "posts"]
    assert query_terms("ＴＲＡＮＳＰＯＲＴ") == ["transport"]
    assert query_terms("مواصلات 👩‍👧") == ["مواصلات"]
    assert len(query_terms("word " * 5_000)) == 1
    assert len(query_terms(" ".join(f"w{n}" for n in range(100)))) == 8
    assert query_terms(None) == query_terms("") == query_terms("🚌 ... ***") == []


def test_snippets_are_escaped_then_marked():
    snippet = highlight('<script>alert("transport")</script> & <b>Transport</b>', ["transport"])
    assert isinstance(snippet, Markup)
    assert "<script" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert snippet.count("<mark>") == 2
    assert "<mark>Transport</mark>" in snippet
    # A term that looks like a regular expression or markup is just text.
    assert highlight("a.b (c) <mark>", ["mark", "c"]).count("<mark>") == 2
    long = "word " * 200 + "needle " + "word " * 200
    cut = highlight(long, ["needle"])
    assert "<mark>needle</mark>" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(str(cut)) < 300


# --- the page ------------------------------------------------------------------------------


def _page(client, words, **args):
    return client.get("/areas/north/discussions/search", query_string={"q": words, **args})


def test_the_page_shows_results_and_hides_closed_boards(client, auth, world):
    response = _page(client, "transport")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "canarypublic" in html and "canaryopenpublic" in html
    for hidden in ("canarystaff", "canarymembers", "canarydraft", "canaryelsewhere"):
        assert hidden not in html
    assert "<mark>transport</mark>" in html
    assert 'hx-get="/areas/north/discussions/search"' in html
    assert 'hx-push-url="true"' in html

    auth.login("organiser@example.org")
    html = _page(client, "canarystaff").get_data(as_text=True)
    assert "canarystaff" in html


def test_the_page_hides_a_draft_consultations_board_from_responders(client, auth, world):
    auth.login("responder@example.org")
    html = _page(client, "transport").get_data(as_text=True)
    assert "canarystaff" in html and "canarydraft" not in html


def test_htmx_gets_only_the_results(client, world):
    response = client.get(
        "/areas/north/discussions/search?q=transport", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "canarypublic" in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_the_page_with_no_words_or_no_results(client, world):
    assert "Type a word" not in _page(client, "").get_data(as_text=True)
    assert "Type a word to search for" in _page(client, "🚌 ***").get_data(as_text=True)
    html = _page(client, "zebra").get_data(as_text=True)
    assert "No posts found" in html and "sign in" in html


@pytest.mark.parametrize("words", HOSTILE_QUERIES)
def test_the_page_never_fails(client, world, words):
    response = _page(client, words, after="x")
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)


def test_odd_after_values(client, world):
    for after in ("-1", "99999999999999999999", "1e9", "", "0"):
        assert _page(client, "transport", after=after).status_code == 200


def test_unknown_area_is_404(client, world):
    assert client.get("/areas/nowhere/discussions/search?q=x").status_code == 404


def test_results_link_to_the_page_that_shows_the_post(client, app, world):
    from forum.discussions.models import POSTS_PER_PAGE

    with app.app_context():
        board = db.session.get(Board, world["boards"]["public"])
        member = db.session.get(User, world["people"]["member"])
        thread = make_thread(board, member, title="Long", body="start")
        for n in range(POSTS_PER_PAGE):
            make_post(thread, member, body="kestrel" if n == POSTS_PER_PAGE - 1 else f"post {n}")
        thread_id = thread.id
    html = _page(client, "kestrel").get_data(as_text=True)
    number = POSTS_PER_PAGE + 1
    assert f'href="/areas/north/discussions/threads/{thread_id}?page=2#post-{number}"' in html
