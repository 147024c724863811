"""Moderation in the browser: a member reports a post, the organiser finds it in the
moderation queue and hides it with a reason (with htmx the post's row swaps in place; without
JavaScript the form redirects back to the queue), and the author sees the reason in the thread
and in an email. axe on every page and after every swap."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import sign_in

pytestmark = pytest.mark.browser

BODY = "The school keeps cancelling our meetings and the head was rude to me again."
REASON = "Please talk about the service, not named staff."


@pytest.fixture
def discussion(live_server, northshire):
    """A members' board in Northshire with Ana's thread; Ben is another member."""
    from sqlalchemy import select

    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.discussions.models import Post
    from forum.extensions import db
    from tests.factories import make_board, make_person_in, make_thread

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        ana = make_person_in(area, Role.MEMBER, email="ana@example.org", name="Ana Author")
        make_person_in(area, Role.MEMBER, email="ben@example.org", name="Ben Reporter")
        board = make_board(area, name="Getting support")
        thread = make_thread(board, ana, title="Meetings with school", body=BODY)
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    area_path = f"/areas/{northshire.slug}"
    return {
        "thread": f"{area_path}/discussions/threads/{thread.id}",
        "report": f"{area_path}/discussions/posts/{post_id}/report",
        "queue": f"{area_path}/moderation",
        "row": f"#post-row-{post_id}",
    }


def report_it(member, discussion) -> None:
    page = member.page
    member.goto(discussion["thread"])
    with page.expect_navigation():
        page.get_by_role("link", name="Report post 1").click()
    member.check()
    assert page.url.endswith(discussion["report"])
    assert BODY in page.locator("main").inner_text()
    page.get_by_label("It is unkind, rude or bullying").check()
    page.get_by_label("Anything else the organisers should know").fill("It names the head")
    member.submit("Send report")
    assert "Thank you. An organiser will look at it." in page.locator("main").inner_text()


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_report_then_hide_with_a_reason(open_page, live_server, northshire, discussion, js):
    member = open_page(js=js)
    sign_in(member, "ben@example.org")
    report_it(member, discussion)

    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(discussion["queue"])
    page = organiser.page
    row = page.locator(discussion["row"])
    assert "Reported by 1 member" in row.inner_text()
    assert "It names the head" in row.inner_text() and BODY in row.inner_text()

    row.locator("summary", has_text="Hide this post").click()
    hide = row.get_by_role("button", name=re.compile(r"^Hide post"))
    if js:
        # A missing reason is explained in the row, which swaps in place (422).
        with organiser.swap():
            hide.click()
            page.wait_for_selector(f"{discussion['row']} .govuk-error-message")
        assert "Say why the post is hidden" in row.inner_text()
        row.get_by_label("Why are you hiding it?").fill(REASON)
        with organiser.swap():
            row.get_by_role("button", name=re.compile(r"^Hide post")).click()
            page.wait_for_selector(f"{discussion['row']} .app-mod-row__message")
        assert "Post hidden" in row.inner_text()
        assert page.evaluate("document.activeElement.classList.contains('app-mod-row__message')")
    else:
        with page.expect_navigation():
            hide.click()
        organiser.check()
        assert page.title().startswith("Error: ")
        assert "Say why the post is hidden" in page.locator(".govuk-error-summary").inner_text()
        # The form comes back open, with the message beside the box.
        page.get_by_label("Why are you hiding it?").fill(REASON)
        organiser.submit(re.compile(r"^Hide post"))
        assert "Post hidden" in organiser.banner()
        assert "No posts have been reported" in page.locator("main").inner_text()
    organiser.goto(discussion["queue"])
    assert REASON in page.locator("table").inner_text(), "recorded under Recent moderation"

    # The author sees the reason in the thread, and was emailed it.
    author = open_page(js=js)
    sign_in(author, "ana@example.org")
    author.goto(discussion["thread"])
    assert REASON in author.page.locator("main").inner_text()
    live_server.deliver_email()
    email = live_server.inbox.wait_for("ana@example.org")[-1]
    from tests.conftest import body_of

    assert REASON in body_of(email)
