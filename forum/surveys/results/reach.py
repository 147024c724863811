"""Who answered a survey, by the family profiles respondents gave (`forum.members.reach`),
beside the area's children and young people with SEND: the consultation's reach report.

Only responses that count and were sent from an account are linked to a profile; an anonymous
survey is linked to nobody's, and says so. The counts are protected for everyone, the
organisers included, exactly as the members' report is. The organisers see it; everyone who
may see the survey's results sees it too once the forum publishes its reach reports.
"""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import func, select

from forum.disclosure import EXPLAINED, count_of
from forum.extensions import db
from forum.members import reach
from forum.members.permissions import can_view_reach
from forum.surveys import BASE, bp
from forum.surveys.models import Response, counted_responses
from forum.surveys.results.permissions import can_view_survey_results, sees_exact_results
from forum.surveys.results.queries import load_results
from forum.web.auth import NotAllowed, access
from forum.web.htmx import render

NOT_YET = (
    "The organisers of {forum} have not published who the forum hears from. Ask them if you "
    "would like to see it."
)


def respondents(survey):
    """The account ids of the survey's counted respondents, as a select."""
    return select(Response.user_id).where(
        Response.survey_id == survey.id,
        Response.area_id == survey.area_id,
        counted_responses(),
        Response.user_id.is_not(None),
    )


def responses_version(survey):
    """A scalar select that changes whenever the survey's counted responses do."""
    return (
        select(func.count(Response.id) * 1_000_000_007 + func.coalesce(func.max(Response.id), 0))
        .where(
            Response.survey_id == survey.id,
            Response.area_id == survey.area_id,
            counted_responses(),
        )
        .scalar_subquery()
    )


@bp.get(BASE + "/reach")
@access(can_view_survey_results, load=load_results, subject="survey", explain="")
def survey_reach(area, consultation, survey):
    organiser = sees_exact_results(current_user, consultation)
    if not can_view_reach(current_user, area, published=organiser or reach.is_published(area)):
        raise NotAllowed(NOT_YET.format(forum=area.forum_name))
    report = None
    answered = None
    if not survey.is_anonymous:
        report = reach.breakdown(
            area,
            people=respondents(survey),
            who="respondents",
            key=f"survey-{survey.id}",
            group_version=responses_version(survey),
        )
        total = db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(
                Response.survey_id == survey.id,
                Response.area_id == survey.area_id,
                counted_responses(),
            )
        )
        answered = count_of(total or 0, exact=False)
    return render(
        "surveys/reach.html",
        area=area,
        consultation=consultation,
        survey=survey,
        report=report,
        answered=answered,
        explained=EXPLAINED,
    )
