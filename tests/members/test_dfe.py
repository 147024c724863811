"""A starting point from DfE's published figures (issue 16): the local-authority rows of
"Special educational needs in England" and of "Education, health and care plans", in the tidy
layout of DfE's statistics service, become the area's population figures; each question keeps
where it came from and what it covers, and the questions a file does not give stay as they were.

The files here are made in the tests, in DfE's layout (a row for every combination of groups,
"Total" rows for each group, numbers that add up); the figures are made up."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date

import pytest
from sqlalchemy import func, select

from forum.areas.queries import get_by_slug
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.members import dfe, population, reach
from forum.members.models import PopulationFigure, PopulationUpload
from tests.members.worlds import EMAILS, make_families

REACH = "/areas/northshire/reach"
PLACE = [
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
AUTHORITIES = {
    "Northshire": ("E06000901", "901"),
    "Southshire": ("E06000902", "902"),
    "North Somerton": ("E06000903", "903"),
}
PHASES = [
    "State-funded nursery",
    "State-funded primary",
    "State-funded secondary",
    "State-funded special school",
    "State-funded AP school",
    "Independent school",
]
PROVISIONS = ["Education, health and care plan", "SEN support", "No SEN provision"]
NEEDS = [
    "Autistic spectrum disorder",
    "Speech, language and communications needs",
    "Social, emotional and mental health",
    "SEN support but no specialist assessment of type of need",
    "No special educational need",
]
NO_SEN, NO_NEED, NOT_ASSESSED = 2, 4, 3


def _pupils(year: int, la: int, phase: int, provision: int, need: int) -> int:
    """A made-up number of pupils for one combination of groups."""
    if (provision == NO_SEN) != (need == NO_NEED):
        return 0  # pupils with no SEN have no type of need, and pupils with SEN have one
    if provision == NO_SEN:
        return 1000 * (phase + 1) + year % 10
    if provision == 0 and need == NOT_ASSESSED:
        return 0  # an EHC plan always names the need
    return 7 * (phase + 1) + 3 * (need + 1) + 11 * provision + year % 10 + 5 * la


def _census_rows(years=(202324, 202425)):
    """Every row DfE's census file has: each combination of groups, and "Total" for each."""
    rows = []
    sizes = (len(PHASES), len(PROVISIONS), len(NEEDS))
    for year, (la, (name, (code, old))) in itertools.product(years, enumerate(AUTHORITIES.items())):
        for picks in itertools.product(*([None, *range(size)] for size in sizes)):
            total = sum(
                _pupils(year, la, *cell)
                for cell in itertools.product(*(range(size) for size in sizes))
                if all(pick in (None, value) for pick, value in zip(picks, cell, strict=True))
            )
            phase, provision, need = (
                "Total" if pick is None else words[pick]
                for pick, words in zip(picks, (PHASES, PROVISIONS, NEEDS), strict=True)
            )
            rows.append(
                {
                    "time_period": str(year),
                    "time_identifier": "Academic year",
                    "geographic_level": "Local authority",
                    "country_code": "E92000001",
                    "country_name": "England",
                    "region_code": "E12000001",
                    "region_name": "North East",
                    "old_la_code": old,
                    "new_la_code": code,
                    "la_name": name,
                    "phase_type_grouping": phase,
                    "sen_provision": provision,
                    "sen_primary_need": need,
                    "pupil_count": str(total),
                    "pupil_percent": "12.5",
                }
            )
    return rows


def _csv(rows, columns=None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _expected(year=202425, la=0):
    """The census figures the reading should find, counted from the made-up cells."""
    cells = {
        (p, v, n): _pupils(year, la, p, v, n)
        for p, v, n in itertools.product(
            range(len(PHASES)), range(len(PROVISIONS)), range(len(NEEDS))
        )
    }
    sen = {k: c for k, c in cells.items() if k[1] != NO_SEN}
    need_keys = ["asd", "slcn", "semh", "not_known"]
    return {
        "need": {need_keys[n]: sum(c for (_, _, m), c in sen.items() if m == n) for n in range(4)},
        "support": {
            "ehc_plan": sum(c for (_, v, _), c in sen.items() if v == 0),
            "sen_support": sum(c for (_, v, _), c in sen.items() if v == 1),
        },
        "phase": {
            key: sum(c for (p, _, _), c in sen.items() if p == i)
            for i, key in enumerate(["early_years", "primary", "secondary"])
        },
        "setting": {
            "mainstream": sum(c for (p, _, _), c in sen.items() if p in (0, 1, 2)),
            "special": sum(c for (p, _, _), c in sen.items() if p == 3),
            "alternative": sum(c for (p, _, _), c in sen.items() if p == 4),
        },
    }


CENSUS = _csv(_census_rows())


def _read(text: str, la: str = "Northshire") -> dfe.Found:
    return dfe.read(io.StringIO(text, newline=""), la)


# --- reading DfE's files --------------------------------------------------------------------


def test_the_census_file_gives_need_support_stage_and_setting_of_pupils_with_sen():
    found = _read(CENSUS)
    assert found.ok, found.problems
    assert found.la_name == "Northshire" and found.la_code == "E06000901"
    assert found.year == "202425" and found.as_of == date(2025, 1, 1)
    figures: dict[str, dict[str, int]] = {}
    for (question, answer), children in found.cells.items():
        figures.setdefault(question, {})[answer] = children
    assert figures == _expected()
    assert "January 2025" in found.source and "Special educational needs in England" in found.source
    assert "nursery, primary and secondary" in found.note_for("phase")


@pytest.mark.parametrize("asked", ["northshire", "  NORTHSHIRE ", "E06000901", "e06000901", "901"])
def test_the_local_authority_is_found_by_name_or_code(asked):
    found = _read(CENSUS, asked)
    assert found.ok and found.la_name == "Northshire"


def test_another_authority_and_an_earlier_year_are_left_out():
    assert _read(CENSUS, "Southshire").cells != _read(CENSUS).cells
    earlier = _read(_csv(_census_rows(years=(202324,))))
    assert earlier.as_of == date(2024, 1, 1)
    assert earlier.cells[("support", "ehc_plan")] != _read(CENSUS).cells[("support", "ehc_plan")]


def test_an_unknown_authority_is_said_beside_its_field_with_the_nearest_names():
    found = _read(CENSUS, "Northshir")
    assert not found.ok
    problem = found.problems[0]
    assert problem.field == "local_authority"
    assert "no figures for “Northshir”" in problem.message and "“Northshire”" in problem.message
    nothing_near = _read(CENSUS, "Atlantis")
    assert "E08000035" in nothing_near.problems[0].message


def test_the_plans_file_gives_age_and_setting_and_says_how_ages_are_matched():
    columns = ["time_period", *PLACE, "age", "establishment_group", "ehcp_or_statement"]
    rows = []
    ages = {
        "Under age 5": 40,
        "Age 5 to 10": 300,
        "Age 11 to 15": 350,
        "Age 16 to 19": 200,
        "Age 20 to 25": 60,
    }
    groups = {
        "Mainstream school": 400,
        "Special school": 450,
        "Alternative provision": 30,
        "Elective home education": 20,
        "Not in education, employment or training": 50,
    }
    place = {
        "time_identifier": "Calendar year",
        "geographic_level": "Local authority",
        "country_code": "E92000001",
        "country_name": "England",
        "region_code": "E12000001",
        "region_name": "North East",
        "old_la_code": "901",
        "new_la_code": "E06000901",
        "la_name": "Northshire",
    }
    for age, n in [*ages.items(), ("Total", sum(ages.values()))]:
        rows.append(
            {
                "time_period": "2024",
                **place,
                "age": age,
                "establishment_group": "Total",
                "ehcp_or_statement": "Total",
                "num_caseload": str(n),
                "pc_caseload": "x",
            }
        )
        rows.append(
            {
                "time_period": "2024",
                **place,
                "age": age,
                "establishment_group": "Total",
                "ehcp_or_statement": "EHCP",
                "num_caseload": str(n),
                "pc_caseload": "x",
            }
        )
    for group, n in groups.items():
        rows.append(
            {
                "time_period": "2024",
                **place,
                "age": "Total",
                "establishment_group": group,
                "ehcp_or_statement": "Total",
                "num_caseload": str(n),
                "pc_caseload": "z",
            }
        )
    found = _read(_csv(rows, [*columns, "num_caseload", "pc_caseload"]))
    assert found.ok, found.problems
    assert found.as_of == date(2024, 1, 1)
    assert {a: c for (q, a), c in found.cells.items() if q == "age_band"} == {
        "0_4": 40,
        "5_10": 300,
        "11_15": 350,
        "16_18": 200,
        "19_25": 60,
    }
    assert {a: c for (q, a), c in found.cells.items() if q == "setting"} == {
        "mainstream": 400,
        "special": 450,
        "alternative": 30,
        "home": 20,
        "not_in_education": 50,
    }
    assert "Education, health and care plans" in found.source
    assert "16 to 19" in found.note_for("age_band")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "The file is empty"),
        ("question,answer,children\nneed,asd,3\n", "not one of DfE's statistics files"),
        ("time_period,la_name,pupil_count,colour\n202425,Northshire,4,red\n", "none of the groups"),
        (
            "time_period,geographic_level,la_name,sen_provision,pupil_count\n"
            "202425,National,,SEN support,4\n",
            "no local authority rows",
        ),
        (
            "time_period,geographic_level,la_name,sen_provision,pupil_count\n"
            "202425,Local authority,Northshire,SEN support,lots\n",
            "is not a number of children",
        ),
        (
            "time_period,geographic_level,la_name,sen_provision,pupil_count\n"
            "autumn,Local authority,Northshire,SEN support,4\n",
            "is not one we know",
        ),
        (
            "time_period,geographic_level,la_name,sen_provision,pupil_count\n"
            "202425,Local authority,Northshire,Total,4\n",
            "none we could use",
        ),
    ],
)
def test_files_that_are_not_dfes_are_refused_in_words(text, message):
    found = _read(text)
    assert not found.ok
    assert message in found.problems[0].message


def test_unavailable_figures_are_left_out_and_hostile_words_are_not_echoed_raw():
    text = (
        "time_period,geographic_level,la_name,sen_provision,pupil_count\n"
        "202425,Local authority,Northshire,Education health and care plan,x\n"
        "202425,Local authority,Northshire,SEN support,120\n"
    )
    found = _read(text)
    assert found.cells == {("support", "sen_support"): 120}
    hostile = _read(CENSUS, "<script>alert(1)</script>")
    assert "no figures for" in hostile.problems[0].message


def test_junk_and_oversized_uploads_are_refused():
    assert "This is not a CSV file" in dfe.read_upload(b"PK\x03\x04junk", "x").problems[0].message
    huge = dfe.read_upload(b"a" * (dfe.UPLOAD_BYTES_MAX + 1), "x")
    assert "bigger than 2 MB" in huge.problems[0].message


# --- keeping them ------------------------------------------------------------------------------


def _post(client, data: dict, *, file: str | None = CENSUS):
    if file is not None:
        data = {**data, "file": (io.BytesIO(file.encode()), "sen_phase_type.csv")}
    return client.post_form(REACH + "/population/dfe", data, content_type="multipart/form-data")


def test_an_organiser_takes_the_figures_and_the_report_says_where_each_came_from(
    app, client, auth, world
):
    with app.app_context():
        area = get_by_slug("northshire")
        make_families(area, 12)
        own = population.check(
            area, b"question,answer,children\nlocality,Northtown,600\nneed,asd,1\n"
        )
        population.keep(area, own, source="Our own count", as_of=date(2024, 9, 1), actor=None)
        db.session.commit()
    auth.login(EMAILS["organiser"])
    page = client.get(REACH + "/population/dfe").get_data(as_text=True)
    assert 'value="Northshire"' in page  # the area's name to start with
    response = _post(client, {"local_authority": "Northshire"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        area = get_by_slug("northshire")
        sources, figures = reach.latest_population(area)
        expected = _expected()
        assert {q: figures[q] for q in expected} == expected
        # The locality is still the organiser's own; the need is DfE's now.
        assert figures["locality"] == {str(world.north): 600}
        assert sources["locality"].source == "Our own count"
        assert sources["need"].source.startswith("Department for Education")
        assert "nursery, primary and secondary" in sources["phase"].note
        upload = db.session.scalar(select(PopulationUpload).order_by(PopulationUpload.id.desc()))
        assert upload.local_authority == "Northshire" and upload.as_of == date(2025, 1, 1)
        entry = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "member.population_uploaded")
            .order_by(AuditEvent.id.desc())
        )
        assert entry is not None
    followed = client.get(REACH + "/population").get_data(as_text=True)
    assert "DfE’s figures for Northshire are kept" in followed
    assert "The figures the report uses now" in followed and "Our own count" in followed
    report = client.get(REACH).get_data(as_text=True)
    assert "The area’s shares: Department for Education" in report
    # Next time the authority last used is offered.
    assert 'value="Northshire"' in client.get(REACH + "/population/dfe").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, file, message",
    [
        ({"local_authority": ""}, CENSUS, "Enter the local authority"),
        ({"local_authority": "x" * 121}, CENSUS, "120 characters or fewer"),
        ({"local_authority": "Atlantis"}, CENSUS, "The file has no figures for “Atlantis”"),
        ({"local_authority": "Northshire"}, None, "Choose DfE’s CSV file".replace("’", "'")),
        ({"local_authority": "Northshire"}, "question,answer\n1,2\n", "not one of DfE"),
    ],
)
def test_the_form_says_what_is_wrong_and_keeps_nothing(
    app, client, auth, world, data, file, message
):
    auth.login(EMAILS["organiser"])
    response = _post(client, data, file=file)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message.replace("'", "&#39;") in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PopulationUpload)) == 0


@pytest.mark.parametrize("who", [None, "member", "council", "other"])
def test_only_the_areas_organisers_take_dfes_figures(app, client, auth, world, who):
    if who:
        auth.login(EMAILS[who])
    assert client.get(REACH + "/population/dfe").status_code == (302 if who is None else 403)
    assert _post(client, {"local_authority": "Northshire"}).status_code in (302, 403, 400)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PopulationUpload)) == 0


def test_a_file_placed_on_the_server_serves_every_area(app, client, auth, world, tmp_path):
    (tmp_path / "sen_phase_type_2025.csv").write_text(CENSUS, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not offered")
    app.config["DFE_SEN_DIR"] = str(tmp_path)
    try:
        auth.login(EMAILS["organiser"])
        page = client.get(REACH + "/population/dfe").get_data(as_text=True)
        assert "sen_phase_type_2025.csv" in page and "notes.txt" not in page
        # Only a file on the list: never a path.
        sneaky = _post(
            client, {"installed": "../secret_key", "local_authority": "Northshire"}, file=None
        )
        assert sneaky.status_code == 422 and "Choose a file from the list" in sneaky.get_data(
            as_text=True
        )
        response = _post(
            client,
            {"installed": "sen_phase_type_2025.csv", "local_authority": "E06000901"},
            file=None,
        )
        assert response.status_code == 303
        with app.app_context():
            area = get_by_slug("northshire")
            assert reach.latest_population(area)[1]["support"] == _expected()["support"]
    finally:
        app.config["DFE_SEN_DIR"] = ""


def test_an_organiser_stops_using_a_questions_figures(app, client, auth, world):
    with app.app_context():
        area = get_by_slug("northshire")
        found = _read(CENSUS)
        population.keep(area, found, source=found.source, as_of=found.as_of, actor=None)
        db.session.commit()
    auth.login(EMAILS["organiser"])
    page = client.get(REACH + "/population").get_data(as_text=True)
    assert "Stop using" in page
    response = client.post_form(REACH + "/population/forget", {"question": "phase"})
    assert response.status_code == 303
    with app.app_context():
        area = get_by_slug("northshire")
        sources, figures = reach.latest_population(area)
        assert "phase" not in figures and "need" in figures
    again = client.post_form(REACH + "/population/forget", {"question": "phase"})
    assert again.status_code == 422
    assert "The area has no figures for that question" in again.get_data(as_text=True)
    bad = client.post_form(REACH + "/population/forget", {"question": "<b>wealth</b>"})
    assert bad.status_code == 422 and "Choose a question from the list" in bad.get_data(
        as_text=True
    )


def test_the_newest_figures_of_each_question_are_read_in_one_statement(app, world):
    from tests.support import recorded_statements

    with app.app_context():
        area = get_by_slug("northshire")
        for _ in range(3):
            found = _read(CENSUS)
            population.keep(area, found, source=found.source, as_of=found.as_of, actor=None)
        with recorded_statements(app) as statements:
            sources, figures = reach.latest_population(area)
        assert len(statements) == 1
        assert len(figures["need"]) == 4
        assert db.session.scalar(select(func.count()).select_from(PopulationFigure)) == 3 * len(
            _read(CENSUS).cells
        )


# --- typing figures in -------------------------------------------------------------------------


def test_an_organiser_types_in_one_questions_figures(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    page = client.get(REACH + "/population").get_data(as_text=True)
    assert "Type in the figures for stage of education" in page
    url = REACH + "/population/questions/phase"
    form = client.get(url).get_data(as_text=True)
    assert "Primary school" in form and "Prefer not to say" not in form
    data = {
        "n_primary": "1,200",
        "n_secondary": " 900 ",
        "source": "Council SEND team, by email",
        "as_of-day": "16",
        "as_of-month": "1",
        "as_of-year": "2025",
    }
    response = client.post_form(url, data)
    assert response.status_code == 303
    with app.app_context():
        area = get_by_slug("northshire")
        sources, figures = reach.latest_population(area)
        assert figures == {"phase": {"primary": 1200, "secondary": 900}}
        assert sources["phase"].source == "Council SEND team, by email"
    # Changing them again starts from the figures in use.
    again = client.get(url).get_data(as_text=True)
    assert 'value="1,200"' in again and 'value="Council SEND team, by email"' in again


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"n_primary": "-3"}, "as a whole number from 0 to 10,000,000"),
        ({"n_primary": "12.5"}, "as a whole number from 0 to 10,000,000"),
        ({"n_primary": "<script>alert(1)</script>"}, "as a whole number"),
        ({"n_primary": "٣٤"}, "as a whole number"),
        ({"n_primary": "99999999"}, "as a whole number"),
        ({"n_primary": ""}, "Enter at least one number of children"),
        ({"source": ""}, "Say where the figures come from"),
        ({"as_of-year": "twenty"}, "year"),
    ],
)
def test_typed_figures_are_refused_beside_the_box(app, client, auth, world, fields, message):
    auth.login(EMAILS["organiser"])
    data = {
        "n_primary": "10",
        "source": "Our count",
        "as_of-day": "1",
        "as_of-month": "9",
        "as_of-year": "2025",
        **fields,
    }
    response = client.post_form(REACH + "/population/questions/phase", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PopulationUpload)) == 0


def test_only_the_reports_questions_can_be_typed_in(client, auth, world):
    auth.login(EMAILS["organiser"])
    assert client.get(REACH + "/population/questions/ethnicity").status_code == 404
    assert client.get(REACH + "/population/questions/wealth").status_code == 404
    auth.logout()
    auth.login(EMAILS["member"])
    assert client.get(REACH + "/population/questions/phase").status_code == 403
