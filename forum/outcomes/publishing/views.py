"""Publishing the response (the organisers' confirmation page), and what the consultation page
shows of the ledger: the published "We asked, you said, we did" section and the staff links."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from forum.areas.data_versions import kept_html_for_area
from forum.areas.permissions import standing_in
from forum.consultations.queries import load_consultation
from forum.models import utcnow
from forum.outcomes import bp
from forum.outcomes.national_outcomes.views import national_outcomes_for
from forum.outcomes.permissions import can_view_ledger, can_view_published
from forum.outcomes.publishing import queries, services
from forum.outcomes.publishing.forms import PublishForm
from forum.outcomes.publishing.permissions import can_publish_response
from forum.outcomes.urls import decisions_url, publish_url
from forum.plans.permissions import responder_partner_id
from forum.web.auth import access
from forum.web.submit import accept, form_page

PUBLISH = (
    "Only the organisers of {area.forum_name} can publish the response, once the consultation "
    "has closed."
)


@bp.route("/areas/<area_slug>/consultations/<slug>/publish-response", methods=["GET", "POST"])
@access(can_publish_response, load=load_consultation, subject="consultation", explain=PUBLISH)
def publish_response(area, consultation):
    form = PublishForm()

    def message(result: services.Published) -> str:
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
        lambda: services.publish_response(consultation, actor=current_user),
        refused=services.PublishRefused,
        field=None,
        then=f"{consultation.url}#we-did",
        message=message,
    )
    themes = queries.ledger_of(consultation)
    return done or form_page(
        "outcomes/decisions/publish.html",
        form,
        area=area,
        consultation=consultation,
        plan=queries.plan_publishing(consultation, themes),
    )


def published_ledger_made(consultation) -> Markup | None:
    """For the consultation page: the "We asked, you said, we did" section, made, or None when
    the current viewer may not see it or nothing has been published. Kept for everyone who
    stands alike in the area until its data changes (forum/areas/data_versions.py), and at
    most ten minutes: responses entered on paper after publishing (untracked rows) show in
    its counts within that."""
    if not can_view_published(current_user, consultation):
        return None

    def make() -> str:
        ledger = queries.build_published(consultation)
        if not ledger.themes:
            return ""
        return render_template(
            "outcomes/published/_ledger.html",
            consultation=consultation,
            ledger=ledger,
            national_outcomes=national_outcomes_for(consultation),
        )

    moment = utcnow().strftime("%Y-%m-%d %H:%M")[:-1]
    standing = standing_in(current_user, consultation.area)
    made = kept_html_for_area(
        consultation.area, ("ledger", consultation.id, standing, moment), make
    )
    return made or None


def ledger_staff_links(consultation) -> list[tuple[str, str]]:
    """For the consultation page: where the current organiser or responder answers, reviews
    and publishes (nothing for anyone else, or before the consultation closes)."""
    if not can_view_ledger(current_user, consultation):
        return []
    url = decisions_url(consultation)
    if responder_partner_id(current_user, consultation.area) is not None:
        return [("Answer the themes for your organisation", url)]
    links = [("See partners’ answers and agree or dispute them", url)]
    if can_publish_response(current_user, consultation):
        links.append(("Publish the response", publish_url(consultation)))
    return links
