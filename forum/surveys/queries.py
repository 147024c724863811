"""Reading surveys and their questions."""

from __future__ import annotations

from typing import NamedTuple

from flask import abort, g
from sqlalchemy import Select, and_, bindparam, func, select

from forum.areas.data_versions import remember_token
from forum.areas.models import Area, AreaDataVersion
from forum.consultations.models import Consultation
from forum.database import fits
from forum.extensions import db
from forum.surveys.models import (
    Question,
    Response,
    Section,
    SentCount,
    Survey,
    counted_responses,
)


def count_counted(survey: Survey) -> int:
    """How many of the survey's responses count (`counted_responses`)."""
    n = db.session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, counted_responses())
    )
    return n or 0


def get_survey(consultation: Consultation) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.consultation_id == consultation.id))


def select_questions(survey: Survey) -> Select:
    """The survey's questions in order (hidden ones too)."""
    return (
        select(Question)
        .where(Question.survey_id == survey.id)
        .order_by(Question.position, Question.id)
    )


def questions_of(survey: Survey) -> list[Question]:
    return list(db.session.scalars(select_questions(survey)))


def sections_of(survey: Survey) -> list[Section]:
    """The survey's sections (chapters) in order."""
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.survey_id == survey.id)
            .order_by(Section.position, Section.id)
        )
    )


def get_section(survey: Survey, section_id: int) -> Section | None:
    """A section of this survey; another survey's sections are never found here."""
    return db.session.scalar(
        select(Section).where(Section.id == section_id, Section.survey_id == survey.id)
    )


def sectioned(questions, sections) -> list[tuple[Section | None, list]]:
    """The questions in their sections, in order: (section, its questions) pairs, the first
    with section None for questions before any section (left out when there are none).
    Sections without questions are kept, so the builder can show them. No query."""
    by_section: dict[int | None, list] = {None: []}
    for section in sections:
        by_section[section.id] = []
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    groups: list[tuple[Section | None, list]] = []
    if by_section[None]:
        groups.append((None, by_section[None]))
    groups.extend((section, by_section[section.id]) for section in sections)
    return groups


def get_question(survey: Survey, question_id: int) -> Question | None:
    """A question of this survey; ids of another survey's questions are never found here."""
    return db.session.scalar(
        select(Question).where(Question.id == question_id, Question.survey_id == survey.id)
    )


def has_responses(survey: Survey) -> bool:
    """Whether anyone has started a response (a draft counts: it holds answers)."""
    found = db.session.scalar(select(Response.id).where(Response.survey_id == survey.id).limit(1))
    return found is not None


class SurveySummary(NamedTuple):
    survey: Survey
    #: questions new respondents see (hidden ones left out)
    questions: int


def survey_summary(consultation: Consultation) -> SurveySummary | None:
    """The consultation's survey and how many questions it asks, in one query; None if it has
    no survey."""
    row = db.session.execute(
        select(Survey, func.count(Question.id))
        .outerjoin(Question, and_(Question.survey_id == Survey.id, Question.is_hidden.is_(False)))
        .where(Survey.consultation_id == consultation.id)
        .group_by(Survey.id)
    ).first()
    return SurveySummary(row[0], row[1]) if row else None


def page_survey(consultation: Consultation) -> SurveySummary | None:
    """`survey_summary` read once for this request: the consultation page's sections from
    surveys (its questions, its results, a saved draft) each ask for it."""
    found = g.setdefault("page_surveys", {})
    if consultation.id not in found:
        found[consultation.id] = survey_summary(consultation)
    return found[consultation.id]


#: built once: every survey page sends it. The area with its data version (as
#: `areas.queries.load_area` reads them), the consultation by its slug in that area, and its
#: survey (None when it has none), in one statement instead of four; the consultation's
#: priorities, which no survey page shows, are not loaded.
_SURVEY_BY_SLUGS = (
    select(Area, AreaDataVersion.token, Consultation, Survey)
    .outerjoin(AreaDataVersion, AreaDataVersion.area_id == Area.id)
    .join(
        Consultation,
        and_(Consultation.area_id == Area.id, Consultation.slug == bindparam("slug")),
    )
    .outerjoin(Survey, Survey.consultation_id == Consultation.id)
    .where(Area.slug == bindparam("area_slug"))
)
#: the same, with the number of responses the survey has been sent (`SentCount`), which names
#: its kept results while it takes responses (`results.queries.count_submitted`)
_SURVEY_WITH_SENT = _SURVEY_BY_SLUGS.add_columns(SentCount.sent).outerjoin(
    SentCount, SentCount.survey_id == Survey.id
)


def load_survey(kwargs: dict, *, sent: bool = False) -> dict:
    """URL loader for `access(…)`: the area, the consultation (404 for either unknown, as
    `consultations.queries.load_consultation`) and its survey (None when it has none), in one
    statement; the area and consultation are kept on `g` too. `sent`: also read how many
    responses the survey has been sent, kept on `g` for `results.queries.count_submitted`."""
    from forum.surveys.answering.services import seal_if_closed

    area_slug, slug = kwargs.pop("area_slug"), kwargs.pop("slug")
    found = None
    if fits(Area.slug, area_slug) and fits(Consultation.slug, slug):
        statement = _SURVEY_WITH_SENT if sent else _SURVEY_BY_SLUGS
        found = db.session.execute(statement, {"area_slug": area_slug, "slug": slug}).first()
    if found is None:
        abort(404)
    area, token, consultation, survey = found[:4]
    if sent and survey is not None:
        g.survey_sent = (survey.id, found[4] or 0)
    remember_token(area, token)
    g.area, g.consultation = area, consultation
    if seal_if_closed(survey, consultation):
        # The first read after an anonymous survey closed destroys what could match its
        # responses to accounts, before any page is made from it (the periodic job does the
        # same for surveys nobody opens).
        db.session.commit()
    kwargs.update(area=area, consultation=consultation, survey=survey)
    return kwargs


def load_question(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the consultation, its survey and one of its questions, or
    404."""
    kwargs = load_survey(kwargs)
    question_id = kwargs.pop("question_id")
    survey = kwargs["survey"]
    question = get_question(survey, question_id) if survey else None
    if question is None:
        abort(404)
    kwargs["question"] = question
    return kwargs


def load_section(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the consultation, its survey and one of its sections, or
    404."""
    kwargs = load_survey(kwargs)
    section_id = kwargs.pop("section_id")
    survey = kwargs["survey"]
    section = get_section(survey, section_id) if survey else None
    if section is None:
        abort(404)
    kwargs["section"] = section
    return kwargs
