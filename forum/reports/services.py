"""Writing the organisers' part of an annual report: starting one for a period, their words
and chosen sections, the words of the grant return, publishing and taking it back.

Each function takes the acting user, flushes, records an audit entry and returns; the caller
commits. A broken rule raises `ReportError`, whose message is safe to show beside `field`.
"""

from __future__ import annotations

from sqlalchemy import select

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.reports.figures import SECTION_KEYS
from forum.reports.models import GRANT_WORDS_MAX, WORDS_MAX, AnnualReport
from forum.reports.periods import Period


class ReportError(Refused):
    """A rule of the reports was broken; the message is safe to show."""


_NAMES = {
    "foreword": "The foreword",
    "highlights": "The highlights",
    "priorities": "The priorities",
}


def start_report(area, period: Period, *, actor) -> AnnualReport:
    """The area's report for `period`: the one already started, or a new draft."""
    found = db.session.scalar(
        select(AnnualReport).where(
            AnnualReport.area_id == area.id,
            AnnualReport.starts_on == period.start,
            AnnualReport.ends_on == period.end,
        )
    )
    if found is not None:
        return found
    report = AnnualReport(
        area_id=area.id,
        starts_on=period.start,
        ends_on=period.end,
        foreword="",
        highlights="",
        priorities="",
        hidden_sections=[],
        grant_words={},
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    report.area = area
    db.session.add(report)
    db.session.flush()
    record("report.started", report, actor=actor, area=area, period=period.slug)
    return report


def save_words(
    report: AnnualReport,
    *,
    foreword: str,
    highlights: str,
    priorities: str,
    shown_sections: list[str],
    actor,
) -> AnnualReport:
    """The organisers' words and the generated sections they chose to show."""
    words = {"foreword": foreword, "highlights": highlights, "priorities": priorities}
    for name, text in words.items():
        text = (text or "").strip()
        if len(text) > WORDS_MAX:
            raise ReportError(f"{_NAMES[name]} must be {WORDS_MAX:,} characters or fewer", name)
        setattr(report, name, text)
    shown = set(shown_sections)
    report.hidden_sections = [key for key in SECTION_KEYS if key not in shown]
    report.updated_by_id = actor.id
    report.updated_at = utcnow()
    db.session.flush()
    record("report.words_saved", report, actor=actor, area=report.area)
    return report


def save_grant_words(report: AnnualReport, words: dict[str, str], *, actor) -> AnnualReport:
    """The organisers' answers to the grant return's questions that take words."""
    kept = {}
    for key, text in words.items():
        text = (text or "").strip()
        if len(text) > GRANT_WORDS_MAX:
            raise ReportError(f"The answer must be {GRANT_WORDS_MAX:,} characters or fewer", key)
        if text:
            kept[key] = text
    report.grant_words = kept
    report.updated_by_id = actor.id
    report.updated_at = utcnow()
    db.session.flush()
    record("report.grant_words_saved", report, actor=actor, area=report.area)
    return report


def publish(report: AnnualReport, *, actor) -> AnnualReport:
    if report.is_published:
        raise ReportError("This report is already published.")
    report.published_at = utcnow()
    report.updated_by_id = actor.id
    db.session.flush()
    record("report.published", report, actor=actor, area=report.area)
    return report


def unpublish(report: AnnualReport, *, actor) -> AnnualReport:
    if not report.is_published:
        raise ReportError("This report is not published.")
    report.published_at = None
    report.updated_by_id = actor.id
    db.session.flush()
    record("report.unpublished", report, actor=actor, area=report.area)
    return report
