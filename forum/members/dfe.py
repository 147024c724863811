"""A starting point for the area's population figures from the Department for Education's
published statistics, so an organiser need not copy figures by hand.

Two publications give figures for every local authority each year, as CSV files in the tidy
layout of DfE's statistics service (one row per combination of filters, a "Total" row for each
filter, one column of numbers):

- "Special educational needs in England" (the January school census): pupils with an EHC plan
  or SEN support, by main type of need (`sen_primary_need`) and by type of school
  (`phase_type_grouping`);
- "Education, health and care plans" (the SEN2 return): children and young people with a plan
  in January, by age group (`age`) and by type of establishment (`establishment_group`).

`read` takes one such file, either uploaded by an organiser or placed on the server once for
every area (`DFE_SEN_DIR`), keeps the rows of one local authority in its latest year, and
turns them into the same figures an organiser's own file gives (`population.Checked`), each
question with a note of where it came from and what it covers. Whatever the file does not give
(a locality, or the questions of the other publication) is left as it was.

How DfE's groups become the profile's answers:

- the type of school gives the stage of education (nursery, primary and secondary schools
  only) and where children learn (mainstream, special, alternative provision); independent and
  hospital schools are left out of both, as their pupils' stage and setting are not given;
- SEN2's age groups 16 to 19 and 20 to 25 are taken as the profile's 16 to 18 and 19 to 25, so
  19-year-olds are counted with the younger group; the note says so;
- a pupil with SEN support but no specialist assessment of their need counts as "not known
  yet"; pupils with no SEN are left out.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app

from forum.members.models import AgeBand, Need, Phase, Setting, Support
from forum.members.population import Checked, Problem
from forum.web import csvfiles
from forum.web.text import clean_text

#: the largest file an organiser may upload (their own council's rows; a national file is
#: placed on the server instead)
UPLOAD_BYTES_MAX = 2 * 1024 * 1024
#: columns that say where and when a row is, never what it counts
PLACE_AND_TIME = frozenset(
    {
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
        "la_code",
    }
)
#: the column of numbers, by the names DfE's files use, in order of preference
COUNT_COLUMNS = (
    "pupil_count",
    "number_of_pupils",
    "num_caseload",
    "headcount",
    "num_pupils",
    "num_children_yp",
    "count",
)
#: what DfE writes where a figure is not available, not applicable or suppressed
MISSING = frozenset({"x", "z", "c", "u", "low", ":", ".", "..", "", "na", "n a"})
#: how a filter's "all of them" row is named
TOTALS = frozenset({"total", "all", "all pupils", "all sen", "all schools", "all ages"})
LA_MAX = 120


@dataclass
class Taken:
    """One question's figures from the file: (question, {answer: children}) with a note of what
    they cover."""

    question: str
    column: str
    counts: dict[str, int]
    note: str


@dataclass
class Found(Checked):
    """What was read: the figures (`cells`) and problems as `population.check` gives them,
    and the local authority, year and notes the source is written from."""

    la_name: str = ""
    la_code: str = ""
    year: str = ""
    as_of: date | None = None
    taken: list[Taken] = field(default_factory=list)
    #: the file's name (an installed file) or "" (an upload)
    file_name: str = ""

    @property
    def source(self) -> str:
        code = f" ({self.la_code})" if self.la_code else ""
        return (
            f"Department for Education, {self.publication}, {self.year_words}: {self.la_name}{code}"
        )[:200]

    @property
    def publication(self) -> str:
        sen2 = {"age", "establishment_group", "establishment_type"}
        if any(t.column in sen2 for t in self.taken):
            return "Education, health and care plans"
        return "Special educational needs in England"

    @property
    def year_words(self) -> str:
        return f"January {self.as_of.year}" if self.as_of else self.year

    def note_for(self, question: str) -> str:
        return next((t.note for t in self.taken if t.question == question), "")


def _simple(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", clean_text(text or "").casefold()).strip()


def _heading(text: str) -> str:
    return _simple(text).replace(" ", "_")


# -- DfE's groups, as the profile's answers --


def _need(value: str) -> str | None:
    words = _simple(value)
    for phrase, need in (
        ("autis", Need.ASD),
        ("multi sensory", Need.MSI),
        ("multisensory", Need.MSI),
        ("hearing", Need.HI),
        ("visual", Need.VI),
        ("vision", Need.VI),
        ("profound", Need.PMLD),
        ("severe learning", Need.SLD),
        ("moderate learning", Need.MLD),
        ("specific learning", Need.SPLD),
        ("social emotional", Need.SEMH),
        ("speech language", Need.SLCN),
        ("physical", Need.PD),
        ("no specialist assessment", Need.NOT_KNOWN),
        ("not yet assessed", Need.NOT_KNOWN),
        ("other difficult", Need.OTHER),
    ):
        if phrase in words:
            return need.value
    codes = {n.value: n.value for n in Need if n not in (Need.PREFER_NOT, Need.NOT_KNOWN)}
    codes["oth"] = Need.OTHER.value
    codes["nsa"] = Need.NOT_KNOWN.value
    return codes.get(words.replace(" ", ""))


def _support(value: str) -> str | None:
    words = _simple(value)
    if words.startswith("no "):
        return None
    if "health and care" in words or "ehc" in words or "statement" in words:
        return Support.EHC_PLAN.value
    if "sen support" in words or "school action" in words:
        return Support.SEN_SUPPORT.value
    return None


def _phase(value: str) -> str | None:
    words = _simple(value)
    if "independent" in words or "hospital" in words or "special" in words:
        return None
    for phrase, phase in (
        ("nursery", Phase.EARLY_YEARS),
        ("primary", Phase.PRIMARY),
        ("secondary", Phase.SECONDARY),
    ):
        if phrase in words:
            return phase.value
    return None


def _setting(value: str) -> str | None:
    words = _simple(value)
    if "independent" in words or "hospital" in words:
        return None
    if "special" in words:
        return Setting.SPECIAL.value
    if "alternative provision" in words or "pupil referral" in words or " ap " in f" {words} ":
        return Setting.ALTERNATIVE.value
    if "home" in words:
        return Setting.HOME.value
    if "not in education" in words or "neet" in words.split():
        return Setting.NOT_IN_EDUCATION.value
    if "mainstream" in words or any(p in words for p in ("nursery", "primary", "secondary")):
        return Setting.MAINSTREAM.value
    return None


def _age(value: str) -> str | None:
    words = _simple(value)
    numbers = [int(n) for n in re.findall(r"\d+", words)]
    if "under" in words and numbers == [5]:
        return AgeBand.UNDER_5.value
    return {
        (5, 10): AgeBand.AGE_5_10.value,
        (11, 15): AgeBand.AGE_11_15.value,
        (16, 19): AgeBand.AGE_16_18.value,
        (20, 25): AgeBand.AGE_19_25.value,
    }.get(tuple(numbers))  # type: ignore[call-overload]


#: (question, the columns that may give it in order of preference, how a value becomes an
#: answer, what the figures cover)
QUESTIONS: tuple[tuple[str, tuple[str, ...], Callable[[str], str | None], str], ...] = (
    (
        "need",
        ("sen_primary_need", "primary_need"),
        _need,
        "pupils with an EHC plan or SEN support, by their main type of need",
    ),
    (
        "support",
        ("sen_provision", "pupil_sen_status"),
        _support,
        "pupils with an EHC plan and with SEN support",
    ),
    (
        "phase",
        ("phase_type_grouping",),
        _phase,
        "pupils with SEN in state-funded nursery, primary and secondary schools (special "
        "schools' pupils are not given by stage)",
    ),
    (
        "setting",
        ("phase_type_grouping", "establishment_group", "establishment_type"),
        _setting,
        "children and young people with SEN by type of school or setting (independent and "
        "hospital schools left out)",
    ),
    (
        "age_band",
        ("age",),
        _age,
        "children and young people with an EHC plan by age; DfE's groups 16 to 19 and 20 to "
        "25 are shown as 16 to 18 and 19 to 25",
    ),
)


# -- Reading --


class _Stop(Exception):
    def __init__(self, message: str):
        self.message = message


def _number(text: str) -> int | None:
    raw = (text or "").strip().replace(",", "")
    if raw.isascii() and raw.isdigit():
        return int(raw)
    if _simple(raw) in MISSING:
        return None
    raise _Stop(f"“{clean_text(text)[:30]}” is not a number of children.")


def _rows(lines: Iterable[str]) -> Iterator[list[str]]:
    try:
        yield from csv.reader(lines)
    except csv.Error:
        raise _Stop(
            "This file is not a CSV file we can read: a cell may be far too long or a quote "
            "mark may be missing."
        ) from None


def _as_of(year: str) -> date | None:
    """January of the census: 202425 (an academic year) is January 2025; 2024 (SEN2's calendar
    year) is January 2024."""
    if re.fullmatch(r"\d{6}", year):
        return date(int(year[:4]) + 1, 1, 1)
    if re.fullmatch(r"\d{4}", year):
        return date(int(year), 1, 1)
    return None


def read(lines: Iterable[str], local_authority: str) -> Found:
    """The figures of one local authority in its latest year from a DfE file's lines (read
    once, row by row: a national file is not held in memory)."""
    found = Found()
    wanted = _simple(local_authority)
    if not wanted:
        found.problems.append(
            Problem(0, "Enter the local authority, as DfE names it or by its code")
        )
        return found
    try:
        rows = _rows(lines)
        header = [_heading(h) for h in next(rows, [])]
        if not header or not any(header):
            raise _Stop("The file is empty.")
        position = {name: i for i, name in enumerate(header) if name}
        count_column = next((c for c in COUNT_COLUMNS if c in position), None)
        missing = [
            what
            for what, ok in (
                ("time_period", "time_period" in position),
                ("la_name", "la_name" in position or "new_la_code" in position),
                ("a column of numbers such as pupil_count or num_caseload", count_column),
            )
            if not ok
        ]
        if missing:
            raise _Stop(
                "This is not one of DfE's statistics files: it has no "
                + ", no ".join(missing)
                + " column. Download the file from DfE's statistics service without changing "
                "its headings."
            )
        usable = [c for _, columns, _, _ in QUESTIONS for c in columns if c in position]
        if not usable:
            raise _Stop(
                "This file has none of the groups we use (type of need, SEN provision, type of "
                "school, age or establishment). Choose a file from “Special educational needs "
                "in England” or “Education, health and care plans”."
            )

        def cell(row: list[str], name: str) -> str:
            i = position.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        has_level = "geographic_level" in position
        #: {simplified name or code: as the file writes it}; {as written: simplified}
        names: dict[str, str] = {}
        simple: dict[str, str] = {}
        kept: list[list[str]] = []
        for row in rows:
            if has_level and cell(row, "geographic_level").casefold() != "local authority":
                continue
            name, code = cell(row, "la_name"), cell(row, "new_la_code")
            if not (name or code):
                continue
            if name not in simple:
                simple[name] = _simple(name)
                names.setdefault(simple[name] or _simple(code), name or code)
            if wanted in (simple[name], code.casefold(), cell(row, "old_la_code")):
                kept.append(row)
    except _Stop as stop:
        found.problems.append(Problem(0, stop.message))
        return found
    if not names:
        found.problems.append(
            Problem(
                0,
                "The file has no local authority rows. Choose a file with figures for each "
                "council.",
            )
        )
        return found
    if not kept:
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
        hint = (
            " Did you mean " + " or ".join(f"“{names[c]}”" for c in close) + "?"
            if close
            else " Write it as DfE does, for example “Leeds”, or give its code, such as E08000035."
        )
        asked = clean_text(local_authority)[:LA_MAX]
        found.problems.append(
            Problem(0, f"The file has no figures for “{asked}”.{hint}", field="local_authority")
        )
        return found

    found.year = max(cell(row, "time_period") for row in kept)
    found.as_of = _as_of(found.year)
    if found.as_of is None:
        found.problems.append(
            Problem(
                0,
                f"The year “{clean_text(found.year)[:20]}” in time_period is not one we know."
                f"The year “{clean_text(found.year)[:20]}” in time_period is not one we can read.",
            )
        )
        return found
    found.la_name = cell(kept[0], "la_name")
    found.la_code = cell(kept[0], "new_la_code")
    latest = [row for row in kept if cell(row, "time_period") == found.year]
    filters = [
        name
        for name in position
        if name not in PLACE_AND_TIME
        and name != count_column
        and not _numbers_only(cell(row, name) for row in latest)
    ]
    try:
        for question, columns, answer_of, note in QUESTIONS:
            for column in columns:
                if column not in filters:
                    continue
                counts = _count(latest, column, filters, answer_of, cell, count_column)
                if counts:
                    found.taken.append(Taken(question, column, counts, note))
                    for answer, children in counts.items():
                        found.cells[(question, answer)] = children
                    break
    except _Stop as stop:
        found.problems.append(Problem(0, stop.message))
        return found
    if not found.cells:
        found.problems.append(
            Problem(
                0,
                f"The file has rows for {found.la_name or local_authority} but none we could use "
                "(each group's “Total” rows for the other groups were not found).",
            )
        )
    return found


def _numbers_only(values: Iterable[str]) -> bool:
    for value in values:
        raw = value.replace(",", "").replace(".", "", 1)
        if not (raw.isdigit() or _simple(value) in MISSING):
            return False
    return True


#: columns saying whether a pupil has SEN: the other questions count only pupils who do
SEN_COLUMNS = ("sen_provision", "pupil_sen_status", "sen_status")


def _has_sen(value: str) -> bool:
    return _support(value) is not None or _simple(value).startswith("any special")


def _count(rows, column, filters, answer_of, cell, count_column) -> dict[str, int]:
    """Children by answer from `column`'s rows: only pupils with SEN (where the file says who
    has), and each other filter's "Total" rows where the file has them (its groups added up
    where it does not)."""
    mine = [(row, answer) for row in rows if (answer := answer_of(cell(row, column)))]
    for other in filters:
        if other == column or (column in SEN_COLUMNS and other in SEN_COLUMNS):
            continue
        if other in SEN_COLUMNS:
            mine = [(row, a) for row, a in mine if _has_sen(cell(row, other))]
            continue
        totals = [(row, a) for row, a in mine if _simple(cell(row, other)) in TOTALS]
        if totals:
            mine = totals
    counts: dict[str, int] = {}
    for row, answer in mine:
        number = _number(cell(row, count_column))
        if number is not None:
            counts[answer] = counts.get(answer, 0) + number
    return counts


def read_upload(data: bytes, local_authority: str) -> Found:
    try:
        text = csvfiles.decode(data, max_bytes=UPLOAD_BYTES_MAX)
    except ValueError as exc:
        found = Found()
        found.problems.append(Problem(0, str(exc)))
        return found
    return read(io.StringIO(text, newline=""), local_authority)


# -- Files placed on the server for every area --


def installed_files() -> list[Path]:
    """The DfE files an administrator has placed in `DFE_SEN_DIR` (*.csv), by name."""
    folder = current_app.config.get("DFE_SEN_DIR")
    if not folder:
        return []
    path = Path(folder)
    if not path.is_dir():
        return []
    return sorted(p for p in path.glob("*.csv") if p.is_file())


def read_installed(name: str, local_authority: str) -> Found:
    """An installed file by its name (only one of `installed_files`, never a path)."""
    chosen = next((p for p in installed_files() if p.name == name), None)
    if chosen is None:
        found = Found()
        found.problems.append(
            Problem(
                0, "Choose one of the files on this platform, or upload one.", field="installed"
            )
        )
        return found
    with chosen.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
        found = read(lines, local_authority)
    found.file_name = chosen.name
    return found
