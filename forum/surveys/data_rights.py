"""What surveys hold about a person, for their download and for deleting their account.

Named responses carry the person's account; anonymous ones do not, so they are neither shown
nor can be found by anyone, and stay as they are. When an account is deleted its named
responses become anonymous and stay in every count: the account and the respondent key go,
the reference is replaced, the times are kept to the day as in anonymous surveys, and consent
to quote lapses. The person's written words (text answers, "Other" details) and dates are
erased, because they are what could still point back to them (a child's school, a date of
birth), while choices, scales and numbers stay, since the counts are made of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import delete, func, select, update

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.areas.models import Area
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.answering.keys import new_reference, respondent_key
from forum.surveys.consent.queries import consent_history_for
from forum.surveys.models import (
    CONSENT_CHOICES,
    Answer,
    AnswerCode,
    Code,
    ConsentChange,
    Question,
    QuestionKind,
    QuoteConsent,
    Response,
    ResponseStatus,
    Survey,
)
from forum.web.time import iso_date

#: what stands in place of a deleted person's written answer
REMOVED = "[Removed: the person who wrote this deleted their account]"
#: the consent-to-quote answer in the person's words (`CONSENT_CHOICES`)
_CONSENT_WORDS = {choice["value"]: choice["label"] for choice in CONSENT_CHOICES}


def _batched(items: Iterable, size: int = 500) -> Iterator[list]:
    """Lists of at most `size` items, so an IN (…) stays within what every database takes."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _answer_words(question: Question, answer: Answer) -> str | None:
    value = answer.value
    if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return answer.text if answer.text is not None else (str(value) if value else None)
    if value is None:
        return None
    if question.kind is QuestionKind.DATE:
        return iso_date(str(value))
    if isinstance(value, list):
        words = ", ".join(question.label_of(str(key)) for key in value)
    elif question.kind.is_choice or question.kind.has_options:
        words = question.label_of(str(value))
    else:
        words = str(value)
    if answer.text:
        words = f"{words}: {answer.text}"
    return words


def _consents(response: Response, title: str, given: list[tuple[Question, Answer]]) -> list:
    """The consent-to-quote answers of one response: the question's wording, the choice in
    the person's words, and when it was given.

    Used for responses sent before consent history was kept; a response with a history
    (`consent.queries.consent_history_for`) shows that instead.
    """
    return [
        {
            "consultation": title,
            "question": question.prompt,
            "answer": _CONSENT_WORDS.get(str(answer.value), str(answer.value)),
            "given_at": response.submitted_at or response.updated_at,
            "may_quote": bool(response.may_quote),
        }
        for question, answer in given
        if question.kind is QuestionKind.CONSENT
    ]


def personal_data(user: User) -> list[PersonalData]:
    rows = db.session.execute(
        select(Response, Consultation.title, Area.forum_name)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .join(Area, Area.id == Response.area_id)
        .where(Response.user_id == user.id)
        .order_by(Response.created_at.desc(), Response.id.desc())
    ).all()
    ids = [response.id for response, _, _ in rows]
    answers: dict[int, list[tuple[Question, Answer]]] = defaultdict(list)
    if ids:
        for answer, question in db.session.execute(
            select(Answer, Question)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id.in_(ids))
            .order_by(Question.position)
        ):
            answers[answer.response_id].append((question, answer))
    responses: list[dict] = []
    consents: list[dict] = []
    history = consent_history_for(user)
    with_history = {record["response_reference"] for record in history}
    for response, title, forum_name in rows:
        given = answers[response.id]
        responses.append(
            {
                "consultation": title,
                "forum": forum_name,
                "reference": response.reference,
                "status": "Sent" if response.is_submitted else "Started, not sent",
                "started_at": response.created_at,
                "submitted_at": response.submitted_at,
                "answers": [
                    {
                        "question": question.prompt,
                        "answer": _answer_words(question, answer),
                        "value": answer.value,
                    }
                    for question, answer in given
                ],
            }
        )
        if response.reference not in with_history:
            consents += _consents(response, title, given)
    consents = [
        {
            "consultation": record["consultation"],
            "question": record["wording"],
            "answer": record["change_label"]
            + (": may quote" if record["may_quote"] else ": may not quote"),
            "given_at": record["recorded_at"],
        }
        for record in history
    ] + consents
    return [
        PersonalData(
            key="survey_responses",
            title="Your answers to surveys",
            about=(
                "Answers you gave to surveys that are not anonymous, with your name. The "
                "forum's organisers and its partners' officers can read them."
            ),
            when_deleted=(
                "They become anonymous and still count in the results. The words you wrote, "
                "and any dates you gave, are removed; your choices stay, without your name."
            ),
            labels={
                "consultation": "Consultation",
                "forum": "Forum",
                "reference": "Reference",
                "status": "Status",
                "started_at": "Started",
                "submitted_at": "Sent",
                "answers": "Answers",
                "question": "Question",
                "answer": "Your answer",
            },
            records=responses,
            empty="You have not answered any survey with your name.",
        ),
        PersonalData(
            key="consents",
            title="Your consent to be quoted",
            about=(
                "When a survey asked whether the forum may quote your words without your "
                "name, this is the question you saw, what you chose, and when; and each "
                "time you withdrew or gave consent again."
            ),
            when_deleted="Your consent ends: nothing you wrote can be quoted any more.",
            labels={
                "consultation": "Consultation",
                "question": "Question",
                "answer": "Your answer",
                "given_at": "When",
            },
            records=consents,
            empty="No survey has asked you for consent to quote your words.",
        ),
        _work(user),
    ]


def _work(user: User) -> PersonalData:
    entered = db.session.execute(
        select(Response.reference, Response.channel, Response.created_at, Consultation.title)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Response.entered_by_id == user.id)
        .order_by(Response.created_at.desc())
    ).all()
    codes = db.session.execute(
        select(Code.name, Code.created_at, Consultation.title)
        .join(Survey, Survey.id == Code.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Code.created_by_id == user.id)
        .order_by(Code.created_at.desc())
    ).all()
    tagged = db.session.scalar(
        select(func.count()).select_from(AnswerCode).where(AnswerCode.tagged_by_id == user.id)
    )
    records = [
        {
            "what": f"Typed in a response received {channel.label.lower()} ({reference})",
            "consultation": title,
            "at": at,
        }
        for reference, channel, at, title in entered
    ] + [
        {"what": f"Made the code “{name}”", "consultation": title, "at": at}
        for name, at, title in codes
    ]
    if tagged:
        records.append({"what": f"Tagged written answers with codes {tagged} times"})
    return PersonalData(
        key="survey_work",
        title="Your work on surveys",
        about="As an organiser, you typed in responses and coded written answers.",
        when_deleted="The work stays with the forum, without your name.",
        labels={"what": "What", "consultation": "Consultation", "at": "When"},
        records=records,
        empty="None.",
    )


def _their_keys(user: User) -> list[str]:
    """The respondent key the person has, or would have, in every survey: what finds their
    responses in anonymous surveys too."""
    surveys = db.session.scalars(select(Survey))
    # A survey whose salt has been dropped (so nothing can link its responses to anyone any
    # more) has no key to look for.
    return [respondent_key(survey, user=user) for survey in surveys if survey.salt]


def erase(user: User) -> None:
    found: set[int] = set(
        db.session.scalars(select(Response.id).where(Response.user_id == user.id))
    )
    for keys in _batched(_their_keys(user)):
        found |= set(
            db.session.scalars(select(Response.id).where(Response.respondent_key.in_(keys)))
        )
    for ids in _batched(sorted(found)):
        # Drafts were never counted: they go, with their answers.
        db.session.execute(
            delete(Response)
            .where(Response.id.in_(ids), Response.status == ResponseStatus.DRAFT)
            .execution_options(synchronize_session=False)
        )
        named = list(
            db.session.scalars(
                select(Response).where(Response.id.in_(ids), Response.user_id == user.id)
            )
        )
        for response in named:
            _de_identify(response)
        # Anonymous responses held nothing but the key; without it nobody can find them.
        db.session.execute(
            update(Response)
            .where(Response.id.in_(ids))
            .values(respondent_key=None)
            .execution_options(synchronize_session=False)
        )
    forget_actor(user, Response.entered_by_id, Code.created_by_id, AnswerCode.tagged_by_id)
    db.session.flush()


def _de_identify(response: Response) -> None:
    day = (response.submitted_at or response.created_at).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    response.user_id = None
    response.respondent_key = None
    if response.may_quote:
        db.session.add(
            QuoteConsent(
                response_id=response.id,
                area_id=response.area_id,
                is_given=False,
                change=ConsentChange.WITHDRAWN,
                wording="The person deleted their account, which ends consent to quote them.",
                recorded_at=day,
            )
        )
    for record in db.session.scalars(
        select(QuoteConsent).where(QuoteConsent.response_id == response.id)
    ):
        record.recorded_at = record.recorded_at.replace(hour=0, minute=0, second=0, microsecond=0)
    response.may_quote = False
    response.quote_token_digest = None
    response.reference = new_reference()
    response.created_at = response.updated_at = response.submitted_at = day
    kinds = dict(
        db.session.execute(
            select(Answer.id, Question.kind)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id == response.id)
        ).all()
    )
    for answer in db.session.scalars(select(Answer).where(Answer.response_id == response.id)):
        kind = kinds[answer.id]
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            answer.value, answer.text = REMOVED, REMOVED
        elif kind is QuestionKind.DATE:
            answer.value = None
        elif answer.text:
            answer.text = REMOVED
    db.session.flush()
