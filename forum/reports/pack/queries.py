"""Reading the inspection evidence pack, and the shares of it.

A pack is made for one area and one inspection window (a `Period`) from what is published or
public, never anything else, because it is read by people outside the forum:

- **the timeline**: consultations opened and closed, responses published, partners' published
  decisions and the forum's disputes of them, commitments linked to a decision (changed because
  of feedback), progress updates on those commitments and on commitments agreed at public
  meetings, and the forum's public meetings with partners;
- **"you said, we did"**: each published theme with a published decision in the window, with
  its evidence trail: the feedback behind it (counts through `forum.disclosure`), consented
  quotes (`theme_quotes`, as the published ledger chooses them), partners' decisions, the
  commitments they link to and their progress updates;
- **open issues**, as of the day the pack is read: responses overdue (the 12-week clock),
  decisions overdue, disputed decisions and delayed commitments.

Every list is one statement, so a pack is a fixed number of statements however many years of
data the area holds. Names of people are never read: only organisations, titles and the words
partners and organisers published.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import cast

from flask import abort, url_for
from sqlalchemy import and_, exists, func, or_, select, type_coerce
from sqlalchemy.orm import joinedload

from forum.areas.models import Area, PartnerOrganisation
from forum.consultations.models import Consultation
from forum.disclosure import Count, count_of
from forum.extensions import db
from forum.models import UTCDateTime
from forum.outcomes.clock.queries import (
    OverdueConsultation,
    OverdueDecision,
    london_day,
    overdue_consultations,
    overdue_decisions,
)
from forum.outcomes.decisions.models import Decision, DecisionCommitment, ForumView, Outcome
from forum.outcomes.themes.models import Theme
from forum.outcomes.themes.queries import theme_figures, theme_quotes, total_figures
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority, ProgressUpdate
from forum.reports.pack.models import PackShare, PackView
from forum.reports.periods import Period
from forum.representation.models import Action, Meeting

#: consented quotes shown under each theme of the pack
QUOTES = 2
#: progress updates shown under each commitment of a trail (the newest; the rest are counted)
UPDATES_SHOWN = 3


# --- the pack ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """One dated entry of the timeline."""

    at: datetime
    #: a key for the tag's colour: opened, closed, responded, decision, disputed, linked,
    #: progress, meeting
    kind: str
    #: what happened, in a few words ("Consultation opened")
    label: str
    #: what it happened to (a consultation's, theme's, commitment's or meeting's title)
    title: str
    detail: str = ""
    url: str | None = None

    @property
    def day(self) -> date:
        return london_day(self.at)


@dataclass(frozen=True)
class Month:
    first: date
    moments: list[Moment]

    @property
    def anchor(self) -> str:
        return f"month-{self.first:%Y-%m}"


@dataclass(frozen=True)
class Update:
    """A progress update, as the commitment's public page shows it."""

    at: datetime
    text: str
    status_before: CommitmentStatus
    status_after: CommitmentStatus
    progress_after: int
    #: the organisation that gave it; "The forum" for the forum's organisers
    by: str

    @property
    def day(self) -> date:
        return london_day(self.at)


@dataclass(frozen=True)
class TrailCommitment:
    id: int
    title: str
    status: CommitmentStatus
    progress: int
    due_on: date | None
    owner: str
    #: its public page; None while its plan is a draft (shown without a link or updates)
    url: str | None
    #: the newest `UPDATES_SHOWN` progress updates up to the end of the window, oldest first
    updates: list[Update] = field(default_factory=list)
    #: how many earlier updates there were (on the commitment's page)
    earlier: int = 0


@dataclass(frozen=True)
class TrailDecision:
    partner: str
    outcome: Outcome
    explanation: str
    reason: str
    decide_by: date | None
    forum_view: ForumView
    forum_comment: str
    published_at: datetime
    commitments: list[TrailCommitment] = field(default_factory=list)


@dataclass(frozen=True)
class Trail:
    """ "You said, we did": one published theme and what followed from it."""

    theme_id: int
    title: str
    summary: str
    consultation: str
    consultation_url: str
    #: the feedback behind the theme, protected (`forum.disclosure`)
    items: Count
    people: Count
    quotes: list[str]
    decisions: list[TrailDecision]

    @property
    def anchor(self) -> str:
        return f"trail-{self.theme_id}"


@dataclass(frozen=True)
class Disputed:
    partner: str
    theme: str
    consultation: str
    url: str
    comment: str
    at: datetime


@dataclass(frozen=True)
class Delayed:
    title: str
    owner: str
    status: CommitmentStatus
    due_on: date | None
    url: str


@dataclass(frozen=True)
class OpenIssues:
    """What is late or contested as of `on`."""

    on: date
    overdue_responses: list[OverdueConsultation]
    overdue_decisions: list[OverdueDecision]
    disputed: list[Disputed]
    delayed: list[Delayed]

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue_responses or self.overdue_decisions or self.disputed or self.delayed
        )


@dataclass(frozen=True)
class Summary:
    """The pack's figures at a glance. Counts of public records (consultations, decisions,
    meetings) are exact: each is listed in the pack. Counts of people and feedback go through
    `forum.disclosure`."""

    opened: int
    closed: int
    responses: int
    decisions: int
    taken_up: int
    linked: int
    updates: int
    meetings: int
    items: Count
    people: Count


@dataclass(frozen=True)
class Pack:
    area: Area
    period: Period
    made_at: datetime
    months: list[Month]
    trails: list[Trail]
    issues: OpenIssues
    summary: Summary

    @property
    def is_empty(self) -> bool:
        return not (self.months or self.trails) and self.issues.is_empty


def _in(column, period: Period, now: datetime | None = None):
    """`column` inside the window (and, with `now`, not in the future)."""
    return period.holds(column) if now is None else and_(period.holds(column), column < now)


def _commitment_url(area: Area, plan_slug: str, commitment_id: int) -> str:
    return url_for(
        "plans.commitment", area_slug=area.slug, plan_slug=plan_slug, commitment_id=commitment_id
    )


def _consultation_url(area: Area, slug: str) -> str:
    return url_for("consultations.show", area_slug=area.slug, slug=slug)


def _published_decisions():
    """Conditions on a decision (joined to its theme) the public may read."""
    return (Decision.published_at.is_not(None), Theme.published_at.is_not(None))


def _co_produced_commitments(area: Area):
    """The ids of the area's commitments that came from feedback (linked to a published
    decision on a published theme) or were agreed at a meeting whose actions are public."""
    from_feedback = (
        select(DecisionCommitment.commitment_id)
        .join(Decision, Decision.id == DecisionCommitment.decision_id)
        .join(Theme, Theme.id == Decision.theme_id)
        .where(DecisionCommitment.area_id == area.id, *_published_decisions())
    )
    from_meetings = (
        select(Action.commitment_id)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(
            Meeting.area_id == area.id,
            Meeting.is_public.is_(True),
            Meeting.is_agreed_public.is_(True),
            Action.commitment_id.is_not(None),
        )
    )
    return from_feedback.union(from_meetings)


# --- the timeline --------------------------------------------------------------------------------


def _consultation_moments(area: Area, period: Period, now: datetime) -> list[Moment]:
    rows = db.session.execute(
        select(
            Consultation.slug,
            Consultation.title,
            Consultation.opens_at,
            Consultation.closes_at,
            Consultation.responded_at,
            Consultation.closed_early_reason,
        ).where(
            Consultation.area_id == area.id,
            Consultation.published_at.is_not(None),
            or_(
                _in(Consultation.opens_at, period, now),
                _in(Consultation.closes_at, period, now),
                _in(Consultation.responded_at, period, now),
            ),
        )
    )
    moments = []
    for slug, title, opens_at, closes_at, responded_at, early in rows:
        url = _consultation_url(area, slug)
        if period.holds_moment(opens_at) and opens_at <= now:
            moments.append(Moment(opens_at, "opened", "Consultation opened", title, url=url))
        if period.holds_moment(closes_at) and closes_at <= now:
            detail = f"Closed early: {early}" if early else ""
            moments.append(Moment(closes_at, "closed", "Consultation closed", title, detail, url))
        if responded_at and period.holds_moment(responded_at) and responded_at < now:
            moments.append(
                Moment(responded_at, "responded", "Response to families published", title, url=url)
            )
    return moments


def _decision_moments(area: Area, period: Period, now: datetime) -> list[Moment]:
    """Published decisions, and the forum's disputes of them, in the window."""
    disputed = and_(Decision.forum_view == ForumView.DISPUTED, Decision.forum_view_at.is_not(None))
    rows = db.session.execute(
        select(
            Decision.outcome,
            Decision.published_at,
            Decision.forum_view_at,
            Decision.forum_view,
            Decision.forum_comment,
            PartnerOrganisation.name,
            Theme.title,
            Consultation.slug,
            Consultation.title,
        )
        .join(Theme, Theme.id == Decision.theme_id)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(
            Decision.area_id == area.id,
            *_published_decisions(),
            or_(
                _in(Decision.published_at, period, now),
                and_(disputed, _in(Decision.forum_view_at, period, now)),
            ),
        )
    )
    moments = []
    for outcome, published, view_at, view, comment, partner, theme, slug, title in rows:
        url = _consultation_url(area, slug)
        published_at = cast(datetime, published)  # published decisions only
        if period.holds_moment(published_at):
            moments.append(
                Moment(
                    published_at,
                    "decision",
                    f"{partner} answered: {outcome.label.lower()}",
                    theme,
                    f"From the consultation “{title}”",
                    url,
                )
            )
        if view is ForumView.DISPUTED and view_at is not None:
            # A dispute made before publishing is made public with the decision.
            at = max(view_at, published_at)
            if period.holds_moment(at):
                moments.append(
                    Moment(
                        at,
                        "disputed",
                        f"The forum disputed {partner}’s answer",
                        theme,
                        comment,
                        url,
                    )
                )
    return moments


def _link_moments(area: Area, period: Period, now: datetime) -> list[Moment]:
    """Commitments linked to a published decision in the window: changed because of feedback."""
    rows = db.session.execute(
        select(
            DecisionCommitment.linked_at,
            Commitment.id,
            Commitment.title,
            LocalPlan.slug,
            LocalPlan.published_at,
            PartnerOrganisation.name,
            Theme.title,
        )
        .join(Decision, Decision.id == DecisionCommitment.decision_id)
        .join(Theme, Theme.id == Decision.theme_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .join(Commitment, Commitment.id == DecisionCommitment.commitment_id)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .where(
            DecisionCommitment.area_id == area.id,
            *_published_decisions(),
            _in(DecisionCommitment.linked_at, period, now),
        )
    )
    return [
        Moment(
            linked_at,
            "linked",
            f"Commitment made because of feedback ({partner})",
            title,
            f"In answer to “{theme}”",
            _commitment_url(area, plan_slug, commitment_id) if plan_published else None,
        )
        for linked_at, commitment_id, title, plan_slug, plan_published, partner, theme in rows
    ]


def _progress_moments(area: Area, period: Period, now: datetime) -> list[Moment]:
    """Progress updates in the window on co-produced commitments of published plans."""
    rows = db.session.execute(
        select(
            ProgressUpdate.created_at,
            ProgressUpdate.status_before,
            ProgressUpdate.status_after,
            ProgressUpdate.progress_after,
            Commitment.id,
            Commitment.title,
            LocalPlan.slug,
        )
        .join(Commitment, Commitment.id == ProgressUpdate.commitment_id)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .where(
            ProgressUpdate.area_id == area.id,
            LocalPlan.published_at.is_not(None),
            _in(ProgressUpdate.created_at, period, now),
            Commitment.id.in_(_co_produced_commitments(area)),
        )
    )
    moments = []
    for at, before, after, progress, commitment_id, title, plan_slug in rows:
        change = (
            f"{before.label} to {after.label}, {progress}% done"
            if before is not after
            else f"{after.label}, {progress}% done"
        )
        moments.append(
            Moment(
                at,
                "progress",
                "Progress update",
                title,
                change,
                _commitment_url(area, plan_slug, commitment_id),
            )
        )
    return moments


def _meeting_moments(area: Area, period: Period) -> list[Moment]:
    """The forum's public meetings with partners in the window, with what was agreed when that
    is public too."""
    actions = select(func.count(Action.id)).where(Action.meeting_id == Meeting.id).scalar_subquery()
    rows = db.session.execute(
        select(
            Meeting.id,
            Meeting.name,
            Meeting.held_on,
            func.coalesce(PartnerOrganisation.name, Meeting.partner_name),
            Meeting.is_agreed_public,
            actions,
        )
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Meeting.partner_id)
        .where(
            Meeting.area_id == area.id,
            Meeting.is_public.is_(True),
            Meeting.held_on >= period.start,
            Meeting.held_on <= period.end,
        )
    )
    moments = []
    for meeting_id, name, held_on, organisation, agreed_public, agreed in rows:
        detail = ""
        if agreed_public and agreed:
            detail = f"{agreed} action{'' if agreed == 1 else 's'} agreed"
        moments.append(
            Moment(
                datetime.combine(held_on, datetime.min.time(), tzinfo=period.starts_at.tzinfo),
                "meeting",
                f"The forum represented families at {organisation}"
                if organisation
                else "The forum represented families",
                name,
                detail,
                url_for(
                    "representation.public",
                    area_slug=area.slug,
                    month=f"{held_on:%Y-%m}",
                    _anchor=f"meeting-{meeting_id}",
                ),
            )
        )
    return moments


def timeline(area: Area, period: Period, now: datetime) -> list[Month]:
    """Every public moment of co-production in the window, oldest first, by month. Five
    statements however much happened."""
    moments = [
        *_consultation_moments(area, period, now),
        *_decision_moments(area, period, now),
        *_link_moments(area, period, now),
        *_progress_moments(area, period, now),
        *_meeting_moments(area, period),
    ]
    moments.sort(key=lambda m: (m.at, m.kind, m.title))
    months: dict[date, list[Moment]] = defaultdict(list)
    for moment in moments:
        day = moment.day
        months[date(day.year, day.month, 1)].append(moment)
    return [Month(first, found) for first, found in months.items()]


# --- you said, we did ----------------------------------------------------------------------------


def _trail_themes(area: Area, period: Period, now: datetime) -> list:
    """Published themes with a decision published by the end of the window, where something of
    their trail happened in it: the theme or a decision published, or a progress update on a
    commitment a decision links to."""
    decided = (
        select(Decision.id)
        .where(
            Decision.theme_id == Theme.id,
            Decision.published_at.is_not(None),
            Decision.published_at < period.ends_before,
        )
        .exists()
    )
    decided_in = (
        select(Decision.id)
        .where(Decision.theme_id == Theme.id, _in(Decision.published_at, period, now))
        .exists()
    )
    progressed_in = exists(
        select(ProgressUpdate.id)
        .join(DecisionCommitment, DecisionCommitment.commitment_id == ProgressUpdate.commitment_id)
        .join(Decision, Decision.id == DecisionCommitment.decision_id)
        .where(
            Decision.theme_id == Theme.id,
            Decision.published_at.is_not(None),
            _in(ProgressUpdate.created_at, period, now),
        )
    )
    return list(
        db.session.execute(
            select(
                Theme.id,
                Theme.title,
                Theme.summary,
                Consultation.slug,
                Consultation.title,
            )
            .join(Consultation, Consultation.id == Theme.consultation_id)
            .where(
                Theme.area_id == area.id,
                Theme.published_at.is_not(None),
                Theme.published_at < period.ends_before,
                Consultation.published_at.is_not(None),
                decided,
                or_(_in(Theme.published_at, period, now), decided_in, progressed_in),
            )
            .order_by(Consultation.closes_at, Consultation.id, Theme.position, Theme.id)
        )
    )


def _trail_decisions(
    theme_ids: list[int], period: Period
) -> dict[int, list[tuple[int, TrailDecision]]]:
    """{theme id: [(decision id, decision)]}: the decisions published by the end of the window,
    by partner. One statement."""
    rows = db.session.execute(
        select(Decision, PartnerOrganisation.name)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(
            Decision.theme_id.in_(theme_ids),
            Decision.published_at.is_not(None),
            Decision.published_at < period.ends_before,
        )
        .order_by(Decision.theme_id, PartnerOrganisation.name, Decision.id)
    )
    found: dict[int, list[tuple[int, TrailDecision]]] = defaultdict(list)
    for decision, partner in rows:
        found[decision.theme_id].append(
            (
                decision.id,
                TrailDecision(
                    partner=partner,
                    outcome=decision.outcome,
                    explanation=decision.explanation,
                    reason=decision.reason,
                    decide_by=decision.decide_by,
                    forum_view=decision.forum_view,
                    # the forum's comment is public once it has agreed or disputed
                    forum_comment=""
                    if decision.forum_view is ForumView.PENDING
                    else decision.forum_comment,
                    # published decisions only
                    published_at=cast(datetime, decision.published_at),
                ),
            )
        )
    return found


def _trail_commitments(area: Area, decision_ids: list[int], period: Period, now: datetime):
    """{decision id: [TrailCommitment]} with each commitment's newest progress updates up to
    the end of the window (only for commitments of published plans): two statements."""
    if not decision_ids:
        return {}
    rows = db.session.execute(
        select(
            DecisionCommitment.decision_id,
            Commitment.id,
            Commitment.title,
            Commitment.status,
            Commitment.progress,
            Commitment.due_on,
            PartnerOrganisation.name,
            LocalPlan.slug,
            LocalPlan.published_at,
        )
        .join(Commitment, Commitment.id == DecisionCommitment.commitment_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Commitment.partner_id)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .where(DecisionCommitment.decision_id.in_(decision_ids))
        .order_by(DecisionCommitment.decision_id, Commitment.id)
    ).all()
    public = {row[1] for row in rows if row[8] is not None}
    updates: dict[int, list[Update]] = defaultdict(list)
    earlier: dict[int, int] = {}
    if public:
        newest_first = (ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        ranked = (
            select(
                ProgressUpdate.commitment_id,
                ProgressUpdate.created_at,
                ProgressUpdate.text,
                ProgressUpdate.status_before,
                ProgressUpdate.status_after,
                ProgressUpdate.progress_after,
                func.coalesce(PartnerOrganisation.name, "The forum").label("by"),
                ProgressUpdate.id,
                func.row_number()
                .over(partition_by=ProgressUpdate.commitment_id, order_by=newest_first)
                .label("rank"),
                func.count().over(partition_by=ProgressUpdate.commitment_id).label("total"),
            )
            .outerjoin(PartnerOrganisation, PartnerOrganisation.id == ProgressUpdate.partner_id)
            .where(
                ProgressUpdate.commitment_id.in_(public),
                ProgressUpdate.created_at < min(period.ends_before, now),
            )
            .subquery("ranked")
        )
        c = ranked.c
        for commitment_id, *values, total in db.session.execute(
            select(
                c.commitment_id,
                type_coerce(c.created_at, UTCDateTime()),
                c.text,
                c.status_before,
                c.status_after,
                c.progress_after,
                c.by,
                c.total,
            )
            .where(c.rank <= UPDATES_SHOWN)
            .order_by(c.commitment_id, c.created_at, c.id)
        ):
            updates[commitment_id].append(Update(*values))
            earlier[commitment_id] = max(int(total) - UPDATES_SHOWN, 0)
    found: dict[int, list[TrailCommitment]] = defaultdict(list)
    for decision_id, cid, title, status, progress, due_on, owner, plan_slug, plan_published in rows:
        shown = plan_published is not None
        found[decision_id].append(
            TrailCommitment(
                cid,
                title,
                status,
                progress,
                due_on,
                owner,
                _commitment_url(area, plan_slug, cid) if shown else None,
                updates.get(cid, []) if shown else [],
                earlier.get(cid, 0) if shown else 0,
            )
        )
    return found


def trails(area: Area, period: Period, now: datetime) -> tuple[list[Trail], Count, Count]:
    """ "You said, we did" with evidence trails, and the feedback behind them all (distinct
    items and people, protected). Seven statements however many themes."""
    themes = _trail_themes(area, period, now)
    if not themes:
        return [], count_of(0, exact=False), count_of(0, exact=False)
    ids = [row[0] for row in themes]
    decisions = _trail_decisions(ids, period)
    commitments = _trail_commitments(
        area, [d for found in decisions.values() for d, _ in found], period, now
    )
    figures = theme_figures(ids)
    quotes = theme_quotes(ids, limit=QUOTES)
    shown = []
    for theme_id, title, summary, slug, consultation in themes:
        figure = figures[theme_id]
        shown.append(
            Trail(
                theme_id=theme_id,
                title=title,
                summary=summary,
                consultation=consultation,
                consultation_url=_consultation_url(area, slug),
                items=count_of(figure.items, exact=False, vouched=figure.vouched_items),
                people=count_of(figure.people, exact=False, vouched=figure.vouched_people),
                quotes=[q.text for q in quotes.get(theme_id, [])],
                decisions=[
                    replace(d, commitments=commitments.get(did, []))
                    for did, d in decisions.get(theme_id, [])
                ],
            )
        )
    total = total_figures(ids)
    return (
        shown,
        count_of(total.items, exact=False, vouched=total.vouched_items),
        count_of(total.people, exact=False, vouched=total.vouched_people),
    )


# --- open issues ---------------------------------------------------------------------------------


def _disputed(area: Area) -> list[Disputed]:
    rows = db.session.execute(
        select(
            PartnerOrganisation.name,
            Theme.title,
            Consultation.title,
            Consultation.slug,
            Decision.forum_comment,
            Decision.forum_view_at,
            Decision.published_at,
        )
        .join(Theme, Theme.id == Decision.theme_id)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(
            Decision.area_id == area.id,
            *_published_decisions(),
            Decision.forum_view == ForumView.DISPUTED,
        )
        .order_by(Decision.published_at, Decision.id)
    )
    return [
        Disputed(
            partner,
            theme,
            title,
            _consultation_url(area, slug),
            comment,
            cast(datetime, view_at or at),
        )
        for partner, theme, title, slug, comment, view_at, at in rows
    ]


def _delayed(area: Area, today: date) -> list[Delayed]:
    """Commitments of published plans marked delayed, or past their due date and neither done
    nor dropped."""
    finished = (CommitmentStatus.DONE, CommitmentStatus.DROPPED)
    rows = db.session.execute(
        select(
            Commitment.id,
            Commitment.title,
            PartnerOrganisation.name,
            Commitment.status,
            Commitment.due_on,
            LocalPlan.slug,
        )
        .join(PartnerOrganisation, PartnerOrganisation.id == Commitment.partner_id)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .where(
            Commitment.area_id == area.id,
            LocalPlan.published_at.is_not(None),
            or_(
                Commitment.status == CommitmentStatus.DELAYED,
                and_(Commitment.due_on < today, Commitment.status.not_in(finished)),
            ),
        )
        .order_by(Commitment.due_on, Commitment.id)
    )
    return [
        Delayed(title, owner, status, due_on, _commitment_url(area, plan_slug, cid))
        for cid, title, owner, status, due_on, plan_slug in rows
    ]


def open_issues(area: Area, now: datetime) -> OpenIssues:
    """What is late or disputed today: four statements."""
    today = london_day(now)
    return OpenIssues(
        on=today,
        overdue_responses=overdue_consultations(area, now),
        overdue_decisions=[
            d for d in overdue_decisions(area, now) if d.theme.published_at is not None
        ],
        disputed=_disputed(area),
        delayed=_delayed(area, today),
    )


# --- the whole pack ------------------------------------------------------------------------------


def build_pack(area: Area, period: Period, now: datetime) -> Pack:
    """The evidence pack of `area` for `period`, as anyone outside the forum may read it."""
    months = timeline(area, period, now)
    shown, items, people = trails(area, period, now)
    moments = [m for month in months for m in month.moments]

    def counted(kind: str) -> int:
        return sum(1 for m in moments if m.kind == kind)

    decisions = [d for t in shown for d in t.decisions if period.starts_at <= d.published_at]
    return Pack(
        area=area,
        period=period,
        made_at=now,
        months=months,
        trails=shown,
        issues=open_issues(area, now),
        summary=Summary(
            opened=counted("opened"),
            closed=counted("closed"),
            responses=counted("responded"),
            decisions=counted("decision"),
            taken_up=sum(1 for d in decisions if d.outcome.is_taken_up),
            linked=counted("linked"),
            updates=counted("progress"),
            meetings=counted("meeting"),
            items=items,
            people=people,
        ),
    )


# --- shares --------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_share(token: str) -> PackShare | None:
    """The share whose link carries `token`, whatever its state; None for any other text."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(PackShare)
        .options(joinedload(PackShare.area))
        .where(PackShare.token_hash == token_hash(token))
    )


def get_share(area: Area, share_id: int) -> PackShare | None:
    return db.session.scalar(
        select(PackShare).where(PackShare.id == share_id, PackShare.area_id == area.id)
    )


def load_share(kwargs: dict) -> dict:
    """URL loader: the area's share by id, or 404 (another area's share is not found here)."""
    from forum.areas.queries import load_area

    kwargs = load_area(kwargs)
    share_id = kwargs.pop("share_id")
    share = get_share(kwargs["area"], share_id) if 0 < share_id < 2**31 else None
    if share is None:
        abort(404)
    kwargs["share"] = share
    return kwargs


@dataclass(frozen=True)
class ShareRow:
    share: PackShare
    views: int
    last_viewed_at: datetime | None


def shares_of(area: Area) -> list[ShareRow]:
    """The area's shares, newest first, with how often and when last each was opened. One
    statement."""
    views = (
        select(
            PackView.share_id,
            func.count(PackView.id).label("n"),
            type_coerce(func.max(PackView.viewed_at), UTCDateTime()).label("last"),
        )
        .where(PackView.area_id == area.id)
        .group_by(PackView.share_id)
        .subquery("views")
    )
    rows = db.session.execute(
        select(PackShare, views.c.n, views.c.last)
        .outerjoin(views, views.c.share_id == PackShare.id)
        .where(PackShare.area_id == area.id)
        .order_by(PackShare.created_at.desc(), PackShare.id.desc())
    )
    return [ShareRow(share, int(n or 0), last) for share, n, last in rows]


def views_of(share: PackShare) -> list[datetime]:
    """When the share's link was opened, newest first."""
    return list(
        db.session.scalars(
            select(PackView.viewed_at)
            .where(PackView.share_id == share.id)
            .order_by(PackView.viewed_at.desc(), PackView.id.desc())
        )
    )
