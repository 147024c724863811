"""A member's own family profile: what they tell their forum about their family, with their
consent, changed or withdrawn at any time. Only the person themselves reaches these pages;
a child's address is found only among the signed-in person's own children."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.members import bp, consent
from forum.members import services as profiles
from forum.members.forms import ChildForm, ProfileForm
from forum.members.models import CHILDREN_MAX
from forum.members.permissions import can_keep_profile
from forum.members.queries import (
    load_child,
    localities_of,
    profile_of,
    profiles_of_user,
)
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post
from forum.web.submit import accept, form_page, press

FAMILY = "/areas/<area_slug>/family"
MEMBERS_ONLY = (
    "Members of {area.forum_name} can tell the forum about their family. Ask to join the "
    "forum first."
)


def family_url(area) -> str:
    return url_for("members.family", area_slug=area.slug)


def _words(area) -> dict:
    forum = area.forum_name
    return {
        "purpose": consent.PURPOSE.format(forum=forum),
        "who_sees": consent.WHO_SEES,
        "rights": consent.RIGHTS,
        "agree": consent.AGREE.format(forum=forum),
    }


@bp.route(FAMILY, methods=["GET", "POST"])
@access(can_keep_profile, load=load_area, subject="area", explain=MEMBERS_ONLY)
def family(area):
    """The profile page: what it is for, the person's answers about themselves, and their
    children, each changed on its own page."""
    profile = profile_of(current_user, area)
    form = ProfileForm(data=_data_of(profile)) if profile is not None else ProfileForm()
    done = accept(
        form,
        lambda: profiles.save_profile(
            area, current_user, consents=bool(form.consent.data), **form.answers()
        ),
        refused=profiles.ProfileError,
        field="consent",
        then=lambda saved: family_url(area) + "#children",
        message="Your answers are saved.",
        row=profile,
        what="your answers",
    )
    return done or form_page(
        "members/family.html",
        form,
        area=area,
        profile=profile,
        words=_words(area),
        children_max=CHILDREN_MAX,
    )


def _data_of(profile) -> dict:
    return {
        name: getattr(profile, name).value if getattr(profile, name) else None
        for name in ("parent_age", "ethnicity", "young_carer", "disabled")
    }


@bp.route(FAMILY + "/children/new", methods=["GET", "POST"])
@access(can_keep_profile, load=load_area, subject="area", explain=MEMBERS_ONLY)
def new_child(area):
    profile = profile_of(current_user, area)
    if profile is None or not profile.consent_is_current:
        if request.method == "POST":
            return redirect_after_post(family_url(area))
        return redirect(family_url(area))
    localities = localities_of(area)
    form = ChildForm(localities=localities)
    done = accept(
        form,
        lambda: profiles.add_child(
            area, current_user, profile, locality_id=form.locality_id, **form.answers()
        ),
        refused=profiles.ProfileError,
        field=None,
        then=lambda child: family_url(area) + f"#child-{child.id}",
        message="The child or young person is added.",
    )
    return done or form_page(
        "members/child.html", form, area=area, child=None, localities=localities
    )


@bp.route(FAMILY + "/children/<int:child_id>/edit", methods=["GET", "POST"])
@access(can_keep_profile, load=load_child, subject="area", explain=MEMBERS_ONLY)
def edit_child(area, profile, child):
    localities = localities_of(area)
    form = ChildForm(data=ChildForm.data_of(child), localities=localities)
    done = accept(
        form,
        lambda: profiles.change_child(
            area, current_user, child, locality_id=form.locality_id, **form.answers()
        ),
        refused=profiles.ProfileError,
        field=None,
        then=lambda _: family_url(area) + f"#child-{child.id}",
        message="Your answers are saved.",
    )
    return done or form_page(
        "members/child.html", form, area=area, child=child, localities=localities
    )


@bp.post(FAMILY + "/children/<int:child_id>/remove")
@access(can_keep_profile, load=load_child, subject="area", explain=MEMBERS_ONLY)
def remove_child(area, profile, child):
    return press(
        lambda: profiles.remove_child(area, current_user, child),
        refused=profiles.ProfileError,
        then=family_url(area) + "#children",
        message="The child or young person is removed from your answers.",
    )


@bp.route(FAMILY + "/withdraw", methods=["GET", "POST"])
@access(can_keep_profile, load=load_area, subject="area", explain=MEMBERS_ONLY)
def withdraw(area):
    """Withdraw consent, with a page to confirm it: everything is deleted at once."""
    form = ActionForm()
    done = accept(
        form,
        lambda: profiles.withdraw(area, current_user),
        refused=profiles.ProfileError,
        field=None,
        then=lambda _: url_for("accounts.account"),
        message=f"You have withdrawn your agreement. Your answers about your family are "
        f"deleted, and {area.forum_name} no longer counts them.",
    )
    return done or form_page(
        "members/withdraw.html", form, area=area, profile=profile_of(current_user, area)
    )


def account_section(user):
    """`account_page_sections`: the person's family profiles, and the forums where they can
    begin one."""
    from forum.areas.models import MembershipStatus

    kept = {p.area_id: p for p in profiles_of_user(user)}
    places = [
        (m.area, kept.get(m.area_id))
        for m in user.memberships
        if m.status is MembershipStatus.ACTIVE and can_keep_profile(user, m.area)
    ]
    if not places:
        return None
    return "members/_account.html", {"places": places}


def area_home_section(area):
    """`area_home_sections`: "Who we hear from" once the report is published (and always for
    organisers); for a member, an invitation to tell the forum about their family."""
    from forum.members.permissions import can_manage_reach
    from forum.members.queries import published_and_has_profile

    organiser = can_manage_reach(current_user, area)
    member = can_keep_profile(current_user, area)
    published, profile = published_and_has_profile(current_user if member else None, area)
    if not (organiser or published or member):
        return None
    return "members/_area_home.html", {
        "organiser": organiser,
        "published": published,
        "member": member,
        "has_profile": member and profile,
    }
