"""Importing questions into a survey: a pasted list, or a CSV file.

Every row is checked first, against the same rules as the question form (`services._apply`).
If any row is wrong, nothing is added and the organiser gets a list of (row, message).
Otherwise every question is added after the existing ones, through `services.add_question`, in
the caller's one transaction; section headings become `Section` rows after the existing
sections, so a section's questions stay together.

A pasted list has one question on each line. A line starting with "## " or "Section:" is a
section heading; a number at the start of a line ("1.", "3a)", "2.1") is kept as the
question's own number (`Question.number`). Questions before the first heading go into the
survey's last section, if it has sections, so no question sits outside a section after one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select

from forum.audit.services import record
from forum.extensions import db
from forum.surveys.builder import services
from forum.surveys.builder.services import (
    HINT_MAX,
    MAX_QUESTIONS,
    PROMPT_MAX,
    QuestionSpec,
    SurveyError,
)
from forum.surveys.models import Question, QuestionKind, Section, Survey
from forum.surveys.queries import questions_of
from forum.web.text import clean_text

#: the largest file taken (the whole request is capped at 2 MB by MAX_CONTENT_LENGTH)
MAX_BYTES = 512 * 1024
#: the longest paste taken
MAX_PASTE = 60_000
NUMBER_MAX = 16
SECTION_TITLE_MAX = 200

COLUMNS = (
    "kind",
    "prompt",
    "hint",
    "number",
    "section",
    "required",
    "max_words",
    "max_length",
    "options",
)
#: what a pasted list's questions may be: the kinds that need nothing more than their words
PASTE_KINDS = (
    QuestionKind.LONG_TEXT,
    QuestionKind.SHORT_TEXT,
    QuestionKind.YES_NO,
    QuestionKind.NUMBER,
    QuestionKind.DATE,
)
#: spreadsheets run a cell starting with one of these as a formula
FORMULA_START = ("=", "+", "@", "\t", "\r")

EXAMPLE_ROWS = [
    ["long_text", "What works well in your child's school?", "", "1.", "Education", "no", "250"],
    ["long_text", "What could be better?", "", "2.", "", "no", "250"],
    [
        "single_choice",
        "How easy was it to get an assessment?",
        "",
        "3.",
        "Health",
        "yes",
        "",
        "",
        "Easy|Hard|Very hard",
    ],
    ["short_text", "Which service helped most?", "A name is enough.", "4.", "", "no", "20"],
    ["scale", "How satisfied are you overall?", "", "5.", "", "yes", "", "", "Not at all|Very"],
]

_HEADING = re.compile(r"^(?:#{1,3}(?:\s+|$)|section\s*:\s*)(.*)$", re.IGNORECASE)
_OWN_NUMBER = re.compile(
    r"^\(?(?P<number>\d{1,3}(?:\.\d{1,3})*[a-z]?)(?P<sep>[.)])\s+(?P<rest>.*)$"
    r"|^(?P<dotted>\d{1,3}(?:\.\d{1,3})+[a-z]?)\s+(?P<after>.*)$",
    re.IGNORECASE,
)
_NUMBER_CELL = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.)\-]{0,15}$")
_YES = {"yes", "y", "true", "1", "required"}
_NO = {"no", "n", "false", "0", "optional"}


@dataclass
class Problem:
    #: the line or row number (0 for the whole paste or file)
    row: int
    message: str

    @property
    def sentence(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row else self.message


@dataclass
class Row:
    row: int
    spec: QuestionSpec
    number: str = ""
    #: the section heading the question is under, as (row of the heading, title); None for
    #: questions before the first heading
    section: tuple[int, str] | None = None


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def sections(self) -> int:
        return len({row.section for row in self.rows if row.section})


# --- reading ------------------------------------------------------------------------------


def read_paste(
    text: str, *, kind: QuestionKind, max_words: int | None, is_required: bool
) -> Checked:
    """One question on each line of `text` (as typed, with any newlines), with section
    headings."""
    checked = Checked()
    if len(text) > MAX_PASTE:
        checked.problems.append(
            Problem(0, f"The list must be {MAX_PASTE:,} characters or fewer. Import it in parts")
        )
        return checked
    section: tuple[int, str] | None = None
    for index, line in enumerate(text.split("\n"), start=1):
        # Cleaned here, line by line, so the line numbers are the ones the organiser sees.
        line = clean_text(line)
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            title = heading.group(1).strip()
            if not title:
                checked.problems.append(Problem(index, "The section heading has no title"))
            elif len(title) > SECTION_TITLE_MAX:
                checked.problems.append(
                    Problem(
                        index,
                        f"The section title must be {SECTION_TITLE_MAX} characters or fewer",
                    )
                )
            section = (index, title)
            continue
        number, prompt = _own_number(line)
        spec = QuestionSpec(
            kind=kind,
            prompt=prompt,
            is_required=is_required,
            max_words=max_words if kind in _WRITTEN else None,
        )
        checked.rows.append(Row(index, spec, number=number, section=section))
    if not checked.rows and not checked.problems:
        checked.problems.append(Problem(0, "Enter the questions, one on each line"))
    return checked


_WRITTEN = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def _own_number(line: str) -> tuple[str, str]:
    """("3a", "the question") from "3a) the question"; ("", line) when it has no number."""
    found = _OWN_NUMBER.match(line)
    if not found:
        return "", line
    if found.group("dotted"):
        return found.group("dotted"), found.group("after").strip()
    number = found.group("number") + ("." if found.group("sep") == "." else "")
    return number, found.group("rest").strip()


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte order mark), else Windows-1252, which is
    what older Excel saves. Raises ValueError with a plain message for anything else."""
    if not data or not data.strip():
        raise ValueError("The file is empty. Choose a CSV file with a heading row and rows")
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"The file is bigger than {MAX_BYTES // 1024} KB. A survey has at most "
            f"{MAX_QUESTIONS} questions: check it is the right file"
        )
    if b"\x00" in data or data.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise ValueError(
            "This is not a CSV file. In your spreadsheet, choose Save as or Download, then "
            "“CSV UTF-8”"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("We could not read the text in this file. Save it as “CSV UTF-8”")


def read_csv(data: bytes) -> Checked:
    """The questions of a CSV file, one a row, under a heading row naming the columns."""
    checked = Checked()
    try:
        text = decode(data)
        records = [
            r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)
        ]
    except ValueError as exc:
        checked.problems.append(Problem(0, str(exc)))
        return checked
    except csv.Error:
        checked.problems.append(
            Problem(0, "This is not a CSV file we can read: a quote mark may be missing")
        )
        return checked
    if not records:
        checked.problems.append(Problem(0, "The file is empty"))
        return checked
    header = [clean_text(h).lower().replace(" ", "_") for h in records[0]]
    if "prompt" not in header:
        checked.problems.append(
            Problem(1, "The heading row must name a “prompt” column, with the questions in it")
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        checked.problems.append(
            Problem(
                1,
                f"Unknown column “{unknown[0][:40]}”. The columns we read are: "
                + ", ".join(COLUMNS),
            )
        )
    if checked.problems:
        return checked
    if len(records) - 1 > MAX_QUESTIONS:
        checked.problems.append(
            Problem(
                0,
                f"The file has {len(records) - 1:,} rows; a survey has at most "
                f"{MAX_QUESTIONS} questions",
            )
        )
        return checked
    section: tuple[int, str] | None = None
    for index, record_ in enumerate(records[1:], start=2):
        cells = dict.fromkeys(COLUMNS, "")
        for name, cell in zip(header, record_, strict=False):
            if name:
                cells[name] = clean_text(cell, multiline=name == "hint")
        if len(record_) > len(header) and any(c.strip() for c in record_[len(header) :]):
            checked.problems.append(Problem(index, "The row has more cells than the heading row"))
            continue
        row, problems = _csv_row(index, cells, section)
        checked.problems.extend(problems)
        if row is not None:
            section = row.section
            checked.rows.append(row)
    if not checked.rows and not checked.problems:
        checked.problems.append(Problem(0, "The file has a heading row but no questions"))
    return checked


def _kind(text: str) -> QuestionKind | None:
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    if not key:
        return QuestionKind.LONG_TEXT
    for kind in QuestionKind:
        if key in (kind.value, kind.label.lower().replace(" ", "_").replace(",", "")):
            return kind
    return None


def _whole(text: str) -> int | None:
    plain = text.replace(",", "").strip()
    return int(plain) if plain.isascii() and plain.isdigit() and len(plain) <= 6 else None


def _csv_row(
    index: int, cells: dict[str, str], section: tuple[int, str] | None
) -> tuple[Row | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(message: str) -> None:
        problems.append(Problem(index, message))

    for name, value in cells.items():
        if value.startswith(FORMULA_START) or (value.startswith("-") and name != "number"):
            bad(
                f"The {name} starts with a sign that spreadsheets read as a formula. Remove it, "
                "or start the cell with a letter or number"
            )
    kind = _kind(cells["kind"])
    if kind is None:
        bad(
            f"“{cells['kind'][:40]}” is not a kind of question. Use one of: "
            + ", ".join(k.value for k in QuestionKind)
        )
    required = cells["required"].lower()
    if required and required not in _YES | _NO:
        bad("Required must be yes or no")
    number = cells["number"]
    if number and not _NUMBER_CELL.match(number):
        bad(f"The number must be up to {NUMBER_MAX} letters, numbers, dots or brackets, like 3a")
    limits = {}
    for name, what in (("max_words", "most words"), ("max_length", "most characters")):
        if cells[name]:
            limits[name] = _whole(cells[name])
            if limits[name] is None:
                bad(f"The {what} must be a whole number, like 250")
    title = cells["section"]
    if title:
        if len(title) > SECTION_TITLE_MAX:
            bad(f"The section must be {SECTION_TITLE_MAX} characters or fewer")
        if section is None or section[1] != title:
            section = (index, title)
    if problems or kind is None:
        return None, problems
    options = [o.strip() for o in re.split(r"[|\n]", cells["options"]) if o.strip()]
    spec = QuestionSpec(
        kind=kind,
        prompt=cells["prompt"],
        hint=cells["hint"],
        is_required=required not in _NO if required else True,
        options=[(None, o) for o in options] if kind.has_options else (),
        max_words=limits.get("max_words"),
        max_length=limits.get("max_length"),
    )
    if kind is QuestionKind.SCALE and options:
        spec.scale_low_label = options[0]
        spec.scale_high_label = options[-1] if len(options) > 1 else ""
    elif options and not kind.has_options:
        bad(f"A {kind.label.lower()} question has no options: leave that cell empty")
        return None, problems
    return Row(index, spec, number=number, section=section), problems


# --- checking and adding -------------------------------------------------------------------


def check(survey: Survey, checked: Checked) -> Checked:
    """Check every read row against the question rules, the survey's size and its existing
    questions (a file imported twice is caught); nothing is written. The problems come in row
    order."""
    if not checked.rows:
        return checked
    existing = questions_of(survey)
    if len(existing) + len(checked.rows) > MAX_QUESTIONS:
        checked.problems.append(
            Problem(
                0,
                f"A survey can have at most {MAX_QUESTIONS} questions. It has "
                f"{len(existing)}, and this would add {len(checked.rows)}",
            )
        )
        return checked
    prompts = {q.prompt.casefold(): q for q in existing}
    seen: dict[str, int] = {}
    so_far = list(existing)
    for row in checked.rows:
        spec = row.spec
        prompt = spec.prompt.strip().casefold()
        if prompt and prompt in prompts:
            checked.problems.append(
                Problem(
                    row.row,
                    f"The survey already has this question (question "
                    f"{prompts[prompt].position}). Was this list imported before?",
                )
            )
            continue
        if prompt and prompt in seen:
            checked.problems.append(
                Problem(row.row, f"The same question is already on row {seen[prompt]}")
            )
            continue
        seen[prompt] = row.row
        if len(row.number) > NUMBER_MAX:
            checked.problems.append(
                Problem(row.row, f"The number must be {NUMBER_MAX} characters or fewer")
            )
            continue
        if len(spec.hint) > HINT_MAX:
            checked.problems.append(
                Problem(row.row, f"The hint must be {HINT_MAX} characters or fewer")
            )
            continue
        trial = Question(kind=spec.kind, options=[], has_other=False)
        trial.survey_id = survey.id
        try:
            services.check_spec(trial, spec, questions=so_far)
        except SurveyError as exc:
            checked.problems.append(Problem(row.row, _plain(str(exc), spec)))
            continue
        so_far.append(trial)
    checked.problems.sort(key=lambda p: p.row)
    return checked


def _plain(message: str, spec: QuestionSpec) -> str:
    if message.startswith("The question must be"):
        return f"The question is {len(spec.prompt):,} characters long; {message[4:].lower()}"
    return message


def add_all(survey: Survey, checked: Checked, *, actor) -> list[Question]:
    """Add every checked row (call only when `checked.ok`), with its sections. Flushes; the
    caller commits once."""
    if not checked.ok:
        raise SurveyError("Fix the rows listed first. Nothing was added")
    existing = questions_of(survey)
    last_section = existing[-1].section if existing else None
    position = (
        db.session.scalar(
            select(func.coalesce(func.max(Section.position), 0)).where(
                Section.survey_id == survey.id
            )
        )
        or 0
    )
    made: dict[tuple[int, str], Section] = {}
    added = []
    for row in checked.rows:
        section = last_section
        if row.section is not None:
            if row.section not in made:
                position += 1
                made[row.section] = Section(
                    survey=survey,
                    area_id=survey.area_id,
                    position=position,
                    title=row.section[1],
                )
                db.session.add(made[row.section])
            section = made[row.section]
        spec = replace(row.spec, section=section, number=row.number)
        added.append(services.add_question(survey, spec, actor=actor))
    db.session.flush()
    record(
        "survey.questions_imported",
        survey,
        actor=actor,
        area=survey.consultation.area,
        questions=len(added),
        sections=len(made),
    )
    return added


def example_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in EXAMPLE_ROWS:
        writer.writerow(row + [""] * (len(COLUMNS) - len(row)))
    return out.getvalue()


__all__ = ["COLUMNS", "PASTE_KINDS", "PROMPT_MAX", "Checked", "Problem", "Row"]
