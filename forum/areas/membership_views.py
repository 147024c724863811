"""Membership tools: inviting people by email (one address or a CSV list), withdrawing and
re-sending invitations, accepting one, removing a member with a reason, leaving a forum,
and answering the yearly renewal question (or renewing after a lapse)."""

from __future__ import annotations

from typing import cast

from flask import flash, request, url_for
from flask_login import current_user

from forum.areas import bp, invitations
from forum.areas import renewal as yearly
from forum.areas import services as areas
from forum.areas.forms import InviteForm, InviteListForm, RemoveForm
from forum.areas.invitations import InvitationError, Row
from forum.areas.manage_views import MANAGE_MEMBERS
from forum.areas.models import Membership, MembershipStatus
from forum.areas.permissions import (
    can_answer_renewal,
    can_leave,
    can_manage_members,
    can_renew,
    membership_in,
)
from forum.areas.queries import get_membership, load_area
from forum.extensions import db
from forum.web.auth import access, public, to_sign_in
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render
from forum.web.submit import accept, accept_upload, form_page, press


def _members_url(area, **values) -> str:
    return url_for("areas.members", area_slug=area.slug, **values)


# -- inviting ----------------------------------------------------------------------------------


def _invite_page(area, form=None, list_form=None, problems=None):
    form = form or InviteForm()
    list_form = list_form or InviteListForm()
    status = 422 if (form.errors or list_form.errors or problems) else 200
    return render(
        "areas/manage/invite.html",
        status=status,
        area=area,
        invite_form=form,
        list_form=list_form,
        problems=problems,
        most_rows=invitations.MOST_ROWS,
        valid_days=invitations.VALID_FOR.days,
    )


def _invited_message(made) -> str:
    if len(made) == 1:
        return "Invitation sent. They become a member when they accept it."
    return f"{len(made)} invitations sent. Each person becomes a member when they accept."


@bp.route("/areas/<area_slug>/members/invite", methods=["GET", "POST"])
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def invite(area):
    """Invite one person by email."""
    form = InviteForm()
    done = accept(
        form,
        lambda: invitations.invite(
            area, [Row(1, form.email.data or "", form.name.data or "")], actor=current_user
        ),
        refused=InvitationError,
        field="email",
        then=_members_url(area, status="invited"),
        message=_invited_message,
    )
    return done or _invite_page(area, form=form)


@bp.post("/areas/<area_slug>/members/invite/list")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def invite_list(area):
    """Invite everyone on a CSV list: every row is checked first, and one problem anywhere
    means nobody is invited and each problem is listed by row."""
    form = InviteListForm()
    done, checked = accept_upload(
        form,
        limit=invitations.MAX_BYTES,
        check=lambda data: invitations.check_file(area, data),
        keep=lambda checked: invitations.invite(
            area, cast(invitations.Checked, checked).rows, actor=current_user
        ),
        refused=InvitationError,
        then=_members_url(area, status="invited"),
        message=_invited_message,
        missing="Choose a CSV file",
        fix_rows="Nobody was invited. Fix the rows listed below, then upload the file again.",
    )
    if done:
        return done
    problems = cast(invitations.Checked, checked).problems if checked is not None else None
    if problems and len(problems) == 1 and problems[0].row == 0:
        problems = None  # said beside the field
    return _invite_page(area, list_form=form, problems=problems)


@bp.post("/areas/<area_slug>/invitations/<int:invitation_id>/withdraw")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def withdraw_invitation(area, invitation_id: int):
    invitation = invitations.get_invitation(area, invitation_id)
    done = invitations.withdraw(invitation, actor=current_user)
    db.session.commit()
    flash(
        "Invitation withdrawn. Its link no longer works."
        if done
        else "That invitation had already been accepted or withdrawn.",
        "success",
    )
    return redirect_after_post(_members_url(area, status="invited"))


@bp.post("/areas/<area_slug>/invitations/<int:invitation_id>/resend")
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def resend_invitation(area, invitation_id: int):
    invitation = invitations.get_invitation(area, invitation_id)
    return press(
        lambda: invitations.resend(invitation, actor=current_user),
        refused=InvitationError,
        then=_members_url(area, status="invited"),
        message="Invitation sent again, with a new link. The old link no longer works.",
    )


# -- accepting (the invited person) -----------------------------------------------------------


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def invitation(token: str):
    """The link in the invitation email. The token is all the authority it has; accepting
    needs someone signed in (who may first create an account, coming back here after)."""
    found = invitations.find_by_token(token)
    if found is None:
        return render("areas/invitation_invalid.html", status=404)
    area = found.area
    form = ActionForm()
    if done := form.already_done():
        return redirect_after_post(done)
    problem = invitations.refusal(found)
    membership = membership_in(current_user, area)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return to_sign_in()
        accepted = accept(
            form,
            lambda: invitations.accept(found, current_user),
            refused=InvitationError,
            field=None,
            then=area.url,
            message=f"Welcome. You are now a member of {area.forum_name}.",
        )
        if accepted:
            return accepted
        problem = problem or (form.form_errors[0] if form.form_errors else None)
    here = url_for("areas.invitation", token=token)
    return render(
        "areas/invitation.html",
        status=422 if request.method == "POST" else 200,
        area=area,
        invitation=found,
        form=form,
        problem=problem,
        is_member=membership is not None and membership.status is MembershipStatus.ACTIVE,
        register=url_for("accounts.register", next=here),
        sign_in=url_for("accounts.sign_in", next=here),
    )


# -- removing a member (organisers) ----------------------------------------------------------


@bp.route("/areas/<area_slug>/members/<int:membership_id>/remove", methods=["GET", "POST"])
@access(can_manage_members, load=load_area, subject="area", explain=MANAGE_MEMBERS)
def remove_member(area, membership_id: int):
    """Confirm, with a reason kept for organisers; the person is told by email."""
    membership = get_membership(area, membership_id)
    form = RemoveForm()
    name = membership.user.display_name
    done = accept(
        form,
        lambda: areas.remove_member(membership, reason=form.reason.data or "", actor=current_user),
        refused=areas.AreaError,
        field="reason",
        then=_members_url(area),
        message=f"{name} has been removed from the forum. We have emailed them.",
    )
    return done or form_page("areas/manage/remove.html", form, area=area, membership=membership)


# -- leaving, renewing (members) --------------------------------------------------------------


def _own(area) -> Membership:
    """The signed-in person's membership (the permission check has found it already)."""
    membership = membership_in(current_user, area)
    assert membership is not None
    return membership


@bp.route("/areas/<area_slug>/leave", methods=["GET", "POST"])
@access(
    can_leave,
    load=load_area,
    subject="area",
    explain="You are not a member of {area.forum_name}, so there is nothing to leave.",
)
def leave(area):
    membership = _own(area)
    form = ActionForm()
    done = accept(
        form,
        lambda: areas.leave(membership, actor=current_user),
        refused=areas.AreaError,
        field=None,
        then=url_for("accounts.account"),
        message=f"You have left {area.forum_name}. You will not get its member emails.",
    )
    return done or form_page(
        "areas/leave.html",
        form,
        area=area,
        membership=membership,
        is_last_organiser=areas.is_last_organiser(membership),
    )


@bp.post("/areas/<area_slug>/renew")
@access(
    can_renew,
    load=load_area,
    subject="area",
    explain="Your membership of {area.forum_name} has not lapsed, so there is nothing to renew.",
)
def renew(area):
    """A lapsed member renews from their account page: one button."""
    membership = _own(area)
    return press(
        lambda: areas.renew_lapsed(membership, actor=current_user),
        refused=areas.AreaError,
        then=url_for("accounts.account"),
        message=f"Welcome back. You are a member of {area.forum_name} again.",
    )


@bp.post("/areas/<area_slug>/renewal/confirm")
@access(
    can_answer_renewal,
    load=load_area,
    subject="area",
    explain="There is no question about staying in {area.forum_name} waiting for your answer.",
)
def confirm_renewal(area):
    """Answer the yearly question from the account page: one button."""
    membership = _own(area)
    return press(
        lambda: renewal_answer(membership),
        refused=areas.AreaError,
        then=url_for("accounts.account"),
        message=f"Thank you. You are a member of {area.forum_name} for another year.",
    )


@bp.route("/renew/<token>", methods=["GET", "POST"])
@public
def renewal(token: str):
    """The link in the yearly renewal email: a page with one button (a GET changes nothing).
    Works without signing in: the signed token names the membership and the question."""
    membership = renewal_membership(token)
    if membership is None:
        return render("areas/renewal_done.html", status=404)
    area = membership.area
    form = ActionForm()
    done = accept(
        form,
        lambda: renewal_answer(membership),
        refused=areas.AreaError,
        field=None,
        then=area.url,
        message=f"Thank you. You are a member of {area.forum_name} for another year.",
    )
    return done or form_page("areas/renewal.html", form, area=area, membership=membership)


def renewal_membership(token: str):
    membership = yearly.find_by_token(token)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        return None
    return membership


def renewal_answer(membership):
    if not yearly.answer(membership, actor=membership.user):
        raise areas.AreaError("You have already answered.")
    return membership
