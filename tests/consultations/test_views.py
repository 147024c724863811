from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.consultations.models import Consultation, ConsultationState
from forum.extensions import db
from forum.models import utcnow
from forum.web.time import LONDON
from tests.factories import make_area, make_consultation, make_person_in, make_priority


@pytest.fixture
def north(app):
    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_person_in(area, Role.MEMBER, email="member@example.org")
        priority = make_priority(area, code="P3", title="Mental health support in every school")
        made = {
            state: make_consultation(area, state=state, title=f"The {state} one")
            for state in ("draft", "scheduled", "open", "closed", "responded")
        }
    return {"area": area, "priority": priority, **made}


def date_fields(name, when):
    local = when.astimezone(LONDON)
    return {
        f"{name}-day": str(local.day),
        f"{name}-month": str(local.month),
        f"{name}-year": str(local.year),
        f"{name}-time": local.strftime("%H:%M"),
    }


def test_list_shows_open_by_default_and_filters(client, north):
    response = client.get("/areas/northshire/consultations")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The open one" in page and "The closed one" not in page
    assert "Drafts" not in page, "visitors are not offered drafts"
    closed = client.get("/areas/northshire/consultations?status=closed").get_data(as_text=True)
    assert "The closed one" in closed and "The responded one" in closed
    upcoming = client.get("/areas/northshire/consultations?status=upcoming").get_data(as_text=True)
    assert "The scheduled one" in upcoming and "The draft one" not in upcoming
    sneaky = client.get("/areas/northshire/consultations?status=draft").get_data(as_text=True)
    assert "The draft one" not in sneaky


def test_list_htmx_fragment(client, north):
    response = client.htmx_get("/areas/northshire/consultations?status=closed")
    text = response.get_data(as_text=True)
    assert "<html" not in text and "The closed one" in text
    assert "HX-Request" in response.headers["Vary"]


def test_list_pagination(app, client, north):
    with app.app_context():
        for n in range(12):
            make_consultation(north["area"], state="open", title=f"Extra {n:02d}")
    first = client.get("/areas/northshire/consultations").get_data(as_text=True)
    second = client.get("/areas/northshire/consultations?page=2").get_data(as_text=True)
    assert "Next" in first and "Previous" in second
    assert first.count("app-consultation-card") == 10


def test_organisers_see_drafts(client, auth, north):
    auth.login("org@example.org")
    page = client.get("/areas/northshire/consultations?status=draft").get_data(as_text=True)
    assert "The draft one" in page and "Write a consultation" in page


@pytest.mark.parametrize(
    "who, status", [(None, 302), ("member@example.org", 403), ("org@example.org", 200)]
)
def test_drafts_only_for_organisers(client, auth, north, who, status):
    if who:
        auth.login(who)
    response = client.get(f"/areas/northshire/consultations/{north['draft'].slug}")
    assert response.status_code == status


def test_consultation_page(client, north, app):
    with app.app_context():
        c = db.session.get(Consultation, north["open"].id)
        c.easy_read_summary = "We want to hear from you.\nIt takes 10 minutes."
        c.body = "Read **this** first."
        db.session.commit()
    text = client.get(f"/areas/northshire/consultations/{north['open'].slug}").get_data(
        as_text=True
    )
    assert "Open" in text and "left." in text
    assert "We want to hear from you." in text and "<strong>this</strong>" in text
    assert "Organiser actions" not in text


def test_other_areas_consultations_are_not_found_here(app, client, north):
    with app.app_context():
        south = make_area(slug="southvale")
        theirs = make_consultation(south, state="open", title="Southvale only")
    assert client.get(f"/areas/northshire/consultations/{theirs.slug}").status_code == 404
    assert "Southvale only" not in client.get("/areas/northshire/consultations").get_data(
        as_text=True
    )


def test_organiser_of_another_area_cannot_manage(app, client, auth, north):
    with app.app_context():
        south = make_area(slug="southvale")
        make_person_in(south, Role.ORGANISER, email="south@example.org")
    auth.login("south@example.org")
    assert client.get("/areas/northshire/consultations/new").status_code == 403
    slug = north["open"].slug
    response = client.post_form(f"/areas/northshire/consultations/{slug}/close", {"reason": "x"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Consultation, north["open"].id).state is ConsultationState.OPEN


def test_write_a_consultation(app, client, auth, north):
    auth.login("org@example.org")
    assert client.get("/areas/northshire/consultations/new").status_code == 200
    opens = utcnow() + timedelta(days=3)
    closes = opens + timedelta(days=28)
    response = client.post_form(
        "/areas/northshire/consultations/new",
        {
            "title": "Speech and language therapy waits",
            "summary": "How long did you wait?",
            "easy_read_summary": "",
            "body": "",
            "audience": "members",
            **date_fields("opens_at", opens),
            **date_fields("closes_at", closes),
            "response_due_at-day": "",
            "response_due_at-month": "",
            "response_due_at-year": "",
            "response_due_at-time": "17:00",
            "priorities": [str(north["priority"].id)],
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"] == (
        "/areas/northshire/consultations/speech-and-language-therapy-waits"
    )
    with app.app_context():
        c = db.session.scalar(
            select(Consultation).where(Consultation.slug == "speech-and-language-therapy-waits")
        )
        assert c.state is ConsultationState.DRAFT
        assert [p.code for p in c.priorities] == ["P3"]
        assert abs((c.opens_at - opens).total_seconds()) < 60
        assert c.response_due_at == c.closes_at + timedelta(weeks=12)


@pytest.mark.parametrize(
    "dates, message",
    [
        ({"opens_at-day": "", "opens_at-month": "", "opens_at-year": ""}, "Enter the opening date"),
        (
            {"opens_at-day": "31", "opens_at-month": "2", "opens_at-year": "2027"},
            "must be a real date",
        ),
        (
            {"opens_at-day": "1", "opens_at-month": "", "opens_at-year": "2027"},
            "must include a month",
        ),
        (
            {"opens_at-day": "x", "opens_at-month": "2", "opens_at-year": "2027"},
            "must be a real date",
        ),
        ({"opens_at-time": "25:99"}, "must be a real date and time"),
        ({"opens_at-time": "noon"}, "as hours and minutes"),
        ({"closes_at-year": "1999"}, "between the years 2000 and 2100"),
    ],
)
def test_date_errors(client, auth, north, dates, message):
    auth.login("org@example.org")
    opens = utcnow() + timedelta(days=3)
    data = {
        "title": "T",
        "summary": "S",
        "audience": "public",
        **date_fields("opens_at", opens),
        **date_fields("closes_at", opens + timedelta(days=9)),
        **dates,
    }
    response = client.post_form("/areas/northshire/consultations/new", data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text and "govuk-error-summary" in text
    assert 'href="#opens_at-day"' in text or 'href="#closes_at-day"' in text


def test_closing_before_opening_is_refused(client, auth, north):
    auth.login("org@example.org")
    opens = utcnow() + timedelta(days=3)
    response = client.post_form(
        "/areas/northshire/consultations/new",
        {
            "title": "T",
            "summary": "S",
            "audience": "public",
            **date_fields("opens_at", opens),
            **date_fields("closes_at", opens - timedelta(days=1)),
        },
    )
    assert response.status_code == 422
    assert "closing date must be after the opening date" in response.get_data(as_text=True)


def test_lifecycle_buttons(app, client, auth, north):
    auth.login("org@example.org")
    base = f"/areas/northshire/consultations/{north['scheduled'].slug}"
    assert client.post_form(f"{base}/open-now").status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert "The consultation is open now." in page and "History" in page
    response = client.post_form(f"{base}/close", {"reason": ""})
    assert response.status_code == 422 and "Say why" in response.get_data(as_text=True)
    assert client.post_form(f"{base}/close", {"reason": "Enough replies"}).status_code == 303
    closed_page = client.get(base).get_data(as_text=True)
    assert "Closed early on " in closed_page and "): Enough replies" in closed_page
    # Opening a closed consultation again warns that an anonymous survey was sealed.
    assert "people who already answered can send" in client.get(f"{base}/extend").get_data(
        as_text=True
    )
    later = utcnow() + timedelta(days=14)
    sent = {**date_fields("closes_at", later), "reason": "parents asked for more time"}
    assert client.post_form(f"{base}/extend", sent).status_code == 303
    with app.app_context():
        assert db.session.get(Consultation, north["scheduled"].id).state is ConsultationState.OPEN


def test_changing_an_open_consultations_date_gives_no_sealing_warning(client, auth, north):
    auth.login("org@example.org")
    page = client.get(f"/areas/northshire/consultations/{north['open'].slug}/extend")
    assert page.status_code == 200
    assert "people who already answered can send" not in page.get_data(as_text=True)


def test_stale_lifecycle_button_is_explained_not_an_error(client, auth, north):
    auth.login("org@example.org")
    base = f"/areas/northshire/consultations/{north['open'].slug}"
    response = client.post_form(f"{base}/publish")
    assert response.status_code == 303
    assert "cannot be published" in client.get(base).get_data(as_text=True)


def test_edit(app, client, auth, north):
    auth.login("org@example.org")
    base = f"/areas/northshire/consultations/{north['open'].slug}"
    form_page = client.get(f"{base}/edit").get_data(as_text=True)
    assert 'value="The open one"' in form_page
    with app.app_context():
        c = db.session.get(Consultation, north["open"].id)
        dates = {
            **date_fields("opens_at", c.opens_at),
            **date_fields("closes_at", c.closes_at),
            **date_fields("response_due_at", c.response_due_at),
        }
    response = client.post_form(
        f"{base}/edit", {"title": "A better title", "summary": "S", "audience": "public", **dates}
    )
    assert response.status_code == 303, response.get_data(as_text=True).split(
        "govuk-error-summary__list"
    )[-1][:600]
    assert "A better title" in client.get(base).get_data(as_text=True)


def test_area_home_lists_open_consultations(client, north):
    text = client.get("/areas/northshire").get_data(as_text=True)
    assert "Open consultations" in text and "The open one" in text
    assert "The draft one" not in text and "1 opening soon" in text
