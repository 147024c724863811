"""Recording a national outcome on a theme (organisers), and what the consultation page shows
of national outcomes beside the published "you said, we did"."""

from __future__ import annotations

from flask_login import current_user

from forum.outcomes import bp
from forum.outcomes.national_outcomes import queries, services
from forum.outcomes.national_outcomes.forms import NationalOutcomeForm
from forum.outcomes.national_outcomes.permissions import can_record_national_outcome
from forum.outcomes.permissions import can_view_published
from forum.outcomes.themes.queries import load_theme
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.submit import accept, form_page

THEME = "/areas/<area_slug>/consultations/<slug>/themes/<int:theme_id>/national-outcome"
RECORD = (
    "Only organisers of {area.forum_name} can record a national outcome, once the consultation "
    "has closed."
)


@bp.route(THEME, methods=["GET", "POST"])
@access(can_record_national_outcome, load=load_theme, subject="consultation", explain=RECORD)
def national_outcome(area, consultation, theme):
    outcome = queries.get_for(theme)
    data = None
    if outcome is not None:
        data = {
            "body_name": outcome.body_name,
            "decision": outcome.decision,
            "decided_on": outcome.decided_on,
            "link": outcome.link,
        }
    form = NationalOutcomeForm(data=data)
    done = accept(
        form,
        lambda: services.save_national_outcome(
            theme,
            body_name=form.body_name.data or "",
            decision=form.decision.data or "",
            decided_on=form.decided_on.data,
            link=form.link.data or "",
            actor=current_user,
        ),
        refused=services.NationalOutcomeError,
        field="decision",
        then=theme.url,
        message="The national outcome is saved. It shows beside the partners’ answers.",
        row=outcome,
        what="this national outcome",
    )
    return done or form_page(
        "outcomes/national_outcomes/form.html",
        form,
        area=area,
        consultation=consultation,
        theme=theme,
        outcome=outcome,
        remove_form=ActionForm(),
    )


@bp.post(THEME + "/remove")
@access(can_record_national_outcome, load=load_theme, subject="consultation", explain=RECORD)
def national_outcome_remove(area, consultation, theme):
    form = ActionForm()
    removed_message = "The national outcome is removed."
    done = accept(
        form,
        lambda: services.remove_national_outcome(theme, actor=current_user),
        refused=services.NationalOutcomeError,
        field=None,
        then=theme.url,
        message=lambda removed: removed_message if removed else "It was already removed.",
    )
    return done or form_page(
        "outcomes/national_outcomes/form.html",
        NationalOutcomeForm(),
        area=area,
        consultation=consultation,
        theme=theme,
        outcome=queries.get_for(theme),
        remove_form=form,
    )


def national_outcomes_for(consultation) -> dict:
    """For the consultation page's "you said, we did" (only asked when it is shown): the
    national outcome of each theme that has one."""
    if not can_view_published(current_user, consultation):
        return {}
    return queries.published_on(consultation)
