"""Who can read and post where: every discussion route and fragment, for anonymous visitors,
members, members of another area, organisers, responders and admins, on a public, a members'
and a staff board and on the boards of a public, a members' and a draft consultation.

Each board holds a thread whose title and opening post carry a canary string; a canary must
never appear in a page, fragment, refusal, board list or area home page its reader may not
see. The pure permission functions are checked against the same table.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.discussions import permissions
from forum.discussions.models import Board, Follow, MeToo, Post, Thread
from forum.extensions import db
from tests.conftest import AuthActions
from tests.factories import (
    make_area,
    make_board,
    make_consultation,
    make_person_in,
    make_post,
    make_thread,
    make_user,
)

ROLES = ["anonymous", "member", "other area", "organiser", "responder", "admin"]
KINDS = ["public", "members", "staff", "consultation public", "consultation members", "draft"]

EMAILS = {
    "member": "member@example.org",
    "other area": "other@example.org",
    "organiser": "org@example.org",
    "responder": "resp@example.org",
    "admin": "admin@example.org",
}

READERS = {
    "public": set(ROLES),
    "members": {"member", "organiser", "responder", "admin"},
    "staff": {"organiser", "responder", "admin"},
    "consultation public": set(ROLES),
    "consultation members": {"member", "organiser", "responder", "admin"},
    # a draft is the forum's organisers' alone, as on the consultation's own page: its
    # responders are refused there, so they are refused on its board too
    "draft": {"organiser", "admin"},
}
#: readers who may also post, reply, say "me too" and follow (signed in, of the area)
POSTERS = {kind: readers - {"anonymous", "other area"} for kind, readers in READERS.items()}
MODERATORS = {"organiser", "admin"}


def canary(kind: str) -> str:
    return f"CANARY{kind.replace(' ', '')}X"


@pytest.fixture(scope="module")
def matrix(world_app):
    """Built once for the module; each test's changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        north = make_area(slug="north", name="North")
        south = make_area(slug="south", name="South")
        make_person_in(north, Role.MEMBER, email=EMAILS["member"])
        make_person_in(south, Role.MEMBER, email=EMAILS["other area"])
        make_person_in(north, Role.ORGANISER, email=EMAILS["organiser"])
        make_person_in(north, Role.RESPONDER, email=EMAILS["responder"])
        make_user(email=EMAILS["admin"], is_admin=True)
        author = make_person_in(north, Role.MEMBER, email="author@example.org", name="Author")
        consultations = {
            "consultation public": make_consultation(north, audience="public"),
            "consultation members": make_consultation(north, audience="members"),
            "draft": make_consultation(north, state="draft", audience="public"),
        }
        made = {}
        for kind in KINDS:
            if kind in consultations:
                c = consultations[kind]
                board = make_board(north, name=f"Board {canary(kind)}", consultation=c)
                page = f"/areas/north/consultations/{c.slug}/discussion"
            else:
                board = make_board(north, name=f"Board {canary(kind)}", visibility=kind)
                page = f"/areas/north/discussions/{board.slug}"
            thread = make_thread(
                board, author, title=f"Title {canary(kind)}", body=f"Body {canary(kind)}"
            )
            post = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
            made[kind] = {
                "board": board.slug,
                "board_page": page,
                "thread": thread.id,
                "post": post,
            }
        # a held post in the public board: its words are for its author and moderators
        public_thread = db.session.get(Thread, made["public"]["thread"])
        make_post(public_thread, author, "HELDCANARY ring me on 07700 900123")
        return made


def client_for(make_client, role):
    client = make_client()
    if role != "anonymous":
        AuthActions(client).login(EMAILS[role])
    return client


def refused(response) -> bool:
    """403, or (signed out) the way to the sign-in page."""
    if response.status_code == 403:
        return True
    if response.status_code in (302, 303):
        return "/sign-in" in response.headers["Location"]
    if response.status_code == 204:
        return "/sign-in" in response.headers.get("HX-Redirect", "")
    return False


def count(app, model, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return db.session.scalar(stmt)


@pytest.mark.parametrize("role", ROLES)
def test_reading(app, make_client, matrix, role):
    client = client_for(make_client, role)
    problems = []
    for kind in KINDS:
        ids = matrix[kind]
        allowed = role in READERS[kind]
        mark = canary(kind)
        thread = f"/areas/north/discussions/threads/{ids['thread']}"
        pages = {
            "board": (ids["board_page"], {}),
            "board by slug": (f"/areas/north/discussions/{ids['board']}", {}),
            "board fragment": (ids["board_page"] + "?after=0.1.0.999999", {"HX-Request": "true"}),
            "thread": (thread, {}),
            "thread fragment": (thread, {"HX-Request": "true"}),
            "thread page 2": (thread + "?page=2", {}),
        }
        for name, (url, headers) in pages.items():
            response = client.get(url, headers=headers)
            text = response.get_data(as_text=True)
            if allowed and response.status_code != 200:
                problems.append(f"{kind}/{name}: {response.status_code}, expected 200")
            if not allowed and not refused(response):
                problems.append(f"{kind}/{name}: {response.status_code}, expected a refusal")
            if not allowed and mark in text:
                problems.append(f"{kind}/{name}: canary leaked")
            if allowed and name in ("board", "thread") and f"Title {mark}" not in text:
                problems.append(f"{kind}/{name}: thread title missing")
            if allowed and name == "thread" and f"Body {mark}" not in text:
                problems.append(f"{kind}/{name}: opening post missing")
            draft_words = "until it is published" in text or "until the consultation is" in text
            if allowed and name in ("board", "thread") and draft_words != (kind == "draft"):
                problems.append(f"{kind}/{name}: says wrongly who can read a draft's board")
    for url in ("/areas/north/discussions", "/areas/north", "/areas/south"):
        text = client.get(url).get_data(as_text=True)
        for kind in KINDS:
            if role not in READERS[kind] and canary(kind) in text:
                problems.append(f"{url}: canary of {kind} leaked")
    boards = client.get("/areas/north/discussions").get_data(as_text=True)
    for kind in ("public", "members", "staff"):
        if role in READERS[kind] and f"Board {canary(kind)}" not in boards:
            problems.append(f"boards list: {kind} board missing")
    held = client.get(f"/areas/north/discussions/threads/{matrix['public']['thread']}")
    if ("HELDCANARY" in held.get_data(as_text=True)) != (role in MODERATORS):
        problems.append("held post words shown to the wrong people")
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_writing(app, make_client, matrix, role):
    client = client_for(make_client, role)
    problems = []
    for kind in KINDS:
        ids = matrix[kind]
        allowed = role in POSTERS[kind]
        mark = canary(kind)
        thread = f"/areas/north/discussions/threads/{ids['thread']}"
        post = f"/areas/north/discussions/posts/{ids['post']}"
        new = ids["board_page"] + "/new"
        gets = {
            "new thread form": new,
            "reply form": thread + "/reply",
            "quote": f"{thread}/reply?quote={ids['post']}",
            "quote fragment": f"{thread}/reply?quote={ids['post']}",
        }
        for name, url in gets.items():
            headers = {"HX-Request": "true"} if "fragment" in name else {}
            response = client.get(url, headers=headers)
            text = response.get_data(as_text=True)
            if allowed != (response.status_code == 200) or (not allowed and not refused(response)):
                problems.append(f"{kind}/{name}: {response.status_code}")
            if not allowed and mark in text:
                problems.append(f"{kind}/{name}: canary leaked")
        before = count(app, Post, thread_id=ids["thread"])
        for htmx in (False, True):
            response = client.post_form(thread + "/reply", {"body": "A reply"}, htmx=htmx)
            if not allowed and (not refused(response) or mark in response.get_data(as_text=True)):
                problems.append(f"{kind}/reply (htmx={htmx}): {response.status_code}")
            if allowed and response.status_code not in (200, 303):
                problems.append(f"{kind}/reply (htmx={htmx}): {response.status_code}")
        after = count(app, Post, thread_id=ids["thread"])
        if after - before != (2 if allowed else 0):
            problems.append(f"{kind}/reply: {after - before} posts made")
        threads = count(app, Thread)
        response = client.post_form(new, {"title": "New", "body": "Words"})
        if allowed != (
            response.status_code == 303 and "/sign-in" not in response.headers.get("Location", "")
        ):
            problems.append(f"{kind}/new thread: {response.status_code}")
        if count(app, Thread) - threads != (1 if allowed else 0):
            problems.append(f"{kind}/new thread: wrong number of threads made")
        response = client.post_form(post + "/me-too", {"on": "yes"}, htmx=True)
        made = count(app, MeToo, post_id=ids["post"])
        if allowed != (response.status_code == 200 and made == 1):
            problems.append(f"{kind}/me too: {response.status_code}, {made} made")
        if not allowed and mark in response.get_data(as_text=True):
            problems.append(f"{kind}/me too: canary leaked")
        response = client.post_form(thread + "/follow", {"following": "yes"}, htmx=True)
        readers = role in READERS[kind] and role != "anonymous"
        followed = count(app, Follow, thread_id=ids["thread"]) - 1  # the author follows
        if readers != (response.status_code == 200 and followed == 1):
            problems.append(f"{kind}/follow: {response.status_code}")
        # nobody here wrote the opening post: nobody may change or delete it
        for action in ("edit", "delete"):
            for method in ("get", "post"):
                if method == "get":
                    response = client.get(f"{post}/{action}")
                else:
                    response = client.post_form(f"{post}/{action}", {"body": "Mine now"})
                if not refused(response) or mark in response.get_data(as_text=True):
                    problems.append(f"{kind}/{action} {method}: {response.status_code}")
        with app.app_context():
            if db.session.get(Post, ids["post"]).body != f"Body {mark}":
                problems.append(f"{kind}: the opening post was changed")
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_organising(app, make_client, matrix, role):
    client = client_for(make_client, role)
    allowed = role in MODERATORS
    problems = []
    ids = matrix["members"]
    urls = [
        "/areas/north/discussions/new-board",
        "/areas/north/discussions/settings",
        f"/areas/north/discussions/{ids['board']}/edit",
    ]
    for url in urls:
        response = client.get(url)
        if allowed != (response.status_code == 200) or (not allowed and not refused(response)):
            problems.append(f"GET {url}: {response.status_code}")
    for kind in KINDS:
        response = client.post_form(
            f"/areas/north/discussions/threads/{matrix[kind]['thread']}/pin", {"pinned": "yes"}
        )
        pinned = count(app, Thread, id=matrix[kind]["thread"], is_pinned=True)
        if (allowed and role in READERS[kind]) != (response.status_code == 303 and pinned == 1):
            problems.append(f"{kind}/pin: {response.status_code}")
        if canary(kind) in response.get_data(as_text=True):
            problems.append(f"{kind}/pin: canary leaked")
    response = client.post_form(
        "/areas/north/discussions/new-board",
        {"name": "Made", "description": "", "visibility": "public"},
    )
    if allowed != (count(app, Board, name="Made") == 1):
        problems.append(f"new board: {response.status_code}")
    # a consultation's board follows its consultation: nobody edits it as a board
    response = client.get(f"/areas/north/discussions/{matrix['draft']['board']}/edit")
    if not refused(response) or canary("draft") in response.get_data(as_text=True):
        problems.append(f"edit consultation board: {response.status_code}")
    assert problems == []


def test_another_areas_ids_are_not_found(app, client, auth, matrix):
    auth.login(EMAILS["admin"])
    public = matrix["public"]
    for url in (
        f"/areas/south/discussions/threads/{public['thread']}",
        f"/areas/south/discussions/posts/{public['post']}/edit",
        f"/areas/south/discussions/{public['board']}",
    ):
        assert client.get(url).status_code == 404, url


def _user(role: str):
    if role == "anonymous":
        from flask_login import AnonymousUserMixin

        return AnonymousUserMixin()
    return db.session.scalar(select(User).where(User.email == EMAILS[role]))


@pytest.mark.parametrize("role", ROLES)
def test_permission_functions_match_the_table(app, matrix, role):
    with app.app_context():
        user = _user(role)
        for kind in KINDS:
            board = db.session.scalar(select(Board).where(Board.slug == matrix[kind]["board"]))
            assert permissions.can_view_board(user, board) == (role in READERS[kind]), kind
            assert permissions.can_post(user, board) == (role in POSTERS[kind]), kind


@pytest.mark.parametrize("role", ROLES)
def test_thread_and_board_rules_match_the_table(app, matrix, role):
    """Following needs a signed-in reader; "me too" and reporting someone who may post;
    pinning an organiser of the area; managing a board an organiser, and only for the area's
    own boards (a consultation's follows the consultation)."""
    with app.app_context():
        user = _user(role)
        for kind in KINDS:
            thread = db.session.get(Thread, matrix[kind]["thread"])
            board = thread.board
            followers = READERS[kind] - {"anonymous"}
            managers = set() if kind.startswith(("consultation", "draft")) else MODERATORS
            assert permissions.can_follow(user, thread) == (role in followers), kind
            post = db.session.get(Post, matrix[kind]["post"])  # "me too" and report
            assert permissions.can_react(user, post) == (role in POSTERS[kind]), kind
            assert permissions.can_pin(user, thread) == (role in MODERATORS), kind
            assert permissions.can_manage_board(user, board) == (role in managers), kind
