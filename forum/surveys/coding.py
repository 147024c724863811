"""Free-text coding: organisers tag the text answers of a survey with codes.

A text answer is an `Answer` with `text`: the words of a short or long text question, or what
someone wrote beside "Other, please specify". Only answers of submitted responses are ever
listed, counted or coded. A code belongs to one survey and is made on the fly the first time
an organiser types its name; typing the same name again, in any letter case, reuses it.

Reads (`text_questions`, `codes_with_counts`, `select_text_answers`, `answer_rows` …) never
join an answer to a person: they give the response's reference and whether the person agreed
to be quoted, nothing else. The ledger's "you said" themes read `answers_with_code` and, for
quotes, `quotable_answers`, which only ever returns answers whose respondent said yes.

Writes take the acting user, flush, record an audit entry and return; the caller commits. A
broken rule raises `CodingError`, whose message is safe to show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record
from forum.extensions import db
from forum.surveys.models import (
    Answer,
    AnswerCode,
    Code,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Survey,
)
from forum.web.text import clean_text

#: the longest code name (the column's width)
CODE_NAME_MAX = 80
#: a survey's codes are offered in a list on every answer; this keeps that list usable
MAX_CODES = 500
#: answers on one page of the coding list
PAGE_SIZE = 25
#: the longest search term kept from the address
SEARCH_MAX = 100
#: the question kinds whose answers can hold free text
TEXT_KINDS = (
    QuestionKind.SHORT_TEXT,
    QuestionKind.LONG_TEXT,
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
)


class CodingError(ValueError):
    """A coding rule was broken; the message is safe to show. `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = "name"):
        super().__init__(message)
        self.field = field


# --- reads -----------------------------------------------------------------------------------


def _submitted():
    return Response.status == ResponseStatus.SUBMITTED


def _text_answers(survey: Survey) -> Select:
    """Text answers of the survey's submitted responses, joined to their response."""
    return (
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == survey.id,
            Response.area_id == survey.area_id,
            _submitted(),
            Answer.text.is_not(None),
            Answer.text != "",
        )
    )


def has_free_text(question: Question) -> bool:
    """Whether the question's answers can hold free text (so it can be coded)."""
    if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return True
    return question.kind.can_have_other and question.has_other


@dataclass(frozen=True)
class TextQuestion:
    question: Question
    #: text answers in submitted responses
    answers: int


def text_questions(survey: Survey) -> list[TextQuestion]:
    """The survey's questions that have free text, in order, each with its number of text
    answers from submitted responses; one query. A choice question that no longer offers
    "Other" is still listed while it holds text given before."""
    answers = (
        select(Answer.question_id, func.count(Answer.id).label("answers"))
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == survey.id,
            _submitted(),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .group_by(Answer.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Question, func.coalesce(answers.c.answers, 0))
        .outerjoin(answers, answers.c.question_id == Question.id)
        .where(Question.survey_id == survey.id, Question.kind.in_(TEXT_KINDS))
        .order_by(Question.position, Question.id)
    )
    return [
        TextQuestion(question, count)
        for question, count in rows
        if has_free_text(question) or count
    ]


@dataclass(frozen=True)
class CodeCount:
    id: int
    name: str
    #: answers of submitted responses tagged with the code
    answers: int


def codes_with_counts(survey: Survey, question: Question | None = None) -> list[CodeCount]:
    """Every code of the survey, A to Z, with how many text answers of submitted responses
    carry it (of `question` only, when given); one query. Unused codes count 0."""
    answer_on = and_(Answer.id == AnswerCode.answer_id, Answer.text.is_not(None), Answer.text != "")
    if question is not None:
        answer_on = and_(answer_on, Answer.question_id == question.id)
    rows = db.session.execute(
        select(Code.id, Code.name, func.count(Response.id))
        .outerjoin(AnswerCode, AnswerCode.code_id == Code.id)
        .outerjoin(Answer, answer_on)
        .outerjoin(Response, and_(Response.id == Answer.response_id, _submitted()))
        .where(Code.survey_id == survey.id)
        .group_by(Code.id, Code.name)
        .order_by(func.lower(Code.name), Code.id)
    )
    return [CodeCount(id, name, count) for id, name, count in rows]


#: filter by answers that carry no code yet
UNCODED = "none"


@dataclass(frozen=True)
class AnswerFilter:
    """What the organiser is looking for: words in the answer (`search`), a code's id, or
    `UNCODED`; either may be empty."""

    search: str = ""
    code: int | str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.search and self.code is None


def parse_filter(args, codes: Iterable[CodeCount]) -> AnswerFilter:
    """Read `?q=` and `?code=` from the address; anything unknown is ignored, never an error."""
    search = clean_text(args.get("q", ""))[:SEARCH_MAX]
    raw = args.get("code", "")
    code: int | str | None = None
    if raw == UNCODED:
        code = UNCODED
    elif raw.isdigit() and int(raw) in {c.id for c in codes}:
        code = int(raw)
    return AnswerFilter(search=search, code=code)


def parse_after(args) -> int | None:
    """The keyset cursor `?after=<answer id>`: a positive whole number, or None."""
    raw = args.get("after", "")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 19 else None


def select_text_answers(
    survey: Survey, question: Question, chosen: AnswerFilter | None = None
) -> Select:
    """The question's text answers from submitted responses that match `chosen`, newest first
    (by answer id, the keyset), as (Answer.id, Answer.text, Response.reference,
    Response.may_quote) rows. Searching is a case-insensitive substring match in which `%`
    and `_` are plain characters."""
    stmt = (
        select(Answer.id, Answer.text, Response.reference, Response.may_quote)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id == question.id,
            Response.survey_id == survey.id,
            Response.area_id == survey.area_id,
            _submitted(),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .order_by(Answer.id.desc())
    )
    chosen = chosen or AnswerFilter()
    if chosen.search:
        stmt = stmt.where(Answer.text.icontains(chosen.search, autoescape=True))
    tagged = exists().where(AnswerCode.answer_id == Answer.id)
    if chosen.code == UNCODED:
        stmt = stmt.where(~tagged)
    elif chosen.code is not None:
        stmt = stmt.where(tagged.where(AnswerCode.code_id == chosen.code))
    return stmt


def count_text_answers(
    survey: Survey, question: Question, chosen: AnswerFilter | None = None
) -> int:
    stmt = select_text_answers(survey, question, chosen).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(stmt)) or 0


@dataclass(frozen=True)
class CodeName:
    id: int
    name: str


@dataclass
class AnswerRow:
    """One text answer as the coding page shows it: no person, only the response's reference
    and whether they agreed to be quoted."""

    id: int
    text: str
    reference: str
    may_quote: bool
    codes: list[CodeName] = field(default_factory=list)


@dataclass
class AnswerPage:
    rows: list[AnswerRow]
    #: the `after` cursor for the next page, or None when this is the last
    next_after: int | None


def answer_page(
    survey: Survey,
    question: Question,
    chosen: AnswerFilter | None = None,
    *,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> AnswerPage:
    """One page of answers older than `after` (the newest when None), with their codes: two
    queries, however many answers and codes there are. Answers arriving meanwhile have
    larger ids, so the pages after the first neither repeat nor skip any."""
    stmt = select_text_answers(survey, question, chosen)
    if after is not None:
        stmt = stmt.where(Answer.id < after)
    found = list(db.session.execute(stmt.limit(size + 1)))
    more = len(found) > size
    rows = [AnswerRow(r.id, r.text, r.reference, r.may_quote) for r in found[:size]]
    attach_codes(rows)
    return AnswerPage(rows, rows[-1].id if more else None)


def attach_codes(rows: list[AnswerRow]) -> None:
    """Fill in each row's codes, A to Z, in one query."""
    if not rows:
        return
    by_answer: dict[int, list[CodeName]] = defaultdict(list)
    found = db.session.execute(
        select(AnswerCode.answer_id, Code.id, Code.name)
        .join(Code, Code.id == AnswerCode.code_id)
        .where(AnswerCode.answer_id.in_([r.id for r in rows]))
        .order_by(func.lower(Code.name), Code.id)
    )
    for answer_id, code_id, name in found:
        by_answer[answer_id].append(CodeName(code_id, name))
    for row in rows:
        row.codes = by_answer.get(row.id, [])


def get_text_answer(survey: Survey, answer_id: int) -> Answer | None:
    """A text answer of a submitted response to this survey; ids from another survey or
    area, drafts and answers without text are never found here."""
    return db.session.scalar(_text_answers(survey).where(Answer.id == answer_id))


def answer_row(answer: Answer) -> AnswerRow:
    """The row for one answer (after a change to its codes)."""
    response = db.session.get(Response, answer.response_id)
    row = AnswerRow(answer.id, answer.text or "", response.reference, response.may_quote)
    attach_codes([row])
    return row


def get_code(survey: Survey, code_id: int) -> Code | None:
    return db.session.scalar(select(Code).where(Code.id == code_id, Code.survey_id == survey.id))


def find_code(survey: Survey, name: str) -> Code | None:
    """The survey's code called `name` in any letter case (compared in Python, so "École" and
    "école" match on SQLite too, whose lower() knows only A to Z)."""
    wanted = clean_text(name).casefold()
    for code in db.session.scalars(select(Code).where(Code.survey_id == survey.id)):
        if code.name.casefold() == wanted:
            return code
    return None


def answers_with_code(code: Code) -> Select:
    """The text answers of submitted responses tagged with `code`, newest first, as a select
    of `Answer` the caller can extend (e.g. with a limit) and run with `db.session.scalars`."""
    survey = db.session.get(Survey, code.survey_id)
    return (
        _text_answers(survey)
        .join(AnswerCode, AnswerCode.answer_id == Answer.id)
        .where(AnswerCode.code_id == code.id)
        .order_by(Answer.id.desc())
    )


def quotable_answers(code: Code, limit: int = 5) -> list[Answer]:
    """Answers tagged with `code` that may be shown as quotes: only those whose respondent
    agreed to be quoted (`Response.may_quote`). Nobody else's words ever come back."""
    stmt = answers_with_code(code).where(Response.may_quote.is_(True)).limit(limit)
    return list(db.session.scalars(stmt))


# --- writes ----------------------------------------------------------------------------------


def check_name(name: str | None) -> str:
    """The code name, cleaned; `CodingError` when it is empty or too long."""
    name = clean_text(name)
    if not name:
        raise CodingError("Enter a code, for example “waiting times”")
    if len(name) > CODE_NAME_MAX:
        raise CodingError(f"A code must be {CODE_NAME_MAX} characters or fewer")
    return name


def _area(survey: Survey):
    from forum.areas.models import Area

    return db.session.get(Area, survey.area_id)


def get_or_create_code(survey: Survey, name: str, *, actor) -> tuple[Code, bool]:
    """The survey's code called `name` (any letter case), made now if there is none. Returns
    the code and whether it was made. Two organisers making the same code at once get one."""
    name = check_name(name)
    found = find_code(survey, name)
    if found is not None:
        return found, False
    count = db.session.scalar(select(func.count(Code.id)).where(Code.survey_id == survey.id))
    if count >= MAX_CODES:
        raise CodingError(
            f"This survey has {MAX_CODES} codes already. Use one of them, or ask whether some "
            "could be merged."
        )
    code = Code(survey_id=survey.id, area_id=survey.area_id, name=name, created_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(code)
    except IntegrityError:
        found = find_code(survey, name)
        if found is None:  # pragma: no cover - the unique name is the only way to get here
            raise
        return found, False
    # The name is the organiser's and may describe a family's circumstances: not in the log.
    record("survey.code_created", code, actor=actor, area=_area(survey), survey_id=survey.id)
    return code, True


@dataclass(frozen=True)
class Tagged:
    code: Code
    #: the code was made by this tag
    created: bool
    #: the answer did not carry the code before
    added: bool


def tag_answer(survey: Survey, answer: Answer, name: str, *, actor) -> Tagged:
    """Put the code called `name` on the answer, making the code if it is new. Tagging an
    answer with a code it already has changes nothing."""
    code, created = get_or_create_code(survey, name, actor=actor)
    present = db.session.get(AnswerCode, (answer.id, code.id))
    if present is not None:
        return Tagged(code, created, False)
    try:
        with db.session.begin_nested():
            db.session.add(AnswerCode(answer_id=answer.id, code_id=code.id, tagged_by_id=actor.id))
    except IntegrityError:
        return Tagged(code, created, False)  # the same tag, sent twice at once
    record("survey.answer_tagged", answer, actor=actor, area=_area(survey), code_id=code.id)
    return Tagged(code, created, True)


def untag_answer(survey: Survey, answer: Answer, code: Code, *, actor) -> bool:
    """Take the code off the answer. Returns False when it was not on it (nothing changes)."""
    removed = db.session.execute(
        delete(AnswerCode).where(AnswerCode.answer_id == answer.id, AnswerCode.code_id == code.id)
    ).rowcount
    if not removed:
        return False
    record("survey.answer_untagged", answer, actor=actor, area=_area(survey), code_id=code.id)
    return True
