"""Open data: an area's published ledger — plans, priorities, commitments and their updates,
consultations, themes, decisions and scorecard figures — as one JSON document and as CSV files,
with a documented, versioned schema (`SCHEMA`, written out in docs/open-data.md).

Only published things are included: published plans (and their priorities, commitments and
updates), published consultations, published themes of published consultations and published
decisions on them. Counts of people and feedback items are aggregates, and from 1 to 4 they
are withheld (null in JSON, empty in CSV). Nothing personal is included: no names, no email
addresses, no answers, no posts, no quotes.

Versioning: `SCHEMA_VERSION` is "major.minor". Adding a field or a file raises the minor
number; renaming or removing a field, or changing its type or meaning, raises the major one.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from forum.areas.models import PartnerOrganisation
from forum.consultations.models import Consultation, consultation_priorities
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.models import Decision, DecisionCommitment, Theme, theme_priorities
from forum.outcomes.scorecard import (
    STATUSES,
    WHOLE_PLAN,
    Figures,
    consultation_figures,
    plan_figures,
)
from forum.plans.models import Commitment, LocalPlan, Priority, ProgressUpdate
from forum.surveys.export.formats import spreadsheet_safe
from forum.surveys.results.disclosure import is_small
from forum.web.urls import external_url

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Field:
    name: str
    #: integer, number, text, date (YYYY-MM-DD), datetime (ISO 8601, UTC) or ids (a list of
    #: integers; space-separated in CSV)
    type: str
    meaning: str
    #: empty in CSV and null in JSON when there is no value
    optional: bool = False


@dataclass(frozen=True)
class File:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"


_VERSION = Field("schema_version", "text", f'The schema version, "{SCHEMA_VERSION}".')
_WITHHELD = " Withheld (empty in CSV, null in JSON) when from 1 to 4, to protect the people."

SCHEMA: tuple[File, ...] = (
    File(
        "plans",
        "Local plans",
        "The area's published local plans (local inclusion plan, SEND strategy).",
        (
            _VERSION,
            Field("plan_id", "integer", "Identifies the plan in these files."),
            Field("slug", "text", "The plan's name in web addresses."),
            Field("title", "text", "The plan's title."),
            Field("kind", "text", "inclusion_plan, send_strategy or other."),
            Field("summary", "text", "What the plan is for, in plain words.", True),
            Field("starts_on", "date", "First day of the period the plan covers.", True),
            Field("ends_on", "date", "Last day of the period the plan covers.", True),
            Field("published_at", "datetime", "When the plan was published."),
            Field("url", "text", "The plan's page."),
        ),
    ),
    File(
        "priorities",
        "Priorities",
        "Each plan's priorities and sub-priorities.",
        (
            _VERSION,
            Field("priority_id", "integer", "Identifies the priority in these files."),
            Field("plan_id", "integer", "The plan it belongs to (plans.plan_id)."),
            Field("parent_id", "integer", "For a sub-priority, its priority.", True),
            Field("code", "text", 'Short label such as "P3" or "P3.1", unique in the plan.'),
            Field("title", "text", "The priority's title."),
            Field("description", "text", "What it means, in plain words.", True),
            Field("position", "integer", "Order among its siblings, from 1."),
        ),
    ),
    File(
        "commitments",
        "Commitments",
        "What partner organisations committed to do under each priority.",
        (
            _VERSION,
            Field("commitment_id", "integer", "Identifies the commitment in these files."),
            Field("priority_id", "integer", "The priority it is under (priorities.priority_id)."),
            Field("plan_id", "integer", "The plan (plans.plan_id)."),
            Field("owner", "text", "The partner organisation that owns it."),
            Field("title", "text", "What will be done."),
            Field("description", "text", "More detail, in plain words.", True),
            Field("due_on", "date", "When it is due.", True),
            Field(
                "status",
                "text",
                "not_started, on_track, at_risk, delayed, done or dropped.",
            ),
            Field("dropped_reason", "text", "Why it was dropped.", True),
            Field("progress", "integer", "Progress from 0 to 100 (per cent)."),
            Field("weight", "integer", "Its share in the priority's progress, 1 or more."),
            Field("updated_at", "datetime", "When it last changed."),
        ),
    ),
    File(
        "updates",
        "Progress updates",
        "The dated public timeline of each commitment.",
        (
            _VERSION,
            Field("update_id", "integer", "Identifies the update in these files."),
            Field("commitment_id", "integer", "The commitment (commitments.commitment_id)."),
            Field("created_at", "datetime", "When the update was posted."),
            Field("text", "text", "What happened."),
            Field("evidence_url", "text", "A link to evidence such as a report.", True),
            Field("status_before", "text", "The commitment's status before the update."),
            Field("status_after", "text", "Its status after the update."),
            Field("progress_before", "integer", "Progress before, 0 to 100."),
            Field("progress_after", "integer", "Progress after, 0 to 100."),
            Field(
                "on_behalf_of",
                "text",
                "The partner organisation that posted it; empty when the forum did.",
                True,
            ),
        ),
    ),
    File(
        "consultations",
        "Consultations",
        "Published consultations, with how many people took part.",
        (
            _VERSION,
            Field("consultation_id", "integer", "Identifies the consultation in these files."),
            Field("slug", "text", "Its name in web addresses."),
            Field("title", "text", "The consultation's title."),
            Field("kind", "text", "standard, or local_offer for Local Offer feedback."),
            Field("summary", "text", "What it asked, in plain words.", True),
            Field("state", "text", "scheduled, open, closed or responded."),
            Field("opens_at", "datetime", "When it opened (or opens)."),
            Field("closes_at", "datetime", "When it closed (or closes)."),
            Field("response_due_at", "datetime", "When the partners' response is due."),
            Field("responded_at", "datetime", "When the response was published.", True),
            Field("priority_ids", "ids", "The plan priorities it is linked to.", True),
            Field(
                "participants",
                "integer",
                "People who sent a survey response or wrote in its discussion." + _WITHHELD,
                True,
            ),
            Field(
                "feedback_items",
                "integer",
                "Answers in sent survey responses plus visible discussion posts." + _WITHHELD,
                True,
            ),
            Field("url", "text", "The consultation's page."),
        ),
    ),
    File(
        "themes",
        "Themes (you said)",
        "The forum's published summaries of what parents and carers said.",
        (
            _VERSION,
            Field("theme_id", "integer", "Identifies the theme in these files."),
            Field("consultation_id", "integer", "The consultation it came from."),
            Field("position", "integer", "Its order on the consultation's page."),
            Field("title", "text", "The theme's title."),
            Field("summary", "text", "What parents and carers said, in plain words.", True),
            Field("priority_ids", "ids", "The plan priorities it is about.", True),
            Field("published_at", "datetime", "When it was published."),
        ),
    ),
    File(
        "decisions",
        "Decisions (we did)",
        "Partner organisations' published answers to each theme.",
        (
            _VERSION,
            Field("decision_id", "integer", "Identifies the answer in these files."),
            Field("theme_id", "integer", "The theme it answers (themes.theme_id)."),
            Field("partner", "text", "The partner organisation that answered."),
            Field(
                "outcome",
                "text",
                "adopted, partly_adopted, not_adopted or under_consideration.",
            ),
            Field("explanation", "text", "What the partner did or will do."),
            Field("reason", "text", "Why not, when not adopted.", True),
            Field("decide_by", "date", "When an answer under consideration will be decided.", True),
            Field("forum_view", "text", "The forum's view: pending, agreed or disputed."),
            Field("forum_comment", "text", "The forum's comment on its view.", True),
            Field("commitment_ids", "ids", "The commitments it is linked to.", True),
            Field("published_at", "datetime", "When it was published."),
        ),
    ),
    File(
        "scorecard",
        "Scorecard",
        "Each published plan's figures: one row per top-level priority (its sub-priorities "
        "included) and one for the whole plan.",
        (
            _VERSION,
            Field("plan_id", "integer", "The plan (plans.plan_id)."),
            Field(
                "priority_id", "integer", "The top-level priority; empty for the whole plan.", True
            ),
            Field("priority_code", "text", "Its code; empty for the whole plan.", True),
            Field("consultations", "integer", "Published consultations linked to it."),
            Field("participants", "integer", "Distinct people who took part." + _WITHHELD, True),
            Field(
                "feedback_items",
                "integer",
                "Answers and visible discussion posts." + _WITHHELD,
                True,
            ),
            Field("themes", "integer", "Published themes linked to it."),
            Field("themes_answered", "integer", "Of those, themes with a published answer."),
            Field(
                "answers_with_outcome",
                "integer",
                "Published answers adopted, partly adopted or not adopted.",
            ),
            Field("answers_taken_up", "integer", "Of those, adopted or partly adopted."),
            Field(
                "take_up_percent", "integer", "answers_taken_up over answers_with_outcome.", True
            ),
            Field(
                "median_days_to_respond",
                "number",
                "Median days from a consultation closing to its published response.",
                True,
            ),
            Field("overdue_consultations", "integer", "Responses past their due date."),
            Field(
                "overdue_decisions",
                "integer",
                "Answers under consideration past their decide-by date.",
            ),
            Field("commitments_total", "integer", "Commitments under it."),
            *(
                Field(
                    f"commitments_{status.value}", "integer", f"Commitments {status.label.lower()}."
                )
                for status in STATUSES
            ),
        ),
    ),
)

FILES = {file.name: file for file in SCHEMA}


# --- reading the published ledger ------------------------------------------------------------


def _published_plans(area) -> list[LocalPlan]:
    return list(
        db.session.scalars(
            select(LocalPlan)
            .where(LocalPlan.area_id == area.id, LocalPlan.published_at.is_not(None))
            .order_by(LocalPlan.id)
        )
    )


def _plan_ids(area):
    return select(LocalPlan.id).where(
        LocalPlan.area_id == area.id, LocalPlan.published_at.is_not(None)
    )


def _published_commitment_ids(area):
    return (
        select(Commitment.id)
        .join(Priority, Priority.id == Commitment.priority_id)
        .where(Commitment.area_id == area.id, Priority.plan_id.in_(_plan_ids(area)))
    )


def _withheld(n: int) -> int | None:
    return None if is_small(n) else n


def plan_rows(area) -> list[dict]:
    return [
        {
            "plan_id": p.id,
            "slug": p.slug,
            "title": p.title,
            "kind": p.kind.value,
            "summary": p.summary,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "published_at": p.published_at,
            "url": external_url("plans.show", area_slug=area.slug, plan_slug=p.slug),
        }
        for p in _published_plans(area)
    ]


def priority_rows(area) -> list[dict]:
    rows = db.session.scalars(
        select(Priority)
        .where(Priority.area_id == area.id, Priority.plan_id.in_(_plan_ids(area)))
        .order_by(Priority.plan_id, Priority.position, Priority.id)
    )
    return [
        {
            "priority_id": p.id,
            "plan_id": p.plan_id,
            "parent_id": p.parent_id,
            "code": p.code,
            "title": p.title,
            "description": p.description,
            "position": p.position,
        }
        for p in rows
    ]


def commitment_rows(area) -> list[dict]:
    rows = db.session.execute(
        select(Commitment, Priority.plan_id, PartnerOrganisation.name)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Commitment.partner_id)
        .where(Commitment.area_id == area.id, Priority.plan_id.in_(_plan_ids(area)))
        .order_by(Priority.plan_id, Commitment.priority_id, Commitment.position, Commitment.id)
    )
    return [
        {
            "commitment_id": c.id,
            "priority_id": c.priority_id,
            "plan_id": plan_id,
            "owner": owner,
            "title": c.title,
            "description": c.description,
            "due_on": c.due_on,
            "status": c.status.value,
            "dropped_reason": c.dropped_reason,
            "progress": c.progress,
            "weight": c.weight,
            "updated_at": c.updated_at,
        }
        for c, plan_id, owner in rows
    ]


def update_rows(area) -> list[dict]:
    rows = db.session.execute(
        select(ProgressUpdate, PartnerOrganisation.name)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == ProgressUpdate.partner_id)
        .where(
            ProgressUpdate.area_id == area.id,
            ProgressUpdate.commitment_id.in_(_published_commitment_ids(area)),
        )
        .order_by(ProgressUpdate.commitment_id, ProgressUpdate.created_at, ProgressUpdate.id)
    )
    return [
        {
            "update_id": u.id,
            "commitment_id": u.commitment_id,
            "created_at": u.created_at,
            "text": u.text,
            "evidence_url": u.evidence_url,
            "status_before": u.status_before.value,
            "status_after": u.status_after.value,
            "progress_before": u.progress_before,
            "progress_after": u.progress_after,
            "on_behalf_of": partner,
        }
        for u, partner in rows
    ]


def _published_consultations(area):
    return select(Consultation.id).where(
        Consultation.area_id == area.id, Consultation.published_at.is_not(None)
    )


def _published_priority_ids(area):
    return select(Priority.id).where(
        Priority.area_id == area.id, Priority.plan_id.in_(_plan_ids(area))
    )


def consultation_rows(area, *, now=None) -> list[dict]:
    now = now or utcnow()
    consultations = list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.area_id == area.id, Consultation.published_at.is_not(None))
            .order_by(Consultation.opens_at, Consultation.id)
        )
    )
    figures = consultation_figures(area.id, now=now)
    priorities: dict[int, list[int]] = defaultdict(list)
    for cid, pid in db.session.execute(
        select(consultation_priorities.c.consultation_id, consultation_priorities.c.priority_id)
        .where(
            consultation_priorities.c.consultation_id.in_(_published_consultations(area)),
            consultation_priorities.c.priority_id.in_(_published_priority_ids(area)),
        )
        .order_by(consultation_priorities.c.priority_id)
    ):
        priorities[cid].append(pid)
    rows = []
    for c in consultations:
        f = figures.get(c.id) or Figures()
        rows.append(
            {
                "consultation_id": c.id,
                "slug": c.slug,
                "title": c.title,
                "kind": c.kind.value,
                "summary": c.summary,
                "state": c.state_at(now).value,
                "opens_at": c.opens_at,
                "closes_at": c.closes_at,
                "response_due_at": c.response_due_at,
                "responded_at": c.responded_at,
                "priority_ids": priorities.get(c.id, []),
                "participants": _withheld(f.participants),
                "feedback_items": _withheld(f.items),
                "url": external_url("consultations.show", area_slug=area.slug, slug=c.slug),
            }
        )
    return rows


def _published_themes(area):
    return (
        select(Theme)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .where(
            Theme.area_id == area.id,
            Theme.published_at.is_not(None),
            Consultation.published_at.is_not(None),
        )
    )


def theme_rows(area) -> list[dict]:
    themes = list(
        db.session.scalars(_published_themes(area).order_by(Theme.consultation_id, Theme.position))
    )
    priorities: dict[int, list[int]] = defaultdict(list)
    for tid, pid in db.session.execute(
        select(theme_priorities.c.theme_id, theme_priorities.c.priority_id)
        .where(
            theme_priorities.c.theme_id.in_(_published_themes(area).with_only_columns(Theme.id)),
            theme_priorities.c.priority_id.in_(_published_priority_ids(area)),
        )
        .order_by(theme_priorities.c.priority_id)
    ):
        priorities[tid].append(pid)
    return [
        {
            "theme_id": t.id,
            "consultation_id": t.consultation_id,
            "position": t.position,
            "title": t.title,
            "summary": t.summary,
            "priority_ids": priorities.get(t.id, []),
            "published_at": t.published_at,
        }
        for t in themes
    ]


def decision_rows(area) -> list[dict]:
    published_theme_ids = _published_themes(area).with_only_columns(Theme.id)
    rows = list(
        db.session.execute(
            select(Decision, PartnerOrganisation.name)
            .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
            .where(
                Decision.area_id == area.id,
                Decision.published_at.is_not(None),
                Decision.theme_id.in_(published_theme_ids),
            )
            .order_by(Decision.theme_id, Decision.id)
        )
    )
    commitments: dict[int, list[int]] = defaultdict(list)
    for did, cid in db.session.execute(
        select(DecisionCommitment.decision_id, DecisionCommitment.commitment_id)
        .where(
            DecisionCommitment.area_id == area.id,
            DecisionCommitment.commitment_id.in_(_published_commitment_ids(area)),
        )
        .order_by(DecisionCommitment.commitment_id)
    ):
        commitments[did].append(cid)
    return [
        {
            "decision_id": d.id,
            "theme_id": d.theme_id,
            "partner": partner,
            "outcome": d.outcome.value,
            "explanation": d.explanation,
            "reason": d.reason,
            "decide_by": d.decide_by,
            "forum_view": d.forum_view.value,
            "forum_comment": d.forum_comment,
            "commitment_ids": commitments.get(d.id, []),
            "published_at": d.published_at,
        }
        for d, partner in rows
    ]


def scorecard_rows(area, *, now=None) -> list[dict]:
    rows = []
    for plan in _published_plans(area):
        figures = plan_figures(plan.id, now=now)
        tops = db.session.execute(
            select(Priority.id, Priority.code)
            .where(Priority.plan_id == plan.id, Priority.parent_id.is_(None))
            .order_by(Priority.position, Priority.code, Priority.id)
        )
        for priority_id, code in [*tops, (None, None)]:
            f = figures.get(WHOLE_PLAN if priority_id is None else priority_id) or Figures()
            row = {
                "plan_id": plan.id,
                "priority_id": priority_id,
                "priority_code": code,
                "consultations": f.consultations,
                "participants": _withheld(f.participants),
                "feedback_items": _withheld(f.items),
                "themes": f.themes,
                "themes_answered": f.themes_answered,
                "answers_with_outcome": f.decided,
                "answers_taken_up": f.taken_up,
                "take_up_percent": f.take_up,
                "median_days_to_respond": f.median_days,
                "overdue_consultations": f.overdue_consultations,
                "overdue_decisions": f.overdue_decisions,
                "commitments_total": f.commitments_total,
            }
            for status in STATUSES:
                row[f"commitments_{status.value}"] = f.commitments[status]
            rows.append(row)
    return rows


def rows_of(name: str, area, *, now=None) -> list[dict]:
    """The rows of one file (without `schema_version`)."""
    return {
        "plans": lambda: plan_rows(area),
        "priorities": lambda: priority_rows(area),
        "commitments": lambda: commitment_rows(area),
        "updates": lambda: update_rows(area),
        "consultations": lambda: consultation_rows(area, now=now),
        "themes": lambda: theme_rows(area),
        "decisions": lambda: decision_rows(area),
        "scorecard": lambda: scorecard_rows(area, now=now),
    }[name]()


# --- writing ---------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return spreadsheet_safe(value)


def ledger_json(area, *, now=None) -> str:
    """The whole published ledger of the area as one JSON document."""
    now = now or utcnow()
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": now.isoformat(),
        "area": {"slug": area.slug, "name": area.name, "forum_name": area.forum_name},
    }
    for file in SCHEMA:
        document[file.name] = [
            {key: _json_value(value) for key, value in row.items()}
            for row in rows_of(file.name, area, now=now)
        ]
    return json.dumps(document, ensure_ascii=False, indent=1)


def file_csv(name: str, area, *, now=None) -> str:
    """One file of the ledger as CSV: a header row of field names, then one row per record,
    each starting with the schema version. Text that a spreadsheet would run as a formula
    starts with an apostrophe."""
    file = FILES[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.name for f in file.fields])
    for row in rows_of(name, area, now=now):
        row = {"schema_version": SCHEMA_VERSION, **row}
        writer.writerow([_csv_value(row.get(f.name)) for f in file.fields])
    return out.getvalue()
