"""Open data rows: an area's published ledger read into the rows of each file of the schema
(`open_data.schema`), and written out as one JSON document or a CSV file.

Only published things are included, counts of people and feedback items pass
`forum.disclosure` (from 1 to 4 withheld, the rest rounded to the nearest 5), and nothing
personal is included: no names, no email addresses, no answers, no posts, no quotes.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select

from forum.areas.models import PartnerOrganisation
from forum.consultations.models import Consultation, consultation_priorities
from forum.disclosure import published
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions.models import Decision, DecisionCommitment
from forum.outcomes.national_outcomes.queries import by_theme as national_by_theme
from forum.outcomes.open_data.schema import FILES, SCHEMA, SCHEMA_VERSION
from forum.outcomes.scorecard.queries import (
    STATUSES,
    WHOLE_PLAN,
    Figures,
    consultation_figures,
    plan_figures,
)
from forum.outcomes.themes.models import Theme, theme_priorities
from forum.plans.models import Commitment, LocalPlan, Priority, ProgressUpdate
from forum.surveys.export.formats import spreadsheet_safe
from forum.web.urls import external_url

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


def _withheld(n: int, vouched: int) -> int | None:
    return published(n, vouched=vouched)


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
                "participants": _withheld(f.participants, f.vouched_participants),
                "feedback_items": _withheld(f.items, f.vouched_items),
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
    national = national_by_theme(t.id for t in themes)
    return [
        {
            "theme_id": t.id,
            "consultation_id": t.consultation_id,
            "position": t.position,
            "title": t.title,
            "summary": t.summary,
            "priority_ids": priorities.get(t.id, []),
            "published_at": t.published_at,
            **_national_fields(national.get(t.id)),
        }
        for t in themes
    ]


def _national_fields(outcome) -> dict:
    return {
        "national_body": outcome.body_name if outcome else None,
        "national_decision": outcome.decision if outcome else None,
        "national_decided_on": outcome.decided_on if outcome else None,
        "national_link": (outcome.link or None) if outcome else None,
    }


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
                "participants": _withheld(f.participants, f.vouched_participants),
                "feedback_items": _withheld(f.items, f.vouched_items),
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
