"""Writing consent to be quoted: recording each change with the words the person saw, withdrawing
and giving it again, and the private link for people without an account.

Each function flushes and returns; the caller commits. A broken rule raises `ConsentError`,
whose message is safe to show.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sqlalchemy import select, update

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.answering.keys import new_quote_token, token_digest
from forum.surveys.answering.queries import stored_answers, values_of
from forum.surveys.answering.show_if import shown_questions
from forum.surveys.consent.permissions import can_give_consent
from forum.surveys.models import (
    Answer,
    AnswerChoice,
    ConsentChange,
    Question,
    QuestionKind,
    QuoteConsent,
    Response,
    ResponseStatus,
    Survey,
)

#: the words on the quoting page's buttons, kept in the history exactly as shown
WITHDRAW_WORDING = (
    "Stop quoting my words. The forum will not quote anything I wrote in this survey, "
    "anywhere, from now on."
)
ON_REQUEST_WORDING = (
    "The person asked the forum to stop quoting their words, and an organiser withdrew "
    "consent for them."
)
GIVE_WORDING = (
    "You may quote my words, without my name, in what the forum publishes about this consultation."
)


class ConsentError(Refused):
    """Consent cannot be changed that way; the message is safe to show."""


def answer_wording(questions: Sequence[Question], values: Mapping[int, object]) -> str:
    """The consent questions the person was shown, each with its hint and their answer, as
    they read them."""
    parts = []
    for question in shown_questions(list(questions), dict(values)):
        if question.kind is not QuestionKind.CONSENT:
            continue
        asked = question.prompt + (f" {question.hint}" if question.hint else "")
        value = values.get(question.id)
        answer = question.label_of(str(value)) if value is not None else "Not answered"
        parts.append(f"{asked}\nAnswer: {answer}")
    return "\n\n".join(parts)


def _record(response: Response, survey: Survey, *, given: bool, change, wording: str) -> None:
    now = utcnow()
    if survey.is_anonymous:
        # Kept to the day, like the response's own times, so it matches nothing else.
        now = now.replace(hour=0, minute=0, second=0, microsecond=0)
    db.session.add(
        QuoteConsent(
            response_id=response.id,
            area_id=response.area_id,
            is_given=given,
            change=change,
            wording=wording,
            recorded_at=now,
        )
    )


def record_answer(
    response: Response,
    survey: Survey,
    questions: Sequence[Question],
    *,
    change: ConsentChange = ConsentChange.ANSWERED,
    values: Mapping[int, object] | None = None,
) -> None:
    """The response was sent (or its consent answer changed): keep what it says now, with the
    question's words. Surveys that ask no consent question keep no history. `values`: the
    response's answers by question id, when the caller has them (else they are read)."""
    if not any(q.kind is QuestionKind.CONSENT for q in questions):
        return
    if values is None:
        values = values_of(stored_answers(response))
    wording = answer_wording(questions, values)
    if not wording:
        return
    _record(response, survey, given=response.may_quote, change=change, wording=wording)
    db.session.flush()


def _set_consent_answers(response: Response, questions: Sequence[Question], key: str) -> None:
    """Make the response's answers to the consent questions say `key` ("yes" or "no"), so its
    answers, the survey's counts and any later edit agree with the consent as it stands. Other
    answers are untouched."""
    existing = stored_answers(response)
    values = values_of(existing)
    for question in shown_questions(list(questions), values):
        if question.kind is not QuestionKind.CONSENT:
            continue
        answer = existing.get(question.id)
        if answer is None:
            answer = Answer(response_id=response.id, question_id=question.id, value=key)
            db.session.add(answer)
            db.session.flush()
            db.session.add(
                AnswerChoice(
                    answer_id=answer.id,
                    response_id=response.id,
                    question_id=question.id,
                    option_key=key,
                )
            )
        elif answer.value != key:
            answer.value = key
            db.session.execute(
                update(AnswerChoice)
                .where(AnswerChoice.answer_id == answer.id)
                .values(option_key=key)
                .execution_options(synchronize_session=False)
            )
    db.session.flush()


def withdraw(
    response: Response,
    survey: Survey,
    questions: Sequence[Question],
    *,
    wording: str = WITHDRAW_WORDING,
) -> bool:
    """Take back consent to be quoted, at any time. The person's words leave every published
    page and file at once, since they are all read through `may_quote`. Returns False when
    consent was not given (nothing changes)."""
    if not response.may_quote:
        return False
    response.may_quote = False
    _set_consent_answers(response, questions, "no")
    _record(response, survey, given=False, change=ConsentChange.WITHDRAWN, wording=wording)
    db.session.flush()
    return True


def give(response: Response, survey: Survey, questions: Sequence[Question]) -> bool:
    """Give consent again, only while the consultation is open. Returns False when it is
    given already."""
    if response.may_quote:
        return False
    if not can_give_consent(survey.consultation):
        raise ConsentError(
            "The consultation has closed, so consent to be quoted can no longer be given"
        )
    response.may_quote = True
    _set_consent_answers(response, questions, "yes")
    _record(response, survey, given=True, change=ConsentChange.GIVEN, wording=GIVE_WORDING)
    db.session.flush()
    return True


def new_link(response: Response) -> str:
    """A new private link for changing consent; any earlier link stops working. Only its
    digest is stored, and it is a random secret, so it says nothing about who holds it."""
    token = new_quote_token()
    response.quote_token_digest = token_digest(token)
    db.session.flush()
    return token


def normal_reference(typed: str) -> str:
    """A reference as stored ("K7P-3QX-9TD"), however it was typed or read out: any case,
    with or without dashes or spaces."""
    chars = re.sub(r"[^0-9A-Za-z]", "", typed or "").upper()
    return f"{chars[:3]}-{chars[3:6]}-{chars[6:]}" if len(chars) == 9 else chars


def withdraw_on_request(
    survey: Survey, questions: Sequence[Question], reference: str, *, actor
) -> Response:
    """An organiser withdraws consent for someone who asked (by phone, email or letter), found
    by the reference on their confirmation. Works for every response, paper and anonymous ones
    too; the audit entry names the organiser and the reference, never the person."""
    response = db.session.scalar(
        select(Response).where(
            Response.survey_id == survey.id,
            Response.reference == normal_reference(reference),
            Response.status == ResponseStatus.SUBMITTED,
        )
    )
    if response is None:
        raise ConsentError(
            "No sent response to this survey has that reference. Check it with the person",
            field="reference",
        )
    if not response.may_quote:
        raise ConsentError(
            f"The forum already does not quote response {response.reference}", field="reference"
        )
    withdraw(response, survey, questions, wording=ON_REQUEST_WORDING)
    from forum.areas.models import Area

    record(
        "survey.quote_consent_withdrawn",
        survey,
        actor=actor,
        area=db.session.get(Area, survey.area_id),
        reference=response.reference,
    )
    return response
