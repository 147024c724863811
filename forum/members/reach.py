"""Reach: who a forum hears from, counted from the family profiles its members gave, beside the
figures for all the children and young people with SEND in the area.

`breakdown(area, people=…)` counts the profiles of a group of people (the area's active members
by default; a consultation's respondents when surveys pass a select of their account ids) by
each question: families by the parent's answers, children by theirs. Two statements however
many profiles (one for families, one for children, each grouped by every question at once, so
a table is read once, and added up per question here).

Every count passes `forum/disclosure.py` for everyone, the area's organisers included: a
profile is about one family, and an exact small count in a report anyone reads could be
matched to a family. So counts under 5 are withheld ("fewer than 5"), the rest rounded to the
nearest 5, a question answered by fewer than 5 is not broken down at all, and where exactly
one answer's count is withheld the next smallest goes too (`protect_table`). Shares are worked
out from the rounded figures. "Prefer not to say" and unanswered questions are left out of
each question's total.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import Select, String, and_, cast, func, select

from forum.areas.models import Membership, MembershipStatus, Role
from forum.disclosure import Count, count_of, protect_table
from forum.extensions import db
from forum.members.models import (
    AgeBand,
    ChildProfile,
    Ethnicity,
    FamilyProfile,
    Locality,
    Need,
    ParentAge,
    Phase,
    PopulationFigure,
    PopulationUpload,
    ReachSettings,
    Setting,
    Support,
    YesNo,
)

#: (key, heading, the answers) for the parent's questions, counted in families
FAMILY_QUESTIONS = (
    ("parent_age", "Parent or carer's age", ParentAge),
    ("ethnicity", "Ethnic group", Ethnicity),
    ("young_carer", "Young carers", YesNo),
    ("disabled", "Disabled parents and carers", YesNo),
)
#: the children's questions, counted in children; locality's answers are the area's own
CHILD_QUESTIONS = (
    ("age_band", "Age", AgeBand),
    ("phase", "Stage of education", Phase),
    ("need", "Main type of need", Need),
    ("support", "Support", Support),
    ("setting", "Where they learn", Setting),
    ("locality", "Locality", None),
)
#: a group is flagged as missed when its share is under this fraction of its share of the
#: area's children, and it is at least this many percent of them
GAP_RATIO = 0.6
GAP_FLOOR = 5


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: Count
    #: the share of the area's children with SEND in this group, from the population figures
    population: int | None = None
    #: the gap in words, when the group is under-represented
    gap: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    heading: str
    #: families or children who answered (not "prefer not to say")
    total: Count
    rows: list[Row]
    #: where the area's shares beside this question come from (None: no figures)
    population: Population | None = None

    @property
    def broken_down(self) -> bool:
        return not self.total.withheld and bool(self.total.value)


@dataclass(frozen=True)
class Population:
    """Where a question's figures about the area come from, the date they describe, and (where
    it needs saying) what they cover."""

    source: str
    as_of: date
    note: str = ""


@dataclass
class Report:
    #: whose profiles: "members" or "respondents"
    who: str
    families: Count
    children: Count
    family_questions: list[Question] = field(default_factory=list)
    child_questions: list[Question] = field(default_factory=list)

    @property
    def population(self) -> Population | None:
        """The newest figures about the area any question uses (None: the area has none)."""
        found = [q.population for q in self.child_questions if q.population]
        return max(found, key=lambda p: p.as_of) if found else None

    @property
    def gaps(self) -> list[str]:
        return [row.gap for q in self.child_questions for row in q.rows if row.gap]


def active_members(area_id: int) -> Select:
    """The account ids of the area's active members and organisers (who may keep a profile)."""
    return select(Membership.user_id).where(
        Membership.area_id == area_id,
        Membership.status == MembershipStatus.ACTIVE,
        Membership.role.in_((Role.MEMBER, Role.ORGANISER)),
    )


def _profiles(area_id: int, people: Select):
    return (FamilyProfile.area_id == area_id, FamilyProfile.user_id.in_(people))


def _tally(columns: list, rows) -> tuple[dict, int]:
    """{question: {answer: count}} and the total, from rows of (answers as text..., count)."""
    counters = [Counter() for _ in columns]
    total = 0
    for row in rows:
        n = row[-1]
        total += n
        for counter, answer in zip(counters, row[:-1], strict=False):
            if answer is not None:
                counter[answer] += n
    return {key: dict(counter) for (key, _), counter in zip(columns, counters, strict=True)}, total


def _counts(area, people: Select) -> tuple[dict, dict, int, int]:
    """Families and children by every answer: one scan of each table, grouped by every
    question at once (at most one row per combination of answers, however many profiles),
    then added up here. Two statements."""
    family_columns = [(key, getattr(FamilyProfile, key)) for key, _, _ in FAMILY_QUESTIONS]
    child_columns = [
        (key, ChildProfile.locality_id if key == "locality" else getattr(ChildProfile, key))
        for key, _, _ in CHILD_QUESTIONS
    ]
    profiles = _profiles(area.id, people)
    # As text, not enums: a row per combination, converted once each here.
    family_rows = db.session.execute(
        select(*(cast(c, String) for _, c in family_columns), func.count())
        .where(*profiles)
        .group_by(*(c for _, c in family_columns))
    ).all()
    child_rows = db.session.execute(
        select(*(cast(c, String) for _, c in child_columns), func.count())
        .select_from(ChildProfile)
        .join(FamilyProfile, FamilyProfile.id == ChildProfile.profile_id)
        .where(*profiles)
        .group_by(*(c for _, c in child_columns))
    ).all()
    families, family_total = _tally(family_columns, family_rows)
    children, child_total = _tally(child_columns, child_rows)
    return families, children, family_total, child_total


def answers_of(kind, localities: list[Locality]) -> list[tuple[str, str]]:
    """A question's (answer, label) pairs, "prefer not to say" left out; a locality's are the
    area's own."""
    if kind is None:
        return [(str(loc.id), loc.name) for loc in localities]
    return [(m.value, m.label) for m in kind if m.value != "prefer_not"]


def _question(
    key, heading, kind, found: dict, localities, population, who: str, source=None
) -> Question:
    answers = answers_of(kind, localities)
    sizes = [found.get(value, 0) for value, _ in answers]
    answered = sum(sizes)
    total = count_of(answered, exact=False)
    if total.withheld or not answered:
        # Fewer than 5 answered: not broken down at all, so nobody is in a small cell.
        return Question(key, heading, total, [], source if population else None)
    cells = protect_table(
        [count_of(n, exact=False, of=answered) for n in sizes], total=total, sizes=sizes
    )
    share_of_area = population or {}
    area_total = sum(share_of_area.values())
    rows = []
    for (value, label), cell in zip(answers, cells, strict=True):
        in_area = share_of_area.get(value)
        area_share = round(in_area * 100 / area_total) if in_area and area_total else None
        rows.append(
            Row(
                value,
                label,
                cell,
                area_share,
                _gap(label, cell, area_share, who) if area_share is not None else None,
            )
        )
    return Question(key, heading, total, rows, source if population else None)


def _gap(label: str, cell: Count, area_share: int, who: str) -> str | None:
    """Words for a group the forum is missing: its share of the profiles is well under its
    share of the area's children (from the rounded figures; a withheld cell counts as under
    5, so its share is not known and nothing is claimed)."""
    if cell.withheld or cell.percent is None or area_share < GAP_FLOOR:
        return None
    if cell.percent >= area_share * GAP_RATIO:
        return None
    return (
        f"{label}: {cell.percent}% of the children in {who}’ answers, and about "
        f"{area_share}% of the children with SEND in the area."
    )


def latest_population(area) -> tuple[dict[str, Population], dict[str, dict[str, int]]]:
    """Each question's newest population figures for the area: ({question: where from, when
    and what they cover}, {question: {answer: count}}); one statement."""
    from forum.members.population import newest_per_question

    newest = newest_per_question(area.id)
    sources: dict[str, Population] = {}
    figures: dict[str, dict[str, int]] = {}
    for dimension, category, count, source, as_of, notes in db.session.execute(
        select(
            PopulationFigure.dimension,
            PopulationFigure.category,
            PopulationFigure.count,
            PopulationUpload.source,
            PopulationUpload.as_of,
            PopulationUpload.notes,
        )
        .join(PopulationUpload, PopulationUpload.id == PopulationFigure.upload_id)
        .join(
            newest,
            and_(
                newest.c.dimension == PopulationFigure.dimension,
                newest.c.upload_id == PopulationFigure.upload_id,
            ),
        )
    ):
        figures.setdefault(dimension, {})[category] = count
        if dimension not in sources:
            sources[dimension] = Population(source, as_of, (notes or {}).get(dimension, ""))
    return sources, figures


#: counts kept between requests: a report is read far more often than profiles change, and a
#: change of any profile (or of who is an active member, or of the group) is seen at once
KEPT_SECONDS = 60.0
KEPT_MAX = 64
_kept_lock = threading.Lock()


def _version(area_id: int, group_version=None) -> tuple:
    """What changes when the counts may: the area's profiles (how many, the newest change:
    a child's change moves its profile's), its active members, and the group's own. One
    statement, on indexes."""
    members = (
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.area_id == area_id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_((Role.MEMBER, Role.ORGANISER)),
        )
        .scalar_subquery()
    )
    columns = [func.count(FamilyProfile.id), func.max(FamilyProfile.updated_at), members]
    if group_version is not None:
        columns.append(group_version)
    return tuple(db.session.execute(select(*columns).where(FamilyProfile.area_id == area_id)).one())


def _kept_counts(area, people: Select, key: str, group_version) -> tuple[dict, dict, int, int]:
    version = (area.id, key, _version(area.id, group_version))
    kept_counts = current_app.extensions.setdefault("reach_counts", {})
    now = time.monotonic()
    with _kept_lock:
        kept = kept_counts.get(version)
    if kept is not None and now - kept[0] < KEPT_SECONDS:
        return kept[1]
    counts = _counts(area, people)
    with _kept_lock:
        if len(kept_counts) >= KEPT_MAX:
            del kept_counts[min(kept_counts, key=lambda k: kept_counts[k][0])]
        kept_counts[version] = (now, counts)
    return counts


def breakdown(
    area,
    *,
    people: Select | None = None,
    who: str = "members",
    key: str | None = None,
    group_version=None,
) -> Report:
    """The report for a group of people of the area (its active members when `people` is
    None; else `people`, named `key`, whose `group_version` is a scalar select that changes
    when the group does; without a `key` another group's counts are never kept): families and
    children by each question, protected, with the population's shares and the gaps. Five
    statements however many profiles (the version 1, the counts 2 unless kept, localities 1,
    population 1)."""
    from forum.members.queries import localities_of

    if people is None:
        people, key = active_members(area.id), key or "members"
    if key is None:
        families, children, family_total, child_total = _counts(area, people)
    else:
        families, children, family_total, child_total = _kept_counts(
            area, people, key, group_version
        )
    localities = localities_of(area)
    sources, figures = latest_population(area)
    return Report(
        who=who,
        families=count_of(family_total, exact=False),
        children=count_of(child_total, exact=False),
        family_questions=[
            _question(key, heading, kind, families.get(key, {}), localities, None, who)
            for key, heading, kind in FAMILY_QUESTIONS
        ],
        child_questions=[
            _question(
                key,
                heading,
                kind,
                children.get(key, {}),
                localities,
                figures.get(key),
                who,
                sources.get(key),
            )
            for key, heading, kind in CHILD_QUESTIONS
            if key != "locality" or localities
        ],
    )


def is_published(area) -> bool:
    return bool(
        db.session.scalar(
            select(ReachSettings.is_published).where(ReachSettings.area_id == area.id)
        )
    )


def filter_choices(area) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The profile questions survey results can be filtered by: (key, heading, [(answer,
    label)]), children's questions first; one statement (the localities)."""
    from forum.members.queries import localities_of

    localities = localities_of(area)
    return [
        (key, heading, answers_of(kind, localities))
        for key, heading, kind in CHILD_QUESTIONS + FAMILY_QUESTIONS
        if key != "locality" or localities
    ]


def people_with(area_id: int, question: str, answer: str) -> Select:
    """The account ids of the area's active members whose profile gives `answer` to
    `question` (for a child's question: for any of their children), as a select."""
    profiles = _profiles(area_id, active_members(area_id))
    if question in {key for key, _, _ in FAMILY_QUESTIONS}:
        return select(FamilyProfile.user_id).where(
            *profiles, cast(getattr(FamilyProfile, question), String) == answer
        )
    column = ChildProfile.locality_id if question == "locality" else getattr(ChildProfile, question)
    return (
        select(FamilyProfile.user_id)
        .join(ChildProfile, ChildProfile.profile_id == FamilyProfile.id)
        .where(*profiles, cast(column, String) == answer)
    )


def profiles_version(area_id: int) -> tuple:
    """What changes whenever the area's profiles change (a profile or child added, changed or
    deleted), for figures kept between requests: one statement."""
    return tuple(
        db.session.execute(
            select(
                func.count(ChildProfile.id),
                func.max(FamilyProfile.updated_at),
                func.count(func.distinct(FamilyProfile.id)),
                func.sum(ChildProfile.id),
            )
            .select_from(FamilyProfile)
            .outerjoin(ChildProfile, ChildProfile.profile_id == FamilyProfile.id)
            .where(FamilyProfile.area_id == area_id)
        ).one()
    )
