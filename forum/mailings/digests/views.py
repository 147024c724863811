"""`/unsubscribe/digest/<token>`: GET shows which emails the daily or weekly digest holds and
one button; POST stops them all (every topic the person has from the area at that frequency
is set to "never"), then redirects to a page that says so (`…/done`).

The digest's `List-Unsubscribe` header and the link in its footer point here. As with the
one-topic page (`forum/mailings/unsubscribe`), mail programs POST `List-Unsubscribe=One-Click`
with no cookies and no form token (RFC 8058), so the POST is exempt from CSRF: the signed
token names the person, the area and the frequency, and stopping that digest is all it can
do. A one-click POST gets a plain 200, not a redirect, so a mail program's POST ends there.
"""

from __future__ import annotations

from flask import abort, request, url_for

from forum.areas.models import Area
from forum.extensions import csrf, db
from forum.mailings import bp
from forum.mailings.digests.services import stop_digest
from forum.notifications import preferences
from forum.notifications.models import Subscriber
from forum.notifications.services import Account
from forum.notifications.tokens import read_digest_token
from forum.web.auth import public
from forum.web.htmx import redirect_after_post, render
from forum.web.security import private


def _load(token: str):
    wanted = read_digest_token(token)
    area = db.session.get(Area, wanted.area_id) if wanted else None
    if wanted is None or area is None:
        return None, None, None
    if wanted.subscriber_id is not None:
        person = db.session.get(Subscriber, wanted.subscriber_id)
        if person is None or person.area_id != area.id:
            return None, None, None
    else:
        from forum.accounts.models import User

        user = db.session.get(User, wanted.user_id)
        if user is None:
            return None, None, None
        person = Account(user.id)
    return wanted, area, person


@bp.get("/unsubscribe/digest/<token>")
@public
@private
def digest_unsubscribe(token: str):
    wanted, area, person = _load(token)
    if wanted is None:
        return render("mailings/unsubscribe/not_valid.html", status=404)
    topics = [
        topic
        for topic, how in preferences.choices(person, area.id).items()
        if how is wanted.frequency
    ]
    return render(
        "mailings/digests/unsubscribe.html",
        area=area,
        frequency=wanted.frequency,
        topics=topics,
        token=token,
        is_subscriber=isinstance(person, Subscriber),
    )


@bp.post("/unsubscribe/digest/<token>")
@csrf.exempt
@public
@private
def digest_unsubscribe_post(token: str):
    wanted, area, person = _load(token)
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    if wanted is None:
        if one_click:
            abort(404)
        return render("mailings/unsubscribe/not_valid.html", status=404)
    stop_digest(person, area.id, wanted.frequency)
    db.session.commit()
    if one_click:
        return "Unsubscribed", 200, {"Content-Type": "text/plain; charset=utf-8"}
    return redirect_after_post(url_for("mailings.digest_unsubscribed", token=token))


@bp.get("/unsubscribe/digest/<token>/done")
@public
@private
def digest_unsubscribed(token: str):
    wanted, area, person = _load(token)
    if wanted is None:
        return render("mailings/unsubscribe/not_valid.html", status=404)
    return render(
        "mailings/digests/unsubscribed.html",
        area=area,
        frequency=wanted.frequency,
        is_subscriber=isinstance(person, Subscriber),
        account_link=url_for("accounts.account"),
    )
