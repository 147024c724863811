"""The forum's response: who may see and do what, writing parts beside the coded answers,
stale saves, members' comments and hiding them, stages, publishing, the submitted line, the
download and print view, and protected counts for everyone but organisers.

The world (tests/outcomes/forum_response/worlds.py) is built once for the module; each test's
changes are rolled back."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.outcomes.forum_response import services
from forum.outcomes.forum_response.models import (
    ForumResponse,
    ResponseComment,
    ResponsePart,
    Stage,
)
from forum.outcomes.forum_response.queries import get_response
from tests.outcomes.forum_response.worlds import (
    EMAILS,
    build_response_world,
    consultation,
    started,
    user,
)
from tests.support import HUGE, RTL_EMOJI, SCRIPT, assert_redirects_after_post


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        return build_response_world()


def response_of(world) -> ForumResponse:
    return get_response(consultation(world))


def part(world, slot: str) -> ResponsePart:
    return db.session.scalar(
        select(ResponsePart).where(
            ResponsePart.response_id == response_of(world).id, ResponsePart.slot == slot
        )
    )


def at_stage(app, world, stage: Stage, *, published: bool = False):
    with app.app_context():
        if response_of(world) is None:
            started(world)
        response = response_of(world)
        organiser = user("organiser")
        services.save_part(part(world, "intro"), "We, the **forum**, say this.", actor=organiser)
        services.save_part(
            part(world, f"s{world.sections['one']}"), "Waiting is too long.", actor=organiser
        )
        if stage is not Stage.DRAFT:
            services.move_to(response, stage, actor=organiser)
        if published:
            services.publish(response, actor=organiser)
        db.session.commit()


def comment(app, world, body="I agree with this", who="member", slot="intro") -> int:
    with app.app_context():
        made = services.add_comment(part(world, slot), body, author=user(who))
        db.session.commit()
        return made.id


# --- who may see and do what ------------------------------------------------------------------

WHO = ["organiser", "member", "responder", "outsider", "admin", "other_organiser", None]


@pytest.mark.parametrize(
    ("stage", "allowed"),
    [
        (None, {"organiser", "admin"}),
        (Stage.DRAFT, {"organiser", "admin"}),
        (Stage.SHARED, {"organiser", "admin", "member"}),
        (Stage.FINAL, {"organiser", "admin", "member"}),
    ],
)
@pytest.mark.parametrize("who", WHO)
def test_who_may_open_the_working_page(app, client, auth, world, who, stage, allowed):
    if stage is not None:
        at_stage(app, world, stage)
    if who:
        auth.login(EMAILS[who])
    response = client.get(world.base)
    if who in allowed:
        assert response.status_code == 200
    elif who is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", WHO)
def test_once_published_the_draft_page_closes_and_everyone_reads_it_on_the_consultation(
    app, client, auth, world, who
):
    at_stage(app, world, Stage.FINAL, published=True)
    if who:
        auth.login(EMAILS[who])
    page = client.get(world.page).get_data(as_text=True)
    assert "The forum’s response" in page
    assert "Waiting is too long." in page
    document = client.get(world.base + "/document")
    assert document.status_code == 200
    assert client.get(world.base + "/print").status_code == 200
    draft = client.get(world.base)
    assert draft.status_code == (200 if who in ("organiser", "admin") else 403 if who else 302)


@pytest.mark.parametrize("who", ["member", "responder", "outsider", "other_organiser", None])
def test_nobody_but_organisers_reads_an_unpublished_document(app, client, auth, world, who):
    at_stage(app, world, Stage.FINAL)
    if who:
        auth.login(EMAILS[who])
    for url in (world.base + "/document", world.base + "/print"):
        assert client.get(url).status_code in (302, 403)


WRITES = {
    "start": ("/start", {}),
    "stage": ("/stage", {"stage": "shared"}),
    "publish": ("/publish", {}),
    "part": ("/parts/intro", {"body": "Changed"}),
    "submitted": (
        "/submitted",
        {
            "submitted_to": "DfE",
            "submitted_on-day": "1",
            "submitted_on-month": "1",
            "submitted_on-year": "2026",
        },
    ),
}


@pytest.mark.parametrize("who", ["member", "responder", "outsider", "other_organiser"])
@pytest.mark.parametrize("action", sorted(WRITES))
def test_only_the_areas_organisers_write(app, client, auth, world, who, action):
    at_stage(app, world, Stage.FINAL)
    auth.login(EMAILS[who])
    path, data = WRITES[action]
    for htmx in (False, True):
        assert client.post_form(world.base + path, data, htmx=htmx).status_code == 403
    with app.app_context():
        assert part(world, "intro").body == "We, the **forum**, say this."
        assert response_of(world).published_at is None


def test_organisers_cannot_start_before_the_consultation_closes(client, auth, world):
    auth.login(EMAILS["organiser"])
    url = f"/areas/north/consultations/{world.open_slug}/forum-response"
    assert client.get(url).status_code == 403
    assert client.post_form(url + "/start").status_code == 403


def test_a_slot_of_nothing_is_not_found(app, client, auth, world):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    assert client.get(world.base + "/parts/q99999").status_code == 404
    assert client.get(world.base + "/parts/" + "x" * 300).status_code == 404
    assert client.post_form(world.base + "/comments/99999/hide").status_code == 404


def test_routes_of_a_response_not_started_are_not_found(client, auth, world):
    auth.login(EMAILS["organiser"])
    assert client.get(world.base + "/parts/intro").status_code == 404
    assert client.post_form(world.base + "/stage", {"stage": "shared"}).status_code == 404


# --- writing beside the coded answers ---------------------------------------------------------


def test_starting_makes_a_part_per_section_and_per_question_outside_one(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    page = client.get(world.base).get_data(as_text=True)
    assert "Start the forum’s response" in page
    assert_redirects_after_post(client.post_form(world.base + "/start"), htmx=False)
    with app.app_context():
        slots = [p.slot for p in response_of(world).parts]
    q, s = world.questions, world.sections
    assert slots == ["intro", f"q{q['first']}", f"s{s['one']}", f"s{s['two']}", "conclusion"]
    page = client.get(world.base).get_data(as_text=True)
    # sections by their heading, with their questions and their codes beside, exact for
    # organisers, and a link to each question's coding page
    assert "Chapter 1 Early help" in page and "What is it like to wait?" in page
    assert re.search(r"Transport</td>\s*<td[^>]*>2</td>", page)
    assert re.search(r"Waiting</td>\s*<td[^>]*>7</td>", page)
    assert f"/survey/coding/{q['waiting']}" in page
    # a second start is refused, not a 500
    again = client.post_form(world.base + "/start")
    assert again.status_code == 303


def test_saving_a_part_sanitises_markdown(app, client, auth, world):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    url = world.base + "/parts/intro"
    form = client.get(url).get_data(as_text=True)
    version = re.search(r'name="row_version"[^>]*value="(\d+)"', form).group(1)
    body = f"**Bold** {SCRIPT} [link](javascript:alert(1)) {RTL_EMOJI}"
    response = client.post_form(url, {"body": body, "row_version": version})
    assert_redirects_after_post(response, htmx=False)
    page = client.get(world.base).get_data(as_text=True)
    assert "<strong>Bold</strong>" in page
    assert "&lt;script&gt;" in page and "<img src=x" not in page
    assert 'href="javascript' not in page
    assert RTL_EMOJI in page


def test_the_part_form_opens_in_place_for_htmx(app, client, auth, world):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    response = client.htmx_get(world.base + "/parts/intro")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<h1" not in text and 'name="body"' in text
    # it replaces the link that opened it, so the box takes the focus; a whole page does not
    assert re.search(r"<textarea[^>]*autofocus", text)
    page = client.get(world.base + "/parts/intro").get_data(as_text=True)
    assert 'name="body"' in page and "autofocus" not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_a_too_long_part_is_refused_and_kept_in_the_form(app, client, auth, world, htmx):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    body = "y" * 20_001
    response = client.post_form(world.base + "/parts/intro", {"body": body}, htmx=htmx)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "The answer must be 20,000 characters or fewer" in text
    assert body in text
    with app.app_context():
        assert part(world, "intro").body == "We, the **forum**, say this."


def test_a_stale_save_shows_their_version_and_keeps_yours(app, client, auth, world):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    url = world.base + "/parts/intro"
    form = client.get(url).get_data(as_text=True)
    version = re.search(r'name="row_version"[^>]*value="(\d+)"', form).group(1)
    with app.app_context():
        services.save_part(part(world, "intro"), "Someone else’s words", actor=user("admin"))
        db.session.commit()
    response = client.post_form(url, {"body": "My words", "row_version": version})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Someone else changed this part of the response" in text
    assert "Someone else’s words" in text and "My words" in text
    with app.app_context():
        assert part(world, "intro").body == "Someone else’s words"
    bad = client.post_form(url, {"body": "Mine", "row_version": "abc"})
    assert bad.status_code == 422


def test_a_final_response_cannot_be_changed(app, client, auth, world):
    at_stage(app, world, Stage.FINAL)
    auth.login(EMAILS["organiser"])
    response = client.post_form(world.base + "/parts/intro", {"body": "Late change"})
    assert response.status_code == 422
    assert "marked final" in response.get_data(as_text=True)


# --- stages and comments ----------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_sharing_then_members_comment_and_organisers_hide(app, client, auth, world, htmx):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    response = client.post_form(world.base + "/stage", {"stage": "shared"}, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)
    auth.logout()
    auth.login(EMAILS["member"])
    page = client.get(world.base).get_data(as_text=True)
    assert "Waiting is too long." in page and "Comment on this part" in page
    # members see protected counts: 7 is shown as 5, 2 is withheld
    assert re.search(r"Waiting</td>\s*<td[^>]*>5</td>", page)
    assert re.search(r"Transport</td>\s*<td[^>]*>fewer than 5</td>", page)
    assert "/survey/coding/" not in page
    url = world.base + "/parts/intro/comments"
    assert client.get(url).status_code == 200
    sent = client.post_form(url, {"body": f"Add buses {SCRIPT}"}, htmx=htmx)
    assert_redirects_after_post(sent, htmx=htmx)
    page = client.get(world.base).get_data(as_text=True)
    assert "Add buses" in page and "<script>alert" not in page
    with app.app_context():
        comment_id = db.session.scalar(select(ResponseComment.id))
    auth.logout()
    auth.login(EMAILS["organiser"])
    hidden = client.post_form(world.base + f"/comments/{comment_id}/hide", htmx=htmx)
    assert_redirects_after_post(hidden, htmx=htmx)
    assert "Hidden from members" in client.get(world.base).get_data(as_text=True)
    auth.logout()
    auth.login(EMAILS["member"])
    assert "Add buses" not in client.get(world.base).get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your comment"),
        ("   ", "Write your comment"),
        ("z" * 2_001, "Your comment must be 2,000 characters or fewer"),
        (HUGE, "Your comment must be 2,000 characters or fewer"),
    ],
)
def test_bad_comments_are_refused_beside_the_field(app, client, auth, world, body, message):
    at_stage(app, world, Stage.SHARED)
    auth.login(EMAILS["member"])
    response = client.post_form(world.base + "/parts/intro/comments", {"body": body})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    with app.app_context():
        assert db.session.scalar(select(ResponseComment.id)) is None


@pytest.mark.parametrize("stage", [Stage.DRAFT, Stage.FINAL])
@pytest.mark.parametrize("who", ["member", "responder", "other_member", "outsider"])
def test_comments_only_from_the_areas_members_while_shared(app, client, auth, world, stage, who):
    at_stage(app, world, Stage.SHARED if who != "member" else stage)
    auth.login(EMAILS[who])
    url = world.base + "/parts/intro/comments"
    assert client.get(url).status_code == 403
    assert client.post_form(url, {"body": "Hello"}).status_code == 403


def test_a_double_submitted_comment_is_added_once(app, client, auth, world):
    at_stage(app, world, Stage.SHARED)
    auth.login(EMAILS["member"])
    url = world.base + "/parts/intro/comments"
    form = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', form).group(1)
    for _ in range(2):
        client.post_form(url, {"body": "Once", "submission_key": key})
    with app.app_context():
        assert len(list(db.session.scalars(select(ResponseComment)))) == 1


def test_hiding_twice_is_fine(app, client, auth, world):
    at_stage(app, world, Stage.SHARED)
    comment_id = comment(app, world)
    auth.login(EMAILS["organiser"])
    for _ in range(2):
        assert client.post_form(world.base + f"/comments/{comment_id}/hide").status_code == 303


def test_a_bad_stage_is_said_not_a_500(app, client, auth, world):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    for value in ("", "published", SCRIPT):
        response = client.post_form(world.base + "/stage", {"stage": value})
        assert response.status_code == 422
        assert "Choose what to do with the response" in response.get_data(as_text=True)


# --- publishing and the submitted line --------------------------------------------------------


def test_publishing_needs_final(app, client, auth, world):
    at_stage(app, world, Stage.SHARED)
    auth.login(EMAILS["organiser"])
    client.post_form(world.base + "/publish")
    with app.app_context():
        assert response_of(world).published_at is None
    assert "Mark the response final before publishing it" in client.get(world.base).get_data(
        as_text=True
    )


def test_publish_and_mark_submitted(app, client, auth, world):
    at_stage(app, world, Stage.FINAL)
    auth.login(EMAILS["organiser"])
    assert_redirects_after_post(client.post_form(world.base + "/publish"), htmx=False)
    url = world.base + "/submitted"
    data = {
        "submitted_to": "Department for Education",
        "submitted_on-day": "2",
        "submitted_on-month": "3",
        "submitted_on-year": "2026",
        "submitted_reference": "GP-2026-17",
    }
    assert_redirects_after_post(client.post_form(url, data), htmx=False)
    auth.logout()
    page = client.get(world.page).get_data(as_text=True)
    assert "Submitted to Department for Education on 2 March 2026" in page
    assert "GP-2026-17" in page
    # public counts are protected
    assert re.search(r"Waiting</td>\s*<td[^>]*>5</td>", page)
    assert re.search(r"Transport</td>\s*<td[^>]*>fewer than 5</td>", page)
    document = client.get(world.base + "/document")
    assert "attachment" in document.headers["Content-Disposition"]
    text = document.get_data(as_text=True)
    assert "Department for Education" in text and "Waiting is too long." in text
    assert ">7<" not in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter who the response was sent to"),
        ({"submitted_to": "x" * 201}, "The name must be 200 characters or fewer"),
        ({"submitted_on-day": "31", "submitted_on-month": "2"}, "must be a real date"),
        ({"submitted_on-year": "2999"}, "between the years 2000 and 2100"),
        ({"submitted_on-year": "2099"}, "today or in the past"),
        ({"submitted_on-day": ""}, "must include a day"),
        ({"submitted_reference": HUGE}, "The reference must be 200 characters or fewer"),
    ],
)
def test_bad_submitted_details_are_said(app, client, auth, world, data, message):
    at_stage(app, world, Stage.FINAL)
    auth.login(EMAILS["organiser"])
    sent = {
        "submitted_to": "DfE",
        "submitted_on-day": "2",
        "submitted_on-month": "3",
        "submitted_on-year": "2026",
        **data,
    }
    if "submitted_to" in data or not data:
        sent["submitted_to"] = data.get("submitted_to", "")
    response = client.post_form(world.base + "/submitted", sent)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert response_of(world).submitted_to == ""


def test_recording_the_submission_needs_final(app, client, auth, world):
    at_stage(app, world, Stage.DRAFT)
    auth.login(EMAILS["organiser"])
    data = {
        "submitted_to": "DfE",
        "submitted_on-day": "2",
        "submitted_on-month": "3",
        "submitted_on-year": "2026",
    }
    response = client.post_form(world.base + "/submitted", data)
    assert response.status_code == 422
    assert "Mark the response final" in response.get_data(as_text=True)


def test_members_see_a_link_to_the_shared_draft_on_the_consultation(app, client, auth, world):
    at_stage(app, world, Stage.SHARED)
    auth.login(EMAILS["member"])
    assert "Read the forum’s draft response and comment" in client.get(world.page).get_data(
        as_text=True
    )
    auth.logout()
    auth.login(EMAILS["responder"])
    assert "draft response" not in client.get(world.page).get_data(as_text=True)


@pytest.mark.parametrize("who", ["member", "responder", "outsider", "other_organiser", None])
def test_the_part_form_fragment_is_for_organisers_only(app, client, auth, world, who):
    at_stage(app, world, Stage.SHARED)
    if who:
        auth.login(EMAILS[who])
    response = client.htmx_get(world.base + "/parts/intro")
    if who:
        assert response.status_code == 403
    else:
        # htmx is sent to sign in with HX-Redirect rather than a page swapped in
        assert response.status_code == 204 and "/sign-in" in response.headers["HX-Redirect"]
