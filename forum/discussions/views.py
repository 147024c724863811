"""Reading and writing discussions: the area's boards, a board's threads, a consultation's
board, a thread's posts, and the forms to start a thread, reply, quote, edit and delete a post,
say "me too", follow a thread, and (organisers) make boards, pin threads and set the area's
rule for new members' first posts.

With htmx a reply appears at the end of the thread without a reload and the form clears,
"Quote" fills the reply form in place, and "me too" and "follow" swap just their button.
Without JavaScript every one of them is an ordinary link or form that ends with 303 See Other
to the post's anchor (or a page with the form and its mistakes).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask import current_app, flash, g, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forum.areas.data_versions import kept_for_area, made
from forum.areas.permissions import can_view_area, standing_in
from forum.areas.queries import load_area
from forum.discussions import bp
from forum.discussions import services as discussions
from forum.discussions.forms import BoardForm, EditPostForm, ReplyForm, SettingsForm, ThreadForm
from forum.discussions.models import PostStatus, Visibility
from forum.discussions.moderation.permissions import can_moderate
from forum.discussions.permissions import (
    board_visibility,
    can_edit_post,
    can_follow,
    can_manage_board,
    can_manage_boards,
    can_pin,
    can_post,
    can_react,
    can_reply,
    can_see_post_text,
    can_view_board,
    can_view_thread,
)
from forum.discussions.queries import (
    PostView,
    boards_with_counts,
    get_post,
    get_settings,
    has_me_too,
    load_board,
    load_consultation_board,
    load_post,
    load_thread,
    mine_on_page,
    parse_after,
    post_rows,
    recent_threads,
    thread_page,
)
from forum.discussions.services import DiscussionError
from forum.extensions import db, limiter
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.pagination import page_number
from forum.web.submit import accept, form_page

AREA = "/areas/<area_slug>/discussions"
BOARD = AREA + "/<board_slug>"
CONSULTATION = "/areas/<area_slug>/consultations/<slug>/discussion"
THREAD = AREA + "/threads/<int:thread_id>"
POST = AREA + "/posts/<int:post_id>"

NOT_A_MEMBER = (
    "Only members of {area.forum_name} can read or post here. If you are a parent or carer "
    "in the area, ask to join the forum from its home page."
)
ORGANISERS_ONLY = "Only organisers of {area.forum_name} can do this."
NOT_YOURS = "You can only change your own posts."


def posting_limit() -> str:
    """Posts and replies per member: enough for a conversation, too few for a flood."""
    return current_app.config.get("RATELIMIT_POSTING", "10 per minute;60 per hour")


def _poster() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


limit_posting = limiter.limit(posting_limit, key_func=_poster, methods=["POST"])


@bp.errorhandler(429)
def too_many_posts(error):
    """The app's 429 page talks about passwords; this one about posting."""
    response = render(
        "discussions/too_many.html",
        fragment="discussions/_too_many.html",
        status=429,
        area=g.get("area"),
    )
    if wants_fragment():
        response.headers["HX-Retarget"] = "#main-content"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


# --- boards --------------------------------------------------------------------------------


@bp.get(AREA)
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
def boards(area):
    return render(
        "discussions/boards.html",
        area=area,
        boards=boards_with_counts(current_user, area),
        manager=can_manage_boards(current_user, area),
    )


def area_home_section(area):
    """The area's most recently active threads the viewer can read, on its home page."""
    return "discussions/_area_home.html", {"threads": recent_threads(current_user, area)}


def _board_form(area, board, form, save, *, message):
    """New and edit board: `save(name=…, description=…, visibility=…, actor=…)` is the service."""
    done = accept(
        form,
        lambda: save(
            name=form.name.data,
            description=form.description.data or "",
            visibility=Visibility(form.visibility.data),
            actor=current_user,
        ),
        refused=DiscussionError,
        field="name",
        then=lambda saved: saved.url,
        message=message,
        row=board,
        what="this board",
    )
    return done or form_page("discussions/board_form.html", form, area=area, board=board)


@bp.route(AREA + "/new-board", methods=["GET", "POST"])
@access(can_manage_boards, load=load_area, subject="area", explain=ORGANISERS_ONLY)
def new_board(area):
    return _board_form(
        area,
        None,
        BoardForm(),
        partial(discussions.create_board, area),
        message=lambda board: f"Board “{board.name}” made.",
    )


@bp.route(BOARD + "/edit", methods=["GET", "POST"])
@access(can_manage_board, load=load_board, subject="board", explain=ORGANISERS_ONLY)
def edit_board(area, board):
    form = BoardForm(
        data=None
        if request.method == "POST"
        else {
            "name": board.name,
            "description": board.description,
            "visibility": board.visibility.value,
        }
    )
    return _board_form(
        area, board, form, partial(discussions.update_board, board), message="Board changed."
    )


@bp.route(AREA + "/settings", methods=["GET", "POST"])
@access(can_moderate, load=load_area, subject="area", explain=ORGANISERS_ONLY)
def settings(area):
    current = get_settings(area)
    form = SettingsForm(
        data=None
        if request.method == "POST"
        else {"approve_first_posts": str(current.approve_first_posts)}
    )
    done = accept(
        form,
        lambda: discussions.set_first_post_approval(
            area, int(form.approve_first_posts.data), actor=current_user
        ),
        refused=DiscussionError,
        field="approve_first_posts",
        then=url_for("discussions.boards", area_slug=area.slug),
        message="Discussion settings saved.",
        row=current,
        what="the discussion settings",
    )
    return done or form_page("discussions/settings.html", form, area=area)


def _board_page(area, board, *, consultation=None):
    after_raw = request.args.get("after")
    after = parse_after(after_raw)
    # the first thread appended by "Show more threads" takes the focus from the link
    focus_first = wants_fragment() and after is not None

    def make() -> tuple[str, bool]:
        page = thread_page(board, after) if board.id is not None else None
        more_url = board.page_url(after=page.next_after) if page and page.next_after else None
        html = render_template(
            "discussions/_threads_made.html",
            page=page,
            more_url=more_url,
            focus_first=focus_first,
        )
        return html, bool(page and page.rows)

    # The same for everyone who may read the board, until the area's discussions change.
    html, has_threads = kept_for_area(area, ("board", board.id, repr(after), focus_first), make)
    return render(
        "discussions/board.html",
        fragment="discussions/_threads.html" if after else None,
        area=area,
        board=board,
        consultation=consultation,
        threads_made=made(html),
        has_threads=has_threads,
        after=after,
        visibility=board_visibility(board),
        may_post=can_post(current_user, board),
        manager=can_manage_board(current_user, board),
    )


@bp.get(BOARD)
@shared_page
@access(can_view_board, load=load_board, subject="board", explain=NOT_A_MEMBER)
def board(area, board):
    return _board_page(area, board, consultation=board.consultation)


@bp.get(CONSULTATION)
@access(can_view_board, load=load_consultation_board, subject="board", explain=NOT_A_MEMBER)
def consultation_board(area, consultation, board):
    return _board_page(area, board, consultation=consultation)


# --- threads -------------------------------------------------------------------------------


def _new_thread(area, board, *, consultation=None, action: str):
    form = ThreadForm()

    def start():
        target = board
        if consultation is not None:
            target = discussions.consultation_board(consultation)
        return discussions.start_thread(
            target, title=form.title.data, body=form.body.data, author=current_user
        )

    done = accept(
        form,
        start,
        refused=DiscussionError,
        field="body",
        then=lambda thread: thread.url,
        message="Thread started.",
    )
    return done or form_page(
        "discussions/new_thread.html",
        form,
        area=area,
        board=board,
        consultation=consultation,
        action=action,
    )


@bp.route(BOARD + "/new", methods=["GET", "POST"])
@access(can_post, load=load_board, subject="board", explain=NOT_A_MEMBER)
@limit_posting
def new_thread(area, board):
    return _new_thread(
        area,
        board,
        consultation=board.consultation,
        action=url_for("discussions.new_thread", area_slug=area.slug, board_slug=board.slug),
    )


@bp.route(CONSULTATION + "/new", methods=["GET", "POST"])
@access(can_post, load=load_consultation_board, subject="board", explain=NOT_A_MEMBER)
@limit_posting
def consultation_new_thread(area, consultation, board):
    return _new_thread(
        area,
        board,
        consultation=consultation,
        action=url_for(
            "discussions.consultation_new_thread", area_slug=area.slug, slug=consultation.slug
        ),
    )


#: a post id that no real URL holds, to make each post's URLs from one built URL
_SOME_POST = 987_654_321_987


@dataclass
class PostControls:
    """What the viewer may do with the posts of one thread page, worked out once for the page
    (the same for every post but for whose post it is and whether it is visible)."""

    user_id: int | None
    #: "me too" and report (members who may post here; visible posts only)
    may_post: bool
    #: quote (and the reply form): may post, and the thread is not locked
    may_reply: bool
    #: the reply form is on this page, so "Quote" fills it in place
    inline: bool
    #: the CSRF token for every form on the page (None: asked for where needed)
    token: str | None
    quote_url: str
    #: each post's URLs: (the part before its id, the part after)
    me_too_url: tuple[str, str]
    report_url: tuple[str, str]
    edit_url: tuple[str, str]
    delete_url: tuple[str, str]


def post_controls(area, thread, *, inline: bool, token: str | None = None) -> PostControls:
    user = current_user
    signed_in = bool(user and user.is_authenticated)
    may_post = can_reply(user, thread)
    urls = {}
    for endpoint in ("me_too", "report_post", "edit_post", "delete_post"):
        built = url_for(f"discussions.{endpoint}", area_slug=area.slug, post_id=_SOME_POST)
        before, _, after = built.partition(str(_SOME_POST))
        urls[endpoint] = (before, after)
    return PostControls(
        user_id=user.id if signed_in else None,
        may_post=may_post,
        may_reply=may_post and not thread.is_locked,
        inline=inline,
        token=token,
        quote_url=url_for("discussions.reply", area_slug=area.slug, thread_id=thread.id)
        + "?quote=",
        me_too_url=urls["me_too"],
        report_url=urls["report_post"],
        edit_url=urls["edit_post"],
        delete_url=urls["delete_post"],
    )


def _thread_context(area, board, thread, listing, **extra) -> dict:
    user = current_user
    return {
        "area": area,
        "board": board,
        "thread": thread,
        "listing": listing,
        "visibility": board_visibility(board),
        "may_reply": can_reply(user, thread) and not thread.is_locked,
        "may_follow": can_follow(user, thread),
        "may_pin": can_pin(user, thread),
        **extra,
    }


#: posts whose words only their author and the organisers read
_NOT_SHOWN = frozenset({PostStatus.HELD.value, PostStatus.HIDDEN.value, PostStatus.REPORTED.value})


def _made_posts(
    thread, requested: int, *, moderator: bool, controls: Callable[[bool], PostControls]
) -> dict:
    """A page of posts, each made whole (`_post_parts.item`) in the shapes it can take for
    people who stand alike: said "me too" or not, their own post or not (its author sees
    the words of a post not shown to others). Nothing else of the viewer's own: the CSRF
    token is marked and put back for each person when kept (`data_versions.kept`).
    `controls(last_page)`: the buttons (on the last page "Quote" fills the form in place)."""
    parts = current_app.jinja_env.get_template("discussions/_post_parts.html").module
    rows = post_rows(thread, requested, with_revisions=moderator)
    buttons = controls(rows.page == rows.pages)
    posts = []
    for post in rows.posts:
        hidden_words = post.status in _NOT_SHOWN
        shows_text = post.status == "visible" or (hidden_words and moderator)
        others = parts.head(post, thread, shows_text, False)
        own = parts.head(post, thread, True, True) if hidden_words else others
        shapes = []
        for on, mine in ((False, False), (False, True), (True, False), (True, True)):
            if on and post.status != "visible":
                shapes.append(shapes[int(mine)])  # no "me too" on a post not shown
                continue
            head = own if mine else others
            shapes.append(
                str(
                    parts.item(
                        post.id,
                        post.number,
                        post.status,
                        post.me_too_count,
                        head,
                        on,
                        mine and post.status != "deleted",
                        buttons,
                    )
                )
            )
        # kept once: what the shapes have in common (the head, mostly), then each one's rest
        common = len(os.path.commonprefix(shapes))
        posts.append((post.id, post.author_id, shapes[0][:common], [s[common:] for s in shapes]))
    return {"page": rows.page, "pages": rows.pages, "posts": posts}


@dataclass
class ThreadListing:
    page: int
    pages: int
    #: every post of the page, made for this viewer
    posts_html: Markup
    following: bool


@bp.get(THREAD)
@shared_page
@access(can_view_thread, load=load_thread, subject="thread", explain=NOT_A_MEMBER)
def thread(area, board, thread):
    user = current_user
    requested = page_number()
    may_reply = can_reply(user, thread)
    # (asked for once for the buttons on every post; a visitor has none, and no session)
    token = generate_csrf() if user.is_authenticated else None

    def make() -> dict:
        return _made_posts(
            thread,
            requested,
            moderator=can_moderate(user, area),
            controls=lambda last_page: post_controls(area, thread, inline=last_page, token=token),
        )

    # Every post is made once for all who stand alike (and may or may not reply), until the
    # area's data changes (a post, an edit, a "me too", a report, a name, a lock); which
    # of its shapes each person gets is theirs: "me too" and their own posts.
    kept = kept_for_area(
        area,
        ("thread posts", thread.id, requested, standing_in(user, area), may_reply),
        make,
    )
    user_id = user.id if user.is_authenticated else None
    me_too, following = mine_on_page(thread, [post[0] for post in kept["posts"]], user)
    posts_html = made(
        "".join(
            common
            + rests[2 * (post_id in me_too) + (author_id is not None and author_id == user_id)]
            for post_id, author_id, common, rests in kept["posts"]
        )
    )
    listing = ThreadListing(kept["page"], kept["pages"], posts_html, following)
    last_page = listing.page == listing.pages
    # (a form is made only for someone who may reply: making one starts a session, and a
    # visitor's page is then no longer the same for everyone, so it could not be kept)
    form = ReplyForm() if last_page and may_reply else None
    return render(
        "discussions/thread.html",
        **_thread_context(area, board, thread, listing, form=form, inline=last_page),
    )


def _quote(thread, raw: str | None):
    """The post to quote, if it is a visible post of this thread."""
    if not raw or not raw.isdigit() or len(raw) > 12:
        return None
    post = get_post(thread, int(raw))
    return post if post is not None and post.status is PostStatus.VISIBLE else None


def _quoted_text(post) -> str:
    lines = post.body.splitlines()[:20]
    name = post.author.display_name if post.author else "A former member"
    return f"> {name} wrote:\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"


def _reply_form_response(area, board, thread, form, *, status=200, focus=False):
    context = _thread_context(area, board, thread, None, form=form, inline=True, focus=focus)
    response = render(
        "discussions/reply.html",
        fragment="discussions/_reply_form.html",
        status=status,
        **context,
    )
    if status == 422 and wants_fragment():
        response.headers["HX-Retarget"] = "#reply-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


@bp.route(THREAD + "/reply", methods=["GET", "POST"])
@access(can_reply, load=load_thread, subject="thread", explain=NOT_A_MEMBER)
@limit_posting
def reply(area, board, thread):
    form = ReplyForm()
    if request.method == "GET":
        quoted = _quote(thread, request.args.get("quote"))
        if quoted is not None:
            form.body.data = _quoted_text(quoted)
            form.quotes_id.data = str(quoted.id)
        return _reply_form_response(area, board, thread, form, focus=True)
    quoted = None

    def send():
        nonlocal quoted
        quoted = _quote(thread, form.quotes_id.data)
        return discussions.reply(thread, body=form.body.data, author=current_user, quotes=quoted)

    def respond(post):
        """htmx: the new post and a fresh form in place of the form; otherwise 303 to it."""
        if post is None:
            return redirect_after_post(form.already_done())
        message = _posted_message(post)
        if wants_fragment():
            return render(
                "discussions/_reply_done.html",
                **_thread_context(
                    area,
                    board,
                    thread,
                    None,
                    post=PostView.of(post, quoted.number if quoted and post.quotes_id else None),
                    shows_text=can_see_post_text(current_user, post),
                    controls=post_controls(area, thread, inline=True),
                    form=ReplyForm(formdata=None),
                    inline=True,
                    message=message,
                ),
            )
        flash(message, "success")
        return redirect_after_post(post.url)

    done = accept(
        form,
        send,
        refused=DiscussionError,
        field="body",
        then=lambda post: post.url,
        respond=respond,
    )
    return done or _reply_form_response(area, board, thread, form, status=422)


def _posted_message(post) -> str:
    if post.status is PostStatus.HELD:
        return "Your reply is waiting for an organiser. " + post.status_reason
    return "Your reply has been posted."


# --- one post ------------------------------------------------------------------------------


@bp.route(POST + "/edit", methods=["GET", "POST"])
@access(can_edit_post, load=load_post, subject="post", explain=NOT_YOURS)
def edit_post(area, board, thread, post):
    form = EditPostForm(data=None if request.method == "POST" else {"body": post.body})
    done = accept(
        form,
        lambda: discussions.edit_post(post, body=form.body.data, actor=current_user),
        refused=DiscussionError,
        field="body",
        then=lambda post: post.url,
        message=lambda p: (
            "Your post was changed. It is waiting for an organiser: " + p.status_reason
            if p.status is PostStatus.HELD
            else "Your post was changed."
        ),
        row=post,
        what="this post",
    )
    return done or form_page(
        "discussions/edit_post.html", form, area=area, board=board, thread=thread, post=post
    )


@bp.route(POST + "/delete", methods=["GET", "POST"])
@access(can_edit_post, load=load_post, subject="post", explain=NOT_YOURS)
def delete_post(area, board, thread, post):
    form = ActionForm()
    done = accept(
        form,
        lambda: discussions.delete_post(post, actor=current_user) or post,
        refused=DiscussionError,
        field=None,
        then=lambda post: post.url,
        message="Your post was removed.",
    )
    return done or form_page(
        "discussions/delete_post.html", form, area=area, board=board, thread=thread, post=post
    )


@bp.post(POST + "/me-too")
@access(can_react, load=load_post, subject="post", explain=NOT_A_MEMBER)
def me_too(area, board, thread, post):
    wanted = request.form.get("on") != "no"
    already = has_me_too(post, current_user)
    if wanted != already:
        discussions.toggle_me_too(post, current_user)
        db.session.commit()
    if wants_fragment():
        return render(
            "discussions/_me_too.html",
            area=area,
            post=post,
            on=wanted,
            may_react_here=True,
            token=None,
            announce=True,
        )
    return redirect_after_post(post.url)


@bp.post(THREAD + "/follow")
@access(can_follow, load=load_thread, subject="thread", explain=NOT_A_MEMBER)
def follow(area, board, thread):
    following = request.form.get("following") != "no"
    discussions.set_following(thread, current_user, following)
    db.session.commit()
    if wants_fragment():
        return render(
            "discussions/_follow.html",
            area=area,
            thread=thread,
            following=following,
            announce=True,
        )
    flash(
        "You are following this thread. We will email you about new replies."
        if following
        else "You have stopped following this thread.",
        "success",
    )
    return redirect_after_post(thread.url)


@bp.post(THREAD + "/pin")
@access(can_pin, load=load_thread, subject="thread", explain=ORGANISERS_ONLY)
def pin(area, board, thread):
    pinned = request.form.get("pinned") != "no"
    discussions.set_pinned(thread, pinned, actor=current_user)
    db.session.commit()
    flash(
        "Thread pinned to the top of the board." if pinned else "Thread unpinned.",
        "success",
    )
    return redirect_after_post(thread.url)
