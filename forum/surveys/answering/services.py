"""Keeping people's answers: their response from first save to submission, and responses typed
in by organisers.

A person's response is one row from their first save to submission and after
(`Response.respondent_key` is unique within the survey), so a double click, a replay or twenty
identical submits at once still leave one response. Writes lock that row first, so two
requests for the same person queue rather than interleave. An answer to a question that is no
longer shown (its show-if answer changed) is removed.

Each function flushes and returns; the caller commits. A broken rule raises `AnswerError`,
whose message is safe to show.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from forum.accounts.queries import normalise_email
from forum.areas import data_versions
from forum.audit.services import record
from forum.database import Upsert
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email
from forum.surveys.answering.forms import Given
from forum.surveys.answering.keys import new_reference, tracking_hash
from forum.surveys.answering.limits import Signals
from forum.surveys.answering.queries import find_response, stored_answers, values_of
from forum.surveys.answering.show_if import missing_answers, shown_questions
from forum.surveys.consent import services as consent
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    ConsentChange,
    CountedEmail,
    EmailConfirmation,
    Question,
    QuestionKind,
    Response,
    ResponseChannel,
    ResponseStatus,
    SentCount,
    Survey,
)
from forum.surveys.quarantine.services import HONEYPOT


class AnswerError(Refused):
    """The response cannot be changed that way; the message is safe to show."""


def response_for(survey: Survey, key: str, *, user=None, seen_none: bool = False) -> Response:
    """The person's response, made now as an empty draft if they have none. The row is locked.

    Two first saves at once both try to insert; the database keeps one and the other request
    takes that row. `seen_none`: the caller has just looked in this transaction and found
    none, so the draft is inserted without looking again (one made meanwhile is caught by
    the unique key, as above).
    """
    found = None if seen_none else find_response(survey, key, lock=True)
    if found is not None:
        return found
    response = Response(
        survey_id=survey.id,
        area_id=survey.area_id,
        user_id=None if survey.is_anonymous or user is None else user.id,
        respondent_key=key,
        reference=new_reference(),
        # A signed-in account vouches for it, also in an anonymous survey (only this yes is
        # kept); answers sent without an account could be made in bulk (`forum.disclosure`).
        vouched=user is not None,
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
    # Made by this request, so nothing is stored on it yet: `save_answers` need not look.
    response.made_now = True
    return response


#: the upsert of `count_sent`, built once for each engine
_COUNT_SENT = Upsert(SentCount, key="survey_id", add=("sent",))


def count_sent(survey_id: int) -> None:
    """One more response sent to the survey (`SentCount`: what names its kept results while it
    takes responses). One upsert, no read."""
    _COUNT_SENT.run(db.session, survey_id=survey_id, sent=1)


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


# --- keeping answers -----------------------------------------------------------------------


def reach(response: Response, position: int) -> None:
    """Remember how far a one-question-per-page respondent has got (it never goes back), so
    the start page can send them on from there."""
    response.reached = max(response.reached, position)


def save_answers(
    response: Response,
    questions: list[Question],
    given: Mapping[int, Given],
) -> dict[int, Answer]:
    """Store the accepted answers in `given` on the response, then drop every stored answer
    to a question that is no longer shown (its show-if answer changed) or was left blank.
    Answers with an error are not stored; what was stored before stays. Returns the answers
    the response holds now, by question id (for `submit`, so it need not read them again).

    New answers go in with one INSERT, and their chosen options with one more, however many
    questions the page asks."""
    survey = cast(Survey, db.session.get(Survey, response.survey_id))  # NOT NULL FK
    existing = {} if response.made_now else stored_answers(response)
    by_id = {q.id: q for q in questions}
    changed: list[tuple[Question, Answer]] = []
    new_rows: list[dict] = []
    for qid, g in given.items():
        if g.error is not None:
            continue
        answer = existing.get(qid)
        if g.blank:
            if answer is not None:
                db.session.delete(answer)
                del existing[qid]
            continue
        question = by_id[qid]
        text = _text_of(question, g)
        if answer is None:
            new_rows.append(
                {"response_id": response.id, "question_id": qid, "value": g.value, "text": text}
            )
            continue
        if answer.value != g.value or answer.text != text:
            answer.value, answer.text = cast(dict | list | str | int | None, g.value), text
            db.session.execute(delete(AnswerChoice).where(AnswerChoice.answer_id == answer.id))
            changed.append((question, answer))
    if new_rows:
        # One INSERT for them all, giving back the answers with their ids (the ORM's flush
        # sent one statement per answer). Not in the rows' order (SQLite cannot promise it
        # for a multi-row INSERT), so each is placed by its question; NULLs are written out
        # so that rows with and without text stay in the one statement.
        made = db.session.scalars(
            insert(Answer).returning(Answer).execution_options(render_nulls=True), new_rows
        ).all()
        for answer in made:
            existing[answer.question_id] = answer
            changed.append((by_id[answer.question_id], answer))
    if changed:
        db.session.flush()  # the changed answers, before their chosen options go in
        choices = [row for question, answer in changed for row in _choice_rows(question, answer)]
        if choices:
            db.session.execute(insert(AnswerChoice.__table__), choices)
    shown = {q.id for q in shown_questions(questions, values_of(existing))}
    known = {q.id for q in questions if not q.is_hidden}
    for qid, answer in list(existing.items()):
        if qid in known and qid not in shown:
            db.session.delete(answer)
            del existing[qid]
    if not response.made_now:  # one made by this request was stamped as it was made
        _stamp(response, survey)
    db.session.flush()
    response.made_now = False  # it may hold answers now: a later save reads them
    return existing


def _text_of(question: Question, given: Given) -> str | None:
    if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return cast(str | None, given.value)
    return given.other or None


def _choice_rows(question: Question, answer: Answer) -> list[dict]:
    """The options `answer` chose, as rows for `AnswerChoice` (ranked in order for ranking)."""
    kind = question.kind
    rows: list[tuple[str, int | None]]
    if kind is QuestionKind.RANKING:
        rows = [(key, rank) for rank, key in enumerate(cast(list, answer.value), start=1)]
    elif kind is QuestionKind.MULTIPLE_CHOICE:
        rows = [(key, None) for key in cast(list, answer.value)]
    elif kind.is_choice:
        rows = [(cast(str, answer.value), None)]
    else:
        return []
    return [
        {
            "answer_id": answer.id,
            "response_id": answer.response_id,
            "question_id": answer.question_id,
            "option_key": key,
            "rank": rank,
        }
        for key, rank in rows
    ]


def submit(
    response: Response,
    questions: list[Question],
    *,
    actor=None,
    user=None,
    signals: Signals | None = None,
    honeypot: bool = False,
    answers: Mapping[int, Answer] | None = None,
) -> bool:
    """Submit the response if every shown required question is answered. Returns False when
    it was already submitted (nothing changes).

    `user`: the signed-in person, if any (in anonymous surveys `actor` is None even then).
    `signals`: the keyed hashes of the device and address it came from, kept for the burst
    view. `honeypot`: the hidden field was filled in, so the response is quarantined at once;
    nothing the sender sees changes. When the survey requires a confirmed email address, a
    signed-in person's confirmed account address counts at once (one response per address);
    anyone else's response waits for `confirm_email`. `answers`: what `save_answers` just
    returned, when it did (else they are read)."""
    if response.is_submitted:
        return False
    survey = cast(Survey, db.session.get(Survey, response.survey_id))  # NOT NULL FK
    values = values_of(stored_answers(response) if answers is None else answers)
    missing = missing_answers(questions, values)
    if missing:
        raise AnswerError(f"Answer “{missing[0].prompt}” before you send your answers")
    if survey.requires_confirmed_email:
        if user is not None and user.is_verified:
            _count_address(survey, user.email, mine=True)
            response.verified_at = _day_or_now(survey)
        else:
            response.is_awaiting_email = True
    response.status = ResponseStatus.SUBMITTED
    response.may_quote = _consents(questions, values)
    response.answers_hash = answers_hash(values)
    if signals is not None:
        response.device_hash, response.address_hash = signals.device, signals.address
        response.sent_hour = utcnow().replace(minute=0, second=0, microsecond=0)
    if honeypot:
        response.quarantined_at = utcnow()
        response.quarantine_reason = HONEYPOT
    _stamp(response, survey, submitted=True)
    db.session.flush()  # every change above in one UPDATE, before the count's upsert
    count_sent(survey.id)
    consent.record_answer(response, survey, questions, values=values)
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
    before = response.may_quote
    response.may_quote = _consents(questions, values)
    response.answers_hash = answers_hash(values)
    db.session.flush()
    data_versions.touch(response.area_id)  # responses move no version themselves
    if response.may_quote != before:
        survey = cast(Survey, db.session.get(Survey, response.survey_id))  # NOT NULL FK
        consent.record_answer(response, survey, questions, change=ConsentChange.CHANGED_ANSWER)


def answers_hash(values: Mapping[int, object]) -> str:
    """A hash of the answers given (question ids and values), so that responses with
    identical answers can be grouped on the burst view."""
    canonical = json.dumps(sorted((str(k), v) for k, v in values.items()), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _day_or_now(survey: Survey):
    now = utcnow()
    return now.replace(hour=0, minute=0, second=0, microsecond=0) if survey.is_anonymous else now


def _count_address(survey: Survey, email: str, *, mine: bool = False) -> bool:
    """Record that this address has a counted response in the survey; False (nothing
    recorded) if it already had one. `mine`: a signed-in person's own address, refused with
    a message rather than False."""
    digest = tracking_hash(survey, "email", normalise_email(email))
    try:
        with db.session.begin_nested():
            db.session.add(CountedEmail(survey_id=survey.id, email_hash=digest))
    except IntegrityError:
        if mine:
            raise AnswerError(
                "A response confirmed from your email address has already been counted in "
                "this survey. Each address counts once"
            ) from None
        return False
    return True


# --- confirming an email address -------------------------------------------------------------

#: how long a confirmation link works
CONFIRM_HOURS = 72


def ask_to_confirm(response: Response, email: str, *, link_for) -> EmailConfirmation:
    """Send a link to `email` that makes the response count when followed. Only a keyed hash
    of the address is stored; the outbox forgets the address once the email has gone. A new
    link replaces any earlier one for the response. `link_for(token)` gives the link."""
    if not (response.is_submitted and response.is_awaiting_email):
        raise AnswerError("This response does not need an email address confirming")
    survey = cast(Survey, db.session.get(Survey, response.survey_id))  # NOT NULL FK
    db.session.execute(
        delete(EmailConfirmation).where(EmailConfirmation.response_id == response.id)
    )
    token = secrets.token_urlsafe(32)
    confirmation = EmailConfirmation(
        survey_id=survey.id,
        response_id=response.id,
        token_digest=token_digest(token),
        email_hash=tracking_hash(survey, "email", normalise_email(email)),
        expires_at=utcnow() + timedelta(hours=CONFIRM_HOURS),
    )
    db.session.add(confirmation)
    message = queue_email(
        normalise_email(email),
        "survey_confirm_response",
        kind="survey_confirm_response",
        consultation=survey.consultation,
        link=link_for(token),
        hours=CONFIRM_HOURS,
    )
    # Someone without an account: their address is not kept once the email has gone.
    message.is_forgotten_once_sent = True
    db.session.flush()
    return confirmation


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_confirmation(survey: Survey, token: str) -> EmailConfirmation | None:
    """The live confirmation with this link's token, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(EmailConfirmation).where(
            EmailConfirmation.survey_id == survey.id,
            EmailConfirmation.token_digest == token_digest(token),
            EmailConfirmation.expires_at > utcnow(),
        )
    )


def confirm_email(confirmation: EmailConfirmation) -> bool:
    """Follow a confirmation link: the response counts, unless a response from the same
    address already does (False). Either way the link is used up, and with it the only row
    that joined the response to the address's hash."""
    survey = cast(Survey, db.session.get(Survey, confirmation.survey_id))  # NOT NULL FK
    response = cast(Response, db.session.get(Response, confirmation.response_id))
    data_versions.touch(response.area_id)  # it may count now: results change
    digest = confirmation.email_hash
    db.session.execute(
        delete(EmailConfirmation).where(EmailConfirmation.response_id == response.id)
    )
    try:
        with db.session.begin_nested():
            db.session.add(CountedEmail(survey_id=survey.id, email_hash=digest))
    except IntegrityError:
        db.session.flush()
        return False
    response.is_awaiting_email = False
    response.verified_at = _day_or_now(survey)
    # one response per confirmed address cannot be made in bulk: it counts towards publishing
    response.vouched = True
    db.session.flush()
    record("survey.response_confirmed", survey, area=_area(survey))
    return True


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
    contact_email: str | None = None,
) -> Response:
    """An organiser types in a response received on paper, by phone or at an event. It has no
    person attached and is submitted at once; blank questions stay unanswered. `contact_email`
    (checked by `contacts.check_contact`) is kept for telling the person what happened."""
    if channel is ResponseChannel.ONLINE:
        raise AnswerError("Choose how the response reached you")
    response = Response(
        survey_id=survey.id,
        area_id=survey.area_id,
        channel=channel,
        entered_by_id=actor.id,
        reference=new_reference(),
        # The forum received it on paper, by phone or at an event.
        vouched=True,
    )
    _stamp(response, survey, created=True)
    db.session.add(response)
    db.session.flush()
    data_versions.touch(survey.area_id)  # shown in the results at once, though untracked
    response.made_now = True
    values = values_of(save_answers(response, questions, given))
    response.status = ResponseStatus.SUBMITTED
    response.may_quote = _consents(questions, values)
    response.answers_hash = answers_hash(values)
    _stamp(response, survey, submitted=True)
    db.session.flush()  # every change above in one UPDATE, before the count's upsert
    count_sent(survey.id)
    consent.record_answer(response, survey, questions, values=values)
    record(
        "survey.response_entered", response, actor=actor, area=_area(survey), channel=channel.value
    )
    if contact_email:
        from forum.surveys.answering.contacts import save_contact

        save_contact(response, contact_email, actor=actor)
    return response


def _area(survey: Survey):
    from forum.areas.models import Area

    return db.session.get(Area, survey.area_id)


# --- anonymous surveys, sealed at closing --------------------------------------------------


def ensure_salt(survey: Survey) -> None:
    """A sealed anonymous survey that has opened again (its closing date moved later) gets a
    new salt before anyone's key is made with it. Nothing links the people who answered
    before it closed to their answers any more, so they may answer again. Two first answers at
    once both try; the database keeps the first salt and both requests use it."""
    if survey.salt is not None:
        return
    db.session.execute(
        update(Survey)
        .where(Survey.id == survey.id, Survey.salt.is_(None))
        .values(salt=secrets.token_hex(16))
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(survey, ["salt"])


def needs_sealing(survey: Survey, consultation, now: datetime | None = None) -> bool:
    """An anonymous survey whose consultation has closed, still holding its salt."""
    return (
        survey.is_anonymous
        and survey.salt is not None
        and consultation.closes_at <= (now or utcnow())
    )


def seal(survey: Survey, *, actor=None) -> bool:
    """Make a closed anonymous survey's responses impossible to match with anyone's account:
    every response's key goes, the salt that keyed them is destroyed, and responses that were
    never sent are deleted with their answers. Sent answers stay and are counted as before.

    Nothing else stored joins an anonymous response to a person: it has no account id, its
    times are kept to the day, its audit entry names no one and no response, and its private
    quoting link is a random secret of which only a digest is kept. Returns False when there
    was nothing to do (sealed already)."""
    if not survey.is_anonymous or survey.salt is None:
        return False
    drafts = db.session.execute(
        delete(Response)
        .where(Response.survey_id == survey.id, Response.status == ResponseStatus.DRAFT)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Response)
        .where(Response.survey_id == survey.id, Response.respondent_key.is_not(None))
        .values(respondent_key=None)
        .execution_options(synchronize_session=False)
    )
    survey.salt = None
    survey.sealed_at = utcnow()
    db.session.flush()
    record(
        "survey.sealed",
        survey,
        actor=actor,
        area=_area(survey),
        drafts_deleted=cast(CursorResult, drafts).rowcount,
    )
    return True


def seal_if_closed(survey: Survey | None, consultation) -> bool:
    """Seal the survey now if its consultation has closed (the first read after closing does
    it, so no page ever works from a salt that should be gone)."""
    if survey is None or not needs_sealing(survey, consultation):
        return False
    return seal(survey)


def seal_closed_surveys(now: datetime) -> int:
    """Every closed anonymous survey still holding a salt is sealed: the periodic job's part,
    for surveys nobody has opened since they closed. Returns how many were sealed."""
    from forum.consultations.models import Consultation

    surveys = db.session.scalars(
        select(Survey)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(
            Survey.is_anonymous.is_(True),
            Survey.salt.is_not(None),
            Consultation.closes_at <= now,
        )
        .order_by(Survey.id)
    ).all()
    return sum(seal(survey) for survey in surveys)


def seal_on_close(consultation, *, actor=None) -> None:
    """`hooks.consultation_closed`: an organiser closed the consultation early."""
    from forum.surveys.queries import get_survey

    survey = get_survey(consultation)
    if survey is not None:
        seal(survey, actor=actor)
