"""The theme pages send as many SQL statements with 200 themes or 1,000 answers as with a
handful (no N+1 queries)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from forum.consultations.models import Consultation
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme, theme_priorities
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    AnswerCode,
    Code,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
)
from tests.conftest import AuthActions, in_savepoint
from tests.factories import make_priority, make_user
from tests.outcomes.worlds import THEME_EMAILS, build_theme_world
from tests.support import assert_same_count, statements_for


@pytest.fixture(scope="module")
def world(world_app):
    """Built once for the module (see `world_app`): each test adds its data in a savepoint
    that is rolled back when it ends."""
    with world_app.app_context():
        world = build_theme_world()
        world.priorities = [
            make_priority(db.session.get(Consultation, world.consultation_id).area, code=f"Q{n}").id
            for n in range(3)
        ]
        return world


def add_themes(app, world, count: int) -> list[int]:
    """`count` themes, each with priorities and evidence of every kind, and an author."""
    with app.app_context():
        start = db.session.scalar(select(func.count(Theme.id))) or 0
        authors = [make_user().id for _ in range(3)]
        now = utcnow()
        rows = [
            {
                "area_id": world.area_id,
                "consultation_id": world.consultation_id,
                "title": f"Theme {start + n}",
                "summary": f"Summary **{n}**",
                "position": start + n + 1,
                "created_by_id": authors[n % 3],
                "created_at": now,
                "updated_at": now,
            }
            for n in range(count)
        ]
        db.session.execute(insert(Theme), rows)
        ids = list(
            db.session.scalars(
                select(Theme.id).where(Theme.consultation_id == world.consultation_id)
            )
        )[start:]
        db.session.execute(
            insert(theme_priorities),
            [
                {"theme_id": theme_id, "priority_id": world.priorities[n % 3]}
                for n, theme_id in enumerate(ids)
            ],
        )
        evidence = []
        for n, theme_id in enumerate(ids):
            common = {
                "theme_id": theme_id,
                "area_id": world.area_id,
                "added_by_id": authors[n % 3],
                "added_at": now,
            }
            evidence += [
                {**common, "kind": EvidenceKind.CODE, "code_id": world.waiting},
                {**common, "kind": EvidenceKind.ANSWER, "answer_id": world.answers["second"]},
                {
                    **common,
                    "kind": EvidenceKind.QUESTION,
                    "question_id": world.colour,
                    "option_key": "speech",
                },
                {**common, "kind": EvidenceKind.POST, "post_id": world.reply},
            ]
        db.session.execute(insert(Evidence), evidence)
        db.session.commit()
        return ids


def add_answers(app, world, count: int, theme_id: int | None = None) -> None:
    """`count` more submitted responses, each with a tagged written answer and a choice, and
    as many posts in the consultation's discussion; with `theme_id`, every tenth answer and
    post is linked to that theme one by one."""
    with app.app_context():
        survey = db.session.get(Survey, world.survey_id)
        start = db.session.scalar(select(func.count(Response.id))) or 0
        now = utcnow()
        db.session.execute(
            insert(Response),
            [
                {
                    "survey_id": survey.id,
                    "area_id": survey.area_id,
                    "reference": f"B{start}-{n}",
                    "status": ResponseStatus.SUBMITTED,
                    "channel": ResponseChannel.PAPER,
                    "may_quote": n % 2 == 0,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                }
                for n in range(count)
            ],
        )
        responses = list(
            db.session.scalars(select(Response.id).where(Response.reference.like(f"B{start}-%")))
        )
        db.session.execute(
            insert(Answer),
            [
                {
                    "response_id": r,
                    "question_id": world.words,
                    "value": f"Words {r}",
                    "text": f"Words {r}",
                }
                for r in responses
            ]
            + [
                {"response_id": r, "question_id": world.colour, "value": "speech", "text": None}
                for r in responses
            ],
        )
        written = dict(
            db.session.execute(
                select(Answer.response_id, Answer.id).where(
                    Answer.response_id.in_(responses), Answer.question_id == world.words
                )
            ).all()
        )
        chosen = dict(
            db.session.execute(
                select(Answer.response_id, Answer.id).where(
                    Answer.response_id.in_(responses), Answer.question_id == world.colour
                )
            ).all()
        )
        db.session.execute(
            insert(AnswerChoice),
            [
                {
                    "answer_id": chosen[r],
                    "response_id": r,
                    "question_id": world.colour,
                    "option_key": "speech",
                }
                for r in responses
            ],
        )
        code_ids = [world.waiting, world.calls]
        new_codes = [
            {"survey_id": survey.id, "area_id": survey.area_id, "name": f"Bulk code {start}-{n}"}
            for n in range(5)
        ]
        db.session.execute(insert(Code), new_codes)
        code_ids += list(
            db.session.scalars(select(Code.id).where(Code.name.like(f"Bulk code {start}-%")))
        )
        db.session.execute(
            insert(AnswerCode),
            [
                {"answer_id": written[r], "code_id": code_ids[n % len(code_ids)]}
                for n, r in enumerate(responses)
            ],
        )
        thread = db.session.scalar(select(Thread).where(Thread.title == "Waiting times"))
        last = db.session.scalar(select(func.max(Post.number)).where(Post.thread_id == thread.id))
        authors = [make_user().id for _ in range(3)]
        db.session.execute(
            insert(Post),
            [
                {
                    "thread_id": thread.id,
                    "area_id": thread.area_id,
                    "number": last + 1 + n,
                    "author_id": authors[n % 3],
                    "body": f"Bulk post {n}",
                    "status": PostStatus.VISIBLE if n % 4 else PostStatus.HIDDEN,
                    "created_at": now,
                }
                for n in range(count)
            ],
        )
        if theme_id is not None:
            posts = list(db.session.scalars(select(Post.id).where(Post.body.like("Bulk post %"))))
            db.session.execute(
                insert(Evidence),
                [
                    {
                        "theme_id": theme_id,
                        "area_id": world.area_id,
                        "kind": EvidenceKind.ANSWER,
                        "answer_id": written[r],
                        "added_by_id": authors[n % 3],
                        "added_at": now,
                    }
                    for n, r in enumerate(responses[::10])
                ]
                + [
                    {
                        "theme_id": theme_id,
                        "area_id": world.area_id,
                        "kind": EvidenceKind.POST,
                        "post_id": post_id,
                        "added_by_id": authors[n % 3],
                        "added_at": now,
                    }
                    for n, post_id in enumerate(posts[-count::10])
                ],
            )
        db.session.commit()


def _login(client, auth):
    auth.login(THEME_EMAILS["organiser"])


def test_the_ledger_is_flat_from_5_to_200_themes(app, client, auth, world):
    _login(client, auth)
    url = f"/areas/{world.area_slug}/consultations/{world.slug}/themes"
    add_themes(app, world, 5)
    small = statements_for(app, client, url)
    add_themes(app, world, 195)
    large = statements_for(app, client, url)
    assert "Theme 199" in client.get(url).get_data(as_text=True)
    assert_same_count(url, small, large)


PAGES = [
    "",
    "/evidence",
    "/evidence?show=answers",
    "/evidence?show=answers&q=words",
    "/evidence?show=choices",
    "/evidence?show=posts",
    "/evidence?show=posts&scope=area&q=bulk",
    "/delete",
    "/edit",
]


@pytest.fixture(scope="module")
def theme_page_statements(world_app, world, _shared) -> dict[str, tuple[str, list[str], list[str]]]:
    """Each theme page's statements with 10 answers and posts behind the theme, then with
    1,000: the 990 more are added once for all the pages rather than once for each. They are
    rolled back as soon as they have been counted, so that the module's other tests, in
    whatever order they run, never read them (the ledger test's 200 themes over them made a
    quarter of a million evidence rows, and PostgreSQL, whose statistics cannot see a
    transaction's uncommitted rows, took minutes over them in a full run)."""
    app = world_app
    client = app.test_client()
    AuthActions(client).login(THEME_EMAILS["organiser"])
    with in_savepoint(_shared):
        [theme_id] = add_themes(app, world, 1)
        base = f"/areas/{world.area_slug}/consultations/{world.slug}/themes/{theme_id}"
        add_answers(app, world, 10, theme_id)
        small = {page: statements_for(app, client, base + page) for page in PAGES}
        add_answers(app, world, 990, theme_id)
        large = {page: statements_for(app, client, base + page) for page in PAGES}
    return {page: (base + page, small[page], large[page]) for page in PAGES}


@pytest.mark.parametrize("page", PAGES)
def test_theme_pages_are_flat_from_10_to_1000_answers(theme_page_statements, page):
    url, small, large = theme_page_statements[page]
    assert_same_count(url, small, large)
