"""Reading themes and the evidence behind them: loading a theme, the figures, the quotes, who is
behind a theme, and the picker's lists.

`item_rows` turns a theme's evidence links into the feedback items behind them (one row per
theme and item, as one UNION ALL select), so the figures of any number of themes come from one
query. Nothing here returns who wrote anything to a page: the figures are counts, quotes are the
words alone, and `people_behind` gives user ids only to the code that notifies people.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from flask import abort
from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, selectinload

from forum.consultations.models import Audience, Consultation
from forum.consultations.queries import load_consultation
from forum.disclosure import Count, count_of
from forum.discussions.models import Board, Post, PostStatus, Thread
from forum.events.models import (
    Event,
    EventNote,
    EventStatus,
    NoteAction,
    NoteItem,
    NoteItemCode,
    NoteVisibility,
)
from forum.extensions import db
from forum.outcomes.decisions.models import Decision
from forum.outcomes.themes.excerpts import still_fits
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme, ThemeQuote
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    AnswerCode,
    Code,
    Question,
    QuestionKind,
    Response,
    Survey,
    counted_responses,
    vouched_responses,
)
from forum.web import pagination
from forum.web.text import clean_text
from forum.web.urls import ID_MAX

#: rows on one page of a picker list
PAGE_SIZE = 20
#: the longest search term kept from the address
SEARCH_MAX = 100
#: quotes shown on a theme's page
QUOTES = 3
#: the choice questions whose results can be evidence (ranking and consent are not opinions
#: that an option can stand for)
CHOICE_KINDS = (
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.YES_NO,
    QuestionKind.SCALE,
)


# --- themes ----------------------------------------------------------------------------------


def themes_of(consultation: Consultation) -> list[Theme]:
    """The consultation's themes in order, with their priorities; two queries."""
    return list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation.id, Theme.area_id == consultation.area_id)
            .options(selectinload(Theme.priorities))
            .order_by(Theme.position, Theme.id)
        )
    )


def get_theme(consultation: Consultation, theme_id: int) -> Theme | None:
    """A theme of this consultation; another consultation's or area's ids are never found."""
    if not 0 < theme_id <= ID_MAX:
        return None
    return db.session.scalar(
        select(Theme)
        .where(
            Theme.id == theme_id,
            Theme.consultation_id == consultation.id,
            Theme.area_id == consultation.area_id,
        )
        .options(selectinload(Theme.priorities))
    )


def load_theme(kwargs: dict) -> dict:
    """URL loader: the consultation's theme by id, or 404 (another consultation's too)."""
    kwargs = load_consultation(kwargs)
    theme = get_theme(kwargs["consultation"], kwargs.pop("theme_id"))
    if theme is None:
        abort(404)
    kwargs["theme"] = theme
    return kwargs


def themes_by_id(ids) -> dict[int, Theme]:
    return {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(ids)))}


def get_evidence(theme: Theme, evidence_id: int) -> Evidence | None:
    return db.session.scalar(
        select(Evidence).where(Evidence.id == evidence_id, Evidence.theme_id == theme.id)
    )


def has_decisions(theme: Theme) -> bool:
    return (
        db.session.scalar(select(Decision.id).where(Decision.theme_id == theme.id).limit(1))
        is not None
    )


def count_themes(consultation: Consultation) -> tuple[int, int | None]:
    """How many themes the consultation has, and the last position."""
    count, last = db.session.execute(
        select(func.count(Theme.id), func.max(Theme.position)).where(
            Theme.consultation_id == consultation.id
        )
    ).one()
    return count, last


def count_evidence(theme: Theme) -> int:
    count = db.session.scalar(select(func.count(Evidence.id)).where(Evidence.theme_id == theme.id))
    return typing.cast(int, count)  # count() is never NULL


def themes_in_order(consultation: Consultation) -> list[Theme]:
    """Every theme of the consultation by position, for renumbering."""
    return list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation.id)
            .order_by(Theme.position, Theme.id)
        )
    )


# --- what evidence may point at ------------------------------------------------------------


def survey_of(consultation: Consultation) -> Survey | None:
    return db.session.scalar(
        select(Survey).where(
            Survey.consultation_id == consultation.id, Survey.area_id == consultation.area_id
        )
    )


def find_code(survey: Survey, code_id: int) -> int | None:
    return db.session.scalar(select(Code.id).where(Code.id == code_id, Code.survey_id == survey.id))


def find_answer(consultation: Consultation, survey: Survey, answer_id: int) -> int | None:
    """A written answer of a submitted response to the survey."""
    return db.session.scalar(
        select(Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.id == answer_id,
            Response.survey_id == survey.id,
            Response.area_id == consultation.area_id,
            counted_responses(),
            Answer.text.is_not(None),
            Answer.text != "",
        )
    )


def find_question(survey: Survey, question_id: int) -> Question | None:
    """A choice question of the survey whose results can be evidence."""
    return db.session.scalar(
        select(Question).where(
            Question.id == question_id,
            Question.survey_id == survey.id,
            Question.kind.in_(CHOICE_KINDS),
        )
    )


def find_event_item(consultation: Consultation, item_id: int) -> int | None:
    """A point raised at one of the area's events."""
    return db.session.scalar(
        select(NoteItem.id).where(NoteItem.id == item_id, NoteItem.area_id == consultation.area_id)
    )


def find_event_action(consultation: Consultation, action_id: int) -> int | None:
    """An action agreed at one of the area's events."""
    return db.session.scalar(
        select(NoteAction.id).where(
            NoteAction.id == action_id, NoteAction.area_id == consultation.area_id
        )
    )


#: the column of each kind of link that says what it points at
LINK_COLUMNS = (
    "code_id",
    "answer_id",
    "question_id",
    "post_id",
    "event_item_id",
    "event_action_id",
)


def find_same(theme: Theme, kind: EvidenceKind, fields: dict) -> Evidence | None:
    """The theme's link to exactly this thing, if it has one already."""
    stmt = select(Evidence).where(Evidence.theme_id == theme.id, Evidence.kind == kind)
    for name in LINK_COLUMNS:
        if name in fields:
            stmt = stmt.where(getattr(Evidence, name) == fields[name])
    if kind is EvidenceKind.QUESTION:
        key = fields["option_key"]
        stmt = stmt.where(
            Evidence.option_key.is_(None) if key is None else Evidence.option_key == key
        )
    return db.session.scalar(stmt.limit(1))


# --- the feedback items behind themes --------------------------------------------------------


def _ids_clause(column, ids):
    """`column IN ids`, where ids is a list or a select of ids; None means no filter."""
    if ids is None:
        return None
    if isinstance(ids, Select):
        return column.in_(ids)
    return column.in_(list(ids))


def _none():
    """A NULL typed as an id, so PostgreSQL can match the UNION's columns."""
    return cast(null(), Integer)


def _answer_person():
    """The columns naming the person behind an answer: the account in a non-anonymous survey,
    else the response (anonymous, paper and phone responses each count as one person)."""
    user = case((Survey.is_anonymous.is_(False), Response.user_id), else_=null())
    lone = case(
        (and_(Survey.is_anonymous.is_(False), Response.user_id.is_not(None)), null()),
        else_=Response.id,
    )
    return user, lone


def _answer_branch(kind: EvidenceKind, themes, answers) -> Select:
    user, lone = _answer_person()
    stmt = select(
        Evidence.theme_id.label("theme_id"),
        Answer.id.label("answer_id"),
        _none().label("post_id"),
        user.label("user_id"),
        lone.label("response_id"),
        _none().label("lone_post_id"),
        case((vouched_responses(), 1), else_=0).label("vouched"),
    ).select_from(Evidence)
    if kind is EvidenceKind.ANSWER:
        stmt = stmt.join(Answer, Answer.id == Evidence.answer_id)
    elif kind is EvidenceKind.CODE:
        stmt = stmt.join(AnswerCode, AnswerCode.code_id == Evidence.code_id).join(
            Answer,
            and_(Answer.id == AnswerCode.answer_id, Answer.text.is_not(None), Answer.text != ""),
        )
    else:
        stmt = stmt.join(Answer, Answer.question_id == Evidence.question_id)
    stmt = (
        stmt.join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Evidence.kind == kind,
            counted_responses(),
            Response.area_id == Evidence.area_id,
        )
    )
    if kind is EvidenceKind.QUESTION:
        chose = (
            select(AnswerChoice.id)
            .where(
                AnswerChoice.answer_id == Answer.id,
                AnswerChoice.option_key == Evidence.option_key,
            )
            .exists()
        )
        stmt = stmt.where(or_(Evidence.option_key.is_(None), chose))
    for clause in (
        _ids_clause(Evidence.theme_id, themes),
        _ids_clause(Answer.id, answers),
    ):
        if clause is not None:
            stmt = stmt.where(clause)
    return stmt


def _post_branch(themes, posts) -> Select:
    stmt = (
        select(
            Evidence.theme_id.label("theme_id"),
            _none().label("answer_id"),
            Post.id.label("post_id"),
            Post.author_id.label("user_id"),
            _none().label("response_id"),
            case((Post.author_id.is_(None), Post.id), else_=null()).label("lone_post_id"),
            # written from an account
            literal(1, Integer).label("vouched"),
        )
        .select_from(Evidence)
        .join(Post, Post.id == Evidence.post_id)
        .where(
            Evidence.kind == EvidenceKind.POST,
            Post.status == PostStatus.VISIBLE,
            Post.area_id == Evidence.area_id,
        )
    )
    for clause in (_ids_clause(Evidence.theme_id, themes), _ids_clause(Post.id, posts)):
        if clause is not None:
            stmt = stmt.where(clause)
    return stmt


def item_rows(theme_ids=None, *, answer_ids=None, post_ids=None, answers=True, posts=True):
    """The feedback items behind themes as a subquery with one row per link to an item:
    (theme_id, answer_id, post_id, user_id, response_id, lone_post_id, vouched). Exactly one
    of answer_id and post_id is set; the person is `user_id` (an account) or else `response_id`
    (an anonymous or paper response) or else `lone_post_id` (a post whose author has gone);
    `vouched` is 1 for posts and for answers of vouched responses (`Response.vouched`).
    An item reached through two links appears twice: count it with DISTINCT.

    `theme_ids`, `answer_ids` and `post_ids` narrow it (lists or selects of ids)."""
    branches = []
    if answers:
        branches += [
            _answer_branch(kind, theme_ids, answer_ids)
            for kind in (EvidenceKind.ANSWER, EvidenceKind.CODE, EvidenceKind.QUESTION)
        ]
    if posts:
        branches.append(_post_branch(theme_ids, post_ids))
    return union_all(*branches).subquery("items")


def event_rows(theme_ids=None):
    """The points raised and actions agreed at events behind themes, as a subquery with one
    row per link: (theme_id, item_id, action_id, people). A point is reached directly or through
    a survey code it carries; `people` is how many raised it when the notes say so (else NULL).
    Exactly one of item_id and action_id is set. A point reached twice appears twice: count it
    with DISTINCT (`_event_figures` does)."""
    direct = (
        select(
            Evidence.theme_id.label("theme_id"),
            NoteItem.id.label("item_id"),
            _none().label("action_id"),
            NoteItem.people.label("people"),
        )
        .join(NoteItem, NoteItem.id == Evidence.event_item_id)
        .where(Evidence.kind == EvidenceKind.EVENT_ITEM, NoteItem.area_id == Evidence.area_id)
    )
    coded = (
        select(Evidence.theme_id, NoteItem.id, _none(), NoteItem.people)
        .join(NoteItemCode, NoteItemCode.code_id == Evidence.code_id)
        .join(NoteItem, NoteItem.id == NoteItemCode.item_id)
        .where(Evidence.kind == EvidenceKind.CODE, NoteItem.area_id == Evidence.area_id)
    )
    actions = (
        select(Evidence.theme_id, _none(), NoteAction.id, _none())
        .join(NoteAction, NoteAction.id == Evidence.event_action_id)
        .where(Evidence.kind == EvidenceKind.EVENT_ACTION, NoteAction.area_id == Evidence.area_id)
    )
    branches = [direct, coded, actions]
    if theme_ids is not None:
        branches = [b.where(_ids_clause(Evidence.theme_id, theme_ids)) for b in branches]
    return union_all(*branches).subquery("event_links")


@dataclass(frozen=True)
class Figures:
    #: distinct feedback items (answers, visible posts, points raised and actions agreed at
    #: events)
    items: int = 0
    #: distinct people behind them; a point raised at an event adds the people the notes say
    #: raised it (nobody can tell whether they also answered the survey)
    people: int = 0
    #: of those, the items and people that are vouched for (posts, answers of vouched
    #: responses, and what organisers wrote in an event's notes): a published figure needs 5
    #: of them (`forum.disclosure`)
    vouched_items: int = 0
    vouched_people: int = 0

    @property
    def sentence(self) -> str:
        items = "1 feedback item" if self.items == 1 else f"{self.items:,} feedback items"
        people = "1 person" if self.people == 1 else f"{self.people:,} people"
        return f"{items} from {people}"


@dataclass(frozen=True)
class ShownFigures:
    """A theme's figures as someone who does not see exact counts sees them (a partner's
    responder reading the themes before they are published): through `forum.disclosure`."""

    items: Count
    people: Count

    @property
    def sentence(self) -> str:
        items = "1 feedback item" if self.items.value == 1 else f"{self.items} feedback items"
        people = "1 person" if self.people.value == 1 else f"{self.people} people"
        return f"{items} from {people}"


def shown_figures(figures: Figures, *, exact: bool) -> Figures | ShownFigures:
    """`figures` as they are for exact viewers; protected for everyone else."""
    if exact:
        return figures
    return ShownFigures(
        count_of(figures.items, exact=False, vouched=figures.vouched_items),
        count_of(figures.people, exact=False, vouched=figures.vouched_people),
    )


def _figures_columns(items):
    """Items, people, vouched items and vouched people (an account is always vouched for)."""
    vouched = items.c.vouched == 1

    def distinct(column, *, only_vouched: bool = False):
        value = case((vouched, column), else_=null()) if only_vouched else column
        return func.count(func.distinct(value))

    return (
        distinct(items.c.answer_id) + distinct(items.c.post_id),
        distinct(items.c.user_id) + distinct(items.c.response_id) + distinct(items.c.lone_post_id),
        distinct(items.c.answer_id, only_vouched=True) + distinct(items.c.post_id),
        distinct(items.c.user_id)
        + distinct(items.c.response_id, only_vouched=True)
        + distinct(items.c.lone_post_id),
    )


def _event_figures(theme_ids, *, per_theme: bool) -> Select:
    """The same four figures for what was heard at events: each point or action once (per
    theme, or across all the themes), with the people the notes say raised each point. All
    of it is vouched for: organisers wrote it."""
    links = event_rows(theme_ids)
    keys = [links.c.item_id, links.c.action_id, links.c.people]
    if per_theme:
        keys.insert(0, links.c.theme_id)
    once = select(*keys).distinct().subquery("event_items")
    items = func.count(once.c.item_id) + func.count(once.c.action_id)
    people = func.coalesce(func.sum(once.c.people), 0)
    stmt = select(items, people, items, people)
    if per_theme:
        stmt = select(once.c.theme_id, items, people, items, people).group_by(once.c.theme_id)
    return stmt


def theme_figures(themes: Iterable[Theme | int]) -> dict[int, Figures]:
    """Items and people behind each theme, in one query however many themes and items there
    are. Themes with no evidence get zero figures."""
    ids = [t if isinstance(t, int) else t.id for t in themes]
    if not ids:
        return {}
    items = item_rows(ids)
    both = union_all(
        select(items.c.theme_id, *_figures_columns(items)).group_by(items.c.theme_id),
        _event_figures(ids, per_theme=True),
    ).subquery("figures")
    theme_id, *columns = both.c
    rows = db.session.execute(select(theme_id, *(func.sum(c) for c in columns)).group_by(theme_id))
    found = {theme_id: Figures(*(int(n or 0) for n in figures)) for theme_id, *figures in rows}
    return {theme_id: found.get(theme_id, Figures()) for theme_id in ids}


def total_figures(theme_ids) -> Figures:
    """Distinct items and people behind all the given themes together (one query): a person
    behind two themes counts once, and so does a point raised at an event."""
    items = item_rows(theme_ids)
    both = union_all(
        select(*_figures_columns(items)), _event_figures(theme_ids, per_theme=False)
    ).subquery("figures")
    row = db.session.execute(select(*(func.sum(c) for c in both.c))).one()
    return Figures(*(int(n or 0) for n in row))


def people_behind(theme_ids) -> Select:
    """(user id, theme id), distinct, for each signed-in person whose answers (in surveys that
    are not anonymous) or visible posts stand behind the given themes (a list or a select of
    ids). Anonymous and paper responses carry no account, so they are never found."""
    items = item_rows(theme_ids)
    return select(items.c.user_id, items.c.theme_id).where(items.c.user_id.is_not(None)).distinct()


def themes_for_answer_ids(answer_ids, theme_ids=None) -> Select:
    """(answer_id, theme_id) pairs: the themes each of these answers stands behind, directly,
    through a code or through a question's results (or one option the response chose).
    Distinct pairs, as a select; `theme_ids` (a list or a select) narrows the themes."""
    items = item_rows(theme_ids, answer_ids=answer_ids, posts=False)
    return select(items.c.answer_id, items.c.theme_id).distinct()


def themes_for_post_ids(post_ids) -> Select:
    """(post_id, theme_id) pairs for these posts, while they are visible, as a select."""
    items = item_rows(post_ids=post_ids, answers=False)
    return select(items.c.post_id, items.c.theme_id).distinct()


# --- quotes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    answer_id: int
    text: str


def _links(theme_ids):
    """(theme_id, answer_id, picked) for every written answer behind these themes: linked one
    by one (picked 0) or through a code (picked 1), as a subquery."""
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
    return (
        select(links.c.theme_id, links.c.answer_id, func.min(links.c.picked).label("picked"))
        .group_by(links.c.theme_id, links.c.answer_id)
        .subquery("best")
    )


def _quotable():
    """The conditions for an answer (joined to its response and theme) that may be quoted:
    counted, its author says yes to quoting now, with words, in the theme's area."""
    return (
        Response.area_id == Theme.area_id,
        counted_responses(),
        Response.may_quote.is_(True),
        Answer.text.is_not(None),
        Answer.text != "",
    )


def excerpted_answer_ids() -> Select:
    """The ids of answers quoted in part on some theme, as a select: their full words are
    never published, nor shown to partners (`hooks.answers_withheld_from_partners`)."""
    return select(ThemeQuote.answer_id).where(ThemeQuote.is_excerpt.is_(True))


_excerpted = excerpted_answer_ids


def theme_quotes(theme_ids: list[int], limit: int = QUOTES) -> dict[int, list[Quote]]:
    """The quotes of each theme, in two statements however many themes: written answers linked
    directly or through a code, from submitted responses whose respondent says yes to being
    quoted (`Response.may_quote`), so withdrawing consent takes a quote down everywhere.

    A theme whose organisers chose its quotes (`ThemeQuote`) shows those, in the order chosen,
    with the words chosen (an excerpt, redacted), while the answer is still behind the theme
    and the excerpt still part of it. Any other theme shows up to `limit`: answers the
    organiser picked one by one first, then the newest, leaving out every answer that has an
    excerpt chosen anywhere, so a full answer never appears where an excerpt was chosen.

    Discussion posts are never quoted: their authors were never asked whether they may be.
    Answers counted only through a choice question's results are not quoted either: a quote
    must be words someone chose to write about this theme."""
    if not theme_ids:
        return {}
    best = _links(theme_ids)
    chosen_rows = db.session.execute(
        select(ThemeQuote.theme_id, ThemeQuote.answer_id, ThemeQuote.text, Answer.text)
        .join(Theme, Theme.id == ThemeQuote.theme_id)
        .join(Answer, Answer.id == ThemeQuote.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(best, and_(best.c.theme_id == ThemeQuote.theme_id, best.c.answer_id == Answer.id))
        .where(
            ThemeQuote.theme_id.in_(theme_ids),
            *_quotable(),
            # a whole answer chosen here, but quoted in part elsewhere: only the part is shown
            or_(ThemeQuote.is_excerpt.is_(True), Answer.id.not_in(_excerpted())),
        )
        .order_by(ThemeQuote.theme_id, ThemeQuote.id)
    ).all()
    quotes: dict[int, list[Quote]] = {}
    for theme_id, answer_id, words, answer in chosen_rows:
        if still_fits(answer, words):
            quotes.setdefault(theme_id, []).append(Quote(answer_id, words))
    choosing = select(ThemeQuote.theme_id).where(ThemeQuote.theme_id.in_(theme_ids))
    ranked = (
        select(
            best.c.theme_id,
            Answer.id.label("answer_id"),
            Answer.text,
            func.row_number()
            .over(partition_by=best.c.theme_id, order_by=(best.c.picked, Answer.id.desc()))
            .label("rank"),
        )
        .join(Answer, Answer.id == best.c.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Theme, Theme.id == best.c.theme_id)
        .where(
            *_quotable(),
            best.c.theme_id.not_in(choosing),
            Answer.id.not_in(_excerpted()),
        )
        .subquery("ranked")
    )
    rows = db.session.execute(
        select(ranked.c.theme_id, ranked.c.answer_id, ranked.c.text)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.theme_id, ranked.c.rank)
    )
    for theme_id, answer_id, text in rows:
        quotes.setdefault(theme_id, []).append(Quote(answer_id, text))
    return quotes


@dataclass(frozen=True)
class HeardAtEvent:
    """A point raised or an action agreed at an event, as a theme publishes it."""

    text: str
    is_action: bool
    event_id: int
    event_title: str
    event_starts_at: object


def heard_at_events(theme_ids: list[int], limit: int = QUOTES) -> dict[int, list[HeardAtEvent]]:
    """What was heard at events behind each theme that anyone may read: points and actions
    from notes the organisers made public, of published events open to everyone. Up to
    `limit` per theme, points before actions, newest first; one statement however many
    themes. Notes for members or organisers only are counted in the figures, never shown."""
    if not theme_ids:
        return {}
    every = event_rows(theme_ids)
    links = (
        select(every.c.theme_id, every.c.item_id, every.c.action_id).distinct().subquery("heard")
    )
    note_id = func.coalesce(NoteItem.note_id, NoteAction.note_id)
    is_action = case((links.c.action_id.is_not(None), 1), else_=0)
    ranked = (
        select(
            links.c.theme_id,
            func.coalesce(NoteItem.text, NoteAction.what).label("text"),
            is_action.label("is_action"),
            Event.id.label("event_id"),
            Event.title,
            Event.starts_at,
            func.row_number()
            .over(
                partition_by=links.c.theme_id,
                order_by=(
                    is_action,
                    Event.starts_at.desc(),
                    links.c.item_id.desc(),
                    links.c.action_id.desc(),
                ),
            )
            .label("rank"),
        )
        .select_from(links)
        .outerjoin(NoteItem, NoteItem.id == links.c.item_id)
        .outerjoin(NoteAction, NoteAction.id == links.c.action_id)
        .join(EventNote, EventNote.id == note_id)
        .join(Event, Event.id == EventNote.event_id)
        .where(
            EventNote.visibility == NoteVisibility.PUBLIC,
            Event.status == EventStatus.PUBLISHED,
            Event.audience == Audience.PUBLIC,
        )
        .subquery("ranked")
    )
    found: dict[int, list[HeardAtEvent]] = {}
    rows = db.session.execute(
        select(*list(ranked.c)[:6])
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.theme_id, ranked.c.rank)
    )
    for theme_id, text, action, event_id, title, starts_at in rows:
        found.setdefault(theme_id, []).append(
            HeardAtEvent(text, bool(action), event_id, title, starts_at)
        )
    return found


@dataclass(frozen=True)
class QuoteCandidate:
    """A written answer behind the theme whose author agreed to be quoted, and the quote
    chosen from it for this theme, if any."""

    answer_id: int
    text: str
    reference: str
    chosen: ThemeQuote | None


#: consented answers offered for quoting on one page of the theme's page
CANDIDATES = 50


def quote_candidates(
    theme: Theme, *, page: int = 1, per_page: int | None = None
) -> pagination.Page:
    """One page of the theme's quotable answers (`QuoteCandidate`s): the chosen ones first (in
    the order chosen), then the rest newest first, so every consented answer can be reached.
    Two statements (the page and its count), however many answers."""
    best = _links([theme.id])
    chosen = aliased(ThemeQuote)
    stmt = (
        select(Answer.id, Answer.text, Response.reference, chosen)
        .join(best, best.c.answer_id == Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .join(Theme, Theme.id == best.c.theme_id)
        .outerjoin(chosen, and_(chosen.theme_id == theme.id, chosen.answer_id == Answer.id))
        .where(*_quotable())
        .order_by(chosen.id.is_(None), chosen.id, Answer.id.desc())
    )
    found = pagination.paginate(stmt, per_page=per_page or CANDIDATES, page=page, scalars=False)
    # (the text is never NULL here: `_quotable` asks for words)
    found.items = [QuoteCandidate(i, text or "", ref, quote) for i, text, ref, quote in found.items]
    return found


def get_quote_candidate(theme: Theme, answer_id: int) -> QuoteCandidate | None:
    """One answer behind the theme that may be quoted now, or None (not behind it, not
    consented, not counted, another area's)."""
    best = _links([theme.id])
    row = db.session.execute(
        select(Answer.id, Answer.text, Response.reference)
        .join(best, best.c.answer_id == Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .join(Theme, Theme.id == best.c.theme_id)
        .where(Answer.id == answer_id, *_quotable())
    ).first()
    if row is None:
        return None
    chosen = db.session.scalar(
        select(ThemeQuote).where(ThemeQuote.theme_id == theme.id, ThemeQuote.answer_id == answer_id)
    )
    return QuoteCandidate(row[0], row[1] or "", row[2], chosen)


def excerpts_of(answer_ids: list[int]) -> dict[int, str]:
    """For answers quoted in part on some theme: an excerpt to show in place of the whole
    answer to anyone who may not read every answer (one statement)."""
    if not answer_ids:
        return {}
    found: dict[int, str] = {}
    for answer_id, words in db.session.execute(
        select(ThemeQuote.answer_id, ThemeQuote.text)
        .where(ThemeQuote.answer_id.in_(answer_ids), ThemeQuote.is_excerpt.is_(True))
        .order_by(ThemeQuote.id)
    ):
        found.setdefault(answer_id, words)
    return found


# --- the picker's lists ---------------------------------------------------------------------


def parse_search(args) -> str:
    """`?q=`, cleaned and cut to `SEARCH_MAX`; anything odd becomes plain text."""
    return clean_text(args.get("q", ""))[:SEARCH_MAX]


def parse_after(args) -> int | None:
    """The keyset cursor `?after=<id>`: a positive whole number, or None."""
    raw = args.get("after", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 19 else None


def _added(theme: Theme, kind: EvidenceKind, column) -> set:
    return set(
        db.session.scalars(
            select(column).where(Evidence.theme_id == theme.id, Evidence.kind == kind)
        )
    )


@dataclass(frozen=True)
class CodeChoice:
    id: int
    name: str
    answers: int
    added: bool


def code_choices(theme: Theme, survey: Survey | None) -> list[CodeChoice]:
    """The survey's codes, A to Z, with their answers and whether the theme has them; two
    queries."""
    if survey is None:
        return []
    from forum.surveys.coding.queries import codes_with_counts

    added = _added(theme, EvidenceKind.CODE, Evidence.code_id)
    return [CodeChoice(c.id, c.name, c.answers, c.id in added) for c in codes_with_counts(survey)]


@dataclass
class AnswerChoiceRow:
    id: int
    text: str
    reference: str
    may_quote: bool
    #: how the survey names the question ("question 2", "question 3a", or its words)
    question_name: str
    added: bool = False

    @classmethod
    def of(cls, numbering, answer_id, text, reference, may_quote, position, number, prompt):
        question = Question(position=position, number=number, prompt=prompt)
        return cls(answer_id, text, reference, may_quote, question.name_in(numbering))


@dataclass
class Page:
    rows: list
    #: the `after` cursor of the next page, or None when this is the last
    next_after: int | None


def _keyset_page(theme: Theme, stmt, id_column, after, size, row_type, kind, link_column) -> Page:
    """One page of `stmt` (newest first, keyset on `id_column`), each row saying whether the
    theme has it already; two queries."""
    if after is not None:
        stmt = stmt.where(id_column < after)
    found = list(db.session.execute(stmt.limit(size + 1)))
    rows = [row_type(*row) for row in found[:size]]
    if rows:
        added = set(
            db.session.scalars(
                select(link_column).where(
                    Evidence.theme_id == theme.id,
                    Evidence.kind == kind,
                    link_column.in_([r.id for r in rows]),
                )
            )
        )
        for row in rows:
            row.added = row.id in added
    return Page(rows, rows[-1].id if len(found) > size else None)


def answer_page(
    theme: Theme,
    survey: Survey | None,
    search: str = "",
    *,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """Written answers of the survey's submitted responses, newest first (keyset on the answer
    id), matching `search` (case-insensitive; `%` and `_` are plain characters), each saying
    whether the theme already has it. Two queries."""
    if survey is None:
        return Page([], None)
    stmt = (
        select(
            Answer.id,
            Answer.text,
            Response.reference,
            Response.may_quote,
            Question.position,
            Question.number,
            Question.prompt,
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Response.survey_id == survey.id,
            Response.area_id == survey.area_id,
            counted_responses(),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .order_by(Answer.id.desc())
    )
    if search:
        stmt = stmt.where(Answer.text.icontains(search, autoescape=True))
    return _keyset_page(
        theme,
        stmt,
        Answer.id,
        after,
        size,
        partial(AnswerChoiceRow.of, survey.numbering),
        EvidenceKind.ANSWER,
        Evidence.answer_id,
    )


@dataclass
class OptionChoice:
    key: str
    label: str
    count: int
    added: bool


@dataclass
class QuestionChoice:
    question: Question
    #: people who answered it (submitted responses)
    answered: int
    #: the whole question is evidence already
    added: bool
    options: list[OptionChoice]


def question_choices(theme: Theme, survey: Survey | None) -> list[QuestionChoice]:
    """The survey's choice questions in order, with how many people answered each and chose
    each option, and what the theme has already; four queries however many questions."""
    if survey is None:
        return []
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.survey_id == survey.id, Question.kind.in_(CHOICE_KINDS))
            .order_by(Question.position, Question.id)
        )
    )
    if not questions:
        return []
    ids = [q.id for q in questions]
    answered = _answered_counts(ids)
    chosen = _chosen_counts(ids)
    added = _question_evidence(theme)
    return [
        QuestionChoice(
            question=q,
            answered=answered.get(q.id, 0),
            added=(q.id, None) in added,
            options=[
                OptionChoice(
                    c["value"],
                    c["label"],
                    chosen.get((q.id, c["value"]), 0),
                    (q.id, c["value"]) in added,
                )
                for c in q.choices
            ],
        )
        for q in questions
    ]


def _answered_counts(question_ids: list[int]) -> dict[int, int]:
    """{question id: submitted answers}."""
    submitted = and_(Response.id == Answer.response_id, counted_responses())
    return dict(
        db.session.execute(
            select(Answer.question_id, func.count(Answer.id))
            .join(Response, submitted)
            .where(Answer.question_id.in_(question_ids))
            .group_by(Answer.question_id)
        ).all()
    )


def _chosen_counts(question_ids: list[int]) -> dict[tuple[int, str], int]:
    """{(question id, option key): submitted responses that chose it}."""
    chosen: dict[tuple[int, str], int] = {}
    for question_id, key, count in db.session.execute(
        select(
            AnswerChoice.question_id,
            AnswerChoice.option_key,
            func.count(func.distinct(AnswerChoice.response_id)),
        )
        .join(
            Response,
            and_(Response.id == AnswerChoice.response_id, counted_responses()),
        )
        .where(AnswerChoice.question_id.in_(question_ids))
        .group_by(AnswerChoice.question_id, AnswerChoice.option_key)
    ):
        chosen[(question_id, key)] = count
    return chosen


def _question_evidence(theme: Theme) -> set:
    """(question id, option key or None) for each question the theme has as evidence."""
    return set(
        db.session.execute(
            select(Evidence.question_id, Evidence.option_key).where(
                Evidence.theme_id == theme.id, Evidence.kind == EvidenceKind.QUESTION
            )
        ).all()
    )


@dataclass
class PostChoiceRow:
    id: int
    number: int
    body: str
    thread_title: str
    board_name: str
    created_at: object
    added: bool = False


#: which boards the post list looks in
POST_SCOPES = ("consultation", "area")


def _post_boards(consultation, scope: str):
    """The boards a post may come from: the consultation's own board, or (scope "area") that
    and every area-wide board (other consultations' boards never)."""
    own = Board.consultation_id == consultation.id
    if scope == "area":
        return or_(own, Board.consultation_id.is_(None))
    return own


def post_page(
    theme: Theme,
    consultation,
    search: str = "",
    *,
    scope: str = "consultation",
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """Visible posts, newest first (keyset on the post id), from the consultation's board (or
    the area's boards too), whose words contain `search`; two queries."""
    stmt = (
        select(Post.id, Post.number, Post.body, Thread.title, Board.name, Post.created_at)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(
            Post.area_id == consultation.area_id,
            Board.area_id == consultation.area_id,
            Post.status == PostStatus.VISIBLE,
            _post_boards(consultation, scope),
        )
        .order_by(Post.id.desc())
    )
    if search:
        stmt = stmt.where(Post.body.icontains(search, autoescape=True))
    return _keyset_page(
        theme, stmt, Post.id, after, size, PostChoiceRow, EvidenceKind.POST, Evidence.post_id
    )


def find_post(consultation, post_id: int) -> Post | None:
    """A visible post the picker offers for this consultation (its own board or an area
    board of the same area); None for anything else."""
    return db.session.scalar(
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(
            Post.id == post_id,
            Post.area_id == consultation.area_id,
            Board.area_id == consultation.area_id,
            Post.status == PostStatus.VISIBLE,
            _post_boards(consultation, "area"),
        )
    )


@dataclass
class EventLineRow:
    """A point raised or an action agreed at one of the area's events, for the picker."""

    id: int
    text: str
    #: for a point: how many raised it, when the notes say; for an action: who owns it
    detail: int | str | None
    event_title: str
    event_starts_at: object
    visibility: object
    added: bool = False


#: which events the event lists look in
EVENT_SCOPES = ("area", "consultation")


def _event_line_page(
    theme, consultation, model, columns, kind, link_column, search, *, scope, after
):
    stmt = (
        select(model.id, *columns, Event.title, Event.starts_at, EventNote.visibility)
        .join(EventNote, EventNote.id == model.note_id)
        .join(Event, Event.id == EventNote.event_id)
        .where(model.area_id == consultation.area_id, Event.area_id == consultation.area_id)
        .order_by(model.id.desc())
    )
    if scope == "consultation":
        stmt = stmt.where(Event.consultation_id == consultation.id)
    if search:
        stmt = stmt.where(
            or_(
                columns[0].icontains(search, autoescape=True),
                Event.title.icontains(search, autoescape=True),
            )
        )
    return _keyset_page(theme, stmt, model.id, after, PAGE_SIZE, EventLineRow, kind, link_column)


def event_item_page(
    theme: Theme, consultation: Consultation, search: str = "", *, scope="area", after=None
) -> Page:
    """Points families raised at the area's events (or only at events linked to this
    consultation), newest first, matching `search` in the point or the event's title; each
    saying whether the theme has it already. Two queries."""
    return _event_line_page(
        theme,
        consultation,
        NoteItem,
        [NoteItem.text, NoteItem.people],
        EvidenceKind.EVENT_ITEM,
        Evidence.event_item_id,
        search,
        scope=scope,
        after=after,
    )


def event_action_page(
    theme: Theme, consultation: Consultation, search: str = "", *, scope="area", after=None
) -> Page:
    """Actions agreed at the area's events, as `event_item_page`."""
    return _event_line_page(
        theme,
        consultation,
        NoteAction,
        [NoteAction.what, NoteAction.owner],
        EvidenceKind.EVENT_ACTION,
        Evidence.event_action_id,
        search,
        scope=scope,
        after=after,
    )


@dataclass
class EvidenceRow:
    evidence: Evidence
    #: the response's reference, for a single answer
    reference: str | None = None
    #: for a single answer: its author agreed to be quoted
    may_quote: bool = False


def evidence_list(theme: Theme) -> list[EvidenceRow]:
    """The theme's evidence, oldest first, with what each link points at and who added it;
    a fixed number of queries however long the list."""
    links = list(
        db.session.scalars(
            select(Evidence)
            .where(Evidence.theme_id == theme.id)
            .options(
                selectinload(Evidence.code),
                selectinload(Evidence.answer),
                selectinload(Evidence.question),
                selectinload(Evidence.post).selectinload(Post.thread),
                selectinload(Evidence.event_item)
                .selectinload(NoteItem.note)
                .selectinload(EventNote.event),
                selectinload(Evidence.event_action)
                .selectinload(NoteAction.note)
                .selectinload(EventNote.event),
                selectinload(Evidence.added_by),
            )
            .order_by(Evidence.id)
        )
    )
    answer_ids = [e.answer_id for e in links if e.answer_id is not None]
    responses: dict[int | None, tuple[str, bool]] = {}
    if answer_ids:
        responses = {
            answer_id: (reference, may_quote)
            for answer_id, reference, may_quote in db.session.execute(
                select(Answer.id, Response.reference, Response.may_quote)
                .join(Response, Response.id == Answer.response_id)
                .where(Answer.id.in_(answer_ids))
            ).all()
        }
    rows = []
    for e in links:
        reference, may_quote = responses.get(e.answer_id, (None, False))
        rows.append(EvidenceRow(e, reference, may_quote))
    return rows
