"""The world the forum-response tests share: Northshire's closed consultation with a survey
in two sections plus a question before them, members' coded answers, and people of every role;
Southshire with its own organiser and member.

`build_response_world()` returns ids and emails; `started(world)` starts the response as the
organiser would, so tests that need one can make it and roll it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.forum_response import services
from forum.outcomes.themes.models import Theme
from forum.surveys.coding import services as coding
from forum.surveys.models import Answer, Section, Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_partner,
    make_question,
    make_response,
    make_survey,
    make_theme,
    make_user,
)

EMAILS = {
    "organiser": "org@example.org",
    "member": "mem@example.org",
    "responder": "resp@example.org",
    "outsider": "out@example.org",
    "admin": "admin@example.org",
    "other_organiser": "other-org@example.org",
    "other_member": "other-mem@example.org",
}


@dataclass
class World:
    area_slug: str = "north"
    slug: str = ""
    consultation_id: int = 0
    open_slug: str = ""
    survey_id: int = 0
    questions: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    theme_id: int = 0

    @property
    def base(self) -> str:
        return f"/areas/{self.area_slug}/consultations/{self.slug}/forum-response"

    @property
    def page(self) -> str:
        return f"/areas/{self.area_slug}/consultations/{self.slug}"


def user(role: str) -> User:
    return db.session.scalar(select(User).where(User.email == EMAILS[role]))


def consultation(world: World) -> Consultation:
    return db.session.get(Consultation, world.consultation_id)


def _section(survey, title: str, position: int, number: str = "") -> Section:
    section = Section(
        survey_id=survey.id, area_id=survey.area_id, title=title, position=position, number=number
    )
    db.session.add(section)
    db.session.commit()
    return section


def build_response_world(*, answers: int = 7) -> World:
    """Call inside an app context."""
    world = World()
    area = make_area(slug="north", name="Northshire")
    other = make_area(slug="south", name="Southshire")
    make_user(email=EMAILS["admin"], is_admin=True)
    for role, where, kind in (
        ("organiser", area, Role.ORGANISER),
        ("member", area, Role.MEMBER),
        ("other_organiser", other, Role.ORGANISER),
        ("other_member", other, Role.MEMBER),
    ):
        make_membership(make_user(email=EMAILS[role], name=role.title()), where, kind)
    make_membership(
        make_user(email=EMAILS["responder"], name="Rita Responder"),
        area,
        Role.RESPONDER,
        partner=make_partner(area, name="Northshire Council"),
    )
    make_user(email=EMAILS["outsider"])
    closed = make_consultation(area, state="closed", title="Green paper on SEND")
    world.slug, world.consultation_id = closed.slug, closed.id
    world.open_slug = make_consultation(area, state="open", title="Still open").slug
    survey = make_survey(closed)
    world.survey_id = survey.id
    first = make_question(survey, kind="short_text", prompt="Your first thoughts?")
    chapter_one = _section(survey, "Early help", 1, number="Chapter 1")
    chapter_two = _section(survey, "Schools", 2)
    world.sections = {"one": chapter_one.id, "two": chapter_two.id}
    waiting = make_question(
        survey, kind="long_text", prompt="What is it like to wait?", section_id=chapter_one.id
    )
    help_ = make_question(
        survey, kind="long_text", prompt="What help came?", section_id=chapter_one.id
    )
    school = make_question(
        survey, kind="long_text", prompt="What about school?", section_id=chapter_two.id
    )
    make_question(survey, prompt="Pick one", section_id=chapter_two.id)
    world.questions = {
        "first": first.id,
        "waiting": waiting.id,
        "help": help_.id,
        "school": school.id,
    }
    organiser = user("organiser")
    for n in range(answers):
        make_response(
            survey,
            status="submitted",
            answers={
                first: f"First {n}",
                waiting: f"We waited {n} months",
                school: f"School {n}",
            },
        )
    survey_row = db.session.get(Survey, survey.id)
    waited = list(
        db.session.scalars(
            select(Answer).where(Answer.question_id == waiting.id).order_by(Answer.id)
        )
    )
    for n, answer in enumerate(waited):
        coding.tag_answer(survey_row, answer, "Waiting", actor=organiser)
        if n < 2:
            coding.tag_answer(survey_row, answer, "Transport", actor=organiser)
    db.session.commit()
    world.theme_id = make_theme(closed, title="Waiting too long").id
    return world


def started(world: World):
    response = services.start_response(consultation(world), actor=user("organiser"))
    db.session.commit()
    return response


def theme(world: World) -> Theme:
    return db.session.get(Theme, world.theme_id)
