"""What happened to my feedback: one person's answers and posts, and where each one went (the
published themes it fed, the published decisions on them and the commitments they link to),
in a fixed number of queries per page; and who is told when something changes.

Only submitted responses to surveys that are not anonymous are listed (anonymous responses are
stored without an account, so by design nobody can trace them, the person included). Only
answers in the person's own words count as things they said: written answers, and the words
typed beside a choice ("please specify"). Choices, numbers and dates are left out, and so is
everything asked by the standard bank's questions about the person and their child
(`Question.bank_key`: age phase, type of need, school), which are about them, not feedback.

Within a consultation the page is grouped by theme: each published theme and its partners'
decisions once, with the person's answers and posts that fed it under it; what fed no published
theme (yet) comes after, together. Which themes the person's items fed is theirs and is read
for each page; each theme's chain (its decisions, their commitments, a national outcome) is the
area's published data, the same for everyone, and is made by `published_chains` for the view to
keep (`views.with_chains`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import cast

from sqlalchemy import and_, bindparam, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, contains_eager

from forum.accounts.models import User
from forum.areas.data_versions import remember_token
from forum.areas.models import Area, AreaDataVersion, PartnerOrganisation
from forum.consultations.models import Consultation, ConsultationState
from forum.discussions.models import Board, Post, PostStatus, Thread, post_url_of
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.clock.queries import Clock, clock_for
from forum.outcomes.decisions.models import Decision, DecisionCommitment
from forum.outcomes.national_outcomes.models import NationalOutcome
from forum.outcomes.national_outcomes.queries import by_theme as national_by_theme
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme
from forum.outcomes.themes.queries import item_rows, people_behind, themes_for_answer_ids
from forum.plans.models import Commitment, LocalPlan, Priority
from forum.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseContact,
    ResponseStatus,
    Survey,
)
from forum.web.pagination import Page
from forum.web.time import iso_date

#: items on one page; a consultation's items may continue on the next page
PER_PAGE = 25
#: characters of what the person said shown beside each item
EXCERPT = 200

STILL_OPEN = "Still open. The forum will look at what everyone said once it closes."
STILL_WORKING = "The forum is still working on what people said."
NOT_IN_A_THEME = (
    "This was read with everything else, but is not linked to any of the published themes."
)
NO_THEME_YET = "Not linked to a published theme."
HELD = "Waiting for an organiser to check it. Other people will see it once they have."

#: question kinds whose answers are the person's own words
WORDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)

#: posts the author still sees as theirs in the thread: visible ones, and ones waiting for an
#: organiser (hidden, reported and deleted posts are not feedback the ledger can use)
LISTED_POSTS = (PostStatus.VISIBLE, PostStatus.HELD)


# --- what the page shows -------------------------------------------------------------------


@dataclass
class DecisionView:
    decision: Decision
    partner: PartnerOrganisation
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class ThemeView:
    theme: Theme
    decisions: list[DecisionView] = field(default_factory=list)
    #: a national body's decision on the theme, if the forum recorded one
    national: NationalOutcome | None = None


@dataclass
class Chain:
    """A published theme's chain as shown on the page, made (HTML) and kept for everyone."""

    id: int
    #: the theme's place among its consultation's themes
    position: int
    title: str
    html: str


@dataclass
class Item:
    """One thing the person said."""

    #: "answer" or "post"
    kind: str
    id: int
    at: datetime
    #: what they said, short, as plain text (escaped when shown)
    excerpt: str
    #: the question they answered, or the thread they posted in
    where: str
    url: str
    #: the published themes it fed
    theme_ids: list[int] = field(default_factory=list)
    #: said instead of themes when there are none
    note: str | None = None


@dataclass
class ThemeItems:
    """One published theme, once, with the person's items (on this page) that fed it."""

    chain: Chain
    items: list[Item] = field(default_factory=list)


@dataclass
class Group:
    """A page's items from one consultation, or from one area's other discussions."""

    area: Area
    consultation: Consultation | None
    items: list[Item] = field(default_factory=list)
    state: ConsultationState | None = None
    #: the consultation's response clock, if it has closed
    clock: Clock | None = None
    #: the chains of the themes its items fed, by theme id (put in by the view)
    chains: dict[int, Chain] = field(default_factory=dict)

    @property
    def by_theme(self) -> list[ThemeItems]:
        """The group's published themes in their order, each with the items that fed it (an
        item feeding two themes is under both)."""
        found: dict[int, ThemeItems] = {}
        for item in self.items:
            for theme_id in item.theme_ids:
                chain = self.chains[theme_id]
                found.setdefault(theme_id, ThemeItems(chain)).items.append(item)
        return sorted(found.values(), key=lambda t: (t.chain.position, t.chain.id))

    @property
    def without_theme(self) -> list[Item]:
        return [item for item in self.items if not item.theme_ids]

    @property
    def note(self) -> str:
        """What is said once about the items that fed no published theme."""
        return _note(self.state)

    @property
    def title(self) -> str:
        return self.consultation.title if self.consultation else "Other discussions"

    @property
    def key(self) -> str:
        return f"c{self.consultation.id}" if self.consultation else f"a{self.area.id}"


@dataclass
class FeedbackPage:
    page: Page
    groups: list[Group]


# --- the page of items ---------------------------------------------------------------------


@cache
def _items_statement():
    """Every answer and post of the person `user_id` (a parameter), one row each: kind, item
    id, when, consultation (null for area boards) and area, with the time of its group's newest
    item (`latest`) and how many items the person has (`total`)."""
    answers = (
        select(
            literal("answer").label("kind"),
            Answer.id.label("item_id"),
            func.coalesce(Response.submitted_at, Response.updated_at).label("at"),
            Survey.consultation_id.label("consultation_id"),
            Survey.area_id.label("area_id"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Response.user_id == bindparam("user_id"),
            Response.status == ResponseStatus.SUBMITTED,
            Survey.is_anonymous.is_(False),
            # in their own words: not a choice, number or date, nor anything about them
            Question.bank_key.is_(None),
            or_(Question.kind.in_(WORDS), func.length(func.trim(Answer.text)) > 0),
        )
    )
    posts = (
        select(
            literal("post").label("kind"),
            Post.id.label("item_id"),
            Post.created_at.label("at"),
            Board.consultation_id.label("consultation_id"),
            Post.area_id.label("area_id"),
        )
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(Post.author_id == bindparam("user_id"), Post.status.in_(LISTED_POSTS))
    )
    items = union_all(answers, posts).subquery("items")
    latest = func.max(items.c.at).over(partition_by=(items.c.area_id, items.c.consultation_id))
    return select(items, latest.label("latest"), func.count().over().label("total")).subquery(
        "ranked"
    )


def _in_page_order(rows):
    """The page's order: by group (the group with the newest item first), then newest first
    within the group (a response's answers in the order they were given)."""
    return (
        rows.c.latest.desc(),
        rows.c.area_id,
        func.coalesce(rows.c.consultation_id, 0),
        rows.c.at.desc(),
        rows.c.kind,
        # one response's answers share a time: keep them in the survey's order
        rows.c.item_id,
    )


@cache
def _page_statement():
    """One page of the person's items (`user_id`, `limit` and `offset` are parameters), each
    row with only what the page shows of it, and how many items there are in all: one
    statement, built once (building the union and its window each time was a tenth of the
    page's time, profiled). An answer brings its words and its question's prompt (and, for a
    choice with words beside it, what names the choices); a post its words, status, number,
    thread and the slug of its board's area, for its address. Loaded as plain rows, not as
    objects: loading a page's answers, questions, posts, threads and boards as objects was the
    largest part of the page's time (profiled)."""
    ranked = _items_statement()
    page = (
        select(ranked)
        .order_by(*_in_page_order(ranked))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery("page")
    )
    board_area = aliased(Area, name="board_area")
    return (
        select(
            page.c.kind,
            page.c.item_id,
            page.c.at,
            page.c.consultation_id,
            page.c.area_id,
            page.c.total,
            Answer.value.label("answer_value"),
            Answer.text.label("answer_text"),
            Question.kind.label("question_kind"),
            Question.prompt.label("question_prompt"),
            Question.options.label("question_options"),
            Question.has_other.label("question_has_other"),
            Question.scale_low_label.label("question_low"),
            Question.scale_high_label.label("question_high"),
            Post.body.label("post_body"),
            Post.status.label("post_status"),
            Post.number.label("post_number"),
            Thread.id.label("thread_id"),
            Thread.title.label("thread_title"),
            board_area.slug.label("board_area_slug"),
        )
        .select_from(page)
        .outerjoin(Answer, and_(page.c.kind == "answer", Answer.id == page.c.item_id))
        .outerjoin(Question, Question.id == Answer.question_id)
        .outerjoin(Post, and_(page.c.kind == "post", Post.id == page.c.item_id))
        .outerjoin(Thread, Thread.id == Post.thread_id)
        .outerjoin(Board, Board.id == Thread.board_id)
        .outerjoin(board_area, board_area.id == Board.area_id)
        .order_by(*_in_page_order(page))
    )


def _page_of_items(user_id: int, page: int | None) -> Page:
    """One page of the person's items, with their count, in one statement; a page after the
    last (an old link) costs two more: the count, and the last page."""
    page = max(1, page or 1)
    rows = _page_rows(user_id, page)
    if not rows and page > 1:
        total = db.session.scalar(
            select(func.max(_items_statement().c.total)), {"user_id": user_id}
        )
        page = max(1, -(-(total or 0) // PER_PAGE))
        rows = _page_rows(user_id, page)
    total = rows[0].total if rows else 0
    return Page(items=rows, page=page, per_page=PER_PAGE, total=total)


def _page_rows(user_id: int, page: int) -> list:
    return list(
        db.session.execute(
            _page_statement(),
            {"user_id": user_id, "limit": PER_PAGE, "offset": (page - 1) * PER_PAGE},
        ).all()
    )


def feedback_page(user, *, page: int | None = None, now: datetime | None = None) -> FeedbackPage:
    """One page of the person's feedback, grouped, with where each item went."""
    now = now or utcnow()
    found = _page_of_items(user.id, page)
    rows = found.items
    if not rows:
        return FeedbackPage(found, [])

    answer_ids = [r.item_id for r in rows if r.kind == "answer"]
    post_ids = [r.item_id for r in rows if r.kind == "post"]
    # Loaded so that `consultation.area` and `.url` come from the session.
    areas, consultations = _areas_and_consultations(_ids(rows, 4), _ids(rows, 3))
    themes_of = _published_theme_ids(answer_ids, post_ids)

    groups: dict[tuple, Group] = {}
    for row in rows:
        key = (row.area_id, row.consultation_id)
        if key not in groups:
            groups[key] = _group(areas[row.area_id], consultations.get(row.consultation_id), now)
        group = groups[key]
        if row.kind == "answer":
            # a survey answer's group always has its consultation
            consultation = cast(Consultation, group.consultation)
            item = _answer_item(row, url=consultation.url)
        else:
            item = _post_item(row)
        item.theme_ids = themes_of.get((item.kind, item.id), [])
        if item.kind == "post" and row.post_status is PostStatus.HELD:
            item.note = HELD
        elif not item.theme_ids:
            item.note = _note(group.state)
        group.items.append(item)
    return FeedbackPage(found, list(groups.values()))


def _areas_and_consultations(
    area_ids: list[int], consultation_ids: list[int]
) -> tuple[dict[int, Area], dict[int, Consultation]]:
    """The areas, each with its data version (for the kept chains), and the consultations, in
    one statement: a row for each consultation beside its area, or the area alone."""
    areas: dict[int, Area] = {}
    consultations: dict[int, Consultation] = {}
    for area, token, consultation in db.session.execute(
        select(Area, AreaDataVersion.token, Consultation)
        .outerjoin(AreaDataVersion, AreaDataVersion.area_id == Area.id)
        .outerjoin(
            Consultation,
            and_(Consultation.area_id == Area.id, Consultation.id.in_(consultation_ids)),
        )
        .where(Area.id.in_(area_ids))
    ):
        if area.id not in areas:
            remember_token(area, token)
            areas[area.id] = area
        if consultation is not None:
            consultations[consultation.id] = consultation
    return areas, consultations


def _group(area: Area, consultation: Consultation | None, now: datetime) -> Group:
    return Group(
        area=area,
        consultation=consultation,
        state=consultation.state_at(now) if consultation else None,
        clock=clock_for(consultation, now) if consultation else None,
    )


def _answer_item(row, *, url: str) -> Item:
    kind = row.question_kind
    if kind in WORDS:
        labels = None
    else:
        # a choice (or number, or date) with the person's words beside it: what names the
        # choices is the question's, made from the row's columns without the database
        labels = Question(
            kind=kind,
            options=row.question_options,
            has_other=row.question_has_other,
            scale_low_label=row.question_low,
            scale_high_label=row.question_high,
        ).label_of
    return Item(
        kind="answer",
        id=row.item_id,
        at=row.at,
        excerpt=_answer_words(kind, row.answer_value, row.answer_text, labels),
        where=row.question_prompt,
        url=url,
    )


def _post_item(row) -> Item:
    return Item(
        kind="post",
        id=row.item_id,
        at=row.at,
        excerpt=post_excerpt(row.post_body),
        where=row.thread_title,
        url=post_url_of(row.board_area_slug, row.thread_id, row.post_number),
    )


def _ids(rows, column: int) -> list[int]:
    return sorted({row[column] for row in rows if row[column] is not None})


def _note(state: ConsultationState | None) -> str:
    if state in (ConsultationState.OPEN, ConsultationState.SCHEDULED):
        return STILL_OPEN
    if state is ConsultationState.CLOSED:
        return STILL_WORKING
    if state is ConsultationState.RESPONDED:
        return NOT_IN_A_THEME
    return NO_THEME_YET


# --- where the items went --------------------------------------------------------------------


def _published_theme_ids(answer_ids: list[int], post_ids: list[int]) -> dict:
    """{(kind, item id): [theme id]}: the published themes each item fed, in one query."""
    found: dict[tuple[str, int], list[int]] = defaultdict(list)
    for kind, item_id, theme_id in _published_links(answer_ids, post_ids):
        if theme_id not in found[(kind, item_id)]:
            found[(kind, item_id)].append(theme_id)
    return found


def published_chains(theme_ids: list[int]) -> dict[int, ThemeView]:
    """These themes, those still published, each with its published decisions and their
    partners and commitments, and any national outcome; in three queries whatever their
    number (none for no themes)."""
    if not theme_ids:
        return {}
    themes, decisions = _themes_with_decisions(theme_ids)
    _add_commitments(decisions)
    return themes


def _published_links(answer_ids: list[int], post_ids: list[int]) -> list:
    """(kind, item id, theme id) for each published theme these answers and posts feed."""
    return list(
        db.session.execute(
            _published_links_statement(), {"answer_ids": answer_ids, "post_ids": post_ids}
        ).all()
    )


@cache
def _published_links_statement():
    """`_published_links`' statement, built once with the ids as parameters: building its
    four-way UNION each time was about a fifth of the page's time (profiled)."""
    answers = select(Answer.id).where(Answer.id.in_(bindparam("answer_ids", expanding=True)))
    # published themes by a join outside, not a list of them inside each of the union's
    # branches: PostgreSQL took longer to plan that than to run it (EXPLAIN ANALYZE)
    links = themes_for_answer_ids(answers).subquery()
    answer_links = (
        select(links.c.answer_id, links.c.theme_id)
        .join(Theme, Theme.id == links.c.theme_id)
        .where(Theme.published_at.is_not(None))
        .subquery()
    )
    post_links = (
        select(Evidence.post_id.label("item_id"), Evidence.theme_id.label("theme_id"))
        .join(Theme, Theme.id == Evidence.theme_id)
        .where(
            Evidence.kind == EvidenceKind.POST,
            Evidence.post_id.in_(bindparam("post_ids", expanding=True)),
            Theme.published_at.is_not(None),
        )
        .subquery()
    )
    return union_all(
        select(literal("answer").label("kind"), answer_links.c.answer_id, answer_links.c.theme_id),
        select(literal("post").label("kind"), post_links.c.item_id, post_links.c.theme_id),
    )


def _themes_with_decisions(
    theme_ids: list[int],
) -> tuple[dict[int, ThemeView], dict[int, DecisionView]]:
    """The themes, each with its published decisions and their partners; and those decisions
    by id."""
    themes: dict[int, ThemeView] = {}
    decisions: dict[int, DecisionView] = {}
    for theme, decision, partner in db.session.execute(
        select(Theme, Decision, PartnerOrganisation)
        .outerjoin(
            Decision,
            and_(Decision.theme_id == Theme.id, Decision.published_at.is_not(None)),
        )
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(Theme.id.in_(theme_ids), Theme.published_at.is_not(None))
        .order_by(Theme.consultation_id, Theme.position, Theme.id, PartnerOrganisation.name)
    ):
        view = themes.setdefault(theme.id, ThemeView(theme))
        if decision is not None:
            decisions[decision.id] = DecisionView(decision, partner)
            view.decisions.append(decisions[decision.id])
    for theme_id, outcome in national_by_theme(themes).items():
        themes[theme_id].national = outcome
    return themes, decisions


def _add_commitments(decisions: dict[int, DecisionView]) -> None:
    """Each decision's linked commitments, in link order. The priority, plan and area come in
    the same query, into the commitment's own attributes (`contains_eager`), so each
    commitment's link needs nothing more from the database: loaded beside it but held by
    nothing, they could leave the session (its identity map holds objects weakly) and be
    loaded again, one query per priority."""
    for link, commitment in db.session.execute(
        select(DecisionCommitment, Commitment)
        .join(Commitment, Commitment.id == DecisionCommitment.commitment_id)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .join(Area, Area.id == LocalPlan.area_id)
        .options(
            contains_eager(Commitment.priority)
            .contains_eager(Priority.plan)
            .contains_eager(LocalPlan.area)
        )
        .where(DecisionCommitment.decision_id.in_(sorted(decisions)))
        .order_by(DecisionCommitment.id)
    ):
        decisions[link.decision_id].commitments.append(commitment)


# --- words -----------------------------------------------------------------------------------


def _shorten(text: str | None, limit: int = EXCERPT) -> str:
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rstrip() + "…"


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(\*\*|__|(?<!\w)[*_]|[*_](?!\w))")


def post_excerpt(body: str) -> str:
    """A post's own words as plain text: quoted lines (often someone else's words) left out,
    links reduced to their text, bold and italic marks dropped."""
    own = [line.lstrip("-+ ") for line in body.splitlines() if not line.lstrip().startswith(">")]
    text = _MARKS.sub("", _LINK.sub(r"\1", " ".join(own)))
    return _shorten(text)


def answer_excerpt(answer: Answer, question: Question) -> str:
    """What the person answered, in words: free text, the labels of the options they chose
    (with any "please specify" words), a number or a date."""
    return _answer_words(question.kind, answer.value, answer.text, question.label_of)


def _answer_words(kind: QuestionKind, value, text: str | None, label_of) -> str:
    """`answer_excerpt` from an answer's value and words and its question's kind; `label_of`
    names a choice (needed for choices only)."""
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return _shorten(text if text is not None else str(value or ""))
    if kind is QuestionKind.DATE:
        return iso_date(value if isinstance(value, str) else None)
    if kind is QuestionKind.NUMBER:
        return "" if value is None else str(value)
    keys = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
    labels = [label_of(str(key)) for key in keys]
    words = ", ".join(labels) if kind is not QuestionKind.RANKING else " > ".join(labels)
    if text:
        words = f"{words}: {text}" if words else text
    return _shorten(words)


# --- who is told -----------------------------------------------------------------------------


@dataclass
class Recipient:
    user: User
    theme_ids: list[int] = field(default_factory=list)


def recipients(theme_ids, *, actor=None) -> list[Recipient]:
    """The people behind these themes (a list or a select of ids), each with their themes, in
    one query."""
    links = people_behind(theme_ids).subquery()
    rows = db.session.execute(
        select(User, links.c.theme_id)
        .join(links, links.c.user_id == User.id)
        .where(User.id != (getattr(actor, "id", None) or 0))
        .distinct()
        .order_by(User.id, links.c.theme_id)
    )
    found: dict[int, Recipient] = {}
    for user, theme_id in rows:
        found.setdefault(user.id, Recipient(user)).theme_ids.append(theme_id)
    return list(found.values())


@dataclass
class ContactRecipient:
    """An address given with a paper or phone response by someone who agreed to be told what
    happened (`surveys.answering.contacts`), with the themes their answers stand behind."""

    contact: ResponseContact
    theme_ids: list[int] = field(default_factory=list)


def contact_recipients(theme_ids) -> list[ContactRecipient]:
    """The contacts behind these themes (a list or a select of ids), each with their themes,
    in one query. Only responses without an account have one."""
    items = item_rows(theme_ids)
    rows = db.session.execute(
        select(ResponseContact, items.c.theme_id)
        .join(items, items.c.response_id == ResponseContact.response_id)
        .distinct()
        .order_by(ResponseContact.id, items.c.theme_id)
    )
    found: dict[int, ContactRecipient] = {}
    for contact, theme_id in rows:
        found.setdefault(contact.id, ContactRecipient(contact)).theme_ids.append(theme_id)
    return list(found.values())


def select_published_themes_of(commitment: Commitment):
    """The ids of the themes whose published decisions link to the commitment, as a select."""
    return (
        select(Decision.theme_id)
        .join(DecisionCommitment, DecisionCommitment.decision_id == Decision.id)
        .where(
            DecisionCommitment.commitment_id == commitment.id,
            Decision.published_at.is_not(None),
        )
    )
