"""All the questions on one page, their paper version, and where paper responses go."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from forum.surveys import BASE, bp
from forum.surveys.printable import services as printable
from forum.surveys.printable.forms import PAPER_MAX, PaperAddressForm
from forum.surveys.printable.permissions import can_see_all_questions, can_set_paper_address
from forum.surveys.printable.queries import question_parts
from forum.surveys.queries import load_survey
from forum.web.auth import access
from forum.web.htmx import render
from forum.web.submit import accept, form_page
from forum.web.urls import absolute

DRAFT = (
    "This consultation is a draft. Only the forum's organisers can see it until it is published."
)


def _questions_page(template: str, area, consultation, survey):
    if survey is None:
        abort(404)
    return render(
        template,
        area=area,
        consultation=consultation,
        survey=survey,
        parts=question_parts(survey),
        numbering=survey.numbering,
        online_at=absolute(consultation),
    )


@bp.get(BASE + "/questions")
@access(can_see_all_questions, load=load_survey, subject="consultation", explain=DRAFT)
def all_questions(area, consultation, survey):
    return _questions_page("surveys/printable/questions.html", area, consultation, survey)


@bp.get(BASE + "/questions/print")
@access(can_see_all_questions, load=load_survey, subject="consultation", explain=DRAFT)
def paper_version(area, consultation, survey):
    return _questions_page("surveys/printable/paper.html", area, consultation, survey)


@bp.route(BASE + "/paper-responses", methods=["GET", "POST"])
@access(
    can_set_paper_address,
    load=load_survey,
    subject="consultation",
    explain="Only the forum's organisers can change this, until the consultation closes.",
)
def paper_address(area, consultation, survey):
    if survey is None:
        abort(404)
    form = PaperAddressForm(data={"paper_responses_to": survey.paper_responses_to})
    done = accept(
        form,
        lambda: printable.set_paper_address(
            survey, form.paper_responses_to.data or "", actor=current_user
        ),
        refused=(),
        field="paper_responses_to",
        then=survey.page_url("all_questions"),
        message="Saved. The paper version now says where to send it.",
    )
    return done or form_page(
        "surveys/printable/paper_address.html",
        form,
        area=area,
        consultation=consultation,
        limit=PAPER_MAX,
    )
