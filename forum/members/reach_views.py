"""The reach report: who the forum hears from, by each question of the family profile, beside
the area's children and young people with SEND; and the pages where organisers give the
population figures and choose whether the report is public."""

from __future__ import annotations

import secrets

from flask import Response, abort, url_for
from flask_login import current_user
from wtforms import SelectChoice

from forum.areas.permissions import can_view_area
from forum.areas.queries import load_area
from forum.audit.services import record
from forum.disclosure import EXPLAINED
from forum.extensions import db
from forum.members import bp, dfe, population, reach
from forum.members.forms import (
    DfeFiguresForm,
    ForgetFiguresForm,
    PopulationForm,
    ReachPublishingForm,
    figures_form,
)
from forum.members.models import (
    POPULATION_BYTES_MAX,
    POPULATION_DIMENSIONS,
    POPULATION_ROWS_MAX,
    ReachSettings,
)
from forum.members.permissions import can_manage_reach, can_view_reach
from forum.members.queries import localities_of
from forum.models import utcnow
from forum.web.auth import NotAllowed, access, to_sign_in
from forum.web.caching import shared_page
from forum.web.htmx import redirect_after_post, render
from forum.web.submit import accept, accept_upload, form_page

REACH = "/areas/<area_slug>/reach"
ORGANISERS = "Only organisers of {area.forum_name} can change its reach report."
NOT_PUBLISHED = (
    "The organisers of {forum} have not published who the forum hears from. Ask them if you "
    "would like to see it."
)


def reach_url(area) -> str:
    return url_for("members.reach_report", area_slug=area.slug)


@bp.get(REACH)
@shared_page
@access(can_view_area, load=load_area, subject="area", explain="")
def reach_report(area):
    """Families who told the forum about themselves, by each question, protected for everyone
    (`members.reach`), with the area's figures beside them."""
    published = reach.is_published(area)
    if not can_view_reach(current_user, area, published=published):
        if not current_user.is_authenticated:
            return to_sign_in()
        raise NotAllowed(NOT_PUBLISHED.format(forum=area.forum_name))
    return form_page(
        "members/reach.html",
        ReachPublishingForm(data={"published": "yes" if published else "no"}),
        area=area,
        report=reach.breakdown(area),
        published=published,
        manages=can_manage_reach(current_user, area),
        explained=EXPLAINED,
    )


@bp.post(REACH + "/publishing")
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def reach_publishing(area):
    form = ReachPublishingForm()

    def save():
        settings = db.session.get(ReachSettings, area.id)
        if settings is None:
            settings = ReachSettings(area_id=area.id)
            db.session.add(settings)
        settings.is_published = form.published.data == "yes"
        settings.changed_at = utcnow()
        settings.changed_by_id = current_user.id
        db.session.flush()
        record(
            "member.reach_published" if settings.is_published else "member.reach_unpublished",
            settings,
            actor=current_user,
            area=area,
        )
        return settings

    done = accept(
        form,
        save,
        refused=(),
        field="published",
        then=lambda _: reach_url(area),
        message=lambda s: (
            "The report is published to everyone."
            if s.is_published
            else "Only the forum's organisers can see the report now."
        ),
    )
    return done or redirect_after_post(reach_url(area))


@bp.route(REACH + "/population", methods=["GET", "POST"])
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def population_upload(area):
    """Upload the area's figures (a CSV file): every row checked first, nothing kept on any
    problem, each problem said with its row."""
    form = PopulationForm()
    done, checked = accept_upload(
        form,
        limit=POPULATION_BYTES_MAX,
        check=lambda data: population.check(area, data),
        keep=lambda checked: population.keep(
            area,
            checked,
            source=form.source.data or "",
            as_of=form.as_of.data,
            actor=current_user,
        ),
        refused=population.PopulationError,
        then=reach_url(area),
        message=lambda upload: f"The figures are kept: {len(upload.figures)} groups.",
        missing="Choose a CSV file of figures",
    )
    if done:
        return done
    return _population_page(area, form, checked=checked)


def _population_page(area, form, *, checked=None, forget=None):
    forget = forget or ForgetFiguresForm(formdata=None)
    # Errors of "Stop using" go to the list of figures the buttons sit in.
    forget.question.summary_anchor = "figures-in-use"
    in_use = population.in_use(area)
    return render(
        "members/population.html",
        status=422 if form.errors or forget.errors else 200,
        form=form,
        area=area,
        checked=checked,
        shown=population.PROBLEMS_SHOWN,
        dimensions=POPULATION_DIMENSIONS,
        rows_max=POPULATION_ROWS_MAX,
        localities=localities_of(area),
        in_use=in_use,
        headings=QUESTION_HEADINGS,
        forget=forget,
        # each "Stop using" button is a submission of its own
        forget_keys={question: secrets.token_urlsafe(12) for question, _, _ in in_use},
    )


#: the population questions' headings, as the report shows them
QUESTION_HEADINGS = {key: heading for key, heading, _ in reach.CHILD_QUESTIONS}
UPLOAD = "upload"


@bp.route(REACH + "/population/dfe", methods=["GET", "POST"])
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def population_dfe(area):
    """A starting point from DfE's published figures (`members.dfe`): a file placed on the
    server for every area, or one the organiser uploads, and the local authority to take."""
    installed = [path.name for path in dfe.installed_files()]
    newest = population.newest_local_authority(area)
    form = DfeFiguresForm(
        data={
            "local_authority": newest or area.name,
            "installed": installed[0] if installed else None,
        }
    )
    form.installed.choices = [SelectChoice(name, name) for name in installed] + (
        [SelectChoice(UPLOAD, "A file I upload")] if installed else []
    )

    def check(data: bytes | None) -> dfe.Found:
        wanted = form.local_authority.data or ""
        chosen = form.installed.data
        if installed and chosen and chosen != UPLOAD:
            return dfe.read_installed(chosen, wanted)
        if data is None:
            found = dfe.Found()
            found.problems.append(population.Problem(0, "Choose DfE's CSV file", field="file"))
            return found
        return dfe.read_upload(data, wanted)

    done, found = accept_upload(
        form,
        limit=dfe.UPLOAD_BYTES_MAX,
        check=check,
        keep=lambda found: population.keep(
            area,
            found,
            source=found.source,
            as_of=found.as_of,
            actor=current_user,
            notes={taken.question: taken.note for taken in found.taken},
            local_authority=found.la_name,
        ),
        refused=population.PopulationError,
        then=url_for("members.population_upload", area_slug=area.slug),
        message=lambda upload: (
            f"DfE’s figures for {upload.local_authority} are kept ("
            + ", ".join(QUESTION_HEADINGS[q].lower() for q in upload.notes or {})
            + f"), from {upload.as_of:%B %Y}."
        ),
        missing=None,
    )
    if done:
        return done
    return form_page(
        "members/population_dfe.html",
        form,
        area=area,
        found=found,
        installed=installed,
        bytes_max=dfe.UPLOAD_BYTES_MAX,
    )


@bp.route(REACH + "/population/questions/<question>", methods=["GET", "POST"])
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def population_question(area, question):
    """One question's figures typed in, a box per answer, filled with the figures in use."""
    kinds = {key: kind for key, _, kind in reach.CHILD_QUESTIONS}
    if question not in kinds:
        abort(404)
    localities = localities_of(area)
    if question == "locality" and not localities:
        abort(404)
    answers = reach.answers_of(kinds[question], localities)
    sources, figures = reach.latest_population(area)
    now = figures.get(question, {})
    source = sources.get(question)
    form = figures_form(
        answers,
        data={
            **{f"n_{value}": f"{now[value]:,}" for value, _ in answers if value in now},
            "source": source.source if source else "",
            "as_of": source.as_of if source else None,
        },
    )
    back = url_for("members.population_upload", area_slug=area.slug)
    done = accept(
        form,
        lambda: population.keep_typed(
            area,
            question,
            form.counts(),
            source=form.source.data or "",
            as_of=form.as_of.data,
            actor=current_user,
        ),
        refused=population.PopulationError,
        field="source",
        then=lambda _: back,
        message=lambda _: f"The figures for “{QUESTION_HEADINGS[question]}” are kept.",
    )
    if done:
        return done
    return form_page(
        "members/population_question.html",
        form,
        area=area,
        heading=QUESTION_HEADINGS[question],
        question=question,
    )


@bp.post(REACH + "/population/forget")
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def population_forget(area):
    """Stop using one question's figures (every set's)."""
    form = ForgetFiguresForm()
    form.question.choices = [(question, question) for question in POPULATION_DIMENSIONS]
    back = url_for("members.population_upload", area_slug=area.slug)
    done = accept(
        form,
        lambda: population.forget(area, form.question.data, actor=current_user),
        refused=population.PopulationError,
        field="question",
        then=lambda _: back,
        message=lambda _: (
            f"The area’s figures for “{QUESTION_HEADINGS[form.question.data]}” are no longer used."
        ),
    )
    if done:
        return done
    return _population_page(area, PopulationForm(formdata=None), forget=form)


@bp.get(REACH + "/population-example.csv")
@access(can_manage_reach, load=load_area, subject="area", explain=ORGANISERS)
def population_example(area):
    response = Response("\ufeff" + population.EXAMPLE, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="population-example.csv"'
    return response
