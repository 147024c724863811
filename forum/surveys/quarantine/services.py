"""Quarantining responses (kept, not counted) and releasing them, and forgetting the abuse
signals once they are no longer needed.

Quarantine never deletes: a quarantined response keeps its answers, drops out of every count
(`forum.surveys.queries.counted`) and can be released. Each action is recorded in the audit
log against the survey, with the organiser, the grouping it came from and the references of
the responses, so the burst page can show who did what and when.

Each function flushes and returns; the caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from forum.areas import data_versions
from forum.audit.services import record
from forum.consultations.models import Consultation
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import CountedEmail, EmailConfirmation, Response, Survey
from forum.surveys.quarantine.queries import KINDS, group_value, responses_in

#: device and address hashes and the hour sent are forgotten this many days after a response
#: last changed, or when its consultation closes, whichever comes first
TRACKING_DAYS = 30
#: "honeypot": the hidden field only automated form-fillers fill in came back filled
HONEYPOT = "honeypot"
ORGANISER = "organiser"


class QuarantineError(Refused):
    """The responses cannot be quarantined or released that way; the message is safe to show."""


def _chosen(survey: Survey, kind: str, raw: str) -> list[Response]:
    if kind == "response":
        value: object = int(raw) if raw.isdigit() and len(raw) < 12 else None
    elif kind in KINDS:
        value = group_value(kind, raw)
    else:
        value = None
    if value is None:
        raise QuarantineError("Those responses were not found. Reload the page and try again")
    found = responses_in(survey, kind, value)
    if not found:
        raise QuarantineError("Those responses were not found. Reload the page and try again")
    return found


def quarantine(survey: Survey, kind: str, value: str, *, actor) -> int:
    """Quarantine the sent responses of one group (or one response): returns how many were
    newly quarantined."""
    found = [r for r in _chosen(survey, kind, value) if r.quarantined_at is None]
    if not found:
        raise QuarantineError("Those responses are already quarantined")
    now = utcnow()
    for response in found:
        response.quarantined_at = now
        response.quarantined_by_id = actor.id
        response.quarantine_reason = ORGANISER
    db.session.flush()
    data_versions.touch(survey.area_id)  # responses move no version themselves
    record(
        "survey.responses_quarantined",
        survey,
        actor=actor,
        area=_area(survey),
        grouping=kind,
        count=len(found),
        references=sorted(r.reference for r in found),
    )
    return len(found)


def release(survey: Survey, kind: str, value: str, *, actor) -> int:
    """Release the quarantined responses of one group (or one response), so they count again:
    returns how many."""
    found = [r for r in _chosen(survey, kind, value) if r.quarantined_at is not None]
    if not found:
        raise QuarantineError("None of those responses is quarantined")
    for response in found:
        response.quarantined_at = None
        response.quarantined_by_id = None
        response.quarantine_reason = None
    db.session.flush()
    data_versions.touch(survey.area_id)
    record(
        "survey.responses_released",
        survey,
        actor=actor,
        area=_area(survey),
        grouping=kind,
        count=len(found),
        references=sorted(r.reference for r in found),
    )
    return len(found)


def forget_tracking(now: datetime | None = None) -> dict[str, int]:
    """Forget what is kept only to catch abuse, once it is no longer needed: device and
    address hashes and the hour sent (at closing, or `TRACKING_DAYS` after the response last
    changed), email confirmation links that have expired or whose consultation has closed, and
    the hashes of counted email addresses once the consultation has closed. Safe to run as
    often as wanted (`flask surveys forget-tracking`)."""
    now = now or utcnow()
    closed = (
        select(Survey.id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Consultation.closes_at <= now)
    )
    tracked = or_(
        Response.device_hash.is_not(None),
        Response.address_hash.is_not(None),
        Response.sent_hour.is_not(None),
    )
    responses = db.session.execute(
        update(Response)
        .where(
            tracked,
            or_(
                Response.survey_id.in_(closed),
                Response.updated_at < now - timedelta(days=TRACKING_DAYS),
            ),
        )
        .values(device_hash=None, address_hash=None, sent_hour=None)
        .execution_options(synchronize_session=False)
    )
    links = db.session.execute(
        delete(EmailConfirmation)
        .where(or_(EmailConfirmation.expires_at <= now, EmailConfirmation.survey_id.in_(closed)))
        .execution_options(synchronize_session=False)
    )
    emails = db.session.execute(
        delete(CountedEmail)
        .where(CountedEmail.survey_id.in_(closed))
        .execution_options(synchronize_session=False)
    )
    return {
        "responses": responses.rowcount,  # type: ignore[attr-defined]  # a CursorResult
        "links": links.rowcount,  # type: ignore[attr-defined]  # a CursorResult
        "emails": emails.rowcount,  # type: ignore[attr-defined]  # a CursorResult
    }


def _area(survey: Survey):
    from forum.areas.models import Area

    return db.session.get(Area, survey.area_id)
