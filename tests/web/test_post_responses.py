"""Every successful POST answers a plain form with 303 See Other, and htmx with HX-Redirect
(or, for the inline approve/decline buttons, with the fragment that replaces the row)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import TokenPurpose
from forum.areas.models import Membership, MembershipStatus, Role
from forum.extensions import db
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
from tests.support import assert_redirects_after_post


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        area = make_area(slug="northshire")
        make_user(email="admin@example.org", is_admin=True)
        organiser = make_user(email="org@example.org")
        make_membership(organiser, area, Role.ORGANISER)
        make_partner(area, name="Council")
        make_user(email="joiner@example.org")
        make_user(email="unverified@example.org", verified=False)
        for _ in range(2):
            make_membership(make_user(), area, status=MembershipStatus.PENDING)
        made = {
            state: make_consultation(area, state=state, title=f"The {state} one")
            for state in ("draft", "scheduled", "open", "closed")
        }
        survey = make_survey(made["open"])
        make_question(survey, prompt="Colour?", options=("Red", "Blue"))
        make_question(survey, kind="yes_no", prompt="Happy?")
        make_question(make_survey(made["closed"]), prompt="Old question?")


def pending_id(app):
    with app.app_context():
        return db.session.scalar(
            select(Membership.id).where(Membership.status == MembershipStatus.PENDING)
        )


def token_path(app, client, kind):
    from forum.accounts import services
    from forum.accounts.models import User

    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == "unverified@example.org"))
        purpose, prefix = {
            "verify": (TokenPurpose.VERIFY_EMAIL, "/verify-email/"),
            "reset": (TokenPurpose.RESET_PASSWORD, "/reset-password/"),
            "email": (TokenPurpose.CHANGE_EMAIL, "/confirm-email-change/"),
        }[kind]
        new_email = "moved@example.org" if kind == "email" else None
        secret = services.issue_token(user, purpose, timedelta(hours=1), new_email=new_email)
        db.session.commit()
    return prefix + secret


CASES = {
    "register": (
        None,
        lambda app, c: "/register",
        {"display_name": "New", "email": "new@example.org", "password": PASSWORD},
    ),
    "sign in": (
        None,
        lambda app, c: "/sign-in",
        {"email": "joiner@example.org", "password": PASSWORD},
    ),
    "forgot": (None, lambda app, c: "/forgot-password", {"email": "joiner@example.org"}),
    "verify": (None, lambda app, c: token_path(app, c, "verify"), {}),
    "reset": (
        None,
        lambda app, c: token_path(app, c, "reset"),
        {"password": "another-fine-passphrase"},
    ),
    "confirm email": (None, lambda app, c: token_path(app, c, "email"), {}),
    "sign out": ("joiner@example.org", lambda app, c: "/sign-out", {}),
    "resend": ("unverified@example.org", lambda app, c: "/account/verify-email/resend", {}),
    "try email again": ("joiner@example.org", lambda app, c: "/account/email/try-again", {}),
    "profile": ("joiner@example.org", lambda app, c: "/account/profile", {"display_name": "J"}),
    "password": (
        "joiner@example.org",
        lambda app, c: "/account/password",
        {"current_password": PASSWORD, "password": "another-fine-passphrase"},
    ),
    "email": (
        "joiner@example.org",
        lambda app, c: "/account/email",
        {"email": "jo@example.org", "password": PASSWORD},
    ),
    "join": ("joiner@example.org", lambda app, c: "/areas/northshire/join", {"note": ""}),
    "appoint": (
        "org@example.org",
        lambda app, c: "/areas/northshire/members/appoint",
        {"email": "joiner@example.org", "role": "organiser"},
    ),
    "role": (
        "org@example.org",
        lambda app, c: f"/areas/northshire/members/{pending_id(app)}/role",
        {"role": "member"},
    ),
    "settings": (
        "org@example.org",
        lambda app, c: "/areas/northshire/settings",
        {"forum_name": "N", "forum_description": "", "brand_colour": "#1d70b8"},
    ),
    "partner": (
        "org@example.org",
        lambda app, c: "/areas/northshire/partners",
        {"name": "ICB", "kind": "health"},
    ),
    "new area": (
        "admin@example.org",
        lambda app, c: "/admin/areas/new",
        {"name": "W", "slug": "w", "forum_name": "W", "brand_colour": "#1d70b8"},
    ),
}


def consultation_path(app, state, action):
    from forum.consultations.models import Consultation

    with app.app_context():
        slug = db.session.scalar(
            select(Consultation.slug).where(Consultation.title == f"The {state} one")
        )
    return f"/areas/northshire/consultations/{slug}/{action}"


def _dates(name, days):
    from forum.models import utcnow
    from forum.web.time import LONDON

    when = (utcnow() + timedelta(days=days)).astimezone(LONDON)
    return {
        f"{name}-day": when.day,
        f"{name}-month": when.month,
        f"{name}-year": when.year,
        f"{name}-time": "10:00",
    }


CASES.update(
    {
        "new consultation": (
            "org@example.org",
            lambda app, c: "/areas/northshire/consultations/new",
            {
                "title": "T",
                "summary": "S",
                "audience": "public",
                **_dates("opens_at", 2),
                **_dates("closes_at", 30),
            },
        ),
        "edit consultation": (
            "org@example.org",
            lambda app, c: consultation_path(app, "open", "edit"),
            {"title": "T", "summary": "S", "audience": "public"},
        ),
        "publish": (
            "org@example.org",
            lambda app, c: consultation_path(app, "draft", "publish"),
            {},
        ),
        "unpublish": (
            "org@example.org",
            lambda app, c: consultation_path(app, "scheduled", "unpublish"),
            {},
        ),
        "open now": (
            "org@example.org",
            lambda app, c: consultation_path(app, "scheduled", "open-now"),
            {},
        ),
        "extend": (
            "org@example.org",
            lambda app, c: consultation_path(app, "open", "extend"),
            {**_dates("closes_at", 60), "reason": "the easy read version came late"},
        ),
        "close early": (
            "org@example.org",
            lambda app, c: consultation_path(app, "open", "close"),
            {"reason": "Enough answers"},
        ),
        "responded": (
            "org@example.org",
            lambda app, c: consultation_path(app, "closed", "responded"),
            {},
        ),
    }
)


def survey_path(app, state, action, prompt=None):
    """A survey route of the consultation in `state`; of its question `prompt` if given."""
    from forum.surveys.models import Question

    path = consultation_path(app, state, "survey")
    if prompt is None:
        return f"{path}/{action}"
    with app.app_context():
        question_id = db.session.scalar(select(Question.id).where(Question.prompt == prompt))
    return f"{path}/questions/{question_id}/{action}"


def consultation_id(app, state):
    from forum.consultations.models import Consultation

    with app.app_context():
        return db.session.scalar(
            select(Consultation.id).where(Consultation.title == f"The {state} one")
        )


CASES.update(
    {
        "survey settings": (
            "org@example.org",
            lambda app, c: survey_path(app, "scheduled", "settings"),
            {"is_anonymous": "no", "layout": "one_page", "allow_edit_after_submit": "no"},
        ),
        "copy survey": (
            "org@example.org",
            lambda app, c: survey_path(app, "scheduled", "copy"),
            lambda app: {"source": str(consultation_id(app, "open"))},
        ),
        "import pasted questions": (
            "org@example.org",
            lambda app, c: survey_path(app, "open", "questions/import"),
            {"questions": "## Part one\n1. Pasted?", "kind": "long_text", "is_required": "no"},
        ),
        "import a csv of questions": (
            "org@example.org",
            lambda app, c: survey_path(app, "open", "questions/import/csv"),
            lambda app: {"file": (io.BytesIO(b"prompt,kind\nFrom a file?,yes_no\n"), "q.csv")},
        ),
    }
)

#: survey results: who can see them (303 back to the results page)
CASES["publish results"] = (
    "org@example.org",
    lambda app, c: survey_path(app, "open", "results/publish"),
    {"visibility": "public"},
)


def answer_path(app, action, prompt=None, layout="one_page"):
    """An answering route of the open survey, set to `layout` first; with the question
    `prompt` in the path if given."""
    from forum.surveys.models import Question, Survey, SurveyLayout

    with app.app_context():
        survey = db.session.get(
            Survey,
            consultation_id(app, "open")
            and db.session.scalar(
                select(Survey.id).where(Survey.consultation_id == consultation_id(app, "open"))
            ),
        )
        survey.layout = SurveyLayout(layout)
        db.session.commit()
        question_id = db.session.scalar(select(Question.id).where(Question.prompt == prompt))
    path = consultation_path(app, "open", "survey") + "/" + action
    return f"{path}/{question_id}" if prompt else path


def answer_data(app, **values):
    from forum.surveys.models import Question

    with app.app_context():
        return {
            f"q{db.session.scalar(select(Question.id).where(Question.prompt == prompt))}": value
            for prompt, value in values.items()
        }


CASES.update(
    {
        "answer survey": (
            "org@example.org",
            lambda app, c: answer_path(app, "answer"),
            lambda app: answer_data(app, **{"Colour?": "red", "Happy?": "yes"}),
        ),
        "answer one question": (
            "org@example.org",
            lambda app, c: answer_path(app, "answer", "Colour?", layout="question_per_page"),
            lambda app: answer_data(app, **{"Colour?": "red"}),
        ),
        "check answers": (
            "org@example.org",
            lambda app, c: (
                c.post_form(
                    answer_path(app, "answer", "Colour?", layout="question_per_page"),
                    answer_data(app, **{"Colour?": "red"}),
                ),
                c.post_form(
                    answer_path(app, "answer", "Happy?", layout="question_per_page"),
                    answer_data(app, **{"Happy?": "yes"}),
                ),
                answer_path(app, "check", layout="question_per_page"),
            )[-1],
            {},
        ),
        "enter response": (
            "org@example.org",
            lambda app, c: answer_path(app, "responses/new"),
            lambda app: {"channel": "paper", **answer_data(app, **{"Colour?": "blue"})},
        ),
    }
)

#: survey builder POSTs: 303 to the builder without JavaScript, the question list for htmx
SURVEY_LIST = {
    "new question": (
        lambda app: survey_path(app, "open", "questions/new?kind=short_text"),
        {"prompt": "Anything else?", "is_required": "no"},
    ),
    "edit question": (
        lambda app: survey_path(app, "open", "edit", "Happy?"),
        {"prompt": "Are you happy?", "is_required": "yes"},
    ),
    "bank question": (
        lambda app: survey_path(app, "open", "questions/bank/age_phase"),
        {},
    ),
    "move up": (lambda app: survey_path(app, "open", "move-up", "Happy?"), {}),
    "move down": (lambda app: survey_path(app, "open", "move-down", "Colour?"), {}),
    "move to": (lambda app: survey_path(app, "open", "move-to", "Colour?"), {"position": "2"}),
    "hide question": (lambda app: survey_path(app, "open", "hide", "Happy?"), {}),
    "show question": (lambda app: survey_path(app, "open", "show", "Happy?"), {}),
    "delete question": (lambda app: survey_path(app, "open", "delete", "Happy?"), {}),
}

#: POSTs that answer with a file (200, an attachment), not a redirect: the survey exports are
#: POSTs only so that each download is recorded in the audit log
DOWNLOADS = {
    "export csv": lambda app: survey_path(app, "open", "export.csv"),
    "export json": lambda app: survey_path(app, "open", "export.json"),
}

INLINE = {
    "approve": lambda app: f"/areas/northshire/members/{pending_id(app)}/approve",
    "decline": lambda app: f"/areas/northshire/members/{pending_id(app)}/decline",
}


def coding_path(app, action):
    """Free-text coding: a submitted written answer to the open survey, and the address that
    adds a code to it (`tag`) or takes the code "Existing" off it (`untag`)."""
    from forum.surveys.coding import services as coding
    from forum.surveys.models import Answer, Survey
    from tests.factories import make_response

    with app.app_context():
        survey_id = db.session.scalar(
            select(Survey.id).where(Survey.consultation_id == consultation_id(app, "open"))
        )
        survey = db.session.get(Survey, survey_id)
        question = make_question(survey, kind="short_text", prompt="Coding words?")
        response = make_response(survey, status="submitted", answers={question: "Too long"})
        answer = db.session.scalar(select(Answer).where(Answer.response_id == response.id))
        organiser = db.session.scalar(
            select(Membership).where(Membership.role == Role.ORGANISER)
        ).user
        code = coding.tag_answer(survey, answer, "Existing", actor=organiser).code
        db.session.commit()
        path = f"{survey_path(app, 'open', 'coding')}/answers/{answer.id}/codes"
        return path if action == "tag" else f"{path}/{code.id}/remove"


#: free-text coding: 303 back to the page without JavaScript, the answer's row for htmx
CODING_ROWS = {
    "tag answer": (lambda app: coding_path(app, "tag"), {"name": "Waiting times"}),
    "untag answer": (lambda app: coding_path(app, "untag"), {}),
}


def _area_post_matrices() -> int:
    """Entries of the `POSTS` matrices that areas keep beside their own tests
    (tests/<area>/**/test_*posts.py, at any depth), each one case per POST endpoint it adds."""
    import importlib
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    total = 0
    for path in sorted(tests.rglob("test_*posts.py")):
        relative = path.relative_to(tests).with_suffix("")
        if relative.parts[0] == "web":
            continue
        module = importlib.import_module(".".join(("tests", *relative.parts)))
        total += len(module.POSTS)
    return total


def test_every_post_route_is_covered(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert (
        len(posts)
        == len(CASES)
        + len(INLINE)
        + len(SURVEY_LIST)
        + len(DOWNLOADS)
        + len(CODING_ROWS)
        + len(MODERATION)
        + len(DISCUSSION_INLINE)
        + _area_post_matrices()
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = CASES[case]
    if who:
        auth.login(who)
    data = data(app) if callable(data) else data
    response = client.post_form(url(app, client), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)


@pytest.mark.parametrize("action", sorted(INLINE))
def test_inline_decisions(app, client, auth, world, action):
    auth.login("org@example.org")
    url = INLINE[action](app)
    plain = client.post_form(url)
    assert plain.status_code == 303
    url = INLINE[action](app)
    fragment = client.post_form(url, htmx=True)
    assert fragment.status_code == 200
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and re.search(r'id="request-\d+"', text)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(SURVEY_LIST))
def test_survey_builder_posts(app, client, auth, world, case, htmx):
    url, data = SURVEY_LIST[case]
    auth.login("org@example.org")
    builder = survey_path(app, "open", "").rstrip("/")
    response = client.post_form(url(app), data, htmx=htmx)
    text = response.get_data(as_text=True)
    if htmx:
        assert response.status_code == 200, text[:300]
        assert "<html" not in text and 'id="question-editor"' in text
        assert "govuk-notification-banner--success" in text, text[:600]
    else:
        assert response.status_code == 303, text[:300]
        assert response.headers["Location"] == builder
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("case", sorted(DOWNLOADS))
def test_downloads_answer_with_an_attachment(app, client, auth, world, case):
    auth.login("org@example.org")
    response = client.post_form(DOWNLOADS[case](app))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(CODING_ROWS))
def test_coding_posts(app, client, auth, world, case, htmx):
    url, data = CODING_ROWS[case]
    auth.login("org@example.org")
    url = url(app)
    response = client.post_form(url, data, htmx=htmx)
    text = response.get_data(as_text=True)
    if htmx:
        assert response.status_code == 200, text[:300]
        assert "<html" not in text and re.search(r'id="answer-\d+"', text)
    else:
        assert response.status_code == 303, text[:300]
        assert re.search(r"/survey/coding/\d+#answer-\d+$", response.headers["Location"])
    assert "HX-Request" in response.headers["Vary"]


def moderation_path(app, action):
    """Discussion moderation: a member's post in a northshire board, made ready for `action`
    (held for approve, reported for dismiss, the thread locked for unlock, the author
    suspended for lift), and the address of that action."""
    from forum.accounts.models import User
    from forum.discussions.models import Post
    from forum.discussions.moderation import services
    from forum.models import utcnow
    from tests.factories import make_board, make_thread

    with app.app_context():
        area = db.session.scalar(select(Membership).where(Membership.role == Role.ORGANISER)).area
        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        author = make_user(email="author@example.org", name="Author")
        make_membership(author, area)
        body = "Ring me on 07700 900123" if action == "approve" else "We waited months"
        thread = make_thread(make_board(area), author, body=body)
        post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
        if action == "dismiss":
            services.report_post(post, reporter=organiser, reason="unkind", detail="")
        if action == "unlock":
            post.thread.is_locked = True
        if action == "lift":
            services.suspend(
                author, area, until=utcnow() + timedelta(days=1), reason="R", actor=organiser
            )
        db.session.commit()
        if action in ("lock", "unlock"):
            return f"/areas/northshire/discussions/threads/{thread.id}/{action}"
        if action == "lift":
            return f"/areas/northshire/moderation/suspensions/{author.id}/lift"
        if action == "report":
            return f"/areas/northshire/discussions/posts/{post.id}/report"
        return f"/areas/northshire/moderation/posts/{post.id}/{action}"


#: discussion moderation, as an organiser: "row" actions answer htmx with the post's row in
#: the queue (303 back to the queue without JavaScript); "redirect" ones always redirect
MODERATION = {
    "report post": ("report", {"reason": "unkind", "detail": ""}, "redirect"),
    "approve post": ("approve", {}, "row"),
    "dismiss reports": ("dismiss", {}, "row"),
    "hide post": ("hide", {"why": "Off topic"}, "row"),
    "suspend author": ("suspend", {"days": "7", "why": "Rude"}, "row"),
    "lock thread": ("lock", {"why": "", "row": "from-queue"}, "row"),
    "unlock thread": ("unlock", {}, "redirect"),
    "lift suspension": ("lift", {}, "redirect"),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(MODERATION))
def test_moderation_posts(app, client, auth, world, case, htmx):
    action, data, kind = MODERATION[case]
    auth.login("org@example.org")
    url = moderation_path(app, action)
    if data.get("row") == "from-queue":
        # Locking from the queue names the post whose row it came from.
        with app.app_context():
            from forum.discussions.models import Post

            thread_id = int(url.split("/")[-2])
            row = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))
        data = {**data, "row": str(row), "next": "/areas/northshire/moderation"}
    response = client.post_form(url, data, htmx=htmx)
    text = response.get_data(as_text=True)
    if htmx and kind == "row":
        assert response.status_code == 200, text[:300]
        assert "<html" not in text and re.search(r'id="post-row-\d+"', text)
        assert "HX-Request" in response.headers["Vary"]
    else:
        assert_redirects_after_post(response, htmx=htmx)


def discussion_path(app, action: str) -> str:
    """Discussions: a members' board in northshire with a thread the organiser started, and
    the address of `action` on it (`board`, `thread` or `post` ones)."""
    from forum.accounts.models import User
    from forum.discussions.models import Post
    from tests.factories import make_board, make_thread

    with app.app_context():
        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        area = db.session.scalar(select(Membership).where(Membership.role == Role.ORGANISER)).area
        board = make_board(area, name="Chat")
        thread = make_thread(board, organiser, title="Hello")
        post = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
        consultation = make_consultation(area, state="open", title="Talked about")
    base = "/areas/northshire/discussions"
    return {
        "new board": f"{base}/new-board",
        "edit board": f"{base}/{board.slug}/edit",
        "settings": f"{base}/settings",
        "new thread": f"{base}/{board.slug}/new",
        "consultation thread": (
            f"/areas/northshire/consultations/{consultation.slug}/discussion/new"
        ),
        "reply": f"{base}/threads/{thread.id}/reply",
        "follow": f"{base}/threads/{thread.id}/follow",
        "pin": f"{base}/threads/{thread.id}/pin",
        "edit post": f"{base}/posts/{post}/edit",
        "delete post": f"{base}/posts/{post}/delete",
        "me too": f"{base}/posts/{post}/me-too",
    }[action]


def _discussion_case(action, data):
    return ("org@example.org", lambda app, c: discussion_path(app, action), data)


#: discussions: forms that redirect (303, or HX-Redirect for htmx)
CASES.update(
    {
        "new board": _discussion_case(
            "new board", {"name": "Board", "description": "", "visibility": "members"}
        ),
        "edit board": _discussion_case(
            "edit board", {"name": "Board", "description": "", "visibility": "public"}
        ),
        "discussion settings": _discussion_case("settings", {"approve_first_posts": "1"}),
        "new thread": _discussion_case("new thread", {"title": "T", "body": "B"}),
        "consultation thread": _discussion_case("consultation thread", {"title": "T", "body": "B"}),
        "edit post": _discussion_case("edit post", {"body": "Changed"}),
        "delete post": _discussion_case("delete post", {}),
        "pin thread": _discussion_case("pin", {"pinned": "yes"}),
    }
)

#: discussions: 303 to the post's anchor without JavaScript; htmx gets the fragment that
#: replaces the button (or, for a reply, the new post and an empty form)
DISCUSSION_INLINE = {
    "reply": ({"body": "Me too"}, r'id="post-2"'),
    "me too": ({"on": "yes"}, r'id="me-too-\d+"'),
    "follow": ({"following": "no"}, r'id="follow-form"'),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(DISCUSSION_INLINE))
def test_discussion_inline_posts(app, client, auth, world, case, htmx):
    data, fragment = DISCUSSION_INLINE[case]
    auth.login("org@example.org")
    response = client.post_form(discussion_path(app, case), data, htmx=htmx)
    text = response.get_data(as_text=True)
    if htmx:
        assert response.status_code == 200, text[:300]
        assert "<html" not in text and re.search(fragment, text)
    else:
        assert response.status_code == 303, text[:300]
        assert re.search(r"/discussions/threads/\d+(#post-\d+)?$", response.headers["Location"])
    assert "HX-Request" in response.headers["Vary"]
