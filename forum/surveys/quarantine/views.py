"""The burst page of a survey, and its quarantine and release buttons.

Each button is a small form (kind of group, its value) that redirects back to the page with
303, or with HX-Redirect when htmx sent it; the page works the same without JavaScript.
`flask surveys forget-tracking` forgets the abuse signals that are no longer needed.
"""

from __future__ import annotations

import click
from flask import flash, request
from flask_login import current_user

from forum.extensions import db
from forum.surveys import BASE, bp
from forum.surveys.quarantine import services
from forum.surveys.quarantine.permissions import can_review_responses
from forum.surveys.quarantine.queries import KINDS, LEVELS, bursts_of, load_bursts
from forum.surveys.queries import count_counted
from forum.web.auth import access
from forum.web.htmx import render
from forum.web.submit import press

BURSTS = BASE + "/bursts"

REVIEW = (
    "Only organisers of {area.forum_name} can check a survey's responses for bursts and "
    "quarantine them, from when the consultation opens until the forum has responded."
)


def reviewer(view):
    return access(can_review_responses, load=load_bursts, subject="consultation", explain=REVIEW)(
        view
    )


@bp.get(BURSTS)
@reviewer
def bursts(area, consultation, survey):
    found = bursts_of(survey)
    return render(
        "surveys/quarantine/bursts.html",
        area=area,
        consultation=consultation,
        survey=survey,
        bursts=found,
        kinds=KINDS,
        levels=LEVELS,
        counting=count_counted(survey),
    )


def _act(survey, action, done: str):
    """Quarantine or release the group the button names, then back to the page (303)."""
    kind, value = request.form.get("kind", ""), request.form.get("value", "")

    def act():
        n = action(survey, kind, value, actor=current_user)
        flash(done.format(n=n, s="" if n == 1 else "s"), "success")

    return press(act, refused=services.QuarantineError, then=survey.page_url("bursts"))


@bp.post(BURSTS + "/quarantine")
@reviewer
def quarantine(area, consultation, survey):
    return _act(
        survey,
        services.quarantine,
        "{n} response{s} quarantined: kept, but not counted anywhere.",
    )


@bp.post(BURSTS + "/release")
@reviewer
def release(area, consultation, survey):
    return _act(survey, services.release, "{n} response{s} released: counted again.")


@bp.cli.command("forget-tracking")
def forget_tracking_command() -> None:
    """Forget device and address hashes, hours sent, expired email links and counted email
    hashes that are no longer needed (the worker runs it daily, with the retention purges)."""
    forgotten = services.forget_tracking()
    db.session.commit()
    click.echo(
        f"forgot the signals of {forgotten['responses']} responses, "
        f"{forgotten['links']} email links, {forgotten['emails']} email hashes"
    )
