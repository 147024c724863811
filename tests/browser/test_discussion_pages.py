"""The discussion pages no journey test opens, each checked with axe, with and without
JavaScript: an organiser's board forms, settings, suspensions and one post's moderation page;
an author's edit and delete pages."""

from __future__ import annotations

import pytest

from tests.browser.support import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def pages(live_server, northshire):
    from sqlalchemy import select

    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.discussions.models import Post
    from forum.extensions import db
    from tests.factories import make_board, make_person_in, make_thread

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email="ana@example.org", name="Ana Parent")
        board = make_board(area, name="Health and therapy")
        from forum.accounts.queries import get_by_email

        thread = make_thread(board, get_by_email("ana@example.org"), title="Waiting lists")
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    base = f"/areas/{northshire.slug}"
    return {
        "organiser": [
            f"{base}/discussions/new-board",
            f"{base}/discussions/settings",
            f"{base}/discussions/{board.slug}/edit",
            f"{base}/moderation/suspensions",
            f"{base}/moderation/posts/{post_id}",
        ],
        "author": [
            f"{base}/discussions/posts/{post_id}/edit",
            f"{base}/discussions/posts/{post_id}/delete",
        ],
    }


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_every_other_discussion_page_passes_axe(open_page, northshire, pages, js):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    for path in pages["organiser"]:
        organiser.goto(path)
    author = open_page(js=js)
    sign_in(author, "ana@example.org")
    for path in pages["author"]:
        author.goto(path)
