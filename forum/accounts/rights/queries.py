"""Reading what is held about a person: their account, the links and emails sent to them,
what the audit log says they did, and (through `hooks.personal_data_sections`) what every
area holds. One page is a fixed number of statements per area, however much the person has."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from forum import hooks
from forum.accounts.models import AccountToken, TokenPurpose, User
from forum.accounts.rights.sections import PersonalData, flatten, plain
from forum.accounts.rights.words import action_words
from forum.accounts.security.models import Authenticator, RecoveryCode, UserSession
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import EmailAddressStatus, OutboxMessage

#: the format of the download, so a reader can tell versions apart
FORMAT = "coproduce-personal-data"
VERSION = 1

_PURPOSES = {
    TokenPurpose.VERIFY_EMAIL: "A link to confirm your email address",
    TokenPurpose.RESET_PASSWORD: "A link to reset your password",
    TokenPurpose.CHANGE_EMAIL: "A link to confirm a new email address",
}


def pending_email(user: User) -> str | None:
    """The address the person asked to move to, while its link still works."""
    return db.session.scalar(
        select(AccountToken.new_email)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == TokenPurpose.CHANGE_EMAIL,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > utcnow(),
        )
        .order_by(AccountToken.created_at.desc())
        .limit(1)
    )


def addresses_of(user: User) -> set[str]:
    """Every address the account has had mail sent to: its own, any it asked to move to, and
    the ones it moved away from. No row keeps an old address, but the "your address has been
    changed" email went to it and names the new one, so the chain can be followed back."""
    asked = db.session.scalars(
        select(AccountToken.new_email).where(
            AccountToken.user_id == user.id, AccountToken.new_email.is_not(None)
        )
    )
    known = {user.email, *(address for address in asked if address)}
    new = set(known)
    while new:
        earlier = set(
            db.session.scalars(
                select(OutboxMessage.to_address).where(
                    OutboxMessage.kind == "email_changed",
                    or_(
                        *(
                            OutboxMessage.body_text.contains(f" {address}.", autoescape=True)
                            for address in new
                        )
                    ),
                )
            )
        )
        new = earlier - known
        known |= new
    return known


def _last_admin_warning(user: User) -> list[str]:
    if not user.is_admin:
        return []
    others = db.session.scalar(
        select(func.count()).select_from(User).where(User.is_admin.is_(True), User.id != user.id)
    )
    if others:
        return []
    return [
        "You are the only platform administrator. Once your account is deleted, nobody can "
        "create areas or appoint organisers until someone with access to the server makes "
        "another administrator."
    ]


def account_section(user: User) -> PersonalData:
    return PersonalData(
        key="account",
        title="Your account",
        about=(
            "What you told us when you signed up, and what we keep to run your account. "
            "Your password is kept only as a one-way hash that nobody can read back, so it "
            "is not in this file, and neither is the secret that keeps you signed in."
        ),
        when_deleted="Your name, email address and password are deleted.",
        labels={
            "name": "Name",
            "email": "Email address",
            "pending_email": "New email address waiting to be confirmed",
            "created_at": "Account created",
            "email_verified_at": "Email address confirmed",
            "last_signed_in_at": "Last signed in",
            "is_admin": "Platform administrator",
        },
        records=[
            {
                "name": user.display_name,
                "email": user.email,
                "pending_email": pending_email(user),
                "created_at": user.created_at,
                "email_verified_at": user.email_verified_at,
                "last_signed_in_at": user.last_signed_in_at,
                "is_admin": bool(user.is_admin),
            }
        ],
        warnings=_last_admin_warning(user),
    )


def links_section(user: User) -> PersonalData:
    tokens = db.session.scalars(
        select(AccountToken)
        .where(AccountToken.user_id == user.id)
        .order_by(AccountToken.created_at.desc(), AccountToken.id.desc())
    )
    return PersonalData(
        key="account_links",
        title="Links we emailed you",
        about=(
            "Each link to confirm an address or reset a password works once, for a short "
            "time. We keep only a fingerprint of the secret in the link, never the link."
        ),
        when_deleted="Deleted.",
        labels={
            "purpose": "What for",
            "sent_to": "Sent to",
            "created_at": "Sent",
            "expires_at": "Stops working",
            "used_at": "Used or replaced",
        },
        records=[
            {
                "purpose": _PURPOSES.get(token.purpose, token.purpose.value),
                "sent_to": token.new_email or user.email,
                "created_at": token.created_at,
                "expires_at": token.expires_at,
                "used_at": token.used_at,
            }
            for token in tokens
        ],
        empty="No links are held.",
    )


def security_section(user: User) -> PersonalData:
    """Where the person is signed in, and their authenticator app: never a secret, a code or
    a cookie, only what they would recognise."""
    sessions = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    app = db.session.scalar(select(Authenticator).where(Authenticator.user_id == user.id))
    codes_left = db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    records: list[dict[str, Any]] = [
        {
            "what": "Signed in on " + (session.device or "a browser"),
            "since": session.created_at,
            "last_seen": session.last_seen_at,
        }
        for session in sessions
    ]
    if app is not None and app.enabled_at is not None:
        records.append(
            {
                "what": f"Authenticator app turned on ({codes_left or 0} recovery codes unused)",
                "since": app.enabled_at,
                "last_seen": None,
            }
        )
    return PersonalData(
        key="security",
        title="Where you are signed in, and your authenticator app",
        about=(
            "Each browser you are signed in on, named by its browser and system (we do not keep "
            "your internet address), and whether you use an authenticator app. We keep the "
            "app's key locked, and only a fingerprint of each recovery code."
        ),
        when_deleted="Every browser is signed out, and the app's key and the codes are deleted.",
        labels={"what": "What", "since": "Since", "last_seen": "Last used"},
        records=records,
        empty="You are not signed in anywhere, and use no authenticator app.",
    )


def emails_section(user: User) -> PersonalData:
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address.in_(addresses_of(user)))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    return PersonalData(
        key="emails",
        title="Emails sent to you",
        about=(
            "Every email we sent you, or are about to send, goes through one list. We show "
            "what each was about; the words themselves held one-time links, so they are "
            "left out of this file."
        ),
        when_deleted=(
            "Emails waiting to go to you are cancelled, and the record of those already sent "
            "is deleted. One last email tells you the account has gone; it is deleted as "
            "soon as it is sent."
        ),
        labels={
            "subject": "Subject",
            "kind": "Kind",
            "to": "Sent to",
            "queued_at": "Written",
            "sent_at": "Sent",
            "status": "Status",
        },
        records=[
            {
                "subject": message.subject,
                "kind": message.kind.replace("_", " "),
                "to": message.to_address,
                "queued_at": message.created_at,
                "sent_at": message.sent_at,
                "status": (
                    "Sent"
                    if message.sent_at
                    else ("Could not be delivered" if message.failed_at else "Waiting to be sent")
                ),
            }
            for message in messages
        ],
        empty="We have not sent you any emails.",
    )


def email_delivery_section(user: User) -> PersonalData:
    statuses = db.session.scalars(
        select(EmailAddressStatus)
        .where(EmailAddressStatus.address.in_({a.lower() for a in addresses_of(user)}))
        .order_by(EmailAddressStatus.address)
    )
    return PersonalData(
        key="email_delivery",
        title="Emails that could not be delivered",
        about=(
            "When your email provider refuses our emails to an address for good, we count "
            "it, and after three refusals in a row we stop sending there until you change "
            "the address or ask us to try it again. A delivered email clears the count."
        ),
        when_deleted="What we know about delivering to your addresses is deleted.",
        labels={
            "address": "Address",
            "refusals": "Refusals in a row",
            "last_refused_at": "Last refused",
            "stopped_at": "Stopped sending",
            "reply": "What the provider said",
        },
        records=[
            {
                "address": status.address,
                "refusals": status.permanent_failures,
                "last_refused_at": status.last_failure_at,
                "stopped_at": status.undeliverable_at,
                "reply": status.last_error,
            }
            for status in statuses
        ],
        empty="No email provider has refused our emails to you.",
    )


def audit_section(user: User) -> PersonalData:
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                (AuditEvent.subject_type == "User") & (AuditEvent.subject_id == user.id),
            )
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    return PersonalData(
        key="activity",
        title="What the activity log says about you",
        about=(
            "The forum keeps a dated log of changes, so organisers can see who did what. "
            "These are the entries about things you did, or about your account."
        ),
        when_deleted=(
            "The entries stay, so the forum's record of what happened is complete, but they "
            "no longer say who you are."
        ),
        labels={"what": "What happened", "at": "When"},
        records=[
            {
                "what": action_words(event.action, about_you=event.actor_id != user.id),
                "action": event.action,
                "at": event.created_at,
            }
            for event in events
        ],
        empty="The log has no entries about you.",
    )


def personal_data(user: User) -> list[PersonalData]:
    """Every section, the account's own first, then each area's in the hook's order, then
    the emails and the activity log."""
    return [
        account_section(user),
        links_section(user),
        security_section(user),
        *flatten(hooks.personal_data_sections.results(user)),
        emails_section(user),
        email_delivery_section(user),
        audit_section(user),
    ]


def download(user: User, sections: list[PersonalData]) -> dict[str, Any]:
    """The JSON file: what it is, when it was made, then every section by its key."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": plain(utcnow()),
        "about": (
            "Everything Coproduce holds about the person named in the account section, as "
            "on the 'Your data' page. Times are in UTC (ISO 8601)."
        ),
        "sections": {section.key: section.describe() for section in sections},
    }
