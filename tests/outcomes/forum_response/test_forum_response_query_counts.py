"""The forum's response pages send the same number of statements however many questions,
sections, codes and comments there are (no query per part)."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.outcomes.forum_response import services
from forum.outcomes.forum_response.models import ResponsePart, Stage
from forum.surveys.coding import services as coding
from forum.surveys.models import Answer, Section, Survey
from tests.factories import make_question, make_response
from tests.outcomes.forum_response.worlds import (
    EMAILS,
    build_response_world,
    consultation,
    user,
)
from tests.support import assert_same_count, statements_for


def _grow(world, n: int) -> None:
    """Add `n` sections with two written questions each, coded answers, and comments."""
    survey = db.session.get(Survey, world.survey_id)
    organiser = user("organiser")
    for i in range(n):
        section = Section(
            survey_id=survey.id, area_id=survey.area_id, title=f"More {i}", position=10 + i
        )
        db.session.add(section)
        db.session.commit()
        for j in range(2):
            question = make_question(
                survey, kind="long_text", prompt=f"More {i}.{j}?", section_id=section.id
            )
            made = make_response(survey, status="submitted", answers={question: f"Said {i}{j}"})
            answer = db.session.scalar(select(Answer).where(Answer.response_id == made.id))
            coding.tag_answer(
                db.session.get(Survey, survey.id), answer, f"Code {i}{j}", actor=organiser
            )
    db.session.commit()


def _start_and_comment(world) -> None:
    response = services.start_response(consultation(world), actor=user("organiser"))
    services.move_to(response, Stage.SHARED, actor=user("organiser"))
    for part in db.session.scalars(
        select(ResponsePart).where(ResponsePart.response_id == response.id)
    ):
        services.save_part(part, "Words", actor=user("organiser"))
        for who in ("member", "organiser"):
            services.add_comment(part, f"Comment by {who}", author=user(who))
    db.session.commit()


def _publish(world) -> None:
    from forum.outcomes.forum_response.queries import get_response

    response = get_response(consultation(world))
    services.move_to(response, Stage.FINAL, actor=user("organiser"))
    services.publish(response, actor=user("organiser"))
    db.session.commit()


def _measure(app, client, auth, world) -> dict[str, list[str]]:
    """Statements of the working page (organiser, member), then, once published, of the
    consultation page, print view and the HTML and Word downloads (a visitor)."""
    found = {}
    for who in ("organiser", "member"):
        auth.login(EMAILS[who])
        found[who] = statements_for(app, client, world.base)
        auth.logout()
    with app.app_context():
        _publish(world)
    for name, url in (
        ("public", world.page),
        ("print", world.base + "/print"),
        ("document", world.base + "/document"),
        ("word", world.base + "/document.docx"),
    ):
        found[name] = statements_for(app, client, url)
    return found


def test_the_pages_do_not_grow_with_parts_codes_and_comments(app, client, auth):
    with app.app_context():
        world = build_response_world(answers=1)
        _start_and_comment(world)
    small = _measure(app, client, auth, world)
    with app.app_context():
        from forum.outcomes.forum_response.models import ForumResponse

        db.session.delete(db.session.scalar(select(ForumResponse)))
        db.session.commit()
        _grow(world, 6)
        _start_and_comment(world)
    large = _measure(app, client, auth, world)
    assert "More 5.1?" in client.get(world.page).get_data(as_text=True)
    for name in small:
        assert_same_count(f"{name} page", small[name], large[name])
