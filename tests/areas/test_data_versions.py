"""Each area's data version and the kept parts of pages (issue 18, forum/areas/data_versions.py):
the token moves with every change to the area's data, whether made through the ORM or by a
statement, and only the area's; a kept part is shared only by people who stand alike in the
area, and a change shows on the next page anyone asks for."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select, update

from forum.areas import data_versions
from forum.areas.models import Area, AreaDataVersion, Role
from forum.audit.services import record
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.web import caching
from tests.conftest import AuthActions, base_config
from tests.factories import (
    make_area,
    make_board,
    make_consultation,
    make_membership,
    make_person_in,
    make_plan,
    make_priority,
    make_thread,
)
from tests.support import recorded_statements

HOME = "/areas/northshire"


@pytest.fixture
def app_config(database_url):
    return base_config(database_url, FRAGMENT_CACHE_SECONDS=600)


@pytest.fixture(autouse=True)
def empty_store(app):
    caching.store_of(app).clear()


@pytest.fixture
def world(app):
    with app.app_context():
        north = make_area(slug="northshire", name="Northshire")
        south = make_area(slug="southshire", name="Southshire")
        organiser = make_person_in(north, Role.ORGANISER, email="org@example.org")
        make_person_in(north, Role.MEMBER, email="member@example.org", name="Mia Member")
        make_person_in(north, Role.MEMBER, email="member2@example.org", name="Max Member")
        make_consultation(north, title="Short breaks this summer", state="open")
        board = make_board(north, name="Members' corner", visibility="members")
        make_thread(board, organiser, title="Members only: the summer plans")
        db.session.commit()
        return north.id, south.id


def token(area_id: int) -> int | None:
    return db.session.scalar(
        select(AreaDataVersion.token).where(AreaDataVersion.area_id == area_id)
    )


def tokens(*area_ids: int) -> tuple:
    db.session.expire_all()
    return tuple(token(area_id) for area_id in area_ids)


# -- the token -------------------------------------------------------------------------------


def test_every_new_area_has_a_token(app, world):
    with app.app_context():
        north, south = tokens(*world)
        assert north is not None and south is not None and north != south


def test_a_change_through_the_orm_moves_only_its_areas_token(app, world):
    north_id, south_id = world
    with app.app_context():
        before = tokens(north_id, south_id)
        found = db.session.scalar(select(Consultation).where(Consultation.area_id == north_id))
        found.title = "Short breaks next summer"
        db.session.commit()
        after = tokens(north_id, south_id)
        assert after[0] != before[0] and after[1] == before[1]


def test_a_row_without_an_area_of_its_own_moves_the_token_of_the_area_it_belongs_to(app, world):
    """An earlier wording of a post names only the post; the post has the area."""
    from forum.discussions.models import Post, PostRevision

    north_id, south_id = world
    with app.app_context():
        before = tokens(north_id, south_id)
        post = db.session.scalar(select(Post).where(Post.area_id == north_id))
        db.session.add(PostRevision(post_id=post.id, body="An older wording"))
        db.session.commit()
        after = tokens(north_id, south_id)
        assert after[0] != before[0] and after[1] == before[1]


def test_a_statement_naming_an_area_moves_that_areas_token_and_one_naming_none_moves_all(
    app, world
):
    north_id, south_id = world
    with app.app_context():
        first = tokens(north_id, south_id)
        db.session.execute(
            update(Consultation)
            .where(Consultation.area_id == north_id, Consultation.title != "")
            .values(summary="Updated by a statement")
        )
        db.session.commit()
        second = tokens(north_id, south_id)
        assert second[0] != first[0] and second[1] == first[1]
        db.session.execute(update(Consultation).values(summary="Every area's"))
        db.session.commit()
        third = tokens(north_id, south_id)
        assert third[0] != second[0] and third[1] != second[1]


def test_a_rolled_back_change_and_an_untracked_row_move_nothing(app, world):
    north_id, south_id = world
    with app.app_context():
        before = tokens(north_id, south_id)
        found = db.session.scalar(select(Consultation).where(Consultation.area_id == north_id))
        found.title = "Never saved"
        db.session.flush()
        db.session.rollback()
        db.session.execute(delete(Consultation).where(Consultation.area_id == north_id))
        db.session.rollback()
        assert tokens(north_id, south_id) == before
        # the audit log is written with nearly every change, and never shown in a kept part
        record("test.something", db.session.get(Area, north_id))
        db.session.commit()
        assert tokens(north_id, south_id) == before


# -- kept parts of pages ---------------------------------------------------------------------


def _page(app, client, url):
    with recorded_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def signed_in(make_client, email):
    client = make_client()
    AuthActions(client).login(email)
    return client


def test_the_area_homes_sections_are_kept_for_people_who_stand_alike(app, make_client, world):
    mia = signed_in(make_client, "member@example.org")
    max_ = signed_in(make_client, "member2@example.org")
    first, made = _page(app, mia, HOME)
    second, read = _page(app, max_, HOME)
    assert "Members only: the summer plans" in first and "Members only: the summer plans" in second
    assert read < made, "the second member's sections come from what the first one's made"
    assert "Mia Member" not in second  # nothing of the first person's own


def test_kept_sections_never_reach_someone_who_stands_elsewhere(app, make_client, world):
    organiser = signed_in(make_client, "org@example.org")
    member = signed_in(make_client, "member@example.org")
    as_organiser, _ = _page(app, organiser, HOME)
    assert "create an event" in as_organiser
    as_member, _ = _page(app, member, HOME)
    assert "create an event" not in as_member
    assert "Members only: the summer plans" in as_member
    visitor = make_client()
    as_visitor, _ = _page(app, visitor, HOME)
    assert "Members only: the summer plans" not in as_visitor
    assert "create an event" not in as_visitor


def test_a_change_shows_on_the_next_page_anyone_asks_for(app, make_client, world):
    north_id, _ = world
    member = signed_in(make_client, "member@example.org")
    page, _ = _page(app, member, HOME)
    assert "Transport to college" not in page
    organiser = signed_in(make_client, "org@example.org")
    _page(app, organiser, HOME)  # the organiser's standing has its own kept sections too
    with app.app_context():
        make_consultation(db.session.get(Area, north_id), title="Transport to college")
        db.session.commit()
    assert "Transport to college" in _page(app, member, HOME)[0]
    assert "Transport to college" in _page(app, organiser, HOME)[0]


def test_an_area_without_a_token_has_its_parts_made_every_time(app, make_client, world):
    north_id, _ = world
    with app.app_context():
        db.session.execute(delete(AreaDataVersion).where(AreaDataVersion.area_id == north_id))
        db.session.commit()
    member = signed_in(make_client, "member@example.org")
    _, first = _page(app, member, HOME)
    _, second = _page(app, member, HOME)
    assert second == first


def test_the_national_table_is_kept_until_any_area_changes(app, make_client, world):
    north_id, _ = world
    member = signed_in(make_client, "member@example.org")
    page, made = _page(app, member, "/national")
    assert "Northshire" in page and "Southshire" in page
    again, read = _page(app, member, "/national")
    assert read < made and again.count("Southshire") == page.count("Southshire")
    sorted_page, _ = _page(app, member, "/national?sort=area&order=desc")
    assert sorted_page.index("Southshire") < sorted_page.index("Northshire")
    with app.app_context():
        area = db.session.get(Area, north_id)
        area.name = "North Shire"
        db.session.commit()
    renamed, _ = _page(app, member, "/national")
    assert "North Shire" in renamed


def test_the_scorecard_is_kept_for_each_standing(app, make_client, world):
    north_id, _ = world
    with app.app_context():
        plan = make_plan(db.session.get(Area, north_id), title="Our SEND plan")
        db.session.commit()
        url = f"{HOME}/plans/{plan.slug}/scorecard"
    member = signed_in(make_client, "member@example.org")
    organiser = signed_in(make_client, "org@example.org")
    as_member, made = _page(app, member, url)
    again, read = _page(app, member, url)
    assert read < made
    assert _scorecard(again) == _scorecard(as_member)
    as_organiser, made_for_organiser = _page(app, organiser, url)
    assert made_for_organiser > read, "an organiser's standing has its own kept scorecard"
    assert "Scorecard" in as_organiser
    with app.app_context():
        assert data_versions.token_of(db.session.get(Area, north_id)) is not None


def _scorecard(page: str) -> str:
    return page.split('id="scorecard"', 1)[1].split("</main>", 1)[0]


def test_a_new_name_moves_the_token_of_every_area_the_person_belongs_to(app, world):
    from forum.accounts.models import User

    north_id, south_id = world
    with app.app_context():
        before = tokens(north_id, south_id)
        mia = db.session.scalar(select(User).where(User.email == "member@example.org"))
        mia.last_signed_in_at = mia.created_at  # nothing a kept part shows
        db.session.commit()
        assert tokens(north_id, south_id) == before
        mia.display_name = "Mia M."
        db.session.commit()
        after = tokens(north_id, south_id)
        assert after[0] != before[0] and after[1] == before[1]


def test_search_results_are_kept_per_standing_and_words(app, make_client, world):
    url = f"{HOME}/discussions/search?q=everyone"
    member = signed_in(make_client, "member@example.org")
    page, made = _page(app, member, url)
    assert "Members only: the summer plans" in page
    again, read = _page(app, member, url)
    assert read < made and "Members only: the summer plans" in again
    visitor_page, _ = _page(app, make_client(), url)
    assert "Members only: the summer plans" not in visitor_page
    other, _ = _page(app, member, f"{HOME}/discussions/search?q=winter")
    assert "Members only: the summer plans" not in other


def test_a_new_thread_shows_on_its_kept_board_at_once(app, make_client, world):
    from forum.accounts.models import User
    from forum.discussions.models import Board

    north_id, _ = world
    member = signed_in(make_client, "member@example.org")
    with app.test_request_context():
        board = db.session.scalar(select(Board).where(Board.area_id == north_id))
        url = board.url
    first, made = _page(app, member, url)
    again, read = _page(app, member, url)
    assert "Members only: the summer plans" in again and read < made
    with app.app_context():
        board = db.session.get(Board, board.id)
        author = db.session.scalar(select(User).where(User.email == "member@example.org"))
        make_thread(board, author, title="Who is going to the open day?")
        db.session.commit()
    assert "Who is going to the open day?" in _page(app, member, url)[0]


FORM_TOKENS = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
PAGE_TOKEN = re.compile(r"X-CSRFToken&#34;: &#34;([^&]+)&#34;")


def test_a_kept_part_with_forms_carries_each_persons_own_token(app, make_client, world):
    """Two organisers stand alike: the second gets the plan's priorities as kept, with the
    buttons to move them carrying their own CSRF token, which the app accepts."""
    north_id, _ = world
    with app.app_context():
        area = db.session.get(Area, north_id)
        make_person_in(area, Role.ORGANISER, email="org2@example.org")
        plan = make_plan(area, title="Our SEND plan")
        make_priority(area, code="P1", title="Early help", plan=plan)
        make_priority(area, code="P2", title="Getting to school", plan=plan)
        db.session.commit()
        url = f"{HOME}/plans/{plan.slug}"
    first = signed_in(make_client, "org@example.org")
    second = signed_in(make_client, "org2@example.org")
    page_one, made = _page(app, first, url)
    page_two, read = _page(app, second, url)
    assert read < made, "the second organiser's priorities were kept"
    tokens_one = {a or b for a, b in FORM_TOKENS.findall(page_one)}
    tokens_two = {a or b for a, b in FORM_TOKENS.findall(page_two)}
    assert tokens_one == {PAGE_TOKEN.search(page_one).group(1)}
    assert tokens_two == {PAGE_TOKEN.search(page_two).group(1)}
    assert tokens_one != tokens_two
    move = re.search(r'action="([^"]+/move)"', page_two).group(1)
    refused = second.post(move, data={"csrf_token": next(iter(tokens_one)), "direction": "down"})
    assert refused.status_code == 400, "another person's token is refused"
    response = second.post(move, data={"csrf_token": tokens_two.pop(), "direction": "down"})
    assert response.status_code == 303


# -- whole pages kept for a standing ---------------------------------------------------------

NONCE = re.compile(r'nonce="([^"]+)"')


def test_the_members_page_is_kept_for_organisers_with_their_own_nonce_and_token(
    app, make_client, world
):
    north_id, _ = world
    with app.app_context():
        make_person_in(db.session.get(Area, north_id), Role.ORGANISER, email="org2@example.org")
        db.session.commit()
    url = f"{HOME}/members"
    first = signed_in(make_client, "org@example.org")
    second = signed_in(make_client, "org2@example.org")
    page_one, made = _page(app, first, url)
    with recorded_statements(app) as statements:
        response = second.get(url)
    page_two = response.get_data(as_text=True)
    assert len(statements) < made, "the second organiser's page was kept"
    assert "Mia Member" in page_two
    nonce = NONCE.search(page_two).group(1)
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    assert nonce != NONCE.search(page_one).group(1)
    assert set(NONCE.findall(page_two)) == {nonce}
    tokens = {a or b for a, b in FORM_TOKENS.findall(page_two)}
    assert tokens == {PAGE_TOKEN.search(page_two).group(1)}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_kept_page_is_refused_to_anyone_who_may_not_see_it(app, make_client, world):
    organiser = signed_in(make_client, "org@example.org")
    _page(app, organiser, f"{HOME}/members")
    member = signed_in(make_client, "member@example.org")
    assert member.get(f"{HOME}/members").status_code == 403
    assert make_client().get(f"{HOME}/members").status_code in (302, 303)


def test_a_decision_shows_with_its_message_then_the_page_is_kept_again(app, make_client, world):
    north_id, _ = world
    with app.app_context():
        area = db.session.get(Area, north_id)
        asking = make_person_in(area, None, email="ann@example.org", name="Ann Asker")
        membership = make_membership(asking, area, Role.MEMBER, status="pending")
        db.session.commit()
        membership_id = membership.id
    organiser = signed_in(make_client, "org@example.org")
    url = f"{HOME}/members"
    before, _ = _page(app, organiser, url)
    assert "Ann Asker" in before
    organiser.post_form(f"{url}/{membership_id}/approve")
    after, _ = _page(app, organiser, url)
    assert "Ann Asker is now a member." in after
    again, _ = _page(app, organiser, url)
    assert "Ann Asker is now a member." not in again, "a message is shown once, never kept"


def _inline_styles_allowed(response) -> bool:
    """Every inline <style> block of the page is allowed by the response's own CSP."""
    import base64
    import hashlib

    csp = response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    for attributes, text in re.findall(r"<style([^>]*)>(.*?)</style>", page, re.S):
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        if not ((nonce and f"'nonce-{nonce.group(1)}'" in csp) or f"'sha256-{digest}'" in csp):
            return False
    return True


def test_a_kept_page_allows_its_inline_blocks_for_every_kind_of_visitor(app, make_client, world):
    url = f"{HOME}/events"
    organiser = signed_in(make_client, "org@example.org")
    with_session = make_client()
    with_session.get("/sign-in")  # a form: this visitor now has a session
    for client in (make_client(), make_client(), with_session, with_session, organiser, organiser):
        response = client.get(url)
        assert response.status_code == 200
        assert _inline_styles_allowed(response)


def test_a_statement_on_rows_that_belong_to_a_parent_moves_only_the_parents_area(app, world):
    """A post's revisions (no area of their own): deleting them by statement moves the post's
    area's token, not every area's."""
    from forum.discussions.models import Post, PostRevision

    north_id, south_id = world
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.area_id == north_id))
        db.session.add(PostRevision(post_id=post.id, body="An older wording"))
        db.session.commit()
        before = tokens(north_id, south_id)
        db.session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
        db.session.commit()
        after = tokens(north_id, south_id)
        assert after[0] != before[0] and after[1] == before[1]
        db.session.execute(update(Area).where(Area.id == south_id).values(name="South Shire"))
        db.session.commit()
        last = tokens(north_id, south_id)
        assert last[0] == after[0] and last[1] != after[1]
