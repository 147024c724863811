"""The figures, quotes and lists behind themes (forum/outcomes/themes/queries.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.consultations.models import Consultation
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.outcomes.themes import queries as evidence
from forum.outcomes.themes import services as service
from forum.outcomes.themes.models import Theme
from forum.surveys.models import Survey
from tests.factories import make_theme
from tests.outcomes.worlds import build_theme_world


@pytest.fixture
def world(app):
    with app.app_context():
        return build_theme_world()


@pytest.fixture
def anonymous(app):
    with app.app_context():
        return build_theme_world(anonymous=True)


def quotes_of(theme, limit=evidence.QUOTES):
    """One theme's quotes, from the batch query."""
    return evidence.theme_quotes([theme.id], limit).get(theme.id, [])


def _theme(world) -> Theme:
    return db.session.get(Theme, make_theme(db.session.get(Consultation, world.consultation_id)).id)


def _add(world, theme, kind, target, option=None):
    organiser = db.session.get(User, world.organiser_id)
    service.add_evidence(theme, kind, target, option_key=option, actor=organiser)
    db.session.commit()


def _figures(theme) -> tuple[int, int]:
    found = evidence.theme_figures([theme])[theme.id]
    return found.items, found.people


def test_figures_count_items_and_people_once(app, world):
    with app.app_context():
        theme = _theme(world)
        assert _figures(theme) == (0, 0)
        _add(world, theme, "code", world.waiting)
        # The parent's answer and the paper response's: two people (paper counts as one).
        assert _figures(theme) == (2, 2)
        _add(world, theme, "post", world.opening)
        # The parent answered and posted: one person.
        assert _figures(theme) == (3, 2)
        _add(world, theme, "post", world.reply)
        assert _figures(theme) == (4, 3)
        _add(world, theme, "question", world.colour, "speech")
        # Two more answers (the parent's and the second member's), nobody new.
        assert _figures(theme) == (6, 3)
        _add(world, theme, "question", world.happy)
        assert _figures(theme) == (9, 3)
        _add(world, theme, "answer", world.answers["parent"])
        # Already behind the theme through its code.
        assert _figures(theme) == (9, 3)


def test_drafts_and_hidden_posts_are_never_counted(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "post", world.reply)
        _add(world, theme, "question", world.happy)
        assert _figures(theme) == (4, 3)
        db.session.get(Post, world.reply).status = PostStatus.HIDDEN
        db.session.commit()
        # The draft respondent answered "What should change?" only, and never submitted.
        assert _figures(theme) == (3, 3)


def test_anonymous_answers_count_one_person_each(app, anonymous):
    world = anonymous
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "code", world.waiting)
        assert _figures(theme) == (2, 2)
        _add(world, theme, "post", world.opening)
        # The parent's anonymous answer cannot be joined to their post: three people.
        assert _figures(theme) == (3, 3)
        _add(world, theme, "question", world.colour)
        # Three more answers; only the second member's response is a new person.
        assert _figures(theme) == (6, 4)


def test_figures_for_many_themes_and_the_total(app, world):
    with app.app_context():
        one, two, empty = _theme(world), _theme(world), _theme(world)
        _add(world, one, "code", world.waiting)
        _add(world, two, "post", world.opening)
        _add(world, two, "post", world.reply)
        found = evidence.theme_figures([one, two.id, empty])
        # Items, people, and of them those vouched for (the world's answers stand for real
        # parents; posts are always written from an account).
        assert found[one.id] == evidence.Figures(2, 2, 2, 2)
        assert found[two.id] == evidence.Figures(2, 2, 2, 2)
        assert found[empty.id] == evidence.Figures(0, 0)
        assert evidence.total_figures([one.id, two.id]) == evidence.Figures(4, 3, 4, 3)
        assert evidence.theme_figures([]) == {}
        assert evidence.Figures(1, 1).sentence == "1 feedback item from 1 person"
        assert evidence.Figures(2001, 5).sentence == "2,001 feedback items from 5 people"


def test_quotes_only_from_consenting_written_answers(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "code", world.calls)  # the second member said no to quotes
        _add(world, theme, "post", world.opening)  # posts are never quoted
        _add(world, theme, "question", world.colour)  # nor answers counted only as results
        assert quotes_of(theme) == []
        _add(world, theme, "code", world.waiting)
        texts = [q.text for q in quotes_of(theme)]
        assert sorted(texts) == ["Waiting list too long", "We waited a year"]
        assert [q.text for q in quotes_of(theme, limit=1)] == ["Waiting list too long"]


def test_quotes_picked_one_by_one_come_first(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "code", world.waiting)
        _add(world, theme, "answer", world.answers["parent"])
        assert quotes_of(theme)[0].text == "We waited a year"
        assert len(quotes_of(theme)) == 2


def test_evidence_people_are_signed_in_authors_only(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "code", world.waiting)
        assert set(db.session.scalars(evidence.people_behind([theme.id]))) == {world.parent_id}
        _add(world, theme, "post", world.reply)
        _add(world, theme, "post", world.opening)
        db.session.get(Post, world.reply).status = PostStatus.HIDDEN
        db.session.commit()
        # A hidden post no longer stands behind the theme.
        assert list(db.session.scalars(evidence.people_behind([theme.id]))) == [world.parent_id]
        db.session.get(Post, world.reply).status = PostStatus.VISIBLE
        db.session.commit()
        people = list(db.session.scalars(evidence.people_behind([theme.id])))
        assert sorted(people) == sorted([world.parent_id, world.second_id])


def test_evidence_people_leave_out_anonymous_answers(app, anonymous):
    world = anonymous
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "code", world.waiting)
        _add(world, theme, "question", world.colour)
        assert list(db.session.scalars(evidence.people_behind([theme.id]))) == []
        _add(world, theme, "post", world.reply)
        assert list(db.session.scalars(evidence.people_behind([theme.id]))) == [world.second_id]


def test_themes_for_answers_and_posts(app, world):
    with app.app_context():
        one, two = _theme(world), _theme(world)
        _add(world, one, "code", world.waiting)
        _add(world, two, "question", world.colour, "speech")
        _add(world, two, "post", world.reply)
        pairs = set(
            db.session.execute(
                evidence.themes_for_answer_ids(
                    [world.answers["parent"], world.answers["second"], world.answers["paper"]]
                )
            ).all()
        )
        assert pairs == {(world.answers["parent"], one.id), (world.answers["paper"], one.id)}
        colour_answers = set(
            db.session.execute(
                evidence.themes_for_answer_ids(
                    select(evidence.Answer.id).where(evidence.Answer.question_id == world.colour)
                )
            ).all()
        )
        assert {theme for _, theme in colour_answers} == {two.id}
        assert len(colour_answers) == 2
        assert set(
            db.session.execute(evidence.themes_for_post_ids([world.reply, world.opening])).all()
        ) == {(world.reply, two.id)}


# --- the picker's lists ------------------------------------------------------------------------


def _survey(world) -> Survey:
    return db.session.get(Survey, world.survey_id)


def test_code_choices_say_what_is_added(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "code", world.waiting)
        found = {c.name: (c.answers, c.added) for c in evidence.code_choices(theme, _survey(world))}
        assert found == {"Calls": (1, False), "Waiting": (2, True)}
        assert evidence.code_choices(theme, None) == []


def test_answer_page_searches_and_pages_by_id(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "answer", world.answers["second"])
        page = evidence.answer_page(theme, _survey(world), size=2)
        assert [r.text for r in page.rows] == ["Waiting list too long", "Nobody called back"]
        assert [r.added for r in page.rows] == [False, True]
        assert page.next_after == page.rows[-1].id
        rest = evidence.answer_page(theme, _survey(world), after=page.next_after, size=2)
        assert [r.text for r in rest.rows] == ["We waited a year"] and rest.next_after is None
        found = evidence.answer_page(theme, _survey(world), "WAIT")
        assert {r.text for r in found.rows} == {"Waiting list too long", "We waited a year"}
        # % and _ are plain characters, not wildcards.
        assert evidence.answer_page(theme, _survey(world), "%").rows == []
        assert evidence.answer_page(theme, None).rows == []


def test_question_choices_count_people_per_option(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "question", world.colour, "sight")
        _add(world, theme, "question", world.happy)
        found = evidence.question_choices(theme, _survey(world))
        assert [q.question.prompt for q in found] == ["Which service?", "Happy?"]
        colour, happy = found
        assert colour.answered == 3 and not colour.added
        assert [(o.key, o.count, o.added) for o in colour.options] == [
            ("speech", 2, False),
            ("sight", 1, True),
        ]
        assert happy.added
        assert [(o.key, o.count) for o in happy.options] == [
            ("yes", 1),
            ("no", 2),
            ("not_sure", 0),
        ]


def test_post_page_lists_visible_posts_of_the_consultation_or_area(app, world):
    with app.app_context():
        theme = _theme(world)
        c = db.session.get(Consultation, world.consultation_id)
        _add(world, theme, "post", world.reply)
        own = evidence.post_page(theme, c)
        assert [r.id for r in own.rows] == [world.reply, world.opening]
        assert [r.added for r in own.rows] == [True, False]
        wider = {r.id for r in evidence.post_page(theme, c, scope="area").rows}
        assert wider == {world.reply, world.opening, world.area_post}
        assert world.hidden not in wider and world.other_post not in wider
        assert [r.id for r in evidence.post_page(theme, c, "same").rows] == [world.reply]
        first = evidence.post_page(theme, c, size=1)
        assert first.next_after == world.reply
        assert [r.id for r in evidence.post_page(theme, c, after=world.reply).rows] == [
            world.opening
        ]


def test_evidence_list_loads_what_each_link_points_at(app, world):
    with app.app_context():
        theme = _theme(world)
        _add(world, theme, "answer", world.answers["parent"])
        _add(world, theme, "post", world.reply)
        rows = evidence.evidence_list(theme)
        assert [r.evidence.kind.value for r in rows] == ["answer", "post"]
        assert rows[0].reference and rows[1].reference is None
        assert rows[0].evidence.added_by.id == world.organiser_id
