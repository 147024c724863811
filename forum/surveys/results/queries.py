"""Survey results: what people answered, counted in SQL, and how much of it each viewer sees.

Only submitted responses count. Choice and ranking answers are counted from `AnswerChoice`
(one row per chosen option), so a whole results page costs a fixed handful of queries
however many responses and questions there are: the totals by channel, the counts per option,
the number who answered each question, and (when the survey has them) the number statistics
and the newest text answers.

The area's organisers (and admins) see every figure as it is. Everyone else, the partners'
responders included, sees the figures as `forum.disclosure` publishes them: counts rounded to
the nearest 5, a count withheld unless at least 5 people are in it and at least 5 of their
responses are vouched for (so answers anyone can send many times never lift a small group over
the threshold), a second count withheld when one withheld count could be found by subtraction,
no zero cells in a filtered view, no figures at all while the whole survey is below that
bar. Number statistics are shown only from 5 vouched answers.

Written answers are words people wrote, not figures: organisers read them all; the area's
responders read only those of people who agreed to be quoted, and only when the forum chose to
share them (`Survey.shares_answers_with_partners`); nobody else reads any
(`permissions.written_answers_shown`).

A filter (`filters.Filter`) keeps the responses that chose one option of one choice question;
it is a subquery on `AnswerChoice.response_id`. For anyone but organisers, a filtered view is
shown only when the group it picks out is itself shown on the unfiltered page (so neither the
group nor the people outside it can be found by taking one page from the other), and (in the
view) filters wait until the consultation has closed.

A family-profile filter (`filters.ProfileFilter`) keeps the responses sent from the accounts of
members whose profile gives one answer (`forum.members.reach.people_with`). A profile is seen
only in aggregate, by organisers too, so a profile-filtered view is protected for everyone: the
view never asks for exact figures with one, and the group and everyone outside it must each be
big enough to show.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from flask import abort, current_app, g
from sqlalchemy import BigInteger, Text, and_, case, cast, func, or_, select

from forum import hooks
from forum.disclosure import SMALL, Count, count_of, is_safe, protect_table
from forum.extensions import db
from forum.members import reach
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResultsVisibility,
    SentCount,
    Survey,
    counted_responses,
    vouched_responses,
)
from forum.surveys.queries import load_survey
from forum.surveys.results.filters import Filter, ProfileFilter, option_label

#: text answers listed for organisers and responders under each text question, newest first
TEXTS_SHOWN = 10

#: which written answers a viewer reads: every one, only those of people who agreed to be
#: quoted, or none (`permissions.written_answers_shown`)
WrittenAnswers = Literal["all", "consented", "none"]
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
#: the most characters of an option's words drawn beside its bar (the table has them all)
CHART_LABEL_MAX = 60


@dataclass
class OptionResult:
    key: str
    label: str
    count: Count
    #: ranking questions: how many put this option first
    first: Count | None = None
    #: ranking questions: the average place people gave it (1 is first); None when withheld
    average_position: float | None = None

    @property
    def chart_label(self) -> str:
        if len(self.label) <= CHART_LABEL_MAX:
            return self.label
        return self.label[: CHART_LABEL_MAX - 1].rstrip() + "…"


def number_text(value: float) -> str:
    """A figure to one decimal place at most: 12, 12.5, 1,250."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


@dataclass(frozen=True)
class NumberStats:
    lowest: int
    median: float
    average: float
    highest: int

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Lowest", number_text(self.lowest)),
            ("Middle (median)", number_text(self.median)),
            ("Average (mean)", number_text(self.average)),
            ("Highest", number_text(self.highest)),
        ]


@dataclass
class QuestionResult:
    question: Question
    #: how many people answered it (in the group shown)
    answered: Count
    options: list[OptionResult] = field(default_factory=list)
    #: number questions, when the viewer may see them
    numbers: NumberStats | None = None
    #: text questions, for those who may read them: the newest answers
    texts: list[str] = field(default_factory=list)
    #: the texts are only those of people who agreed to be quoted
    consented_only: bool = False
    #: "Only asked of people who answered “Red” to question 1", for show-if questions
    asked_if: str | None = None

    @property
    def kind(self) -> QuestionKind:
        return self.question.kind

    @property
    def charted(self) -> bool:
        return self.kind.is_choice

    @property
    def more_texts(self) -> bool:
        if self.consented_only:
            return len(self.texts) >= TEXTS_SHOWN
        return self.answered.value is not None and self.answered.value > len(self.texts)


@dataclass
class Results:
    #: the viewer sees every figure as it is (the area's organisers and admins)
    exact: bool
    #: which written answers the viewer reads
    written: WrittenAnswers
    #: everyone who responded
    total: Count
    #: the responses shown: everyone, or those the filter keeps
    group: Count
    filter: Filter | ProfileFilter | None = None
    #: organisers: how the responses shown reached the forum
    channels: list[tuple[ResponseChannel, int]] = field(default_factory=list)
    #: organisers: how many of the responses shown are vouched for (`Response.vouched`)
    vouched: int | None = None
    questions: list[QuestionResult] = field(default_factory=list)
    #: why no figures are shown, if they are not
    withheld: str | None = None


def _submitted(survey: Survey, chosen: Filter | ProfileFilter | None):
    """Conditions on `Response` for the responses counted: submitted, and in the filter's
    group."""
    conditions = [Response.survey_id == survey.id, counted_responses()]
    if chosen is not None:
        conditions.append(Response.id.in_(_group_of(chosen, survey)))
    return and_(*conditions)


def _group_of(chosen: Filter | ProfileFilter, survey: Survey):
    """The ids of the responses in the filter's group, as a select."""
    if isinstance(chosen, ProfileFilter):
        return select(Response.id).where(
            Response.survey_id == survey.id,
            Response.user_id.in_(reach.people_with(survey.area_id, chosen.question, chosen.key)),
        )
    return select(AnswerChoice.response_id).where(
        AnswerChoice.question_id == chosen.question.id, AnswerChoice.option_key == chosen.key
    )


def _vouched_sum(*conditions):
    """How many of the rows counted are of vouched responses (a column for a GROUP BY)."""
    return func.sum(case((and_(vouched_responses(), *conditions), 1), else_=0))


@dataclass(frozen=True)
class Totals:
    """Everyone who responded, the responses in the group by channel, and how many of each are
    vouched for."""

    total: int
    channels: dict
    total_vouched: int
    group_vouched: int

    @property
    def group(self) -> int:
        return sum(self.channels.values())


def _totals(survey: Survey, chosen: Filter | ProfileFilter | None) -> Totals:
    """Everyone who responded, and the responses in the group by channel: one query."""
    in_group = Response.id.in_(_group_of(chosen, survey)) if chosen is not None else None
    group = func.sum(case((in_group, 1), else_=0)) if in_group is not None else func.count()
    group_vouched = _vouched_sum(in_group) if in_group is not None else _vouched_sum()
    rows = db.session.execute(
        select(Response.channel, func.count(), group, _vouched_sum(), group_vouched)
        .where(_submitted(survey, None))
        .group_by(Response.channel)
    ).all()
    return Totals(
        total=sum(row[1] for row in rows),
        channels={ResponseChannel(row[0]): int(row[2] or 0) for row in rows},
        total_vouched=sum(int(row[3] or 0) for row in rows),
        group_vouched=sum(int(row[4] or 0) for row in rows),
    )


NOT_YET = (
    f"The results are not shown yet. They are shown once at least {SMALL} people have "
    "responded from a signed-in account, with a confirmed email address, or through the "
    "forum (on paper, by phone or at an event), so nobody can be picked out."
)


def _withheld(
    totals: Totals, chosen: Filter | ProfileFilter | None, *, exact: bool, group_shown: bool = True
) -> str | None:
    total, group = totals.total, totals.group
    if total == 0:
        return "Nobody has responded yet."
    if not exact and total < SMALL:
        return f"Fewer than {SMALL} people have responded, so the results are not shown yet."
    if not exact and not is_safe(total, vouched=totals.total_vouched):
        return NOT_YET
    if chosen is None:
        return None
    if group == 0:
        return f"Nobody who responded {chosen.describe}."
    if exact:
        return None
    if not group_shown or not is_safe(group, vouched=totals.group_vouched, filtered=True):
        return (
            f"Results for people who {chosen.describe} are not shown: too few people answered "
            "that way, or their number is not shown on the page for everyone. This keeps the "
            "people who answered from being recognised."
        )
    others, others_vouched = total - group, totals.total_vouched - totals.group_vouched
    if others and not is_safe(others, vouched=others_vouched):
        # Everyone's results minus this group's would give the results of the few others.
        return (
            f"Fewer than {SMALL} people did not answer that way, so results filtered like "
            "this are not shown: taken away from everyone's results, they would show what "
            "those few people said."
        )
    return None


@dataclass(frozen=True)
class Figures:
    """What the database says, before anything is withheld: plain values, safe to keep
    between requests. `answered` holds (people, vouched) per question; `chosen_counts`
    (chosen, put first, average place, vouched chosen, vouched put first) per option."""

    totals: Totals
    answered: dict
    chosen_counts: dict
    numbers: dict
    texts: dict


#: figures kept for a short while, so a busy results page does not count 100,000 responses
#: on every request; a new or changed response changes the key at once
FIGURES_TTL = 60.0
_figures_lock = threading.Lock()
FIGURES_KEPT = 256


def _withheld_version() -> tuple:
    """What changes whenever the answers withheld from partners change (so the kept figures
    are not used a moment longer): their number and the sum of their ids; one statement."""
    found = []
    for ids in hooks.answers_withheld_from_partners.results():
        sub = ids.subquery()
        column = list(sub.c)[0]
        found.append(
            tuple(db.session.execute(select(func.count(), func.sum(column)).select_from(sub)).one())
        )
    return tuple(found)


def _figures(
    survey: Survey,
    questions: list[Question],
    chosen: Filter | ProfileFilter | None,
    *,
    exact: bool,
    written: WrittenAnswers,
) -> Figures:
    version = db.session.execute(
        select(
            func.count(),
            func.max(Response.updated_at),
            func.max(Response.submitted_at),
            _vouched_sum(),
        ).where(Response.survey_id == survey.id, counted_responses())
    ).one()
    key = (
        survey.id,
        chosen.value if chosen else None,
        exact,
        written,
        tuple(version),
        tuple((q.id, q.kind.value) for q in questions),
        _withheld_version() if written == "consented" else None,
        # a profile filter's group moves whenever a profile does (withdrawn: gone at once)
        reach.profiles_version(survey.area_id) if isinstance(chosen, ProfileFilter) else None,
    )
    now = time.monotonic()
    # Kept on the app: each app (and each test's) has its own.
    _figures_cache = current_app.extensions.setdefault("survey_figures", {})
    with _figures_lock:
        kept = _figures_cache.get(key)
    if kept is not None and now - kept[0] < FIGURES_TTL:
        return kept[1]
    figures = _count(survey, questions, chosen, exact=exact, written=written)
    with _figures_lock:
        if len(_figures_cache) >= FIGURES_KEPT:
            oldest = min(_figures_cache, key=lambda k: _figures_cache[k][0])
            del _figures_cache[oldest]
        _figures_cache[key] = (now, figures)
    return figures


def _count(
    survey: Survey,
    questions: list[Question],
    chosen: Filter | ProfileFilter | None,
    *,
    exact: bool,
    written: WrittenAnswers,
) -> Figures:
    totals = _totals(survey, chosen)
    if _withheld(totals, chosen, exact=exact):
        return Figures(totals, {}, {}, {}, {})
    where = _submitted(survey, chosen)
    answered = {
        question_id: (int(n), int(vouched or 0))
        for question_id, n, vouched in db.session.execute(
            select(Answer.question_id, func.count(), _vouched_sum())
            .join(Response, Response.id == Answer.response_id)
            .where(where)
            .group_by(Answer.question_id)
        )
    }
    kinds = {q.id: q.kind for q in questions}
    numbers = _number_stats(where, [q for q in questions if kinds[q.id] is QuestionKind.NUMBER])
    text_questions = [q for q in questions if kinds[q.id] in TEXT_KINDS]
    if written == "all":
        texts = _newest_texts(where, text_questions)
    elif written == "consented":
        # Answers quoted only in part (a name redacted) are read in full by organisers alone.
        withheld = [Answer.id.not_in(ids) for ids in hooks.answers_withheld_from_partners.results()]
        texts = _newest_texts(and_(where, Response.may_quote.is_(True), *withheld), text_questions)
    else:
        texts = {}
    return Figures(totals, answered, _choice_counts(where), numbers, texts)


def _group_shown(survey: Survey, questions: list[Question], chosen: Filter) -> bool:
    """Whether the filter's group is shown on the page for everyone (its count neither below
    the threshold nor withheld to protect another): only then may others see it filtered, or
    one page could be taken from the other. Served from the kept figures when fresh."""
    everyone = survey_results(survey, questions, exact=False)
    if everyone.withheld:
        return False
    for result in everyone.questions:
        if result.question.id == chosen.question.id:
            return any(o.key == chosen.key and not o.count.withheld for o in result.options)
    return False


def survey_results(
    survey: Survey,
    questions: list[Question],
    *,
    exact: bool,
    chosen: Filter | ProfileFilter | None = None,
    written: WrittenAnswers = "none",
) -> Results:
    """The results of `survey` for one viewer: every figure when `exact`, protected by
    `forum.disclosure` otherwise; only the responses `chosen` keeps, when given; the written
    answers `written` says the viewer may read."""
    figures = _figures(survey, questions, chosen, exact=exact, written=written)
    totals = figures.totals
    filtered = chosen is not None
    results = Results(
        exact=exact,
        written=written,
        total=count_of(totals.total, exact=exact, vouched=totals.total_vouched),
        group=count_of(totals.group, exact=exact, vouched=totals.group_vouched, filtered=filtered),
        filter=chosen,
        channels=[(c, totals.channels.get(c, 0)) for c in ResponseChannel] if exact else [],
        vouched=totals.group_vouched if exact else None,
    )
    # A profile filter's group is never on the page for everyone; its size and the size of
    # everyone outside it are both checked in `_withheld` instead.
    group_shown = (
        exact
        or chosen is None
        or isinstance(chosen, ProfileFilter)
        or _group_shown(survey, questions, chosen)
    )
    results.withheld = _withheld(totals, chosen, exact=exact, group_shown=group_shown)
    if results.withheld:
        return results

    answered, chosen_counts = figures.answered, figures.chosen_counts
    numbers, texts = figures.numbers, figures.texts
    by_id = {q.id: q for q in questions}

    for question in questions:
        people, people_vouched = answered.get(question.id, (0, 0))
        result = QuestionResult(
            question=question,
            answered=count_of(people, exact=exact, vouched=people_vouched, filtered=filtered),
            asked_if=_asked_if(question, by_id),
        )
        kind = question.kind
        counts = chosen_counts.get(question.id, {})
        if kind.is_choice:
            result.options = [
                OptionResult(
                    key,
                    option_label(question, key),
                    count_of(
                        n,
                        exact=exact,
                        of=people,
                        vouched=vouched,
                        of_vouched=people_vouched,
                        filtered=filtered,
                    ),
                )
                for key, (n, _, _, vouched, _) in _in_order(question, counts)
            ]
            if not exact and kind is not QuestionKind.MULTIPLE_CHOICE:
                # One answer each: the counts add up to the number who answered.
                protected = protect_table(
                    [o.count for o in result.options],
                    total=result.answered,
                    sizes=[n for _, (n, *_) in _in_order(question, counts)],
                )
                for option, count in zip(result.options, protected, strict=True):
                    option.count = count
        elif kind is QuestionKind.RANKING:
            result.options = _ranking(
                question, counts, people, people_vouched, exact=exact, filtered=filtered
            )
        elif kind is QuestionKind.NUMBER:
            stats = numbers.get(question.id)
            if stats is not None and (exact or is_safe(people, vouched=people_vouched)):
                result.numbers = stats
        elif kind in TEXT_KINDS:
            result.texts = texts.get(question.id, [])
            result.consented_only = written == "consented"
        results.questions.append(result)
    return results


def _in_order(question: Question, counts: dict) -> list[tuple[str, tuple]]:
    """Every option in the question's order (with 0 for those nobody chose), then any key
    answered before an option stopped being offered."""
    keys = [choice["value"] for choice in question.choices]
    extra = [key for key in counts if key not in keys]
    return [(key, counts.get(key, (0, 0, None, 0, 0))) for key in keys + sorted(extra)]


def _choice_counts(where) -> dict[int, dict[str, tuple]]:
    """(chosen, put first, average place, vouched chosen, vouched put first) per question and
    option key: one query."""
    put_first = AnswerChoice.rank == 1
    first = func.sum(case((put_first, 1), else_=0))
    rows = db.session.execute(
        select(
            AnswerChoice.question_id,
            AnswerChoice.option_key,
            func.count(),
            first,
            func.avg(AnswerChoice.rank),
            _vouched_sum(),
            _vouched_sum(put_first),
        )
        .join(Response, Response.id == AnswerChoice.response_id)
        .where(where)
        .group_by(AnswerChoice.question_id, AnswerChoice.option_key)
    )
    counts: dict[int, dict[str, tuple]] = defaultdict(dict)
    for question_id, key, n, firsts, average, vouched, vouched_firsts in rows:
        counts[question_id][key] = (
            int(n),
            int(firsts or 0),
            float(average) if average is not None else None,
            int(vouched or 0),
            int(vouched_firsts or 0),
        )
    return counts


def _ranking(
    question: Question,
    counts: dict,
    people: int,
    people_vouched: int,
    *,
    exact: bool,
    filtered: bool,
) -> list:
    """Each option with how many put it first; its average place when the viewer may see it
    (organisers always, others when at least 5 vouched people ranked). Best average first.
    Everyone puts one option first, so the "put it first" counts are protected as a table."""
    show_average = exact or is_safe(people, vouched=people_vouched)
    answered = count_of(people, exact=exact, vouched=people_vouched, filtered=filtered)

    def counted(n: int, vouched: int) -> Count:
        return count_of(
            n, exact=exact, of=people, vouched=vouched, of_vouched=people_vouched, filtered=filtered
        )

    options = [
        OptionResult(
            key,
            option_label(question, key),
            count=counted(n, vouched),
            first=counted(firsts, vouched_firsts),
            average_position=round(average, 1) if show_average and average is not None else None,
        )
        for key, (n, firsts, average, vouched, vouched_firsts) in _in_order(question, counts)
    ]
    if not exact:
        firsts = protect_table(
            [o.first or Count(None) for o in options],
            total=answered,
            sizes=[put_first for _, (_, put_first, *_) in _in_order(question, counts)],
        )
        for option, first in zip(options, firsts, strict=True):
            option.first = first
    if show_average:
        options.sort(key=lambda o: (o.average_position is None, o.average_position or 0))
    return options


def _number_stats(where, questions: list[Question]) -> dict[int, NumberStats]:
    """Lowest, median, average and highest per number question: one query (window functions
    find the middle answers, on SQLite and PostgreSQL alike)."""
    if not questions:
        return {}
    number = cast(cast(Answer.value, Text), BigInteger)
    ranked = (
        select(
            Answer.question_id.label("question_id"),
            number.label("n"),
            func.row_number().over(partition_by=Answer.question_id, order_by=number).label("place"),
            func.count().over(partition_by=Answer.question_id).label("answers"),
        )
        .join(Response, Response.id == Answer.response_id)
        .where(where, Answer.question_id.in_([q.id for q in questions]))
        .subquery()
    )
    middle = or_(
        ranked.c.place == (ranked.c.answers + 1) // 2,
        ranked.c.place == (ranked.c.answers + 2) // 2,
    )
    rows = db.session.execute(
        select(
            ranked.c.question_id,
            func.min(ranked.c.n),
            func.avg(case((middle, ranked.c.n))),
            func.avg(ranked.c.n),
            func.max(ranked.c.n),
        ).group_by(ranked.c.question_id)
    )
    return {
        question_id: NumberStats(int(low), float(median), float(average), int(high))
        for question_id, low, median, average, high in rows
    }


def _newest_texts(where, questions: list[Question]) -> dict[int, list[str]]:
    """The newest `TEXTS_SHOWN` text answers of each text question: one query."""
    if not questions:
        return {}
    place = func.row_number().over(
        partition_by=Answer.question_id,
        order_by=(Response.submitted_at.desc(), Answer.id.desc()),
    )
    ranked = (
        select(Answer.question_id, Answer.text, place.label("place"))
        .join(Response, Response.id == Answer.response_id)
        .where(
            where,
            Answer.question_id.in_([q.id for q in questions]),
            Answer.text.is_not(None),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.question_id, ranked.c.text)
        .where(ranked.c.place <= TEXTS_SHOWN)
        .order_by(ranked.c.question_id, ranked.c.place)
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in rows:
        texts[question_id].append(text)
    return texts


def _asked_if(question: Question, by_id: dict[int, Question]) -> str | None:
    source = by_id.get(question.show_if_question_id) if question.show_if_question_id else None
    if source is None:
        return None
    answers = " or ".join(f"“{option_label(source, key)}”" for key in question.show_if_values)
    name = source.name_in(source.survey.numbering)
    return f"Only asked of people who answered {answers} to {name}."


def published_on(survey: Survey) -> datetime | None:
    """When the results were first published, while they are published."""
    if survey.results_visibility is ResultsVisibility.ORGANISERS:
        return None
    return survey.results_published_at


def load_results(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the consultation and its survey, or 404 when it has none."""
    kwargs = load_survey(kwargs, sent=True)
    if kwargs["survey"] is None:
        abort(404)
    return kwargs


def count_submitted(survey: Survey) -> int:
    """How many responses the survey has been sent (`SentCount`, read by its key): with the
    area's data version, what names the kept results of a survey still taking responses. The
    first call after `load_results` takes the number it read with the survey (no statement);
    any later one asks again."""
    read = g.pop("survey_sent", None)
    if read is not None and read[0] == survey.id:
        return read[1]
    return db.session.scalar(select(SentCount.sent).where(SentCount.survey_id == survey.id)) or 0
