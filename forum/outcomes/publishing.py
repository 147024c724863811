"""Publishing a consultation's response, and reading the ledger back.

`publish_response` is the forum's "Publish the response" button: every theme and decision not
yet published gets its `published_at`, the consultation moves to "responded" (the first
time), and the people whose feedback is behind the newly published decisions are told.
Publishing again later publishes only what was added since.

The queries load a consultation's themes with their decisions, partners, linked commitments
and evidence figures in a fixed number of statements, however many there are: the staff view
(`ledger_of`, everything) and the public "We asked, you said, we did" section
(`published_ledger`, only what was published, counts under 5 suppressed, consented quotes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, url_for
from flask_login import current_user
from sqlalchemy import func, literal, select, union_all, update
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from forum.audit.services import record
from forum.consultations.models import Consultation, ConsultationState
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.decisions import london_today
from forum.outcomes.models import Decision, DecisionCommitment, ForumView, Outcome, Theme
from forum.outcomes.permissions import ANALYSABLE, can_view_published
from forum.plans.models import Commitment, Priority
from forum.surveys.results.disclosure import Count, count_of

#: the most consented quotes shown under a published theme
QUOTES_SHOWN = 3


class PublishRefused(ValueError):
    """Publishing does not make sense now; the message is safe to show."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- reading -------------------------------------------------------------------------------


def _themes(consultation: Consultation, *, published_only: bool) -> list[Theme]:
    decisions = selectinload(Theme.decisions)
    query = (
        select(Theme)
        .options(
            selectinload(Theme.priorities),
            decisions.selectinload(Decision.partner),
            decisions.selectinload(Decision.links)
            .selectinload(DecisionCommitment.commitment)
            .selectinload(Commitment.partner),
            decisions.selectinload(Decision.links)
            .selectinload(DecisionCommitment.commitment)
            .selectinload(Commitment.priority)
            .selectinload(Priority.plan),
        )
        .where(Theme.consultation_id == consultation.id, Theme.area_id == consultation.area_id)
        .order_by(Theme.position, Theme.id)
    )
    if published_only:
        query = query.where(Theme.published_at.is_not(None))
    return list(db.session.scalars(query))


def ledger_of(consultation: Consultation) -> list[Theme]:
    """Every theme of the consultation with every decision (the staff view)."""
    return _themes(consultation, published_only=False)


def overdue_days(decision: Decision, today: date | None = None) -> int | None:
    """Days past its decide-by date for a decision still under consideration, else None."""
    if decision.outcome is not Outcome.UNDER_CONSIDERATION or decision.decide_by is None:
        return None
    days = ((today or london_today()) - decision.decide_by).days
    return days if days > 0 else None


def changed_since_published(decision: Decision) -> bool:
    """The partner changed its answer after the forum published it."""
    return (
        decision.published_at is not None
        and decision.updated_at is not None
        and decision.updated_at > decision.published_at
    )


def commitment_url(commitment: Commitment, area) -> str | None:
    """The commitment's page on its plan, once the plan is public (else None: the title
    and status are shown without a link)."""
    plan = commitment.priority.plan
    if not plan.is_published or "plans.commitment" not in current_app.view_functions:
        return None
    try:
        return url_for(
            "plans.commitment",
            area_slug=area.slug,
            plan_slug=plan.slug,
            commitment_id=commitment.id,
        )
    except BuildError:
        return None


@dataclass(frozen=True)
class PublishedTheme:
    theme: Theme
    #: feedback items and distinct people behind the theme, as the public may see them
    items: Count | None
    people: Count | None
    quotes: list[str]
    decisions: list[Decision]


@dataclass(frozen=True)
class Participation:
    survey: Count
    discussion: Count


@dataclass(frozen=True)
class PublishedLedger:
    consultation: Consultation
    took_part: Participation
    themes: list[PublishedTheme] = field(default_factory=list)

    @property
    def decision_count(self) -> int:
        return sum(len(t.decisions) for t in self.themes)


def participation(consultation: Consultation) -> Participation:
    """How many people answered the survey (submitted) and how many wrote in the
    consultation's discussion, suppressed for the public, in one statement."""
    from forum.discussions.models import Board, Post, PostStatus, Thread
    from forum.surveys.models import Response, ResponseStatus, Survey

    answered = (
        select(func.count(Response.id))
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED,
        )
        .scalar_subquery()
    )
    discussed = (
        select(func.count(func.distinct(Post.author_id)))
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(Board.consultation_id == consultation.id, Post.status == PostStatus.VISIBLE)
        .scalar_subquery()
    )
    row = db.session.execute(select(answered, discussed)).one()
    return Participation(
        survey=count_of(row[0] or 0, exact=False), discussion=count_of(row[1] or 0, exact=False)
    )


def quotes_for(theme_ids: list[int], limit: int = QUOTES_SHOWN) -> dict[int, list[str]]:
    """Up to `limit` quotes per theme, in one statement however many themes: the same rules
    as `evidence.theme_quotes` (written answers linked directly or through a code, from
    submitted responses whose respondent agreed to be quoted; picked answers first, then
    the newest). Posts are never quoted."""
    from forum.outcomes.models import Evidence, EvidenceKind
    from forum.surveys.models import Answer, AnswerCode, Response, ResponseStatus

    if not theme_ids:
        return {}
    direct = select(
        Evidence.theme_id.label("theme_id"),
        Evidence.answer_id.label("answer_id"),
        literal(0).label("picked"),
    ).where(Evidence.theme_id.in_(theme_ids), Evidence.kind == EvidenceKind.ANSWER)
    tagged = (
        select(
            Evidence.theme_id.label("theme_id"),
            AnswerCode.answer_id.label("answer_id"),
            literal(1).label("picked"),
        )
        .join(AnswerCode, AnswerCode.code_id == Evidence.code_id)
        .where(Evidence.theme_id.in_(theme_ids), Evidence.kind == EvidenceKind.CODE)
    )
    links = union_all(direct, tagged).subquery("links")
    best = (
        select(links.c.theme_id, links.c.answer_id, func.min(links.c.picked).label("picked"))
        .group_by(links.c.theme_id, links.c.answer_id)
        .subquery("best")
    )
    ranked = (
        select(
            best.c.theme_id,
            Answer.text,
            func.row_number()
            .over(partition_by=best.c.theme_id, order_by=(best.c.picked, Answer.id.desc()))
            .label("rank"),
        )
        .join(Answer, Answer.id == best.c.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Theme, Theme.id == best.c.theme_id)
        .where(
            Response.area_id == Theme.area_id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.may_quote.is_(True),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .subquery("ranked")
    )
    rows = db.session.execute(
        select(ranked.c.theme_id, ranked.c.text)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.theme_id, ranked.c.rank)
    )
    quotes: dict[int, list[str]] = {}
    for theme_id, text in rows:
        quotes.setdefault(theme_id, []).append(text)
    return quotes


def _figures_and_quotes(themes: list[Theme]) -> tuple[dict, dict]:
    """Items and people per theme (from the evidence module) and consented quotes: two
    statements however many themes."""
    if not themes:
        return {}, {}
    from forum.outcomes.evidence import theme_figures

    return theme_figures(themes), quotes_for([t.id for t in themes])


def build_published(consultation: Consultation) -> PublishedLedger:
    """The published themes and decisions of a consultation, as the public sees them."""
    themes = _themes(consultation, published_only=True)
    figures, quotes = _figures_and_quotes(themes)
    shown = []
    for theme in themes:
        figure = figures.get(theme.id)
        shown.append(
            PublishedTheme(
                theme=theme,
                items=count_of(figure.items, exact=False) if figure is not None else None,
                people=count_of(figure.people, exact=False) if figure is not None else None,
                quotes=quotes.get(theme.id, []),
                decisions=[d for d in theme.decisions if d.published_at is not None],
            )
        )
    return PublishedLedger(
        consultation=consultation, took_part=participation(consultation), themes=shown
    )


def published_ledger(consultation: Consultation) -> PublishedLedger | None:
    """For the consultation page (a Jinja global): the "We asked, you said, we did" section,
    or None when the current viewer may not see it or nothing has been published."""
    if not can_view_published(current_user, consultation):
        return None
    ledger = build_published(consultation)
    return ledger if ledger.themes else None


# --- publishing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishPlan:
    """What "Publish the response" will do, for the confirmation page."""

    themes: list[Theme]
    new_themes: list[Theme]
    new_decisions: list[Decision]
    #: themes that will be published with no partner's answer yet
    unanswered: list[Theme]
    #: decisions that will be published before the forum has agreed or disputed them
    unreviewed: list[Decision]

    @property
    def has_news(self) -> bool:
        return bool(self.new_themes or self.new_decisions)


def plan_publishing(consultation: Consultation, themes: list[Theme] | None = None) -> PublishPlan:
    themes = ledger_of(consultation) if themes is None else themes
    new_decisions = [d for t in themes for d in t.decisions if d.published_at is None]
    return PublishPlan(
        themes=themes,
        new_themes=[t for t in themes if t.published_at is None],
        new_decisions=new_decisions,
        unanswered=[t for t in themes if not t.decisions],
        unreviewed=[d for d in new_decisions if d.forum_view is ForumView.PENDING],
    )


@dataclass(frozen=True)
class Published:
    themes: list[Theme]
    decisions: list[Decision]
    #: the consultation moved to "responded" with this publishing
    first_time: bool


def publish_response(consultation: Consultation, *, actor) -> Published:
    """Publish every theme and decision not yet published; move the consultation to
    "responded" if it is not already; recount the area's scorecard figures; tell the people
    behind the new decisions."""
    from forum.consultations.services import mark_responded
    from forum.outcomes import notify
    from forum.outcomes.scorecard import refresh_figures

    state = consultation.state
    if state not in ANALYSABLE:
        raise PublishRefused(
            f"A consultation that is {state.label.lower()} has no response to publish"
        )
    plan = plan_publishing(consultation)
    if not plan.themes:
        raise PublishRefused("There are no themes yet. Build the themes before publishing")
    now = utcnow()
    theme_ids = [t.id for t in plan.new_themes]
    decision_ids = [d.id for d in plan.new_decisions]
    if theme_ids:
        db.session.execute(
            update(Theme)
            .where(Theme.id.in_(theme_ids), Theme.published_at.is_(None))
            .values(published_at=now, updated_at=Theme.updated_at)
            .execution_options(synchronize_session=False)
        )
    if decision_ids:
        # Naming updated_at keeps it, so a decision does not read "Updated" on the day it is
        # published.
        db.session.execute(
            update(Decision)
            .where(Decision.id.in_(decision_ids), Decision.published_at.is_(None))
            .values(published_at=now, updated_at=Decision.updated_at)
            .execution_options(synchronize_session=False)
        )
    for obj in [*plan.new_themes, *plan.new_decisions]:
        db.session.refresh(obj)
    first_time = state is ConsultationState.CLOSED
    if first_time:
        mark_responded(consultation, actor=actor)
    record(
        "consultation.response_published",
        consultation,
        actor=actor,
        area=consultation.area,
        themes=len(theme_ids),
        decisions=len(decision_ids),
        first_time=first_time,
    )
    refresh_figures([consultation.area_id])
    if plan.new_decisions:
        notify.decisions_published(consultation, plan.new_decisions, actor=actor)
    return Published(themes=plan.new_themes, decisions=plan.new_decisions, first_time=first_time)
