"""forum/hooks.py, and the dependency direction it makes possible: accounts ← areas ← plans,
consultations ← surveys, discussions ← outcomes, with the shared plumbing (web, notifications,
audit and the top-level helpers) below every domain area. Imports are read with `ast`, so an
import inside a function counts as much as one at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import Environment, meta

from forum import hooks
from forum.hooks import Hook

FORUM = Path(__file__).resolve().parent.parent / "forum"
TEMPLATES = FORUM.parent / "templates"

#: a package may import its own layer's foundations and anything of a lower rank
RANK = {
    "accounts": 1,
    "areas": 2,
    #: below the areas that own documents (consultations, plans), which register on
    #: hooks.document_owners
    "documents": 2.5,
    #: family profiles and localities: people and their memberships, read by the areas that
    #: count who a forum hears from
    "members": 2.6,
    "plans": 3,
    "consultations": 3,
    "surveys": 4,
    "discussions": 4,
    #: events link to consultations and plan priorities, and tag the points raised with a
    #: survey's codes; their notes are evidence for outcomes
    "events": 4.5,
    "outcomes": 5,
    #: above outcomes: meetings cite themes; below mailings, which imports every area
    "representation": 5.5,
    "mailings": 6,
    #: the forum's year in evidence: documents made from every area below
    "reports": 7,
}
#: imports between packages of the same rank that the design allows (a consultation is linked
#: to plan priorities)
SIDEWAYS = {("consultations", "plans")}
#: what the composition root, the demo and the retention runner may import: everything
TOP = {"__init__", "cli", "seed", "retention", "jobs"}
#: the plumbing below every area: these may import only each other
BELOW = {
    "disclosure",
    "scheduling",
    "web",
    "notifications",
    "audit",
    "extensions",
    "models",
    "database",
    "config",
    "hooks",
    "errors",
}


def _package(path: Path) -> str:
    return path.relative_to(FORUM).with_suffix("").parts[0]


def _imported_packages(path: Path) -> set[str]:
    """The forum packages (`forum.<name>`) a module imports, itself left out."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            modules = [node.module or ""]
            if node.module == "forum":
                modules = [f"forum.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {m.split(".")[1] for m in modules if m.startswith("forum.")}
    return found - {_package(path)}


def _allowed(source: str, target: str) -> bool:
    if source in TOP:
        return True
    if target in BELOW:
        return True
    if source in BELOW:
        return False
    if target not in RANK:  # only the composition root may import the top
        return False
    return RANK[target] < RANK[source] or (source, target) in SIDEWAYS


def test_every_forum_package_is_placed_in_a_layer():
    packages = {_package(path) for path in FORUM.rglob("*.py") if "migrations" not in path.parts}
    assert packages <= set(RANK) | TOP | BELOW


def test_dependencies_point_one_way():
    wrong = sorted(
        f"{path.relative_to(FORUM.parent)} imports forum.{target}"
        for path in FORUM.rglob("*.py")
        if "migrations" not in path.parts
        for target in _imported_packages(path)
        if not _allowed(_package(path), target)
    )
    assert wrong == []


def test_the_layer_check_catches_an_upward_import():
    module = FORUM / "plans" / "services.py"
    assert "outcomes" not in _imported_packages(module)
    assert not _allowed("plans", "outcomes")
    assert not _allowed("web", "accounts")
    assert not _allowed("surveys", "discussions")
    assert _allowed("outcomes", "plans") and _allowed("consultations", "plans")


LOWER_TEMPLATES = ("accounts", "areas", "plans", "consultations")


def test_lower_areas_templates_call_no_globals_of_higher_areas(app):
    """Higher areas give lower pages what to show through the hooks (the view passes it), never
    through a template global the lower template calls."""
    generic = set(Flask("bare").jinja_env.globals) | {"can", "csp_nonce", "csrf_token"}
    registered = set(app.jinja_env.globals) - generic
    # A bare environment (with the app's filters), so that globals count as undeclared names.
    env = Environment(autoescape=True, extensions=["jinja2.ext.do"])
    env.filters.update(app.jinja_env.filters)
    wrong = []
    for area in LOWER_TEMPLATES:
        for path in sorted((TEMPLATES / area).rglob("*.html")):
            used = meta.find_undeclared_variables(env.parse(path.read_text()))
            wrong += [f"{path.relative_to(TEMPLATES)}: {name}" for name in used & registered]
    assert wrong == []


# --- the hook itself --------------------------------------------------------------------------


def test_results_come_in_order_then_registration_and_leave_out_none():
    hook = Hook("test", "A test hook.")
    hook.register(lambda x: f"late {x}", order=20)
    hook.register(lambda x: f"first {x}", order=10)
    hook.register(lambda x: None, order=10)
    hook.register(lambda x: f"second {x}", order=10)
    assert hook.results(1) == ["first 1", "second 1", "late 1"]


def test_named_results_are_every_provider_s_by_its_name_in_order():
    calls = []

    def summary(c):
        calls.append("summary")
        return c or None

    def link(c):
        calls.append("link")
        return f"/results/{c}"

    hook = Hook("test", "A test hook.")
    hook.register(link, name="link", order=20)
    hook.register(summary, name="summary", order=10)
    assert hook.named(7) == {"summary": 7, "link": "/results/7"}
    assert list(hook.named(0)) == ["summary", "link"]
    assert hook.named(0)["summary"] is None
    assert calls == ["summary", "link"] * 3


def test_send_tells_every_receiver_and_replaced_restores_them():
    told = []
    hook = Hook("test", "A test hook.")
    hook.register(lambda what, *, actor: told.append(("a", what, actor)))
    hook.register(lambda what, *, actor: told.append(("b", what, actor)))
    hook.send("x", actor=None)
    assert told == [("a", "x", None), ("b", "x", None)]

    told.clear()
    with hook.replaced(lambda what, *, actor: told.append(("stand-in", what, actor))):
        hook.send("y", actor=1)
    hook.send("z", actor=2)
    assert told == [("stand-in", "y", 1), ("a", "z", 2), ("b", "z", 2)]


def test_register_returns_what_it_registered():
    hook = Hook("test", "A test hook.")

    def provider(area):
        return None

    assert hook.register(provider) is provider


# --- what the areas registered ----------------------------------------------------------------


def _where(hook) -> list[str]:
    return [f"{p.target.__module__}.{p.target.__name__}" for p in hook]


def test_area_home_sections_come_from_plans_consultations_discussions_events_outcomes_mailings(
    app,
):
    assert _where(hooks.area_home_sections) == [
        "forum.plans.views.area_home_section",
        "forum.consultations.views.area_home_section",
        "forum.discussions.views.area_home_section",
        "forum.events.views.area_home_section",
        "forum.outcomes.clock.views.area_home_section",
        "forum.members.views.area_home_section",
        "forum.representation.views.area_home_section",
        "forum.mailings.subscribers.views.area_home_section",
        "forum.mailings.newsletters.views.area_home_section",
        "forum.reports.pack.manage_views.area_home_section",
        "forum.reports.views.area_home_section",
    ]


def test_the_consultation_page_gets_its_sections_from_surveys_events_outcomes_mailings(app):
    names = {p.name: p for p in hooks.consultation_page_sections}
    assert list(names) == [
        "survey_info",
        "unsent_draft",
        "events",
        "clock",
        "ledger_at",
        "ledger",
        "staff_links",
        "forum_response",
        "organiser_links",
    ]
    assert {p.target.__module__.split(".")[1] for p in names.values()} == {
        "surveys",
        "events",
        "outcomes",
        "mailings",
    }


def test_consultation_moves_and_the_published_response_reach_announcements(app):
    from forum.mailings.announcements import services as announcements

    assert [p.target for p in hooks.consultation_opened_early] == [
        announcements.consultation_opened_early
    ]
    assert [p.target for p in hooks.consultation_extended] == [announcements.consultation_extended]
    assert _where(hooks.consultation_closed)[-1] == (
        "forum.mailings.announcements.services.consultation_closed_early"
    )
    assert [p.target for p in hooks.ledger_published] == [announcements.ledger_published]


def test_the_account_page_shows_unsent_answers_events_and_family_profiles(app):
    assert _where(hooks.account_page_sections) == [
        "forum.surveys.answering.views.account_unsent_drafts",
        "forum.events.views.account_events",
        "forum.members.views.account_section",
    ]


def test_the_check_before_publishing_gets_rows_from_surveys_and_mailings(app):
    assert _where(hooks.publish_checks) == [
        "forum.consultations.documents.accessible_versions_check",
        "forum.surveys.builder.checks.survey_check",
        "forum.mailings.announcements.checks.announcement_check",
    ]


def test_the_plan_page_gets_its_scorecard_from_outcomes(app):
    assert [p.name for p in hooks.plan_page_sections] == ["scorecard"]
    assert _where(hooks.plan_page_sections) == [
        "forum.outcomes.scorecard.views.plan_scorecard_made"
    ]


def test_the_commitment_page_and_the_scorecard_get_sections_from_representation(app):
    assert _where(hooks.commitment_page_sections) == [
        "forum.representation.views.commitment_section"
    ]
    assert _where(hooks.scorecard_sections) == [
        "forum.events.views.scorecard_section",
        "forum.representation.views.scorecard_section",
    ]
    assert _where(hooks.national_columns) == [
        "forum.events.views.national_columns",
        "forum.representation.views.national_columns",
    ]


def test_commitment_status_changes_reach_outcomes_notify(app):
    from forum.outcomes.feedback import services as notify

    assert [p.target for p in hooks.commitment_status_changed] == [notify.commitment_status_changed]


def test_consultations_and_plans_own_documents(app):
    from forum.consultations import documents as consultation_documents
    from forum.plans import documents as plan_documents

    assert [(p.name, p.target) for p in hooks.document_owners] == [
        ("plan", plan_documents.OWNER),
        ("consultation", consultation_documents.OWNER),
    ]


def test_decision_links_keep_a_commitment(app):
    from forum.outcomes.decisions.models import DecisionCommitment

    assert [p.target for p in hooks.commitment_links] == [DecisionCommitment.commitment_id]


def test_leaving_a_forum_deletes_the_family_profile_given_to_it(app):
    assert _where(hooks.membership_ended) == ["forum.members.services.membership_ended"]


def test_theme_evidence_keeps_a_point_or_action_of_an_events_notes(app):
    from forum.outcomes.themes.models import Evidence

    assert [p.target for p in hooks.note_line_links] == [
        Evidence.event_item_id,
        Evidence.event_action_id,
    ]


def test_every_area_that_holds_personal_data_shows_and_erases_it(app):
    """Data rights: each area answers for what it holds about a person, in both hooks."""
    areas = [
        "areas",
        "documents",
        "members",
        "plans",
        "consultations",
        "surveys",
        "discussions",
        "events",
        "outcomes",
        "outcomes.forum_response",
        "representation",
        "mailings.preferences",
        "mailings.newsletters",
        "mailings.digests",
        "mailings.drafts",
        "reports.pack",
        "reports",
    ]
    shown = [p.target.__module__ for p in hooks.personal_data_sections]
    erased = [p.target.__module__ for p in hooks.personal_data_erasure]
    assert shown == erased
    assert sorted(shown) == sorted(f"forum.{area}.data_rights" for area in areas)
    assert shown[0] == "forum.areas.data_rights"
    assert shown[-6:] == [
        "forum.mailings.preferences.data_rights",
        "forum.mailings.newsletters.data_rights",
        "forum.mailings.drafts.data_rights",
        "forum.mailings.digests.data_rights",
        "forum.reports.pack.data_rights",
        "forum.reports.data_rights",
    ]


def test_one_place_decides_where_people_land_after_signing_in():
    assert [p.target.__module__ for p in hooks.landing_page] == ["forum.outcomes.landing"]


@pytest.mark.parametrize(
    "hook",
    [
        hooks.area_home_sections,
        hooks.consultation_page_sections,
        hooks.plan_page_sections,
        hooks.commitment_page_sections,
        hooks.scorecard_sections,
        hooks.national_columns,
        hooks.commitment_status_changed,
        hooks.commitment_links,
        hooks.note_line_links,
        hooks.membership_ended,
        hooks.consultation_opened_early,
        hooks.consultation_extended,
        hooks.ledger_published,
        hooks.personal_data_sections,
        hooks.personal_data_erasure,
        hooks.scheduled_jobs,
        hooks.document_owners,
        hooks.landing_page,
        hooks.account_page_sections,
        hooks.publish_checks,
    ],
    ids=lambda hook: hook.name,
)
def test_every_hook_is_documented(hook):
    assert hook.__doc__ and hook.name
