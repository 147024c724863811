"""The plan scorecard (its own page, and the same fragment under the plan page) and the
national page comparing areas on the same published figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import click
from flask import abort, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from forum import hooks
from forum.areas.data_versions import kept_html, kept_html_for_area, token_of_every_area
from forum.areas.models import Area
from forum.areas.permissions import standing_in
from forum.disclosure import FEWER, Count, published
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes import bp
from forum.outcomes.permissions import sees_exact_figures
from forum.outcomes.scorecard.queries import (
    Figures,
    Scorecard,
    Shown,
    all_areas,
    area_ids_by_slug,
    national_figures,
    plan_scorecard,
)
from forum.outcomes.scorecard.services import refresh_figures
from forum.plans.models import LocalPlan
from forum.plans.permissions import can_view_plan
from forum.plans.queries import load_plan
from forum.web.auth import access, public
from forum.web.caching import shared_page
from forum.web.htmx import render

# --- the plan scorecard ----------------------------------------------------------------------


def load_visible_plan(kwargs: dict) -> dict:
    """URL loader: the area's plan by slug. A plan the person may not see is not found (404),
    so nobody learns that an unpublished plan exists."""
    kwargs = load_plan(kwargs)
    if not can_view_plan(current_user, kwargs["plan"]):
        abort(404)
    return kwargs


def scorecard_for(plan: LocalPlan) -> Scorecard:
    """The plan's scorecard as the current person may see it: the area's organisers and
    admins see exact counts; everyone else, responders included, the protected ones."""
    return plan_scorecard(plan, exact=sees_exact_figures(current_user, plan.area))


@dataclass(frozen=True)
class Bar:
    """One bar of `components/chart.html`'s chart."""

    chart_label: str
    count: Count


def status_bars(figures: Figures) -> list[Bar]:
    total = figures.commitments_total
    return [
        Bar(status.label, Count(n, int(n * 100 / total + 0.5) if total else 0))
        for status, n in figures.commitment_rows()
    ]


def take_up_bars(scorecard: Scorecard) -> list[Bar]:
    """Take-up per priority, for the priorities with at least one answered decision."""
    return [
        Bar(
            _short(f"{row.priority.code} {row.priority.title}"),
            Count(row.figures.taken_up, row.figures.take_up),
        )
        for row in scorecard.rows
        if row.figures.decided
    ]


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class ScorecardView:
    """Everything `outcomes/scorecard/_scorecard_made.html` shows, as `card`."""

    scorecard: Scorecard
    status_bars: list[Bar]
    take_up_bars: list[Bar]
    #: the scorecard's own page
    url: str
    #: True on that page; False where the plan page includes the fragment
    standalone: bool = False
    #: `(template, context)` sections from areas above outcomes (`hooks.scorecard_sections`)
    sections: tuple = ()


def plan_scorecard_view(plan: LocalPlan, *, standalone: bool = False) -> ScorecardView:
    """The fragment's context (`card` in outcomes/scorecard/_scorecard_made.html)."""
    scorecard = scorecard_for(plan)
    return ScorecardView(
        scorecard,
        status_bars(scorecard.whole.figures),
        take_up_bars(scorecard),
        url_for("outcomes.scorecard", area_slug=plan.area.slug, plan_slug=plan.slug),
        standalone,
        tuple(hooks.scorecard_sections.results(plan)),
    )


def plan_scorecard_made(plan: LocalPlan, *, standalone: bool = False) -> Markup:
    """The scorecard, made: kept for everyone who stands where this person does in the area
    until its data changes (and at most ten minutes, as "overdue" moves on with the clock)."""
    moment = utcnow().strftime("%Y-%m-%d %H:%M")[:-1]
    standing = standing_in(current_user, plan.area)
    return kept_html_for_area(
        plan.area,
        ("scorecard", plan.id, standalone, standing, moment),
        lambda: render_template(
            "outcomes/scorecard/_scorecard_made.html",
            card=plan_scorecard_view(plan, standalone=standalone),
            area=plan.area,
            plan=plan,
        ),
    )


@bp.get("/areas/<area_slug>/plans/<plan_slug>/scorecard")
@shared_page
@access(can_view_plan, load=load_visible_plan, subject="plan", explain="")
def scorecard(area, plan):
    return render(
        "outcomes/scorecard/page.html",
        fragment="outcomes/scorecard/_scorecard.html",
        area=area,
        plan=plan,
        plan_url=plan.url,
        scorecard_made=plan_scorecard_made(plan, standalone=True),
    )


# --- the national page -----------------------------------------------------------------------

#: column key → (heading, numeric); every key is a valid `sort` value
COLUMNS = {
    "area": ("Area", False),
    "consultations": ("Consultations", True),
    "participants": ("People who took part", True),
    "items": ("Feedback items", True),
    "themes": ("Themes", True),
    "answered": ("Themes answered", True),
    "take_up": ("Take-up", True),
    "median_days": ("Median days to respond", True),
    "overdue": ("Overdue", True),
    "commitments": ("Commitments done", True),
}
DEFAULT_SORT = "area"


@dataclass(frozen=True)
class AreaRow:
    area: Area
    figures: Shown
    #: the figures of the columns higher areas add (`hooks.national_columns`), by key
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def done_share(self) -> int | None:
        f = self.figures
        return (
            int(f.commitments_done * 100 / f.commitments_total + 0.5)
            if f.commitments_total
            else None
        )

    def key(self, column: str):
        """What the column sorts by. People and items sort by the figure shown (rounded to
        the nearest 5; 1 to 4 shown as "fewer than 5" sort as equal, by area name): the order
        must not give the hidden number away."""
        f = self.figures
        if column in self.extra:
            return self.extra[column]
        if column in ("participants", "items"):
            if f.figures.counted_at is None:
                return None
            return _withheld_key(
                getattr(f.figures, column), getattr(f.figures, f"vouched_{column}")
            )
        return {
            "consultations": f.consultations,
            "themes": f.themes,
            "answered": f.share_answered,
            "take_up": f.take_up,
            "median_days": f.median_days,
            "overdue": f.overdue,
            "commitments": self.done_share,
        }[column]


def _withheld_key(n: int, vouched: int) -> int:
    shown = published(n, vouched=vouched)
    return 1 if shown is None else shown


def read_sort(args, columns: dict | None = None) -> tuple[str, str]:
    """The `sort` and `order` parameters; anything unknown falls back to the area name, A to Z."""
    column = args.get("sort", DEFAULT_SORT)
    if column not in (columns or COLUMNS):
        column = DEFAULT_SORT
    order = args.get("order")
    if order not in ("asc", "desc"):
        order = "asc" if column == DEFAULT_SORT else "desc"
    return column, order


def sorted_rows(rows: list[AreaRow], column: str, order: str) -> list[AreaRow]:
    by_name = sorted(rows, key=lambda r: (r.area.name.casefold(), r.area.id))
    if column == DEFAULT_SORT:
        return by_name if order == "asc" else list(reversed(by_name))
    present = [r for r in by_name if r.key(column) is not None]
    missing = [r for r in by_name if r.key(column) is None]
    # sorted() is stable, so equal figures stay in name order in both directions
    present.sort(key=lambda r: r.key(column), reverse=order == "desc")
    return present + missing


def national_rows() -> tuple[list[AreaRow], dict[str, tuple[str, bool]]]:
    """A row for each area, and the columns higher areas add (numeric, after the others)."""
    areas = all_areas()
    ids = [area.id for area in areas]
    figures = national_figures(ids)
    added = [column for columns in hooks.national_columns.results(ids) for column in columns]
    rows = [
        AreaRow(
            area,
            Shown(figures.get(area.id) or Figures(), False),
            {key: values.get(area.id, 0) for key, _heading, values in added},
        )
        for area in areas
    ]
    return rows, {key: (heading, True) for key, heading, _values in added}


def header_links(column: str, order: str, columns: dict | None = None) -> dict[str, dict]:
    """For each column: its link (sorting by it, or reversing it when it is the sorted one)
    and its aria-sort value."""
    links = {}
    for key, (_, numeric) in (columns or COLUMNS).items():
        if key == column:
            next_order = "desc" if order == "asc" else "asc"
            aria = "ascending" if order == "asc" else "descending"
        else:
            next_order = "desc" if numeric else "asc"
            aria = None
        links[key] = {
            "url": url_for("outcomes.national", sort=key, order=next_order),
            "aria_sort": aria,
        }
    return links


@bp.get("/national")
@shared_page
@public
def national():
    """The same for everyone: the table is made once for all areas' current data (and at most
    ten minutes, as "overdue" moves on with the clock), for each order and each way of asking."""
    moment = utcnow().strftime("%Y-%m-%d %H:%M")[:-1]
    asked = (request.args.get("sort", ""), request.args.get("order", ""))
    table = kept_html(
        token_of_every_area(),
        ("national", asked, bool(getattr(request, "htmx", False)), moment),
        _national_table,
    )
    return render(
        "outcomes/national/index.html",
        fragment="outcomes/national/_table.html",
        table=table,
        fewer=FEWER,
    )


def _national_table() -> str:
    rows, added = national_rows()
    columns = {**COLUMNS, **added}
    column, order = read_sort(request.args, columns)
    return render_template(
        "outcomes/national/_table_made.html",
        rows=sorted_rows(rows, column, order),
        columns=columns,
        added=list(added),
        column=column,
        order=order,
        links=header_links(column, order, columns),
        fewer=FEWER,
    )


# --- the command that counts people and feedback items ---------------------------------------


@bp.cli.command("refresh-figures")
@click.option(
    "--area",
    "slugs",
    multiple=True,
    metavar="SLUG",
    help="Only this area (may be given more than once). Default: every area.",
)
def refresh_figures_command(slugs: tuple[str, ...]) -> None:
    """Count the people and feedback items behind every scorecard and the national page.

    Run it on a schedule (every few minutes to hourly): the pages read what it stored, so they
    stay fast however many answers there are."""
    area_ids = None
    if slugs:
        found = area_ids_by_slug(slugs)
        missing = sorted(set(slugs) - set(found))
        if missing:
            raise click.ClickException(f"No area with the slug {', '.join(missing)}.")
        area_ids = [found[slug] for slug in slugs]
    stored = refresh_figures(area_ids)
    db.session.commit()
    click.echo(f"Counted people and feedback items: {stored} figures stored.")
