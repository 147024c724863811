"""Scorecard figures: how well co-production is working, per plan priority, per plan and per
area. Reads only; every figure uses published things only.

The same few aggregate queries serve every view: each takes "links" (pairs of a group key and a
consultation, theme or commitment) and counts per group with GROUP BY, so a page sends the same
number of statements however much there is. People and feedback items are read from the stored
figures (`scorecard.models`), which `scorecard.services.refresh_figures` counts. What each
figure counts is said in plain words on the scorecard page's "how we count" note.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from forum.consultations.models import Consultation, consultation_priorities
from forum.disclosure import Count, count_of
from forum.discussions.models import Board, Post, PostStatus, Thread
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.clock.queries import london_day
from forum.outcomes.decisions.models import Decision, Outcome
from forum.outcomes.scorecard.models import FigureScope, StoredFigures
from forum.outcomes.themes.models import Theme, theme_priorities
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority
from forum.surveys.models import Answer, Response, Survey, counted_responses, vouched_responses

#: the group key of a whole plan's figures (priority ids start from 1)
WHOLE_PLAN = 0
#: the statuses in the order they are shown; "done" counts as delivered
STATUSES = tuple(CommitmentStatus)
#: shown for people and feedback items before `refresh_figures` has counted them
NOT_COUNTED = "not counted yet"


@dataclass
class Figures:
    """The raw figures of one group (a priority, a plan, an area or a consultation)."""

    consultations: int = 0
    participants: int = 0
    items: int = 0
    #: of those, the people and items vouched for (accounts, posts, and responses that could
    #: not have been made in bulk): published figures need 5 of them (`forum.disclosure`)
    vouched_participants: int = 0
    vouched_items: int = 0
    themes: int = 0
    themes_answered: int = 0
    #: published decisions with an outcome (not "under consideration")
    decided: int = 0
    #: of those, adopted or partly adopted
    taken_up: int = 0
    #: calendar days from close to published response, one per responded consultation
    days_to_respond: list[float] = field(default_factory=list)
    overdue_consultations: int = 0
    overdue_decisions: int = 0
    commitments: Counter = field(default_factory=Counter)
    #: when `participants` and `items` were counted (None: not counted yet)
    counted_at: datetime | None = None

    @property
    def share_answered(self) -> int | None:
        """Percentage of themes with a published answer (None when there are no themes)."""
        return percent(self.themes_answered, self.themes)

    @property
    def take_up(self) -> int | None:
        return percent(self.taken_up, self.decided)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_respond) if self.days_to_respond else None

    @property
    def overdue(self) -> int:
        return self.overdue_consultations + self.overdue_decisions

    @property
    def commitments_total(self) -> int:
        return sum(self.commitments.values())

    @property
    def commitments_done(self) -> int:
        return self.commitments[CommitmentStatus.DONE]

    @property
    def median_days_text(self) -> str:
        return days_text(self.median_days)

    def commitment_rows(self) -> list[tuple[CommitmentStatus, int]]:
        return [(status, self.commitments[status]) for status in STATUSES]


def percent(part: int, whole: int) -> int | None:
    return int(part * 100 / whole + 0.5) if whole else None


def days_text(days: float | None) -> str:
    """A median number of days in words: "45 days", "12.5 days", "1 day"."""
    if days is None:
        return "no responses yet"
    number = f"{days:.1f}".removesuffix(".0")
    return f"{number} day" if number == "1" else f"{number} days"


@dataclass(frozen=True)
class Shown:
    """Figures as one viewer may see them: people and feedback items pass `forum.disclosure`
    (from 1 to 4 withheld as "fewer than 5", others rounded to the nearest 5) unless the
    viewer is one of the area's organisers (or an admin)."""

    figures: Figures
    exact: bool

    @property
    def participants(self) -> Count:
        return self._counted(self.figures.participants, self.figures.vouched_participants)

    @property
    def items(self) -> Count:
        return self._counted(self.figures.items, self.figures.vouched_items)

    def _counted(self, n: int, vouched: int) -> Count:
        if self.figures.counted_at is None:
            return Count(None, instead=NOT_COUNTED)
        return count_of(n, exact=self.exact, vouched=vouched)

    def __getattr__(self, name):
        return getattr(self.figures, name)


# --- the aggregates --------------------------------------------------------------------------


def _published_consultation():
    return Consultation.published_at.is_not(None)


def _consultation_facts(links, figures: dict[int, Figures], now: datetime) -> None:
    """Consultations, days to respond and overdue responses: at most one row per group and
    consultation, so the median is taken in Python the same way on every engine."""
    rows = db.session.execute(
        select(
            links.c.g,
            Consultation.closes_at,
            Consultation.responded_at,
            Consultation.response_due_at,
        ).join(Consultation, Consultation.id == links.c.cid)
    )
    for g, closes_at, responded_at, due_at in rows:
        f = figures[g]
        f.consultations += 1
        if responded_at is not None:
            days = (london_day(responded_at) - london_day(closes_at)).days
            f.days_to_respond.append(max(days, 0))
        elif closes_at <= now and due_at < now:
            f.overdue_consultations += 1


def _people(links, figures: dict[int, Figures]) -> None:
    # An account is its (positive) id; a response without one is its own person (minus its id).
    person = case((Response.user_id.is_not(None), Response.user_id), else_=-Response.id)
    # An account is always vouched for, so a person is vouched for in every row they have.
    vouched = case((or_(Response.user_id.is_not(None), vouched_responses()), 1), else_=0)
    responders = (
        select(links.c.g, person.label("person"), vouched.label("vouched"))
        .select_from(links)
        .join(Survey, Survey.consultation_id == links.c.cid)
        .join(Response, Response.survey_id == Survey.id)
        .where(counted_responses())
    )
    posters = (
        select(links.c.g, Post.author_id.label("person"), literal(1, Integer).label("vouched"))
        .select_from(links)
        .join(Board, Board.consultation_id == links.c.cid)
        .join(Thread, Thread.board_id == Board.id)
        .join(Post, Post.thread_id == Thread.id)
        .where(
            Post.status == PostStatus.VISIBLE,
            Post.author_id.is_not(None),
            Post.partner_id.is_(None),
        )
    )
    people = union(responders, posters).subquery()
    rows = db.session.execute(
        select(people.c.g, func.count(), func.sum(people.c.vouched))
        .select_from(people)
        .group_by(people.c.g)
    )
    for g, n, n_vouched in rows:
        figures[g].participants = n
        figures[g].vouched_participants = int(n_vouched or 0)


def _items(links, figures: dict[int, Figures]) -> None:
    """Answers and posts are counted once per consultation, then summed over each group's
    consultations (a consultation linked to two sub-priorities counts once)."""
    linked = select(links.c.cid)
    answers = (
        select(
            Survey.consultation_id.label("cid"),
            func.count(Answer.id).label("n"),
            func.count(case((vouched_responses(), Answer.id))).label("vouched"),
        )
        .join(Response, Response.survey_id == Survey.id)
        .join(Answer, Answer.response_id == Response.id)
        .where(counted_responses(), Survey.consultation_id.in_(linked))
        .group_by(Survey.consultation_id)
        .subquery()
    )
    posts = (
        select(Board.consultation_id.label("cid"), func.count(Post.id).label("n"))
        .join(Thread, Thread.board_id == Board.id)
        .join(Post, Post.thread_id == Thread.id)
        .where(
            Post.status == PostStatus.VISIBLE,
            Post.partner_id.is_(None),
            Board.consultation_id.in_(linked),
        )
        .group_by(Board.consultation_id)
        .subquery()
    )
    total = func.sum(func.coalesce(answers.c.n, 0) + func.coalesce(posts.c.n, 0))
    vouched = func.sum(func.coalesce(answers.c.vouched, 0) + func.coalesce(posts.c.n, 0))
    rows = db.session.execute(
        select(links.c.g, cast(total, Integer), cast(vouched, Integer))
        .select_from(links)
        .outerjoin(answers, answers.c.cid == links.c.cid)
        .outerjoin(posts, posts.c.cid == links.c.cid)
        .group_by(links.c.g)
    )
    for g, n, n_vouched in rows:
        figures[g].items = n or 0
        figures[g].vouched_items = n_vouched or 0


def _themes(theme_links, figures: dict[int, Figures]) -> None:
    answered = select(Decision.theme_id).where(Decision.published_at.is_not(None))
    rows = db.session.execute(
        select(
            theme_links.c.g,
            func.count(distinct(theme_links.c.tid)),
            func.count(distinct(case((theme_links.c.tid.in_(answered), theme_links.c.tid)))),
        ).group_by(theme_links.c.g)
    )
    for g, themes, with_answer in rows:
        figures[g].themes = themes
        figures[g].themes_answered = with_answer


def _decisions(theme_links, figures: dict[int, Figures], today) -> None:
    late = and_(Decision.decide_by.is_not(None), Decision.decide_by < today)
    rows = db.session.execute(
        select(
            theme_links.c.g,
            Decision.outcome,
            func.count(distinct(Decision.id)),
            func.count(distinct(case((late, Decision.id)))),
        )
        .join(Decision, Decision.theme_id == theme_links.c.tid)
        .where(Decision.published_at.is_not(None))
        .group_by(theme_links.c.g, Decision.outcome)
    )
    for g, outcome, n, overdue in rows:
        f = figures[g]
        if outcome is Outcome.UNDER_CONSIDERATION:
            f.overdue_decisions += overdue
        else:
            f.decided += n
            if outcome.is_taken_up:
                f.taken_up += n


def _commitments(commitment_links: Select, figures: dict[int, Figures]) -> None:
    links = commitment_links.subquery()
    rows = db.session.execute(
        select(links.c.g, links.c.status, func.count()).group_by(links.c.g, links.c.status)
    )
    for g, status, n in rows:
        figures[g].commitments[CommitmentStatus(status)] += n


def _collect(
    links, theme_links, commitment_links: Select | None, *, now=None, people: bool = True
) -> dict[int, Figures]:
    """Every figure per group. With `people=False`, participants and feedback items are left
    for the caller to fill in from the stored figures."""
    now = now or utcnow()
    figures: dict[int, Figures] = defaultdict(Figures)
    _consultation_facts(links, figures, now)
    if people:
        _count_people(links, figures, now)
    _themes(theme_links, figures)
    _decisions(theme_links, figures, london_day(now))
    if commitment_links is not None:
        _commitments(commitment_links, figures)
    return figures


def _count_people(links, figures: dict[int, Figures], now: datetime) -> None:
    _people(links, figures)
    _items(links, figures)
    for f in figures.values():
        f.counted_at = now


# --- a plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityRow:
    priority: Priority
    #: codes of its sub-priorities (and theirs), whose figures are included
    includes: tuple[str, ...]
    figures: Shown


@dataclass(frozen=True)
class Scorecard:
    plan: LocalPlan
    rows: list[PriorityRow]
    whole: Shown
    exact: bool

    @property
    def counted_at(self) -> datetime | None:
        """When people and feedback items were counted (None: not yet)."""
        return self.whole.figures.counted_at


def _tree(plan_id: int):
    """(priority id, its top-level priority's id) for every priority of the plan."""
    top = (
        select(Priority.id.label("id"), Priority.id.label("root"))
        .where(Priority.plan_id == plan_id, Priority.parent_id.is_(None))
        .cte("priority_tree", recursive=True)
    )
    child = aliased(Priority)
    return top.union_all(select(child.id, top.c.root).where(child.parent_id == top.c.id))


def plan_figures(plan_id: int, *, now=None, people: bool = True) -> dict[int, Figures]:
    """Figures per top-level priority id of the plan, and for the whole plan (`WHOLE_PLAN`).
    With `people=False` participants and items are not counted (see `_collect`)."""
    tree = _tree(plan_id)
    cp = consultation_priorities

    def consultation_pairs(key):
        return (
            select(key.label("g"), cp.c.consultation_id.label("cid"))
            .join(tree, tree.c.id == cp.c.priority_id)
            .join(Consultation, Consultation.id == cp.c.consultation_id)
            .where(_published_consultation())
        )

    links = union(
        consultation_pairs(tree.c.root), consultation_pairs(literal(WHOLE_PLAN, Integer))
    ).cte("links")

    tp = theme_priorities

    def theme_pairs(key):
        return (
            select(key.label("g"), tp.c.theme_id.label("tid"))
            .join(tree, tree.c.id == tp.c.priority_id)
            .join(Theme, Theme.id == tp.c.theme_id)
            .join(Consultation, Consultation.id == Theme.consultation_id)
            .where(Theme.published_at.is_not(None), _published_consultation())
        )

    theme_links = union(theme_pairs(tree.c.root), theme_pairs(literal(WHOLE_PLAN, Integer))).cte(
        "theme_links"
    )

    def commitment_pairs(key):
        return select(key.label("g"), Commitment.id.label("id"), Commitment.status).join(
            tree, tree.c.id == Commitment.priority_id
        )

    commitment_links = union_all(
        commitment_pairs(tree.c.root), commitment_pairs(literal(WHOLE_PLAN, Integer))
    )
    return _collect(links, theme_links, select(commitment_links.subquery()), now=now, people=people)


def priorities_of_plan(plan: LocalPlan) -> list[Priority]:
    """Every priority of the plan in one query (the tree is put together in Python)."""
    return list(
        db.session.scalars(
            select(Priority)
            .where(Priority.plan_id == plan.id)
            .order_by(Priority.position, Priority.code, Priority.id)
        )
    )


def plan_scorecard(plan: LocalPlan, *, exact: bool = False, now=None) -> Scorecard:
    """The scorecard of a plan: one row per top-level priority (its sub-priorities' figures
    included) and one for the whole plan. `exact` shows people and items as they are (the
    area's organisers and admins only)."""
    priorities = priorities_of_plan(plan)
    children: dict[int | None, list[Priority]] = defaultdict(list)
    for p in priorities:
        children[p.parent_id].append(p)

    def descendants(p: Priority) -> tuple[str, ...]:
        found: list[str] = []
        stack = list(reversed(children.get(p.id, [])))
        seen = {p.id}
        while stack:
            c = stack.pop()
            if c.id in seen:
                continue
            seen.add(c.id)
            found.append(c.code)
            stack.extend(reversed(children.get(c.id, [])))
        return tuple(found)

    tops = children.get(None, [])
    figures = plan_figures(plan.id, now=now, people=False)
    apply_stored(
        figures,
        {(FigureScope.PLAN, plan.id): WHOLE_PLAN}
        | {(FigureScope.PRIORITY, p.id): p.id for p in tops},
    )
    rows = [
        PriorityRow(p, descendants(p), Shown(figures.get(p.id) or Figures(), exact)) for p in tops
    ]
    return Scorecard(plan, rows, Shown(figures.get(WHOLE_PLAN) or Figures(), exact), exact)


# --- areas (the national page) ---------------------------------------------------------------


def area_figures(
    area_ids: list[int] | None = None, *, now=None, people: bool = True
) -> dict[int, Figures]:
    """Figures per area id: every published consultation, published theme and decision, and
    every commitment in a published plan. All areas when `area_ids` is None."""

    def scoped(query, column):
        return query if area_ids is None else query.where(column.in_(area_ids))

    links = scoped(
        select(Consultation.area_id.label("g"), Consultation.id.label("cid")).where(
            _published_consultation()
        ),
        Consultation.area_id,
    ).cte("links")
    theme_links = scoped(
        select(Theme.area_id.label("g"), Theme.id.label("tid"))
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .where(Theme.published_at.is_not(None), _published_consultation()),
        Theme.area_id,
    ).cte("theme_links")
    commitment_links = scoped(
        select(Commitment.area_id.label("g"), Commitment.id.label("id"), Commitment.status)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .where(LocalPlan.published_at.is_not(None)),
        Commitment.area_id,
    )
    return _collect(links, theme_links, commitment_links, now=now, people=people)


def consultation_figures(area_id: int, *, now=None, people: bool = True) -> dict[int, Figures]:
    """Figures per published consultation of the area (for the open data), keyed by its id."""
    links = (
        select(Consultation.id.label("g"), Consultation.id.label("cid"))
        .where(Consultation.area_id == area_id, _published_consultation())
        .cte("links")
    )
    theme_links = (
        select(Theme.consultation_id.label("g"), Theme.id.label("tid"))
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .where(Theme.area_id == area_id, Theme.published_at.is_not(None), _published_consultation())
        .cte("theme_links")
    )
    return _collect(links, theme_links, None, now=now, people=people)


def period_figures(
    area_id: int, starts_at: datetime, ends_before: datetime, *, now=None
) -> Figures:
    """The figures of the area's published consultations that closed in a period (the annual
    report's): people and feedback items counted live, their published themes and answers,
    and how long the responses took. The same statements as `area_figures`, whatever the
    period or the data."""
    now = now or utcnow()
    closed = and_(
        Consultation.area_id == area_id,
        _published_consultation(),
        Consultation.closes_at >= starts_at,
        Consultation.closes_at < ends_before,
        Consultation.closes_at <= now,
    )
    key = literal(area_id, Integer).label("g")
    links = select(key, Consultation.id.label("cid")).where(closed).cte("links")
    theme_links = (
        select(key, Theme.id.label("tid"))
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .where(closed, Theme.published_at.is_not(None))
        .cte("theme_links")
    )
    figures = _collect(links, theme_links, None, now=now)
    found = figures[area_id]
    found.counted_at = now
    return found


# --- stored counts of people and feedback items ----------------------------------------------


def apply_stored(figures: dict[int, Figures], keys: dict[tuple[FigureScope, int], int]) -> None:
    """Fill in participants and items from the stored figures, in one query: `keys` maps
    (scope, subject id) to the group key in `figures`. Groups never counted keep
    `counted_at=None` and show "not counted yet"."""
    if not keys:
        return
    by_scope: dict[FigureScope, list[int]] = defaultdict(list)
    for scope, subject_id in keys:
        by_scope[scope].append(subject_id)
    rows = db.session.execute(
        select(
            StoredFigures.scope,
            StoredFigures.subject_id,
            StoredFigures.participants,
            StoredFigures.items,
            StoredFigures.vouched_participants,
            StoredFigures.vouched_items,
            StoredFigures.refreshed_at,
        ).where(
            or_(
                *(
                    and_(StoredFigures.scope == scope, StoredFigures.subject_id.in_(ids))
                    for scope, ids in by_scope.items()
                )
            )
        )
    )
    for scope, subject_id, participants, items, vouched_people, vouched_items, at in rows:
        g = keys.get((scope, subject_id))
        if g is None:
            continue
        f = figures[g]
        f.participants, f.items, f.counted_at = participants, items, at
        f.vouched_participants, f.vouched_items = vouched_people, vouched_items


def national_figures(area_ids: list[int], *, now=None) -> dict[int, Figures]:
    """The national page's figures for these areas: counted live, except people and feedback
    items, which come from the stored figures."""
    figures = area_figures(None, now=now, people=False)
    apply_stored(figures, {(FigureScope.AREA, area_id): area_id for area_id in area_ids})
    return figures


def area_ids_by_slug(slugs) -> dict[str, int]:
    """{slug: area id} for the areas with these slugs."""
    from forum.areas.models import Area

    return dict(db.session.execute(select(Area.slug, Area.id).where(Area.slug.in_(slugs))).all())


def all_areas() -> list:
    from forum.areas.queries import select_areas

    return list(db.session.scalars(select_areas()))


def all_area_ids() -> list[int]:
    from forum.areas.models import Area

    return list(db.session.scalars(select(Area.id).order_by(Area.id)))


def plan_ids_of(area_id: int) -> list[int]:
    return list(db.session.scalars(select(LocalPlan.id).where(LocalPlan.area_id == area_id)))


def top_priority_ids(plan_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Priority.id).where(Priority.plan_id == plan_id, Priority.parent_id.is_(None))
        )
    )


def published_consultation_ids(area_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Consultation.id).where(
                Consultation.area_id == area_id, _published_consultation()
            )
        )
    )
