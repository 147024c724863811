"""Public area pages: the list of areas, an area's home page, asking to join."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from forum import hooks
from forum.areas import bp
from forum.areas import services as areas
from forum.areas.data_versions import kept_for_area, made
from forum.areas.forms import JoinForm
from forum.areas.permissions import can_ask_to_join, can_view_area, membership_in, standing_in
from forum.areas.queries import count_members, load_area, partners_of, select_areas
from forum.disclosure import count_of
from forum.extensions import db
from forum.models import utcnow
from forum.web.auth import NotAllowed, access, public, safe_next, to_sign_in
from forum.web.caching import shared_page
from forum.web.htmx import redirect_after_post, render
from forum.web.pagination import paginate


@bp.get("/")
@shared_page
@public
def index():
    page = paginate(select_areas(), per_page=24)
    return render("areas/index.html", fragment="areas/_area_list.html", page=page)


@bp.get("/areas/<area_slug>")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
def home(area):
    about = kept_for_area(area, ("area home about",), lambda: _about(area))
    return render(
        "areas/home.html",
        area=area,
        about={name: made(html) for name, html in about.items()},
        membership=membership_in(current_user, area),
        sections=home_sections(area),
    )


def _about(area) -> dict[str, str]:
    """What the area home shows the same to everyone, made: the forum's own description, and
    the side column with its partners and how many members it has."""
    counts = count_members(area)
    return {
        "description": render_template("areas/_home_description.html", area=area),
        "aside": render_template(
            "areas/_home_aside.html",
            partners=partners_of(area),
            # the home page is public: the number of members is published like any count
            members=count_of(sum(counts.values()), exact=False),
        ),
    }


def home_sections(area) -> list[str]:
    """The sections higher areas add to the area home, made. Those that are the same for
    everyone who stands where this person does are kept until the area's data changes (and at
    most ten minutes, as "running late" moves on with the clock); personal ones are made for
    each request."""
    providers = list(hooks.area_home_sections)

    def make(provider) -> str:
        found = provider.target(area)
        if found is None:
            return ""
        template, context = found
        return render_template(template, section=context, area=area)

    def shared() -> list[str]:
        return ["" if p.personal else make(p) for p in providers]

    moment = utcnow().strftime("%Y-%m-%d %H:%M")[:-1]  # ten-minute steps
    kept = kept_for_area(area, ("area home", standing_in(current_user, area), moment), shared)
    sections = [make(p) if p.personal else html for p, html in zip(providers, kept, strict=True)]
    return [made(section) for section in sections if section]


@bp.get("/areas/<area_slug>/privacy")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
def privacy(area):
    """The privacy notice, naming the forum as the one responsible for what people give it."""
    return render("web/privacy.html", area=area)


@bp.route("/areas/<area_slug>/join", methods=["GET", "POST"])
@access(can_view_area, load=load_area, subject="area", explain="")
def join(area):
    """Ask to join. Checked here rather than by the decorator so that people who have already
    asked (or double-clicked) are taken to the area instead of an error."""
    if not current_user.is_authenticated:
        return to_sign_in()
    form = JoinForm()
    if done := form.already_done():
        return redirect_after_post(done)
    # Asked from a consultation's page: go back there afterwards. Only a path on this site.
    next_url = safe_next(request.values.get("next"), "") or None
    home = next_url or url_for("areas.home", area_slug=area.slug)
    if not can_ask_to_join(current_user, area):
        if membership_in(current_user, area) is not None:
            return redirect_after_post(home) if request.method == "POST" else redirect(home)
        raise NotAllowed(
            f"You can ask to join {area.forum_name} once you have confirmed your email "
            "address. Go to your account to get a new confirmation link."
        )
    if form.validate_on_submit():
        try:
            areas.ask_to_join(
                area,
                current_user,
                note=form.note.data or "",
                wants_newsletters=bool(form.wants_newsletters.data),
            )
            form.mark_done(home)
            db.session.commit()
        except IntegrityError:
            # A double click raced the first request, which already saved it.
            db.session.rollback()
        flash(
            f"Thank you. The organisers of {area.forum_name} will look at your request; "
            "we will email you when they have.",
            "success",
        )
        return redirect_after_post(home)
    return render(
        "areas/join.html",
        status=422 if form.errors else 200,
        area=area,
        form=form,
        next_url=next_url,
    )
