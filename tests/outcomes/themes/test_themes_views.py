"""Theme pages: who may see and use each route and fragment, pages with and without htmx,
the picker's adding and searching, and bad input on the theme form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.themes.models import Evidence, Theme
from tests.factories import make_decision, make_theme
from tests.outcomes.worlds import THEME_EMAILS, build_theme_world
from tests.support import HUGE, RTL_EMOJI, SCRIPT


@pytest.fixture(scope="module")
def world(world_app):
    """Built once for the module; each test's changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        world = build_theme_world()
        c = db.session.get(Consultation, world.consultation_id)
        world.theme_id = make_theme(c, title="Waiting times", summary="People **waited**.").id
        world.other_theme_id = make_theme(c, title="Calls").id
        return world


def base(world, slug=None) -> str:
    return f"/areas/{world.area_slug}/consultations/{slug or world.slug}/themes"


def theme_path(world, action: str = "", theme_id=None) -> str:
    path = f"{base(world)}/{theme_id or world.theme_id}"
    return f"{path}/{action}" if action else path


GETS = {
    "ledger": (lambda w: base(w), "view"),
    "new": (lambda w: base(w) + "/new", "build"),
    "theme": (lambda w: theme_path(w), "view"),
    "edit": (lambda w: theme_path(w, "edit"), "build"),
    "delete": (lambda w: theme_path(w, "delete"), "build"),
    "picker": (lambda w: theme_path(w, "evidence"), "build"),
    "picker answers": (lambda w: theme_path(w, "evidence?show=answers&q=wait"), "build"),
    "picker choices": (lambda w: theme_path(w, "evidence?show=choices"), "build"),
    "picker posts": (lambda w: theme_path(w, "evidence?show=posts&scope=area"), "build"),
    "picker event points": (lambda w: theme_path(w, "evidence?show=event_items&q=a"), "build"),
    "picker event actions": (
        lambda w: theme_path(w, "evidence?show=event_actions&scope=consultation"),
        "build",
    ),
}

#: who gets what: "view" routes let responders in, "build" routes only organisers and admins
ALLOWED = {
    "visitor": (set(), "sign in"),
    "member": (set(), 403),
    "organiser": ({"view", "build"}, None),
    "responder": ({"view"}, 403),
    "other_responder": ({"view"}, 403),
    "other_organiser": (set(), 403),
    "admin": ({"view", "build"}, None),
}


def login_as(auth, who: str) -> None:
    if who != "visitor":
        auth.login(THEME_EMAILS[who])


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("who", sorted(ALLOWED))
@pytest.mark.parametrize("route", sorted(GETS))
def test_get_permissions(client, auth, world, route, who, htmx):
    login_as(auth, who)
    url, needs = GETS[route]
    response = client.htmx_get(url(world)) if htmx else client.get(url(world))
    allowed, refusal = ALLOWED[who]
    if needs in allowed:
        assert response.status_code == 200
        assert "HX-Request" in response.headers["Vary"]
    elif refusal == "sign in":
        if htmx:
            assert response.headers["HX-Redirect"].startswith("/sign-in")
        else:
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    else:
        assert response.status_code == 403


POSTS_MATRIX = {
    "new": (lambda w: base(w) + "/new", {"title": "T", "summary": "S"}),
    "edit": (lambda w: theme_path(w, "edit"), {"title": "T", "summary": "S"}),
    "move": (lambda w: theme_path(w, "move"), {"direction": "down"}),
    "delete": (lambda w: theme_path(w, "delete"), {}),
    "add": (lambda w: theme_path(w, "evidence"), lambda w: {"kind": "post", "id": w.reply}),
    "remove": (lambda w: theme_path(w, "evidence/1/remove"), {}),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("who", ["visitor", "member", "responder", "other_organiser"])
@pytest.mark.parametrize("route", sorted(POSTS_MATRIX))
def test_post_refused_to_everyone_but_organisers(app, client, auth, world, route, who, htmx):
    login_as(auth, who)
    url, data = POSTS_MATRIX[route]
    data = data(world) if callable(data) else data
    response = client.post_form(url(world), data, htmx=htmx)
    if who != "visitor":
        assert response.status_code == 403
    elif htmx:
        assert response.headers["HX-Redirect"].startswith("/sign-in")
    else:
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Theme.id))) == 2
        assert db.session.scalar(select(func.count(Evidence.id))) == 0
        assert (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action.like("theme.%"))
            )
            == 0
        )


@pytest.mark.parametrize("route", ["ledger", "new"])
def test_open_consultation_has_no_themes_yet(client, auth, world, route):
    auth.login(THEME_EMAILS["organiser"])
    url = base(world, world.open_slug) + ("/new" if route == "new" else "")
    assert client.get(url).status_code == 403
    response = client.post_form(
        base(world, world.open_slug) + "/new", {"title": "T", "summary": "S"}
    )
    assert response.status_code == 403


def test_other_areas_and_consultations_ids_are_not_found(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    with app.app_context():
        other = make_theme(db.session.get(Consultation, world.open_id))
    assert client.get(theme_path(world, theme_id=other.id)).status_code == 404
    assert client.get(theme_path(world, theme_id=987654)).status_code == 404
    far = f"/areas/{world.area_slug}/consultations/{world.far_slug}/themes"
    assert client.get(far).status_code == 404
    assert client.get(f"/areas/southshire/consultations/{world.slug}/themes").status_code == 404


def test_ledger_lists_themes_with_figures_and_organiser_tools(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    with app.app_context():
        from forum.accounts.models import User
        from forum.outcomes.themes import services as service

        theme = db.session.get(Theme, world.theme_id)
        service.add_evidence(
            theme, "code", world.waiting, actor=db.session.get(User, world.organiser_id)
        )
        db.session.commit()
    page = client.get(base(world)).get_data(as_text=True)
    assert "Waiting times" in page and "<strong>waited</strong>" in page
    assert "2 feedback items from 2 people" in page
    assert "0 feedback items from 0 people" in page
    assert "Move down" in page and "Add a theme" in page
    assert 'name="priorities"' in page and "P1" in page
    auth.logout()
    auth.login(THEME_EMAILS["responder"])
    page = client.get(base(world)).get_data(as_text=True)
    assert "Waiting times" in page and "Move down" not in page and "Add a theme" not in page


def test_consultation_page_links_to_the_themes(client, auth, world):
    url = f"/areas/{world.area_slug}/consultations/{world.slug}"
    assert "Themes: you said, we did" not in client.get(url).get_data(as_text=True)
    auth.login(THEME_EMAILS["responder"])
    assert "Themes: you said, we did" in client.get(url).get_data(as_text=True)


def test_add_a_theme_without_and_with_htmx(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    data = {"title": "Transport", "summary": "Buses are late.", "priorities": [str(world.p2)]}
    plain = client.post_form(base(world) + "/new", data)
    assert plain.status_code == 303
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.title == "Transport"))
        assert [p.id for p in theme.priorities] == [world.p2]
        assert plain.headers["Location"].endswith(f"/themes/{theme.id}")
    data["title"] = "Transport again"
    fragment = client.post_form(base(world) + "/new", data, htmx=True)
    assert fragment.status_code == 204 and "/themes/" in fragment.headers["HX-Redirect"]


def test_a_foreign_priority_is_ignored(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    data = {"title": "T", "summary": "S", "priorities": [str(world.foreign_priority), "x"]}
    assert client.post_form(base(world) + "/new", data).status_code == 303
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.title == "T"))
        assert theme.priorities == []


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "Enter a title for the theme"),
        ("title", HUGE, "The title must be 200 characters or fewer"),
        ("summary", "", "Enter a summary of what people said"),
        ("summary", HUGE, "The summary must be 2,000 characters or fewer"),
        ("title", " \t \x00 ", "Enter a title for the theme"),
    ],
)
def test_bad_input_on_the_theme_form(app, client, auth, world, field, value, message):
    auth.login(THEME_EMAILS["organiser"])
    data = {"title": "Fine", "summary": "Fine words", field: value}
    for url in (base(world) + "/new", theme_path(world, "edit")):
        response = client.post_form(url, data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "There is a problem" in page and message in page
    with app.app_context():
        assert db.session.get(Theme, world.theme_id).title == "Waiting times"
        assert db.session.scalar(select(func.count(Theme.id))) == 2


@pytest.mark.parametrize("value", [SCRIPT, RTL_EMOJI])
def test_hostile_and_unusual_words_are_kept_as_text(app, client, auth, world, value):
    auth.login(THEME_EMAILS["organiser"])
    response = client.post_form(theme_path(world, "edit"), {"title": value, "summary": value})
    assert response.status_code == 303
    page = client.get(theme_path(world)).get_data(as_text=True)
    assert "<script>" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(1)&gt;", ""
    )
    if value == RTL_EMOJI:
        assert RTL_EMOJI in page


def test_the_same_form_sent_twice_makes_one_theme(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    page = client.get(base(world) + "/new").get_data(as_text=True)
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="submission_key"', page
    )
    data = {"title": "Twice", "summary": "S", "submission_key": key.group(1)}
    first = client.post_form(base(world) + "/new", data)
    second = client.post_form(base(world) + "/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Theme.id)).where(Theme.title == "Twice")) == 1


def test_move_and_delete(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    response = client.post_form(theme_path(world, "move"), {"direction": "down"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"#theme-{world.theme_id}"
    )
    with app.app_context():
        assert db.session.get(Theme, world.theme_id).position == 2
    again = client.post_form(theme_path(world, "move"), {"direction": "down"}, htmx=True)
    assert again.status_code == 204 and again.headers["HX-Redirect"]
    sideways = client.post_form(theme_path(world, "move"), {"direction": "sideways"})
    assert sideways.status_code == 303
    assert "Choose whether to move" in client.get(base(world)).get_data(as_text=True)
    confirm = client.get(theme_path(world, "delete")).get_data(as_text=True)
    assert "Delete the theme" in confirm
    deleted = client.post_form(theme_path(world, "delete"))
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith("/themes")
    with app.app_context():
        assert db.session.get(Theme, world.theme_id) is None


def test_delete_refused_once_answered(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    with app.app_context():
        from forum.areas.models import PartnerOrganisation

        make_decision(
            db.session.get(Theme, world.theme_id),
            db.session.get(PartnerOrganisation, world.council_id),
        )
    page = client.get(theme_path(world, "delete")).get_data(as_text=True)
    assert "cannot be deleted" in page and "Delete the theme</button>" not in page
    response = client.post_form(theme_path(world, "delete"))
    assert response.status_code == 422
    assert "partner has answered" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Theme, world.theme_id) is not None


def test_picker_adds_without_javascript_and_keeps_the_search(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    picker = theme_path(world, "evidence?show=posts&q=same")
    page = client.get(picker).get_data(as_text=True)
    assert "Same for us" in page and "We waited too long" not in page
    back = picker
    response = client.post_form(
        theme_path(world, "evidence"), {"kind": "post", "id": world.reply, "next": back}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{picker}#pick-post-{world.reply}"
    page = client.get(picker).get_data(as_text=True)
    assert "Added to the theme." in page
    assert "1 feedback item from 1 person" in page
    again = client.post_form(
        theme_path(world, "evidence"), {"kind": "post", "id": world.reply, "next": back}
    )
    assert again.status_code == 303
    assert "Already added to the theme." in client.get(picker).get_data(as_text=True)
    # Never anywhere off the site.
    away = client.post_form(
        theme_path(world, "evidence"),
        {"kind": "post", "id": world.opening, "next": "https://evil.example/"},
    )
    assert away.headers["Location"].startswith(theme_path(world, "evidence"))


def test_picker_adds_with_htmx_and_swaps_the_button(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    response = client.post_form(
        theme_path(world, "evidence"),
        {"kind": "question", "id": world.colour, "option": "speech"},
        htmx=True,
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<html" not in text
    assert f'id="pick-question-{world.colour}-speech"' in text and "Added" in text
    assert 'id="theme-figures" hx-swap-oob="true"' in text
    assert "2 feedback items from 2 people" in text
    again = client.post_form(
        theme_path(world, "evidence"),
        {"kind": "question", "id": world.colour, "option": "speech"},
        htmx=True,
    )
    assert "Already added" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        lambda w: {"kind": "post", "id": w.hidden},
        lambda w: {"kind": "post", "id": w.other_post},
        lambda w: {"kind": "answer", "id": w.far_answer},
        lambda w: {"kind": "answer", "id": w.draft_answer},
        lambda w: {"kind": "question", "id": w.colour, "option": "purple"},
        lambda w: {"kind": "answer", "id": w.answers["parent"], "option": "speech"},
        lambda w: {"kind": "nonsense", "id": w.reply},
        lambda w: {"kind": "post", "id": "12abc"},
        lambda w: {"kind": "post", "id": "9" * 30},
        lambda w: {"kind": "post"},
        lambda w: {"kind": "question", "id": w.colour, "option": HUGE},
    ],
)
def test_picker_refuses_what_is_not_this_consultations(app, client, auth, world, data):
    auth.login(THEME_EMAILS["organiser"])
    for htmx in (False, True):
        response = client.post_form(theme_path(world, "evidence"), data(world), htmx=htmx)
        assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Evidence.id))) == 0


def test_search_and_show_more_fragments(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    fragment = client.htmx_get(theme_path(world, "evidence?show=answers&q=waited"))
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text
    assert "We waited a year" in text and "Nobody called back" not in text
    empty = client.htmx_get(theme_path(world, "evidence?show=answers&q=zebra"))
    assert "Nothing matches “zebra”" in empty.get_data(as_text=True)
    odd = client.get(theme_path(world, f"evidence?show=posts&q={SCRIPT}&after=abc&scope=evil"))
    assert odd.status_code == 200 and "<script>alert" not in odd.get_data(as_text=True)
    unknown = client.get(theme_path(world, "evidence?show=everything"))
    assert unknown.status_code == 200 and "Tagged answers" in unknown.get_data(as_text=True)


def test_show_more_pages_through_many_answers(app, client, auth, world):
    from forum.surveys.models import Question, Survey
    from tests.factories import make_response

    auth.login(THEME_EMAILS["organiser"])
    with app.app_context():
        survey = db.session.get(Survey, world.survey_id)
        words = db.session.get(Question, world.words)
        for n in range(25):
            make_response(survey, status="submitted", channel="paper", answers={words: f"Note {n}"})
    page = client.get(theme_path(world, "evidence?show=answers")).get_data(as_text=True)
    assert "Note 24" in page and "Note 5" in page and "Note 4" not in page
    more = re.search(r'href="([^"]*after=\d+[^"]*)"', page).group(1).replace("&amp;", "&")
    rest = client.htmx_get(more).get_data(as_text=True)
    assert "Note 4" in rest and "We waited a year" in rest and "Note 24" not in rest
    assert "Show more" not in rest


def test_theme_page_shows_evidence_quotes_and_removes(app, client, auth, world):
    auth.login(THEME_EMAILS["organiser"])
    for data in (
        {"kind": "code", "id": world.waiting},
        {"kind": "post", "id": world.reply},
        {"kind": "answer", "id": world.answers["second"]},
    ):
        assert client.post_form(theme_path(world, "evidence"), data).status_code == 303
    page = client.get(theme_path(world)).get_data(as_text=True)
    assert "“We waited a year”" in page and "“Waiting list too long”" in page
    # The second member did not agree to be quoted; posts are never quoted.
    assert "“Nobody called back”" not in page and "“Same for us”" not in page
    assert "Olu Organiser" in page and "Remove" in page
    assert "4 feedback items from 3 people" in page
    with app.app_context():
        link = db.session.scalar(select(Evidence.id).where(Evidence.post_id == world.reply))
    removed = client.post_form(theme_path(world, f"evidence/{link}/remove"))
    assert removed.status_code == 303 and removed.headers["Location"].endswith("#evidence-heading")
    again = client.post_form(theme_path(world, f"evidence/{link}/remove"), htmx=True)
    assert again.status_code == 204
    page = client.get(theme_path(world)).get_data(as_text=True)
    assert "already removed" in page and "3 feedback items from 3 people" in page
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "theme.evidence_removed")
        ).all()
        assert event.actor_id == world.organiser_id


def test_responder_reads_the_theme_without_tools(client, auth, world):
    auth.login(THEME_EMAILS["responder"])
    page = client.get(theme_path(world)).get_data(as_text=True)
    assert "Waiting times" in page and "Add evidence" not in page and "Edit the theme" not in page
