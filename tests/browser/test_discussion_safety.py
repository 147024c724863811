"""Hostile posts in a real browser: a member starts a thread whose title and post are made of
attacks, through the real form, and more of the sanitiser corpus is posted as replies; the
thread page and the search results then show them. No dialog may open (page.on("dialog") never
fires) and no script may run (window.__pwned stays undefined). CheckedPage also fails the test
on any CSP violation report, so a payload that survived the sanitiser and was only stopped by
the Content Security Policy fails here too. axe runs on every page."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.browser.support import sign_in
from tests.discussions.worlds import CASES

pytestmark = pytest.mark.browser

#: each sets window.__pwned and opens a dialog if it ever runs
PWN = "window.__pwned=1;alert(1)"
TITLE = f'<script>{PWN}</script><img src=x onerror="{PWN}">'[:150]
BODY = "\n\n".join(
    [
        f"<script>{PWN}</script>",
        f'<img src=x onerror="{PWN}">',
        f"<svg onload={PWN}>",
        f'<a href="javascript:{PWN}">click</a>',
        f"[click me](javascript:{PWN})",
        f"[click me](&#106;avascript:{PWN})",
        f"[click me](data:text/html,<script>{PWN}</script>)",
        '<a hx-get="/sign-out" hx-trigger="load" data-hx-post="/x">hx</a>',
        f'<p hx-on:htmx:load="{PWN}" hx-on::load="{PWN}">hx-on</p>',
        f'<details open ontoggle="{PWN}">x</details>',
        f'<iframe srcdoc="<script>parent.{PWN}</script>"></iframe>',
        '<style>@import "//evil.example/x.css";</style>',
        f'[x](https://a.org "t" onmouseover="{PWN}")',
        f'<math><mtext><table><mglyph><style><img src=x onerror="{PWN}">',
        f"\u202e<script>{PWN}</script>",
        "**Still here:** the words of a real post.",
    ]
)
#: the corpus in posts of at most 9,000 characters (BODY_MAX is 10,000)
CHUNKS: list[str] = []
for source in CASES:
    if CHUNKS and len(CHUNKS[-1]) + len(source) < 9_000:
        CHUNKS[-1] += "\n\n" + source
    else:
        CHUNKS.append(source[:9_000])


@pytest.fixture
def board(live_server, northshire):
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from tests.factories import make_board, make_person_in

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email="pat.parent@example.org", name="Pat Parent")
        board = make_board(area, name="Getting support", visibility="members")
        return board.slug


def _watch(checked) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    checked.page.on("dialog", on_dialog)
    return dialogs


#: attributes in user content that would run script, load something or drive htmx
_BAD_ATTRIBUTES = """(selector) => {
  const bad = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (/^(on|hx-|data-|style$|src$|srcdoc$|formaction$)/.test(name)) bad.push(name);
        if (name === 'href' && !/^(https?:|mailto:)/i.test(attr.value)) bad.push(attr.value);
      }
      if (!['P', 'BR', 'STRONG', 'EM', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'A', 'MARK'].includes(el.tagName))
        bad.push(el.tagName);
    }
  }
  return bad;
}"""


def _assert_nothing_ran(checked, dialogs, content: str):
    page = checked.page
    page.wait_for_timeout(300)  # onload/onerror/autofocus handlers would have fired by now
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(content).count() > 0
    assert page.evaluate(_BAD_ATTRIBUTES, content) == []
    assert page.locator("main script, main img, main svg, main iframe, main style").count() == 0
    checked.assert_no_problems()


def test_hostile_posts_run_nothing(open_page, live_server, northshire, board):
    checked = open_page()
    dialogs = _watch(checked)
    sign_in(checked, "pat.parent@example.org")

    checked.goto(f"/areas/{northshire.slug}/discussions/{board}/new")
    checked.fill_form({"Title": TITLE, "Your post": BODY})
    checked.submit("Start the thread")
    page = checked.page
    assert "/discussions/threads/" in page.url
    assert page.get_by_text("Still here:").is_visible()
    assert page.get_by_role("heading", level=1).inner_text().startswith("<script>")
    _assert_nothing_ran(checked, dialogs, ".app-post__body")

    # The rest of the corpus as replies (inserted, then shown as visible whatever the guard
    # thought of them), on the same thread page.
    from forum.accounts.models import User
    from forum.discussions import services
    from forum.discussions.models import Post, PostStatus, Thread
    from forum.extensions import db

    thread_id = int(page.url.split("/threads/")[1].split("#")[0].split("?")[0])
    with live_server.app.app_context():
        author = db.session.scalar(db.select(User).where(User.email == northshire.organiser_email))
        thread = db.session.get(Thread, thread_id)
        for chunk in CHUNKS:
            services.reply(thread, body=chunk, author=author)
        db.session.execute(
            update(Post).where(Post.thread_id == thread_id).values(status=PostStatus.VISIBLE)
        )
        db.session.commit()
    checked.goto(f"/areas/{northshire.slug}/discussions/threads/{thread_id}")
    assert page.locator(".app-post__body").count() == 1 + len(CHUNKS)
    _assert_nothing_ran(checked, dialogs, ".app-post__body")

    # Search results show the same words as snippets, and a hostile search on top.
    # (Only "alert" is a word here: PostgreSQL's parser drops tag-like "<script>" from its
    # index, and a search needs every word.)
    checked.goto(f"/areas/{northshire.slug}/discussions/search?q=" + "alert%20%3C%2F%3E%22%27%3B--")
    assert page.locator("mark").count() > 0
    _assert_nothing_ran(checked, dialogs, ".app-search-result p")
    with checked.swap():
        page.get_by_label("Words to look for").fill('click" onmouseover="alert(1)')
        page.get_by_role("button", name="Search").click()
    assert "q=click" in page.url
    assert page.locator("mark").count() > 0
    _assert_nothing_ran(checked, dialogs, ".app-search-result p")


@pytest.mark.parametrize("js", [True, False])
def test_searching_with_and_without_javascript(open_page, live_server, northshire, js):
    from forum.accounts.models import User
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from tests.factories import make_board, make_thread

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        author = db.session.scalar(db.select(User).where(User.email == northshire.organiser_email))
        public = make_board(area, name="Open to all", visibility="public")
        staff = make_board(area, name="Organisers", visibility="staff")
        make_thread(public, author, title="School transport", body="The bus was late <b>again</b>")
        make_thread(staff, author, title="Transport budget", body="canary transport plans")

    checked = open_page(js=js)
    dialogs = _watch(checked) if js else []
    checked.goto(f"/areas/{northshire.slug}/discussions/search")
    page = checked.page
    page.get_by_label("Words to look for").fill("transport")
    if js:
        with checked.swap():
            page.get_by_role("button", name="Search").click()
        assert page.url.endswith("/discussions/search?q=transport")
    else:
        checked.submit("Search")
    results = page.locator(".app-search-result")
    assert results.count() == 1
    assert results.first.locator("mark").first.inner_text() == "transport"
    assert "<b>again</b>" in results.first.inner_text()
    assert "canary" not in page.content()
    if js:
        _assert_nothing_ran(checked, dialogs, ".app-search-result p")
