"""The Local Offer feedback report (SEND Regulations 2014, regulation 56).

The council must seek comments on its Local Offer and publish them at least yearly, with its
response and the actions it intends to take, in a way that identifies no one. For a Local Offer
consultation whose response the forum has published, this builds that report from the
published ledger only: the period, how many people commented (protected by
`forum.disclosure`: rounded to the nearest 5, 1 to 4 shown as "fewer than 5"), the themes of
the comments, and each partner's response with its linked commitments. A year's report
combines every Local Offer consultation that closed in that year.

The same rows feed the printable page, the CSV and the JSON, whose columns are documented on
the page (`CSV_COLUMNS`). No names, no quotes, no individual answers.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from forum.areas.models import Area
from forum.consultations.models import Consultation, ConsultationKind
from forum.disclosure import Count
from forum.extensions import db
from forum.outcomes.publishing.queries import PublishedLedger, build_published
from forum.surveys.export.formats import spreadsheet_safe
from forum.web.time import LONDON

#: bump when a column or field changes meaning; written into both files (2: counts are rounded
#: to the nearest 5)
SCHEMA_VERSION = 2

#: (column, what it holds), in file order; shown on the report page
CSV_COLUMNS = [
    ("consultation", "The title of the Local Offer consultation"),
    ("period_start", "The day comments opened (YYYY-MM-DD, UK date)"),
    ("period_end", "The day comments closed (YYYY-MM-DD, UK date)"),
    ("theme", "A theme of the comments, as the forum summarised them"),
    ("theme_summary", "The forum's plain summary of the theme"),
    (
        "theme_comments",
        'How many comments are behind the theme, rounded to the nearest 5; "fewer than 5" '
        "for 1 to 4",
    ),
    (
        "theme_people",
        'How many different people made them, rounded to the nearest 5; "fewer than 5" for 1 to 4',
    ),
    ("partner", "The organisation that responded (blank if no response yet)"),
    ("response", "Adopted, Partly adopted, Not adopted or Under consideration"),
    ("explanation", "What the organisation says it will do"),
    ("reason", "Why not, for a response that is not adopted"),
    ("decide_by", "For a response under consideration, the date it will be decided by"),
    ("overdue_days", "Days past that date while still under consideration (blank if not)"),
    (
        "actions",
        "The commitments in the local plan linked to the response, each as "
        '"title [current status, due YYYY-MM-DD]", separated by " | "',
    ),
    ("forum_view", "The forum's view of the response: Agreed, Disputed or Not reviewed yet"),
    ("forum_comment", "The forum's comment on its view"),
    ("updated_on", "The date the response was changed after it was first published, if it was"),
]


@dataclass(frozen=True)
class Report:
    area: Area
    consultations: list[Consultation]
    ledgers: list[PublishedLedger]
    #: the calendar year, for a year's report
    year: int | None = None

    @property
    def title(self) -> str:
        if self.year is not None:
            return f"Local Offer feedback report {self.year}"
        return f"Local Offer feedback report: {self.consultations[0].title}"

    @property
    def period(self) -> tuple[date, date] | None:
        if not self.consultations:
            return None
        return (
            min(_day(c.opens_at) for c in self.consultations),
            max(_day(c.closes_at) for c in self.consultations),
        )

    @property
    def slug(self) -> str:
        if self.year is not None:
            return f"{self.area.slug}-local-offer-report-{self.year}"
        return f"{self.consultations[0].slug}-local-offer-report"


def _day(value: datetime) -> date:
    return value.astimezone(LONDON).date()


def report_for(consultation: Consultation) -> Report:
    return Report(
        area=consultation.area,
        consultations=[consultation],
        ledgers=[build_published(consultation)],
    )


def year_consultations(area, year: int) -> list[Consultation]:
    """The area's Local Offer consultations that closed in `year` (UK time) and whose
    response has been published."""
    start = datetime(year, 1, 1, tzinfo=LONDON).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=LONDON).astimezone(UTC)
    return list(
        db.session.scalars(
            select(Consultation)
            .where(
                Consultation.area_id == area.id,
                Consultation.kind == ConsultationKind.LOCAL_OFFER,
                Consultation.published_at.is_not(None),
                Consultation.responded_at.is_not(None),
                Consultation.closes_at >= start,
                Consultation.closes_at < end,
            )
            .order_by(Consultation.closes_at, Consultation.id)
        )
    )


def year_report(area, year: int) -> Report:
    consultations = year_consultations(area, year)
    return Report(
        area=area,
        consultations=consultations,
        ledgers=[build_published(c) for c in consultations],
        year=year,
    )


def years_with_reports(area) -> list[int]:
    """Years in which a Local Offer consultation of the area closed and was responded to."""
    rows = db.session.scalars(
        select(Consultation.closes_at).where(
            Consultation.area_id == area.id,
            Consultation.kind == ConsultationKind.LOCAL_OFFER,
            Consultation.published_at.is_not(None),
            Consultation.responded_at.is_not(None),
        )
    )
    return sorted({_day(value).year for value in rows}, reverse=True)


# --- the files -----------------------------------------------------------------------------


def _count(value: Count | None):
    """A count as the public may see it: a number rounded to the nearest 5, or "fewer than
    5"."""
    if value is None:
        return None
    return value.value if value.value is not None else str(value)


def _actions(decision) -> list[dict]:
    return [
        {
            "title": link.commitment.title,
            "owner": link.commitment.partner.name if link.commitment.partner else "",
            "status": link.commitment.status.label,
            "due_on": link.commitment.due_on.isoformat() if link.commitment.due_on else None,
        }
        for link in decision.links
    ]


def _response(decision) -> dict:
    changed = decision.is_changed_since_published
    return {
        "partner": decision.partner.name,
        "response": decision.outcome.label,
        "explanation": decision.explanation,
        "reason": decision.reason or None,
        "decide_by": decision.decide_by.isoformat() if decision.decide_by else None,
        "overdue_days": decision.days_overdue(),
        "actions": _actions(decision),
        "forum_view": decision.forum_view.label,
        "forum_comment": decision.forum_comment or None,
        "updated_on": _day(decision.updated_at).isoformat() if changed else None,
    }


def as_data(report: Report) -> dict:
    """The report as JSON-ready data (documented on the report page)."""
    period = report.period
    return {
        "schema": "coproduce-local-offer-report",
        "schema_version": SCHEMA_VERSION,
        "area": report.area.name,
        "forum": report.area.forum_name,
        "year": report.year,
        "period": {
            "start": period[0].isoformat() if period else None,
            "end": period[1].isoformat() if period else None,
        },
        "consultations": [
            {
                "title": ledger.consultation.title,
                "summary": ledger.consultation.summary,
                "period": {
                    "start": _day(ledger.consultation.opens_at).isoformat(),
                    "end": _day(ledger.consultation.closes_at).isoformat(),
                },
                "people_who_answered_the_survey": _count(ledger.took_part.survey),
                "people_who_wrote_in_the_discussion": _count(ledger.took_part.discussion),
                "themes": [
                    {
                        "title": shown.theme.title,
                        "summary": shown.theme.summary,
                        "comments": _count(shown.items),
                        "people": _count(shown.people),
                        "responses": [_response(d) for d in shown.decisions],
                    }
                    for shown in ledger.themes
                ],
            }
            for ledger in report.ledgers
        ],
    }


def rows(report: Report) -> list[list]:
    """One row per response (a theme with no response yet gets one row of its own)."""
    out = []
    for ledger in report.ledgers:
        c = ledger.consultation
        head = [c.title, _day(c.opens_at).isoformat(), _day(c.closes_at).isoformat()]
        for shown in ledger.themes:
            theme = [
                shown.theme.title,
                shown.theme.summary,
                _count(shown.items),
                _count(shown.people),
            ]
            if not shown.decisions:
                out.append(head + theme + [""] * (len(CSV_COLUMNS) - len(head) - len(theme)))
            for decision in shown.decisions:
                r = _response(decision)
                actions = " | ".join(
                    f"{a['title']} [{a['status']}"
                    + (f", due {a['due_on']}" if a["due_on"] else "")
                    + "]"
                    for a in r["actions"]
                )
                out.append(
                    head
                    + theme
                    + [
                        r["partner"],
                        r["response"],
                        r["explanation"],
                        r["reason"],
                        r["decide_by"],
                        r["overdue_days"],
                        actions,
                        r["forum_view"],
                        r["forum_comment"],
                        r["updated_on"],
                    ]
                )
    return out


def as_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in CSV_COLUMNS])
    for row in rows(report):
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    # A byte-order mark so spreadsheet programs read the file as UTF-8.
    return "\ufeff" + buffer.getvalue()


def as_json(report: Report) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2)
