"""`flask seed …` commands. The outbox commands live in `forum.notifications.cli`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from forum.extensions import db

seed = AppGroup("seed", help="Demo data.")


@seed.command("demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no areas.")
def demo(if_empty: bool) -> None:
    """Create the Northshire demo (idempotent) and print the demo accounts."""
    from forum import seed as demo_seed

    if current_app.config["IS_PRODUCTION"]:
        raise click.ClickException("The demo is not seeded in production.")
    if if_empty and not demo_seed.is_empty():
        click.echo("The database already has areas; not seeding.")
    else:
        created = demo_seed.seed_demo()
        db.session.commit()
        click.echo("Seeded the Northshire demo." if created else "The demo is already there.")
    click.echo("\nDemo accounts (demo only; never use these passwords anywhere real):")
    for account in demo_seed.ACCOUNTS:
        click.echo(f"  {account.what:<42} {account.email:<32} {account.password}")
    click.echo(
        "\nThe admin, organiser and responder accounts are asked to set up an authenticator app "
        "(any app on your phone that makes 6-digit sign-in codes) the first time they sign in."
    )
