"""Organiser and admin pages: members and requests, area settings and partners, new areas."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import flash, request, url_for
from flask_login import current_user
from flask_wtf import csrf

from forum.accounts.queries import get_by_email
from forum.accounts.security.guard import recently_authenticated
from forum.areas import bp, renewal
from forum.areas import services as areas
from forum.areas.data_versions import kept_page
from forum.areas.forms import (
    ROLE_HINTS,
    AppointForm,
    AreaProfileForm,
    NewAreaForm,
    PartnerForm,
    RenewalForm,
    RequestsForm,
    RoleForm,
)
from forum.areas.invitations import (
    MOST_SENDS,
    count_invitations,
    select_invitations,
)
from forum.areas.models import InvitationStatus, MembershipStatus, PartnerKind, Role
from forum.areas.permissions import can_create_area, can_edit_area, can_manage_members
from forum.areas.queries import (
    MEMBER_GROUPS,
    count_by_status,
    get_membership,
    get_partner,
    load_area,
    partners_of,
    select_areas,
    select_members_in,
    select_requests,
)
from forum.extensions import db
from forum.models import utcnow
from forum.web import versions
from forum.web.auth import access
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.pagination import paginate
from forum.web.submit import accept, form_page

MANAGE_MEMBERS = (
    "Only organisers of {area.forum_name} can manage its members. If you should be one, ask "
    "an organiser of the forum to appoint you."
)
EDIT_AREA = (
    "Only organisers of {area.forum_name} can change its settings. If you should be one, ask "
    "an organiser of the forum to appoint you."
)


#: members listed on each page of a group
PER_PAGE = 20


def _members_page(area, *, appoint_form=None, requests_form=None, status=200):
    """The organisers' members page: requests to join, then members by status (active,
    invited, lapsed, left or removed) with their counts, 20 to a page, in a fixed number of
    queries however many there are."""
    partners = partners_of(area)
    group = request.args.get("status", "active")
    if group not in (*MEMBER_GROUPS, "invited"):
        group = "active"
    now = utcnow()
    state = _invitation_state(request.args.get("invited"))
    invitation_counts = count_invitations(area, now)
    if group == "invited":
        page = paginate(select_invitations(area, state, now), per_page=PER_PAGE)
    else:
        page = paginate(select_members_in(area, group), per_page=PER_PAGE, scalars=False)
    requests = paginate(select_requests(area), per_page=50, page=1, scalars=False)
    # The links each row needs, routed once a page (and only for the rows shown).
    rows = {
        "membership_id": [
            *(("approve", "decline") if requests.items else ()),
            *(("change_role", "remove_member") if group == "active" and page.items else ()),
        ],
        "invitation_id": ["resend_invitation", "withdraw_invitation"]
        if group == "invited" and page.items
        else [],
    }
    return render(
        "areas/manage/members.html",
        status=status,
        area=area,
        requests=requests,
        group=group,
        page=page,
        counts=count_by_status(area),
        statuses=MembershipStatus,
        invitation_counts=invitation_counts,
        invitation_state=state,
        invitation_states=list(InvitationStatus),
        now=now,
        most_sends=MOST_SENDS,
        partners=partners,
        appoint_form=appoint_form or AppointForm(partners=partners),
        requests_form=requests_form or RequestsForm(),
        role_hints=ROLE_HINTS,
        token=csrf.generate_csrf(),
        urls={
            name: _url_for_each(f"areas.{name}", key, area_slug=area.slug)
            for key, names in rows.items()
            for name in names
        },
    )


#: an id no row has, put in a URL to find where ids go
_ID_MARK = 987_654_321_012


def _url_for_each(endpoint: str, key: str, **values: Any) -> Callable[[int], str]:
    """`lambda id: url_for(endpoint, **{key: id}, **values)`, routed once rather than once a
    row: on a page of 70 rows with two links each, `url_for` was about 6% of the page's time."""
    values[key] = _ID_MARK
    head, tail = url_for(endpoint, **values).rsplit(str(_ID_MARK), 1)
    return lambda id_: f"{head}{id_}{tail}"


def _invitation_state(value: str | None) -> InvitationStatus:
    try:
        return InvitationStatus(value or "sent")
    except ValueError:
        return InvitationStatus.SENT


@bp.get("/areas/<area_slug>/members")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
@kept_page
def members(area):
    return _members_page(area)


def _decide(area, membership_id: int, approve: bool):
    # CSRF was checked before the view ran; deciding twice is harmless (see services).
    membership = get_membership(area, membership_id)
    decide = areas.approve if approve else areas.decline
    changed = decide(membership, actor=current_user)
    db.session.commit()
    name = membership.user.display_name
    if changed:
        message = f"{name} is now a member." if approve else f"You declined {name}'s request."
    else:
        message = f"{name}'s request had already been dealt with."
    if wants_fragment():
        return render(
            "areas/manage/_request_done.html", membership=membership, message=message, area=area
        )
    flash(message, "success")
    return redirect_after_post(url_for("areas.members", area_slug=area.slug))


@bp.post("/areas/<area_slug>/members/<int:membership_id>/approve")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def approve(area, membership_id: int):
    return _decide(area, membership_id, approve=True)


@bp.post("/areas/<area_slug>/members/<int:membership_id>/decline")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def decline(area, membership_id: int):
    return _decide(area, membership_id, approve=False)


def _names(memberships) -> str:
    return ", ".join(m.user.display_name for m in memberships)


@bp.post("/areas/<area_slug>/members/requests")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def decide_requests(area):
    """Approve or decline the ticked requests at once (no JavaScript needed: the boxes belong
    to this form through their `form` attribute). Requests already decided, by a double click
    or another organiser, are skipped and named."""
    form = RequestsForm()
    if done := form.already_done():
        return redirect_after_post(done)
    if not form.validate_on_submit():
        return _members_page(area, requests_form=form, status=422)
    approving = form.decision.data == "approve"
    decided, skipped = areas.decide_requests(
        area, form.requests.data, approving=approving, actor=current_user
    )
    here = url_for("areas.members", area_slug=area.slug)
    form.mark_done(here)
    db.session.commit()
    if decided:
        verb = "Approved" if approving else "Declined"
        flash(f"{verb} {len(decided)}: {_names(decided)}.", "success")
    if skipped:
        flash(f"Already dealt with, so left as they were: {_names(skipped)}.", "success")
    if not decided and not skipped:
        flash("Those requests are no longer waiting.", "success")
    return redirect_after_post(here)


@bp.route("/areas/<area_slug>/members/<int:membership_id>/role", methods=["GET", "POST"])
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
@recently_authenticated()
def change_role(area, membership_id: int):
    membership = get_membership(area, membership_id)
    partners = partners_of(area)
    current = {"role": membership.role.value, "partner_id": str(membership.partner_id or "")}
    form = RoleForm(partners=partners, data=current)
    done = accept(
        form,
        lambda: areas.set_role(
            membership,
            Role(form.role.data),
            partner=get_partner(area, form.partner_value),
            actor=current_user,
        ),
        refused=areas.AreaError,
        field="role",
        then=url_for("areas.members", area_slug=area.slug),
        message=_now_role,
        row=membership,
        what=f"{membership.user.display_name}'s role",
    )
    return done or form_page(
        "areas/manage/role.html", form, area=area, membership=membership, role_hints=ROLE_HINTS
    )


def _now_role(membership) -> str:
    return f"{membership.user.display_name} is now {_role_phrase(membership)}."


def _role_phrase(membership) -> str:
    if membership.role is Role.RESPONDER and membership.partner:
        return f"a responder for {membership.partner.name}"
    return (
        f"an {membership.role.value}"
        if membership.role is Role.ORGANISER
        else (f"a {membership.role.value}")
    )


@bp.post("/areas/<area_slug>/members/appoint")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
@recently_authenticated(back=lambda area: url_for("areas.members", area_slug=area.slug))
def appoint(area):
    form = AppointForm(partners=partners_of(area))

    def appoint_by_email():
        user = get_by_email(form.email.data)
        if user is None:
            raise areas.AreaError(
                "There is no account with that email address. Ask them to create one first",
                field="email",
            )
        return areas.appoint(
            area,
            user,
            Role(form.role.data),
            partner=get_partner(area, form.partner_value),
            actor=current_user,
        )

    done = accept(
        form,
        appoint_by_email,
        refused=areas.AreaError,
        field="role",
        then=url_for("areas.members", area_slug=area.slug),
        message=_now_role,
    )
    return done or _members_page(area, appoint_form=form, status=422)


def _profile_fields(form) -> dict:
    """The forum's name, description and colour, from the settings or the new-area form."""
    return {
        "forum_name": form.forum_name.data,
        "forum_description": form.forum_description.data or "",
        "brand_colour": form.brand_colour.data,
    }


@bp.route("/areas/<area_slug>/settings", methods=["GET", "POST"])
@access(can_edit_area, load=load_area, subject="area", explain=EDIT_AREA)
def settings(area):
    form = AreaProfileForm(obj=area)
    done = accept(
        form,
        lambda: areas.update_area(
            area,
            **_profile_fields(form),
            actor=current_user,
        ),
        refused=areas.AreaError,
        field="brand_colour",
        then=url_for("areas.settings", area_slug=area.slug),
        message="The forum's details have been saved.",
        row=area,
        what="the forum's details",
    )
    return done or form_page(
        "areas/manage/settings.html",
        form,
        area=area,
        partner_form=PartnerForm(),
        renewal_form=_renewal_form(area),
        partners=partners_of(area),
    )


def _renewal_form(area) -> RenewalForm:
    """The renewal setting as saved, even beside another form sent back with mistakes (it
    must not read that form's fields as its own)."""
    form = RenewalForm(
        formdata=None,
        data={"is_renewal_on": area.is_renewal_on, "renewal_days": str(area.renewal_days)},
    )
    form.submission_key.data = form.submission_key.data or secrets.token_urlsafe(12)
    return form


@bp.post("/areas/<area_slug>/partners")
@access(can_edit_area, load=load_area, subject="area", explain=EDIT_AREA)
def add_partner(area):
    form = PartnerForm()
    done = accept(
        form,
        lambda: areas.add_partner(
            area, name=form.name.data, kind=PartnerKind(form.kind.data), actor=current_user
        ),
        refused=areas.AreaError,
        field="name",
        then=url_for("areas.settings", area_slug=area.slug),
        message=lambda partner: f"{partner.name} has been added as a partner.",
    )
    profile = AreaProfileForm(obj=area)
    versions.carry(profile, area, always=True)
    return done or render(
        "areas/manage/settings.html",
        status=422,
        area=area,
        form=profile,
        partner_form=form,
        renewal_form=_renewal_form(area),
        partners=partners_of(area),
    )


@bp.post("/areas/<area_slug>/settings/renewal")
@access(can_edit_area, load=load_area, subject="area", explain=EDIT_AREA)
def renewal_settings(area):
    """Yearly renewal on or off, and how long members have to answer (forum/areas/renewal.py)."""
    form = RenewalForm()
    done = accept(
        form,
        lambda: renewal.set_renewal(
            area,
            is_on=bool(form.is_renewal_on.data),
            days=int(form.renewal_days.data),
            actor=current_user,
        ),
        refused=areas.AreaError,
        field="renewal_days",
        then=url_for("areas.settings", area_slug=area.slug),
        message=lambda _saved: (
            f"Yearly renewal is on. Members have {area.renewal_days} days to answer."
            if area.is_renewal_on
            else "Yearly renewal is off."
        ),
    )
    profile = AreaProfileForm(obj=area)
    versions.carry(profile, area, always=True)
    return done or render(
        "areas/manage/settings.html",
        status=422,
        area=area,
        form=profile,
        partner_form=PartnerForm(),
        renewal_form=form,
        partners=partners_of(area),
    )


@bp.get("/admin/areas")
@access(can_create_area, explain="Only platform administrators can manage areas.")
def admin_areas():
    return render("areas/manage/admin_areas.html", page=paginate(select_areas(), per_page=50))


@bp.route("/admin/areas/new", methods=["GET", "POST"])
@access(can_create_area, explain="Only platform administrators can create areas.")
def new_area():
    form = NewAreaForm(data={"brand_colour": "#1d70b8"})
    done = accept(
        form,
        lambda: areas.create_area(
            name=form.name.data,
            slug=form.slug.data,
            **_profile_fields(form),
            actor=current_user,
        ),
        refused=areas.AreaError,
        field="slug",
        then=lambda area: url_for("areas.settings", area_slug=area.slug),
        message=lambda area: (
            f"{area.name} has been created. Add its partners and appoint an organiser."
        ),
    )
    return done or form_page("areas/manage/new_area.html", form)
