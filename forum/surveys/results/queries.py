"""Survey results: what people answered, counted in SQL, and how much of it each viewer sees.

Only submitted responses count. Choice and ranking answers are counted from `AnswerChoice`
(one row per chosen option), so a whole results page costs a fixed handful of queries
however many responses and questions there are: the totals by channel, the counts per option,
the number who answered each question, and (when the survey has them) the number statistics
and the newest text answers.

Organisers and the area's responders see every figure as it is. Everyone else sees a count
from 1 to 4 as "fewer than 5" with no percentage, sees no figures at all while fewer than 5
people have responded or for a filter that picks out fewer than 5, and sees number statistics
only when at least 5 people gave a number.

Written answers are words people wrote, not figures: organisers read them all; the area's
responders read only those of people who agreed to be quoted, and only when the forum chose to
share them (`Survey.shares_answers_with_partners`); nobody else reads any
(`permissions.written_answers_shown`).

A filter (`filters.Filter`) keeps the responses that chose one option of one choice question;
it is a subquery on `AnswerChoice.response_id`.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from flask import abort, current_app
from sqlalchemy import BigInteger, Text, and_, case, cast, func, or_, select

from forum.extensions import db
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResultsVisibility,
    Survey,
)
from forum.surveys.queries import counted, load_survey
from forum.surveys.results.disclosure import NOT_SHOWN, SMALL, Count, count_of, is_small
from forum.surveys.results.filters import Filter, option_label

#: which written answers a viewer reads: every one, only those of people who agreed to be
#: quoted, or none (`permissions.written_answers_shown`)
WrittenAnswers = Literal["all", "consented", "none"]

#: text answers listed for organisers and responders under each text question, newest first
TEXTS_SHOWN = 10
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
    #: the viewer sees every figure as it is (organisers and responders)
    exact: bool
    #: which written answers the viewer reads
    written: WrittenAnswers
    #: everyone who responded
    total: Count
    #: the responses shown: everyone, or those the filter keeps
    group: Count
    filter: Filter | None = None
    #: organisers and responders: how the responses shown reached the forum
    channels: list[tuple[ResponseChannel, int]] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)
    #: why no figures are shown, if they are not
    withheld: str | None = None


def _submitted(survey: Survey, chosen: Filter | None):
    """Conditions on `Response` for the responses counted: submitted, and in the filter's
    group."""
    conditions = [Response.survey_id == survey.id, counted()]
    if chosen is not None:
        conditions.append(Response.id.in_(_group_of(chosen)))
    return and_(*conditions)


def _group_of(chosen: Filter):
    return select(AnswerChoice.response_id).where(
        AnswerChoice.question_id == chosen.question.id, AnswerChoice.option_key == chosen.key
    )


def _totals(survey: Survey, chosen: Filter | None) -> tuple[int, dict[ResponseChannel, int]]:
    """Everyone who responded, and the responses in the group by channel: one query."""
    in_group = (
        func.sum(case((Response.id.in_(_group_of(chosen)), 1), else_=0))
        if chosen is not None
        else func.count()
    )
    rows = db.session.execute(
        select(Response.channel, func.count(), in_group)
        .where(_submitted(survey, None))
        .group_by(Response.channel)
    ).all()
    total = sum(row[1] for row in rows)
    channels = {ResponseChannel(row[0]): int(row[2] or 0) for row in rows}
    return total, channels


def _withheld(total: int, group: int, chosen: Filter | None, *, exact: bool) -> str | None:
    if total == 0:
        return "Nobody has responded yet."
    if not exact and total < SMALL:
        return f"Fewer than {SMALL} people have responded, so the results are not shown yet."
    if chosen is not None and group == 0:
        return f"Nobody who responded {chosen.describe}."
    if chosen is not None and not exact and group < SMALL:
        return (
            f"Fewer than {SMALL} people {chosen.describe}, so results for them are not shown. "
            "This keeps the people who answered from being recognised."
        )
    if chosen is not None and not exact and is_small(total - group):
        # Everyone's results minus this group's would give the results of the few others.
        return (
            f"Fewer than {SMALL} people did not answer that way, so results filtered like "
            "this are not shown: taken away from everyone's results, they would show what "
            "those few people said."
        )
    return None


def _protect_by_subtraction(options: list, counts: dict, *, answered: Count) -> None:
    """Each person gives one answer, so the counts add up to the number who answered: with
    that number shown and only one count withheld, the withheld one could be worked out by
    subtraction. Withhold the next smallest count too."""
    if answered.withheld:
        return
    withheld = [o for o in options if o.count.withheld]
    if len(withheld) != 1:
        return
    shown = [o for o in options if not o.count.withheld and o.count.value]
    if shown:
        smallest = min(shown, key=lambda o: (o.count.value, o.key))
        smallest.count = Count(None, instead=NOT_SHOWN)


@dataclass(frozen=True)
class Figures:
    """What the database says, before anything is withheld: plain values, safe to keep
    between requests."""

    total: int
    channels: dict
    answered: dict
    chosen_counts: dict
    numbers: dict
    texts: dict


#: figures kept for a short while, so a busy results page does not count 100,000 responses
#: on every request; a new or changed response changes the key at once
FIGURES_TTL = 60.0
_figures_lock = threading.Lock()
FIGURES_KEPT = 256


def _figures(
    survey: Survey,
    questions: list[Question],
    chosen: Filter | None,
    *,
    exact: bool,
    written: WrittenAnswers,
) -> Figures:
    version = db.session.execute(
        select(func.count(), func.max(Response.updated_at), func.max(Response.submitted_at)).where(
            Response.survey_id == survey.id, counted()
        )
    ).one()
    key = (
        survey.id,
        chosen.value if chosen else None,
        exact,
        written,
        tuple(version),
        tuple((q.id, q.kind.value) for q in questions),
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
    chosen: Filter | None,
    *,
    exact: bool,
    written: WrittenAnswers,
) -> Figures:
    total, channels = _totals(survey, chosen)
    group = sum(channels.values())
    if _withheld(total, group, chosen, exact=exact):
        return Figures(total, channels, {}, {}, {}, {})
    where = _submitted(survey, chosen)
    answered = dict(
        db.session.execute(
            select(Answer.question_id, func.count())
            .join(Response, Response.id == Answer.response_id)
            .where(where)
            .group_by(Answer.question_id)
        ).all()
    )
    kinds = {q.id: q.kind for q in questions}
    numbers = _number_stats(where, [q for q in questions if kinds[q.id] is QuestionKind.NUMBER])
    text_questions = [q for q in questions if kinds[q.id] in TEXT_KINDS]
    if written == "all":
        texts = _newest_texts(where, text_questions)
    elif written == "consented":
        texts = _newest_texts(and_(where, Response.may_quote.is_(True)), text_questions)
    else:
        texts = {}
    return Figures(total, channels, answered, _choice_counts(where), numbers, texts)


def survey_results(
    survey: Survey,
    questions: list[Question],
    *,
    exact: bool,
    chosen: Filter | None = None,
    written: WrittenAnswers = "none",
) -> Results:
    """The results of `survey` for one viewer: every figure when `exact`, small counts
    withheld otherwise; only the responses `chosen` keeps, when given; the written answers
    `written` says the viewer may read."""
    figures = _figures(survey, questions, chosen, exact=exact, written=written)
    total, channels = figures.total, figures.channels
    group = sum(channels.values())
    results = Results(
        exact=exact,
        written=written,
        total=count_of(total, exact=exact),
        group=count_of(group, exact=exact),
        filter=chosen,
        channels=[(c, channels.get(c, 0)) for c in ResponseChannel] if exact else [],
    )
    results.withheld = _withheld(total, group, chosen, exact=exact)
    if results.withheld:
        return results

    answered, chosen_counts = figures.answered, figures.chosen_counts
    numbers, texts = figures.numbers, figures.texts
    by_id = {q.id: q for q in questions}

    for question in questions:
        people = answered.get(question.id, 0)
        result = QuestionResult(
            question=question,
            answered=count_of(people, exact=exact),
            asked_if=_asked_if(question, by_id),
        )
        kind = question.kind
        counts = chosen_counts.get(question.id, {})
        if kind.is_choice:
            result.options = [
                OptionResult(key, option_label(question, key), count_of(n, exact=exact, of=people))
                for key, (n, _, _) in _in_order(question, counts)
            ]
            if not exact and kind is not QuestionKind.MULTIPLE_CHOICE:
                _protect_by_subtraction(result.options, counts, answered=result.answered)
        elif kind is QuestionKind.RANKING:
            result.options = _ranking(question, counts, people, exact=exact)
        elif kind is QuestionKind.NUMBER:
            stats = numbers.get(question.id)
            if stats is not None and (exact or people >= SMALL):
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
    return [(key, counts.get(key, (0, 0, None))) for key in keys + sorted(extra)]


def _choice_counts(where) -> dict[int, dict[str, tuple[int, int, float | None]]]:
    """(chosen, put first, average place) per question and option key: one query."""
    first = func.sum(case((AnswerChoice.rank == 1, 1), else_=0))
    rows = db.session.execute(
        select(
            AnswerChoice.question_id,
            AnswerChoice.option_key,
            func.count(),
            first,
            func.avg(AnswerChoice.rank),
        )
        .join(Response, Response.id == AnswerChoice.response_id)
        .where(where)
        .group_by(AnswerChoice.question_id, AnswerChoice.option_key)
    )
    counts: dict[int, dict[str, tuple]] = defaultdict(dict)
    for question_id, key, n, firsts, average in rows:
        counts[question_id][key] = (
            int(n),
            int(firsts or 0),
            float(average) if average is not None else None,
        )
    return counts


def _ranking(question: Question, counts: dict, people: int, *, exact: bool) -> list:
    """Each option with how many put it first; its average place when the viewer may see it
    (organisers always, others when at least 5 people ranked). Best average first."""
    show_average = exact or people >= SMALL
    options = [
        OptionResult(
            key,
            option_label(question, key),
            count=count_of(n, exact=exact, of=people),
            first=count_of(firsts, exact=exact, of=people),
            average_position=round(average, 1) if show_average and average is not None else None,
        )
        for key, (n, firsts, average) in _in_order(question, counts)
    ]
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
    return f"Only asked of people who answered {answers} to question {source.position}."


def published_on(survey: Survey) -> datetime | None:
    """When the results were first published, while they are published."""
    if survey.results_visibility is ResultsVisibility.ORGANISERS:
        return None
    return survey.results_published_at


def load_results(kwargs: dict) -> dict:
    """URL loader for `access(…)`: the consultation and its survey, or 404 when it has none."""
    kwargs = load_survey(kwargs)
    if kwargs["survey"] is None:
        abort(404)
    return kwargs
