"""The results page of a survey, its filter, and the organisers' choice of who sees it.

The page includes its results (`_results.html`), made once and kept (see `_page`). The filter
is a GET form: without JavaScript
it loads the page again; sent by htmx it answers with the results alone, and the address bar
follows. The form's select sends one value, "<question id>:<option key>"; the address always
carries it as `?by=<question id>&is=<option key>` (plain browsers are redirected there, htmx
is told to push it).

Anyone but the area's organisers sees the figures as `forum.disclosure` publishes them, and
may filter only once the consultation has closed (`can_filter_results`).
"""

from __future__ import annotations

from typing import NamedTuple

from flask import redirect, render_template, request
from flask_login import current_user

from forum.areas.data_versions import kept_for_area, kept_html_for_area, made
from forum.areas.permissions import standing_in
from forum.disclosure import EXPLAINED
from forum.members import reach
from forum.surveys import BASE, bp
from forum.surveys.models import ResultsVisibility
from forum.surveys.queries import page_survey, questions_of, sections_of
from forum.surveys.results.filters import (
    ProfileFilter,
    filter_questions,
    read_filter,
    split_filter_value,
)
from forum.surveys.results.forms import PublishForm
from forum.surveys.results.permissions import (
    can_filter_results,
    can_publish_results,
    can_view_results,
    can_view_survey_results,
    sees_exact_results,
    written_answers_shown,
)
from forum.surveys.results.queries import (
    count_submitted,
    load_results,
    published_on,
    survey_results,
)
from forum.surveys.results.services import set_results_visibility
from forum.web.auth import access
from forum.web.htmx import render, wants_fragment
from forum.web.submit import accept

RESULTS = BASE + "/results"

VIEW = (
    "You cannot see these results. Until the organisers of {area.forum_name} publish them, "
    "only the forum's organisers and its partners' responders can. Once published, they are "
    "shared with members of the forum or with everyone."
)
PUBLISH = (
    "Only organisers of {area.forum_name} can choose who sees a survey's results, and only "
    "once the consultation has opened."
)

FILTERS_LATER = (
    "Results can be filtered by an answer once the consultation has closed, so the results "
    "of everyone who responded are shown."
)

SAID = {
    ResultsVisibility.ORGANISERS: "The results are not published. Only organisers and "
    "responders of the forum can see them.",
    ResultsVisibility.MEMBERS: "The results are published to members of the forum.",
    ResultsVisibility.PUBLIC: "The results are published. Anyone can see them.",
}


def _page(
    area,
    consultation,
    survey,
    *,
    by: str | None = None,
    key: str | None = None,
    form=None,
    status: int = 200,
    push: str | None = None,
):
    may_filter = can_filter_results(current_user, consultation)
    exact = sees_exact_results(current_user, consultation)
    written = written_answers_shown(current_user, consultation, survey)
    problem = None
    if not may_filter and (by or key):
        problem = FILTERS_LATER

    def make() -> tuple[str, bool]:
        questions = questions_of(survey)
        # Anonymous answers are linked to nobody's family profile.
        profiles = reach.filter_choices(area) if may_filter and not survey.is_anonymous else []
        chosen, trouble = read_filter(by, key, questions, profiles) if may_filter else (None, None)
        results = survey_results(
            survey,
            questions,
            # Family profiles are seen only in aggregate, by organisers too.
            exact=exact and not isinstance(chosen, ProfileFilter),
            chosen=chosen,
            written=written,
        )
        return render_template(
            "surveys/_results_made.html",
            area=area,
            consultation=consultation,
            survey=survey,
            results=results,
            sections={section.id: section for section in sections_of(survey)},
            problem=trouble or problem,
            filters=filter_questions(questions) if may_filter else [],
            profile_filters=profiles,
            explained=EXPLAINED,
            results_url=survey.results_url,
        ), results.exact

    # Responses are not among the rows that move the area's data version (a survey's answers
    # arrive hundreds a second at busy times): while the survey takes them, the number sent
    # names the results too (one count on an index); the organisers' changes to responses
    # (quarantine, paper responses, edits, confirmed addresses) move the version themselves.
    state = consultation.state.value
    sent = count_submitted(survey) if state == "open" else None
    standing = standing_in(current_user, area)
    html, exact = kept_for_area(
        area,
        ("results", survey.id, standing, by, key, bool(wants_fragment()), state, sent),
        make,
    )
    may_publish = can_publish_results(current_user, consultation)
    publish_form = None
    if may_publish and form is None:
        # The organisers' unfilled form is the same for them all but its CSRF token (which
        # `kept` puts in for each request); one sent back with errors is made each time.
        visibility = survey.results_visibility.value
        publish_form = kept_html_for_area(
            area,
            ("results publish form", survey.id, visibility),
            lambda: render_template(
                "surveys/_results_publish.html",
                survey=survey,
                form=PublishForm(data={"visibility": visibility}),
            ),
        )
    response = render(
        "surveys/results.html",
        fragment="surveys/_results.html",
        status=status,
        area=area,
        consultation=consultation,
        survey=survey,
        results_made=made(html),
        exact=exact,
        explained=EXPLAINED,
        form=form,
        publish_form=publish_form,
        may_publish=may_publish,
        published_on=published_on(survey),
        results_url=survey.results_url,
    )
    if push:
        response.headers["HX-Push-Url"] = push
    return response


@bp.get(RESULTS)
@access(can_view_survey_results, load=load_results, subject="survey", explain=VIEW)
def results(area, consultation, survey):
    by, key = request.args.get("by"), request.args.get("is")
    push = None
    if "filter" in request.args:
        # The filter form's one select: the address takes its canonical form.
        by, key = split_filter_value(request.args.get("filter", ""))
        push = survey.page_url("results", **({"by": by, "is": key} if by or key else {}))
        if not wants_fragment():
            return redirect(push)
    return _page(area, consultation, survey, by=by, key=key, push=push)


@bp.post(RESULTS + "/publish")
@access(can_publish_results, load=load_results, subject="consultation", explain=PUBLISH)
def publish_results(area, consultation, survey):
    form = PublishForm()

    def publish():
        visibility = ResultsVisibility(form.visibility.data)
        set_results_visibility(survey, visibility, actor=current_user, area=area)
        return visibility

    done = accept(
        form,
        publish,
        refused=(),
        field="visibility",
        then=survey.results_url,
        message=lambda visibility: SAID[visibility],
    )
    if done:
        return done
    return _page(area, consultation, survey, form=form, status=422)


class SurveyInfo(NamedTuple):
    """What the consultation page says of its survey."""

    #: questions new respondents see
    questions: int
    #: the results page, when the person looking may see it
    results_at: str | None


def survey_info(consultation) -> SurveyInfo | None:
    """For the consultation page (hook): how many questions its survey asks, and where its
    results are for those who may see them (the survey read once: `page_survey`). None
    without a survey."""
    summary = page_survey(consultation)
    if summary is None:
        return None
    survey = summary.survey
    shown = can_view_results(current_user, consultation, survey)
    return SurveyInfo(summary.questions, survey.results_url if shown else None)
