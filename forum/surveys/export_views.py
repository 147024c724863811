"""Organiser pages: download a survey's responses as a CSV spreadsheet or as JSON.

A page explains what the files hold; each download is a POST, because each one is recorded in
the audit log (who, when, which format, how many responses). The entry is committed before the
first byte is sent, then the file streams (see `forum.surveys.export`).
"""

from __future__ import annotations

from flask import Response, flash, stream_with_context, url_for
from flask_login import current_user

from forum.audit.services import record
from forum.extensions import db
from forum.surveys import bp
from forum.surveys import export as exports
from forum.surveys.manage_views import BASE
from forum.surveys.queries import load_survey, questions_of
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
    return access(exports.can_export_survey, load=load, subject="consultation", explain=EXPORT)


def _page_url(consultation) -> str:
    return url_for("surveys.export", area_slug=consultation.area.slug, slug=consultation.slug)


@bp.get(BASE + "/export")
@exporter(load_survey)
def export(area, consultation, survey):
    plan = exports.plan_export(survey, questions_of(survey)) if survey else None
    return render(
        "surveys/export.html",
        area=area,
        consultation=consultation,
        survey=survey,
        plan=plan,
        submitted=exports.count_submitted(survey) if survey else 0,
    )


def _download(area, consultation, survey, extension: str):
    if survey is None:
        flash("This consultation has no survey yet, so there is nothing to download.", "error")
        return redirect_after_post(_page_url(consultation))
    plan = exports.plan_export(survey, questions_of(survey))
    rows = exports.count_submitted(survey)
    record("survey.exported", survey, actor=current_user, area=area, format=extension, rows=rows)
    db.session.commit()
    chunks = exports.csv_chunks(plan) if extension == "csv" else exports.json_chunks(plan)
    response = Response(stream_with_context(chunks), mimetype=None)
    response.headers["Content-Type"] = FORMATS[extension]
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(plan, extension)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post(BASE + "/export.csv")
@exporter(load_survey)
def export_csv(area, consultation, survey):
    return _download(area, consultation, survey, "csv")


@bp.post(BASE + "/export.json")
@exporter(load_survey)
def export_json(area, consultation, survey):
    return _download(area, consultation, survey, "json")
