"""The forum's response as a Word document: the bytes open in python-docx and read back as real
headings (with their styles, in the page's order), paragraphs with bold and italic runs, lists
in list styles (each numbered list starting again), hyperlinks with their addresses, tables of
codes with a repeating header row and protected counts, the submitted line, the disclosure
sentence, the source link and the core properties. Hostile text leaves a file that opens. Who
may download it is who may download the HTML file.

The world (tests/outcomes/forum_response/worlds.py) is built once for the module; each test's
changes are rolled back."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import select

from forum.disclosure import EXPLAINED
from forum.extensions import db
from forum.outcomes.forum_response import services, word
from forum.outcomes.forum_response.models import ForumResponse, ResponsePart, Stage
from forum.outcomes.forum_response.queries import get_response
from forum.surveys.models import Code
from tests.outcomes.forum_response.worlds import (
    EMAILS,
    build_response_world,
    consultation,
    started,
    user,
)
from tests.support import RTL_EMOJI, SCRIPT

INTRO = """We, the **forum**, say *this* and ***both***.
A line the source wrapped.

## What we think

- Waiting is too long
- Read [the green paper](https://www.gov.uk/green-paper) first
  - and the easy read

1. First step
2. Second step

> What one parent said.

Write to us at <mailto:forum@example.org> or see https://example.org/more.

### Detail

1. Again from one
"""


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


def written(app, world, *, published=True, intro=INTRO, submitted=True):
    with app.app_context():
        if response_of(world) is None:
            started(world)
        organiser = user("organiser")
        services.save_part(part(world, "intro"), intro, actor=organiser)
        services.save_part(
            part(world, f"s{world.sections['one']}"), "Waiting is too long.", actor=organiser
        )
        response = response_of(world)
        services.move_to(response, Stage.FINAL, actor=organiser)
        if submitted:
            services.record_submission(
                response,
                to="Department for Education",
                on=date(2026, 3, 2),
                reference="GP-2026-17",
                actor=organiser,
            )
        if published:
            services.publish(response, actor=organiser)
        db.session.commit()


def url(world) -> str:
    return world.base + "/document.docx"


def opened(client, world):
    response = client.get(url(world))
    assert response.status_code == 200, response.status_code
    return docx.Document(io.BytesIO(response.data))


def headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


def numbering_of(paragraph) -> str | None:
    """The numId a paragraph's own numbering points at (None when its style's is used)."""
    found = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return None if found is None else found.get(qn("w:val"))


# --- what the file holds ----------------------------------------------------------------------


def test_it_is_a_word_file_named_from_the_slug(app, client, world):
    written(app, world)
    response = client.get(url(world))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == word.MEDIA_TYPE
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="forum-response-{world.slug}.docx"'
    )
    assert zipfile.is_zipfile(io.BytesIO(response.data))


def test_headings_are_real_word_headings_in_the_pages_order(app, client, world):
    written(app, world)
    document = opened(client, world)
    assert headings(document) == [
        ("Heading 1", "The forum’s response to Green paper on SEND"),
        ("Heading 2", "Introduction"),
        ("Heading 3", "What we think"),
        ("Heading 4", "Detail"),
        ("Heading 2", "1 Your first thoughts?"),
        ("Heading 3", "1 Your first thoughts?"),
        ("Heading 2", "Chapter 1 Early help"),
        ("Heading 3", "2 What is it like to wait?"),
        ("Heading 3", "3 What help came?"),
        ("Heading 2", "Schools"),
        ("Heading 3", "4 What about school?"),
    ]
    with app.app_context():
        forum_name = consultation(world).area.forum_name
    # the forum's name above the title, as on the page
    assert (document.paragraphs[0].style.name, document.paragraphs[0].text) == (
        "Normal",
        forum_name,
    )


def test_the_core_properties_name_the_document_and_its_language(app, client, world):
    written(app, world)
    document = opened(client, world)
    core = document.core_properties
    assert core.title == "The forum’s response to Green paper on SEND"
    assert core.subject == "Green paper on SEND"
    assert core.language == "en-GB"
    assert core.author and core.author != "python-docx"
    assert core.comments == ""
    lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang.get(qn("w:val")) == "en-GB"


def test_markdown_becomes_runs_lists_quotes_and_hyperlinks(app, client, world):
    written(app, world)
    document = opened(client, world)
    paragraphs = document.paragraphs
    first = next(p for p in paragraphs if p.text.startswith("We, the forum"))
    assert first.text == "We, the forum, say this and both. A line the source wrapped."
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in first.runs] == [
        ("We, the ", False, False),
        ("forum", True, False),
        (", say ", False, False),
        ("this", False, True),
        (" and ", False, False),
        ("both", True, True),
        (". A line the source wrapped.", False, False),
    ]
    styled = {p.text: p.style.name for p in paragraphs}
    assert styled["Waiting is too long"] == "List Bullet"
    assert styled["Read the green paper first"] == "List Bullet"
    assert styled["and the easy read"] == "List Bullet 2"
    assert styled["First step"] == styled["Second step"] == "List Number"
    assert styled["Again from one"] == "List Number"
    assert styled["What one parent said."] == "Quote"
    # each numbered list starts again: the first two items share one numbering, the later
    # list has its own, and each restarts at 1
    steps = [p for p in paragraphs if p.text in ("First step", "Second step", "Again from one")]
    ids = [numbering_of(p) for p in steps]
    assert ids[0] == ids[1] and ids[2] not in (None, ids[0])
    numbering = document.part.numbering_part.element
    for num_id in (ids[0], ids[2]):
        start = numbering.num_having_numId(int(num_id)).find(
            f"{qn('w:lvlOverride')}/{qn('w:startOverride')}"
        )
        assert start.get(qn("w:val")) == "1"
    links = [(h.text, h.address) for p in paragraphs for h in p.hyperlinks]
    assert ("the green paper", "https://www.gov.uk/green-paper") in links
    assert ("mailto:forum@example.org", "mailto:forum@example.org") in links
    assert ("https://example.org/more", "https://example.org/more") in links
    assert not any("](" in p.text for p in paragraphs)
    link_runs = [r for p in paragraphs for h in p.hyperlinks for r in h.runs]
    assert {r.style.name for r in link_runs} == {"Hyperlink"}


def test_each_code_table_has_a_repeating_header_row_and_protected_counts(app, client, world):
    written(app, world)
    document = opened(client, world)
    assert len(document.tables) == 1
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [["Code", "Answers"], ["Waiting", "5"], ["Transport", "fewer than 5"]]
    header = table.rows[0]._tr
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblLook")).get(qn("w:firstRow")) == "1"
    assert properties.find(qn("w:tblCaption")).get(qn("w:val")) == word.CAPTION
    assert "What is it like to wait?" in properties.find(qn("w:tblDescription")).get(qn("w:val"))
    # the caption sits above the table, after the question's heading
    body = list(document.element.body.iterchildren())
    at = body.index(table._tbl)
    assert body[at - 1].xpath("string(.)") == word.CAPTION
    assert body[at - 2].xpath("string(.)") == "2 What is it like to wait?"


def test_the_submitted_line_the_disclosure_sentence_and_the_source(app, client, world):
    written(app, world)
    document = opened(client, world)
    texts = [p.text for p in document.paragraphs]
    submitted = next(p for p in document.paragraphs if p.text.startswith("Submitted to"))
    assert submitted.text == (
        "Submitted to Department for Education on 2 March 2026 (reference GP-2026-17)."
    )
    assert submitted.runs[0].bold
    assert EXPLAINED in texts
    assert "Waiting is too long." in texts
    assert "No answers to this question have been coded yet." in texts
    assert "Not published yet." not in " ".join(texts)
    source = document.paragraphs[-1]
    expected = f"http://localhost/areas/north/consultations/{world.slug}"
    assert [(h.text, h.address) for h in source.hyperlinks] == [(expected, expected)]
    assert source.text == f"From {expected}"


def test_an_unpublished_working_copy_says_so(app, client, auth, world):
    written(app, world, published=False, submitted=False)
    auth.login(EMAILS["organiser"])
    texts = [p.text for p in opened(client, world).paragraphs]
    assert "Not published yet. A working copy for the forum’s organisers." in texts
    assert not any(t.startswith("Submitted to") for t in texts)


def test_hostile_text_leaves_a_file_that_opens(app, client, world):
    hostile = f"Say {SCRIPT} \x01\x0b\x1f\x7f\x85 {RTL_EMOJI} \ufffe end"
    with app.app_context():
        row = consultation(world)
        row.title = f"Green \x0c{SCRIPT}"
        row.area.forum_name = "North\x08 forum"
        code = db.session.scalar(select(Code).where(Code.name == "Transport"))
        code.name = "Trans\x02port 👩‍👧"
        db.session.commit()
    written(app, world, intro=f"{hostile}\n\n- [x\x03](javascript:alert(1))\n\n## \x1b{SCRIPT}")
    document = opened(client, world)
    texts = [p.text for p in document.paragraphs]
    said = next(t for t in texts if t.startswith("Say "))
    assert said.startswith(f"Say {SCRIPT} ") and RTL_EMOJI in said and said.endswith(" end")
    assert all(word.xml_safe(t) == t for t in texts)
    assert "North forum" in texts
    assert headings(document)[0] == ("Heading 1", f"The forum’s response to Green {SCRIPT}")
    # in a part's markdown the sanitiser shows a control character as "?", as the page does
    assert ("Heading 3", f"?{SCRIPT}") in headings(document)
    assert document.core_properties.title == f"The forum’s response to Green {SCRIPT}"
    # markdown refuses the javascript: address, so the words stay as they were typed
    assert not any(p.hyperlinks for p in document.paragraphs if "javascript" in p.text)
    assert all(h.address.startswith("http") for p in document.paragraphs for h in p.hyperlinks)
    assert ["Transport 👩‍👧", "fewer than 5"] in [
        [c.text for c in row.cells] for row in document.tables[0].rows
    ]


def test_xml_safe_drops_what_xml_cannot_hold():
    assert word.xml_safe("a\x00b\x0bc\ud800d\ufffee\x85f\tg\nh") == "abcdef\tg\nh"
    assert word.xml_safe(None) == ""
    assert word.xml_safe(RTL_EMOJI) == RTL_EMOJI


# --- who may download it ----------------------------------------------------------------------

WHO = ["organiser", "member", "responder", "outsider", "admin", "other_organiser", None]


@pytest.mark.parametrize(
    ("published", "allowed"),
    [(True, set(WHO)), (False, {"organiser", "admin"})],
)
@pytest.mark.parametrize("who", WHO)
def test_who_may_download_it(app, client, auth, world, who, published, allowed):
    written(app, world, published=published)
    if who:
        auth.login(EMAILS[who])
    response = client.get(url(world))
    if who in allowed:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == word.MEDIA_TYPE
    else:
        assert response.status_code == (403 if who else 302)


@pytest.mark.parametrize("who", ["organiser", "member", None])
def test_nobody_downloads_a_response_not_started(client, auth, world, who):
    if who:
        auth.login(EMAILS[who])
    assert client.get(url(world)).status_code == (403 if who else 302)


def test_the_links_sit_beside_the_html_download(app, client, auth, world):
    written(app, world, published=False)
    auth.login(EMAILS["organiser"])
    working = client.get(world.base).get_data(as_text=True)
    assert f'href="{url(world)}" download>Download as a Word document (.docx)' in working
    assert "Download as a web page (HTML)" in working
    printed = client.get(world.base + "/print").get_data(as_text=True)
    assert f'href="{url(world)}" download>Download it as a Word document (.docx)' in printed
    assert "Download the forum’s response as a Word document" not in client.get(
        world.page
    ).get_data(as_text=True)
    with app.app_context():
        services.publish(response_of(world), actor=user("organiser"))
        db.session.commit()
    auth.logout()
    page = client.get(world.page).get_data(as_text=True)
    assert (
        f'href="{url(world)}" download>Download the forum’s response as a Word document (.docx)'
        in page
    )
    assert "Download it as a web page (HTML)" in page
