"""Contact details given with paper, phone and event responses, so people without an account
also hear what happened to their feedback.

An organiser typing in a response may record an email address, only with a tick saying the
person agreed to be told what happened (`check_contact`); anonymous surveys never take one.
The address is used only for the "what happened to your feedback" emails
(`forum.outcomes.feedback.services`), which go through the outbox as optional emails for the
audience `contact`, about `response_contact:<id>`: at sending, `contact_allowed` checks the
address is still held (they may have unsubscribed or it may have been purged) and
`contact_unsubscribe_url` gives the email's one-click link, which deletes the address
(`forget_contact`). Addresses are deleted `CONTACT_KEPT` after the consultation closes
(`purge_contacts`). Nothing here is shown in exports, results or to partners.
"""

from __future__ import annotations

import typing
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import CursorResult, delete, select

from forum.audit.services import record
from forum.extensions import db
from forum.models import utcnow
from forum.surveys.models import Response, ResponseContact, Survey
from forum.web.text import clean_text

#: contact details are deleted this long after the consultation closed: long enough for the
#: partners' answers (due 12 weeks after closing) and the commitments made from them
CONTACT_KEPT = timedelta(days=2 * 365)
#: the `about` of their emails names the contact
ABOUT = "response_contact"
#: the audience of their emails (`notifications.services.may_send`)
AUDIENCE = "contact"
SALT = "coproduce.response-contact"


class ContactError(ValueError):
    """The contact details cannot be kept; the message is safe to show beside `field`."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def check_contact(survey: Survey, email: str | None, agreed: bool) -> str | None:
    """The address to keep (lower-cased), None when none was given, or `ContactError`."""
    email = clean_text(email).lower()
    if not email:
        if agreed:
            raise ContactError(
                "Enter their email address, or untick the box if they gave none",
                "contact_email",
            )
        return None
    if survey.is_anonymous:
        raise ContactError(
            "This survey is anonymous, so no contact details can be kept with a response",
            "contact_email",
        )
    if len(email) > 254:
        raise ContactError("Email address must be 254 characters or fewer", "contact_email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ContactError(
            "Enter an email address in the correct format, like name@example.com",
            "contact_email",
        ) from None
    if not agreed:
        raise ContactError(
            "Tick the box to confirm they agreed to be told what happened, or leave the email "
            "address empty",
            "contact_agreed",
        )
    return email


def save_contact(response: Response, email: str, *, actor) -> ResponseContact:
    """Keep the address with the response (checked by `check_contact` first)."""
    contact = ResponseContact(
        response_id=response.id, area_id=response.area_id, email=email, entered_by_id=actor.id
    )
    db.session.add(contact)
    db.session.flush()
    # Ids only: the address is personal data and stays out of the log.
    record(
        "survey.contact_recorded",
        response,
        actor=actor,
        area=_area(response),
        contact_id=contact.id,
    )
    return contact


#: the fields of the form that corrects an address, by the field `check_contact` names
CORRECTING = {"contact_email": "email", "contact_agreed": "agreed"}


def change_contact(
    contact: ResponseContact, survey: Survey, email: str | None, agreed: bool, *, actor
) -> ResponseContact:
    """Correct the address kept with a typed-in response (a typo, or they gave another one),
    with the same rules as when it was typed in. A new address starts a new agreement: the
    unsubscribe links already emailed to the old one stop working (`make_token`)."""
    if not clean_text(email):
        raise ContactError(
            "Enter their email address. To keep no contact details, remove them instead",
            "email",
        )
    try:
        checked = check_contact(survey, email, agreed)
    except ContactError as error:
        raise ContactError(str(error), CORRECTING.get(error.field, "email")) from None
    assert checked is not None  # an address was given, so it is kept or refused
    response = db.session.get(Response, contact.response_id)
    if checked != contact.email:
        contact.email = checked
        # Links name the second of the agreement: the new one is at least a second later.
        contact.agreed_at = max(utcnow(), contact.agreed_at + timedelta(seconds=1))
        contact.entered_by_id = actor.id
    db.session.flush()
    # Ids only: the address is personal data and stays out of the log.
    record(
        "survey.contact_changed",
        response,
        actor=actor,
        area=_area(response),
        contact_id=contact.id,
    )
    return contact


def remove_contact(contact: ResponseContact, *, actor) -> None:
    """Delete the address kept with a typed-in response (it was given by mistake, or the
    person asked an organiser to stop the emails). The response stays and counts."""
    response = db.session.get(Response, contact.response_id)
    contact_id = contact.id
    db.session.delete(contact)
    db.session.flush()
    record(
        "survey.contact_removed",
        response,
        actor=actor,
        area=_area(response),
        contact_id=contact_id,
    )


def _area(response: Response):
    from forum.areas.models import Area

    return db.session.get(Area, response.area_id)


# --- sending and unsubscribing --------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(contact: ResponseContact) -> str:
    """The link's key: the contact and the second it was agreed, so it never works for a later
    contact that happens to get the same id."""
    return _serializer().dumps([contact.id, int(contact.agreed_at.timestamp())])


def read_token(token: str) -> ResponseContact | None:
    """The contact the token names, if it is still held."""
    try:
        found = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(found, list) and len(found) == 2):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in found):
        return None
    contact = db.session.get(ResponseContact, found[0])
    if contact is None or int(contact.agreed_at.timestamp()) != found[1]:
        return None
    return contact


def _contact_of(about: str | None) -> ResponseContact | None:
    kind, _, raw = (about or "").partition(":")
    if kind != ABOUT or not raw.isdigit():
        return None
    return db.session.get(ResponseContact, int(raw))


def contact_allowed(area_id: int, about: str | None) -> str | None:
    """At sending (`hooks.email_contact_allowed`): why the email must not go, or None."""
    contact = _contact_of(about)
    if contact is None:
        return "no longer wants these emails"
    if contact.area_id != area_id:
        return "another forum's contact"
    return None


def contact_unsubscribe_url(about: str | None) -> str | None:
    """At sending (`hooks.email_contact_unsubscribe`): the one-click link of the email."""
    from forum.web.urls import external_url

    contact = _contact_of(about)
    if contact is None:
        return None
    return external_url("surveys.contact_unsubscribe", token=make_token(contact))


def forget_contact(contact: ResponseContact) -> None:
    """Delete the address: they asked to hear no more. The response stays and counts."""
    response_id = contact.response_id
    db.session.delete(contact)
    db.session.flush()
    response = db.session.get(Response, response_id)
    if response is not None:
        record("survey.contact_forgotten", response, area=_area(response))


def purge_contacts(now: datetime) -> int:
    """Delete the addresses of responses to consultations that closed more than
    `CONTACT_KEPT` ago."""
    from forum.consultations.models import Consultation

    closed_long_ago = (
        select(Response.id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Consultation.closes_at < now - CONTACT_KEPT)
    )
    result = db.session.execute(
        delete(ResponseContact)
        .where(ResponseContact.response_id.in_(closed_long_ago))
        .execution_options(synchronize_session=False)
    )
    return typing.cast(CursorResult, result).rowcount or 0
