"""Documents in the browser: an organiser attaches an easy read PDF and a BSL link; a visitor
sees "Other formats", downloads the PDF, asks for large print, sees all the questions and the
paper version. axe on every page, with and without JavaScript for the visitor."""

from __future__ import annotations

import pytest

from tests.browser.support import sign_in
from tests.documents.samples import PDF

pytestmark = pytest.mark.browser


@pytest.fixture
def consultation(live_server, northshire, tmp_path):
    from forum.areas.queries import get_by_slug
    from forum.consultations.models import Consultation
    from forum.extensions import db
    from forum.surveys.models import Numbering, Section
    from tests.factories import make_consultation, make_question, make_survey

    app = live_server.app
    kept = app.config["DOCUMENTS_FOLDER"]
    app.config["DOCUMENTS_FOLDER"] = str(tmp_path)
    with app.app_context(), app.test_request_context():
        area = get_by_slug(northshire.slug)
        made = make_consultation(area, state="open", title="Green paper on SEND")
        survey = make_survey(made, numbering=Numbering.OWN)
        section = Section(
            survey_id=survey.id, area_id=area.id, position=1, number="1", title="Early help"
        )
        db.session.add(section)
        db.session.flush()
        question = make_question(survey, kind="long_text", prompt="What would help most?")
        question = db.session.get(type(question), question.id)
        question.section_id, question.number, question.max_words = section.id, "1a", 250
        db.session.commit()
        url = db.session.get(Consultation, made.id).url
    yield url
    app.config["DOCUMENTS_FOLDER"] = kept


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_accessible_versions_from_organiser_to_visitor(open_page, northshire, consultation, js):
    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(consultation)
    organiser.page.get_by_role("link", name="Add or change the other formats").click()
    organiser.check()

    # A mistake first: a web page dressed as a PDF.
    organiser.page.get_by_label("File", exact=True).set_input_files(
        {"name": "easy-read.pdf", "mimeType": "application/pdf", "buffer": b"<html></html>"}
    )
    organiser.submit("Upload", status=422)
    assert "looks like a web page" in organiser.page.locator("#file-error").inner_text()

    organiser.page.get_by_label("File", exact=True).set_input_files(
        {"name": "easy-read.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    organiser.page.locator("#format").select_option("easy_read")
    organiser.submit("Upload")
    assert "is added" in organiser.banner()
    organiser.page.get_by_label("Link", exact=True).fill("https://video.example.org/watch?v=bsl")
    organiser.page.locator("#link-format").select_option("bsl")
    organiser.page.locator("#link-title").fill("BSL video of the green paper")
    organiser.submit("Add the link")
    assert "The link “BSL video of the green paper” is added" in organiser.banner()

    visitor = open_page(js=js)
    visitor.goto(consultation)
    block = visitor.page.locator(".app-other-formats")
    text = block.inner_text()
    assert "Easy read version" in text and "(PDF, 1 KB)" in text
    assert "BSL video of the green paper" in text
    href = block.get_by_role("link", name="Easy read version").get_attribute("href")
    downloaded = visitor.page.request.get(visitor.url(href))
    assert downloaded.ok and downloaded.body() == PDF
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["x-content-type-options"] == "nosniff"

    block.get_by_role("link", name="Ask for another format").click()
    visitor.check()
    visitor.submit("Send the request", status=422)
    visitor.page.get_by_label("Large print version").check()
    visitor.page.get_by_label("Your email address").fill("parent@example.org")
    visitor.submit("Send the request")
    assert "have your request for large print version" in visitor.banner()

    visitor.page.get_by_role("link", name="See all the questions").click()
    visitor.check()
    main = visitor.page.locator("main").inner_text()
    assert "1 Early help" in main and "1a What would help most?" in main
    assert "Up to 250 words." in main
    visitor.page.get_by_role("link", name="Print the questions to answer on paper").click()
    visitor.check()
    assert "Where to send it" in visitor.page.locator("main").inner_text()

    organiser.goto(f"/areas/{northshire.slug}/format-requests")
    assert "Large print version" in organiser.page.locator("main").inner_text()
