"""The "check and publish" step: what an organiser is shown before a consultation goes out.

`publish_checks(consultation)` gives rows, each an error (publishing is refused until it is
fixed), a warning (worth a look, does not block) or a plain "ready" line, each with a link to
where it is fixed. Consultations check their own dates, audience and easy read summary; higher
areas add rows through `hooks.publish_checks` (surveys: the number of questions, by section;
mailings: who is emailed when it opens; documents, when they come: accessible versions).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from forum import hooks
from forum.areas.models import Membership, MembershipStatus
from forum.consultations.models import Audience, Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.web.time import london

#: the days between closing and the response that count as "the default 12 weeks"
DEFAULT_WEEKS = 12


class Level(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    READY = "ready"

    @property
    def tag(self) -> dict:
        return {
            "error": {"text": "Must fix", "classes": "govuk-tag--red"},
            "warning": {"text": "Check", "classes": "govuk-tag--yellow"},
            "ready": {"text": "Ready", "classes": "govuk-tag--green"},
        }[self.value]


@dataclass(frozen=True)
class Check:
    """One row of the check page."""

    #: a few words: what was checked ("Dates", "Survey questions")
    topic: str
    level: Level
    #: what we found, in a sentence or two
    text: str
    #: where to fix it, and the link's words ("Change the dates")
    fix_href: str | None = None
    fix_text: str | None = None
    #: more lines under the text (the questions by section)
    details: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return "check-" + "".join(ch if ch.isalnum() else "-" for ch in self.topic.lower())


def _day(value: datetime) -> str:
    return london(value)


def _dates(consultation: Consultation, now: datetime) -> list[Check]:
    edit = consultation.manage_url("edit")
    fix = "Change the dates"
    c = consultation
    if c.closes_at <= c.opens_at:
        return [Check("Dates", Level.ERROR, "It closes before it opens.", edit, fix)]
    if c.closes_at <= now:
        return [
            Check(
                "Dates",
                Level.ERROR,
                f"The closing date, {_day(c.closes_at)}, has passed.",
                edit,
                fix,
            )
        ]
    rows = []
    if c.response_due_at < c.closes_at:
        rows.append(
            Check(
                "Response due date",
                Level.ERROR,
                "The response due date is before it closes.",
                edit,
                "Change the response due date",
            )
        )
    days = (c.closes_at - max(c.opens_at, now)).days
    if c.opens_at <= now:
        rows.append(
            Check(
                "Dates",
                Level.WARNING,
                f"Its opening date has passed, so it opens as soon as you publish it. It "
                f"closes {_day(c.closes_at)}, {days} days from now.",
                edit,
                fix,
            )
        )
    else:
        rows.append(
            Check(
                "Dates",
                Level.READY,
                f"Opens {_day(c.opens_at)} and closes {_day(c.closes_at)}: {days} days to "
                "take part.",
                edit,
                fix,
            )
        )
    if c.response_due_at >= c.closes_at:
        how = (
            "the date you chose"
            if c.response_due_is_custom
            else f"{DEFAULT_WEEKS} weeks after it closes; it moves if the closing date does"
        )
        rows.append(
            Check(
                "Response due date",
                Level.READY,
                f"Partners’ response is due {london(c.response_due_at, '%-d %B %Y')} ({how}).",
                edit,
                "Change the response due date",
            )
        )
    return rows


def _audience(consultation: Consultation) -> Check:
    if consultation.audience is Audience.PUBLIC:
        return Check(
            "Who can take part",
            Level.READY,
            "Anyone: parents and carers, and young people, with or without an account.",
            consultation.manage_url("edit"),
            "Change who can take part",
        )
    members = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.area_id == consultation.area_id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    return Check(
        "Who can take part",
        Level.READY if members else Level.WARNING,
        f"Members of the forum only: {members} member{'' if members == 1 else 's'} now."
        + ("" if members else " Nobody could take part yet."),
        consultation.manage_url("edit"),
        "Change who can take part",
    )


def _easy_read(consultation: Consultation) -> Check:
    if consultation.easy_read_summary.strip():
        return Check(
            "Easy read summary",
            Level.READY,
            "It has an easy read summary.",
            consultation.manage_url("edit"),
            "Change the easy read summary",
        )
    return Check(
        "Easy read summary",
        Level.WARNING,
        "There is no easy read summary. Short sentences in everyday words help many parents "
        "and young people take part.",
        consultation.manage_url("edit"),
        "Add an easy read summary",
    )


def publish_checks(consultation: Consultation, now: datetime | None = None) -> list[Check]:
    """Every row of the check page, errors first, then warnings, then what is ready."""
    now = now or utcnow()
    rows = [*_dates(consultation, now), _audience(consultation), _easy_read(consultation)]
    for extra in hooks.publish_checks.results(consultation):
        rows.extend(extra)
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.READY: 2}
    return sorted(rows, key=lambda row: order[row.level])


def errors_in(rows: list[Check]) -> list[Check]:
    return [row for row in rows if row.level is Level.ERROR]
