"""Reporting posts, and the organisers' moderation pages.

Any member who can see a post can report it (`report_post`); reporting twice is harmless and
reports are rate-limited per person. Organisers (and admins, never responders) work through
`moderation`: posts waiting for approval and reported posts, each with its text, thread,
author and reports, and actions that swap the post's row with htmx — approve, dismiss the
reports, hide with a reason, lock the thread, stop the author posting for a while. Without
JavaScript each action is a plain form that redirects back (303), or shows its mistakes on a
page of its own. `moderate_post` is one post's row on its own page, for the thread page's
"Moderate" link; `suspensions` lists who may not post now, with "Lift".

The services record every action in the audit log and email the author; "Recent moderation"
reads it back.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, request, url_for
from flask_login import current_user

from forum.areas.data_versions import kept_page
from forum.areas.queries import load_area
from forum.discussions import bp
from forum.discussions.models import PostStatus, ReportReason
from forum.discussions.moderation import services
from forum.discussions.moderation.forms import (
    SUSPEND_DAYS,
    HideForm,
    LockForm,
    ReportForm,
    RowForm,
    SuspendForm,
)
from forum.discussions.moderation.permissions import can_moderate
from forum.discussions.moderation.queries import (
    active_suspensions,
    get_post,
    get_suspended,
    is_suspended,
    load_post,
    load_thread,
    moderation_queue,
    queue_row,
    recent_moderation,
)
from forum.discussions.permissions import can_react
from forum.discussions.services import DiscussionError
from forum.extensions import db, limiter
from forum.models import utcnow
from forum.web.auth import access, safe_next
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.submit import accept, form_page, show_refusal

MODERATE = (
    "Only organisers of {area.forum_name} can moderate its discussions. If you should be one, "
    "ask an organiser of the forum to appoint you."
)
REPORT = (
    "You can report posts in discussions you can take part in. Join {area.forum_name} to take "
    "part, or go back to the discussion."
)


def moderator(load):
    return access(can_moderate, load=load, subject="area", explain=MODERATE)


def report_limit() -> str:
    return current_app.config.get("RATELIMIT_REPORTS", "20 per hour")


def _reporter_key() -> str:
    """Reports are limited per person, not per address (families share connections)."""
    if current_user.is_authenticated:
        return f"reports:user:{current_user.id}"
    return f"reports:ip:{request.remote_addr}"


# --- links ---------------------------------------------------------------------------------


def queue_url(area) -> str:
    """The area's moderation queue (the queue is the area's, so no model holds this URL)."""
    return url_for("discussions.moderation", area_slug=area.slug)


def _back(area) -> str:
    return safe_next(request.form.get("next") or request.args.get("next"), queue_url(area))


# --- reporting -----------------------------------------------------------------------------


@bp.route("/areas/<area_slug>/discussions/posts/<int:post_id>/report", methods=["GET", "POST"])
@limiter.limit(report_limit, methods=["POST"], key_func=_reporter_key)
@access(can_react, load=load_post, subject="post", explain=REPORT)
def report_post(area, post):
    thread = post.thread
    own = post.author_id == current_user.id
    form = ReportForm()
    back = post.url
    done = url_for("discussions.report_post", area_slug=area.slug, post_id=post.id) + "?sent=1"
    if request.method == "GET" and request.args.get("sent"):
        return render(
            "discussions/moderation/reported.html", area=area, post=post, thread=thread, back=back
        )
    if request.method == "POST" and not own:
        sent = accept(
            form,
            lambda: services.report_post(
                post,
                reporter=current_user,
                reason=ReportReason(form.reason.data),
                detail=form.detail.data or "",
            ),
            refused=DiscussionError,
            field="reason",
            then=done,
        )
        if sent is not None:
            return sent
    return form_page(
        "discussions/moderation/report.html",
        form,
        area=area,
        post=post,
        thread=thread,
        own=own,
        back=back,
    )


# --- the queue -----------------------------------------------------------------------------


@bp.get("/areas/<area_slug>/moderation")
@moderator(load_area)
@kept_page
def moderation(area):
    queue = moderation_queue(area)
    suspensions = active_suspensions(area)
    return render(
        "discussions/moderation/queue.html",
        area=area,
        queue=queue,
        events=recent_moderation(area),
        suspended=len(suspensions),
        suspended_ids={s.user_id for s in suspensions},
        back=queue_url(area),
        suspend_days=SUSPEND_DAYS,
    )


@bp.get("/areas/<area_slug>/moderation/posts/<int:post_id>")
@moderator(load_post)
def moderate_post(area, post):
    return _row(area, post, back=_back(area), page_only=True)


_KINDS = {"HideForm": "hide", "LockForm": "lock", "SuspendForm": "suspend"}


def _row(area, post, *, back, message=None, form=None, status=200, page_only=False):
    """The post's row for htmx, or a page with it (and a form's mistakes) without JavaScript."""
    row = queue_row(post)
    kind = _KINDS.get(type(form).__name__, "") if form is not None else ""
    if kind:
        # The error summary links to the boxes as this post's row names them.
        for name in ("why", "days"):
            if name in form:
                form[name].summary_anchor = f"{kind}-{name}-{post.id}"
    return render(
        "discussions/moderation/post.html",
        fragment=None if page_only else "discussions/moderation/_row.html",
        status=status,
        area=area,
        row=row,
        message=message,
        failed=form if form is not None and form.errors else None,
        form=form,
        failed_kind=kind,
        back=back,
        inline=wants_fragment(),
        author_suspended=bool(post.author_id) and is_suspended(area, post.author_id),
        suspend_days=SUSPEND_DAYS,
    )


def _landing(area, post) -> str:
    """Where an action on a post's row ends without JavaScript: back to its row in the queue."""
    back = _back(area)
    return f"{back}#post-row-{post.id}" if back == queue_url(area) else back


def _after(area, post, message: str):
    if wants_fragment():
        return _row(area, post, back=_back(area), message=message)
    flash(message, "success")
    return redirect_after_post(_landing(area, post))


def _row_form(area, post, form, action, *, message):
    """A form on a post's row: the new row (htmx) or 303 when done, else the row with its
    mistakes (422). `message` is called once the action is done."""
    done = accept(
        form,
        action,
        refused=DiscussionError,
        field="why",
        then=_landing(area, post),
        respond=lambda _: _after(area, post, message()),
    )
    return done or _row(area, post, back=_back(area), form=form, status=422)


def _settle(area, post, settle, *, pending: bool, done: str, already: str):
    """Approve or dismiss: a one-button action on a post's row, unless someone was first."""
    if not pending:
        return _after(area, post, already)
    settle(post, actor=current_user)
    db.session.commit()
    return _after(area, post, done)


@bp.post("/areas/<area_slug>/moderation/posts/<int:post_id>/approve")
@moderator(load_post)
def approve_post(area, post):
    return _settle(
        area,
        post,
        services.approve_post,
        pending=post.status is PostStatus.HELD,
        done="Approved. The post now shows in its thread.",
        already="This post had already been dealt with.",
    )


@bp.post("/areas/<area_slug>/moderation/posts/<int:post_id>/dismiss")
@moderator(load_post)
def dismiss_reports(area, post):
    return _settle(
        area,
        post,
        services.dismiss_reports,
        pending=bool(post.report_count) or post.status is PostStatus.REPORTED,
        done="Reports dismissed. The post shows in its thread.",
        already="The reports on this post had already been dealt with.",
    )


@bp.post("/areas/<area_slug>/moderation/posts/<int:post_id>/hide")
@moderator(load_post)
def hide_post(area, post):
    form = HideForm()
    return _row_form(
        area,
        post,
        form,
        lambda: services.hide_post(post, reason=form.why.data, actor=current_user),
        message=lambda: "Post hidden. Its author has been emailed your reason.",
    )


@bp.post("/areas/<area_slug>/moderation/posts/<int:post_id>/suspend")
@moderator(load_post)
def suspend_author(area, post):
    form = SuspendForm()
    if post.author is None:
        form.validate_on_submit()
        db.session.rollback()
        show_refusal(form, DiscussionError("This person's account has gone"))
        return _row(area, post, back=_back(area), form=form, status=422)
    return _row_form(
        area,
        post,
        form,
        lambda: services.suspend(
            post.author,
            area,
            until=utcnow() + timedelta(days=int(form.days.data)),
            reason=form.why.data,
            actor=current_user,
        ),
        message=lambda: (
            f"{post.author.display_name} cannot post for {SUSPEND_DAYS[form.days.data]}. "
            "They have been told."
        ),
    )


# --- threads -------------------------------------------------------------------------------


def _lock(area, thread, locked: bool):
    form = LockForm()
    row_post = None
    post_id = request.form.get("row", "")
    if post_id.isdigit():
        row_post = get_post(area, int(post_id))
    back = safe_next(request.form.get("next"), thread.url)

    def respond(_):
        message = (
            f"“{thread.title}” is locked: nobody can reply."
            if locked
            else f"“{thread.title}” is unlocked: members can reply again."
        )
        if row_post is not None and wants_fragment():
            return _row(area, row_post, back=back, message=message)
        flash(message, "success")
        return redirect_after_post(back)

    done = accept(
        form,
        lambda: services.set_locked(thread, locked, actor=current_user, reason=form.why.data or ""),
        refused=DiscussionError,
        field="why",
        then=back,
        respond=respond,
    )
    if done is not None:
        return done
    if row_post is not None:
        return _row(area, row_post, back=back, form=form, status=422)
    return form_page(
        "discussions/moderation/lock.html", form, area=area, thread=thread, locked=locked, back=back
    )


@bp.post("/areas/<area_slug>/discussions/threads/<int:thread_id>/lock")
@moderator(load_thread)
def lock_thread(area, thread):
    return _lock(area, thread, True)


@bp.post("/areas/<area_slug>/discussions/threads/<int:thread_id>/unlock")
@moderator(load_thread)
def unlock_thread(area, thread):
    return _lock(area, thread, False)


# --- suspensions ---------------------------------------------------------------------------


@bp.get("/areas/<area_slug>/moderation/suspensions")
@moderator(load_area)
def suspensions(area):
    return render(
        "discussions/moderation/suspensions.html",
        area=area,
        rows=active_suspensions(area),
        token_form=RowForm(),
    )


@bp.post("/areas/<area_slug>/moderation/suspensions/<int:user_id>/lift")
@moderator(load_area)
def lift_suspension(area, user_id: int):
    target = url_for("discussions.suspensions", area_slug=area.slug)
    user = get_suspended(area, user_id)
    if user is None:
        flash("That member can already post.", "success")
        return redirect_after_post(target)
    services.lift_suspension(user, area, actor=current_user)
    db.session.commit()
    flash(f"{user.display_name} can post again.", "success")
    return redirect_after_post(target)
