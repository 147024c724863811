"""Staff pages for "we did": the consultation's decisions, a partner's answer to a theme, the
forum's review of an answer, and publishing the response. The public section on the
consultation page comes from `published_ledger`, a template global."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.areas.models import PartnerOrganisation
from forum.consultations.queries import load_consultation
from forum.extensions import db
from forum.outcomes import bp, publishing
from forum.outcomes import decisions as service
from forum.outcomes.decision_forms import AnswerForm, PublishForm, ReviewForm
from forum.outcomes.models import Decision, DecisionCommitment, ForumView, Theme
from forum.outcomes.permissions import (
    can_answer_theme,
    can_publish_response,
    can_review_decision,
    can_view_ledger,
)
from forum.plans.models import Commitment, LocalPlan, Priority
from forum.plans.permissions import responder_partner_id
from forum.plans.queries import priorities_of
from forum.web.auth import access
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
PUBLISH = (
    "Only the organisers of {area.forum_name} can publish the response, once the consultation "
    "has closed."
)


#: the largest id a database integer column holds; bigger ones in a URL are simply not found
ID_MAX = 2**31 - 1


def _id(kwargs: dict, name: str) -> int:
    value = kwargs.pop(name)
    if not 0 < value <= ID_MAX:
        abort(404)
    return value


def load_theme(kwargs: dict) -> dict:
    """The consultation's theme by id (404 for another consultation's or area's)."""
    kwargs = load_consultation(kwargs)
    consultation = kwargs["consultation"]
    theme_id = _id(kwargs, "theme_id")
    theme = db.session.scalar(
        select(Theme).where(
            Theme.id == theme_id,
            Theme.consultation_id == consultation.id,
            Theme.area_id == consultation.area_id,
        )
    )
    if theme is None:
        abort(404)
    kwargs["theme"] = theme
    return kwargs


def load_decision(kwargs: dict) -> dict:
    """A decision on one of the consultation's themes (404 otherwise)."""
    kwargs = load_consultation(kwargs)
    consultation = kwargs["consultation"]
    decision_id = _id(kwargs, "decision_id")
    decision = db.session.scalar(
        select(Decision)
        .join(Theme, Theme.id == Decision.theme_id)
        .options(
            selectinload(Decision.partner),
            selectinload(Decision.links).selectinload(DecisionCommitment.commitment),
        )
        .where(
            Decision.id == decision_id,
            Decision.area_id == consultation.area_id,
            Theme.consultation_id == consultation.id,
        )
    )
    if decision is None:
        abort(404)
    kwargs["decision"] = decision
    return kwargs


def ledger_url(consultation, theme=None) -> str:
    url = url_for("outcomes.decisions", area_slug=consultation.area.slug, slug=consultation.slug)
    return f"{url}#theme-{theme.id}" if theme is not None else url


@bp.get("/areas/<area_slug>/consultations/<slug>/decisions")
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
        can_review=can_review_decision,
        can_publish=can_publish_response(current_user, consultation),
    )


def area_commitments(area) -> list[tuple[Priority, list[Commitment]]]:
    """The area's commitments grouped by plan priority, in plan order, owners loaded."""
    rows = db.session.scalars(
        select(Commitment)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .options(selectinload(Commitment.partner), selectinload(Commitment.priority))
        .where(Commitment.area_id == area.id)
        .order_by(LocalPlan.id, Priority.position, Priority.id, Commitment.position, Commitment.id)
    )
    groups: list[tuple[Priority, list[Commitment]]] = []
    for commitment in rows:
        if not groups or groups[-1][0].id != commitment.priority_id:
            groups.append((commitment.priority, []))
        groups[-1][1].append(commitment)
    return groups


@bp.route(
    "/areas/<area_slug>/consultations/<slug>/themes/<int:theme_id>/answer",
    methods=["GET", "POST"],
)
@access(can_answer_theme, load=load_theme, subject="theme", explain=ANSWER)
def answer_theme(area, consultation, theme):
    partner_id = responder_partner_id(current_user, area)
    partner = db.session.get(PartnerOrganisation, partner_id)
    existing = service.decision_for(theme, partner_id)
    groups = area_commitments(area)
    commitments = [c for _, group in groups for c in group]
    data = None
    if existing is not None:
        data = {
            "outcome": existing.outcome.value,
            "explanation": existing.explanation,
            "reason": existing.reason,
            "decide_by": existing.decide_by,
            "commitments": [str(link.commitment_id) for link in existing.links],
        }
    form = AnswerForm(data=data, commitments=commitments, priorities=priorities_of(area))

    def save():
        new = None
        if (form.new_title.data or "").strip():
            new = service.NewCommitment(
                title=form.new_title.data,
                priority_id=form.new_priority_id,
                due_on=form.new_due.data,
            )
        return service.answer_theme(
            theme,
            partner_id,
            service.Answer(
                outcome=form.chosen_outcome,
                explanation=form.explanation.data or "",
                reason=form.reason.data or "",
                decide_by=form.decide_by.data,
                commitment_ids=form.commitment_ids,
                new_commitment=new,
            ),
            actor=current_user,
        )

    done = accept(
        form,
        save,
        refused=service.DecisionRefused,
        field="explanation",
        then=ledger_url(consultation, theme),
        message=(
            f"The answer for {partner.name} is saved."
            + (
                " It is published, so the change shows publicly now."
                if existing and existing.published_at
                else ""
            )
        ),
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
        then=ledger_url(consultation, decision.theme),
        message=lambda d: (
            f"Saved: the forum {'agrees with' if d.forum_view is ForumView.AGREED else 'disputes'} "
            f"the answer from {d.partner.name}."
        ),
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


@bp.route("/areas/<area_slug>/consultations/<slug>/publish-response", methods=["GET", "POST"])
@access(can_publish_response, load=load_consultation, subject="consultation", explain=PUBLISH)
def publish_response(area, consultation):
    form = PublishForm()

    def message(result: publishing.Published) -> str:
        if not (result.themes or result.decisions):
            return "Everything was already published. Nothing new to publish."
        parts = []
        if result.themes:
            parts.append(f"{len(result.themes)} theme{'s' if len(result.themes) != 1 else ''}")
        if result.decisions:
            n = len(result.decisions)
            parts.append(f"{n} answer{'s' if n != 1 else ''}")
        return f"Published {' and '.join(parts)}. They are on the consultation page now."

    done = accept(
        form,
        lambda: publishing.publish_response(consultation, actor=current_user),
        refused=publishing.PublishRefused,
        field=None,
        then=f"{consultation.url}#we-did",
        message=message,
    )
    themes = publishing.ledger_of(consultation)
    return done or form_page(
        "outcomes/decisions/publish.html",
        form,
        area=area,
        consultation=consultation,
        plan=publishing.plan_publishing(consultation, themes),
    )


def ledger_staff_links(consultation) -> list[tuple[str, str]]:
    """For the consultation page: where the current organiser or responder answers, reviews
    and publishes (nothing for anyone else, or before the consultation closes)."""
    if not can_view_ledger(current_user, consultation):
        return []
    url = ledger_url(consultation)
    if responder_partner_id(current_user, consultation.area) is not None:
        return [("Answer the themes for your organisation", url)]
    links = [("See partners’ answers and agree or dispute them", url)]
    if can_publish_response(current_user, consultation):
        publish = url_for(
            "outcomes.publish_response", area_slug=consultation.area.slug, slug=consultation.slug
        )
        links.append(("Publish the response", publish))
    return links


# The consultation page shows the published section without the consultations package
# knowing about outcomes.
bp.add_app_template_global(publishing.published_ledger, "published_ledger")
bp.add_app_template_global(ledger_staff_links, "ledger_staff_links")
bp.add_app_template_global(publishing.overdue_days, "decision_overdue_days")
bp.add_app_template_global(publishing.changed_since_published, "decision_changed")
bp.add_app_template_global(publishing.commitment_url, "commitment_url")
