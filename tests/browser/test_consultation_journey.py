"""Issue 14's consultation from start to finish, as the people of a forum would run it, through
accessible names. One journey, the mode changing from step to step rather than the journey
being run three times:

1. The organiser writes the consultation, sets up its survey and imports 24 questions in 6
   sections with a 250-word limit: htmx, keyboard only (Tab, arrows, Space, Enter).
2. The organiser attaches an easy read PDF and a BSL link, checks and publishes, opens it:
   htmx, mouse.
3. A visitor reads the "Other formats" block, asks for large print and sees all the
   questions: JavaScript off. The organiser sees the request recorded (htmx, mouse).
4. Two members answer on a phone-sized screen: Pat with JavaScript, who sees the live count
   "You have 1 word too many" while typing; Sam without JavaScript, whose answer over the
   limit comes back from the server with the same words. Both then send.
5. The organiser extends with a reason, then closes early: htmx, keyboard only.
6. The organiser codes the written answers and moves with "Next question" and "Previous
   question": htmx, keyboard only; then builds a theme from the code (htmx, mouse).
7. The organiser drafts the forum's response (the part's form opens in place) and shares it:
   htmx, mouse. Sam comments on the phone without JavaScript. The organiser reads the comment
   on the draft, marks it final, records where it was sent and publishes it, publishes "you
   said, we did", then records the national outcome on the theme: htmx, mouse.
8. A visitor reads it all on the consultation page: JavaScript off.

Only the area, the organiser and the two members are made directly (a world); everything
else goes through the pages, with no time travel (the organiser opens and closes early). axe
runs on every page and htmx swap (`CheckedPage`). Each smaller test (test_survey_import,
test_documents, test_closing, test_coding_quotes, test_forum_response_journey, ...) covers its
own mistakes and edge cases; this one checks that the parts join up.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.models import utcnow
from forum.web.time import LONDON
from tests.browser.support import (
    CheckedPage,
    assert_focus_visible,
    focused,
    normalise,
    press,
    sign_in,
    tab_to,
)
from tests.documents.samples import PDF

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 720}
PAT = "pat.parent@example.org"
SAM = "sam.parent@example.org"

TITLE = "SEND green paper: the forum's response"
SECTIONS = [
    "Early help",
    "Education",
    "Health and therapies",
    "Social care and short breaks",
    "Preparing for adulthood",
    "Funding and accountability",
]
#: "1." to "24.", four in each section; the first is the one coded and answered over the limit
QUESTIONS = [
    f"{n}. {topic}"
    for n, topic in enumerate(
        (
            f"What {verb} about {subject.lower()}?"
            for subject in SECTIONS
            for verb in ("works well", "gets in the way", "would you change", "else matters")
        ),
        start=1,
    )
]
PASTE = "\n".join(
    line
    for index, title in enumerate(SECTIONS)
    for line in (f"## {title}", *QUESTIONS[index * 4 : index * 4 + 4])
)
#: the questions were imported as optional, which their labels say
OPTIONAL = " (optional)"
FIRST = QUESTIONS[0].removeprefix("1. ")
SECOND = QUESTIONS[1].removeprefix("2. ")
REASON = "the easy read version came late"
DRAFT = "Families wait far too long for early help. The forum asks for a waiting-time standard."
COMMENT = "Please say that the letters about the waiting list are hard to understand."
BODY = "Department for Education"
NATIONAL = "The improvement plan sets a national standard for waiting times."
THEME = "Waiting too long for early help"


@pytest.fixture
def forum(live_server, northshire, tmp_path):
    """Northshire's organiser (the `northshire` world) and two members, Pat and Sam; uploads go
    to a folder of this test's own."""
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from tests.factories import make_person_in

    app = live_server.app
    kept = app.config["DOCUMENTS_FOLDER"]
    app.config["DOCUMENTS_FOLDER"] = str(tmp_path)
    with app.app_context():
        area = get_by_slug(northshire.slug)
        make_person_in(area, Role.MEMBER, email=PAT, name="Pat Parent")
        make_person_in(area, Role.MEMBER, email=SAM, name="Sam Parent")
    yield northshire
    app.config["DOCUMENTS_FOLDER"] = kept


# --- how people move -----------------------------------------------------------------------


def click(person: CheckedPage, name: str | re.Pattern, role: str = "link", status=200) -> None:
    """Click a link or button that loads a page, and check the page."""
    with person.page.expect_navigation() as navigation:
        person.page.get_by_role(role, name=name, exact=isinstance(name, str)).click()
    assert navigation.value.status == status, navigation.value.url
    person.check()


def key_to(person: CheckedPage, **where) -> None:
    """Tab to something (see `tab_to`); its focus must show."""
    tab_to(person.page, max_presses=120, **where)
    assert_focus_visible(person.page)


def key_type(person: CheckedPage, label: str, text: str, *, paste: bool = False) -> None:
    """Tab to the field labelled `label` and type `text` (or paste it, as one input)."""
    key_to(person, label=label)
    if paste:
        person.page.keyboard.insert_text(text)
    else:
        person.page.keyboard.type(text)


def key_press(person: CheckedPage, text: str, tag: str | None = None) -> None:
    """Tab to a link or button and press Enter: a new page, checked."""
    key_to(person, text=text, tag=tag)
    press(person, "Enter")


def key_date(person: CheckedPage, when) -> None:
    """Tab through the next Day, Month and Year boxes, typing `when`'s date."""
    for label, value in (("Day", when.day), ("Month", when.month), ("Year", when.year)):
        key_type(person, label, str(value))


def main_text(person: CheckedPage) -> str:
    return normalise(person.page.inner_text("main"))


def words(count: int) -> str:
    return " ".join(f"word{n}" for n in range(count))


def london_day(moment) -> str:
    return moment.astimezone(LONDON).strftime("%-d %B %Y")


# --- the journey ---------------------------------------------------------------------------


def test_a_consultation_from_import_to_you_said_we_did(open_page, forum):
    organiser = open_page()
    sign_in(organiser, forum.organiser_email)
    page = organiser.page

    # 1. Write it, set up the survey, import the questions: keyboard only. ------------------
    organiser.goto(f"/areas/{forum.slug}/consultations")
    key_press(organiser, "Write a consultation")
    opens = (utcnow() + timedelta(days=1)).astimezone(LONDON)
    closes = opens + timedelta(days=30)
    key_type(organiser, "Title", TITLE)
    key_type(organiser, "Summary", "What families think of the government's plans.", paste=True)
    key_date(organiser, opens)
    key_date(organiser, closes)
    key_press(organiser, "Save draft", tag="button")
    assert "Your draft is saved" in organiser.banner()
    consultation = page.url.split("?")[0].removeprefix(organiser.base_url)

    key_press(organiser, "Build the survey")
    key_press(organiser, "Set up the survey")
    key_to(organiser, label="Yes")  # Is the survey anonymous? (nothing chosen yet)
    page.keyboard.press("ArrowDown")
    assert focused(page)["label"] == "No"
    key_to(organiser, label="Number the questions 1, 2, 3")
    page.keyboard.press("ArrowDown")
    assert focused(page)["label"].startswith("Use my own numbers")
    key_press(organiser, "Set up the survey", tag="button")
    assert "The survey is set up" in organiser.banner()

    key_press(organiser, "import many questions at once")
    key_type(organiser, "Questions", PASTE, paste=True)
    key_type(organiser, "Most words allowed in each answer", "250")
    key_press(organiser, "Check and add the list", tag="button")
    assert "24 questions in 6 sections have been added" in main_text(organiser)
    listed = normalise(page.locator("#survey-questions").inner_text())
    assert all(title in listed for title in SECTIONS)
    assert "1. What works well about early help?" in listed and "Up to 250 words" in listed

    # 2. Other formats, check and publish, open: mouse. --------------------------------------
    organiser.goto(consultation)
    click(organiser, "Add or change the other formats")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "easy-read.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("#format").select_option("easy_read")
    organiser.submit("Upload")
    assert "is added" in organiser.banner()
    page.get_by_label("Link", exact=True).fill("https://video.example.org/watch?v=bsl")
    page.locator("#link-format").select_option("bsl")
    page.locator("#link-title").fill("BSL video of the green paper")
    organiser.submit("Add the link")
    assert "BSL video of the green paper" in organiser.banner()

    organiser.goto(consultation)
    click(organiser, "Check and publish", role="button")
    checks = main_text(organiser)
    assert "The survey asks 24 questions." in checks
    assert "2 attached: Easy read version, British Sign Language (BSL) version." in checks
    organiser.submit("Publish")
    organiser.submit("Open it now")
    assert "open now" in organiser.banner()

    # 3. A visitor without JavaScript: other formats, large print, all the questions. --------
    visitor = open_page(js=False)
    visitor.goto(consultation)
    block = visitor.page.locator(".app-other-formats")
    shown = normalise(block.inner_text())
    assert "Easy read version" in shown and "(PDF, 1 KB)" in shown
    assert "BSL video of the green paper (link to another website)" in shown
    click(visitor, "Ask for another format")
    visitor.page.get_by_label("Large print version").check()
    visitor.page.get_by_label("Your email address").fill("a.visitor@example.org")
    visitor.submit("Send the request")
    assert "have your request for large print version" in visitor.banner()
    click(visitor, "See all the questions")
    everything = main_text(visitor)
    assert all(title in everything for title in SECTIONS)
    assert all(question in everything for question in QUESTIONS)
    assert everything.count("Up to 250 words.") == 24

    organiser.goto(f"/areas/{forum.slug}/format-requests")
    requests = main_text(organiser)
    assert "Large print version" in requests and TITLE in requests

    # 4. Members answer on a phone: Pat with JavaScript (the live count), Sam without. ------
    pat = open_page()
    sign_in(pat, PAT)
    pat.page.set_viewport_size(PHONE)
    pat.goto(consultation)
    click(pat, "Answer the survey", role="button")
    click(pat, "Start now", role="button")
    answer = pat.page.get_by_label(QUESTIONS[0] + OPTIONAL, exact=True)
    answer.fill(words(249))
    answer.press("Control+End")
    pat.page.keyboard.type(" waiting lists")
    group = pat.page.locator(".app-count", has=answer)
    status = group.locator("[data-count-status]")
    assert status.inner_text() == "You have 1 word too many"
    pat.page.wait_for_function(
        "el => el.textContent === 'You have 1 word too many'",
        arg=group.locator("[data-count-announce]").element_handle(),
    )
    pat.check("the survey with the live count over the limit")
    answer.fill("We waited 18 months for an assessment, with no help meanwhile.")
    assert status.inner_text() == "You have 239 words remaining"
    pat.page.get_by_label(QUESTIONS[1] + OPTIONAL, exact=True).fill("The waiting list letters.")
    click(pat, "Send your answers", role="button")
    assert "Your answers have been sent" in main_text(pat)

    sam = open_page(js=False)
    sign_in(sam, SAM)
    sam.page.set_viewport_size(PHONE)
    sam.goto(consultation)
    click(sam, "Answer the survey", role="button")
    click(sam, "Start now", role="button")
    answer = sam.page.get_by_label(QUESTIONS[0] + OPTIONAL, exact=True)
    answer.fill(words(251))
    sam.submit("Send your answers", status=422)
    # The same words as the live count, in the summary and beside the box, which keeps them.
    assert "You have 1 word too many" in sam.page.locator(".govuk-error-summary").inner_text()
    beside = sam.page.locator(f"#{answer.get_attribute('id')}-error").inner_text()
    assert "You have 1 word too many" in beside
    assert answer.input_value() == words(251)
    answer.fill("Nobody told us about the waiting list.")
    sam.page.get_by_label(QUESTIONS[1] + OPTIONAL, exact=True).fill("A key worker from the start.")
    sam.submit("Send your answers")
    assert "Your answers have been sent" in main_text(sam)

    # 5. Extend with a reason, then close early: keyboard only. -----------------------------
    organiser.goto(consultation)
    key_press(organiser, "Extend")
    later = closes + timedelta(days=14)
    key_date(organiser, later)
    key_type(organiser, "Why are you giving more time?", REASON)
    key_press(organiser, "Change closing date", tag="button")
    assert "The closing date has been changed" in organiser.banner()
    assert (
        f"Extended from {closes.strftime('%-d %B %Y')} to {later.strftime('%-d %B %Y')}"
        f" because {REASON}" in main_text(organiser)
    )
    key_press(organiser, "Close early")
    key_type(organiser, "Why is it closing early?", "We have heard from enough families.")
    key_press(organiser, "Close the consultation", tag="button")
    closed = utcnow()
    assert "Closed early on " in main_text(organiser)

    # 6. Code with next and previous: keyboard only; a theme from the code: mouse. ----------
    key_press(organiser, "See the survey")
    key_press(organiser, "Read and code the written answers")
    key_press(organiser, QUESTIONS[0], tag="a")
    for _ in range(2):
        key_to(organiser, label="Add a code to answer")
        page.keyboard.type("Waiting")
        with organiser.swap():
            page.keyboard.press("Enter")
    tags = page.locator(".app-coding-tag__name").all_inner_texts()
    assert [normalise(t) for t in tags] == ["Waiting", "Waiting"]
    key_press(organiser, f"Next question : {SECOND}", tag="a")
    assert page.locator("h1").inner_text() == SECOND
    key_to(organiser, label="Add a code to answer")
    page.keyboard.type("Letters")
    with organiser.swap():
        page.keyboard.press("Enter")
    key_press(organiser, f"Previous question : {FIRST}", tag="a")
    assert page.locator("h1").inner_text() == FIRST

    organiser.goto(consultation)
    click(organiser, "Themes: you said, we did")
    page.get_by_label("Title", exact=True).fill(THEME)
    page.get_by_label("Summary", exact=False).fill("Families wait months for help to start.")
    organiser.submit("Add the theme")
    click(organiser, "Add evidence", role="button")
    add = page.get_by_role("button", name="Add all answers tagged “Waiting”")
    organiser.in_place_or_page(add.click, js=True)
    theme = organiser.url(
        page.locator("a", has_text="See the theme and its evidence").get_attribute("href")
    )

    # 7. The forum's response, comments, publishing, a national outcome: mouse; Sam without
    #    JavaScript on the phone. --------------------------------------------------------
    organiser.goto(consultation)
    click(organiser, "Write the forum’s response")
    organiser.submit("Start the forum’s response")
    edit = page.get_by_role("link", name=re.compile(f"^Write or change this part.*{SECTIONS[0]}$"))
    organiser.in_place_or_page(edit.click, js=True)
    # the link that opened the form is gone: the focus is in the box, not back at the top
    assert focused(page)["label"] == "The forum’s answer"
    page.keyboard.insert_text(DRAFT)
    organiser.submit("Save this part")
    assert DRAFT in main_text(organiser)
    organiser.submit("Share the draft with members")

    sam.goto(consultation)
    click(sam, "Read the forum’s draft response and comment")
    assert DRAFT in main_text(sam)
    click(sam, re.compile(f"^Comment on this part.*{SECTIONS[0]}$"))
    sam.page.get_by_label("Your comment", exact=True).fill(COMMENT)
    sam.submit("Add your comment")
    assert COMMENT in main_text(sam)

    organiser.goto(consultation + "/forum-response")
    assert COMMENT in main_text(organiser) and "Sam Parent" in main_text(organiser)
    organiser.submit("Mark it final")
    click(organiser, "Record where and when it was sent")
    page.get_by_label("Who was it sent to?", exact=True).fill(BODY)
    sent = closed.astimezone(LONDON)
    for part, value in (("day", sent.day), ("month", sent.month), ("year", sent.year)):
        page.locator(f'input[name="submitted_on-{part}"]').fill(str(value))
    page.get_by_label("Their reference (optional)", exact=True).fill("GP-17")
    organiser.submit("Save")
    assert f"Submitted to {BODY} on {london_day(closed)} (reference GP-17)" in main_text(organiser)
    organiser.submit("Publish on the consultation page")
    # "You said, we did": the theme goes on the consultation page (it is where the organiser
    # has just landed); the national outcome can follow whenever the department decides.
    click(organiser, "Publish the response")
    organiser.submit("Publish the response")
    assert "Published 1 theme" in organiser.banner()

    organiser.goto(theme)
    click(organiser, "Record a national outcome for this theme")
    page.get_by_label("Who decided?", exact=True).fill(BODY)
    page.get_by_label("What did they decide?", exact=True).fill(NATIONAL)
    for part, value in (("day", sent.day), ("month", sent.month), ("year", sent.year)):
        page.locator(f'input[name="decided_on-{part}"]').fill(str(value))
    page.get_by_label("Link to the decision (optional)", exact=True).fill(
        "https://www.gov.uk/improvement-plan"
    )
    organiser.submit("Save the national outcome")
    assert NATIONAL in main_text(organiser)

    # 8. A visitor reads it all: JavaScript off. ------------------------------------------
    visitor.goto(consultation)
    text = main_text(visitor)
    assert f"because {REASON}" in text
    assert "Other formats" in text and "Easy read version" in text
    assert "Closed early on " in text
    due = london_day(closed + timedelta(weeks=12))
    assert f"by {due}" in text, "the response is due 12 weeks after it really closed"
    we_did = normalise(visitor.page.locator("#we-did").inner_text())
    assert THEME in we_did and "National decision" in we_did and NATIONAL in we_did
    assert "The forum’s response" in text and DRAFT in text
    assert f"Submitted to {BODY} on {london_day(closed)}" in text
    assert COMMENT not in text, "members' comments stay with the draft"
    assert "We waited 18 months" not in visitor.page.content(), "nobody is quoted unasked"
