"""`/contact/unsubscribe/<token>`: the link in every "what happened to your feedback" email
sent to an address given with a paper or phone response (`answering.contacts`). GET shows one
button; POST deletes the address. Mail programs POST `List-Unsubscribe=One-Click` with no
cookies and no form token (RFC 8058), so the POST is exempt from CSRF: the signed token names
one contact, and deleting that address is all it can do. A token that is not ours, or whose
address is already gone, gets a page that says so and changes nothing.
"""

from __future__ import annotations

from flask import abort, request, url_for

from forum.areas.models import Area
from forum.extensions import csrf, db
from forum.surveys import bp
from forum.surveys.answering.contacts import forget_contact, read_token
from forum.web.auth import public
from forum.web.htmx import redirect_after_post, render
from forum.web.security import private

UNSUBSCRIBE = "/contact/unsubscribe/<token>"


@bp.get(UNSUBSCRIBE)
@public
@private
def contact_unsubscribe(token: str):
    contact = read_token(token)
    if contact is None:
        return render("surveys/contact/not_valid.html", status=404)
    return render(
        "surveys/contact/unsubscribe.html",
        area=db.session.get(Area, contact.area_id),
        token=token,
    )


@bp.post(UNSUBSCRIBE)
@csrf.exempt
@public
@private
def contact_unsubscribe_post(token: str):
    contact = read_token(token)
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    if contact is None:
        if one_click:
            abort(404)
        return render("surveys/contact/not_valid.html", status=404)
    forget_contact(contact)
    db.session.commit()
    if one_click:
        return "Unsubscribed", 200, {"Content-Type": "text/plain; charset=utf-8"}
    return redirect_after_post(url_for("surveys.contact_unsubscribed"))


@bp.get("/contact/unsubscribed")
@public
def contact_unsubscribed():
    return render("surveys/contact/unsubscribed.html")
