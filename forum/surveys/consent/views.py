"""The quoting page: a person sees whether the forum may quote their words, the history of that
consent, and withdraws it (whenever) or gives it again (while the consultation is open).

Whose response it shows: the one a private link points at (kept in this browser's session after
the link is opened, so the secret leaves the address bar and the logs at once), else the signed-in
person's named response, else, while the survey is open, the response this browser or account is
answering as. It never takes a response from the URL, so nobody can open another person's.
Also "Your survey answers" (`/account/responses`): a signed-in person's named responses.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_login import current_user

from forum.extensions import db
from forum.surveys import BASE, bp
from forum.surveys.answering.views import current_response, remember_link, session_link
from forum.surveys.consent import services as consent
from forum.surveys.consent.forms import GIVE, WITHDRAW, OnRequestForm, QuotingForm
from forum.surveys.consent.permissions import (
    can_change_quoting,
    can_give_consent,
    can_withdraw_on_request,
)
from forum.surveys.consent.queries import (
    consent_questions,
    find_by_link,
    history_of,
    my_responses,
    named_response,
)
from forum.surveys.queries import load_survey, questions_of
from forum.web.auth import access, signed_in
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render
from forum.web.security import private
from forum.web.submit import accept, form_page, show_refusal

VIEW = "This consultation is not published yet."
ORGANISERS = "Only organisers of {area.forum_name} can withdraw consent for someone who asks them."


def _load(kwargs: dict) -> dict:
    """The consultation and its survey; 404 unless the survey asks whether people may be
    quoted."""
    kwargs = load_survey(kwargs)
    survey = kwargs["survey"]
    if survey is None or not consent_questions(survey):
        abort(404)
    return kwargs


def quoter(view):
    return access(can_change_quoting, load=_load, subject="consultation", explain=VIEW)(
        private(view)
    )


def _mine(survey):
    """The visitor's own sent response, however they can be recognised; else None."""
    found = find_by_link(survey, session_link(survey)) or named_response(survey, current_user)
    if found is None:
        found = current_response(survey)
    if found is None or not found.is_submitted:
        return None
    return found


@bp.route(BASE + "/quoting", methods=["GET", "POST"])
@quoter
def quoting(area, consultation, survey):
    response = _mine(survey)
    form = QuotingForm()
    status = 200
    if request.method == "POST":
        if response is None:
            abort(404)
        if done := form.already_done():
            return redirect_after_post(done)
        if form.validate_on_submit():
            questions = questions_of(survey)
            try:
                if form.choice.data == WITHDRAW:
                    changed = consent.withdraw(response, survey, questions)
                    message = "We will not quote your words."
                else:
                    changed = consent.give(response, survey, questions)
                    message = "The forum may quote your words, without your name."
            except consent.ConsentError as exc:
                db.session.rollback()
                show_refusal(form, exc)
            else:
                db.session.commit()
                url = survey.page_url("quoting")
                form.mark_done(url)
                if changed:
                    flash(message, "success")
                return redirect_after_post(url)
        status = 422
    return render(
        "surveys/consent/quoting.html",
        status=status,
        area=area,
        consultation=consultation,
        survey=survey,
        response=response,
        history=history_of(response) if response else [],
        form=form,
        can_give=can_give_consent(consultation),
        withdraw=WITHDRAW,
        give=GIVE,
        withdraw_wording=consent.WITHDRAW_WORDING,
        give_wording=consent.GIVE_WORDING,
    )


@bp.get(BASE + "/quoting/<token>")
@quoter
def quoting_link(area, consultation, survey, token: str):
    """The private link: it is kept in this browser's session and the person is sent on to the
    quoting page, so the secret does not stay in the address bar. Nothing is written."""
    if find_by_link(survey, token) is None:
        abort(404)
    remember_link(survey, token)
    return redirect(survey.page_url("quoting"))


@bp.post(BASE + "/quoting-link")
@quoter
def new_quoting_link(area, consultation, survey):
    """A new private link for the visitor's own response (the old one stops working), shown on
    the confirmation page while this browser has it."""
    response = _mine(survey)
    form = ActionForm()
    if response is None or response.user_id is not None:
        abort(404)
    if done := form.already_done():
        return redirect_after_post(done)
    if not form.validate_on_submit():
        flash("The page had expired. Try again.", "error")
        return redirect_after_post(survey.page_url("done"))
    remember_link(survey, consent.new_link(response))
    db.session.commit()
    form.mark_done(survey.page_url("done"))
    return redirect_after_post(survey.page_url("done"))


@bp.route(BASE + "/quoting/on-request", methods=["GET", "POST"])
@access(can_withdraw_on_request, load=_load, subject="consultation", explain=ORGANISERS)
def withdraw_on_request(area, consultation, survey):
    """Someone asked the forum to stop quoting them (they answered on paper, or lost their
    private link): an organiser withdraws consent by the reference they give."""
    form = OnRequestForm()
    url = survey.page_url("withdraw_on_request")
    done = accept(
        form,
        lambda: consent.withdraw_on_request(
            survey, questions_of(survey), form.reference.data or "", actor=current_user
        ),
        refused=consent.ConsentError,
        field="reference",
        then=url,
        message=lambda r: f"The forum will no longer quote response {r.reference}.",
    )
    return done or form_page(
        "surveys/consent/on_request.html",
        form,
        area=area,
        consultation=consultation,
        survey=survey,
    )


@bp.get("/account/responses")
@signed_in
@private
def my_survey_responses():
    return render(
        "surveys/consent/my_responses.html",
        responses=my_responses(current_user),
    )
