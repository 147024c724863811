"""Discussions in the browser: a member starts a thread, another member says "me too" to it,
quotes it and replies inline (with htmx the new post appears without a reload and the form
clears); by mouse, by keyboard only, and with JavaScript off (every action is a plain page).
axe on every page and after every swap."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.support import focused, sign_in, tab_to

pytestmark = pytest.mark.browser

OPENING = "Our son has waited **two years** for speech therapy. Is anyone else waiting?"
REPLY = "Same for our daughter. We asked the school to write to the service."


@pytest.fixture
def board(live_server, northshire):
    """A members' board in Northshire; Ana and Ben are members."""
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from tests.factories import make_board, make_person_in

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email="ana@example.org", name="Ana Parent")
        make_person_in(area, Role.MEMBER, email="ben@example.org", name="Ben Carer")
        board = make_board(area, name="Health and therapy")
    return {
        "boards": f"/areas/{northshire.slug}/discussions",
        "board": f"/areas/{northshire.slug}/discussions/{board.slug}",
    }


def posts(live_server):
    from forum.discussions.models import Post
    from forum.extensions import db

    with live_server.app.app_context():
        return list(db.session.scalars(select(Post).order_by(Post.number)))


def start_thread(member, board) -> str:
    """Ana starts the thread with the mouse; returns its address."""
    page = member.page
    member.goto(board["boards"])
    with page.expect_navigation():
        page.get_by_role("link", name="Health and therapy").click()
    member.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start a thread").click()
    member.check()
    member.submit("Start the thread", status=422)
    assert "Enter a title" in page.locator(".govuk-error-summary").inner_text()
    member.fill_form({"Title": "Waiting for speech therapy", "Your post": OPENING})
    member.submit("Start the thread")
    assert page.get_by_role("heading", name="Waiting for speech therapy").is_visible()
    assert page.locator("#post-1 strong").inner_text() == "two years"
    return page.url.split("#")[0].removeprefix(member.base_url)


def anas_thread_open_for_ben(open_page, board, *, js: bool):
    """Ana starts the thread (with JavaScript); Ben signs in (with JavaScript or without) and
    opens it. Returns Ana's page, the thread's address and Ben's page."""
    ana = open_page(js=True)
    sign_in(ana, "ana@example.org")
    thread = start_thread(ana, board)
    ben = open_page(js=js)
    sign_in(ben, "ben@example.org")
    ben.goto(thread)
    return ana, thread, ben


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_start_reply_me_too_and_quote(open_page, live_server, board, js):
    ana, thread, ben = anas_thread_open_for_ben(open_page, board, js=js)
    page = ben.page

    # "Me too" on Ana's post.
    button = page.get_by_role("button", name="Me too (post 1)")
    assert button.get_attribute("aria-pressed") == "false"
    ben.in_place_or_page(button.click, js=js)
    button = page.get_by_role("button", name="Me too (post 1)")
    assert button.get_attribute("aria-pressed") == "true"
    assert "1 person says “me too”" in page.locator("#post-1").inner_text()
    assert posts(live_server)[0].me_too_count == 1

    # Quote it: the reply form fills in place (or opens on its own page).
    quote = page.get_by_role("link", name="Quote post 1")
    if js:
        with ben.swap():
            quote.click()
        assert focused(page)["id"] == "body", "the quoted reply has the focus"
    else:
        with page.expect_navigation():
            quote.click()
        ben.check()
    box = page.get_by_label("Your reply")
    assert box.input_value().startswith("> Ana Parent wrote:\n> Our son has waited")
    box.press("End")
    box.press("Control+End")
    page.keyboard.type(REPLY)

    # Send it: with htmx the post is added and the form clears; without, the page opens at it.
    if js:
        with ben.swap():
            page.get_by_role("button", name="Post reply").click()
            page.wait_for_selector("#post-2")
        assert page.get_by_label("Your reply").input_value() == ""
        assert "Your reply has been posted." in page.locator("#discussion-status").inner_text()
    else:
        ben.submit("Post reply")
        assert page.url.endswith("#post-2")
        assert "Your reply has been posted." in ben.banner()
    reply = page.locator("#post-2")
    assert REPLY in reply.inner_text() and "replying to post 1" in reply.inner_text()
    assert reply.locator("blockquote").count() == 1
    made = posts(live_server)
    assert [p.number for p in made] == [1, 2] and made[1].quotes_id == made[0].id

    # Ana sees the reply, marked as a reply to her post.
    ana.goto(thread)
    assert REPLY in ana.page.locator("#post-2").inner_text()


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_keyboard_only(open_page, live_server, board, js):
    ana, thread, ben = anas_thread_open_for_ben(open_page, board, js=js)
    page = ben.page

    tab_to(page, text="Me too (post 1)", tag="button")
    if js:
        with ben.swap():
            page.keyboard.press("Enter")
        assert focused(page)["text"] == "Me too (post 1)", "the focus stays on the button"
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")
        ben.check()
    assert posts(live_server)[0].me_too_count == 1

    if not js:
        ben.goto(thread)
    tab_to(page, text="Quote post 1", tag="a")
    ben.in_place_or_page(lambda: page.keyboard.press("Enter"), js=js)
    if not js:
        tab_to(page, label="Your reply")
    assert focused(page)["id"] == "body"
    page.keyboard.press("Control+End")
    page.keyboard.type(REPLY)
    tab_to(page, text="Post reply", tag="button")
    if js:
        with ben.swap():
            page.keyboard.press("Enter")
            page.wait_for_selector("#post-2")
        assert focused(page)["id"] == "post-2-by", "the new post takes the focus"
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")
        ben.check()
    assert REPLY in page.locator("#post-2").inner_text()
    assert len(posts(live_server)) == 2
