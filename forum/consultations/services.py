"""Writing consultations and moving them through their lifecycle.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. Lifecycle moves check the current state and raise `ConsultationError` (whose message
is safe to show) when the move does not make sense.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from forum import hooks
from forum.audit.services import record
from forum.consultations.models import (
    Audience,
    Consultation,
    ConsultationKind,
    ConsultationState,
    DateChange,
    DateChangeKind,
    DateField,
)
from forum.consultations.queries import slug_taken
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow

#: the response is due this long after closing unless the organiser sets another date
RESPONSE_DUE_AFTER = timedelta(weeks=12)
#: the longest reason for a change of dates (shown publicly on the consultation page)
REASON_MAX = 500


class ConsultationError(Refused):
    """A lifecycle rule was broken; the message is safe to show."""


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or "consultation"


def unique_slug(area, title: str) -> str:
    base = slugify(title)
    slug, n = base, 2
    while slug_taken(area, slug):
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_dates(opens_at: datetime, closes_at: datetime, response_due_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ConsultationError("The closing date must be after the opening date")
    if response_due_at < closes_at:
        raise ConsultationError("The response due date must be on or after the closing date")


def clean_reason(reason: str, *, what: str) -> str:
    """A reason in plain words: required, one paragraph, at most `REASON_MAX` characters.
    The form's `LongTextField` has already cleaned it; this holds for every other caller."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ConsultationError(f"Say why {what}")
    if len(reason) > REASON_MAX:
        raise ConsultationError(f"The reason must be {REASON_MAX} characters or fewer")
    return reason


def _move(
    consultation: Consultation,
    field: DateField,
    to: datetime,
    kind: DateChangeKind,
    *,
    actor,
    reason: str = "",
) -> None:
    """Set one date and keep the change in the history; nothing is kept when it does not move."""
    old = getattr(consultation, field.value)
    if old == to:
        return
    setattr(consultation, field.value, to)
    db.session.add(
        DateChange(
            consultation_id=consultation.id,
            field=field,
            kind=kind,
            from_at=old,
            to_at=to,
            reason=reason,
            actor_id=getattr(actor, "id", None),
        )
    )


def _follow_close(consultation: Consultation, *, actor) -> None:
    """A response due date the organiser did not choose is 12 weeks after the actual close."""
    if not consultation.response_due_is_custom:
        _move(
            consultation,
            DateField.RESPONSE_DUE,
            consultation.closes_at + RESPONSE_DUE_AFTER,
            DateChangeKind.FOLLOWED,
            actor=actor,
        )


def create_consultation(
    area,
    *,
    title: str,
    summary: str,
    easy_read_summary: str = "",
    body: str = "",
    audience: Audience = Audience.PUBLIC,
    kind: ConsultationKind = ConsultationKind.STANDARD,
    opens_at: datetime,
    closes_at: datetime,
    response_due_at: datetime | None = None,
    priorities=(),
    actor,
) -> Consultation:
    """A new draft. Nobody but the area's organisers sees it until it is published. Without a
    `response_due_at` the response is due 12 weeks after it closes, and that date follows
    the closing date wherever it moves."""
    is_custom = response_due_at is not None
    response_due_at = response_due_at or closes_at + RESPONSE_DUE_AFTER
    _check_dates(opens_at, closes_at, response_due_at)
    consultation = Consultation(
        area_id=area.id,
        area=area,
        slug=unique_slug(area, title),
        title=title,
        summary=summary,
        easy_read_summary=easy_read_summary,
        body=body,
        audience=audience,
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        response_due_at=response_due_at,
        response_due_is_custom=is_custom,
        created_by_id=getattr(actor, "id", None),
    )
    consultation.priorities = list(priorities)
    db.session.add(consultation)
    db.session.flush()
    record("consultation.created", consultation, actor=actor, area=area)
    return consultation


def update_consultation(
    consultation: Consultation,
    *,
    title: str,
    summary: str,
    easy_read_summary: str,
    body: str,
    audience: Audience,
    opens_at: datetime,
    closes_at: datetime,
    response_due_at: datetime | None,
    priorities,
    kind: ConsultationKind | None = None,
    actor,
) -> Consultation:
    """Change the words and links at any time. Dates change here only before it opens; once
    open, use extend or close early, so the record of what happened stays true. A
    `response_due_at` of None means "12 weeks after it closes", following the closing date;
    a date makes it the organiser's choice, kept whatever happens to the closing date."""
    state = consultation.state
    dates_changed = (opens_at, closes_at) != (consultation.opens_at, consultation.closes_at)
    if dates_changed and state not in (ConsultationState.DRAFT, ConsultationState.SCHEDULED):
        raise ConsultationError(
            "The dates of an open or closed consultation cannot be edited. Use Extend or "
            "Close early instead"
        )
    is_custom = response_due_at is not None
    response_due_at = response_due_at or closes_at + RESPONSE_DUE_AFTER
    _check_dates(opens_at, closes_at, response_due_at)
    consultation.title = title
    consultation.summary = summary
    consultation.easy_read_summary = easy_read_summary
    consultation.body = body
    consultation.audience = audience
    if kind is not None:
        consultation.kind = kind
    _move(consultation, DateField.OPENS, opens_at, DateChangeKind.EDITED, actor=actor)
    _move(consultation, DateField.CLOSES, closes_at, DateChangeKind.EDITED, actor=actor)
    consultation.response_due_is_custom = is_custom
    due_kind = DateChangeKind.EDITED if is_custom else DateChangeKind.FOLLOWED
    _move(consultation, DateField.RESPONSE_DUE, response_due_at, due_kind, actor=actor)
    consultation.priorities = list(priorities)
    db.session.flush()
    record("consultation.updated", consultation, actor=actor, area=consultation.area)
    return consultation


def _require(consultation: Consultation, *allowed: ConsultationState, doing: str) -> None:
    state = consultation.state
    if state not in allowed:
        raise ConsultationError(f"A consultation that is {state.label.lower()} cannot be {doing}")


def publish(consultation: Consultation, *, actor) -> ConsultationState:
    """Out of draft: it becomes scheduled, or open at once if its opening date has passed."""
    _require(consultation, ConsultationState.DRAFT, doing="published")
    if consultation.closes_at <= utcnow():
        raise ConsultationError("The closing date has passed. Change the dates first")
    consultation.published_at = utcnow()
    db.session.flush()
    state = consultation.state
    record(
        "consultation.published",
        consultation,
        actor=actor,
        area=consultation.area,
        state=state.value,
    )
    return state


def publish_checked(consultation: Consultation, *, actor) -> ConsultationState:
    """Publish after the checks of the "check and publish" page: any error refuses it, with the
    first error's words (the page lists them all)."""
    from forum.consultations.checks import errors_in, publish_checks

    _require(consultation, ConsultationState.DRAFT, doing="published")
    errors = errors_in(publish_checks(consultation))
    if errors:
        more = len(errors) - 1
        raise ConsultationError(
            errors[0].text
            + (f" There {'is' if more == 1 else 'are'} {more} more to fix." if more else "")
        )
    return publish(consultation, actor=actor)


def unpublish(consultation: Consultation, *, actor) -> None:
    """A scheduled consultation goes back to draft (nobody has answered it yet)."""
    _require(consultation, ConsultationState.SCHEDULED, doing="taken back to draft")
    consultation.published_at = None
    db.session.flush()
    record("consultation.unpublished", consultation, actor=actor, area=consultation.area)


def open_now(consultation: Consultation, *, actor) -> None:
    _require(consultation, ConsultationState.SCHEDULED, doing="opened early")
    old = consultation.opens_at
    _move(consultation, DateField.OPENS, utcnow(), DateChangeKind.OPENED_EARLY, actor=actor)
    db.session.flush()
    record(
        "consultation.opened_early",
        consultation,
        actor=actor,
        area=consultation.area,
        planned_opening=old.isoformat(),
    )
    hooks.consultation_opened_early.send(consultation, actor=actor)


def extend(consultation: Consultation, closes_at: datetime, *, reason: str, actor) -> None:
    """Give people longer, saying why (shown on the consultation page and in the email to
    those who have not answered). A closed consultation can be reopened this way before it
    has a response. A response due date the organiser did not choose moves to 12 weeks after
    the new close; one they chose stays, unless it would fall before the new close (then it
    follows the closing date from now on)."""
    _require(consultation, ConsultationState.OPEN, ConsultationState.CLOSED, doing="extended")
    reason = clean_reason(reason, what="you are giving more time")
    if closes_at <= max(utcnow(), consultation.closes_at):
        raise ConsultationError("The new closing date must be later than the current one")
    reopening = consultation.state is ConsultationState.CLOSED
    old = consultation.closes_at
    kind = DateChangeKind.REOPENED if reopening else DateChangeKind.EXTENDED
    _move(consultation, DateField.CLOSES, closes_at, kind, actor=actor, reason=reason)
    if consultation.response_due_is_custom and consultation.response_due_at < closes_at:
        consultation.response_due_is_custom = False
    _follow_close(consultation, actor=actor)
    consultation.closed_early_reason = ""
    db.session.flush()
    record(
        "consultation.extended",
        consultation,
        actor=actor,
        area=consultation.area,
        old_closes_at=old.isoformat(),
        new_closes_at=closes_at.isoformat(),
    )
    hooks.consultation_extended.send(consultation, old, actor=actor, reason=reason)


def close_early(consultation: Consultation, *, reason: str, actor) -> None:
    """Close now, saying why (shown on the consultation page and in the notice to its
    audience); a response due date the organiser did not choose is 12 weeks from now."""
    _require(consultation, ConsultationState.OPEN, doing="closed early")
    reason = clean_reason(reason, what="the consultation is closing early")
    old = consultation.closes_at
    _move(
        consultation,
        DateField.CLOSES,
        utcnow(),
        DateChangeKind.CLOSED_EARLY,
        actor=actor,
        reason=reason,
    )
    _follow_close(consultation, actor=actor)
    consultation.closed_early_reason = reason
    db.session.flush()
    record(
        "consultation.closed_early",
        consultation,
        actor=actor,
        area=consultation.area,
        planned_closing=old.isoformat(),
    )
    hooks.consultation_closed.send(consultation, actor=actor)


def mark_responded(consultation: Consultation, *, actor) -> None:
    _require(consultation, ConsultationState.CLOSED, doing="marked as responded")
    consultation.responded_at = utcnow()
    db.session.flush()
    record("consultation.responded", consultation, actor=actor, area=consultation.area)
