"""The POST half of a form view, written once.

Every organiser form does the same dance: send a repeated submission to where the first one
went, validate, refuse an edit made from a stale copy of the row (`forum/web/versions.py`),
claim the form's submission key (`forum/web/submissions.py`), call one service, roll back and
show the service's refusal beside a field, or record where the form went, commit, say so and
redirect (303, or HX-Redirect for htmx). The claim, the change and the record of where it
went are one transaction, so copies of one POST sent at once make one change.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash
from sqlalchemy.orm.exc import StaleDataError

from forum.extensions import db
from forum.web import versions
from forum.web.htmx import redirect_after_post, render

#: said when a button's change met someone else's change to the same thing at the same moment
PRESSED_TOGETHER = (
    "Someone else changed this at the same moment, so your change was not made. Check the page, "
    "then try again."
)
#: said when another copy of the same form won a race but recorded nowhere to go
ALREADY_SENT = (
    "This form was sent more than once at the same time, and the first one is still being "
    "saved. Check whether your change is there before you send it again."
)


def accept(
    form,
    action: Callable[[], object],
    *,
    refused: type[Exception] | tuple[type[Exception], ...],
    field: str | None,
    then: str | Callable[[object], str],
    message: str | Callable[[object], str] | None = None,
    respond: Callable[[object], Response] | None = None,
    row: object | None = None,
    what: str = "this",
) -> Response | None:
    """Run `action` for a valid, first-time submission of `form`.

    Returns the redirect to send, or None when the form should be shown again (it was not
    submitted, was invalid, or the service raised `refused`, whose message goes on `field`).
    `then` and `message` may be functions of what `action` returned. `respond`, when given,
    makes the response from that instead of the redirect to `then` (the survey builder answers
    htmx with the new question list); a repeated submission calls it with None.

    `row`, for an edit form, is the row it changes, named by `what` in the message ("this
    commitment") when the form was filled from an older version of it than the saved one.
    """
    if row is not None:
        versions.carry(form, row)
    if done := form.already_done():
        return respond(None) if respond is not None else redirect_after_post(done)
    valid = form.validate_on_submit()
    fresh = row is None or versions.check(form, row, what=what)
    if not (valid and fresh):
        return None
    if (lost := form.claim()) is not None:
        db.session.rollback()
        if lost.url:
            return respond(None) if respond is not None else redirect_after_post(lost.url)
        form.form_errors.append(ALREADY_SENT)
        return None
    try:
        result = action()
        if row is not None:
            versions.saved(row)
        url = then(result) if callable(then) else then
        form.mark_done(url)
        db.session.commit()
    except refused as exc:
        db.session.rollback()
        show_refusal(form, exc, field)
        return None
    except StaleDataError:
        # Someone else's change to the row was committed between reading it and writing it
        # (PostgreSQL; SQLite writes one at a time).
        db.session.rollback()
        message = versions.STALE.format(what=what)
        if row is not None:
            versions.refuse(form, row, message)
        else:
            form.form_errors.append(message)
        return None
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
        db.session.commit()
    except refused as exc:
        db.session.rollback()
        flash(str(exc), "error")
    except StaleDataError:
        # Someone else's change to the same row was committed in between (PostgreSQL).
        db.session.rollback()
        flash(PRESSED_TOGETHER, "error")
    else:
        if message:
            flash(message, "success")
    return redirect_after_post(then() if callable(then) else then)


#: said beside the file when some of its rows are wrong (the rows are listed on the page)
FIX_THE_ROWS = "Nothing was kept. Fix the rows listed below, then upload the file again."


def accept_upload(
    form,
    *,
    limit: int,
    check: Callable[[bytes | None], object],
    keep: Callable[[object], object],
    refused: type[Exception] | tuple[type[Exception], ...],
    then: str,
    message: Callable[[object], str],
    missing: str | None,
    field: str = "file",
    fix_rows: str = FIX_THE_ROWS,
) -> tuple[Response | None, object | None]:
    """The POST half of an import: the file (up to `limit` bytes) is checked whole by
    `check(data)`, which returns something with `ok` and `problems` (each with `row`, 0 for the
    whole file, and `message`, and perhaps the `field` it is about); only a file with no
    problem is given to `keep(checked)`, once, in the transaction that claims the form. With
    `missing` None the file is optional, and `check(None)` decides without one. Returns (the
    response to send, or None to show the form again; what `check` found, for the page to
    list)."""
    if done := form.already_done():
        return redirect_after_post(done), None
    if not form.validate_on_submit():
        return None, None
    box = getattr(form, field)
    upload = box.data
    if not upload or not getattr(upload, "filename", ""):
        if missing is not None:
            box.errors = [missing]
            return None, None
        upload = None
    checked = check(upload.read(limit + 1) if upload is not None else None)
    problems = checked.problems  # type: ignore[attr-defined]
    if not checked.ok:  # type: ignore[attr-defined]
        db.session.rollback()
        whole = len(problems) == 1 and problems[0].row == 0
        named = getattr(problems[0], "field", None) if whole else None
        target = getattr(form, named) if named and hasattr(form, named) else box
        target.errors = [problems[0].message if whole else fix_rows]
        return None, checked
    if (lost := form.claim()) is not None:
        # The same upload sent twice at once: the first one made it.
        db.session.rollback()
        return redirect_after_post(lost.url or then), checked
    try:
        result = keep(checked)
    except refused as exc:
        db.session.rollback()
        named = getattr(exc, "field", None)
        target = getattr(form, named) if named and hasattr(form, named) else box
        target.errors = [str(exc)]
        return None, checked
    form.mark_done(then)
    db.session.commit()
    flash(message(result), "success")
    return redirect_after_post(then), checked
