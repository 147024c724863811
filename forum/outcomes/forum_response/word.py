"""The forum's response as a Word document (.docx), built with python-docx from the same context
as the HTML download (`views._document_context`), so both say the same thing in the same order.

Made to pass an accessibility check as it comes out, not after someone fixes it by hand:

- real Heading 1, 2 and 3 styles in the page's order (title, parts, questions); headings in
  a part's own words sit below the part's heading and never skip a level;
- the title, subject, author and language (en-GB) in the core properties, and en-GB as the
  document's proofing language;
- a part's markdown goes through `render_markdown` (the one sanitiser, so the Word file holds
  exactly what the page shows) and each of its tags becomes Word's own thing: paragraphs, bold
  and italic runs, hyperlinks with their address in the relationships, "List Bullet" and
  "List Number" styles (each numbered list starting again at 1), "Quote", line breaks;
- each table of codes has a caption, a title and description (Word's alt text), and a header
  row marked to repeat on every page, its cells marked as the header row (`tblLook`);
- anything XML may not hold (control characters, lone surrogates) is dropped from every piece
  of text on its way in, so no title or code name can make a file Word refuses to open.
"""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from forum.disclosure import EXPLAINED
from forum.web.text import render_markdown

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "en-GB"
CAPTION = "What members’ answers were about"
FONT = "Arial"
#: the GOV.UK text and link colours (python-docx's template has light blue headings, which
#: fall short of the contrast WCAG asks of text their size)
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)
#: point sizes of Heading 1, 2, 3…; deeper ones are the size of Heading 4
HEADING_SIZES = (24, 18, 14, 12)
#: Word has nine heading levels
DEEPEST = 9

# What XML 1.0 cannot hold (C0 controls but tab and newline, lone surrogates, U+FFFE/U+FFFF),
# and the C1 controls, which it can hold but no reader wants.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACE = re.compile(r"[ \t\r\n]+")
#: addresses a Word hyperlink may point at; others keep their words without the link
_LINKABLE = ("http://", "https://", "mailto:")


def xml_safe(text: object) -> str:
    """`text` as a string Word can store: characters XML forbids are dropped."""
    return _NOT_XML.sub("", "" if text is None else str(text))


def title_of(consultation) -> str:
    return xml_safe(f"The forum’s response to {consultation.title}")


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


class _Word:
    """A python-docx document with the few things this builder adds: headings that remember
    their level, runs with the current emphasis, hyperlinks and restarted numbered lists."""

    def __init__(self) -> None:
        self.document = Document()
        self.last_level = 0
        self._styles()

    def _styles(self) -> None:
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(12)
        # The proofing language of every run that does not say otherwise.
        defaults = styles.element.find(qn("w:docDefaults"))
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is None:  # pragma: no cover - python-docx's template has one
            run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        lang.set(qn("w:val"), LANGUAGE)
        for level in range(1, DEEPEST + 1):
            size = HEADING_SIZES[min(level, len(HEADING_SIZES)) - 1]
            self._plain(styles[f"Heading {level}"], size=size)
        self._plain(styles["Caption"], size=12)
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = LINK_COLOUR
        link.font.underline = True

    @staticmethod
    def _plain(style, *, size: int) -> None:
        """Arial in the text colour at `size` points, in place of the template's theme font
        and colour."""
        fonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
        if fonts is not None:
            for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{name}"), None)
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = TEXT_COLOUR

    def properties(self, *, title: str, subject: str, author: str, created, modified) -> None:
        core = self.document.core_properties
        core.title = title
        core.subject = subject
        core.author = author
        core.last_modified_by = author
        core.language = LANGUAGE
        core.comments = ""
        core.keywords = ""
        core.revision = 1
        if created is not None:
            core.created = created
        if modified is not None:
            core.modified = modified

    def heading(self, text: str, level: int):
        """A heading at `level`, or one below the last heading if that would skip a level."""
        level = max(1, min(level, self.last_level + 1, DEEPEST))
        self.last_level = level
        return self.document.add_paragraph(xml_safe(text), style=f"Heading {level}")

    def paragraph(self, text: str = "", style: str | None = None):
        return self.document.add_paragraph(xml_safe(text), style=style)

    @staticmethod
    def run(paragraph, text: str, *, bold=False, italic=False, code=False, into=None):
        made = paragraph.add_run(xml_safe(text))
        if bold:
            made.bold = True
        if italic:
            made.italic = True
        if code:
            made.font.name = "Courier New"
        if into is not None:
            into.append(made._r)
            made.style = "Hyperlink"
        return made

    @staticmethod
    def hyperlink(paragraph, address: str):
        """An empty `w:hyperlink` at the end of `paragraph`; runs go into it (`run(into=…)`)."""
        rel = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        link.set(qn("w:history"), "1")
        paragraph._p.append(link)
        return link

    def numbered(self, style: str) -> int:
        """A new numbering instance for `style`'s list that starts again at 1; its numId."""
        numbering = self.document.part.numbering_part.element
        style_pr = self.document.styles[style].element.pPr
        num_id = style_pr.numPr.numId.val
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(
        self,
        header: tuple[str, ...],
        rows: list[tuple[str, ...]],
        *,
        description: str,
        numeric: set[int],
    ):
        """A table with a caption above it, alt text, and a header row that repeats."""
        self.paragraph(CAPTION, style="Caption")
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = self.document.styles["Table Grid"]
        properties = table._tbl.tblPr
        for tag, value in (("w:tblCaption", CAPTION), ("w:tblDescription", description)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), xml_safe(value))
            properties.append(element)
        first = table.rows[0]
        row_properties = first._tr.get_or_add_trPr()
        row_properties.append(OxmlElement("w:cantSplit"))
        row_properties.append(OxmlElement("w:tblHeader"))
        for index, (cell, text) in enumerate(zip(first.cells, header, strict=True)):
            self._cell(cell, text, bold=True, right=index in numeric)
        for values in rows:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
                self._cell(cell, text, right=index in numeric)
        return table

    def _cell(self, cell, text: str, *, bold: bool = False, right: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        self.run(paragraph, text, bold=bold)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def save(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


class _Markdown(HTMLParser):
    """Sanitised markdown HTML (the tags `forum.web.text.ALLOWED_TAGS` lets through) written
    into the document as Word paragraphs, runs, lists and hyperlinks. `level` is the heading
    level of the part it belongs to: its own headings go below it."""

    HEADINGS = {"h2": 1, "h3": 2, "h4": 3}

    def __init__(self, word: _Word, level: int) -> None:
        super().__init__(convert_charrefs=True)
        self.word = word
        self.level = level
        self.paragraph = None
        #: the paragraph an open <li> made, while nothing has been written in it
        self.fresh_item = None
        self.bold = self.italic = self.code = self.quote = 0
        self.pre = False
        self.link = None
        #: open lists: (ordered, numId of the restarted numbering or None)
        self.lists: list[tuple[bool, int | None]] = []

    # -- blocks ----------------------------------------------------------------------------

    def _block_style(self) -> str | None:
        if self.lists:
            depth = min(len(self.lists), 3)
            return "List Continue" if depth == 1 else f"List Continue {depth}"
        if self.quote:
            return "Quote"
        return None

    def _trim(self) -> None:
        """Drop the space a line break in the source left at the end of the paragraph."""
        if self.paragraph is not None and self.paragraph.runs:
            last = self.paragraph.runs[-1]
            if last.text.endswith(" "):
                last.text = last.text.rstrip(" ")

    def _new_paragraph(self, style: str | None = None):
        self._trim()
        self.paragraph = self.word.paragraph(style=style)
        self.fresh_item = None
        return self.paragraph

    def _list_item(self) -> None:
        ordered, num_id = self.lists[-1]
        depth = min(len(self.lists), 3)
        base = "List Number" if ordered else "List Bullet"
        paragraph = self._new_paragraph(base if depth == 1 else f"{base} {depth}")
        if num_id is not None:
            numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_ilvl().val = 0
            numbering.get_or_add_numId().val = num_id
        self.fresh_item = paragraph

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "p":
            if self.fresh_item is not None and self.paragraph is self.fresh_item:
                self.fresh_item = None
            else:
                self._new_paragraph(self._block_style())
        elif tag in self.HEADINGS:
            self.paragraph = self.word.heading("", self.level + self.HEADINGS[tag])
            self.fresh_item = None
        elif tag in ("ul", "ol"):
            ordered = tag == "ol"
            depth = min(len(self.lists) + 1, 3)
            style = "List Number" if depth == 1 else f"List Number {depth}"
            self.lists.append((ordered, self.word.numbered(style) if ordered else None))
            self._trim()
            self.paragraph = None
        elif tag == "li" and self.lists:
            self._list_item()
        elif tag == "blockquote":
            self.quote += 1
            self.paragraph = None
        elif tag == "pre":
            self.pre = True
            self._new_paragraph(self._block_style())
        elif tag == "code":
            self.code += 1
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "br":
            self._current().add_run().add_break()
        elif tag == "a":
            href = (values.get("href") or "").strip()
            if href.lower().startswith(_LINKABLE):
                self.link = self.word.hyperlink(self._current(), xml_safe(href))

    def handle_endtag(self, tag):
        if tag in ("p", "li", "pre", *self.HEADINGS):
            self._trim()
            self.paragraph = None
            self.fresh_item = None
            self.pre = self.pre and tag != "pre"
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.paragraph = None
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self.paragraph = None
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.link = None

    # -- text ------------------------------------------------------------------------------

    def _current(self):
        if self.paragraph is None:
            self._new_paragraph(self._block_style())
        return self.paragraph

    def handle_data(self, data):
        if self.pre:
            lines = data.rstrip("\n").split("\n")
            paragraph = self._current()
            for number, line in enumerate(lines):
                if number:
                    paragraph.add_run().add_break()
                self.word.run(paragraph, line, code=True, into=self.link)
            return
        text = _SPACE.sub(" ", data)
        if self.paragraph is None or not self.paragraph.text:
            text = text.lstrip()
        if not text:
            return
        self.fresh_item = None
        self.word.run(
            self._current(),
            text,
            bold=bool(self.bold),
            italic=bool(self.italic),
            code=bool(self.code),
            into=self.link,
        )


def _markdown(word: _Word, source: str, level: int) -> None:
    parser = _Markdown(word, level)
    parser.feed(str(render_markdown(source)))
    parser.close()


def build(
    *, area, consultation, response, survey, parts, source_url: str, **_unused: object
) -> bytes:
    """The .docx file of the forum's response: what `document.html` shows, as Word's own
    headings, paragraphs, lists, hyperlinks and tables. Takes the views' document context."""
    word = _Word()
    title = title_of(consultation)
    word.properties(
        title=title,
        subject=xml_safe(consultation.title),
        author=xml_safe(area.forum_name),
        created=response.published_at or response.created_at,
        modified=response.updated_at,
    )
    word.paragraph(area.forum_name)
    word.heading(title, 1)
    if response.published_at is None:
        notice = word.paragraph()
        word.run(notice, "Not published yet.", bold=True)
        word.run(notice, " A working copy for the forum’s organisers.")
    if response.is_submitted:
        submitted = word.paragraph()
        word.run(
            submitted,
            f"Submitted to {response.submitted_to} on {_day(response.submitted_on)}",
            bold=True,
        )
        reference = response.submitted_reference
        word.run(submitted, f" (reference {reference})." if reference else ".")
    for shown in parts:
        slot = shown.slot
        if not (shown.body or slot.questions):
            continue
        word.heading(slot.heading, 2)
        if shown.body:
            _markdown(word, shown.body, 2)
        for listed in slot.questions:
            question = listed.question
            number = question.number_in(survey.numbering) if survey else ""
            word.heading(f"{number} {question.prompt}" if number else question.prompt, 3)
            codes = shown.codes.get(question.id, [])
            if codes:
                word.table(
                    ("Code", "Answers"),
                    [(figure.name, str(count)) for figure, count in codes],
                    description=(
                        f"The codes members’ answers to “{question.prompt}” were tagged with, "
                        "and how many answers carry each"
                    ),
                    numeric={1},
                )
            else:
                word.paragraph("No answers to this question have been coded yet.")
    word.paragraph(EXPLAINED)
    source = word.paragraph("From ")
    word.run(source, source_url, into=word.hyperlink(source, xml_safe(source_url)))
    return word.save()
