"""Bad input on every form: empty, far too long, HTML and script, right-to-left text and
emoji, and the same form sent twice. Each gets a clear message by the field (GOV.UK error
summary pattern) or is stored safely as text — never a 500, and nothing already saved is lost.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Area, Membership, MembershipStatus, PartnerOrganisation, Role
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.models import Question, Survey
from tests.factories import (
    PASSWORD,
    make_area,
    make_consultation,
    make_membership,
    make_partner,
    make_question,
    make_survey,
    make_user,
)
from tests.support import HUGE, RTL_EMOJI, SCRIPT


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        admin = make_user(email="admin@example.org", is_admin=True, name="Ada Admin")
        organiser = make_user(email="org@example.org", name="Olu Organiser")
        make_membership(organiser, area, Role.ORGANISER)
        member = make_user(email="member@example.org", name="Mo Member")
        membership = make_membership(member, area, Role.MEMBER)
        make_partner(area, name="Northshire County Council")
        make_user(email="joiner@example.org", name="Jo Joiner")
        # A consultation whose survey has two questions, and one with no survey yet.
        for slug in ("survey-test", "no-survey"):
            made = make_consultation(area, title=slug)
            db.session.execute(
                Consultation.__table__.update().where(Consultation.id == made.id).values(slug=slug)
            )
            db.session.commit()
            if slug == "survey-test":
                survey = make_survey(made)
                make_question(survey, prompt="Colour?", options=("Red", "Blue"))
                make_question(survey, kind="yes_no", prompt="Happy?")
                make_question(survey, kind="long_text", prompt="Tell us more", is_required=False)
                make_question(survey, kind="number", prompt="How old?", is_required=False)
                make_question(survey, kind="date", prompt="When?", is_required=False)
    return {"membership": membership, "admin": admin}


#: form url, who signs in, the valid data, the fields to spoil
FORMS = {
    "register": (
        "/register",
        None,
        {"display_name": "Pat", "email": "pat@example.org", "password": PASSWORD},
        ["display_name", "email", "password"],
    ),
    "sign in": (
        "/sign-in",
        None,
        {"email": "member@example.org", "password": PASSWORD},
        ["email", "password"],
    ),
    "forgot password": ("/forgot-password", None, {"email": "member@example.org"}, ["email"]),
    "profile": ("/account/profile", "member@example.org", {"display_name": "Mo"}, ["display_name"]),
    "change password": (
        "/account/password",
        "member@example.org",
        {"current_password": PASSWORD, "password": "new-long-passphrase-ok"},
        ["current_password", "password"],
    ),
    "change email": (
        "/account/email",
        "member@example.org",
        {"email": "mo@example.org", "password": PASSWORD},
        ["email", "password"],
    ),
    "join": ("/areas/northshire/join", "joiner@example.org", {"note": "Hello"}, ["note"]),
    "appoint": (
        "/areas/northshire/members/appoint",
        "org@example.org",
        {"email": "joiner@example.org", "role": "organiser"},
        ["email", "role"],
    ),
    "settings": (
        "/areas/northshire/settings",
        "org@example.org",
        {"forum_name": "NPCF", "forum_description": "About", "brand_colour": "#1d70b8"},
        ["forum_name", "forum_description", "brand_colour"],
    ),
    "partner": (
        "/areas/northshire/partners",
        "org@example.org",
        {"name": "Wyvern ICB", "kind": "health"},
        ["name", "kind"],
    ),
    "new area": (
        "/admin/areas/new",
        "admin@example.org",
        {
            "name": "Westmoor",
            "slug": "westmoor",
            "forum_name": "WPCF",
            "forum_description": "",
            "brand_colour": "#1d70b8",
        },
        ["name", "slug", "forum_name", "forum_description", "brand_colour"],
    ),
}

SURVEY = "/areas/northshire/consultations/survey-test/survey"


def _question_path(prompt, action):
    def path(app):
        with app.app_context():
            question_id = db.session.scalar(select(Question.id).where(Question.prompt == prompt))
        return f"{SURVEY}/questions/{question_id}/{action}"

    return path


def _copy_from_survey_test(app):
    with app.app_context():
        source = db.session.scalar(
            select(Consultation.id).where(Consultation.slug == "survey-test")
        )
    return {"source": str(source)}


#: the survey builder's forms; a url or valid data may be a function of the app, for ids
FORMS.update(
    {
        "survey settings": (
            f"{SURVEY}/settings",
            "org@example.org",
            {"is_anonymous": "no", "layout": "one_page", "allow_edit_after_submit": "no"},
            ["is_anonymous", "layout", "allow_edit_after_submit", "intro"],
        ),
        "copy survey": (
            "/areas/northshire/consultations/no-survey/survey/copy",
            "org@example.org",
            _copy_from_survey_test,
            ["source"],
        ),
        "new question": (
            f"{SURVEY}/questions/new?kind=single_choice",
            "org@example.org",
            {
                "prompt": "Which school?",
                "hint": "",
                "options": "North\nSouth",
                "has_other": "no",
                "is_required": "yes",
            },
            ["prompt", "hint", "options", "has_other", "is_required"],
        ),
        "new scale question": (
            f"{SURVEY}/questions/new?kind=scale",
            "org@example.org",
            {
                "prompt": "How fair?",
                "scale_low_label": "Unfair",
                "scale_high_label": "Fair",
                "is_required": "yes",
            },
            ["scale_low_label", "scale_high_label"],
        ),
        "new number question": (
            f"{SURVEY}/questions/new?kind=number",
            "org@example.org",
            {
                "prompt": "How many weeks?",
                "min_value": "0",
                "max_value": "52",
                "is_required": "yes",
            },
            ["min_value", "max_value"],
        ),
        "new long text question": (
            f"{SURVEY}/questions/new?kind=long_text",
            "org@example.org",
            {"prompt": "Tell us more", "max_length": "2000", "is_required": "no"},
            ["max_length"],
        ),
        "edit question": (
            _question_path("Colour?", "edit"),
            "org@example.org",
            {
                "prompt": "Colour?",
                "option_red": "Red",
                "option_blue": "Blue",
                "options": "",
                "has_other": "no",
                "is_required": "yes",
            },
            ["prompt", "option_red", "has_other", "is_required"],
        ),
        "delete question": (_question_path("Happy?", "delete"), "org@example.org", {}, []),
        "move question": (_question_path("Happy?", "move-up"), "org@example.org", {}, []),
        "hide question": (_question_path("Happy?", "hide"), "org@example.org", {}, []),
        "bank question": (f"{SURVEY}/questions/bank/need_type", "org@example.org", {}, []),
    }
)


def _answers(app):
    """Valid answers to the survey-test survey, by question field name."""
    return {field_name(app, "@Colour?"): "red", field_name(app, "@Happy?"): "yes"}


#: the answering forms; "@Prompt" names the field of that question (q<id>)
FORMS.update(
    {
        "answer survey": (
            f"{SURVEY}/answer",
            "member@example.org",
            _answers,
            ["@Colour?", "@Happy?", "@Tell us more", "@How old?", "@When?-day"],
        ),
        "enter response": (
            f"{SURVEY}/responses/new",
            "org@example.org",
            lambda app: {"channel": "event", **_answers(app)},
            ["channel", "@Colour?", "@Tell us more", "@How old?"],
        ),
    }
)


def field_name(app, field: str) -> str:
    if not field.startswith("@"):
        return field
    prompt, _, part = field[1:].partition("-")
    with app.app_context():
        question_id = db.session.scalar(select(Question.id).where(Question.prompt == prompt))
    return f"q{question_id}" + (f"-{part}" if part else "")


#: the survey exports: buttons only (a POST, so each download is recorded); a file, not a form
FORMS.update(
    {
        "export csv": (f"{SURVEY}/export.csv", "org@example.org", {}, []),
        "export json": (f"{SURVEY}/export.json", "org@example.org", {}, []),
    }
)


def _coding_url(app):
    """Free-text coding: a submitted written answer in survey-test, and the address that adds
    a code to it (the no-JavaScript form's mistakes come back on a page of their own)."""
    from forum.surveys.models import Answer
    from tests.factories import make_response

    with app.app_context():
        survey = db.session.scalar(
            select(Survey).join(Consultation).where(Consultation.slug == "survey-test")
        )
        question = make_question(survey, kind="short_text", prompt="Coding words?")
        response = make_response(survey, status="submitted", answers={question: "Too long"})
        answer = db.session.scalar(select(Answer.id).where(Answer.response_id == response.id))
    return f"{SURVEY}/coding/answers/{answer}/codes"


FORMS.update({"add a code": (_coding_url, "org@example.org", {"name": "Waiting times"}, ["name"])})

#: survey results: who can see them
FORMS["publish results"] = (
    f"{SURVEY}/results/publish",
    "org@example.org",
    {"visibility": "public"},
    ["visibility"],
)


def _new_thread(app, author_email):
    """A thread by `author_email` on a new board in northshire: (the board's slug, the
    thread's id, its opening post's id)."""
    from forum.discussions.models import Post
    from tests.factories import make_board, make_thread

    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        author = db.session.scalar(select(User).where(User.email == author_email))
        board = make_board(area)
        thread = make_thread(board, author)
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
        return board.slug, thread.id, post_id


def _discussion_url(action):
    """Discussion moderation: a post in a northshire board (by the organiser when a member
    reports it, else by the member, whom the organiser moderates), and the form's address."""

    def url(app):
        email = "org@example.org" if action == "report" else "member@example.org"
        _, thread_id, post_id = _new_thread(app, email)
        if action == "report":
            return f"/areas/northshire/discussions/posts/{post_id}/report"
        if action == "lock":
            return f"/areas/northshire/discussions/threads/{thread_id}/lock"
        return f"/areas/northshire/moderation/posts/{post_id}/{action}"

    return url


#: discussion moderation: reporting a post, and the organiser's forms in the queue
FORMS.update(
    {
        "report a post": (
            _discussion_url("report"),
            "member@example.org",
            {"reason": "unkind", "detail": "Rude"},
            ["reason", "detail"],
        ),
        "hide a post": (_discussion_url("hide"), "org@example.org", {"why": "Off topic"}, ["why"]),
        "suspend a member": (
            _discussion_url("suspend"),
            "org@example.org",
            {"days": "7", "why": "Rude"},
            ["days", "why"],
        ),
        "lock a thread": (_discussion_url("lock"), "org@example.org", {"why": "Done"}, ["why"]),
    }
)


def _thread_url(action):
    """Discussions: a members' board in northshire with a thread the member started, and the
    address of the form (`new thread` on the board, `reply` or `edit` on the opening post)."""

    def url(app):
        board, thread_id, post_id = _new_thread(app, "member@example.org")
        return {
            "new thread": f"/areas/northshire/discussions/{board}/new",
            "reply": f"/areas/northshire/discussions/threads/{thread_id}/reply",
            "edit": f"/areas/northshire/discussions/posts/{post_id}/edit",
        }[action]

    return url


#: discussions: a post's words may be anything (shown through the one sanitiser), but its
#: limit is exactly HUGE, so "body" is spoiled only by the service tests, not here
FORMS.update(
    {
        "start a thread": (
            _thread_url("new thread"),
            "member@example.org",
            {"title": "Transport", "body": "The bus"},
            ["title"],
        ),
        "reply to a thread": (_thread_url("reply"), "member@example.org", {"body": "Hi"}, []),
        "edit a post": (_thread_url("edit"), "member@example.org", {"body": "Changed"}, []),
        "create a board": (
            "/areas/northshire/discussions/new-board",
            "org@example.org",
            {"name": "Chat", "description": "About", "visibility": "members"},
            ["name", "description", "visibility"],
        ),
        "discussion settings": (
            "/areas/northshire/discussions/settings",
            "org@example.org",
            {"approve_first_posts": "2"},
            ["approve_first_posts"],
        ),
    }
)


def resolve(value, app):
    return value(app) if callable(value) else value


#: fields that may legitimately be left empty
OPTIONAL = {
    "note",
    "forum_description",
    "hint",
    "intro",
    "min_value",
    "max_value",
    "@Tell us more",
    "@How old?",
    "@When?-day",
}
#: fields that may be left empty on one form only: paper responses keep blanks as given
OPTIONAL_IN = {
    "enter response": {"@Colour?"},
    "report a post": {"detail"},
    "lock a thread": {"why"},
    "create a board": {"description"},
}
#: fields where any text is fine (stored and shown escaped)
FREE_TEXT = {
    "detail",
    "why",
    "display_name",
    "note",
    "forum_name",
    "forum_description",
    "name",
    "password",
    "current_password",
    "prompt",
    "hint",
    "options",
    "option_red",
    "intro",
    "scale_low_label",
    "scale_high_label",
    "@Tell us more",
    "title",
    "description",
}


def cases():
    for form, (_, _, _, fields) in FORMS.items():
        for field in fields:
            for kind in ("empty", "huge", "script", "rtl"):
                yield pytest.param(form, field, kind, id=f"{form}-{field}-{kind}")


def counts(app) -> dict:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Area, Membership, PartnerOrganisation, Survey, Question)
        }


def sign_in(client, auth, who):
    if who:
        auth.login(who)


@pytest.mark.parametrize("form, field, kind", list(cases()))
def test_bad_input_gets_a_clear_message_never_a_500(app, client, auth, world, form, field, kind):
    url, who, valid, _ = FORMS[form]
    url, valid = resolve(url, app), resolve(valid, app)
    sign_in(client, auth, who)
    before = counts(app)
    value = {"empty": "", "huge": HUGE, "script": SCRIPT, "rtl": RTL_EMOJI}[kind]
    response = client.post_form(url, {**valid, field_name(app, field): value})
    text = response.get_data(as_text=True)
    assert response.status_code < 500
    assert SCRIPT not in text, "user text must never come back unescaped"
    assert "<script>alert" not in text

    must_fail = (
        (kind == "empty" and field not in OPTIONAL | OPTIONAL_IN.get(form, set()))
        or kind == "huge"
        or (kind in ("script", "rtl") and field not in FREE_TEXT)
    )
    if form == "sign in" and kind in ("huge", "script", "rtl") and field == "password":
        must_fail = True  # wrong password: the same message as always
    if must_fail:
        assert response.status_code == 422, f"{form}/{field}/{kind} -> {response.status_code}"
        assert "govuk-error-summary" in text and "There is a problem" in text
        # the summary links to the field, and the field shows its own message
        assert re.search(r'href="#[\w-]+"', text)
        assert "govuk-error-message" in text
        assert counts(app) == before, "a refused form must change nothing"
    else:
        assert response.status_code in (303, 422), f"{form}/{field}/{kind}"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_wrong_csrf_token_is_refused_and_saves_nothing(app, client, auth, world, form):
    url, who, valid, _ = FORMS[form]
    url, valid = resolve(url, app), resolve(valid, app)
    sign_in(client, auth, who)
    before = counts(app)
    response = client.post(url, data={**valid, "csrf_token": "stale-or-forged"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert counts(app) == before


def _rendered_key(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    "form",
    [
        "register",
        "join",
        "appoint",
        "partner",
        "new area",
        "change password",
        "forgot password",
        "change email",
        "survey settings",
        "copy survey",
        "new question",
        "delete question",
        "answer survey",
        "enter response",
        "start a thread",
        "reply to a thread",
        "create a board",
    ],
)
def test_double_submit_does_the_work_once_and_lands_in_the_same_place(
    app, client, auth, world, form
):
    url, who, valid, _ = FORMS[form]
    url, valid = resolve(url, app), resolve(valid, app)
    sign_in(client, auth, who)
    page_url = (
        "/areas/northshire/members"
        if form == "appoint"
        else ("/areas/northshire/settings" if form == "partner" else url)
    )
    data = {**valid, "submission_key": _rendered_key(client, page_url)}
    first = client.post_form(url, data)
    after_first = counts(app)
    second = client.post_form(url, data)
    assert first.status_code == second.status_code == 303, second.get_data(as_text=True)[:500]
    assert first.headers["Location"] == second.headers["Location"]
    assert counts(app) == after_first


def test_rtl_and_emoji_names_are_kept_exactly(app, client, auth, world):
    auth.login("member@example.org")
    client.post_form("/account/profile", {"display_name": RTL_EMOJI})
    assert RTL_EMOJI in client.get("/account").get_data(as_text=True)


def test_script_in_a_name_is_shown_as_text(app, client, auth, world):
    auth.login("member@example.org")
    client.post_form("/account/profile", {"display_name": SCRIPT[:80]})
    text = client.get("/account").get_data(as_text=True)
    assert "&lt;script&gt;" in text and SCRIPT[:80] not in text


def test_failed_form_keeps_what_was_typed(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        "/areas/northshire/settings",
        {"forum_name": "Kept name", "forum_description": "Kept words", "brand_colour": "yellow"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Kept name"' in text and "Kept words" in text
    with app.app_context():
        assert db.session.scalar(select(Area.forum_name)) != "Kept name"


def test_approving_twice_and_stale_ids_never_500(app, client, auth, world):
    with app.app_context():
        person = make_user()
        # The world's area by its slug: ids are not 1 on PostgreSQL, whose sequences go on.
        northshire = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        pending = make_membership(person, northshire, status=MembershipStatus.PENDING)
    auth.login("org@example.org")
    for _ in range(2):
        assert (
            client.post_form(f"/areas/northshire/members/{pending.id}/approve").status_code == 303
        )
    assert client.post_form("/areas/northshire/members/999999/approve").status_code == 404
    assert client.post_form("/areas/northshire/members/abc/approve").status_code == 404
