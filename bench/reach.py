"""The reach part of the benchmark (issue 16), run by bench/run.py.

In the demo area it adds `--reach-members` members (20,000) with consented family profiles (one
to three children each, every question answered in a spread like a real area's, a few "prefer
not to say"), and a closed consultation whose survey `--reach-respondents` of them (5,000)
answered. Rows go in with SQLAlchemy Core executemany (ids given by hand, no services, no audit
rows); the generation time is printed and not measured.

It measures:

1. SQL statements per page with the demo's five profiles and again with the generated ones:
   "Who we hear from" (the members' report) and "Who answered" (the consultation's report), as
   the organiser. The counts must be the same; a count that grows is a problem (exit 1).
2. Throughput and latency of both pages against the bare-Flask baseline, in run.py's table.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

import survey as survey_bench

TITLE = "Benchmark: getting to school and college"
EMAIL_DOMAIN = "family.bench.example"

#: (value, weight) for each child question: roughly the shape of a county's SEND figures
SPREAD = {
    "age_band": [
        ("0_4", 6),
        ("5_10", 38),
        ("11_15", 36),
        ("16_18", 13),
        ("19_25", 6),
        ("prefer_not", 1),
    ],
    "phase": [
        ("early_years", 6),
        ("primary", 38),
        ("secondary", 36),
        ("post_16", 13),
        ("further", 6),
        ("prefer_not", 1),
    ],
    "need": [
        ("asd", 30),
        ("slcn", 22),
        ("semh", 18),
        ("mld", 9),
        ("spld", 7),
        ("pd", 3),
        ("hi", 2),
        ("vi", 1),
        ("sld", 3),
        ("pmld", 1),
        ("msi", 1),
        ("other", 2),
        ("not_known", 1),
    ],
    "support": [
        ("ehc_plan", 45),
        ("sen_support", 40),
        ("waiting", 12),
        ("none", 2),
        ("prefer_not", 1),
    ],
    "setting": [
        ("mainstream", 70),
        ("special", 20),
        ("alternative", 4),
        ("home", 3),
        ("not_in_education", 3),
    ],
}
PARENT_SPREAD = {
    "parent_age": [("25_34", 20), ("35_44", 45), ("45_54", 28), ("55_64", 5), ("prefer_not", 2)],
    "ethnicity": [
        ("white", 78),
        ("asian", 9),
        ("black", 5),
        ("mixed", 4),
        ("other", 2),
        ("prefer_not", 2),
    ],
    "young_carer": [("no", 95), ("yes", 3), ("prefer_not", 2)],
    "disabled": [("no", 80), ("yes", 16), ("prefer_not", 4)],
}


@dataclass
class Reach:
    area_slug: str
    consultation_slug: str = ""
    survey_id: int = 0
    members: int = 0
    children: int = 0
    respondents: int = 0
    generation_s: float = 0.0
    query_counts: dict[str, dict] = field(default_factory=dict)
    specs: list = field(default_factory=list)


def specs_for(r: Reach) -> dict:
    from run import PageSpec

    area = f"/areas/{r.area_slug}"
    return {
        "reach": PageSpec("who we hear from (organiser)", f"{area}/reach", "organiser"),
        "respondents": PageSpec(
            "who answered a survey (organiser)",
            f"{area}/consultations/{r.consultation_slug}/survey/reach",
            "organiser",
        ),
    }


def _pick(rng: random.Random, spread: list[tuple[str, int]]) -> str:
    values, weights = zip(*spread, strict=True)
    return rng.choices(values, weights)[0]


def _make_consultation(app, area_slug: str) -> tuple[str, int]:
    """A closed consultation with a survey of one question, made through the services."""
    from run import organiser_account
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.areas.models import Area
    from forum.consultations import services as consultations
    from forum.extensions import db
    from forum.models import utcnow
    from forum.surveys.builder import services as builder

    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == area_slug))
        organiser = db.session.scalar(select(User).where(User.email == organiser_account().email))
        now = utcnow()
        consultation = consultations.create_consultation(
            area,
            title=TITLE,
            summary="How journeys to school and college work for families.",
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=2),
            actor=organiser,
        )
        survey = builder.create_survey(consultation, actor=organiser)
        db.session.flush()
        consultation.published_at = now - timedelta(days=61)
        slug = consultation.slug
        survey_id = survey.id
        db.session.commit()
        db.session.remove()
    return slug, survey_id


def generate(app, r: Reach, members: int, respondents: int, *, seed: int = 16) -> float:
    """`members` members with profiles, `respondents` of them answering the survey."""
    from argon2 import PasswordHasher
    from sqlalchemy import insert, select

    from forum.accounts.models import User
    from forum.areas.models import Area, Membership, MembershipStatus, Role
    from forum.extensions import db
    from forum.members.models import ChildProfile, FamilyProfile, Locality
    from forum.models import utcnow
    from forum.surveys.models import Response, Survey

    started = time.perf_counter()
    rng = random.Random(seed)
    now = utcnow()
    survey_id = r.survey_id
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == r.area_slug))
        localities = list(
            db.session.scalars(select(Locality.id).where(Locality.area_id == area.id))
        )
        password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
            secrets.token_hex(8)
        )
        done = 0
        reference = 10_000_000
        while done < members:
            size = min(survey_bench.CHUNK, members - done)
            users = [
                {
                    "email": f"family{done + i:06d}@{EMAIL_DOMAIN}",
                    "display_name": f"Family {done + i}",
                    "password_hash": password_hash,
                    "is_admin": False,
                    "email_verified_at": now,
                    "session_token": secrets.token_hex(16),
                    "created_at": now,
                }
                for i in range(size)
            ]
            user_ids = survey_bench._with_ids(User, users)
            db.session.execute(insert(User), users)
            db.session.execute(
                insert(Membership),
                [
                    {
                        "area_id": area.id,
                        "user_id": user_id,
                        "role": Role.MEMBER,
                        "status": MembershipStatus.ACTIVE,
                        "partner_id": None,
                        "request_note": "",
                        "requested_at": now,
                        "decided_at": now,
                        "version": 1,
                    }
                    for user_id in user_ids
                ],
            )
            profiles = [
                {
                    "area_id": area.id,
                    "user_id": user_id,
                    "consented_at": now,
                    "consent_version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    **{key: _pick(rng, spread) for key, spread in PARENT_SPREAD.items()},
                }
                for user_id in user_ids
            ]
            profile_ids = survey_bench._with_ids(FamilyProfile, profiles)
            db.session.execute(insert(FamilyProfile), profiles)
            children = []
            for profile_id in profile_ids:
                for position in range(1, rng.choice((1, 1, 1, 2, 2, 3)) + 1):
                    children.append(
                        {
                            "profile_id": profile_id,
                            "area_id": area.id,
                            "position": position,
                            "locality_id": rng.choice(localities) if localities else None,
                            **{key: _pick(rng, spread) for key, spread in SPREAD.items()},
                        }
                    )
            survey_bench._with_ids(ChildProfile, children)
            db.session.execute(insert(ChildProfile), children)
            answering = user_ids[: max(0, min(size, respondents - r.respondents))]
            if answering:
                rows = []
                for user_id in answering:
                    reference += 1
                    rows.append(
                        {
                            "survey_id": survey_id,
                            "area_id": area.id,
                            "user_id": user_id,
                            "respondent_key": secrets.token_hex(32),
                            "reference": survey_bench._reference(reference),
                            "status": "submitted",
                            "channel": "online",
                            "may_quote": False,
                            "created_at": now - timedelta(days=10),
                            "updated_at": now - timedelta(days=10),
                            "submitted_at": now - timedelta(days=10),
                        }
                    )
                survey_bench._with_ids(Response, rows)
                db.session.execute(insert(Response), rows)
                r.respondents += len(rows)
            db.session.commit()
            done += size
            r.members += size
            r.children += len(children)
        survey_bench._move_sequences(User, Membership, FamilyProfile, ChildProfile, Response)
        assert db.session.get(Survey, survey_id) is not None
        db.session.remove()
    return time.perf_counter() - started


def _counted(app, clients, count_queries, r: Reach) -> dict[str, dict]:
    specs = specs_for(r)
    figures = count_queries(app, clients, list(specs.values()))
    return {key: figures[f"{spec.who} {spec.path}"] for key, spec in specs.items()}


def prepare(app, args, clients: dict, count_queries, step) -> Reach:
    """The demo's five profiles counted first (with an empty consultation), then the
    generated members and respondents."""
    r = Reach(area_slug=args.survey_area)
    r.consultation_slug, r.survey_id = _make_consultation(app, r.area_slug)
    small = _counted(app, clients, count_queries, r)
    r.generation_s = generate(app, r, args.reach_members, args.reach_respondents)
    step(
        f"reach: {r.members:,} members with family profiles ({r.children:,} children), "
        f"{r.respondents:,} of them answered a survey, in {r.generation_s:.1f} s"
    )
    large = _counted(app, clients, count_queries, r)
    r.query_counts = {"small": small, "large": large}
    r.specs = list(specs_for(r).values())
    return r


def load_specs(r: Reach | None, args) -> list:
    return [] if r is None else r.specs


def sql_counts(r: Reach | None) -> dict[str, dict]:
    if r is None:
        return {}
    return {f"{row['who']} {row['path']}": row for row in r.query_counts["large"].values()}


def print_report(r: Reach) -> list[str]:
    from survey import compared_counts

    problems: list[str] = []
    print()
    print(
        f"Reach: {r.members:,} members with profiles ({r.children:,} children), "
        f"{r.respondents:,} respondents; generated in {r.generation_s:.1f} s (not measured)"
    )
    print("SQL statements per GET with the demo's 5 profiles and with the generated ones")
    small, large = r.query_counts["small"], r.query_counts["large"]
    for key, row, before, same in compared_counts(small, large, problems, "reach page"):
        print(
            f"  {key:<12} {row['who']:<10} {row['path']:<60} "
            f"demo: {before:>3}   generated: {row['queries']:>3}   {same}"
        )
    return problems


def as_json(r: Reach) -> dict:
    return {
        "members": r.members,
        "children": r.children,
        "respondents": r.respondents,
        "generation_s": round(r.generation_s, 2),
        "query_counts": {
            size: {key: row["queries"] for key, row in counts.items()}
            for size, counts in r.query_counts.items()
        },
    }
