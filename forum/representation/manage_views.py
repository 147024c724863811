"""The organisers' pages of the representation log: meetings by month, a meeting with its
actions, the forms that record and change them, and turning an action into a commitment.
Every route checks permission on the server, whatever the page showed."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from forum.areas.queries import get_partner, load_area, partners_of
from forum.plans.models import Priority
from forum.representation import bp
from forum.representation import services as log
from forum.representation.forms import AgreedActionForm, CommitmentForm, MeetingForm
from forum.representation.models import Meeting
from forum.representation.permissions import (
    can_manage_action,
    can_manage_meeting,
    can_manage_representation,
)
from forum.representation.queries import (
    load_action,
    load_meeting,
    meetings_in_month,
    member_choices,
    members_by_id,
    month_nav,
    months_with_meetings,
    priorities_by_id,
    priority_choices,
    theme_choices,
    themes_by_id,
)
from forum.representation.views import chosen_month
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import render
from forum.web.submit import accept, form_page

BASE = "/areas/<area_slug>/representation/meetings"
MEETING = f"{BASE}/<int:meeting_id>"
ACTION = f"{MEETING}/actions/<int:action_id>"
ORGANISERS = (
    "Only organisers of {area.forum_name} can see and change its record of meetings. If you "
    "should be one, ask an organiser of the forum to appoint you."
)


def _month_url(area, month) -> str:
    return url_for("representation.meetings", area_slug=area.slug, month=f"{month:%Y-%m}")


@bp.get(BASE)
@access(can_manage_representation, load=load_area, subject="area", explain=ORGANISERS)
def meetings(area):
    months = months_with_meetings(area, public_only=False)
    month = chosen_month(months)
    return render(
        "representation/meetings.html",
        fragment="representation/_meetings.html",
        area=area,
        nav=month_nav(months, month) if month else None,
        meetings=meetings_in_month(area, month, public_only=False) if month else [],
    )


@bp.get(MEETING)
@access(can_manage_meeting, load=load_meeting, subject="meeting", explain=ORGANISERS)
def meeting(area, meeting):
    return render("representation/meeting.html", area=area, meeting=meeting, form=ActionForm())


# --- meetings ----------------------------------------------------------------------------------


def _meeting_form(area, meeting: Meeting | None = None) -> MeetingForm:
    options = {
        "partners": partners_of(area),
        "members": member_choices(area),
        "themes": theme_choices(area),
        "priorities": priority_choices(area),
    }
    if meeting is None or request.method == "POST":
        return MeetingForm(**options)
    public = [
        part
        for part, on in (
            ("meeting", meeting.is_public),
            ("raised", meeting.is_raised_public),
            ("agreed", meeting.is_agreed_public),
        )
        if on
    ]
    return MeetingForm(
        data={
            "name": meeting.name,
            "partner_id": str(meeting.partner_id or ""),
            "partner_name": meeting.partner_name,
            "held_on": meeting.held_on,
            "members": [str(p.user_id) for p in meeting.representatives if p.user_id],
            "other_people": "\n".join(
                p.name for p in meeting.representatives if p.user_id is None and p.name
            ),
            "themes": [str(t.id) for t in meeting.themes],
            "priorities": [str(p.id) for p in meeting.priorities],
            "summary": meeting.summary,
            "public": public,
        },
        **options,
    )


def _meeting_fields(area, form: MeetingForm) -> dict:
    public = form.public_parts
    return {
        "name": form.name.data or "",
        "held_on": form.held_on.data,
        "partner": get_partner(area, form.partner_value),
        "partner_name": "" if form.partner_value else (form.partner_name.data or ""),
        "members": members_by_id(area, form.members.ids),
        "other_people": form.people_names,
        "themes": themes_by_id(area, form.themes.ids),
        "priorities": priorities_by_id(area, form.priorities.ids),
        "summary": form.summary.data or "",
        "is_public": "meeting" in public,
        "is_raised_public": "raised" in public,
        "is_agreed_public": "agreed" in public,
    }


@bp.route(f"{BASE}/new", methods=["GET", "POST"])
@access(can_manage_representation, load=load_area, subject="area", explain=ORGANISERS)
def new_meeting(area):
    form = _meeting_form(area)
    done = accept(
        form,
        lambda: log.record_meeting(area, **_meeting_fields(area, form), actor=current_user),
        refused=log.RepresentationError,
        field="name",
        then=lambda meeting: meeting.url,
        message="The meeting is recorded.",
    )
    return done or form_page("representation/meeting_form.html", form, area=area, meeting=None)


@bp.route(f"{MEETING}/edit", methods=["GET", "POST"])
@access(can_manage_meeting, load=load_meeting, subject="meeting", explain=ORGANISERS)
def edit_meeting(area, meeting):
    form = _meeting_form(area, meeting)
    done = accept(
        form,
        lambda: log.update_meeting(meeting, **_meeting_fields(area, form), actor=current_user),
        refused=log.RepresentationError,
        field="name",
        then=meeting.url,
        message="Your changes are saved.",
        row=meeting,
        what="this meeting",
    )
    return done or form_page("representation/meeting_form.html", form, area=area, meeting=meeting)


@bp.route(f"{MEETING}/delete", methods=["GET", "POST"])
@access(can_manage_meeting, load=load_meeting, subject="meeting", explain=ORGANISERS)
def delete_meeting(area, meeting):
    form = ActionForm()
    name, back = meeting.name, _month_url(area, meeting.held_on)
    done = accept(
        form,
        lambda: log.delete_meeting(meeting, actor=current_user),
        refused=log.RepresentationError,
        field=None,
        then=back,
        message=f"The meeting “{name}” is deleted.",
    )
    return done or form_page(
        "representation/confirm_delete.html",
        form,
        area=area,
        meeting=meeting,
        what=f"the meeting “{name}” and its actions",
        action=url_for("representation.delete_meeting", area_slug=area.slug, meeting_id=meeting.id),
        back=meeting.url,
    )


# --- actions -----------------------------------------------------------------------------------


@bp.route(f"{MEETING}/actions/new", methods=["GET", "POST"])
@access(can_manage_meeting, load=load_meeting, subject="meeting", explain=ORGANISERS)
def new_action(area, meeting):
    form = AgreedActionForm()
    done = accept(
        form,
        lambda: log.add_action(meeting, **form.action_fields(), actor=current_user),
        refused=log.RepresentationError,
        field="text",
        then=f"{meeting.url}#actions",
        message="The action is added.",
    )
    return done or form_page(
        "representation/action_form.html", form, area=area, meeting=meeting, action=None
    )


@bp.route(f"{ACTION}/edit", methods=["GET", "POST"])
@access(can_manage_action, load=load_action, subject="action", explain=ORGANISERS)
def edit_action(area, meeting, action):
    if request.method == "POST":
        form = AgreedActionForm()
    else:
        form = AgreedActionForm(
            data={
                "text": action.text,
                "owner": action.owner,
                "due_on": action.due_on,
                "is_done": action.is_done,
            }
        )
    done = accept(
        form,
        lambda: log.update_action(action, **form.action_fields(), actor=current_user),
        refused=log.RepresentationError,
        field="text",
        then=f"{meeting.url}#action-{action.id}",
        message="The action is saved.",
        row=action,
        what="this action",
    )
    return done or form_page(
        "representation/action_form.html", form, area=area, meeting=meeting, action=action
    )


@bp.route(f"{ACTION}/delete", methods=["GET", "POST"])
@access(can_manage_action, load=load_action, subject="action", explain=ORGANISERS)
def delete_action(area, meeting, action):
    form = ActionForm()
    text = action.text
    done = accept(
        form,
        lambda: log.delete_action(action, actor=current_user),
        refused=log.RepresentationError,
        field=None,
        then=f"{meeting.url}#actions",
        message="The action is deleted.",
    )
    return done or form_page(
        "representation/confirm_delete.html",
        form,
        area=area,
        meeting=meeting,
        what=f"the action “{text}”",
        action=url_for(
            "representation.delete_action",
            area_slug=area.slug,
            meeting_id=meeting.id,
            action_id=action.id,
        ),
        back=meeting.url,
    )


@bp.route(f"{ACTION}/commitment", methods=["GET", "POST"])
@access(can_manage_action, load=load_action, subject="action", explain=ORGANISERS)
def make_commitment(area, meeting, action):
    from forum.extensions import db

    partners = partners_of(area)
    default = {"partner_id": str(meeting.partner_id or "")} if request.method == "GET" else None
    form = CommitmentForm(data=default, priorities=priority_choices(area), partners=partners)
    done = accept(
        form,
        lambda: log.make_commitment(
            action,
            priority=db.session.get(Priority, int(form.priority_id.data)),
            partner=get_partner(area, int(form.partner_id.data)),
            actor=current_user,
        ),
        refused=log.RepresentationError,
        field="priority_id",
        then=lambda commitment: commitment.url,
        message="The action is now a commitment in the plan.",
    )
    return done or form_page(
        "representation/commitment_form.html", form, area=area, meeting=meeting, action=action
    )
