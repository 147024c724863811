"""Figures about the area's children and young people with SEND, from a CSV file an organiser
uploads, so the reach reports can show each group's share of the area beside its share of the
forum's families.

The file has a heading row `question,answer,children` and one row per group:

    question,answer,children
    need,ASD,1210
    need,Speech language and communication needs,980
    support,ehc_plan,2650
    phase,Post-16 (sixth form, college or training),410
    locality,Northtown,700

- `question` is one of `age_band`, `phase`, `need`, `support`, `setting`, `locality`.
- `answer` is the answer's short name (`asd`, `ehc_plan`), its words as the profile form shows
  them, its code in brackets (`ASD`, `SLCN`), or, for `locality`, one of the area's
  localities. Case and extra spaces do not matter.
- `children` is a whole number from 0 to 10,000,000.

Every row is checked first; if any is wrong nothing is kept, and each problem is said with its
row number. The upload says where the figures come from and the date they describe, shown
beside every figure taken from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.members.models import (
    POPULATION_BYTES_MAX,
    POPULATION_CHILDREN_MAX,
    POPULATION_DIMENSIONS,
    POPULATION_ROWS_MAX,
    AgeBand,
    Need,
    Phase,
    PopulationFigure,
    PopulationUpload,
    Setting,
    Support,
)
from forum.members.queries import localities_of
from forum.web import csvfiles
from forum.web.text import clean_text

COLUMNS = ("question", "answer", "children")
CHILDREN_MAX = POPULATION_CHILDREN_MAX
SOURCE_MAX = 200
#: problems listed at most (the rest summed up)
PROBLEMS_SHOWN = 20

_KINDS = {
    "age_band": AgeBand,
    "phase": Phase,
    "need": Need,
    "support": Support,
    "setting": Setting,
}

EXAMPLE = (
    "question,answer,children\n"
    "need,ASD,1210\n"
    "need,SLCN,980\n"
    "need,SEMH,760\n"
    "support,ehc_plan,2650\n"
    "support,sen_support,7400\n"
    "phase,primary,4100\n"
    "phase,secondary,3600\n"
    "phase,post_16,1100\n"
)


class PopulationError(Refused):
    """The upload as a whole cannot be kept (beside `field`)."""


@dataclass
class Problem:
    row: int
    message: str
    #: the form's field the problem is about, when not the file itself
    field: str | None = None


@dataclass
class Checked:
    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.cells)


def children_of(digits: str) -> int | None:
    """A number of children written as plain digits (separators already taken out), or None if
    it is not a whole number from 0 to `CHILDREN_MAX` (a sign, a decimal point, other scripts'
    digits, a huge number)."""
    if digits.isascii() and digits.isdigit() and int(digits) <= CHILDREN_MAX:
        return int(digits)
    return None


def _simple(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", clean_text(text).casefold()).strip()


def _answer_names(area) -> dict[str, dict[str, str]]:
    """{question: {a way of writing an answer, simplified: the answer's key}}."""
    names: dict[str, dict[str, str]] = {}
    for question, kind in _KINDS.items():
        found = names.setdefault(question, {})
        for member in kind:
            if member.value == "prefer_not":
                continue
            found[_simple(member.value)] = member.value
            found[_simple(member.label)] = member.value
            code = re.search(r"\(([A-Za-z]+)\)$", member.label)
            if code:
                found[_simple(code.group(1))] = member.value
    names["locality"] = {_simple(loc.name): str(loc.id) for loc in localities_of(area)}
    return names


def check(area, data: bytes) -> Checked:
    """Read and check the whole file; nothing is written."""
    checked = Checked()
    problems = checked.problems
    try:
        rows = csvfiles.records(csvfiles.decode(data, max_bytes=POPULATION_BYTES_MAX))
    except ValueError as exc:
        problems.append(Problem(0, str(exc)))
        return checked
    if not rows:
        problems.append(Problem(0, "The file is empty."))
        return checked
    header = [_simple(h).replace(" ", "_") for h in rows[0]]
    if header[:3] != list(COLUMNS) or any(h for h in header[3:]):
        problems.append(
            Problem(
                0,
                "The first row must be the headings question, answer, children (in that "
                "order, and nothing else).",
            )
        )
        return checked
    body = rows[1:]
    if not body:
        problems.append(Problem(0, "The file has a heading row but no figures."))
        return checked
    if len(body) > POPULATION_ROWS_MAX:
        problems.append(
            Problem(0, f"The file has {len(body):,} rows; it can have up to {POPULATION_ROWS_MAX}.")
        )
        return checked
    names = _answer_names(area)
    for number, cells in enumerate(body, start=2):
        cells = [*cells, "", "", ""][:4]
        question_text, answer_text, count_text, extra = (c.strip() for c in cells)
        question = _simple(question_text).replace(" ", "_")
        if extra:
            problems.append(Problem(number, "This row has more than 3 cells."))
            continue
        if question not in POPULATION_DIMENSIONS:
            problems.append(
                Problem(
                    number,
                    "The question must be one of " + ", ".join(POPULATION_DIMENSIONS) + ".",
                )
            )
            continue
        answer = names[question].get(_simple(answer_text))
        if answer is None:
            what = "one of the area's localities" if question == "locality" else "an answer"
            problems.append(
                Problem(
                    number,
                    f"“{clean_text(answer_text)[:60]}” is not {what} to the question {question}.",
                )
            )
            continue
        children = children_of(count_text.replace(",", ""))
        if children is None:
            problems.append(
                Problem(
                    number,
                    f"The number of children must be a whole number from 0 to {CHILDREN_MAX:,}.",
                )
            )
            continue
        if (question, answer) in checked.cells:
            problems.append(Problem(number, "This answer is in the file twice."))
            continue
        checked.cells[(question, answer)] = children
    return checked


def keep(
    area,
    checked: Checked,
    *,
    source: str,
    as_of: date,
    actor,
    notes: dict[str, str] | None = None,
    local_authority: str = "",
) -> PopulationUpload:
    """Keep a checked file's figures as the area's newest, all of them or (on any problem)
    none. The questions the file gives replace those questions' figures in the report; the
    others stay as they were."""
    source = clean_text(source or "").strip()
    if not source:
        raise PopulationError("Say where the figures come from", field="source")
    if len(source) > SOURCE_MAX:
        raise PopulationError(
            f"Where the figures come from must be {SOURCE_MAX} characters or fewer", field="source"
        )
    if not checked.ok:
        raise PopulationError(
            "Nothing was kept. Fix the rows listed, then upload the file again.", field="file"
        )
    upload = PopulationUpload(
        area_id=area.id,
        source=source,
        as_of=as_of,
        uploaded_by_id=getattr(actor, "id", None),
        notes=notes or None,
        local_authority=local_authority[:120],
    )
    upload.figures = [
        PopulationFigure(dimension=question, category=answer, count=count)
        for (question, answer), count in checked.cells.items()
    ]
    db.session.add(upload)
    db.session.flush()
    record(
        "member.population_uploaded",
        upload,
        actor=actor,
        area=area,
        rows=len(upload.figures),
        source=source,
        questions=sorted({question for question, _ in checked.cells}),
    )
    return upload


def newest_per_question(area_id: int):
    """(dimension, upload_id): the newest set of figures of the area that gives each question,
    as a subquery (ids grow with time, so the newest is the largest)."""
    return (
        select(PopulationFigure.dimension, func.max(PopulationFigure.upload_id).label("upload_id"))
        .join(PopulationUpload, PopulationUpload.id == PopulationFigure.upload_id)
        .where(PopulationUpload.area_id == area_id)
        .group_by(PopulationFigure.dimension)
        .subquery()
    )


def keep_typed(
    area, question: str, counts: dict[str, int], *, source: str, as_of: date, actor
) -> PopulationUpload:
    """Keep one question's figures as an organiser typed them in (answers already checked
    against the question's list by the form)."""
    if question not in POPULATION_DIMENSIONS:
        raise PopulationError("Choose a question the area's figures can be given for")
    checked = Checked(cells={(question, answer): n for answer, n in counts.items()})
    return keep(area, checked, source=source, as_of=as_of, actor=actor)


def newest_local_authority(area) -> str:
    """The local authority DfE's figures were last taken for in the area ("" if never)."""
    return (
        db.session.scalar(
            select(PopulationUpload.local_authority)
            .where(PopulationUpload.area_id == area.id, PopulationUpload.local_authority != "")
            .order_by(PopulationUpload.id.desc())
            .limit(1)
        )
        or ""
    )


def in_use(area) -> list[tuple[str, int, PopulationUpload]]:
    """The figures each question of the report takes now: (question, how many groups, the set
    they come from), in the order of `POPULATION_DIMENSIONS`; one statement."""
    newest = newest_per_question(area.id)
    found = {
        question: (groups, upload)
        for question, upload, groups in db.session.execute(
            select(PopulationFigure.dimension, PopulationUpload, func.count())
            .join(PopulationUpload, PopulationUpload.id == PopulationFigure.upload_id)
            .join(
                newest,
                and_(
                    newest.c.dimension == PopulationFigure.dimension,
                    newest.c.upload_id == PopulationFigure.upload_id,
                ),
            )
            .group_by(PopulationFigure.dimension, PopulationUpload.id)
        )
    }
    return [(q, *found[q]) for q in POPULATION_DIMENSIONS if q in found]


def forget(area, question: str, *, actor) -> int:
    """Stop using any figures for one question (every set's): the report shows no area share
    for it until figures are given again. Returns how many figures were deleted."""
    if question not in POPULATION_DIMENSIONS:
        raise PopulationError("Choose a question the area has figures for", field="question")
    figures = db.session.scalars(
        select(PopulationFigure)
        .join(PopulationUpload, PopulationUpload.id == PopulationFigure.upload_id)
        .where(PopulationUpload.area_id == area.id, PopulationFigure.dimension == question)
    ).all()
    if not figures:
        raise PopulationError("The area has no figures for that question", field="question")
    for figure in figures:
        db.session.delete(figure)
    db.session.flush()
    record(
        "member.population_forgotten",
        area,
        actor=actor,
        area=area,
        question=question,
        rows=len(figures),
    )
    return len(figures)
