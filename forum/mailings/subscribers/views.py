"""Public subscription pages.

- `/areas/<area>/subscribe`: an address and the kinds of email wanted; the answer is the same
  whether or not the address was subscribed already (what differs goes to the address).
- `/subscribe/confirm/<secret>`: the link in the confirmation email. GET shows a button,
  POST confirms: mail scanners that open links must not subscribe anyone.
- `/subscriptions/<token>`: the signed link to a subscriber's own choices, and the button that
  deletes the subscription. Saving the same choices twice changes nothing, so a repeated POST
  needs no guard; deleting goes through `accept()`, so a second click lands on the same page.

None of these needs an account. A link that is forged, altered, used up or for a deleted
subscription gets the same "this link does not work" page, with nothing changed.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, flash, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from forum.areas.models import Area
from forum.areas.queries import load_area
from forum.extensions import db, limiter
from forum.mailings import bp
from forum.mailings.preferences import services as choices
from forum.mailings.preferences.forms import SubscriberChoicesForm
from forum.mailings.subscribers import queries
from forum.mailings.subscribers import services as subscribers
from forum.mailings.subscribers.forms import SubscribeForm
from forum.mailings.subscribers.permissions import can_subscribe
from forum.notifications import preferences
from forum.notifications import subscriber_tokens as tokens
from forum.web.auth import access, public
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render
from forum.web.security import private
from forum.web.submit import accept, form_page

#: requests to subscribe one address, to any forum, from anywhere: enough to retry a typo,
#: too few to fill someone's inbox with confirmation emails
ADDRESS_LIMIT = "3 per hour;6 per day"


def subscribe_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def _address_key() -> str:
    """The address being subscribed, as a keyed hash: it never reaches the limiter's store."""
    email = subscribers.normalise(request.form.get("email", ""))
    key = current_app.config["SECRET_KEY"].encode()
    return "subscribe:" + hmac.new(key, email.encode(), hashlib.sha256).hexdigest()


def _not_valid():
    return render(
        "mailings/subscribers/not_valid.html", status=404, days=queries.CONFIRM_WITHIN.days
    )


@bp.route("/areas/<area_slug>/subscribe", methods=["GET", "POST"])
@limiter.limit(subscribe_limit, methods=["POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], key_func=_address_key)
@access(can_subscribe, load=load_area, subject="area", explain="", needs_sign_in=False)
def subscribe(area):
    form = SubscribeForm()
    sent = url_for("mailings.subscribe_sent", area_slug=area.slug)
    try:
        done = accept(
            form,
            lambda: subscribers.subscribe(area, form.email.data or "", form.chosen()),
            refused=(),
            field="email",
            then=sent,
        )
    except IntegrityError:
        # The same address sent from two places at the same moment: the first one is saved
        # and its email is on its way.
        db.session.rollback()
        return redirect_after_post(sent)
    return done or form_page(
        "mailings/subscribers/subscribe.html",
        form,
        area=area,
        signed_in=current_user.is_authenticated,
        days=queries.CONFIRM_WITHIN.days,
    )


@bp.get("/areas/<area_slug>/subscribe/check-your-email")
@access(can_subscribe, load=load_area, subject="area", explain="", needs_sign_in=False)
def subscribe_sent(area):
    return render("mailings/subscribers/sent.html", area=area, days=queries.CONFIRM_WITHIN.days)


@bp.route("/subscribe/confirm/<token>", methods=["GET", "POST"])
@public
@private
def confirm_subscription(token: str):
    subscriber = queries.get_unconfirmed(token)
    if subscriber is None:
        return _not_valid()
    area = db.session.get(Area, subscriber.area_id)
    form = ActionForm()
    if form.validate_on_submit():
        subscribers.confirm(subscriber, area)
        db.session.commit()
        flash(f"You are subscribed to emails from {area.forum_name}.", "success")
        return redirect_after_post(
            url_for("mailings.subscription", token=tokens.make_token(subscriber))
        )
    return render(
        "mailings/subscribers/confirm.html",
        area=area,
        form=form,
        days=queries.CONFIRM_WITHIN.days,
        topics=[
            topic
            for topic, how_often in preferences.choices(subscriber, area.id).items()
            if how_often.value != "never"
        ],
    )


def _choices_page(area, subscriber, form, token, status=200):
    return render(
        "mailings/subscribers/choices.html",
        status=status,
        area=area,
        form=form,
        delete_form=ActionForm(),
        token=token,
        subscriber=subscriber,
    )


@bp.route("/subscriptions/<token>", methods=["GET", "POST"])
@public
@private
def subscription(token: str):
    subscriber = queries.get_by_token(token)
    if subscriber is None:
        return _not_valid()
    area = db.session.get(Area, subscriber.area_id)
    if request.method == "POST":
        form = SubscriberChoicesForm()
        if form.validate_on_submit():
            choices.save_choices(subscriber, area, form.wanted(), actor=None)
            db.session.commit()
            flash("Your email choices are saved.", "success")
            return redirect_after_post(request.path)
        return _choices_page(area, subscriber, form, token, status=422)
    form = SubscriberChoicesForm.filled(preferences.choices(subscriber, area.id))
    return _choices_page(area, subscriber, form, token)


@bp.post("/subscriptions/<token>/delete")
@public
@private
def delete_subscription(token: str):
    form = ActionForm()
    if done := form.already_done():
        return redirect_after_post(done)
    subscriber = queries.get_by_token(token)
    if subscriber is None:
        return _not_valid()
    area = db.session.get(Area, subscriber.area_id)
    done = accept(
        form,
        lambda: subscribers.delete_subscription(subscriber),
        refused=(),
        field=None,
        then=url_for("mailings.subscription_deleted", area_slug=area.slug),
    )
    if done is None:  # only a missing or stale CSRF token gets here
        flash("Your subscription was not deleted. Please try again.", "error")
        return redirect_after_post(request.path.removesuffix("/delete"))
    return done


@bp.get("/areas/<area_slug>/subscription-deleted")
@access(can_subscribe, load=load_area, subject="area", explain="", needs_sign_in=False)
def subscription_deleted(area):
    return render("mailings/subscribers/deleted.html", area=area)


def area_home_section(area):
    """ "Get emails from this forum", on the area's home page."""
    return "mailings/subscribers/_area_home.html", {"area": area}
