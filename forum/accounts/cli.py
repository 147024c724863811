"""`flask accounts …` commands for the platform's operator."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.extensions import db

accounts = AppGroup("accounts", help="Look after people's accounts.")


@accounts.command("reset-authenticator")
@click.argument("email")
def reset_authenticator(email: str) -> None:
    """Remove EMAIL's authenticator app and recovery codes and sign them out everywhere.

    For someone who has lost both their phone and their recovery codes. Be sure who is asking
    first (for example, call them back on a number you already hold): this is what stands
    between an attacker who knows a password and the account.
    """
    from forum.accounts.queries import get_by_email
    from forum.accounts.security.services import reset_authenticator as reset

    user = get_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account with the email address {email}.")
    reset(user)
    db.session.commit()
    click.echo(
        f"{user.email} has no authenticator app now and is signed out everywhere. If they run "
        "or respond for a forum, they will be asked to set up a new one when they sign in."
    )


@accounts.command("purge-sessions")
def purge_sessions() -> None:
    """Delete the records of sessions nobody has used for MEMBER_IDLE_DAYS (run daily)."""
    from forum.accounts.security.services import purge_idle_sessions

    count = purge_idle_sessions()
    db.session.commit()
    click.echo(f"Deleted {count} idle session record{'' if count == 1 else 's'}.")
