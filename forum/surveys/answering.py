"""Answering a survey: reading what people sent, which questions they see, and keeping their
answers.

A person's response is one row from their first save to submission and after
(`Response.respondent_key` is unique within the survey), so a double click, a replay or twenty
identical submits at once still leave one response. Writes lock that row first, so two
requests for the same person queue rather than interleave.

Which questions someone sees follows their own answers: a question with a show-if condition is
shown only when the earlier question was answered with one of the named options, and a
question that is not shown is neither required nor stored (an answer given before the earlier
answer changed is removed). Questions hidden from new respondents are left out altogether.

Each function flushes and returns; the caller commits. A broken rule raises `AnswerError`,
whose message is safe to show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import (
    LONG_TEXT_MAX,
    OTHER,
    SHORT_TEXT_MAX,
    Answer,
    AnswerChoice,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
    Survey,
)
from forum.web.text import clean_text

#: people may enter numbers within this, either side of zero (the builder's own limit)
NUMBER_LIMIT = 1_000_000_000
OTHER_MAX = 200
#: references avoid letters and digits that are easy to confuse (0/O, 1/I/L)
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class AnswerError(ValueError):
    """The response cannot be changed that way; the message is safe to show."""


# --- who is responding ---------------------------------------------------------------------


def respondent_key(survey: Survey, *, user=None, resume_token: str | None = None) -> str:
    """The keyed hash that says "this person has a response to this survey".

    Keyed with the survey's own salt, so the same person has unrelated keys in different
    surveys; the salt is never shown, and nothing an organiser can see holds the key.
    """
    if user is not None and getattr(user, "is_authenticated", False):
        subject = f"user:{user.id}"
    elif resume_token:
        subject = f"resume:{resume_token}"
    else:
        raise ValueError("a respondent is a signed-in user or a resume token")
    return hmac.new(survey.salt.encode(), subject.encode(), hashlib.sha256).hexdigest()


def new_resume_token() -> str:
    return secrets.token_urlsafe(24)


def new_reference() -> str:
    """Nine characters in three groups, e.g. "K7P-3QX-9TD": easy to read out on the phone."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))
    return f"{chars[:3]}-{chars[3:6]}-{chars[6:]}"


def find_response(survey: Survey, key: str, *, lock: bool = False) -> Response | None:
    query = select(Response).where(Response.survey_id == survey.id, Response.respondent_key == key)
    if lock:
        # populate_existing: a row read earlier in this request is refreshed, so a response
        # another request submitted meanwhile is seen as submitted
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def response_for(survey: Survey, key: str, *, user=None) -> Response:
    """The person's response, made now as an empty draft if they have none. The row is locked.

    Two first saves at once both try to insert; the database keeps one and the other request
    takes that row.
    """
    found = find_response(survey, key, lock=True)
    if found is not None:
        return found
    response = Response(
        survey_id=survey.id,
        area_id=survey.area_id,
        user_id=None if survey.is_anonymous or user is None else user.id,
        respondent_key=key,
        reference=new_reference(),
    )
    _stamp(response, survey, created=True)
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        found = find_response(survey, key, lock=True)
        if found is None:  # pragma: no cover - the unique key is the only way to get here
            raise
        return found
    return response


def _stamp(response: Response, survey: Survey, *, created: bool = False, submitted=False) -> None:
    """Set the response's times. In anonymous surveys they are kept to the day, so they cannot
    be matched with anything else that happened at that minute."""
    now = utcnow()
    if survey.is_anonymous:
        now = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if created:
        response.created_at = now
    response.updated_at = now
    if submitted:
        response.submitted_at = now


# --- which questions are shown -------------------------------------------------------------


def shown_questions(questions: Iterable[Question], values: Mapping[int, object]) -> list[Question]:
    """The questions this person sees, given their answers so far (`values` by question id).

    Questions hidden from new respondents are left out; a show-if question is shown when its
    earlier question is shown and was answered with one of the named options.
    """
    shown: list[Question] = []
    shown_ids: set[int] = set()
    for question in questions:
        if question.is_hidden:
            continue
        if question.show_if_question_id is not None:
            if question.show_if_question_id not in shown_ids:
                continue
            chosen = _keys(values.get(question.show_if_question_id))
            if not chosen & set(question.show_if_values or ()):
                continue
        shown.append(question)
        shown_ids.add(question.id)
    return shown


def _keys(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)}


# --- reading what people sent --------------------------------------------------------------


@dataclass
class Given:
    """One question's answer as sent: `value` (None when left blank), the "please specify" text,
    and a message when it could not be accepted. `raw` keeps what was typed, to show again."""

    value: object = None
    other: str = ""
    error: str | None = None
    raw: object = None

    @property
    def blank(self) -> bool:
        return self.value is None or self.value == [] or self.value == ""


def read_answer(question: Question, form: Mapping, *, required: bool | None = None) -> Given:
    """Read and check one question's answer from submitted form data (`q<id>` names).

    Blank answers to required questions are an error only when `required` is true (saving a
    draft, or typing in a paper form, leaves them blank without complaint).
    """
    name = f"q{question.id}"
    kind = question.kind
    given = _read(question, kind, name, form)
    if given.error is None and given.blank and required:
        given.error = _blank_message(question)
    return given


def _getlist(form: Mapping, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return form.getlist(name)
    value = form.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _read(question: Question, kind: QuestionKind, name: str, form: Mapping) -> Given:
    keys = [c["value"] for c in question.choices]
    if kind in (
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.YES_NO,
        QuestionKind.SCALE,
        QuestionKind.CONSENT,
    ):
        sent = [v for v in _getlist(form, name) if v != ""]
        other = clean_text(form.get(f"{name}-other"))
        if not sent:
            return Given(other=other)
        if len(sent) > 1 or sent[0] not in keys:
            return Given(error="Choose one of the answers listed", other=other)
        return _with_other(question, sent[0], sent, other)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        sent = [v for v in _getlist(form, name) if v != ""]
        other = clean_text(form.get(f"{name}-other"))
        if any(v not in keys for v in sent):
            return Given(error="Choose from the answers listed", other=other, raw=sent)
        chosen = [k for k in keys if k in sent]
        return _with_other(question, chosen or None, chosen, other)
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        multiline = kind is QuestionKind.LONG_TEXT
        raw = form.get(name) or ""
        text = clean_text(raw, multiline=multiline)
        limit = SHORT_TEXT_MAX if not multiline else (question.max_length or LONG_TEXT_MAX)
        if len(text) > limit:
            return Given(error=f"Your answer must be {limit:,} characters or fewer", raw=text)
        return Given(value=text or None, raw=text)
    if kind is QuestionKind.NUMBER:
        return _read_number(question, clean_text(form.get(name)))
    if kind is QuestionKind.DATE:
        return _read_date(name, form)
    if kind is QuestionKind.RANKING:
        return _read_ranking(question, name, form, keys)
    raise AssertionError(kind)  # pragma: no cover


def _with_other(question: Question, value, chosen: list[str], other: str) -> Given:
    if len(other) > OTHER_MAX:
        return Given(
            error=f"What you wrote for “Other” must be {OTHER_MAX} characters or fewer",
            other=other,
            raw=chosen,
        )
    if question.has_other and OTHER in chosen:
        if not other:
            return Given(error="You chose “Other”: say what you mean in the box", raw=chosen)
        return Given(value=value, other=other, raw=chosen)
    return Given(value=value, raw=chosen)


_NUMBER = re.compile(r"-?[0-9]+")


def _read_number(question: Question, text: str) -> Given:
    if not text:
        return Given()
    plain = text.replace(",", "").replace(" ", "").replace("\u2212", "-")
    if not _NUMBER.fullmatch(plain):
        return Given(error="Enter a whole number, like 3 or 12", raw=text)
    number = int(plain)
    low = question.min_value if question.min_value is not None else -NUMBER_LIMIT
    high = question.max_value if question.max_value is not None else NUMBER_LIMIT
    if number < low or number > high:
        return Given(error=f"Enter a whole number from {low:,} to {high:,}", raw=text)
    return Given(value=number, raw=text)


def _read_date(name: str, form: Mapping) -> Given:
    parts = [clean_text(form.get(f"{name}-{part}")) for part in ("day", "month", "year")]
    raw = "-".join(reversed(parts)) if any(parts) else None
    if not any(parts):
        return Given()
    if not all(parts):
        missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        return Given(error=f"The date must include a {' and '.join(missing)}", raw=raw)
    if not all(p.isascii() and p.isdigit() for p in parts):
        return Given(error="Enter the date in numbers, like 27 3 2025", raw=raw)
    day, month, year = (int(p) for p in parts)
    if not 1900 <= year <= 2100:
        return Given(error="Enter a year with 4 numbers, like 2025", raw=raw)
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return Given(error="Enter a real date, like 27 3 2025", raw=raw)
    return Given(value=value.isoformat(), raw=value.isoformat())


def _read_ranking(question: Question, name: str, form: Mapping, keys: list[str]) -> Given:
    places = [clean_text(form.get(f"{name}-{n}")) for n in range(1, len(keys) + 1)]
    chosen = [p for p in places if p]
    if not chosen:
        return Given()
    if any(p not in keys for p in chosen):
        return Given(error="Choose from the options listed", raw=places)
    if len(set(chosen)) != len(chosen):
        return Given(error="Use each option once", raw=places)
    if len(chosen) != len(keys) or not all(places):
        return Given(error=f"Put all {len(keys)} options in order", raw=places)
    return Given(value=chosen, raw=chosen)


def _blank_message(question: Question) -> str:
    kind = question.kind
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return "Choose at least one answer"
    if kind.is_choice:
        return "Choose an answer"
    if kind is QuestionKind.NUMBER:
        return "Enter a number"
    if kind is QuestionKind.DATE:
        return "Enter a date"
    if kind is QuestionKind.RANKING:
        return "Put the options in order"
    return "Enter your answer"


def read_page(
    questions: list[Question],
    page: list[Question],
    form: Mapping,
    stored: Mapping[int, object],
    *,
    required: bool,
) -> tuple[dict[int, Given], list[Question]]:
    """Read the answers to the questions on one page.

    Returns what was sent for every question on the page and the page's questions that are
    shown given those answers and the stored ones: answers to the others are dropped, and
    only shown questions are required.
    """
    given = {q.id: read_answer(q, form) for q in page}
    values = dict(stored)
    for qid, g in given.items():
        values[qid] = g.value
    shown_ids = {q.id for q in shown_questions(questions, values)}
    shown = [q for q in page if q.id in shown_ids]
    for question in page:
        if question.id not in shown_ids:
            given[question.id] = Given()
    for question in shown:
        g = given[question.id]
        if required and g.error is None and g.blank and question.is_required:
            g.error = _blank_message(question)
    return given, shown


# --- keeping answers -----------------------------------------------------------------------


def stored_answers(response: Response | None) -> dict[int, Answer]:
    if response is None or response.id is None:
        return {}
    rows = db.session.scalars(select(Answer).where(Answer.response_id == response.id))
    return {a.question_id: a for a in rows}


def values_of(answers: Mapping[int, Answer]) -> dict[int, object]:
    return {qid: a.value for qid, a in answers.items()}


def save_answers(
    response: Response,
    questions: list[Question],
    given: Mapping[int, Given],
) -> None:
    """Store the accepted answers in `given` on the response, then drop every stored answer
    to a question that is no longer shown (its show-if answer changed) or was left blank.
    Answers with an error are not stored; what was stored before stays."""
    survey = db.session.get(Survey, response.survey_id)
    existing = stored_answers(response)
    for qid, g in given.items():
        if g.error is not None:
            continue
        answer = existing.get(qid)
        if g.blank:
            if answer is not None:
                db.session.delete(answer)
                del existing[qid]
            continue
        question = next(q for q in questions if q.id == qid)
        text = _text_of(question, g)
        if answer is None:
            answer = Answer(response_id=response.id, question_id=qid, value=g.value, text=text)
            db.session.add(answer)
            existing[qid] = answer
        elif answer.value != g.value or answer.text != text:
            answer.value, answer.text = g.value, text
            db.session.execute(delete(AnswerChoice).where(AnswerChoice.answer_id == answer.id))
        else:
            continue
        db.session.flush()
        _write_choices(question, answer)
    shown = {q.id for q in shown_questions(questions, values_of(existing))}
    known = {q.id for q in questions if not q.is_hidden}
    for qid, answer in list(existing.items()):
        if qid in known and qid not in shown:
            db.session.delete(answer)
    _stamp(response, survey)
    db.session.flush()


def _text_of(question: Question, given: Given) -> str | None:
    if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return given.value
    return given.other or None


def _write_choices(question: Question, answer: Answer) -> None:
    kind = question.kind
    if kind is QuestionKind.RANKING:
        rows = [(key, rank) for rank, key in enumerate(answer.value, start=1)]
    elif kind is QuestionKind.MULTIPLE_CHOICE:
        rows = [(key, None) for key in answer.value]
    elif kind.is_choice:
        rows = [(answer.value, None)]
    else:
        return
    db.session.add_all(
        AnswerChoice(
            answer_id=answer.id,
            response_id=answer.response_id,
            question_id=answer.question_id,
            option_key=key,
            rank=rank,
        )
        for key, rank in rows
    )


def missing_answers(questions: list[Question], values: Mapping[int, object]) -> list[Question]:
    """Shown, required questions without an answer."""
    return [
        q
        for q in shown_questions(questions, values)
        if q.is_required and values.get(q.id) in (None, "", [])
    ]


def submit(response: Response, questions: list[Question], *, actor=None) -> bool:
    """Submit the response if every shown required question is answered. Returns False when
    it was already submitted (nothing changes)."""
    if response.is_submitted:
        return False
    survey = db.session.get(Survey, response.survey_id)
    values = values_of(stored_answers(response))
    missing = missing_answers(questions, values)
    if missing:
        raise AnswerError(f"Answer “{missing[0].prompt}” before you send your answers")
    response.status = ResponseStatus.SUBMITTED
    response.may_quote = _consents(questions, values)
    _stamp(response, survey, submitted=True)
    db.session.flush()
    # Anonymous responses are recorded without the person, and without the response's id,
    # which would otherwise join the audit entry's actor to the answers.
    if survey.is_anonymous:
        record("survey.response_submitted", survey, area=_area(survey))
    else:
        record(
            "survey.response_submitted",
            response,
            actor=actor,
            area=_area(survey),
            channel=response.channel.value,
        )
    return True


def after_edit(response: Response, questions: list[Question]) -> None:
    """A submitted response was changed: it must still answer every required question, and
    its consent follows the new answer."""
    values = values_of(stored_answers(response))
    missing = missing_answers(questions, values)
    if missing:
        raise AnswerError(f"Answer “{missing[0].prompt}” before you save your changes")
    response.may_quote = _consents(questions, values)
    db.session.flush()


def _consents(questions: list[Question], values: Mapping[int, object]) -> bool:
    consent = [q for q in shown_questions(questions, values) if q.kind is QuestionKind.CONSENT]
    return bool(consent) and all(values.get(q.id) == "yes" for q in consent)


def enter_response(
    survey: Survey,
    questions: list[Question],
    given: Mapping[int, Given],
    *,
    channel: ResponseChannel,
    actor,
) -> Response:
    """An organiser types in a response received on paper, by phone or at an event. It has no
    person attached and is submitted at once; blank questions stay unanswered."""
    if channel is ResponseChannel.ONLINE:
        raise AnswerError("Choose how the response reached you")
    response = Response(
        survey_id=survey.id,
        area_id=survey.area_id,
        channel=channel,
        entered_by_id=actor.id,
        reference=new_reference(),
    )
    _stamp(response, survey, created=True)
    db.session.add(response)
    db.session.flush()
    save_answers(response, questions, given)
    values = values_of(stored_answers(response))
    response.status = ResponseStatus.SUBMITTED
    response.may_quote = _consents(questions, values)
    _stamp(response, survey, submitted=True)
    db.session.flush()
    record(
        "survey.response_entered", response, actor=actor, area=_area(survey), channel=channel.value
    )
    return response


def _area(survey: Survey):
    from forum.areas.models import Area

    return db.session.get(Area, survey.area_id)
