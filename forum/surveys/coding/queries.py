"""Reading the written answers of a survey and their codes.

A text answer is an `Answer` with `text`: the words of a short or long text question, or what
someone wrote beside "Other, please specify". Only answers of submitted responses are ever
listed or counted. These reads never join an answer to a person: they give the response's
reference and whether the person agreed to be quoted, nothing else. The ledger's "you said"
themes read `answers_with_code` and, for quotes, `quotable_answers`, which only ever returns
answers whose respondent said yes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

from flask import abort
from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.surveys.models import (
    Answer,
    AnswerCode,
    Code,
    Question,
    QuestionKind,
    Response,
    Survey,
    counted_responses,
)
from forum.surveys.queries import load_question
from forum.web.text import clean_text

#: answers on one page of the coding list
PAGE_SIZE = 25
#: the question kinds whose answers can hold free text
TEXT_KINDS = (
    QuestionKind.SHORT_TEXT,
    QuestionKind.LONG_TEXT,
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
)


def _submitted():
    return counted_responses()


def _written_in(survey: Survey) -> tuple:
    """The conditions for an answer (joined to its response) that holds text and belongs to a
    submitted response to the survey."""
    return (
        Response.survey_id == survey.id,
        Response.area_id == survey.area_id,
        _submitted(),
        Answer.text.is_not(None),
        Answer.text != "",
    )


def _text_answers(survey: Survey) -> Select:
    """Text answers of the survey's submitted responses, joined to their response."""
    return (
        select(Answer).join(Response, Response.id == Answer.response_id).where(*_written_in(survey))
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
    #: of those, the answers that carry at least one code
    coded: int = 0


def text_questions(survey: Survey) -> list[TextQuestion]:
    """The survey's questions that have free text, in order, each with its number of text
    answers from submitted responses and how many of them carry a code; one query (sections
    loaded with it). A choice question that no longer offers "Other" is still listed while it
    holds text given before."""
    tagged = exists().where(AnswerCode.answer_id == Answer.id)
    answers = (
        select(
            Answer.question_id,
            func.count(Answer.id).label("answers"),
            func.count(case((tagged, Answer.id))).label("coded"),
        )
        .join(Response, Response.id == Answer.response_id)
        .where(*_written_in(survey))
        .group_by(Answer.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Question, func.coalesce(answers.c.answers, 0), func.coalesce(answers.c.coded, 0))
        .outerjoin(answers, answers.c.question_id == Question.id)
        .where(Question.survey_id == survey.id, Question.kind.in_(TEXT_KINDS))
        .options(joinedload(Question.section))
        .order_by(Question.position, Question.id)
    )
    return [
        TextQuestion(question, count, coded)
        for question, count, coded in rows
        if has_free_text(question) or count
    ]


@dataclass
class SectionCount:
    """A section's written answers, for the coding index: its heading ("" for questions in
    no section), its questions with free text, and the sums of their answers."""

    heading: str
    questions: list[TextQuestion] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return sum(item.answers for item in self.questions)

    @property
    def coded(self) -> int:
        return sum(item.coded for item in self.questions)


def by_section(questions: list[TextQuestion]) -> list[SectionCount]:
    """The questions grouped by section in survey order (a section meets its questions
    together, `Section`), with each section's totals. No query: sections come with the
    questions (`text_questions`)."""
    groups: list[SectionCount] = []
    current: int | None | str = "start"
    for item in questions:
        section = item.question.section
        key = section.id if section is not None else None
        if key != current:
            groups.append(SectionCount(section.heading if section is not None else ""))
            current = key
        groups[-1].questions.append(item)
    return groups


@dataclass(frozen=True)
class Neighbours:
    """The free-text questions before and after one, for "Previous question" and "Next
    question" on the coding pages (None at either end)."""

    previous: Question | None
    next: Question | None


def neighbours(survey: Survey, question: Question) -> Neighbours:
    """The previous and next questions that can be coded, skipping every other kind; one
    query."""
    found = [
        q
        for q in db.session.scalars(
            select(Question)
            .where(Question.survey_id == survey.id, Question.kind.in_(TEXT_KINDS))
            .order_by(Question.position, Question.id)
        )
        if has_free_text(q) or q.id == question.id
    ]
    at = next((n for n, q in enumerate(found) if q.id == question.id), None)
    if at is None:
        return Neighbours(None, None)
    before = found[at - 1] if at > 0 else None
    after = found[at + 1] if at + 1 < len(found) else None
    return Neighbours(before, after)


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
        .where(Answer.question_id == question.id, *_written_in(survey))
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
    response = cast(Response, db.session.get(Response, answer.response_id))  # NOT NULL FK
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
    survey = cast(Survey, db.session.get(Survey, code.survey_id))  # NOT NULL FK
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


def load_text_question(kwargs: dict) -> dict:
    """URL loader: the survey's question, or 404 unless its answers can hold free text."""
    kwargs = load_question(kwargs)
    if kwargs["question"].kind not in TEXT_KINDS:
        abort(404)
    return kwargs


# --- one response across every question ---------------------------------------------------


@dataclass(frozen=True)
class GivenAnswer:
    """One question of the survey and what this response answered (None: not answered), with
    the codes of a text answer."""

    question: Question
    answer: Answer | None
    codes: list[CodeName]
    #: the question's answers can hold free text, so it has a coding page
    is_coded: bool


@dataclass(frozen=True)
class WholeResponse:
    """A counted response as the coding pages show it: its reference, how it reached the
    forum and whether the person agreed to be quoted; never who they are, in named and
    anonymous surveys alike (the same as the coding list)."""

    reference: str
    channel_label: str
    may_quote: bool
    given: list[GivenAnswer]


def whole_response(survey: Survey, reference: str) -> WholeResponse | None:
    """Every question of the survey in order with this response's answers and their codes, or
    None unless the reference is a counted response to this survey (drafts, quarantined
    responses and other surveys' references are never found). Four queries, however many
    questions and answers."""
    response = db.session.scalar(
        select(Response).where(
            Response.survey_id == survey.id,
            Response.area_id == survey.area_id,
            Response.reference == reference,
            _submitted(),
        )
    )
    if response is None:
        return None
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.survey_id == survey.id)
            .options(joinedload(Question.section))
            .order_by(Question.position, Question.id)
        )
    )
    answers = {
        a.question_id: a
        for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id))
    }
    rows = [
        AnswerRow(a.id, a.text, response.reference, response.may_quote)
        for a in answers.values()
        if a.text
    ]
    attach_codes(rows)
    codes = {row.id: row.codes for row in rows}
    given = []
    for question in questions:
        answer = answers.get(question.id)
        if answer is None and question.is_hidden:
            continue  # hidden before this person answered: nothing to show
        given.append(
            GivenAnswer(
                question,
                answer,
                codes.get(answer.id, []) if answer is not None else [],
                question.kind in TEXT_KINDS
                and (has_free_text(question) or bool(answer and answer.text)),
            )
        )
    return WholeResponse(response.reference, response.channel.label, response.may_quote, given)
