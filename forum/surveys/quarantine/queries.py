"""Reading bursts: the survey's sent responses grouped by the hour they were sent, by device,
by network address and by identical answers, each group flagged when it is larger than one
person or one family centre is likely to send. A page is a fixed handful of queries (one per
grouping, one for the quarantined list, one for the audit trail) however many responses.

Devices and addresses are only ever keyed hashes (`answering.keys.tracking_hash`), shown as
their first six characters; they and the hour are forgotten when the consultation closes or
`services.TRACKING_DAYS` after the response was last changed, so a closed survey is grouped by
identical answers only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from forum.accounts.models import User
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.models import Response, ResponseStatus, Survey
from forum.surveys.queries import load_survey

#: a group is flagged at this many responses; below it, it is listed but not flagged. A
#: shared computer at a family centre can reasonably send a handful in an afternoon
LEVELS = {"hour": 15, "device": 4, "address": 10, "answers": 5}
#: the most groups listed for each grouping, largest first
GROUPS_SHOWN = 20
#: what each grouping is called on the page
KINDS = {
    "hour": "Sent in the same hour",
    "device": "Sent from the same device (browser)",
    "address": "Sent from the same network address",
    "answers": "Identical answers",
}
AUDIT_ACTIONS = ("survey.responses_quarantined", "survey.responses_released")


def group_column(kind: str) -> InstrumentedAttribute[Any]:
    return {
        "hour": Response.sent_hour,
        "device": Response.device_hash,
        "address": Response.address_hash,
        "answers": Response.answers_hash,
    }[kind]


@dataclass
class Group:
    kind: str
    #: the hash, or the hour as ISO text
    value: str
    responses: int
    quarantined: int
    hour: datetime | None = None

    @property
    def flagged(self) -> bool:
        return self.responses >= LEVELS[self.kind]

    @property
    def counted(self) -> int:
        return self.responses - self.quarantined

    @property
    def label(self) -> str:
        if self.kind == "hour":
            return ""
        return self.value[:6].upper()


@dataclass
class Bursts:
    groups: dict[str, list[Group]] = field(default_factory=dict)
    #: the quarantined responses, newest first, each with who quarantined it (None: the
    #: hidden field did)
    quarantined: list = field(default_factory=list)
    #: (audit entry, the organiser's name) for each quarantine and release, newest first
    trail: list = field(default_factory=list)

    @property
    def flagged(self) -> int:
        return sum(1 for groups in self.groups.values() for g in groups if g.flagged)


def _sent(survey: Survey):
    return (Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)


def group_value(kind: str, value: str):
    """The stored value of a group as sent back by a form: the hour as a datetime."""
    if kind == "hour":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if len(value) == 64 else None


def groups_of(survey: Survey, kind: str) -> list[Group]:
    """The groups of two or more sent responses sharing `kind`, largest first."""
    column = group_column(kind)
    quarantined = func.count(Response.quarantined_at)
    rows = db.session.execute(
        select(column, func.count(), quarantined)
        .where(*_sent(survey), column.is_not(None))
        .group_by(column)
        .having(func.count() >= 2)
        .order_by(func.count().desc(), column)
        .limit(GROUPS_SHOWN)
    ).all()
    groups = []
    for value, n, held in rows:
        if kind == "hour":
            groups.append(Group(kind, value.isoformat(), int(n), int(held), hour=value))
        else:
            groups.append(Group(kind, value, int(n), int(held)))
    return groups


def bursts_of(survey: Survey) -> Bursts:
    """Everything the burst page shows."""
    found = Bursts()
    for kind in KINDS:
        found.groups[kind] = groups_of(survey, kind)
    found.quarantined = list(
        db.session.execute(
            select(Response, User.display_name)
            .outerjoin(User, User.id == Response.quarantined_by_id)
            .where(*_sent(survey), Response.quarantined_at.is_not(None))
            .order_by(Response.quarantined_at.desc(), Response.id.desc())
        )
    )
    found.trail = list(
        db.session.execute(
            select(AuditEvent, User.display_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(
                AuditEvent.subject_type == "Survey",
                AuditEvent.subject_id == survey.id,
                AuditEvent.action.in_(AUDIT_ACTIONS),
            )
            .order_by(AuditEvent.id.desc())
        )
    )
    return found


def responses_in(survey: Survey, kind: str, value) -> list[Response]:
    """The sent responses of one group (`kind` "response": one response, by id)."""
    column = Response.id if kind == "response" else group_column(kind)
    condition = column == value
    return list(db.session.scalars(select(Response).where(*_sent(survey), condition)))


def load_bursts(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the consultation and its survey, or 404 when it has none."""
    kwargs = load_survey(kwargs)
    if kwargs["survey"] is None:
        abort(404)
    return kwargs
