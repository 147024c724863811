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

from flask import abort, flash, request, url_for
from flask_login import current_user

from forum.consultations.queries import load_consultation
from forum.extensions import db
from forum.outcomes import bp
from forum.outcomes import evidence as evidence_
from forum.outcomes import themes as themes_
from forum.outcomes.models import EvidenceKind
from forum.outcomes.permissions import can_build_themes, can_view_ledger
from forum.outcomes.theme_forms import ThemeForm
from forum.plans.queries import get_priorities, priorities_of
from forum.surveys.queries import get_survey
from forum.web.auth import access, safe_next
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render, wants_fragment
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
}


def load_theme(kwargs: dict) -> dict:
    """URL loader: the consultation's theme by id, or 404 (another consultation's too)."""
    kwargs = load_consultation(kwargs)
    theme = themes_.get_theme(kwargs["consultation"], kwargs.pop("theme_id"))
    if theme is None:
        abort(404)
    kwargs["theme"] = theme
    return kwargs


def viewer(load):
    return access(can_view_ledger, load=load, subject="consultation", explain=VIEW)


def builder(load):
    return access(can_build_themes, load=load, subject="consultation", explain=BUILD)


def ledger_url(consultation) -> str:
    return url_for("outcomes.themes", area_slug=consultation.area.slug, slug=consultation.slug)


def theme_url(theme, action: str = "theme", **values) -> str:
    c = theme.consultation
    return url_for(
        f"outcomes.{action}", area_slug=c.area.slug, slug=c.slug, theme_id=theme.id, **values
    )


def ledger_link(consultation) -> str | None:
    """The themes page of the consultation, for those who may see it (template global)."""
    if can_view_ledger(current_user, consultation):
        return ledger_url(consultation)
    return None


def pick_id(kind: str, target_id: int, option: str | None = None) -> str:
    """The HTML id of one "Add" button's box in the picker."""
    suffix = f"-{re.sub(r'[^A-Za-z0-9_-]', '_', option)}" if option else ""
    return f"pick-{kind}-{target_id}{suffix}"


bp.add_app_template_global(ledger_link)
bp.add_app_template_global(theme_url)
bp.add_app_template_global(pick_id)


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
@viewer(load_consultation)
def themes(area, consultation):
    listed = themes_.themes_of(consultation)
    can_build = can_build_themes(current_user, consultation)
    return render(
        "outcomes/themes/index.html",
        area=area,
        consultation=consultation,
        themes=listed,
        figures=evidence_.theme_figures(listed),
        total=evidence_.total_figures([t.id for t in listed]) if listed else None,
        can_build=can_build,
        form=_theme_form(area) if can_build else None,
    )


@bp.route(BASE + "/new", methods=["GET", "POST"])
@builder(load_consultation)
def theme_new(area, consultation):
    form = _theme_form(area)
    done = accept(
        form,
        lambda: themes_.create_theme(
            consultation,
            title=form.title.data,
            summary=form.summary.data,
            priorities=get_priorities(area, form.priority_ids),
            actor=current_user,
        ),
        refused=themes_.ThemeError,
        field="title",
        then=lambda theme: theme_url(theme),
        message="Theme added. Now add the feedback behind it.",
    )
    return done or form_page("outcomes/themes/new.html", form, area=area, consultation=consultation)


@bp.get(THEME)
@viewer(load_theme)
def theme(area, consultation, theme):
    return render(
        "outcomes/themes/show.html",
        area=area,
        consultation=consultation,
        theme=theme,
        figures=evidence_.theme_figures([theme])[theme.id],
        quotes=evidence_.theme_quotes(theme),
        evidence=evidence_.evidence_list(theme),
        can_build=can_build_themes(current_user, consultation),
        remove_form=ActionForm(),
    )


@bp.route(THEME + "/edit", methods=["GET", "POST"])
@builder(load_theme)
def theme_edit(area, consultation, theme):
    form = _theme_form(area, theme)
    done = accept(
        form,
        lambda: themes_.update_theme(
            theme,
            title=form.title.data,
            summary=form.summary.data,
            priorities=get_priorities(area, form.priority_ids),
            actor=current_user,
        ),
        refused=themes_.ThemeError,
        field="title",
        then=theme_url(theme),
        message="Your changes to the theme are saved.",
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
        return redirect_after_post(f"{ledger_url(consultation)}#theme-{theme.id}")
    moved = themes_.move_theme(theme, direction, actor=current_user)
    db.session.commit()
    if moved:
        flash(f"“{theme.title}” moved {direction}.", "success")
    else:
        where = "first" if direction == "up" else "last"
        flash(f"“{theme.title}” is already {where}.", "success")
    return redirect_after_post(f"{ledger_url(consultation)}#theme-{theme.id}")


@bp.route(THEME + "/delete", methods=["GET", "POST"])
@builder(load_theme)
def theme_delete(area, consultation, theme):
    form = ActionForm()
    answered = themes_.has_decisions(theme)
    title = theme.title
    done = accept(
        form,
        lambda: themes_.delete_theme(theme, actor=current_user),
        refused=themes_.ThemeError,
        field=None,
        then=ledger_url(consultation),
        message=f"The theme “{title}” is deleted.",
    )
    return done or form_page(
        "outcomes/themes/delete.html",
        form,
        area=area,
        consultation=consultation,
        theme=theme,
        answered=answered,
        figures=evidence_.theme_figures([theme])[theme.id],
    )


# --- evidence --------------------------------------------------------------------------------


def _picker_url(theme, **args) -> str:
    return theme_url(theme, "theme_evidence", **{k: v for k, v in args.items() if v})


def _lists(theme, consultation, show: str, args) -> dict:
    """What the picker shows for `show`, read from the address."""
    survey = get_survey(consultation)
    search = evidence_.parse_search(args) if show in ("answers", "posts") else ""
    after = evidence_.parse_after(args) if show in ("answers", "posts") else None
    scope = args.get("scope") if args.get("scope") in evidence_.POST_SCOPES else "consultation"
    context = {"survey": survey, "search": search, "after": after, "scope": scope}
    if show == "tagged":
        context["codes"] = evidence_.code_choices(theme, survey)
    elif show == "choices":
        context["questions"] = evidence_.question_choices(theme, survey)
    else:
        if show == "answers":
            page = evidence_.answer_page(theme, survey, search, after=after)
        else:
            page = evidence_.post_page(theme, consultation, search, scope=scope, after=after)
        context["page"] = page
        context["more_url"] = (
            _picker_url(
                theme,
                show=show,
                q=search,
                scope=scope if show == "posts" and scope != "consultation" else None,
                after=page.next_after,
            )
            if page.next_after
            else None
        )
        context["first_url"] = _picker_url(
            theme,
            show=show,
            q=search,
            scope=scope if show == "posts" and scope != "consultation" else None,
        )
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
        fragment="outcomes/themes/_pick_rows.html" if show in ("answers", "posts") else None,
        area=area,
        consultation=consultation,
        theme=theme,
        show=show,
        tabs=SHOW,
        figures=evidence_.theme_figures([theme])[theme.id],
        back=request.full_path.rstrip("?"),
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
        added = themes_.add_evidence(theme, kind, target_id, option_key=option, actor=current_user)
    except themes_.EvidenceNotFound:
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
            figures=evidence_.theme_figures([theme])[theme.id],
        )
    flash(message, "success")
    back = safe_next(request.form.get("next"), _picker_url(theme))
    return redirect_after_post(f"{back}#{pick_id(kind, target_id, option)}")


@bp.post(THEME + "/evidence/<int:evidence_id>/remove")
@builder(load_theme)
def theme_evidence_remove(area, consultation, theme, evidence_id: int):
    link = themes_.get_evidence(theme, evidence_id)
    if link is None:
        # Sent twice (a double click, the back button): it is gone already, which is what
        # was asked for. Another theme's ids are never found here.
        flash("That was already removed from the theme.", "success")
    else:
        themes_.remove_evidence(theme, link, actor=current_user)
        db.session.commit()
        flash("Removed from the theme. The feedback itself is kept.", "success")
    return redirect_after_post(f"{theme_url(theme)}#evidence-heading")
