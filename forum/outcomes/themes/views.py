"""Staff pages for the "you said" themes of a closed consultation.

`themes` lists the consultation's themes with the figures behind each (organisers, responders
and admins may read it); organisers add, edit, reorder and delete themes, and pick evidence on
`theme_evidence`: the survey's codes, its written answers (searchable, keyset-paged on the
answer id), its choice questions and their options, and the discussion's posts (searchable,
keyset-paged on the post id).

With htmx, searching and "Show more" swap just the list, and "Add" swaps its own button for
"Added" and updates the figures in place. Without JavaScript the search is a plain GET form,
"Show more" a link, and "Add" a form that redirects (303) back to the list it was sent from,
search and all. Removing evidence, moving and deleting themes redirect (303, or HX-Redirect).
"""

from __future__ import annotations

import re

from flask import abort, flash, request
from flask_login import current_user

from forum.consultations.queries import load_consultation
from forum.extensions import db
from forum.outcomes import bp, urls
from forum.outcomes.national_outcomes.queries import get_for as national_outcome_of
from forum.outcomes.permissions import can_view_ledger, sees_exact_figures
from forum.outcomes.themes import queries, services
from forum.outcomes.themes.forms import QuoteForm, ThemeForm
from forum.outcomes.themes.models import EvidenceKind
from forum.outcomes.themes.permissions import can_build_themes
from forum.outcomes.themes.queries import load_theme
from forum.plans.queries import get_priorities, priorities_of
from forum.surveys.queries import get_survey
from forum.surveys.results.permissions import can_read_every_answer
from forum.web.auth import access, safe_next
from forum.web.caching import shared_page
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.pagination import page_number
from forum.web.submit import accept, form_page

BASE = "/areas/<area_slug>/consultations/<slug>/themes"
THEME = BASE + "/<int:theme_id>"

VIEW = (
    "Only the organisers of {area.forum_name} and the area's partner organisations can see the "
    "themes before they are published, and only once the consultation has closed."
)
BUILD = (
    "Only organisers of {area.forum_name} can build themes, and only once the consultation has "
    "closed and everyone has had their say."
)

#: the picker's lists, in the order of its navigation
SHOW = {
    "tagged": "Tagged answers",
    "answers": "Written answers",
    "choices": "Choice questions",
    "posts": "Discussion posts",
    "event_items": "Raised at events",
    "event_actions": "Agreed at events",
}
#: the picker's lists that are searched and paged (the others fit on one page)
PAGED = ("answers", "posts", "event_items", "event_actions")


def viewer(load):
    return access(can_view_ledger, load=load, subject="consultation", explain=VIEW)


def builder(load):
    return access(can_build_themes, load=load, subject="consultation", explain=BUILD)


def ledger_link(consultation) -> str | None:
    """The themes page of the consultation, for those who may see it (template global)."""
    if can_view_ledger(current_user, consultation):
        return urls.themes_url(consultation)
    return None


def pick_id(kind: str, target_id: int, option: str | None = None) -> str:
    """The HTML id of one "Add" button's box in the picker."""
    suffix = f"-{re.sub(r'[^A-Za-z0-9_-]', '_', option)}" if option else ""
    return f"pick-{kind}-{target_id}{suffix}"


# --- the ledger ------------------------------------------------------------------------------


def _theme_form(area, theme=None):
    data = None
    if theme is not None:
        data = {
            "title": theme.title,
            "summary": theme.summary,
            "priorities": [str(p.id) for p in theme.priorities],
        }
    return ThemeForm(data=data, plan_priorities=priorities_of(area))


@bp.get(BASE)
@shared_page
@viewer(load_consultation)
def themes(area, consultation):
    listed = queries.themes_of(consultation)
    can_build = can_build_themes(current_user, consultation)
    exact = sees_exact_figures(current_user, area)
    figures = {
        theme_id: queries.shown_figures(f, exact=exact)
        for theme_id, f in queries.theme_figures(listed).items()
    }
    total = queries.total_figures([t.id for t in listed]) if listed else None
    return render(
        "outcomes/themes/index.html",
        area=area,
        consultation=consultation,
        themes=listed,
        figures=figures,
        total=queries.shown_figures(total, exact=exact) if total else None,
        can_build=can_build,
        form=_theme_form(area) if can_build else None,
    )


def _theme_fields(area, form) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "priorities": get_priorities(area, form.priority_ids),
    }


@bp.route(BASE + "/new", methods=["GET", "POST"])
@builder(load_consultation)
def theme_new(area, consultation):
    form = _theme_form(area)
    done = accept(
        form,
        lambda: services.create_theme(
            consultation, **_theme_fields(area, form), actor=current_user
        ),
        refused=services.ThemeError,
        field="title",
        then=lambda theme: theme.url,
        message="Theme added. Now add the feedback behind it.",
    )
    return done or form_page("outcomes/themes/new.html", form, area=area, consultation=consultation)


@bp.get(THEME)
@shared_page
@viewer(load_theme)
def theme(area, consultation, theme):
    evidence = queries.evidence_list(theme)
    can_build = can_build_themes(current_user, consultation)
    candidates = queries.quote_candidates(theme, page=page_number()) if can_build else None
    return render(
        "outcomes/themes/show.html",
        area=area,
        consultation=consultation,
        theme=theme,
        figures=queries.shown_figures(
            queries.theme_figures([theme])[theme.id],
            exact=sees_exact_figures(current_user, area),
        ),
        quotes=queries.theme_quotes([theme.id]).get(theme.id, []),
        evidence=evidence,
        excerpts=(
            {}
            if can_read_every_answer(current_user, consultation)
            else queries.excerpts_of(
                [e.evidence.answer_id for e in evidence if e.evidence.answer_id]
            )
        ),
        candidates=candidates,
        candidate_pages=candidates.component(
            "outcomes.theme",
            area_slug=area.slug,
            slug=consultation.slug,
            theme_id=theme.id,
            _anchor="choose-quotes",
        )
        if candidates is not None
        else None,
        national_outcome=national_outcome_of(theme),
        can_build=can_build,
        reads_every_answer=can_read_every_answer(current_user, consultation),
        remove_form=ActionForm(),
    )


@bp.route(THEME + "/edit", methods=["GET", "POST"])
@builder(load_theme)
def theme_edit(area, consultation, theme):
    form = _theme_form(area, theme)
    done = accept(
        form,
        lambda: services.update_theme(theme, **_theme_fields(area, form), actor=current_user),
        refused=services.ThemeError,
        field="title",
        then=theme.url,
        message="Your changes to the theme are saved.",
        row=theme,
        what="this theme",
    )
    return done or form_page(
        "outcomes/themes/edit.html", form, area=area, consultation=consultation, theme=theme
    )


@bp.post(THEME + "/move")
@builder(load_theme)
def theme_move(area, consultation, theme):
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        flash("Choose whether to move the theme up or down.", "error")
        return redirect_after_post(f"{urls.themes_url(consultation)}#theme-{theme.id}")
    moved = services.move_theme(theme, direction, actor=current_user)
    db.session.commit()
    if moved:
        flash(f"“{theme.title}” moved {direction}.", "success")
    else:
        where = "first" if direction == "up" else "last"
        flash(f"“{theme.title}” is already {where}.", "success")
    return redirect_after_post(f"{urls.themes_url(consultation)}#theme-{theme.id}")


@bp.route(THEME + "/delete", methods=["GET", "POST"])
@builder(load_theme)
def theme_delete(area, consultation, theme):
    form = ActionForm()
    answered = queries.has_decisions(theme)
    title = theme.title
    done = accept(
        form,
        lambda: services.delete_theme(theme, actor=current_user),
        refused=services.ThemeError,
        field=None,
        then=urls.themes_url(consultation),
        message=f"The theme “{title}” is deleted.",
    )
    return done or form_page(
        "outcomes/themes/delete.html",
        form,
        area=area,
        consultation=consultation,
        theme=theme,
        answered=answered,
        figures=queries.theme_figures([theme])[theme.id],
    )


# --- evidence --------------------------------------------------------------------------------


def _picker_url(theme, **args) -> str:
    return theme.manage_url("theme_evidence", **{k: v for k, v in args.items() if v})


def _lists(theme, consultation, show: str, args) -> dict:
    """What the picker shows for `show`, read from the address."""
    survey = get_survey(consultation)
    search = queries.parse_search(args) if show in PAGED else ""
    after = queries.parse_after(args) if show in PAGED else None
    if show in ("event_items", "event_actions"):
        scopes, default = queries.EVENT_SCOPES, "area"
    else:
        scopes, default = queries.POST_SCOPES, "consultation"
    scope = args.get("scope") if args.get("scope") in scopes else default
    context = {"survey": survey, "search": search, "after": after, "scope": scope}
    if show == "tagged":
        context["codes"] = queries.code_choices(theme, survey)
    elif show == "choices":
        context["questions"] = queries.question_choices(theme, survey)
    else:
        if show == "answers":
            page = queries.answer_page(theme, survey, search, after=after)
        elif show == "posts":
            page = queries.post_page(theme, consultation, search, scope=scope, after=after)
        elif show == "event_items":
            page = queries.event_item_page(theme, consultation, search, scope=scope, after=after)
        else:
            page = queries.event_action_page(theme, consultation, search, scope=scope, after=after)
        context["page"] = page
        kept_scope = scope if show != "answers" and scope != default else None
        context["more_url"] = (
            _picker_url(theme, show=show, q=search, scope=kept_scope, after=page.next_after)
            if page.next_after
            else None
        )
        context["first_url"] = _picker_url(theme, show=show, q=search, scope=kept_scope)
    return context


@bp.get(THEME + "/evidence")
@builder(load_theme)
def theme_evidence(area, consultation, theme):
    show = request.args.get("show", "tagged")
    if show not in SHOW:
        show = "tagged"
    context = _lists(theme, consultation, show, request.args)
    return render(
        "outcomes/themes/evidence.html",
        fragment="outcomes/themes/_pick_rows.html" if show in PAGED else None,
        area=area,
        consultation=consultation,
        theme=theme,
        show=show,
        tabs=SHOW,
        figures=queries.theme_figures([theme])[theme.id],
        back=request.full_path.rstrip("?"),
        pick_id=pick_id,
        **context,
    )


def _target_from_form() -> tuple[str, int, str | None]:
    kind = request.form.get("kind", "")
    raw = request.form.get("id", "")
    if kind not in {k.value for k in EvidenceKind} or not (
        raw.isascii() and raw.isdigit() and 0 < len(raw) < 19
    ):
        abort(404)
    option = request.form.get("option") or None
    if option is not None and (len(option) > 40 or kind != EvidenceKind.QUESTION.value):
        abort(404)
    return kind, int(raw), option


@bp.post(THEME + "/evidence")
@builder(load_theme)
def theme_evidence_add(area, consultation, theme):
    kind, target_id, option = _target_from_form()
    try:
        added = services.add_evidence(theme, kind, target_id, option_key=option, actor=current_user)
    except services.EvidenceNotFound:
        db.session.rollback()
        abort(404)
    db.session.commit()
    message = "Added to the theme." if added.created else "Already added to the theme."
    if wants_fragment():
        return render(
            "outcomes/themes/_picked.html",
            area=area,
            consultation=consultation,
            theme=theme,
            box_id=pick_id(kind, target_id, option),
            created=added.created,
            message=message,
            figures=queries.theme_figures([theme])[theme.id],
        )
    flash(message, "success")
    back = safe_next(request.form.get("next"), _picker_url(theme))
    return redirect_after_post(f"{back}#{pick_id(kind, target_id, option)}")


@bp.post(THEME + "/evidence/<int:evidence_id>/remove")
@builder(load_theme)
def theme_evidence_remove(area, consultation, theme, evidence_id: int):
    link = queries.get_evidence(theme, evidence_id)
    if link is None:
        # Sent twice (a double click, the back button): it is gone already, which is what
        # was asked for. Another theme's ids are never found here.
        flash("That was already removed from the theme.", "success")
    else:
        services.remove_evidence(theme, link, actor=current_user)
        db.session.commit()
        flash("Removed from the theme. The feedback itself is kept.", "success")
    return redirect_after_post(f"{theme.url}#evidence-heading")


# --- quotes ----------------------------------------------------------------------------------


def _candidate(theme, answer_id: int):
    found = queries.get_quote_candidate(theme, answer_id)
    if found is None:
        abort(404)
    return found


@bp.route(THEME + "/quotes/<int:answer_id>", methods=["GET", "POST"])
@builder(load_theme)
def theme_quote(area, consultation, theme, answer_id: int):
    """Choose the words to quote from one consented answer: all of it, a part, or with names
    and details replaced; checked against the answer by the service."""
    candidate = _candidate(theme, answer_id)
    form = QuoteForm()
    if not form.is_submitted():
        form.words.data = candidate.chosen.text if candidate.chosen else candidate.text
    done = accept(
        form,
        lambda: services.choose_quote(theme, answer_id, form.words.data, actor=current_user),
        refused=services.ThemeError,
        field="words",
        then=f"{theme.url}#quotes",
        message=lambda quote: (
            f"Answer {candidate.reference} will be quoted in part."
            if quote.is_excerpt
            else f"Answer {candidate.reference} will be quoted in full."
        ),
    )
    return done or form_page(
        "outcomes/themes/quote.html",
        form,
        area=area,
        consultation=consultation,
        theme=theme,
        candidate=candidate,
    )


@bp.post(THEME + "/quotes/<int:answer_id>/remove")
@builder(load_theme)
def theme_quote_remove(area, consultation, theme, answer_id: int):
    if services.drop_quote(theme, answer_id, actor=current_user):
        db.session.commit()
        flash("That answer is no longer quoted on this theme.", "success")
    else:
        # Sent twice, or never quoted: either way it is not quoted, which is what was asked.
        flash("That answer is not quoted on this theme.", "success")
    return redirect_after_post(f"{theme.url}#quotes")
