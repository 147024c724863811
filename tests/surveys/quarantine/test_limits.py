"""Issue 12, point 3: one device, or one network address, can no longer send any number of
responses to a public survey. Counted in the limiter's shared storage, keyed by hashes only;
the 429 page tells a parent at a shared computer what to do, and keeps what they typed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.surveys.models import Response, ResponseStatus
from tests.surveys.quarantine.worlds import EMAILS, build_burst_world

#: `forum.surveys.answering.limits.DEVICE_COOKIE`, written out so that this module also runs
#: (and fails) against the code before the limits existed
DEVICE_COOKIE = "coproduce_device"


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_SURVEY_DEVICE": "2 per 10 minutes",
        "RATELIMIT_SURVEY_ADDRESS": "4 per 10 minutes",
        "RATELIMIT_KEY_PREFIX": f"coproduce-test-{uuid.uuid4().hex}",
    }


@pytest.fixture
def world(app):
    with app.app_context():
        world = build_burst_world(burst=0, confirm=False)
        db.session.commit()
        return world


def answer(client, world, colour="red", **kwargs):
    """Start a response afresh (as a new person would: a new session) and send it."""
    with client.session_transaction() as session:
        session.pop("survey_resume", None)
    return client.post_form(world.base + "/answer", {f"q{world.colour.id}": colour}, **kwargs)


def sent(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.status == ResponseStatus.SUBMITTED)
        )


def test_one_device_sends_a_few_then_is_told_what_to_do(app, client, world):
    before = sent(app)
    statuses = [answer(client, world).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert sent(app) == before + 2
    page = answer(client, world)
    text = page.get_data(as_text=True)
    assert page.status_code == 429
    assert "family centre" in text and "paper copy" in text and "Wait 10 minutes" in text
    assert "password" not in text.lower(), "not the sign-in page's words"
    assert client.get_cookie(DEVICE_COOKIE) is not None
    assert page.headers["Cache-Control"] == "no-store"
    # Sent by htmx: the same words, in place of the page's content.
    fragment = client.post_form(world.base + "/answer", {f"q{world.colour.id}": "red"}, htmx=True)
    assert fragment.status_code == 429
    assert fragment.headers["HX-Retarget"] == "#main-content"
    assert "<html" not in fragment.get_data(as_text=True)
    assert "family centre" in fragment.get_data(as_text=True)


def test_a_new_device_on_the_same_network_is_limited_by_the_address(app, client, world):
    statuses = []
    for _ in range(5):
        client.delete_cookie(DEVICE_COOKIE)  # a new browser each time, or cookies refused
        statuses.append(answer(client, world).status_code)
    assert statuses == [303, 303, 303, 303, 429]


def test_another_network_is_not_held_back_by_this_one(app, client, world):
    for _ in range(5):
        client.delete_cookie(DEVICE_COOKIE)
        answer(client, world)
    client.delete_cookie(DEVICE_COOKIE)
    other = answer(client, world, environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert other.status_code == 303


def test_signed_in_people_are_not_limited(app, client, auth, world):
    auth.login(EMAILS["member"])
    for _ in range(3):
        assert answer(client, world).status_code in (303, 200)


def test_what_was_typed_is_kept_when_sending_is_refused(app, client, world):
    """Begun at home, finished on the family centre's computer after two others answered
    there: sending is refused for now, and the answer typed is kept in the draft."""
    saved = client.post_form(
        world.base + "/answer", {f"q{world.colour.id}": "red", "action": "save"}
    )
    assert saved.status_code == 303
    with client.session_transaction() as session:
        token = session["survey_resume"][str(world.survey.id)]
    client.delete_cookie(DEVICE_COOKIE)  # now at the family centre
    assert [answer(client, world).status_code for _ in range(2)] == [303, 303]
    with client.session_transaction() as session:
        session.pop("survey_resume", None)
    client.get(f"{world.base}/resume/{token}")
    refused = client.post_form(world.base + "/answer", {f"q{world.colour.id}": "blue"})
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Your answers are saved on this device" in text
    with app.app_context():
        from forum.surveys.models import Answer

        draft = db.session.scalar(select(Response).where(Response.status == "draft"))
        assert draft is not None
        value = db.session.scalar(select(Answer.value).where(Answer.response_id == draft.id))
        assert value == "blue"


def test_the_limiter_stores_no_address(app, client, world):
    answer(client, world)
    from forum.extensions import limiter

    with app.app_context():
        storage = limiter.limiter.storage
        # a fixed window keeps counters (`storage`), a moving one timestamps (`events`)
        stored = [*getattr(storage, "storage", {}), *getattr(storage, "events", {})]
        keys = " ".join(str(k) for k in stored)
    assert "127.0.0.1" not in keys
    assert "survey:start:address:" in keys


def test_the_cookie_name_written_out_here_is_the_one_used():
    from forum.surveys.answering import limits

    assert limits.DEVICE_COOKIE == DEVICE_COOKIE
