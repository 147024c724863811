"""Issue 14's small things, in the browser with axe on every page: registering from a
consultation comes back to it (JavaScript off, phone-sized); organisers approve selected
requests (with and without JavaScript); and "What happened to my feedback", grouped by theme,
on a phone."""

from __future__ import annotations

import pytest

from tests.browser.support import assert_focus_visible, press, sign_in, tab_to

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 720}
PASSWORD = "plum lantern orbit kettle"


def _members_consultation(live_server, northshire) -> str:
    from forum.areas.queries import get_by_slug
    from tests.factories import make_consultation

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        c = make_consultation(area, audience="members", title="Short breaks this summer")
        return f"/areas/{northshire.slug}/consultations/{c.slug}"


def test_register_from_a_consultation_without_javascript(open_page, live_server, northshire):
    path = _members_consultation(live_server, northshire)
    parent = open_page(js=False, viewport=PHONE)
    parent.goto(path)
    with parent.page.expect_navigation():
        parent.page.get_by_role("link", name="create an account", exact=True).click()
    parent.check()
    parent.fill_form(
        {"Your name": "Jo", "Email address": "jo@example.org", "Create a password": PASSWORD}
    )
    parent.submit("Create account")
    parent.goto(live_server.link_emailed_to("jo@example.org", "/verify-email/"))
    parent.submit("Confirm my email address")
    assert "Sign in to carry on where you were." in parent.banner()
    parent.fill_form({"Email address": "jo@example.org", "Password": PASSWORD})
    parent.submit("Sign in")
    assert parent.page.url.endswith(path)
    with parent.page.expect_navigation():
        parent.page.get_by_role("link", name=f"Ask to join {northshire.forum_name}").click()
    parent.check()
    parent.submit("Ask to join")
    assert parent.page.url.endswith(path)
    assert "will look at your request" in parent.banner()
    assert "You have asked to join" in parent.page.locator("main").inner_text()


def _requests(live_server, northshire, names):
    from forum.areas.models import MembershipStatus, Role
    from forum.areas.queries import get_by_slug
    from tests.factories import make_membership, make_user

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        for name in names:
            user = make_user(email=f"{name.lower()}@example.org", name=name)
            make_membership(user, area, Role.MEMBER, status=MembershipStatus.PENDING)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_approve_selected(open_page, live_server, northshire, js):
    _requests(live_server, northshire, ["Ann", "Bob", "Cat"])
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/members")
    organiser.submit("Approve selected", status=422)
    assert "Select at least one request" in organiser.page.locator("main").inner_text()
    organiser.page.get_by_label("Select Ann").check()
    organiser.page.get_by_label("Select Cat").check()
    organiser.submit("Approve selected")
    assert "Approved 2: Ann, Cat." in organiser.banner()
    rows = organiser.page.locator("li.app-member-row").all_inner_texts()
    assert len(rows) == 1 and "Bob" in rows[0]


def test_approve_selected_by_keyboard(open_page, live_server, northshire):
    _requests(live_server, northshire, ["Dan", "Eve"])
    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/members")
    organiser.page.locator("body").focus()
    tab_to(organiser.page, label="Select Eve")
    assert_focus_visible(organiser.page)
    organiser.page.keyboard.press("Space")
    tab_to(organiser.page, text="Approve selected", tag="button")
    assert_focus_visible(organiser.page)
    press(organiser, "Enter")
    assert "Approved 1: Eve." in organiser.banner()


def test_grouped_feedback_on_a_phone(open_page, live_server):
    from tests.outcomes.worlds import build_feedback_world

    with live_server.app.app_context():
        world = build_feedback_world()
        from tests.factories import make_consultation, make_question, make_response, make_survey
        from tests.outcomes.worlds import answer_of, decide, link, published_theme

        consultation = make_consultation(world["area"], state="responded", title="Short breaks")
        survey = make_survey(consultation)
        questions = [make_question(survey, kind="long_text", prompt=f"Q{n}") for n in range(6)]
        age = make_question(
            survey, prompt="How old is your child?", options=("Under 5",), bank_key="age_phase"
        )
        values = {q: f"My words {n}" for n, q in enumerate(questions)}
        values[age] = "under-5"
        response = make_response(survey, user=world["pat"], status="submitted", answers=values)
        theme = published_theme(consultation, title="Breaks are too short")
        for q in questions:
            link(theme, "answer", answer_id=answer_of(response, q).id)
        decide(theme, world["council"], explanation="We will add ten hours a month.")
    pat = open_page()
    sign_in(pat, "pat@example.org")
    pat.page.set_viewport_size(PHONE)
    pat.goto("/account/feedback")
    main = pat.page.locator("main")
    text = main.inner_text()
    assert text.count("We will add ten hours a month.") == 1
    assert "How old is your child?" not in text
    # six answers under one theme stay well under the 6,100 px the repeated version took
    height = pat.page.evaluate("document.querySelector('main').scrollHeight")
    assert height < 3500, height


def test_a_responder_lands_on_what_is_waiting_for_their_answer(open_page, live_server, northshire):
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from tests.factories import (
        make_consultation,
        make_membership,
        make_partner,
        make_theme,
        make_user,
    )

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        council = make_partner(area, name="Northshire County Council")
        officer = make_user(email="officer@example.org", name="Omar Officer")
        make_membership(officer, area, Role.RESPONDER, partner=council)
        consultation = make_consultation(area, state="closed", title="Short breaks")
        make_theme(consultation, title="Breaks are too short")
    responder = open_page()
    sign_in(responder, "officer@example.org")
    assert responder.page.url.endswith("/account/waiting-for-your-answer")
    main = responder.page.locator("main").inner_text()
    assert "Breaks are too short" in main and "Response due in" in main
    responder.page.set_viewport_size(PHONE)
    responder.goto("/account/waiting-for-your-answer")
    with responder.page.expect_navigation():
        responder.page.get_by_role("link", name="Breaks are too short").click()
    responder.check()
    assert "/answer" in responder.page.url
