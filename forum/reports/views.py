"""The public pages of the reports: the area's published annual reports, one report (a page
that prints well), its PDF, and its figures as CSV and JSON. A draft is shown only to the
area's organisers, as the preview of what will be published. Every route checks permission
on the server; the downloads are plain GETs that change nothing."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, render_template, url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.disclosure import EXPLAINED
from forum.models import utcnow
from forum.reports import bp, documents
from forum.reports.figures import HEADINGS, SECTIONS, year_of
from forum.reports.permissions import can_manage_reports, can_read_report, can_view_reports
from forum.reports.queries import latest_published, load_report, reports_of
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.htmx import render

BASE = "/areas/<area_slug>/reports"
REPORT = f"{BASE}/<period>"
NOT_PUBLISHED = (
    "This report is not published yet. When the organisers of {area.forum_name} publish it, "
    "everyone can read it here."
)
#: said when the PDF cannot be made on this install
NO_PDF = (
    "The PDF cannot be made on this website at the moment. You can print the report from "
    "its page instead, or save it as a PDF from your browser’s print option."
)


@bp.get(BASE)
@shared_page
@access(can_view_reports, load=load_area, subject="area", explain="")
def index(area):
    """The area's published annual reports; its organisers also see drafts and start one."""
    manager = can_manage_reports(current_user, area)
    return render(
        "reports/index.html",
        area=area,
        reports=reports_of(area, published_only=not manager),
        manager=manager,
    )


#: who may see a report as a page or a download: a draft only its area's organisers
report_access = access(can_read_report, load=load_report, subject="report", explain=NOT_PUBLISHED)


def contents(report, year) -> list[tuple[str, str]]:
    """The table of contents: (anchor, heading) for each part the report shows."""
    parts = []
    if report.foreword:
        parts.append(("foreword", "Foreword"))
    if report.highlights:
        parts.append(("highlights", "Highlights of the year"))
    parts += [(f"section-{key}", heading) for key, heading in SECTIONS if report.shows(key)]
    if report.priorities:
        parts.append(("priorities", "Our priorities for next year"))
    return parts


def report_context(report, *, base: str = "") -> dict:
    """What the report's page and its PDF show. `base` goes before every link (the site's
    address in the PDF, where a path alone would lead nowhere)."""
    year = year_of(report.area, report.period)
    return {
        "area": report.area,
        "report": report,
        "year": year,
        "contents": contents(report, year),
        "headings": HEADINGS,
        "explained": EXPLAINED,
        "base": base,
        "generated_at": utcnow(),
    }


@bp.get(REPORT)
@shared_page
@report_access
def report(area, report):
    return render(
        "reports/report.html",
        fragment="reports/_report.html",
        manager=can_manage_reports(current_user, area),
        **report_context(report),
    )


def _stylesheet() -> str:
    """The PDF's stylesheet, compiled from static/src/report-pdf.scss (read once per
    process)."""
    kept = current_app.extensions.get("reports_stylesheet")
    if kept is None:
        path = Path(current_app.static_folder or "static") / "dist" / "report-pdf.css"
        try:
            kept = path.read_text(encoding="utf-8")
        except OSError:
            kept = ""
        current_app.extensions["reports_stylesheet"] = kept
    return kept


def _download(body, *, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _file_name(report, suffix: str) -> str:
    return f"annual-report-{report.area.slug}-{report.period.slug}{suffix}"


@bp.get(f"{REPORT}/report.pdf")
@shared_page
@report_access
def report_pdf(area, report):
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    html = render_template("reports/pdf.html", **report_context(report, base=base))
    try:
        pdf = documents.pdf_of(html, stylesheet=_stylesheet())
    except documents.PdfUnavailable:
        current_app.logger.warning("reports: the PDF library cannot be loaded")
        return render("reports/no_pdf.html", status=503, area=area, report=report, message=NO_PDF)
    return _download(pdf, mimetype="application/pdf", filename=_file_name(report, ".pdf"))


@bp.get(f"{REPORT}/figures.csv")
@shared_page
@report_access
def figures_csv(area, report):
    year = year_of(area, report.period)
    return _download(
        documents.figures_csv(report, year),
        mimetype="text/csv; charset=utf-8",
        filename=_file_name(report, "-figures.csv"),
    )


@bp.get(f"{REPORT}/figures.json")
@shared_page
@report_access
def figures_json(area, report):
    year = year_of(area, report.period)
    return _download(
        documents.figures_json(report, year),
        mimetype="application/json; charset=utf-8",
        filename=_file_name(report, "-figures.json"),
    )


def area_home_section(area):
    """The latest published annual report on the area's home page; for its organisers always,
    with the way to write one."""
    latest = latest_published(area)
    manager = can_manage_reports(current_user, area)
    if latest is None and not manager:
        return None
    return "reports/_area_home.html", {
        "latest": latest,
        "manager": manager,
        "index_url": url_for("reports.index", area_slug=area.slug),
    }
