"""Every POST the members area adds answers a plain form with 303 See Other and htmx with 204
and HX-Redirect; the same form sent twice does its work once."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.members.models import ChildProfile, FamilyProfile, Locality
from tests.members.worlds import EMAILS, family
from tests.support import assert_redirects_after_post

LOCALITIES = "/areas/northshire/localities"
#: one entry per POST endpoint: (who, url(world), data)
POSTS = {
    "save profile": (EMAILS["parent"], lambda w: family(), {"ethnicity": "mixed"}),
    "add child": (EMAILS["parent"], lambda w: family(action="children/new"), {"need": "hi"}),
    "change child": (
        EMAILS["parent"],
        lambda w: family(w.second_child, "edit"),
        {"need": "vi", "locality": ""},
    ),
    "remove child": (EMAILS["parent"], lambda w: family(w.second_child, "remove"), {}),
    "withdraw": (EMAILS["parent"], lambda w: family(action="withdraw"), {}),
    "add locality": (EMAILS["organiser"], lambda w: LOCALITIES, {"name": "Eastfield"}),
    "remove locality": (EMAILS["organiser"], lambda w: f"{LOCALITIES}/{w.coast}/remove", {}),
    "publish reach": (
        EMAILS["organiser"],
        lambda w: "/areas/northshire/reach/publishing",
        {"published": "yes"},
    ),
    "upload population": (
        EMAILS["organiser"],
        lambda w: "/areas/northshire/reach/population",
        {
            "file": (io.BytesIO(b"question,answer,children\nneed,asd,10\n"), "f.csv"),
            "source": "DfE",
            "as_of-day": "16",
            "as_of-month": "1",
            "as_of-year": "2025",
        },
    ),
    "move locality": (
        EMAILS["organiser"],
        lambda w: f"{LOCALITIES}/{w.coast}/move",
        {"direction": "up"},
    ),
    "take DfE figures": (
        EMAILS["organiser"],
        lambda w: "/areas/northshire/reach/population/dfe",
        {
            "file": (
                io.BytesIO(
                    b"time_period,geographic_level,la_name,sen_provision,pupil_count\n"
                    b"202425,Local authority,Northshire,SEN support,120\n"
                ),
                "sen.csv",
            ),
            "local_authority": "Northshire",
        },
    ),
    "type in figures": (
        EMAILS["organiser"],
        lambda w: "/areas/northshire/reach/population/questions/need",
        {
            "n_asd": "120",
            "source": "Our count",
            "as_of-day": "1",
            "as_of-month": "9",
            "as_of-year": "2025",
        },
    ),
    "stop using figures": (
        EMAILS["organiser"],
        lambda w: _with_figures(w, "/areas/northshire/reach/population/forget"),
        {"question": "need"},
    ),
}


def _with_figures(world, url: str) -> str:
    """`url`, once the area has figures for the type of need (in the test's transaction)."""
    from datetime import date

    from forum.areas.queries import get_by_slug
    from forum.members import population

    area = get_by_slug("northshire")
    checked = population.check(area, b"question,answer,children\nneed,asd,10\n")
    population.keep(area, checked, source="Our count", as_of=date(2025, 1, 1), actor=None)
    db.session.commit()
    return url


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("members.")
    }
    assert len(posts) == len(POSTS)


def fresh(data: dict) -> dict:
    """The case's form data, with a new copy of any file in it (a file is read once)."""
    return {
        k: (io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v
        for k, v in data.items()
    }


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, to, data = POSTS[case]
    auth.login(who)
    with app.app_context():
        url = to(world)
    response = client.post_form(url, fresh(data), htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx, shown=500)


def test_posts_change_what_they_say(app, client, auth, world):
    auth.login(EMAILS["parent"])
    client.post_form(family(), {"ethnicity": "mixed", "parent_age": "35_44"})
    client.post_form(family(action="children/new"), {"need": "hi", "age_band": "0_4"})
    client.post_form(family(world.second_child, "edit"), {"need": "vi"})
    auth.logout()
    auth.login(EMAILS["organiser"])
    client.post_form(LOCALITIES, {"name": "Eastfield"})
    client.post_form(f"{LOCALITIES}/{world.coast}/move", {"direction": "up"})
    with app.app_context():
        profile = db.session.get(FamilyProfile, world.profile_id)
        assert (profile.ethnicity.value, profile.parent_age.value) == ("mixed", "35_44")
        needs = [c.need.value for c in profile.children]
        assert needs == ["asd", "vi", "hi"]
        names = db.session.scalars(
            select(Locality.name)
            .where(Locality.area_id == world.area_id)
            .order_by(Locality.position, Locality.id)
        ).all()
        assert names == ["Coastal villages", "Northtown", "Eastfield"]


def test_the_same_child_form_twice_adds_one_child(app, client, auth, world):
    auth.login(EMAILS["parent"])
    data = {"need": "pd", "submission_key": "same-key-42"}
    first = client.post_form(family(action="children/new"), data)
    second = client.post_form(family(action="children/new"), data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(ChildProfile).where(ChildProfile.need == "pd")
            )
            == 1
        )


@pytest.mark.parametrize("who", [EMAILS["member"], EMAILS["council"], EMAILS["other"]])
def test_only_the_areas_organisers_change_localities(app, client, auth, world, who):
    auth.login(who)
    for name, (who_may, to, data) in POSTS.items():
        if who_may == EMAILS["organiser"]:
            with app.app_context():
                url = to(world)
            assert client.post_form(url, fresh(data)).status_code == 403, name
