"""Organiser pages: download a survey's responses as a CSV spreadsheet or as JSON.

A page explains what the files hold; each download is a POST, because each one is recorded in
the audit log (who, when, which format, how many responses). The entry is committed before the
first byte is sent, then the file streams (see `forum.surveys.export.formats`).
"""

from __future__ import annotations

from flask import Response, flash, stream_with_context
from flask_login import current_user

from forum.accounts.security.guard import recently_authenticated
from forum.extensions import db
from forum.surveys import BASE, bp
from forum.surveys.export import formats
from forum.surveys.export.forms import ExportForm
from forum.surveys.export.permissions import can_export_survey
from forum.surveys.export.plan import filename, plan_export
from forum.surveys.export.queries import count_submitted
from forum.surveys.export.services import record_export
from forum.surveys.models import survey_page_url
from forum.surveys.queries import load_survey, questions_of, sections_of
from forum.web.auth import access
from forum.web.htmx import redirect_after_post, render

EXPORT = (
    "Only organisers of {area.forum_name} can download a survey's answers. If you should be "
    "one, ask an organiser of the forum to appoint you."
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def exporter(load):
    return access(can_export_survey, load=load, subject="consultation", explain=EXPORT)


def _export_page(area, consultation, survey) -> str:
    return survey_page_url(consultation, "export")


#: the files name people: whoever downloads one must have signed in or confirmed it is them in
#: the last few minutes (a POST comes back to the export page after confirming)
fresh = recently_authenticated(back=_export_page)


def _page(area, consultation, survey, form, status=200):
    plan = (
        plan_export(survey, questions_of(survey), sections=sections_of(survey)) if survey else None
    )
    return render(
        "surveys/export.html",
        status=status,
        area=area,
        consultation=consultation,
        survey=survey,
        plan=plan,
        form=form,
        submitted=count_submitted(survey) if survey else 0,
    )


@bp.get(BASE + "/export")
@exporter(load_survey)
@fresh
def export(area, consultation, survey):
    return _page(area, consultation, survey, ExportForm())


def _download(area, consultation, survey, extension: str):
    if survey is None:
        flash("This consultation has no survey yet, so there is nothing to download.", "error")
        return redirect_after_post(survey_page_url(consultation, "export"))
    form = ExportForm()
    if not form.validate_on_submit():
        return _page(area, consultation, survey, form, status=422)
    reason = "" if survey.is_anonymous else form.reason_given
    plan = plan_export(
        survey, questions_of(survey), with_emails=bool(reason), sections=sections_of(survey)
    )
    rows = count_submitted(survey)
    record_export(
        survey, actor=current_user, area=area, extension=extension, rows=rows, email_reason=reason
    )
    db.session.commit()
    chunks = formats.csv_chunks(plan) if extension == "csv" else formats.json_chunks(plan)
    response = Response(stream_with_context(chunks), mimetype=None)
    response.headers["Content-Type"] = FORMATS[extension]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(plan, extension)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post(BASE + "/export.csv")
@exporter(load_survey)
@fresh
def export_csv(area, consultation, survey):
    return _download(area, consultation, survey, "csv")


@bp.post(BASE + "/export.json")
@exporter(load_survey)
@fresh
def export_json(area, consultation, survey):
    return _download(area, consultation, survey, "json")
