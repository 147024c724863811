"""Open data pages: an area's page listing its files, the files themselves (JSON and CSV), and
the schema page that documents every field."""

from __future__ import annotations

from flask import Response, abort

from forum.areas.permissions import can_view_area
from forum.areas.queries import load_area
from forum.outcomes import bp
from forum.outcomes.open_data import queries as open_data
from forum.outcomes.open_data import schema
from forum.web.auth import access, public
from forum.web.caching import shared_page
from forum.web.htmx import render

#: open data may be cached by browsers and proxies for a short while
CACHE = "public, max-age=300"


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=None)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/areas/<area_slug>/open-data")
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
def open_data_index(area):
    return render(
        "outcomes/open_data/index.html",
        area=area,
        files=schema.SCHEMA,
        schema_version=schema.SCHEMA_VERSION,
    )


@bp.get("/areas/<area_slug>/open-data/ledger.json")
@access(can_view_area, load=load_area, subject="area", explain="")
def open_data_json(area):
    body = open_data.ledger_json(area)
    return _download(body, "application/json; charset=utf-8", f"{area.slug}-ledger.json")


@bp.get("/areas/<area_slug>/open-data/<name>.csv")
@access(can_view_area, load=load_area, subject="area", explain="")
def open_data_csv(area, name):
    if name not in schema.FILES:
        abort(404)
    body = open_data.file_csv(name, area)
    return _download(body, "text/csv; charset=utf-8", f"{area.slug}-{name}.csv")


@bp.get("/open-data/schema")
@public
def open_data_schema():
    return render(
        "outcomes/open_data/schema.html",
        files=schema.SCHEMA + schema.REPORT_FILES,
        schema_version=schema.SCHEMA_VERSION,
    )
