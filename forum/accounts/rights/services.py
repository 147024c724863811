"""Deleting an account: the person's sessions end, every area erases or de-identifies what it
holds about them (`hooks.personal_data_erasure`), and then the account itself goes.

One transaction does it all, so either everything is erased or nothing is. What stays is what
others need and that no longer points at the person: the counts their survey answers are part
of, the shape of the discussions they took part in, and the audit log's record that something
happened, without who did it.
"""

from __future__ import annotations

from sqlalchemy import delete, update

from forum import hooks
from forum.accounts.models import AccountToken, User
from forum.accounts.passwords import verify_password
from forum.accounts.rights.queries import addresses_of
from forum.accounts.security.services import remove_authenticator
from forum.accounts.services import end_all_sessions
from forum.audit.models import AuditEvent
from forum.errors import Refused
from forum.extensions import db
from forum.notifications.services import forget_addresses, queue_email


class RightsError(Refused):
    """The deletion cannot go ahead; the message is safe to show."""


def _forget_in_audit_log(user: User) -> None:
    """Entries keep their action, time and area, but not the person: who did it is cleared,
    and entries about the account lose its id and any detail (a reason an organiser gave)."""
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.actor_id == user.id)
        .values(actor_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.subject_type == "User", AuditEvent.subject_id == user.id)
        .values(subject_id=None, detail={})
        .execution_options(synchronize_session=False)
    )


def delete_account(user: User, *, password: str) -> None:
    """Erase the account of `user`, who typed `password` to confirm. Flushes; the caller
    commits and signs the browser out."""
    if not password or not verify_password(user.password_hash, password):
        raise RightsError("Your password is not right", field="password")
    addresses = addresses_of(user)
    email = user.email
    # Every other device stops at once, even before the row itself goes.
    end_all_sessions(user)
    remove_authenticator(user)
    hooks.personal_data_erasure.send(user)
    forget_addresses(addresses)
    _forget_in_audit_log(user)
    db.session.execute(
        delete(AccountToken)
        .where(AccountToken.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(User).where(User.id == user.id))
    db.session.add(AuditEvent(action="account.deleted", subject_type="User", subject_id=None))
    # The one email that still goes to the address: the outbox deletes it once it is sent.
    queue_email(email, "account_deleted", kind="account_deleted")
    db.session.flush()


def forget_actor(user: User, *columns) -> None:
    """Set each column (a `Model.x_by_id`) to null where it names `user`: the work stays with
    the forum or partner, without who did it. For areas' `personal_data_erasure` receivers."""
    for column in columns:
        db.session.execute(
            update(column.class_)
            .where(column == user.id)
            .values({column.key: None})
            .execution_options(synchronize_session=False)
        )
