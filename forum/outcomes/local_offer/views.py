"""The Local Offer feedback report: a printable page, and the same figures as CSV and JSON.

Public as the published response is. The downloads are plain GETs: they hold only published,
suppressed aggregates, and change nothing.
"""

from __future__ import annotations

from flask import Response, abort, request, url_for

from forum.areas.permissions import can_view_area
from forum.areas.queries import load_area
from forum.consultations.queries import load_consultation
from forum.outcomes import bp
from forum.outcomes.local_offer import queries as reports
from forum.outcomes.local_offer.permissions import can_view_local_offer_report
from forum.web.auth import access
from forum.web.caching import shared_page
from forum.web.htmx import render

NOT_YET = (
    "This report is for Local Offer feedback, once the forum has published the response. "
    "See the consultation page for what is there now."
)

TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def _download(report: reports.Report, fmt: str) -> Response:
    body = reports.as_csv(report) if fmt == "csv" else reports.as_json(report)
    response = Response(body, mimetype=TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{report.slug}.{fmt}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _page(report: reports.Report, urls: dict, **context):
    return render(
        "outcomes/local_offer/report.html",
        area=report.area,
        report=report,
        columns=reports.CSV_COLUMNS,
        schema_version=reports.SCHEMA_VERSION,
        urls=urls,
        **context,
    )


#: who may see a consultation's Local Offer report, as a page or a download
report_access = access(
    can_view_local_offer_report,
    load=load_consultation,
    subject="consultation",
    explain=NOT_YET,
    needs_sign_in=False,
)


@bp.get("/areas/<area_slug>/consultations/<slug>/local-offer-report")
@report_access
def local_offer_report(area, consultation):
    report = reports.report_for(consultation)
    base = {"area_slug": area.slug, "slug": consultation.slug}
    urls = {
        fmt: url_for("outcomes.local_offer_download", fmt=fmt, **base) for fmt in ("csv", "json")
    }
    return _page(report, urls, consultation=consultation)


@bp.get("/areas/<area_slug>/consultations/<slug>/local-offer-report.<any(csv, json):fmt>")
@report_access
def local_offer_download(area, consultation, fmt):
    return _download(reports.report_for(consultation), fmt)


def _year(area) -> int | None:
    value = request.args.get("year", "")
    if not value:
        return None
    if not (value.isdigit() and len(value) == 4 and 2000 <= int(value) <= 2100):
        abort(404)
    return int(value)


@bp.get("/areas/<area_slug>/local-offer-report")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
def local_offer_year(area):
    """A year's report (regulation 56 asks for at least one a year), or the list of years."""
    year = _year(area)
    years = reports.years_with_reports(area)
    if year is None:
        return render("outcomes/local_offer/years.html", area=area, years=years)
    report = reports.year_report(area, year)
    urls = {
        fmt: url_for("outcomes.local_offer_year_download", area_slug=area.slug, fmt=fmt, year=year)
        for fmt in ("csv", "json")
    }
    return _page(report, urls, years=years)


@bp.get("/areas/<area_slug>/local-offer-report.<any(csv, json):fmt>")
@access(can_view_area, load=load_area, subject="area", explain="")
def local_offer_year_download(area, fmt):
    year = _year(area)
    if year is None:
        abort(404)
    return _download(reports.year_report(area, year), fmt)
