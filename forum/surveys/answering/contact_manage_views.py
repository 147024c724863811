"""Organiser pages for the contact details typed in with paper, phone and event responses
(`answering.contacts`): the survey's list of them, newest first and paged, and a page per
address to correct it (a typo, or another address the person gave) or remove it. The address
is shown only here and on the form it was typed into; the list names each response by its
reference, never by anything the person answered."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from forum.surveys import BASE, bp
from forum.surveys.answering import contacts
from forum.surveys.answering.forms import ContactForm
from forum.surveys.answering.permissions import can_correct_contacts
from forum.surveys.answering.queries import load_contact, select_contacts
from forum.surveys.queries import load_survey
from forum.web.auth import access
from forum.web.htmx import render
from forum.web.pagination import paginate
from forum.web.security import private
from forum.web.submit import accept, form_page, press

CONTACTS = BASE + "/responses/contacts"
CONTACT = CONTACTS + "/<int:contact_id>"

EXPLAIN = (
    "Only organisers of {area.forum_name} can see and correct the contact details typed in "
    "with paper, phone and event responses."
)


def organisers(load):
    return access(can_correct_contacts, load=load, subject="consultation", explain=EXPLAIN)


def _list_url(survey) -> str:
    return survey.page_url("typed_in_contacts")


@bp.get(CONTACTS)
@organisers(load_survey)
@private
def typed_in_contacts(area, consultation, survey):
    if survey is None:
        abort(404)
    page = paginate(select_contacts(survey), scalars=False)
    return render(
        "surveys/contact/list.html",
        area=area,
        consultation=consultation,
        survey=survey,
        page=page,
        pagination=page.component(
            "surveys.typed_in_contacts", area_slug=area.slug, slug=consultation.slug
        ),
    )


@bp.route(CONTACT, methods=["GET", "POST"])
@organisers(load_contact)
@private
def correct_contact(area, consultation, survey, contact, reference):
    form = ContactForm(data={"email": contact.email, "agreed": True})
    done = accept(
        form,
        lambda: contacts.change_contact(
            contact, survey, form.email.data, bool(form.agreed.data), actor=current_user
        ),
        refused=contacts.ContactError,
        field="email",
        then=_list_url(survey),
        message=f"The contact details of response {reference} are changed.",
        row=contact,
        what="these contact details",
    )
    return done or form_page(
        "surveys/contact/edit.html",
        form,
        area=area,
        consultation=consultation,
        survey=survey,
        contact=contact,
        reference=reference,
        remove_url=url_for(
            "surveys.remove_contact",
            area_slug=area.slug,
            slug=consultation.slug,
            contact_id=contact.id,
        ),
        list_url=_list_url(survey),
    )


@bp.post(CONTACT + "/remove")
@organisers(load_contact)
@private
def remove_contact(area, consultation, survey, contact, reference):
    return press(
        lambda: contacts.remove_contact(contact, actor=current_user),
        refused=contacts.ContactError,
        then=_list_url(survey),
        message=f"The contact details of response {reference} are removed.",
    )
