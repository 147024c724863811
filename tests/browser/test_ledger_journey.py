"""The outcome ledger end to end, as issue 5 describes it, through accessible names only.

A parent answers an open consultation and starts a thread in its discussion; the organiser
closes it, builds a theme from both and links a plan priority; the council's responder answers
"partly adopted" and links a commitment; the organiser agrees and publishes; a visitor reads
"We asked, you said, we did" and the plan's scorecard; the parent's "What happened to my
feedback" page shows the decision; the responder posts a progress update and the parent is
emailed about the commitment's new status, and nobody else's words are in that email.

Once, with the mode varied by person: the organiser with JavaScript (htmx) builds the theme,
agrees and publishes with the keyboard alone (Tab, arrows, Space and Enter, never a click); the
responder answers with the keyboard alone and JavaScript off; the parent and the visitor use
the mouse with JavaScript off. Each step's other modes are in smaller tests: the theme pages,
evidence picker, answering, reviewing and publishing with and without JavaScript in
test_ledger_pages, building a theme and publishing with htmx and the mouse in
test_consultation_journey, answering a survey and starting a thread with JavaScript in
test_survey_answering and test_discussions. axe runs on every page and after every htmx swap
(the fixtures fail a test that shows something unchecked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.browser.support import (
    CheckedPage,
    assert_focus_visible,
    focused,
    normalise,
    sign_in,
    tab_to,
)
from tests.conftest import body_of

pytestmark = pytest.mark.browser

COUNCIL = "Northshire County Council"
ICB = "Northshire Integrated Care Board"
PLAN = "Northshire local inclusion plan"
PRIORITY = "P1 Early help for speech and language"
COMMITMENT = "Speech therapy assessments within 18 weeks"
CONSULTATION = "Speech and language therapy"
QUESTION = "What would make speech and language therapy better?"
CONSENT = "May we quote your words, without your name?"

PARENT = "pat.parent@example.org"
OTHER_PARENT = "sam.parent@example.org"
RESPONDER = "rita.responder@example.org"
ICB_RESPONDER = "ian.icb@example.org"

ANSWER = "Weekly drop-in therapy sessions at the library would help our family"
OTHER_ANSWER = "Clearer letters about the waiting list, please"
THREAD = "Waiting for speech therapy"
POST = "We have waited nine months for an assessment. Is anyone else waiting this long?"
THEME = "Waiting too long for speech therapy"
SUMMARY = "Families wait many months for an assessment and want help while they wait."
EXPLANATION = "We will add drop-in sessions in two libraries this year and report on waits."
UPDATE = "Two therapists left, so the drop-in sessions will start later than planned."


@dataclass
class Ledger:
    area: str
    consultation: str
    plan: str
    organiser: str


@pytest.fixture
def ledger(live_server, northshire) -> Ledger:
    """Northshire with a council and an ICB, a responder for each, two parents, a published
    plan (P1 with a council commitment) and an open consultation on P1 with a survey: a
    written question and the consent question."""
    from forum.areas.models import PartnerKind, Role
    from forum.areas.queries import get_by_slug
    from tests.factories import (
        make_commitment,
        make_consultation,
        make_membership,
        make_partner,
        make_person_in,
        make_plan,
        make_priority,
        make_question,
        make_survey,
    )

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        council = make_partner(area, name=COUNCIL)
        icb = make_partner(area, name=ICB, kind=PartnerKind.HEALTH)
        for email, name, partner in (
            (RESPONDER, "Rita Responder", council),
            (ICB_RESPONDER, "Ian Health", icb),
        ):
            person = make_person_in(area, None, email=email, name=name)
            make_membership(person, area, Role.RESPONDER, partner=partner)
        make_person_in(area, Role.MEMBER, email=PARENT, name="Pat Parent")
        make_person_in(area, Role.MEMBER, email=OTHER_PARENT, name="Sam Parent")
        plan = make_plan(area, title=PLAN)
        code, title = PRIORITY.split(" ", 1)
        priority = make_priority(area, code=code, title=title, plan=plan)
        make_commitment(priority, council, title=COMMITMENT, status="on_track", progress=20)
        consultation = make_consultation(
            area, state="open", title=CONSULTATION, priorities=[priority]
        )
        survey = make_survey(consultation)
        make_question(survey, kind="long_text", prompt=QUESTION)
        make_question(survey, kind="consent", prompt=CONSENT)
    slug = northshire.slug
    return Ledger(
        area=slug,
        consultation=f"/areas/{slug}/consultations/{consultation.slug}",
        plan=f"/areas/{slug}/plans/{plan.slug}",
        organiser=northshire.organiser_email,
    )


def other_parent_answers(live_server, ledger: Ledger) -> None:
    """Sam answers too, by the factory; nothing of Sam's is added to the theme."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.consultations.models import Consultation
    from forum.extensions import db
    from forum.surveys.queries import get_survey, questions_of
    from tests.factories import make_response

    slug = ledger.consultation.rsplit("/", 1)[1]
    with live_server.app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        survey = get_survey(consultation)
        written, consent = questions_of(survey)
        sam = db.session.scalar(select(User).where(User.email == OTHER_PARENT))
        make_response(
            survey,
            user=sam,
            status="submitted",
            answers={written: OTHER_ANSWER, consent: "yes"},
        )


# --- moving about --------------------------------------------------------------------------


def go(person: CheckedPage, name: str, *, role: str = "link", keys: bool = False, within=None):
    """Follow a link or press a button that loads a page (by mouse, or by Tab and Enter), and
    check the page it leads to."""
    page = person.page
    with page.expect_navigation() as navigation:
        if keys:
            tab_to(page, text=name)
            assert_focus_visible(page)
            page.keyboard.press("Enter")
        else:
            (within or page).get_by_role(role, name=name, exact=True).click()
    response = navigation.value
    assert response is not None and response.status == 200, (
        f"{name!r} led to HTTP {response and response.status} at {page.url}"
    )
    person.check()


def submit(person: CheckedPage, button: str, *, keys: bool, status: int = 200) -> None:
    if keys:
        page = person.page
        with page.expect_navigation() as navigation:
            tab_to(page, text=button, tag="button")
            assert_focus_visible(page)
            page.keyboard.press("Enter")
        assert navigation.value.status == status, navigation.value.url
        person.check()
    else:
        person.submit(button, status=status)


def type_into(person: CheckedPage, label: str, text: str, *, keys: bool) -> None:
    if keys:
        tab_to(person.page, label=label)
        person.page.keyboard.type(text)
    else:
        person.page.get_by_label(label, exact=True).fill(text)


def tick(person: CheckedPage, label: str, *, keys: bool) -> None:
    """Tick a checkbox (Space, by keyboard)."""
    if keys:
        tab_to(person.page, label=label)
        person.page.keyboard.press("Space")
    else:
        person.page.get_by_label(label, exact=True).check()
    assert person.page.get_by_label(label, exact=True).is_checked()


def choose(person: CheckedPage, label: str, *, first: str, keys: bool) -> None:
    """Choose a radio button: by keyboard, Tab into the group (to its first button, `first`),
    then Space to choose that one or the arrow keys to move to and choose `label`."""
    page = person.page
    if keys:
        tab_to(page, label=first)
        if label == first:
            page.keyboard.press("Space")  # Tab only focuses the group's first button
        while focused(page)["label"] != label:
            page.keyboard.press("ArrowDown")
            assert focused(page)["label"] != first, f"no radio button {label!r}"
    else:
        page.get_by_label(label, exact=True).check()
    assert page.get_by_label(label, exact=True).is_checked()


def in_place_or_reload(person: CheckedPage, action, *, js: bool) -> None:
    """Something htmx does in place, which without JavaScript is a page load."""
    if js:
        with person.swap():
            action()
    else:
        with person.page.expect_navigation() as navigation:
            action()
        assert navigation.value.status == 200, navigation.value.url
        person.check()


def press_button(person: CheckedPage, name: str, *, keys: bool, js: bool) -> None:
    """Press the button called `name`: by Tab and Enter for the keyboard-only variant, else by
    a click; in place with htmx, a page load without."""
    page = person.page
    if keys:
        tab_to(page, text=name, tag="button")
        in_place_or_reload(person, lambda: page.keyboard.press("Enter"), js=js)
    else:
        in_place_or_reload(
            person, lambda: page.get_by_role("button", name=name, exact=True).click(), js=js
        )


def assert_added(person: CheckedPage, button: str, words: str, *, js: bool) -> None:
    """The picker's "Add" button for `words` has become "Added", said out loud with htmx and
    in a banner without it."""
    page = person.page
    assert page.get_by_role("button", name=button, exact=True).count() == 0
    row = page.get_by_role("listitem").filter(has_text=words)
    assert row.get_by_text("Added", exact=False).first.is_visible()
    if js:
        assert page.get_by_role("status").inner_text() == "Added to the theme."
    else:
        assert "Added to the theme." in person.banner()


def main_text(person: CheckedPage) -> str:
    return normalise(person.page.locator("main").inner_text())


# --- the journey's steps -------------------------------------------------------------------


def parent_answers_and_posts(parent: CheckedPage, ledger: Ledger) -> str:
    """The parent answers the survey (consenting to be quoted) and starts a thread in the
    consultation's discussion. Returns the reference of their response."""
    parent.goto(ledger.consultation)
    go(parent, "Answer the survey", role="button")
    go(parent, "Start now", role="button")
    parent.page.get_by_label(QUESTION).fill(ANSWER)
    parent.page.get_by_label("Yes, you may quote my words without my name", exact=True).check()
    go(parent, "Send your answers", role="button")
    done = main_text(parent)
    assert "Your answers have been sent" in done
    reference = re.search(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", done).group(0)

    parent.goto(ledger.consultation)
    go(parent, "Talk about this consultation with other parents")
    go(parent, "Start a thread", role="button")
    parent.fill_form({"Title": THREAD, "Your post": POST})
    parent.submit("Start the thread")
    assert parent.page.get_by_role("heading", name=THREAD).is_visible()
    assert POST in main_text(parent)
    return reference


def organiser_closes(organiser: CheckedPage, ledger: Ledger) -> None:
    organiser.goto(ledger.consultation)
    go(organiser, "Close early", role="button")
    organiser.fill_form({"Why is it closing early?": "We heard from enough families."})
    organiser.submit("Close the consultation")
    text = main_text(organiser)
    assert "Closed early on " in text and "): We heard from enough families." in text


def organiser_builds_the_theme(
    organiser: CheckedPage, ledger: Ledger, reference: str, *, js: bool, keys: bool
) -> None:
    """From the consultation page: add the theme (a mistake first, by mouse), link P1, then add
    the parent's written answer and their post as evidence."""
    page = organiser.page
    organiser.goto(ledger.consultation)
    go(organiser, "Themes: you said, we did", keys=keys)
    assert "There are no themes yet" in main_text(organiser)
    submit(organiser, "Add the theme", keys=keys, status=422)
    assert "Enter a title for the theme" in page.locator(".govuk-error-summary").inner_text()
    type_into(organiser, "Title", THEME, keys=keys)
    type_into(organiser, "Summary", SUMMARY, keys=keys)
    tick(organiser, PRIORITY, keys=keys)
    submit(organiser, "Add the theme", keys=keys)
    assert "Theme added. Now add the feedback behind it." in organiser.banner()
    assert page.get_by_role("heading", name=THEME, level=1).is_visible()
    assert PRIORITY in main_text(organiser)

    go(organiser, "Add evidence", role="button", keys=keys)
    assert page.locator("#theme-figures").inner_text() == "0 feedback items from 0 people"

    # The parent's written answer: the "Written answers" list, searched for a word of it.
    go(organiser, "Written answers", keys=keys)
    if keys:
        tab_to(page, label="Search the written answers")
        page.keyboard.type("library")
        in_place_or_reload(organiser, lambda: page.keyboard.press("Enter"), js=js)
    else:
        page.get_by_label("Search the written answers").fill("library")
        in_place_or_reload(
            organiser,
            lambda: page.get_by_role("button", name="Search", exact=True).click(),
            js=js,
        )
    assert ANSWER in page.locator("#pick-list").inner_text()
    assert "may be quoted" in page.locator("#pick-list").inner_text()
    add_answer = f"Add answer {reference} to question 1"
    press_button(organiser, add_answer, keys=keys, js=js)
    assert_added(organiser, add_answer, ANSWER, js=js)

    # The parent's post: the "Discussion posts" list.
    go(organiser, "Discussion posts", keys=keys)
    add_post = f"Add post 1 in “{THREAD}”"
    press_button(organiser, add_post, keys=keys, js=js)
    assert_added(organiser, add_post, POST, js=js)
    # The same person wrote both.
    assert page.locator("#theme-figures").inner_text() == "2 feedback items from 1 person"

    go(organiser, "See the theme and its evidence", keys=keys)
    shown = main_text(organiser)
    assert f"“{ANSWER}”" in shown, "the parent consented, so their answer is quoted"
    assert f"(reference {reference})" in shown and POST in shown


def responder_answers(responder: CheckedPage, ledger: Ledger, *, keys: bool) -> None:
    """The council's responder answers "partly adopted" and links the council's commitment."""
    responder.goto(ledger.consultation)
    go(responder, "Answer the themes for your organisation", keys=keys)
    assert THEME in main_text(responder)
    go(responder, f"Answer for your organisation on “{THEME}”", keys=keys)
    assert responder.page.get_by_role("heading", name=f"Answer for {COUNCIL}").is_visible()
    choose(responder, "Partly adopted", first="Adopted", keys=keys)
    type_into(responder, "Explain in plain words", EXPLANATION, keys=keys)
    tick(responder, COMMITMENT, keys=keys)
    submit(responder, "Save your answer", keys=keys)
    assert f"The answer for {COUNCIL} is saved." in responder.banner()
    answer = responder.page.locator(".app-decision", has_text=COUNCIL)
    text = normalise(answer.inner_text())
    assert "Partly adopted" in text and EXPLANATION in text and COMMITMENT in text
    assert "The forum has not reviewed this answer yet." in text


def organiser_agrees_and_publishes(organiser: CheckedPage, ledger: Ledger, *, keys: bool):
    organiser.goto(ledger.consultation)
    go(organiser, "See partners’ answers and agree or dispute them", keys=keys)
    go(organiser, f"Agree or dispute the answer from {COUNCIL} on “{THEME}”", keys=keys)
    choose(organiser, "The forum agrees", first="The forum agrees", keys=keys)
    submit(organiser, "Save the forum’s view", keys=keys)
    assert f"Saved: the forum agrees with the answer from {COUNCIL}." in organiser.banner()
    assert "1 theme and 1 answer not published yet." in main_text(organiser)

    go(organiser, "Publish the response", role="button", keys=keys)
    listed = main_text(organiser)
    assert f"{THEME} New" in listed and f"{COUNCIL}: Partly adopted." in listed
    assert "not been agreed or disputed" not in listed
    submit(organiser, "Publish the response", keys=keys)
    assert "Published 1 theme and 1 answer." in organiser.banner()
    assert organiser.page.url.endswith("#we-did")
    assert "Responded" in main_text(organiser)


def visitor_reads_the_ledger(visitor: CheckedPage, ledger: Ledger) -> None:
    visitor.goto(ledger.consultation)
    section = visitor.page.get_by_role("region", name="We asked, you said, we did")
    text = normalise(section.inner_text())
    assert THEME in text and SUMMARY in text
    assert "Fewer than 5 people answered the survey." in text
    assert f"“{ANSWER}”" in text, "a consented quote"
    assert POST not in text and OTHER_ANSWER not in text, "posts and unlinked answers never"
    decision = section.locator(".app-decision", has_text=COUNCIL)
    said = normalise(decision.inner_text())
    assert "Partly adopted" in said and EXPLANATION in said
    assert "The forum agrees." in said and COMMITMENT in said
    assert "Pat Parent" not in visitor.page.content(), "nobody is named"

    # The plan, and its scorecard on its own page.
    visitor.goto(f"/areas/{ledger.area}/plans")
    go(visitor, PLAN)
    assert visitor.page.url.endswith(ledger.plan)
    assert COMMITMENT in main_text(visitor)
    go(visitor, "Open the scorecard on its own page")
    whole = {
        normalise(row.locator("dt").inner_text()): normalise(row.locator("dd").inner_text())
        for row in visitor.page.locator(".app-scorecard__whole .govuk-summary-list__row").all()
    }
    assert whole["Consultations"] == "1", whole
    assert whole["People who took part"] == "fewer than 5", whole
    assert whole["Themes (what you said)"] == "1", whole
    assert whole["Themes with a published answer"].startswith("100%"), whole
    assert whole["Take-up (adopted or partly adopted)"].startswith("100%"), whole
    priorities = visitor.page.get_by_role("table", name=re.compile("Figures for each priority"))
    assert PRIORITY in priorities.inner_text()


def parent_sees_what_happened(parent: CheckedPage, *, status: str) -> None:
    parent.goto("/")
    go(parent, "Your account")
    go(parent, "What happened to my feedback")
    text = main_text(parent)
    # The written answer and the post (the consent answer is not something they said).
    assert "2 things you said" in text
    assert ANSWER in text and POST in text
    assert THEME in text and "Partly adopted" in text and EXPLANATION in text
    assert "The forum agrees with this answer." in text
    # the theme, its decision and the promise's status once, with the answer under it
    theme = parent.page.locator(".app-feedback-theme", has_text=ANSWER)
    assert re.search(rf"{COMMITMENT}: {status}", normalise(theme.inner_text()))


def responder_posts_an_update(responder: CheckedPage, ledger: Ledger) -> None:
    responder.goto(ledger.consultation)
    section = responder.page.get_by_role("region", name="We asked, you said, we did")
    go(responder, COMMITMENT, within=section)
    responder.submit("Post update", status=422)
    assert "Say what has happened" in responder.page.locator(".govuk-error-summary").inner_text()
    responder.fill_form({"What has happened?": UPDATE, "Progress now, as a percentage": "30"})
    responder.page.get_by_label("Status now").select_option(label="At risk")
    responder.submit("Post update")
    assert "Your update is on the timeline." in responder.banner()
    timeline = normalise(responder.page.locator(".app-timeline").inner_text())
    assert "Status changed from on track to at risk, progress from 20% to 30%." in timeline
    assert UPDATE in timeline and COUNCIL in timeline


def parent_is_told(live_server) -> None:
    """Two emails to the parent about their feedback: the published answer, then the
    commitment's new status. They name the theme and the commitment but quote nobody: not the
    parent, not the other parent, and the status email not the partner's update either. As a
    member, the parent was also told once that the consultation closed early; not told again
    of the published answer as a member, having had their own email about it."""
    live_server.deliver_email()
    emails = {
        normalise(str(m["Subject"])): body_of(m) for m in live_server.inbox.wait_for(PARENT, 3)
    }
    assert set(emails) == {
        f"Closed early: {CONSULTATION}",
        f"What happened to your feedback: {CONSULTATION}",
        f"Update on a promise linked to your feedback: {COMMITMENT}",
    }, emails.keys()
    published = emails[f"What happened to your feedback: {CONSULTATION}"]
    assert THEME in published and "Partly adopted" in published
    changed = emails[f"Update on a promise linked to your feedback: {COMMITMENT}"]
    assert "Status: At risk (was on track)" in changed
    assert THEME in changed and COUNCIL in changed
    for body in (published, changed):
        assert "/account/feedback" in body
        for words in (ANSWER, POST, OTHER_ANSWER, UPDATE):
            assert words not in body, f"{words!r} is in an email"
    # Nobody else stands behind the theme: not Sam (whose answer was not added), nor the
    # organiser or the responders who made the changes. (Members hear, as members, that the
    # consultation closed early and that its answer is published; never about feedback.)
    for address in (OTHER_PARENT, RESPONDER, ICB_RESPONDER, "olive.organiser@example.org"):
        subjects = [normalise(str(m["Subject"])) for m in live_server.inbox.to(address)]
        assert not [s for s in subjects if "feedback" in s], (address, subjects)


# --- the tests -----------------------------------------------------------------------------


def test_you_said_we_did(open_page, live_server, ledger):
    parent = open_page(js=False)
    sign_in(parent, PARENT)
    reference = parent_answers_and_posts(parent, ledger)
    other_parent_answers(live_server, ledger)

    organiser = open_page(js=True)
    sign_in(organiser, ledger.organiser)
    organiser_closes(organiser, ledger)
    organiser_builds_the_theme(organiser, ledger, reference, js=True, keys=True)

    responder = open_page(js=False)
    sign_in(responder, RESPONDER)
    responder_answers(responder, ledger, keys=True)

    organiser_agrees_and_publishes(organiser, ledger, keys=True)

    visitor = open_page(js=False)
    visitor_reads_the_ledger(visitor, ledger)

    parent_sees_what_happened(parent, status="On track")

    responder_posts_an_update(responder, ledger)
    parent_is_told(live_server)
    parent_sees_what_happened(parent, status="At risk")
