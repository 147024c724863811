"""Newsletter pages.

Organisers (`manage`): the list of messages, writing and editing one, the "check and send"
page (preview, who gets it and how many, a test to yourself, send now or schedule), and the
progress page, which htmx refreshes every two seconds while the emails are being queued and
delivered (a reload does the same without JavaScript). Everyone (`archive`): the area's sent
messages, members-only ones for members only, and each message's page.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.extensions import db
from forum.mailings import bp
from forum.mailings.newsletters import services as newsletters
from forum.mailings.newsletters.forms import NewsletterForm, ScheduleForm, SendForm
from forum.mailings.newsletters.models import AudienceKind, NewsletterStatus
from forum.mailings.newsletters.permissions import (
    can_manage_newsletter,
    can_manage_newsletters,
    can_read_newsletter,
    can_view_archive,
    sees_members_only,
)
from forum.mailings.newsletters.queries import (
    Audience,
    consultation_choices,
    count_recipients,
    figures,
    load_newsletter,
    select_archive,
    select_for_organisers,
)
from forum.models import utcnow
from forum.web import versions
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.htmx import redirect_after_post, render
from forum.web.pagination import paginate
from forum.web.submit import accept, form_page, press

ORGANISERS = (
    "Only organisers of {area.forum_name} can write and send its messages. If you should be "
    "one, ask an organiser of the forum to appoint you."
)
MEMBERS_ONLY = (
    "This message is for members of {area.forum_name}. Sign in with your member account, or "
    "ask to join the forum from its home page."
)
AREA = "/areas/<area_slug>/newsletters"
ONE = AREA + "/<int:newsletter_id>"

manage_area = access(can_manage_newsletters, load=load_area, subject="area", explain=ORGANISERS)
manage_one = access(
    can_manage_newsletter, load=load_newsletter, subject="newsletter", explain=ORGANISERS
)


def _load_sent(kwargs: dict) -> dict:
    """A message of the archive: drafts, scheduled and withdrawn messages are not found."""
    kwargs = load_newsletter(kwargs)
    if not kwargs["newsletter"].is_out:
        abort(404)
    return kwargs


# -- the archive ----------------------------------------------------------------------------


@bp.get(AREA)
@shared_page
@access(can_view_archive, load=load_area, subject="area", explain="")
def newsletters_archive(area):
    page = paginate(select_archive(area, members_only_too=sees_members_only(current_user, area)))
    return render(
        "mailings/newsletters/archive.html",
        area=area,
        page=page,
        can_manage=can_manage_newsletters(current_user, area),
    )


@bp.get(ONE)
@shared_page
@access(can_read_newsletter, load=_load_sent, subject="newsletter", explain=MEMBERS_ONLY)
def newsletter(area, newsletter):
    return render("mailings/newsletters/message.html", area=area, newsletter=newsletter)


# -- organisers -----------------------------------------------------------------------------


@bp.get(AREA + "/manage")
@manage_area
def newsletters_manage(area):
    page = paginate(select_for_organisers(area))
    return render("mailings/newsletters/manage.html", area=area, page=page)


def _fields(form) -> dict:
    return {
        "subject": form.subject.data,
        "body": form.body.data,
        "audience": form.audience.data,
        "consultation_id": form.consultation_id.data,
        "visibility": form.visibility.data,
    }


@bp.route(AREA + "/new", methods=["GET", "POST"])
@manage_area
def newsletter_new(area):
    form = NewsletterForm(consultations=consultation_choices(area))
    done = accept(
        form,
        lambda: newsletters.create_newsletter(area, **_fields(form), actor=current_user),
        refused=newsletters.NewsletterError,
        field="subject",
        then=lambda made: made.manage_url(),
        message="Your draft is saved. Check it, then send it or choose when it goes.",
    )
    return done or form_page("mailings/newsletters/form.html", form, area=area, newsletter=None)


@bp.route(ONE + "/edit", methods=["GET", "POST"])
@manage_one
def newsletter_edit(area, newsletter):
    if not newsletter.is_editable:
        flash("This message has been sent, so it can no longer be changed.", "error")
        return redirect_after_post(newsletter.manage_url("newsletter_progress"))
    form = NewsletterForm(obj=newsletter, consultations=consultation_choices(area))
    done = accept(
        form,
        lambda: newsletters.update_newsletter(newsletter, **_fields(form), actor=current_user),
        refused=newsletters.NewsletterError,
        field="subject",
        then=newsletter.manage_url(),
        message="Your changes are saved.",
        row=newsletter,
        what="this message",
    )
    return done or form_page(
        "mailings/newsletters/form.html", form, area=area, newsletter=newsletter
    )


def _check_page(area, newsletter, *, status: int = 200, **forms):
    for name, kind in (
        ("test_form", SendForm),
        ("send_form", SendForm),
        ("schedule_form", ScheduleForm),
    ):
        if name not in forms:
            forms[name] = kind(formdata=None)
            forms[name].submission_key.data = secrets.token_urlsafe(12)
            versions.carry(forms[name], newsletter, always=True)
    reach = count_recipients(Audience.of(newsletter), utcnow())
    shown = [form for form in forms.values() if form.errors]
    return render(
        "mailings/newsletters/check.html",
        status=422 if shown else status,
        area=area,
        newsletter=newsletter,
        reach=reach,
        errors_from=shown,
        # the form with mistakes, for the page title ("Error: …")
        form=shown[0] if shown else None,
        **forms,
    )


@bp.get(ONE + "/check")
@manage_one
def newsletter_check(area, newsletter):
    if not newsletter.is_editable:
        return redirect_after_post(newsletter.manage_url("newsletter_progress"))
    return _check_page(area, newsletter)


def _already_out(newsletter):
    flash("This message has already been sent. Here is how it is going.", "success")
    return redirect_after_post(newsletter.manage_url("newsletter_progress"))


@bp.post(ONE + "/test")
@manage_one
def newsletter_test(area, newsletter):
    form = SendForm()
    if not newsletter.is_editable and not form.already_done():
        return _already_out(newsletter)
    done = accept(
        form,
        lambda: newsletters.send_test(newsletter, actor=current_user),
        refused=newsletters.NewsletterError,
        field=None,
        then=newsletter.manage_url(),
        message=f"A test is on its way to {current_user.email}. Nobody else gets it.",
    )
    return done or _check_page(area, newsletter, test_form=form)


@bp.post(ONE + "/send")
@manage_one
def newsletter_send(area, newsletter):
    form = SendForm()
    if not newsletter.is_editable and not form.already_done():
        return _already_out(newsletter)
    done = accept(
        form,
        lambda: newsletters.send_now(newsletter, actor=current_user),
        refused=newsletters.NewsletterError,
        field=None,
        then=newsletter.manage_url("newsletter_progress"),
        message="Sending has started. You can leave this page: it carries on without you.",
        row=newsletter,
        what="this message",
    )
    return done or _check_page(area, newsletter, send_form=form)


@bp.post(ONE + "/schedule")
@manage_one
def newsletter_schedule(area, newsletter):
    form = ScheduleForm()
    if not newsletter.is_editable and not form.already_done():
        return _already_out(newsletter)
    done = accept(
        form,
        lambda: newsletters.schedule(newsletter, when=form.when.data, actor=current_user),
        refused=newsletters.NewsletterError,
        field="when",
        then=newsletter.manage_url(),
        message="It is scheduled. It will go at the time you chose unless you cancel it.",
        row=newsletter,
        what="this message",
    )
    return done or _check_page(area, newsletter, schedule_form=form)


@bp.post(ONE + "/unschedule")
@manage_one
def newsletter_unschedule(area, newsletter):
    return press(
        lambda: newsletters.unschedule(newsletter, actor=current_user),
        refused=newsletters.NewsletterError,
        then=lambda: newsletter.manage_url(),
        message="It is a draft again: nothing will be sent until you send or schedule it.",
    )


@bp.post(ONE + "/delete")
@manage_one
def newsletter_delete(area, newsletter):
    back = newsletter.manage_url()
    try:
        newsletters.delete_newsletter(newsletter, actor=current_user)
        db.session.commit()
    except newsletters.NewsletterError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect_after_post(back)
    flash("The draft is deleted.", "success")
    return redirect_after_post(_manage_url(area))


@bp.post(ONE + "/withdraw")
@manage_one
def newsletter_withdraw(area, newsletter):
    return press(
        lambda: newsletters.withdraw(newsletter, actor=current_user),
        refused=newsletters.NewsletterError,
        then=lambda: newsletter.manage_url("newsletter_progress"),
        message=(
            "It is withdrawn: it is no longer in the archive, and emails not yet sent will not go."
        ),
    )


@bp.get(ONE + "/progress")
@manage_one
def newsletter_progress(area, newsletter):
    if newsletter.is_editable:
        return redirect_after_post(newsletter.manage_url())
    found = figures(newsletter)
    polling = newsletter.status is NewsletterStatus.SENDING or (
        newsletter.status is NewsletterStatus.SENT and found.waiting > 0
    )
    size = max(newsletter.audience_size, newsletter.people_done, 1)
    return render(
        "mailings/newsletters/progress.html",
        fragment="mailings/newsletters/_progress.html",
        area=area,
        newsletter=newsletter,
        figures=found,
        polling=polling,
        percent=min(100, round(100 * newsletter.people_done / size)),
        withdraw_form=SendForm(formdata=None),
        AudienceKind=AudienceKind,
    )


def _manage_url(area) -> str:
    return url_for("mailings.newsletters_manage", area_slug=area.slug)


def area_home_section(area):
    """The latest messages the person may read, on the area home page (the archive's way in),
    and for organisers a link to write one."""
    latest = list(
        db.session.scalars(
            select_archive(area, members_only_too=sees_members_only(current_user, area)).limit(3)
        )
    )
    manager = can_manage_newsletters(current_user, area)
    if not latest and not manager:
        return None
    return "mailings/newsletters/_area_home.html", {"latest": latest, "can_manage": manager}
