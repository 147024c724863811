"""Staff pages for "we did": the consultation's decisions, a partner's answer to a theme and the
forum's review of an answer."""

from __future__ import annotations

from flask_login import current_user

from forum.areas.queries import get_partner
from forum.consultations.queries import load_consultation
from forum.outcomes import bp
from forum.outcomes.decisions import services as service
from forum.outcomes.decisions.forms import AnswerForm, ReviewForm
from forum.outcomes.decisions.models import ForumView
from forum.outcomes.decisions.permissions import can_answer_theme, can_review_decision
from forum.outcomes.decisions.queries import area_commitments, decision_for, load_decision
from forum.outcomes.permissions import can_view_ledger
from forum.outcomes.publishing import queries as publishing
from forum.outcomes.publishing.permissions import can_publish_response
from forum.outcomes.themes.queries import load_theme
from forum.outcomes.urls import decisions_url
from forum.plans.permissions import responder_partner_id
from forum.plans.queries import priorities_of
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.htmx import render
from forum.web.submit import accept, form_page

LEDGER = (
    "Only the organisers of {area.forum_name} and its partners' responders can see the answers "
    "before they are published, and only once the consultation has closed."
)
ANSWER = (
    "Only responders for a partner organisation of {area.forum_name} can answer themes, once "
    "the consultation has closed. If you should be one, ask an organiser of the forum."
)
REVIEW = "Only the organisers of {area.forum_name} can agree or dispute partners' answers."


@bp.get("/areas/<area_slug>/consultations/<slug>/decisions")
@shared_page
@access(can_view_ledger, load=load_consultation, subject="consultation", explain=LEDGER)
def decisions(area, consultation):
    themes = publishing.ledger_of(consultation)
    return render(
        "outcomes/decisions/index.html",
        fragment="outcomes/decisions/_ledger.html",
        area=area,
        consultation=consultation,
        themes=themes,
        plan=publishing.plan_publishing(consultation, themes),
        own_partner_id=responder_partner_id(current_user, area),
        reviewable={
            d.id for t in themes for d in t.decisions if can_review_decision(current_user, d)
        },
        can_publish=can_publish_response(current_user, consultation),
    )


def _answer_data(existing) -> dict | None:
    """The answer form's fields from the partner's decision, if there is one."""
    if existing is None:
        return None
    return {
        "outcome": existing.outcome.value,
        "explanation": existing.explanation,
        "reason": existing.reason,
        "decide_by": existing.decide_by,
        "commitments": [str(link.commitment_id) for link in existing.links],
    }


def _answer(form: AnswerForm) -> service.Answer:
    """What the answer form says, with the new commitment when it has a title."""
    new = None
    if (form.new_title.data or "").strip():
        new = service.NewCommitment(
            title=form.new_title.data,
            priority_id=form.new_priority_id,
            due_on=form.new_due.data,
        )
    return service.Answer(
        outcome=form.chosen_outcome,
        explanation=form.explanation.data or "",
        reason=form.reason.data or "",
        decide_by=form.decide_by.data,
        commitment_ids=form.commitment_ids,
        new_commitment=new,
    )


@bp.route(
    "/areas/<area_slug>/consultations/<slug>/themes/<int:theme_id>/answer",
    methods=["GET", "POST"],
)
@access(can_answer_theme, load=load_theme, subject="theme", explain=ANSWER)
def answer_theme(area, consultation, theme):
    partner_id = responder_partner_id(current_user, area)
    partner = get_partner(area, partner_id)
    existing = decision_for(theme, partner_id)
    groups = area_commitments(area)
    commitments = [c for _, group in groups for c in group]
    form = AnswerForm(
        data=_answer_data(existing), commitments=commitments, priorities=priorities_of(area)
    )
    done = accept(
        form,
        lambda: service.answer_theme(theme, partner_id, _answer(form), actor=current_user),
        refused=service.DecisionRefused,
        field="explanation",
        then=decisions_url(consultation, theme),
        message=(
            f"The answer for {partner.name} is saved."
            + (
                " It is published, so the change shows publicly now."
                if existing and existing.published_at
                else ""
            )
        ),
        row=existing,
        what=f"the answer from {partner.name}",
    )
    return done or form_page(
        "outcomes/decisions/answer.html",
        form,
        area=area,
        consultation=consultation,
        theme=theme,
        partner=partner,
        decision=existing,
        groups=groups,
    )


@bp.route(
    "/areas/<area_slug>/consultations/<slug>/decisions/<int:decision_id>/review",
    methods=["GET", "POST"],
)
@access(can_review_decision, load=load_decision, subject="decision", explain=REVIEW)
def review_decision(area, consultation, decision):
    data = None
    if decision.forum_view is not ForumView.PENDING:
        data = {"forum_view": decision.forum_view.value, "comment": decision.forum_comment}
    form = ReviewForm(data=data)
    done = accept(
        form,
        lambda: service.review_decision(
            decision, ForumView(form.forum_view.data), form.comment.data or "", actor=current_user
        ),
        refused=service.DecisionRefused,
        field="comment",
        then=decisions_url(consultation, decision.theme),
        message=lambda d: (
            f"Saved: the forum {'agrees with' if d.forum_view is ForumView.AGREED else 'disputes'} "
            f"the answer from {d.partner.name}."
        ),
        row=decision,
        what="this answer or its review",
    )
    return done or render(
        "outcomes/decisions/review.html",
        fragment="outcomes/decisions/_review_form.html",
        status=422 if form.errors else 200,
        form=form,
        area=area,
        consultation=consultation,
        decision=decision,
        theme=decision.theme,
    )
