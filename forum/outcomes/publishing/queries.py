"""Reading a consultation's ledger back, for staff and for the public.

The queries load a consultation's themes with their decisions, partners, linked commitments
and evidence figures in a fixed number of statements, however many there are: the staff view
(`ledger_of`, everything) and the public "We asked, you said, we did" section
(`published_ledger`, only what was published, counts protected by `forum.disclosure`,
consented quotes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.consultations.models import Consultation
from forum.disclosure import Count, count_of
from forum.extensions import db
from forum.outcomes.decisions.models import Decision, DecisionCommitment, ForumView
from forum.outcomes.themes.models import Theme
from forum.outcomes.themes.queries import (
    HeardAtEvent,
    heard_at_events,
    theme_figures,
    theme_quotes,
)
from forum.plans.models import Commitment, Priority


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


@dataclass(frozen=True)
class PublishedTheme:
    theme: Theme
    #: feedback items and distinct people behind the theme, as the public may see them
    items: Count | None
    people: Count | None
    quotes: list[str]
    decisions: list[Decision]
    #: points raised and actions agreed at events, from notes anyone may read
    heard: list[HeardAtEvent] = field(default_factory=list)


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
    consultation's discussion, protected for the public (`forum.disclosure`: the survey's
    count needs 5 vouched responses), in one statement."""
    from forum.discussions.models import Board, Post, PostStatus, Thread
    from forum.surveys.models import Response, Survey, counted_responses, vouched_responses

    of_survey = (Survey.consultation_id == consultation.id, counted_responses())
    answered = (
        select(func.count(Response.id))
        .join(Survey, Survey.id == Response.survey_id)
        .where(*of_survey)
        .scalar_subquery()
    )
    vouched = (
        select(func.count(Response.id))
        .join(Survey, Survey.id == Response.survey_id)
        .where(*of_survey, vouched_responses())
        .scalar_subquery()
    )
    discussed = (
        select(func.count(func.distinct(Post.author_id)))
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(Board.consultation_id == consultation.id, Post.status == PostStatus.VISIBLE)
        .scalar_subquery()
    )
    row = db.session.execute(select(answered, discussed, vouched)).one()
    return Participation(
        survey=count_of(row[0] or 0, exact=False, vouched=row[2] or 0),
        discussion=count_of(row[1] or 0, exact=False),
    )


def _figures_and_quotes(themes: list[Theme]) -> tuple[dict, dict, dict]:
    """Items and people per theme, consented quotes and what was heard at events in public
    notes: four statements however many themes."""
    if not themes:
        return {}, {}, {}
    ids = [t.id for t in themes]
    return theme_figures(themes), theme_quotes(ids), heard_at_events(ids)


def build_published(consultation: Consultation) -> PublishedLedger:
    """The published themes and decisions of a consultation, as the public sees them."""
    themes = _themes(consultation, published_only=True)
    figures, quotes, heard = _figures_and_quotes(themes)
    shown = []
    for theme in themes:
        figure = figures.get(theme.id)
        shown.append(
            PublishedTheme(
                theme=theme,
                items=count_of(figure.items, exact=False, vouched=figure.vouched_items)
                if figure is not None
                else None,
                people=count_of(figure.people, exact=False, vouched=figure.vouched_people)
                if figure is not None
                else None,
                quotes=[q.text for q in quotes.get(theme.id, [])],
                decisions=[d for d in theme.decisions if d.published_at is not None],
                heard=heard.get(theme.id, []),
            )
        )
    return PublishedLedger(
        consultation=consultation, took_part=participation(consultation), themes=shown
    )


# --- before publishing ----------------------------------------------------------------------------


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
