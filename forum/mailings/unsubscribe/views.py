"""`/unsubscribe/<token>`: GET shows what will stop and one button; POST stops it.

Mail programs that show an "Unsubscribe" button POST `List-Unsubscribe=One-Click` to the same
address with no cookies and no form token (RFC 8058), so the POST is exempt from CSRF: the
signed token names the person, the area and the topic, and stopping one kind of email is all
it can do. Nobody needs to sign in. A token that is not ours, or names someone who is gone,
gets a page that says so and changes nothing.
"""

from __future__ import annotations

from flask import abort, request, url_for

from forum.areas.models import Area
from forum.extensions import csrf, db
from forum.mailings import bp
from forum.notifications import preferences
from forum.notifications.models import Subscriber
from forum.notifications.services import Account
from forum.notifications.tokens import Unsubscribe, read_token
from forum.notifications.topics import Frequency
from forum.web.auth import public
from forum.web.htmx import redirect_after_post, render
from forum.web.security import private


def _person(request_: Unsubscribe):
    if request_.subscriber_id is not None:
        subscriber = db.session.get(Subscriber, request_.subscriber_id)
        if subscriber is None or subscriber.area_id != request_.area_id:
            return None
        return subscriber
    from forum.accounts.models import User

    user = db.session.get(User, request_.user_id)
    return Account(user.id) if user is not None else None


def _load(token: str):
    wanted = read_token(token)
    area = db.session.get(Area, wanted.area_id) if wanted else None
    person = _person(wanted) if wanted and area else None
    if person is None:
        return None, None, None
    return wanted, area, person


def _choices_link(person) -> str | None:
    """A subscriber's link to all their choices (they have no account page to go to)."""
    if isinstance(person, Subscriber) and person.is_confirmed:
        from forum.notifications.subscriber_tokens import make_token

        return url_for("mailings.subscription", token=make_token(person))
    return None


def _not_valid():
    return render("mailings/unsubscribe/not_valid.html", status=404)


@bp.get("/unsubscribe/<token>")
@public
@private
def unsubscribe(token: str):
    wanted, area, person = _load(token)
    if wanted is None:
        return _not_valid()
    stopped = preferences.frequency(person, area.id, wanted.topic) is Frequency.NEVER
    return render(
        "mailings/unsubscribe/confirm.html",
        area=area,
        topic=wanted.topic,
        token=token,
        already=stopped,
        is_subscriber=isinstance(person, Subscriber),
        choices_link=_choices_link(person),
    )


@bp.post("/unsubscribe/<token>")
@csrf.exempt
@public
@private
def unsubscribe_post(token: str):
    wanted, area, person = _load(token)
    if wanted is None:
        if request.form.get("List-Unsubscribe") == "One-Click":
            abort(404)
        return _not_valid()
    preferences.choose(person, area.id, wanted.topic, Frequency.NEVER)
    db.session.commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return "Unsubscribed", 200, {"Content-Type": "text/plain; charset=utf-8"}
    return redirect_after_post(url_for("mailings.unsubscribed", token=token))


@bp.get("/unsubscribe/<token>/done")
@public
@private
def unsubscribed(token: str):
    wanted, area, person = _load(token)
    if wanted is None:
        return _not_valid()
    return render(
        "mailings/unsubscribe/done.html",
        area=area,
        topic=wanted.topic,
        is_subscriber=isinstance(person, Subscriber),
        account_link=url_for("mailings.preferences"),
        choices_link=_choices_link(person),
    )
