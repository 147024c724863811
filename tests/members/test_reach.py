"""The reach report (issue 16): families and children counted from consented profiles, every
count protected for everyone (organisers too), groups the forum is missing flagged against the
area's figures, who may see it, and the population file: checked whole, nothing half-kept."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.areas.queries import get_by_slug
from forum.extensions import db
from forum.members import population, reach
from forum.members.models import (
    ChildProfile,
    FamilyProfile,
    Need,
    Phase,
    PopulationUpload,
)
from tests.members.worlds import EMAILS, make_families
from tests.support import recorded_statements

REACH = "/areas/northshire/reach"
GOOD_FILE = (
    "question,answer,children\n"
    "need,ASD,300\n"
    "need,Speech language and communication needs (SLCN),300\n"
    "need,hi,100\n"
    "support,ehc_plan,500\n"
    "support,SEN support at school or college without an EHC plan,500\n"
    "phase,post_16,200\n"
    "phase,secondary,400\n"
    "phase,primary,400\n"
    "locality,northtown,600\n"
)


def _question(report, key):
    return next(q for q in report.child_questions + report.family_questions if q.key == key)


def _cell(report, key, answer):
    return next(r for r in _question(report, key).rows if r.key == answer).count


def _upload(area, text=GOOD_FILE, *, as_of=date(2025, 1, 16)):
    checked = population.check(area, text.encode())
    assert checked.ok, checked.problems
    return population.keep(
        area, checked, source="DfE, SEN in England 2025", as_of=as_of, actor=None
    )


# --- counting and protecting ------------------------------------------------------------------


def test_counts_are_rounded_and_small_ones_withheld_for_everyone(app, world):
    with app.app_context():
        area = get_by_slug("northshire")
        make_families(area, 11)  # + the world's parent: 12 families
        make_families(area, 6, need=Need.HI, phase=Phase.PRIMARY)
        report = reach.breakdown(area)
        assert str(report.families) == "20"  # 18 families, rounded
        asd = _cell(report, "need", "asd")
        assert asd.value == 10 and asd.rounded  # 12 ASD children (11 + the world's first)
        assert str(_cell(report, "need", "slcn")) == "fewer than 5"  # the world's second child
        # Exactly one cell withheld would be found by subtraction: the next smallest goes too.
        assert str(_cell(report, "need", "hi")) == "not shown, to protect a smaller group"
        # Nobody answered the parent's questions (apart from one ethnicity): not broken down.
        ethnicity = _question(report, "ethnicity")
        assert not ethnicity.broken_down and ethnicity.total.withheld
        db.session.rollback()


def test_a_family_withdrawing_cannot_be_seen_by_comparing_two_reports(app, world):
    """11 ASD children before, 10 after: both show "10"; the one family is not revealed."""
    from forum.members import services

    with app.app_context():
        area = get_by_slug("northshire")
        make_families(area, 10)  # with the world's first child: 11 ASD
        make_families(area, 6, need=Need.SEMH)
        before = reach.breakdown(area)
        leaving = db.session.scalar(
            select(User)
            .join(FamilyProfile, FamilyProfile.user_id == User.id)
            .join(ChildProfile, ChildProfile.profile_id == FamilyProfile.id)
            .where(User.id != world.parent_id, ChildProfile.need == Need.ASD)
            .limit(1)
        )
        services.withdraw(area, leaving)
        after = reach.breakdown(area, key="kept")
        assert str(_cell(before, "need", "asd")) == str(_cell(after, "need", "asd")) == "10"
        assert str(before.families) == str(after.families)
        db.session.rollback()


def test_members_who_left_or_responders_are_not_counted(app, world):
    from forum.areas.models import Membership, MembershipStatus

    with app.app_context():
        area = get_by_slug("northshire")
        make_families(area, 9)
        assert reach.breakdown(area).children.value == 10  # 11 children: rounded to 10
        db.session.execute(
            Membership.__table__.update()
            .where(Membership.area_id == area.id, Membership.role == Role.MEMBER)
            .values(status=MembershipStatus.DECLINED)
        )
        assert reach.breakdown(area).families.value == 0
        db.session.rollback()


def test_a_gap_is_flagged_against_the_areas_figures(app, world):
    with app.app_context():
        area = get_by_slug("northshire")
        make_families(area, 20, phase=Phase.SECONDARY)
        make_families(area, 5, phase=Phase.PRIMARY)
        _upload(area)
        report = reach.breakdown(area)
        assert report.population.source == "DfE, SEN in England 2025"
        post16 = next(r for r in _question(report, "phase").rows if r.key == "post_16")
        assert post16.population == 20 and post16.count.value == 0
        # 0 of 25 is not "fewer than 5": it is a known group with nobody, and flagged.
        assert any("Post-16" in gap and "about 20%" in gap for gap in report.gaps)
        secondary = next(r for r in _question(report, "phase").rows if r.key == "secondary")
        assert secondary.gap is None  # over-represented is not missing
        db.session.rollback()


def test_the_report_is_the_same_number_of_statements_however_many_profiles(app, world):
    with app.app_context():
        area = get_by_slug("northshire")
        _upload(area)
        # Each under a group name of its own, so neither is answered from kept counts (another
        # test may have left counts kept for this very world).
        with recorded_statements(app) as few:
            reach.breakdown(area, key="flat: few")
        make_families(area, 60)
        make_families(area, 40, need=Need.SEMH, phase=Phase.POST_16)
        with recorded_statements(app) as many:
            reach.breakdown(area, key="flat: many")
        assert len(few) == len(many)
        db.session.rollback()


# --- who sees it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        (EMAILS["member"], 403),
        (EMAILS["parent"], 403),
        (EMAILS["council"], 403),
        (EMAILS["other"], 403),
        (EMAILS["organiser"], 200),
    ],
)
def test_only_organisers_see_an_unpublished_report(client, auth, world, who, status):
    if who:
        auth.login(who)
    assert client.get(REACH).status_code == status
    assert client.get(REACH + "/population").status_code == (
        200 if status == 200 else (302 if who is None else 403)
    )


def test_published_everyone_reads_it_but_only_organisers_change_it(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    response = client.post_form(REACH + "/publishing", {"published": "yes"})
    assert response.status_code == 303
    auth.logout()
    page = client.get(REACH)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Who we hear from" in text and "Save who can see it" not in text
    auth.login(EMAILS["council"])
    assert client.get(REACH).status_code == 200
    assert client.post_form(REACH + "/publishing", {"published": "no"}).status_code == 403


def test_the_page_shows_the_protected_figures_and_the_gaps(app, client, auth, world):
    with app.app_context():
        area = get_by_slug("northshire")
        make_families(area, 20)
        _upload(area)
        db.session.commit()
    auth.login(EMAILS["organiser"])
    text = client.get(REACH).get_data(as_text=True)
    assert "Groups the forum may be missing" in text
    assert "Post-16 (sixth form, college or training): 0%" in text
    assert "figures for 16 January 2025" in text
    assert "Main type of need (20 answered)" in text


# --- the population file --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "The file is empty"),
        ("q,a,c\nneed,asd,3\n", "The first row must be the headings"),
        ("question,answer,children,extra\nneed,asd,3\n", "The first row must be the headings"),
        ("question,answer,children\n", "no figures"),
        ("question,answer,children\nneed,asd,-4\n", "whole number from 0 to 10,000,000"),
        ("question,answer,children\nneed,asd,3.5\n", "whole number from 0 to 10,000,000"),
        ("question,answer,children\nneed,asd,99999999\n", "whole number from 0 to 10,000,000"),
        ("question,answer,children\nwealth,rich,3\n", "The question must be one of"),
        (
            "question,answer,children\nneed,<script>x</script>,3\n",
            "is not an answer to the question need",
        ),
        ("question,answer,children\nlocality,Atlantis,3\n", "is not one of the area"),
        ("question,answer,children\nneed,asd,3\nneed,ASD,4\n", "in the file twice"),
        ("question,answer,children\nneed,asd,3,4\n", "more than 3 cells"),
    ],
)
def test_each_problem_is_said_and_nothing_is_kept(app, client, auth, world, text, message):
    auth.login(EMAILS["organiser"])
    response = client.post_form(
        REACH + "/population",
        {
            "file": (io.BytesIO(text.encode()), "figures.csv"),
            "source": "DfE",
            "as_of-day": "16",
            "as_of-month": "1",
            "as_of-year": "2025",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PopulationUpload)) == 0


def test_junk_and_huge_files_are_refused(app, world):
    with app.app_context():
        area = get_by_slug("northshire")
        huge = population.check(area, b"question,answer,children\n" + b"need,asd,1\n" * 30_000)
        assert "bigger than 256 KB" in huge.problems[0].message
        zipped = population.check(area, b"PK\x03\x04junk")
        assert "This is not a CSV file" in zipped.problems[0].message
        many = population.check(
            area,
            ("question,answer,children\n" + "need,asd,1\n" * 501).encode(),
        )
        assert "up to 500" in many.problems[0].message


def test_a_good_file_is_kept_with_its_source_and_date(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    response = client.post_form(
        REACH + "/population",
        {
            "file": (io.BytesIO(GOOD_FILE.encode()), "figures.csv"),
            "source": "DfE, SEN in England 2025",
            "as_of-day": "16",
            "as_of-month": "1",
            "as_of-year": "2025",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    with app.app_context():
        upload = db.session.scalar(select(PopulationUpload))
        cells = {(f.dimension, f.category): f.count for f in upload.figures}
        assert cells[("need", "slcn")] == 300 and cells[("support", "sen_support")] == 500
        assert cells[("locality", str(world.north))] == 600
        assert upload.as_of == date(2025, 1, 16)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"source": ""}, "Say where the figures come from"),
        ({"source": "x" * 201}, "200 characters or fewer"),
        ({"as_of-day": ""}, "must include a day"),
        ({"as_of-day": "", "as_of-month": "", "as_of-year": ""}, "Enter the date the figures"),
        ({"file": None}, "Choose a CSV file of figures"),
    ],
)
def test_the_upload_form_says_what_is_missing(app, client, auth, world, fields, message):
    auth.login(EMAILS["organiser"])
    data = {
        "file": (io.BytesIO(GOOD_FILE.encode()), "figures.csv"),
        "source": "DfE",
        "as_of-day": "16",
        "as_of-month": "1",
        "as_of-year": "2025",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post_form(REACH + "/population", data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_counts_are_kept_until_a_profile_changes(app, world):
    from forum.members import services

    with app.app_context():
        area = get_by_slug("northshire")
        make_families(area, 12)
        reach.breakdown(area, key="kept")
        with recorded_statements(app) as kept:
            again = reach.breakdown(area, key="kept")
        with recorded_statements(app) as fresh:
            reach.breakdown(area, key="once more")  # another group: counted afresh
        assert len(kept) == len(fresh) - 2
        # A withdrawal is seen at once, whatever was kept.
        leaving = db.session.scalar(
            select(User)
            .join(FamilyProfile, FamilyProfile.user_id == User.id)
            .where(User.id != world.parent_id)
            .limit(1)
        )
        services.withdraw(area, leaving)
        after = reach.breakdown(area, key="kept")
        assert again.families.value == 15 and after.families.value == 10  # 13 → 12
        db.session.rollback()
