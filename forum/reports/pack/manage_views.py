"""The organisers' pages of the inspection evidence pack: choosing the window and previewing
it, making a share for a named partner, seeing when its link was opened, and revoking it.
Every route checks on the server that the person organises this area's forum."""

from __future__ import annotations

from datetime import date, timedelta

from flask import request, session, url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.models import utcnow
from forum.reports import bp
from forum.reports.pack import services as sharing
from forum.reports.pack.forms import ShareForm, WindowForm
from forum.reports.pack.permissions import can_manage_packs, can_manage_share
from forum.reports.pack.queries import build_pack, load_share, shares_of, views_of
from forum.reports.periods import Period, PeriodError, checked
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import render
from forum.web.submit import accept, form_page, show_refusal
from forum.web.time import LONDON
from forum.web.urls import external_url

PACK = "/areas/<area_slug>/inspection-pack"
SHARE = f"{PACK}/shares/<int:share_id>"
ORGANISERS = (
    "Only organisers of {area.forum_name} can prepare and share its inspection evidence pack. "
    "If you should be one, ask an organiser of the forum to appoint you."
)
#: the session key under which a new share's link waits to be shown, once
_NEW_LINK = "pack_new_link"


def _today() -> date:
    return utcnow().astimezone(LONDON).date()


def default_window(today: date) -> Period:
    """The year up to today: what an inspection usually asks about first."""
    try:
        start = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = date(today.year - 1, 3, 1)
    return Period(start, today)


def _window_form() -> WindowForm:
    """The window from the query string, or today's default when none was sent."""
    if any(key.startswith(("start-", "end-")) for key in request.args):
        return WindowForm(formdata=request.args, meta={"csrf": False})
    window = default_window(_today())
    return WindowForm(
        formdata=None, data={"start": window.start, "end": window.end}, meta={"csrf": False}
    )


def _checked_window(form: WindowForm) -> Period | None:
    """The window the form names, or None with the reason beside its field."""
    form.validate()
    if form.errors:
        return None
    try:
        return checked(form.start.data, form.end.data, _today())
    except PeriodError as exc:
        show_refusal(form, exc, "start")
        return None


def _home(area, form: WindowForm, *, status: int = 200):
    now = utcnow()
    return render(
        "reports/pack/index.html",
        status=status,
        area=area,
        form=form,
        shares=shares_of(area),
        now=now,
    )


@bp.get(PACK)
@access(can_manage_packs, load=load_area, subject="area", explain=ORGANISERS)
def pack_home(area):
    return _home(area, _window_form())


@bp.get(f"{PACK}/preview")
@access(can_manage_packs, load=load_area, subject="area", explain=ORGANISERS)
def pack_preview(area):
    form = _window_form()
    period = _checked_window(form)
    if period is None:
        return _home(area, form, status=422)
    return render(
        "reports/pack/preview.html",
        fragment="reports/pack/_pack.html",
        area=area,
        pack=build_pack(area, period, utcnow()),
        share_url=url_for(
            "reports.new_pack_share",
            area_slug=area.slug,
            **{
                f"{name}-{part}": getattr(day, part)
                for name, day in (("start", period.start), ("end", period.end))
                for part in ("day", "month", "year")
            },
        ),
    )


def _share_form() -> ShareForm:
    if request.method == "POST":
        return ShareForm()
    today = _today()
    window = default_window(today)
    if any(key.startswith(("start-", "end-")) for key in request.args):
        chosen = WindowForm(formdata=request.args, meta={"csrf": False})
        if chosen.validate() and chosen.start.data and chosen.end.data:
            window = Period(chosen.start.data, chosen.end.data)
    return ShareForm(
        data={
            "start": window.start,
            "end": window.end,
            "expires_on": sharing.default_expiry(today),
        }
    )


def _created(made) -> object:
    share, token = made
    # Shown once on the share's page, then gone: only the token's hash is stored.
    session[_NEW_LINK] = {"share": share.id, "token": token}
    return share


@bp.route(f"{PACK}/shares/new", methods=["GET", "POST"])
@access(can_manage_packs, load=load_area, subject="area", explain=ORGANISERS)
def new_pack_share(area):
    form = _share_form()
    done = accept(
        form,
        lambda: _created(
            sharing.create_share(
                area,
                partner_name=form.partner_name.data or "",
                organisation=form.organisation.data or "",
                start=form.start.data,
                end=form.end.data,
                expires_on=form.expires_on.data,
                actor=current_user,
            )
        ),
        refused=(sharing.PackError, PeriodError),
        field="partner_name",
        then=lambda share: share.url,
        message="The link is made. Copy it now: it is shown only once.",
    )
    return done or form_page("reports/pack/share_form.html", form, area=area)


@bp.get(SHARE)
@access(can_manage_share, load=load_share, subject="share", explain=ORGANISERS)
def pack_share(area, share):
    waiting = session.get(_NEW_LINK)
    link = None
    if isinstance(waiting, dict) and waiting.get("share") == share.id:
        session.pop(_NEW_LINK)
        link = external_url("reports.shared_pack", token=waiting.get("token", ""))
    return render(
        "reports/pack/share.html",
        area=area,
        share=share,
        link=link,
        views=views_of(share),
        now=utcnow(),
        form=ActionForm(),
    )


@bp.route(f"{SHARE}/revoke", methods=["GET", "POST"])
@access(can_manage_share, load=load_share, subject="share", explain=ORGANISERS)
def revoke_pack_share(area, share):
    form = ActionForm()
    done = accept(
        form,
        lambda: sharing.revoke_share(share, actor=current_user),
        refused=sharing.PackError,
        field=None,
        then=share.url,
        message=f"The link for {share.partner_name} is revoked: it no longer opens the pack.",
    )
    return done or form_page("reports/pack/revoke.html", form, area=area, share=share)


def area_home_section(area):
    """A link to the pack on the area home, for the forum's organisers only."""
    if not can_manage_packs(current_user, area):
        return None
    return "reports/pack/_area_home.html", {}
