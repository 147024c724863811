"""Stale edits (forum/web/versions.py, issue 12 point 13): a form filled in from an older version
of a row than the saved one is refused, shown again with what the person typed and the other
person's saved values, and saved on the next try; a form without a version is accepted as
before, and a version that is not a number is a clear error, never a 500."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, update

from forum.accounts.models import User
from forum.areas.models import Area, Membership, Role
from forum.consultations.models import Consultation
from forum.discussions.models import Board, DiscussionSettings, Post
from forum.extensions import db
from forum.outcomes.decisions.models import Decision
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, LocalPlan, Priority
from forum.surveys.models import Question, Survey
from forum.web.versions import STALE, UNREADABLE
from tests.conftest import AuthActions
from tests.factories import (
    make_area,
    make_board,
    make_commitment,
    make_consultation,
    make_decision,
    make_membership,
    make_partner,
    make_person_in,
    make_plan,
    make_priority,
    make_question,
    make_survey,
    make_theme,
    make_thread,
    make_user,
)

AREA = "/areas/northshire"


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        council = make_partner(area, name="Northshire County Council")
        make_person_in(area, Role.ORGANISER, email="org@example.org", name="Olu")
        make_person_in(area, Role.ORGANISER, email="org2@example.org", name="Ola")
        member = make_person_in(area, Role.MEMBER, email="member@example.org", name="Mo")
        make_membership(
            make_user(email="council@example.org", name="Cy"), area, Role.RESPONDER, partner=council
        )
        make_membership(
            make_user(email="council2@example.org", name="Cass"),
            area,
            Role.RESPONDER,
            partner=council,
        )
        helper = make_person_in(area, Role.MEMBER, email="helper@example.org", name="Hal")
        plan = make_plan(area, title="Local Inclusion Plan")
        priority = make_priority(area, code="P1", title="Early help", plan=plan)
        commitment = make_commitment(priority, council, title="Open four hubs")
        draft = make_consultation(area, state="draft", title="Transport")
        survey = make_survey(draft)
        question = make_question(survey, kind="long_text", prompt="Tell us more")
        closed = make_consultation(area, state="closed", title="Short breaks")
        running = make_consultation(area, state="open", title="Therapies")
        theme = make_theme(closed, title="Waiting too long")
        decision = make_decision(theme, council)
        board = make_board(area, name="Getting support")
        thread = make_thread(board, member, title="Waiting lists", body="Months, for us")
        db.session.add(DiscussionSettings(area_id=area.id, approve_first_posts=0))
        db.session.commit()
        post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
        helper_membership = db.session.scalar(
            select(Membership).where(Membership.user_id == helper.id)
        )
        ids = {
            "plan": plan.slug,
            "priority": priority.id,
            "commitment": commitment.id,
            "draft": draft.slug,
            "question": question.id,
            "closed": closed.slug,
            "running": running.slug,
            "theme": theme.id,
            "decision": decision.id,
            "board": board.slug,
            "post": post.id,
            "membership": helper_membership.id,
            "area": area.id,
            "survey": survey.id,
            "member": member.id,
        }
    return ids


#: name: (url, who edits, the model, how to find the row, what the message calls it)
EDIT_FORMS = {
    "plan": (
        "{AREA}/plans/{plan}/edit",
        "org",
        LocalPlan,
        lambda w: LocalPlan.slug == w["plan"],
        "this plan",
    ),
    "priority": (
        "{AREA}/plans/{plan}/priorities/{priority}/edit",
        "org",
        Priority,
        lambda w: Priority.id == w["priority"],
        "this priority",
    ),
    "commitment": (
        "{AREA}/plans/{plan}/commitments/{commitment}/edit",
        "council",
        Commitment,
        lambda w: Commitment.id == w["commitment"],
        "this commitment",
    ),
    "consultation": (
        "{AREA}/consultations/{draft}/edit",
        "org",
        Consultation,
        lambda w: Consultation.slug == w["draft"],
        "this consultation",
    ),
    "consultation's closing date": (
        "{AREA}/consultations/{running}/extend",
        "org",
        Consultation,
        lambda w: Consultation.slug == w["running"],
        "this consultation",
    ),
    "survey settings": (
        "{AREA}/consultations/{draft}/survey/settings",
        "org",
        Survey,
        lambda w: Survey.id == w["survey"],
        "the survey's settings",
    ),
    "question": (
        "{AREA}/consultations/{draft}/survey/questions/{question}/edit",
        "org",
        Question,
        lambda w: Question.id == w["question"],
        "this question",
    ),
    "theme": (
        "{AREA}/consultations/{closed}/themes/{theme}/edit",
        "org",
        Theme,
        lambda w: Theme.id == w["theme"],
        "this theme",
    ),
    "decision": (
        "{AREA}/consultations/{closed}/themes/{theme}/answer",
        "council",
        Decision,
        lambda w: Decision.id == w["decision"],
        "the answer from Northshire County Council",
    ),
    "review of a decision": (
        "{AREA}/consultations/{closed}/decisions/{decision}/review",
        "org",
        Decision,
        lambda w: Decision.id == w["decision"],
        "this answer or its review",
    ),
    "board": (
        "{AREA}/discussions/{board}/edit",
        "org",
        Board,
        lambda w: Board.slug == w["board"],
        "this board",
    ),
    "discussion settings": (
        "{AREA}/discussions/settings",
        "org",
        DiscussionSettings,
        lambda w: DiscussionSettings.area_id == w["area"],
        "the discussion settings",
    ),
    "post": (
        "{AREA}/discussions/posts/{post}/edit",
        "member",
        Post,
        lambda w: Post.id == w["post"],
        "this post",
    ),
    "area settings": (
        "{AREA}/settings",
        "org",
        Area,
        lambda w: Area.id == w["area"],
        "the forum's details",
    ),
    "member's role": (
        "{AREA}/members/{membership}/role",
        "org",
        Membership,
        lambda w: Membership.id == w["membership"],
        "Hal's role",
    ),
    "profile": (
        "/account/profile",
        "member",
        User,
        lambda w: User.id == w["member"],
        "your profile",
    ),
}


#: what a person must choose that the rendered form leaves empty (a first review)
CHOOSE = {
    "review of a decision": {"forum_view": "agreed"},
    "consultation's closing date": {
        "closes_at-day": "1",
        "closes_at-month": "3",
        "closes_at-year": "2099",
        "closes_at-time": "17:00",
        "reason": "parents asked for more time",
    },
}


class _Form(HTMLParser):
    """The values a browser would send for the form on a page that carries `row_version`
    (or the first form with a submission key): inputs, checked boxes, selected options and
    textareas, as rendered."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._in_form = True
            self.forms.append([])
        if not self._in_form:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value") or "on"))
            elif kind not in ("submit", "button", "file"):
                fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.forms[-1].append((self._textarea, text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def form_on(html: str) -> dict[str, str | list[str]]:
    parser = _Form()
    parser.feed(html)
    chosen = next(
        (f for f in parser.forms if any(n == "row_version" for n, _ in f)),
        next(f for f in parser.forms if any(n == "submission_key" for n, _ in f)),
    )
    data: dict[str, str | list[str]] = {}
    for name, value in chosen:
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    return data


def _url(template: str, world) -> str:
    return template.format(AREA=AREA, **world)


def _someone_else_saves(app, model, where, world) -> int:
    """Another person's save, as far as the row's version is concerned; the new version."""
    with app.app_context():
        db.session.execute(
            update(model).where(where(world)).values(version=model.version + 1),
            execution_options={"synchronize_session": False},
        )
        db.session.commit()
        return db.session.scalar(select(model.version).where(where(world)))


def _version(app, model, where, world) -> int:
    with app.app_context():
        return db.session.scalar(select(model.version).where(where(world)))


@pytest.mark.parametrize("name", list(EDIT_FORMS))
def test_every_edit_form_refuses_a_stale_save_then_takes_the_next(app, client, auth, world, name):
    template, who, model, where, what = EDIT_FORMS[name]
    url = _url(template, world)
    auth.login(f"{who}@example.org")
    page = client.get(url)
    assert page.status_code == 200
    data = {**form_on(page.get_data(as_text=True)), **CHOOSE.get(name, {})}
    assert data["row_version"] == str(_version(app, model, where, world))
    data["csrf_token"] = client.csrf_token()

    newer = _someone_else_saves(app, model, where, world)
    stale = client.post(url, data=data)
    html = stale.get_data(as_text=True)
    assert stale.status_code == 422, html[:3000]
    assert STALE.format(what=what).replace("'", "&#39;") in html
    assert 'href="#their-version"' in html and "Their version, as saved now" in html
    assert _version(app, model, where, world) == newer, "nothing was saved"

    again = {**form_on(html), **CHOOSE.get(name, {})}
    assert again["row_version"] == str(newer)
    again["csrf_token"] = client.csrf_token()
    saved = client.post(url, data=again)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:3000]


@pytest.mark.parametrize("name", ["commitment", "post", "profile", "discussion settings"])
def test_a_form_without_a_version_is_saved_as_before(app, client, auth, world, name):
    template, who, model, where, _ = EDIT_FORMS[name]
    url = _url(template, world)
    auth.login(f"{who}@example.org")
    data = form_on(client.get(url).get_data(as_text=True))
    del data["row_version"]
    _someone_else_saves(app, model, where, world)
    assert client.post_form(url, data).status_code == 303


@pytest.mark.parametrize("sent", ["abc", "-1", "1.5", "9" * 40, "١", "1 OR 1=1"])
def test_a_version_that_is_not_a_whole_number_is_a_clear_error(app, client, auth, world, sent):
    template, who, model, where, what = EDIT_FORMS["commitment"]
    url = _url(template, world)
    auth.login(f"{who}@example.org")
    data = form_on(client.get(url).get_data(as_text=True))
    response = client.post_form(url, {**data, "row_version": sent})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert UNREADABLE.format(what=what) in html
    # The form now carries the saved version, so sending it again goes through.
    assert client.post_form(url, form_on(html)).status_code == 303


def test_stale_commitment_edit_is_refused_and_shows_the_other_change(
    app, client, auth, world, make_client
):
    """Cy and Cass, responders for the council, both open the commitment's edit form. Cass
    saves first; Cy's later save is refused, Cy's own words are kept, and Cass's are shown."""
    url = _url(EDIT_FORMS["commitment"][0], world)
    auth.login("council@example.org")
    cy_form = form_on(client.get(url).get_data(as_text=True))

    cass = make_client()
    AuthActions(cass).login("council2@example.org")
    cass_form = form_on(cass.get(url).get_data(as_text=True))
    cass_form.update(title="Open six family hubs by March", progress="60", status="on_track")
    assert cass.post_form(url, cass_form).status_code == 303

    cy_form.update(title="Open four hubs, two of them in the north", progress="45")
    refused = client.post_form(url, cy_form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "There is a problem" in html
    assert (
        "Someone else changed this commitment while you were editing it. Their version is "
        "shown below; check it, then save again." in html
    )
    # Cy's own typed values are still in the form...
    kept = form_on(html)
    assert kept["title"] == "Open four hubs, two of them in the north"
    assert kept["progress"] == "45"
    # ...and Cass's saved ones are shown, marked where they differ.
    theirs = html[html.index('id="their-version"') :]
    theirs = theirs[: theirs.index("</section>")]
    assert "Open six family hubs by March" in theirs
    assert "60" in theirs and "On track" in theirs
    assert theirs.count("Differs from yours") >= 2
    with app.app_context():
        commitment = db.session.get(Commitment, world["commitment"])
        assert commitment.title == "Open six family hubs by March" and commitment.progress == 60

    # Cy checks, and saves again: now it goes through, over Cass's change, knowingly.
    assert client.post_form(url, kept).status_code == 303
    with app.app_context():
        commitment = db.session.get(Commitment, world["commitment"])
        assert commitment.title == "Open four hubs, two of them in the north"


def test_a_progress_update_makes_an_open_commitment_form_stale(app, client, auth, world):
    """A change made anywhere (here a progress update on the timeline) counts, not only one
    made through the edit form: the status it set is not silently put back."""
    url = _url(EDIT_FORMS["commitment"][0], world)
    auth.login("council@example.org")
    data = form_on(client.get(url).get_data(as_text=True))
    commitment_page = url.rsplit("/edit", 1)[0]
    update_form = form_on(client.get(commitment_page).get_data(as_text=True))
    update_form.update(text="Two hubs open.", status="delayed", progress="50")
    assert client.post_form(commitment_page + "/updates", update_form).status_code == 303
    assert client.post_form(url, data).status_code == 422
    with app.app_context():
        assert db.session.get(Commitment, world["commitment"]).status.value == "delayed"


def test_the_version_field_is_not_on_create_forms(app, client, auth, world):
    auth.login("org@example.org")
    html = client.get(f"{AREA}/plans/{world['plan']}/priorities/new").get_data(as_text=True)
    assert 'name="submission_key"' in html
    assert re.search(r'name="row_version"', html) is None


def test_the_forum_settings_form_keeps_its_version_beside_a_refused_partner(
    app, client, auth, world
):
    """The settings page also holds the add-a-partner form; when that one is refused, the
    forum's details form shown beside it still carries the version it shows."""
    auth.login("org@example.org")
    refused = client.post_form(f"{AREA}/partners", {"name": "", "kind": "health"})
    assert refused.status_code == 422
    version = _version(app, Area, lambda w: Area.id == w["area"], world)
    assert form_on(refused.get_data(as_text=True))["row_version"] == str(version)
