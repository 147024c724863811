"""Importing a plan's priorities and commitments from a CSV file.

Every row is checked first. If any row is wrong, nothing is imported and the organiser gets a
list of (row, column, message). Otherwise the rows are applied through the same services as
the forms, in one transaction, so each change is audited and each change of a commitment's
status reaches its timeline.

Importing the same file again does not duplicate anything: a priority whose reference already
exists in the plan is updated, and so is a commitment with the same title under the same
priority.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from forum.areas.queries import partners_of
from forum.audit.services import record
from forum.extensions import db
from forum.plans import services
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority
from forum.plans.queries import plan_priorities
from forum.web import csvfiles
from forum.web.text import clean_text

#: the largest file taken (the whole request is capped at 2 MB by MAX_CONTENT_LENGTH)
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000

COLUMNS = (
    "type",
    "code",
    "parent_code",
    "title",
    "description",
    "owner",
    "due",
    "status",
    "progress",
    "weight",
    "dropped_reason",
)
REQUIRED_COLUMNS = ("type", "title")
LIMITS = {
    "code": 12,
    "parent_code": 12,
    "title": 200,
    "description": 5000,
    "owner": 160,
    "dropped_reason": 2000,
}
#: spreadsheets run a cell starting with one of these as a formula
FORMULA_START = ("=", "+", "@", "\t", "\r")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

EXAMPLE_ROWS = [
    [
        "priority",
        "P1",
        "",
        "Early help for families",
        "Support before a crisis.",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    ["priority", "P1.1", "P1", "Family hubs in every town", "", "", "", "", "", "", ""],
    [
        "commitment",
        "",
        "P1.1",
        "Open four family hubs",
        "With SEND advice on site every week.",
        "Northshire County Council",
        "2027-03-31",
        "on track",
        "40",
        "2",
        "",
    ],
    [
        "commitment",
        "",
        "P1",
        "Train health visitors in early signs of SEND",
        "",
        "NHS Northshire Integrated Care Board",
        "30/09/2026",
        "not started",
        "0",
        "1",
        "",
    ],
]


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int
    type: str
    code: str = ""
    parent_code: str = ""
    title: str = ""
    description: str = ""
    partner: object = None
    due_on: date | None = None
    status: CommitmentStatus | None = None
    progress: int | None = None
    weight: int | None = None
    dropped_reason: str = ""


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Result:
    priorities_added: int = 0
    priorities_updated: int = 0
    commitments_added: int = 0
    commitments_updated: int = 0

    def sentence(self) -> str:
        def n(count, one, many):
            return f"{count:,} {one if count == 1 else many}"

        parts = [
            f"{n(self.priorities_added, 'priority', 'priorities')} and "
            f"{n(self.commitments_added, 'commitment', 'commitments')} added"
        ]
        if self.priorities_updated or self.commitments_updated:
            parts.append(
                f"{n(self.priorities_updated, 'priority', 'priorities')} and "
                f"{n(self.commitments_updated, 'commitment', 'commitments')} updated"
            )
        return "Imported: " + "; ".join(parts) + "."


def example_csv(partner_names: list[str] | None = None) -> str:
    """The example file, naming the area's own partner organisations when it has some."""
    rows = [list(row) for row in EXAMPLE_ROWS]
    if partner_names:
        owners = [row for row in rows if row[0] == "commitment"]
        for n, row in enumerate(owners):
            row[COLUMNS.index("owner")] = partner_names[n % len(partner_names)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def decode(data: bytes) -> str:
    """The file's text (`forum.web.csvfiles.decode`, up to `MAX_BYTES`)."""
    return csvfiles.decode(data, max_bytes=MAX_BYTES)


def _parse_date(text: str) -> date:
    found = _DMY.match(text)
    if found:
        day, month, year = (int(x) for x in found.groups())
        return date(year, month, day)
    parsed = datetime.strptime(text, "%Y-%m-%d").date()
    return parsed


def _status(text: str) -> CommitmentStatus | None:
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    for status in CommitmentStatus:
        if key in (status.value, status.label.lower().replace(" ", "_")):
            return status
    return None


def _number(text: str) -> int | None:
    text = text.strip().removesuffix("%").strip()
    return int(text) if text.isdigit() else None


def check(plan: LocalPlan, data: bytes) -> Checked:
    """Read and check every row; nothing is written."""
    checked = Checked()
    header, records = _read_table(data, checked.problems)
    if checked.problems:
        return checked
    existing = {p.code.lower(): p for p in plan_priorities(plan)}
    seen = _Seen(partners={p.name.strip().lower(): p for p in partners_of(plan.area)})
    for index, record_ in enumerate(records, start=2):
        row, problems = _check_row(index, _cells(header, record_), seen)
        checked.problems.extend(problems)
        checked.rows.append(row)
    checked.problems.extend(_check_parents(checked.rows, existing, seen))
    checked.problems.sort(
        key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else -1)
    )
    return checked


@dataclass
class _Seen:
    """What the rows checked so far have named, to catch repeats and to check parents."""

    #: the area's partner organisations by lower-case name
    partners: dict
    #: priority reference (lower case) → the row that first used it
    codes: dict[str, int] = field(default_factory=dict)
    #: (priority reference, commitment title), lower case → the row that first used it
    commitments: dict[tuple[str, str], int] = field(default_factory=dict)
    #: priority reference → its parent's reference, for priorities in the file (lower case)
    parents: dict[str, str] = field(default_factory=dict)


def _read_table(data: bytes, problems: list[Problem]) -> tuple[list[str], list[list[str]]]:
    """The heading row (cleaned, lower case) and the non-blank rows below it; a whole-file
    problem goes into `problems` instead."""
    try:
        text = decode(data)
    except ValueError as exc:
        problems.append(Problem(0, "", str(exc)))
        return [], []
    try:
        records = csvfiles.records(text)
    except ValueError as exc:
        problems.append(Problem(0, "", str(exc)))
        return [], []
    if not records:
        problems.append(Problem(0, "", "The file is empty."))
        return [], []
    header = [clean_text(h).lower().replace(" ", "_") for h in records[0]]
    problems.extend(_check_header(header))
    if problems:
        return [], []
    if len(records) - 1 > MAX_ROWS:
        problems.append(
            Problem(
                0,
                "",
                f"The file has {len(records) - 1:,} rows; we take up to "
                f"{MAX_ROWS:,} at a time. Split it into smaller files.",
            )
        )
    elif len(records) == 1:
        problems.append(Problem(0, "", "The file has a heading row but no rows to import."))
    return header, records[1:]


def _check_header(header: list[str]) -> list[Problem]:
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing:
        problems.append(
            Problem(
                1,
                ", ".join(missing),
                "The heading row must include " + " and ".join(f"“{c}”" for c in missing) + ".",
            )
        )
    if unknown:
        problems.append(
            Problem(
                1,
                ", ".join(unknown[:5]),
                "Unknown column. The columns we read are: " + ", ".join(COLUMNS) + ".",
            )
        )
    return problems


def _cells(header: list[str], record_: list[str]) -> dict[str, str]:
    """One row's cells by column name, cleaned; a column the file lacks is blank."""
    values = dict.fromkeys(COLUMNS, "")
    for name, cell in zip(header, record_, strict=False):
        if name:
            values[name] = clean_text(cell, multiline=name in ("description", "dropped_reason"))
    return values


def _check_row(index: int, values: dict[str, str], seen: _Seen) -> tuple[Row, list[Problem]]:
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(index, column, message))

    _check_cells(values, bad)
    kind = values["type"].lower()
    row = Row(number=index, type=kind, title=values["title"])
    if kind not in ("priority", "commitment"):
        bad("type", "Must be “priority” or “commitment”.")
    if not values["title"]:
        bad("title", "Enter a title.")
    if kind == "priority":
        _check_priority(row, values, bad, seen)
    elif kind == "commitment":
        _check_commitment(row, values, bad, seen)
    return row, problems


def _check_cells(values: dict[str, str], bad) -> None:
    """Cells a spreadsheet would run as a formula, and cells that are too long."""
    for name, value in values.items():
        if value.startswith(FORMULA_START) or (
            value.startswith("-")
            and len(value) > 1
            and not value[1].isspace()
            and name not in ("progress", "weight")
        ):
            bad(
                name,
                "Starts with a sign that spreadsheets read as a formula. "
                "Remove it, or start the cell with a letter or number.",
            )
        elif name in LIMITS and len(value) > LIMITS[name]:
            bad(name, f"Must be {LIMITS[name]:,} characters or fewer.")


def _check_priority(row: Row, values: dict[str, str], bad, seen: _Seen) -> None:
    code = values["code"]
    row.code, row.parent_code = code, values["parent_code"]
    row.description = values["description"]
    if not code:
        bad("code", "Enter the priority’s reference, like P3.")
    elif not services.CODE_PATTERN.match(code):
        bad("code", "Use up to 12 letters, numbers, dots or dashes, like P3 or P3.1.")
    elif code.lower() in seen.codes:
        bad("code", f"{code} is already used on row {seen.codes[code.lower()]}.")
    else:
        seen.codes[code.lower()] = row.number
        if row.parent_code:
            seen.parents[code.lower()] = row.parent_code.lower()
    if row.parent_code and row.parent_code.lower() == code.lower():
        bad("parent_code", "A priority cannot sit under itself.")


def _check_commitment(row: Row, values: dict[str, str], bad, seen: _Seen) -> None:
    row.parent_code, row.description = values["parent_code"], values["description"]
    if values["code"]:
        bad(
            "code",
            "Leave this blank for a commitment, and put its priority’s reference in parent_code.",
        )
    if not row.parent_code:
        bad("parent_code", "Enter the reference of the priority this commitment is under.")
    key = (row.parent_code.lower(), row.title.lower())
    if row.title and row.parent_code and key in seen.commitments:
        bad("title", f"The same commitment is already on row {seen.commitments[key]}.")
    else:
        seen.commitments[key] = row.number
    _check_owner(row, values["owner"], bad, seen.partners)
    _check_progress_cells(row, values, bad)


def _check_owner(row: Row, owner: str, bad, partners: dict) -> None:
    if not owner:
        bad("owner", "Enter the organisation that owns the commitment.")
    elif owner.lower() not in partners:
        names = ", ".join(sorted(p.name for p in partners.values())[:6])
        bad(
            "owner",
            f"“{owner}” is not one of this area’s partner organisations"
            + (f" ({names})." if names else "."),
        )
    else:
        row.partner = partners[owner.lower()]


def _check_progress_cells(row: Row, values: dict[str, str], bad) -> None:
    """A commitment's due date, status, progress, weight and reason for dropping."""
    if values["due"]:
        try:
            row.due_on = _parse_date(values["due"])
        except ValueError:
            bad("due", "Must be a real date, like 2027-03-31 or 31/03/2027.")
        else:
            if not 2000 <= row.due_on.year <= 2100:
                bad("due", "Must be between the years 2000 and 2100.")
    if values["status"]:
        row.status = _status(values["status"])
        if row.status is None:
            bad(
                "status",
                "Must be one of: " + ", ".join(s.label.lower() for s in CommitmentStatus) + ".",
            )
    if values["progress"]:
        row.progress = _number(values["progress"])
        if row.progress is None or row.progress > 100:
            bad("progress", "Must be a whole number from 0 to 100.")
    if values["weight"]:
        row.weight = _number(values["weight"])
        if row.weight is None or not 1 <= row.weight <= services.WEIGHT_MAX:
            bad("weight", f"Must be a whole number from 1 to {services.WEIGHT_MAX}.")
    row.dropped_reason = values["dropped_reason"]
    if row.status is CommitmentStatus.DROPPED and not row.dropped_reason:
        bad("dropped_reason", "Say why it was dropped.")


def _check_parents(rows: list[Row], existing: dict[str, Priority], seen: _Seen) -> list[Problem]:
    """Every parent reference names a priority in the plan or the file, and no priority ends up
    under one of its own sub-priorities."""
    problems = []
    known = set(existing) | set(seen.codes)
    parents = {code: (p.parent.code.lower() if p.parent else "") for code, p in existing.items()}
    parents.update(seen.parents)
    for row in rows:
        if row.type not in ("priority", "commitment") or not row.parent_code:
            continue
        parent = row.parent_code.lower()
        if parent not in known:
            problems.append(
                Problem(
                    row.number,
                    "parent_code",
                    f"There is no priority {row.parent_code} in this plan or this file.",
                )
            )
        elif row.type == "priority" and row.code and _is_below(row.code.lower(), parent, parents):
            problems.append(
                Problem(
                    row.number,
                    "parent_code",
                    "This would put the priority under one of its own sub-priorities.",
                )
            )
    return problems


def _is_below(code: str, parent: str, parents: dict[str, str]) -> bool:
    """Whether `code` is `parent` or one of its ancestors (a loop if `code` went under it)."""
    node, hops = parent, 0
    while node and hops <= len(parents):
        if node == code:
            return True
        node, hops = parents.get(node, ""), hops + 1
    return False


def apply(plan: LocalPlan, rows: list[Row], *, actor) -> Result:
    """Write checked rows (call only when `check` found no problem). Flushes; the caller
    commits once."""
    result = Result()
    by_code = _apply_priorities(plan, [r for r in rows if r.type == "priority"], result, actor)
    _apply_commitments(plan, [r for r in rows if r.type == "commitment"], by_code, result, actor)
    record(
        "plan.imported",
        plan,
        actor=actor,
        area=plan.area,
        priorities_added=result.priorities_added,
        priorities_updated=result.priorities_updated,
        commitments_added=result.commitments_added,
        commitments_updated=result.commitments_updated,
    )
    return result


def _apply_priorities(plan: LocalPlan, pending: list[Row], result: Result, actor) -> dict:
    """Add or update the priority rows, parents first (a sub-priority may come before its
    parent in the file); returns the plan's priorities by lower-case code."""
    by_code = {
        p.code.lower(): p
        for p in db.session.scalars(select(Priority).where(Priority.plan_id == plan.id))
    }
    while pending:
        ready = [
            r
            for r in pending
            if not r.parent_code
            or r.parent_code.lower() in by_code
            or r.parent_code.lower() not in {p.code.lower() for p in pending}
        ]
        if not ready:
            raise services.PlanError("Some priorities sit under each other in a loop.")
        for row in ready:
            _apply_priority(plan, row, by_code, result, actor)
        pending = [r for r in pending if r not in ready]
    return by_code


def _apply_priority(plan: LocalPlan, row: Row, by_code: dict, result: Result, actor) -> None:
    parent = by_code.get(row.parent_code.lower()) if row.parent_code else None
    current = by_code.get(row.code.lower())
    if current is None:
        by_code[row.code.lower()] = services.add_priority(
            plan,
            code=row.code,
            title=row.title,
            description=row.description,
            parent=parent,
            actor=actor,
        )
        result.priorities_added += 1
    else:
        services.update_priority(
            current,
            code=current.code,
            title=row.title,
            description=row.description,
            parent=parent,
            actor=actor,
        )
        result.priorities_updated += 1


def _apply_commitments(
    plan: LocalPlan, rows: list[Row], by_code: dict, result: Result, actor
) -> None:
    """Add the commitment rows that are new under their priority (matched by title), and
    update the others; an empty cell keeps what an existing commitment has."""
    commitments = {
        (c.priority_id, c.title.lower()): c
        for c in db.session.scalars(
            select(Commitment).join(Commitment.priority).where(Priority.plan_id == plan.id)
        )
    }
    for row in rows:
        priority = by_code[row.parent_code.lower()]
        current = commitments.get((priority.id, row.title.lower()))
        if current is None:
            commitments[(priority.id, row.title.lower())] = services.add_commitment(
                priority,
                partner=row.partner,
                title=row.title,
                description=row.description,
                due_on=row.due_on,
                status=row.status or CommitmentStatus.NOT_STARTED,
                progress=row.progress if row.progress is not None else 0,
                weight=row.weight or 1,
                dropped_reason=row.dropped_reason,
                actor=actor,
            )
            result.commitments_added += 1
        else:
            services.update_commitment(
                current,
                title=current.title,
                description=row.description or current.description,
                due_on=row.due_on or current.due_on,
                status=row.status or current.status,
                progress=row.progress if row.progress is not None else current.progress,
                weight=row.weight or current.weight,
                dropped_reason=row.dropped_reason or current.dropped_reason,
                partner=row.partner,
                actor=actor,
            )
            result.commitments_updated += 1
