"""Writing the representation log: meetings, their representatives, what was raised, the
actions agreed, and turning an action into a plan commitment.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A broken rule raises `RepresentationError`, whose message is safe to show beside
`field`.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.plans import services as plans
from forum.plans.models import Commitment
from forum.representation.models import Action, Meeting, Representative
from forum.web.time import LONDON

NAME_MAX = 200
PARTNER_NAME_MAX = 160
PERSON_MAX = 120
SUMMARY_MAX = 10_000
ACTION_MAX = 500
OWNER_MAX = 160
#: typed names of representatives without accounts, at most this many per meeting
PEOPLE_MAX = 30
#: how far ahead a meeting may be recorded (one that is planned), and how far back
AHEAD = timedelta(days=366)
BEHIND = timedelta(days=3653)
#: how far after the meeting an action may be due
DUE_AHEAD = timedelta(days=3653)


class RepresentationError(Refused):
    """A rule of the representation log was broken; the message is safe to show."""


def _actor_id(actor) -> int | None:
    return getattr(actor, "id", None)


def _today() -> date:
    return utcnow().astimezone(LONDON).date()


def _text(value: str | None, *, what: str, field: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise RepresentationError(f"Enter {what}", field=field)
    if len(value) > limit:
        raise RepresentationError(
            f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer", field=field
        )
    return value


def _check_held_on(held_on: date | None) -> date:
    if held_on is None:
        raise RepresentationError("Enter the date of the meeting", field="held_on")
    today = _today()
    if held_on > today + AHEAD:
        raise RepresentationError(
            "The date of the meeting must be within the next year", field="held_on"
        )
    if held_on < today - BEHIND:
        raise RepresentationError(
            "The date of the meeting must be within the last 10 years", field="held_on"
        )
    return held_on


def _check_partner(area, partner, partner_name: str) -> tuple[object, str]:
    name = _text(
        partner_name,
        what="the organisation's name",
        field="partner_name",
        limit=PARTNER_NAME_MAX,
        required=False,
    )
    if partner is not None:
        if partner.area_id != area.id:
            raise RepresentationError("Choose an organisation from the list", field="partner_id")
        return partner, ""
    if not name:
        raise RepresentationError(
            "Choose the organisation, or type its name if it is not on the list",
            field="partner_name",
        )
    return None, name


def _check_people(names: list[str]) -> list[str]:
    cleaned = []
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        if len(name) > PERSON_MAX:
            raise RepresentationError(
                f"Each name must be {PERSON_MAX} characters or fewer", field="other_people"
            )
        if name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > PEOPLE_MAX:
        raise RepresentationError(
            f"Type at most {PEOPLE_MAX} names, one on each line", field="other_people"
        )
    return cleaned


def _in_area(area, rows, what: str, field: str) -> list:
    rows = list(rows)
    if any(row.area_id != area.id for row in rows):
        raise RepresentationError(f"Choose {what} from the list", field=field)
    return rows


def _set_people(meeting: Meeting, members, names: list[str]) -> None:
    """Replace the meeting's representatives with these members and typed names, keeping the
    rows of those who stay (a former member's row is kept as it is)."""
    wanted_ids = {user.id for user in members}
    for person in list(meeting.representatives):
        if person.is_former_member:
            continue
        if person.user_id is not None and person.user_id in wanted_ids:
            wanted_ids.discard(person.user_id)
        elif person.user_id is None and person.name in names:
            names = [n for n in names if n != person.name]
        else:
            meeting.representatives.remove(person)
    for user in members:
        if user.id in wanted_ids:
            meeting.representatives.append(
                Representative(area_id=meeting.area_id, user_id=user.id, user=user)
            )
    for name in names:
        meeting.representatives.append(Representative(area_id=meeting.area_id, name=name))


def record_meeting(
    area,
    *,
    name: str,
    held_on: date | None,
    partner=None,
    partner_name: str = "",
    members=(),
    other_people: list[str] | None = None,
    themes=(),
    priorities=(),
    summary: str = "",
    is_public: bool = False,
    is_raised_public: bool = False,
    is_agreed_public: bool = False,
    actor,
) -> Meeting:
    """A meeting the forum attended. `partner` is one of the area's partner organisations, or
    None with `partner_name` for another organisation; `members` are users of the area,
    `other_people` typed names; `themes` and `priorities` are the area's."""
    meeting = Meeting(area_id=area.id, area=area, created_by_id=_actor_id(actor))
    _fill(
        meeting,
        area,
        name=name,
        held_on=held_on,
        partner=partner,
        partner_name=partner_name,
        members=members,
        other_people=other_people or [],
        themes=themes,
        priorities=priorities,
        summary=summary,
        is_public=is_public,
        is_raised_public=is_raised_public,
        is_agreed_public=is_agreed_public,
        actor=actor,
    )
    db.session.add(meeting)
    db.session.flush()
    record(
        "meeting.recorded",
        meeting,
        actor=actor,
        area=area,
        label=meeting.name,
        held_on=meeting.held_on.isoformat(),
        public=meeting.is_public,
    )
    return meeting


def update_meeting(meeting: Meeting, *, actor, **fields) -> Meeting:
    """Change a meeting; the same fields as `record_meeting`."""
    area = meeting.area
    _fill(meeting, area, actor=actor, **fields)
    db.session.flush()
    record(
        "meeting.updated",
        meeting,
        actor=actor,
        area=area,
        label=meeting.name,
        held_on=meeting.held_on.isoformat(),
        public=meeting.is_public,
        raised_public=meeting.is_raised_public,
        agreed_public=meeting.is_agreed_public,
    )
    return meeting


def _fill(
    meeting: Meeting,
    area,
    *,
    name,
    held_on,
    partner=None,
    partner_name="",
    members=(),
    other_people=None,
    themes=(),
    priorities=(),
    summary="",
    is_public=False,
    is_raised_public=False,
    is_agreed_public=False,
    actor,
) -> None:
    name = _text(name, what="the name of the meeting", field="name", limit=NAME_MAX, required=True)
    held_on = _check_held_on(held_on)
    partner, partner_name = _check_partner(area, partner, partner_name)
    members = _in_area_members(area, members)
    names = _check_people(other_people or [])
    themes = _in_area(area, themes, "themes", "themes")
    priorities = _in_area(area, priorities, "priorities", "priorities")
    summary = _text(summary, what="the summary", field="summary", limit=SUMMARY_MAX, required=False)
    meeting.name = name
    meeting.held_on = held_on
    meeting.partner_id = partner.id if partner is not None else None
    meeting.partner = partner
    meeting.partner_name = partner_name
    meeting.summary = summary
    meeting.is_public = bool(is_public)
    meeting.is_raised_public = bool(is_raised_public)
    meeting.is_agreed_public = bool(is_agreed_public)
    meeting.themes = themes
    meeting.priorities = priorities
    meeting.updated_by_id = _actor_id(actor)
    meeting.updated_at = utcnow()
    _set_people(meeting, members, names)


def _in_area_members(area, members) -> list:
    """`members` must already be the area's (the view finds them with
    `queries.members_by_id`); a user given twice counts once."""
    seen: dict[int, object] = {}
    for user in members:
        seen.setdefault(user.id, user)
    return list(seen.values())


def delete_meeting(meeting: Meeting, *, actor) -> None:
    """The meeting goes with its representatives and actions; commitments its actions became
    stay in the plan."""
    record(
        "meeting.deleted",
        meeting,
        actor=actor,
        area=meeting.area,
        label=meeting.name,
        held_on=meeting.held_on.isoformat(),
    )
    db.session.delete(meeting)
    db.session.flush()


# --- actions -----------------------------------------------------------------------------


def _check_action(meeting: Meeting, text: str, owner: str, due_on: date | None):
    text = _text(text, what="what was agreed", field="text", limit=ACTION_MAX, required=True)
    owner = _text(owner, what="who owns it", field="owner", limit=OWNER_MAX, required=False)
    if due_on is not None:
        if due_on < meeting.held_on:
            raise RepresentationError(
                "The due date must be on or after the date of the meeting", field="due_on"
            )
        if due_on > meeting.held_on + DUE_AHEAD:
            raise RepresentationError(
                "The due date must be within 10 years of the meeting", field="due_on"
            )
    return text, owner


def add_action(
    meeting: Meeting,
    *,
    text: str,
    owner: str = "",
    due_on: date | None = None,
    is_done: bool = False,
    actor,
) -> Action:
    """An action agreed at the meeting, at the end of its list."""
    text, owner = _check_action(meeting, text, owner, due_on)
    last = db.session.scalar(
        select(func.coalesce(func.max(Action.position), 0)).where(Action.meeting_id == meeting.id)
    )
    action = Action(
        meeting_id=meeting.id,
        area_id=meeting.area_id,
        text=text,
        owner=owner,
        due_on=due_on,
        is_done=bool(is_done),
        position=int(last or 0) + 1,
    )
    meeting.actions.append(action)
    db.session.flush()
    record("meeting.action_added", action, actor=actor, area=meeting.area, label=text)
    return action


def update_action(
    action: Action, *, text: str, owner: str, due_on: date | None, is_done: bool, actor
) -> Action:
    text, owner = _check_action(action.meeting, text, owner, due_on)
    action.text, action.owner, action.due_on, action.is_done = text, owner, due_on, bool(is_done)
    db.session.flush()
    record(
        "meeting.action_updated",
        action,
        actor=actor,
        area=action.meeting.area,
        label=text,
        done=action.is_done,
    )
    return action


def delete_action(action: Action, *, actor) -> None:
    record(
        "meeting.action_deleted", action, actor=actor, area=action.meeting.area, label=action.text
    )
    action.meeting.actions.remove(action)
    db.session.delete(action)
    db.session.flush()


def make_commitment(action: Action, *, priority, partner, actor) -> Commitment:
    """Turn an agreed action into a commitment under `priority` of the area's plan, owned by
    `partner` (the meeting's organisation when it is one of the area's partners), with the
    action's words and due date; the action keeps the link. Refused when it already has one."""
    meeting = action.meeting
    if action.commitment_id is not None:
        raise RepresentationError("This action is already a commitment in the plan")
    if priority is None or priority.area_id != meeting.area_id:
        raise RepresentationError("Choose a priority from the list", field="priority_id")
    if partner is None or partner.area_id != meeting.area_id:
        raise RepresentationError(
            "Choose the organisation that owns the commitment", field="partner_id"
        )
    title, description = action.text, ""
    if len(title) > plans.TITLE_MAX:
        # The whole wording goes in the description; the title is its start.
        title, description = title[: plans.TITLE_MAX - 1].rstrip() + "…", action.text
    # The meeting is not named in the commitment's own words: the commitment page says where
    # it was agreed only to those who may see the meeting (hooks.commitment_page_sections).
    try:
        commitment = plans.add_commitment(
            priority,
            partner=partner,
            title=title,
            description=description,
            due_on=action.due_on,
            actor=actor,
        )
    except plans.PlanError as exc:
        raise RepresentationError(str(exc), field="priority_id") from exc
    action.commitment_id, action.commitment = commitment.id, commitment
    db.session.flush()
    record(
        "meeting.action_committed",
        action,
        actor=actor,
        area=meeting.area,
        label=action.text,
        commitment=commitment.id,
    )
    return commitment
