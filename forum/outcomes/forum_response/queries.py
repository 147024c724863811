"""Reading the forum's response: its parts in the survey's order, each beside the coded answers
behind it, and members' comments, in a fixed number of statements however many questions,
codes and comments there are.

A part is the forum's answer to one question, or to one section when the survey has sections
(a question before the first section keeps a part of its own), between an optional
introduction and conclusion. Only questions that can hold written answers are parts: those are
the ones a collective response answers in words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from forum.consultations.queries import load_consultation
from forum.disclosure import Count, count_of
from forum.extensions import db
from forum.outcomes.forum_response.models import (
    CONCLUSION,
    INTRO,
    ForumResponse,
    ResponseComment,
    ResponsePart,
    question_slot,
    section_slot,
)
from forum.outcomes.forum_response.permissions import Doc
from forum.surveys.coding.queries import TextQuestion, text_questions
from forum.surveys.models import (
    Answer,
    AnswerCode,
    Code,
    Response,
    Section,
    Survey,
    counted_responses,
)
from forum.surveys.queries import get_survey


def get_response(consultation) -> ForumResponse | None:
    return db.session.scalar(
        select(ForumResponse).where(
            ForumResponse.consultation_id == consultation.id,
            ForumResponse.area_id == consultation.area_id,
        )
    )


def load_doc(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the consultation (404 if none) and its response as `doc`."""
    kwargs = load_consultation(kwargs)
    kwargs["doc"] = Doc(kwargs["consultation"], get_response(kwargs["consultation"]))
    return kwargs


def load_started(kwargs: dict) -> dict:
    """Like `load_doc`, but 404 when the response has not been started."""
    kwargs = load_doc(kwargs)
    if kwargs["doc"].response is None:
        abort(404)
    return kwargs


@dataclass(frozen=True)
class CodeFigure:
    name: str
    #: answers to the question tagged with the code (submitted responses only)
    answers: int
    #: of those, answers in vouched-for responses (`forum.disclosure`)
    vouched: int


@dataclass
class Slot:
    """One part of the response as the survey shapes it."""

    key: str
    #: "intro", "conclusion", "section" or "question"
    kind: str
    heading: str
    section: Section | None = None
    questions: list[TextQuestion] = field(default_factory=list)


def _question_heading(question, survey: Survey) -> str:
    number = question.number_in(survey.numbering)
    return f"{number} {question.prompt}".strip() if number else question.prompt


def slots_of(consultation) -> tuple[Survey | None, list[Slot]]:
    """The parts the response has, in order: the introduction, then one per section (or per
    written-answer question outside any section), then the conclusion. Two statements."""
    survey = get_survey(consultation)
    slots = [Slot(INTRO, "intro", "Introduction")]
    if survey is not None:
        sections = {
            s.id: s
            for s in db.session.scalars(
                select(Section).where(
                    Section.survey_id == survey.id, Section.area_id == survey.area_id
                )
            )
        }
        by_key: dict[str, Slot] = {}
        for listed in text_questions(survey):
            question = listed.question
            section = sections.get(question.section_id) if question.section_id else None
            if section is not None:
                key = section_slot(section.id)
                if key not in by_key:
                    by_key[key] = Slot(key, "section", section.heading, section=section)
                    slots.append(by_key[key])
                by_key[key].questions.append(listed)
            else:
                key = question_slot(question.id)
                by_key[key] = Slot(key, "question", _question_heading(question, survey))
                by_key[key].questions.append(listed)
                slots.append(by_key[key])
    slots.append(Slot(CONCLUSION, "conclusion", "Conclusion"))
    return survey, slots


def code_figures(survey: Survey | None) -> dict[int, list[CodeFigure]]:
    """Per question id, the survey's codes used on its written answers, most used first, with
    how many answers carry each (and how many of those are vouched for); one statement."""
    if survey is None:
        return {}
    answers = func.count(Answer.id)
    vouched = func.sum(case((Response.vouched.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(Answer.question_id, Code.name, answers, vouched)
        .join(AnswerCode, AnswerCode.code_id == Code.id)
        .join(Answer, and_(Answer.id == AnswerCode.answer_id, Answer.text.is_not(None)))
        .join(Response, and_(Response.id == Answer.response_id, counted_responses()))
        .where(Code.survey_id == survey.id, Code.area_id == survey.area_id, Answer.text != "")
        .group_by(Answer.question_id, Code.id, Code.name)
        .order_by(Answer.question_id, answers.desc(), func.lower(Code.name))
    )
    figures: dict[int, list[CodeFigure]] = defaultdict(list)
    for question_id, name, count, vouched_count in rows:
        figures[question_id].append(CodeFigure(name, count, int(vouched_count or 0)))
    return figures


def shown_count(figure: CodeFigure, *, exact: bool) -> Count:
    """A code's count as the viewer may see it: exact for organisers, protected for others."""
    return count_of(figure.answers, exact=exact, vouched=figure.vouched)


def parts_of(response: ForumResponse | None) -> dict[str, ResponsePart]:
    if response is None:
        return {}
    return {
        part.slot: part
        for part in db.session.scalars(
            select(ResponsePart).where(
                ResponsePart.response_id == response.id,
                ResponsePart.area_id == response.area_id,
            )
        )
    }


def comments_of(response: ForumResponse | None, *, with_hidden: bool) -> dict[int, list]:
    """Comments per part id, oldest first, each with its author loaded; one or two statements.
    Hidden ones only when `with_hidden` (organisers)."""
    if response is None:
        return {}
    query = (
        select(ResponseComment)
        .join(ResponsePart, ResponsePart.id == ResponseComment.part_id)
        .options(selectinload(ResponseComment.author))
        .where(
            ResponsePart.response_id == response.id,
            ResponseComment.area_id == response.area_id,
        )
        .order_by(ResponseComment.id)
    )
    if not with_hidden:
        query = query.where(ResponseComment.hidden_at.is_(None))
    comments: dict[int, list] = defaultdict(list)
    for comment in db.session.scalars(query):
        comments[comment.part_id].append(comment)
    return comments


def get_part(response: ForumResponse, slot: str) -> ResponsePart | None:
    return db.session.scalar(
        select(ResponsePart).where(
            ResponsePart.response_id == response.id,
            ResponsePart.area_id == response.area_id,
            ResponsePart.slot == slot[:24],
        )
    )


def get_comment(response: ForumResponse, comment_id: int) -> ResponseComment | None:
    return db.session.scalar(
        select(ResponseComment)
        .join(ResponsePart, ResponsePart.id == ResponseComment.part_id)
        .where(
            ResponseComment.id == comment_id,
            ResponsePart.response_id == response.id,
            ResponseComment.area_id == response.area_id,
        )
    )


def load_part(kwargs: dict) -> dict:
    """URL loader: the started response and one of its parts by slot, or 404."""
    kwargs = load_started(kwargs)
    part = get_part(kwargs["doc"].response, kwargs.pop("slot"))
    if part is None:
        abort(404)
    kwargs["part"] = part
    return kwargs


def load_comment(kwargs: dict) -> dict:
    kwargs = load_started(kwargs)
    comment = get_comment(kwargs["doc"].response, kwargs.pop("comment_id"))
    if comment is None:
        abort(404)
    kwargs["comment"] = comment
    return kwargs


@dataclass
class ShownPart:
    """One part as a page shows it: its slot, its saved row, the questions beside it with
    their codes, and its comments."""

    slot: Slot
    part: ResponsePart | None
    codes: dict[int, list[tuple[CodeFigure, Count]]]
    comments: list[ResponseComment]

    @property
    def body(self) -> str:
        return self.part.body if self.part is not None else ""


def document(consultation, response: ForumResponse | None, *, exact: bool, with_hidden: bool):
    """Everything a response page shows, in a fixed number of statements."""
    survey, slots = slots_of(consultation)
    figures = code_figures(survey)
    parts = parts_of(response)
    comments = comments_of(response, with_hidden=with_hidden) if response else {}
    shown = []
    for slot in slots:
        part = parts.get(slot.key)
        codes = {
            listed.question.id: [
                (figure, shown_count(figure, exact=exact))
                for figure in figures.get(listed.question.id, [])
            ]
            for listed in slot.questions
        }
        shown.append(
            ShownPart(slot, part, codes, comments.get(part.id, []) if part is not None else [])
        )
    return survey, shown
