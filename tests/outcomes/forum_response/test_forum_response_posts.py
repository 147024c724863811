"""Every POST of the forum-response and national-outcome pages answers a plain form with 303
See Other and htmx with HX-Redirect. `POSTS` has one entry per POST endpoint they add, in the
shape of tests/web/test_post_responses.CASES: (who signs in, url(client), data)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.outcomes.forum_response import services
from forum.outcomes.forum_response.models import ResponsePart, Stage
from forum.outcomes.themes.models import Theme
from tests.outcomes.forum_response.worlds import (
    build_response_world,
    consultation,
    started,
    user,
)
from tests.support import assert_redirects_after_post

BASE = "/areas/north/consultations/{slug}/forum-response"


def _base(client) -> str:
    from forum.consultations.models import Consultation

    with client.application.app_context():
        slug = db.session.scalar(
            select(Consultation.slug).where(Consultation.title == "Green paper on SEND")
        )
    return BASE.format(slug=slug)


def _ready(client, stage: Stage | None = Stage.DRAFT, comment: bool = False):
    from forum.consultations.models import Consultation

    with client.application.app_context():
        c = db.session.scalar(
            select(Consultation).where(Consultation.title == "Green paper on SEND")
        )
        world = type("W", (), {"consultation_id": c.id})()
        response = started(world)
        if stage is not None and stage is not Stage.DRAFT:
            services.move_to(response, stage, actor=user("organiser"))
        if comment:
            intro = db.session.scalar(
                select(ResponsePart).where(
                    ResponsePart.response_id == response.id, ResponsePart.slot == "intro"
                )
            )
            made = services.add_comment(intro, "A comment", author=user("member"))
            db.session.commit()
            return made.id
        db.session.commit()
        return None


def _start(client):
    return _base(client) + "/start"


def _stage(client):
    _ready(client)
    return _base(client) + "/stage"


def _part(client):
    _ready(client)
    return _base(client) + "/parts/intro"


def _comment(client):
    _ready(client, Stage.SHARED)
    return _base(client) + "/parts/intro/comments"


def _hide(client):
    comment_id = _ready(client, Stage.SHARED, comment=True)
    return _base(client) + f"/comments/{comment_id}/hide"


def _publish(client):
    _ready(client, Stage.FINAL)
    return _base(client) + "/publish"


def _submitted(client):
    _ready(client, Stage.FINAL)
    return _base(client) + "/submitted"


def _theme_url(client, action=""):
    with client.application.app_context():
        theme_id = db.session.scalar(select(Theme.id))
    return _base(client).replace("forum-response", f"themes/{theme_id}/national-outcome") + action


def _national(client):
    return _theme_url(client)


def _national_remove(client):
    with client.application.app_context():
        from datetime import date

        from forum.outcomes.national_outcomes import services as national

        theme = db.session.scalar(select(Theme))
        national.save_national_outcome(
            theme,
            body_name="DfE",
            decision="Decided",
            decided_on=date(2026, 1, 1),
            link="",
            actor=user("organiser"),
        )
        db.session.commit()
    return _theme_url(client, "/remove")


ORG = "org@example.org"
POSTS = {
    "start the response": (ORG, _start, {}),
    "move its stage": (ORG, _stage, {"stage": "shared"}),
    "save a part": (ORG, _part, {"body": "Our words"}),
    "comment on a part": ("mem@example.org", _comment, {"body": "Mine"}),
    "hide a comment": (ORG, _hide, {}),
    "publish it": (ORG, _publish, {}),
    "record where it was sent": (
        ORG,
        _submitted,
        {
            "submitted_to": "DfE",
            "submitted_on-day": "1",
            "submitted_on-month": "2",
            "submitted_on-year": "2026",
        },
    ),
    "record a national outcome": (
        ORG,
        _national,
        {
            "body_name": "Department for Education",
            "decision": "An improvement plan",
            "decided_on-day": "1",
            "decided_on-month": "2",
            "decided_on-year": "2026",
            "link": "https://www.gov.uk/plan",
        },
    ),
    "remove a national outcome": (ORG, _national_remove, {}),
}


@pytest.fixture
def world(app):
    with app.app_context():
        return build_response_world(answers=1)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    target = url(client)
    auth.login(who)
    response = client.post_form(target, data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)


def test_consultation_helper_is_the_worlds(app, world):
    with app.app_context():
        assert consultation(world).title == "Green paper on SEND"
