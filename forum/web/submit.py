"""The POST half of a form view, written once.

Every organiser form does the same dance: send a repeated submission to where the first one
went, validate, call one service, roll back and show the service's refusal beside a field, or
commit, say so, remember the form as done and redirect (303, or HX-Redirect for htmx).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash

from forum.extensions import db
from forum.web.htmx import redirect_after_post, render


def accept(
    form,
    action: Callable[[], object],
    *,
    refused: type[Exception] | tuple[type[Exception], ...],
    field: str | None,
    then: str | Callable[[object], str],
    message: str | Callable[[object], str] | None = None,
    respond: Callable[[object], Response] | None = None,
) -> Response | None:
    """Run `action` for a valid, first-time submission of `form`.

    Returns the redirect to send, or None when the form should be shown again (it was not
    submitted, was invalid, or the service raised `refused`, whose message goes on `field`).
    `then` and `message` may be functions of what `action` returned. `respond`, when given,
    makes the response from that instead of the redirect to `then` (the survey builder answers
    htmx with the new question list); a repeated submission calls it with None.
    """
    if done := form.already_done():
        return respond(None) if respond is not None else redirect_after_post(done)
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except refused as exc:
        db.session.rollback()
        show_refusal(form, exc, field)
        return None
    db.session.commit()
    url = then(result) if callable(then) else then
    form.mark_done(url)
    if respond is not None:
        return respond(result)
    if message:
        flash(message(result) if callable(message) else message, "success")
    return redirect_after_post(url)


def show_refusal(form, exc: Exception, field: str | None = None) -> None:
    """Put a service's refusal beside the field it names (`exc.field`, when the form has it),
    else beside `field`, else at the top of the form."""
    name = getattr(exc, "field", None)
    if not (name and name in form):
        name = field
    if name and name in form:
        form[name].errors = [*form[name].errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def form_page(template: str, form, **context) -> Response:
    """Show a form page: 422 when it came back with mistakes, so htmx and tests can tell."""
    return render(template, status=422 if form.errors else 200, form=form, **context)


def press(
    action: Callable[[], object],
    *,
    refused: type[Exception] | tuple[type[Exception], ...],
    then: str | Callable[[], str],
    message: str | None = None,
) -> Response:
    """The POST of a one-button form with nothing to validate: run `action` and commit, saying
    `message`; a refusal (a stale page) is rolled back and said as an error instead. Either
    way, 303 to `then`."""
    try:
        action()
    except refused as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if message:
            flash(message, "success")
    return redirect_after_post(then() if callable(then) else then)
