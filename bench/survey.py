"""The survey part of the benchmark (issue 3), run by bench/run.py.

With a generated survey of `--responses` submitted responses (100,000 by default) in the demo
area it measures:

1. the results page (organiser, and visitor once published) under load, against the baseline,
   like every other page (run.py's table), and its SQL statements at 1,000 responses and at
   the full number: they must be the same;
2. submissions: `--voters` members each sign in, open the survey and send their answers, from
   16 concurrent clients, against a bare Flask form served the same way; then the count check
   (every 303 is one submitted response: none lost, none duplicated); then `--duplicates`
   members each send the same submission 16 times at once, and must end with exactly one;
3. the CSV export over HTTP (time to the first byte and to the last, against the baseline
   streaming as many bytes), and in process its peak traced memory (tracemalloc) and peak RSS
   growth, at 1,000 responses and at the full number.

The survey and its six questions are made through the real services; the responses go in with
SQLAlchemy Core executemany in chunks (no services, no audit rows), which is reported as the
generation time and not measured. Members sign in through POST /sign-in on an in-process test
client (same SECRET_KEY as the servers, low-cost argon2 like the tests), and the session cookie
is then used over HTTP: signing 800 people in through gunicorn would mostly measure argon2.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import re
import secrets
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

from loadgen import USER_AGENT, percentile

HOST = "127.0.0.1"
SLUG = "bench-survey"
VOTER_DOMAIN = "answers.example"
VOTER_PASSWORD = "bench-voter-passphrase-not-real"  # noqa: S105 - benchmark data only
SESSION_COOKIE = "coproduce_session"
#: responses inserted per executemany chunk (and per commit)
CHUNK = 5_000
#: query counts and in-process export memory are also taken at this many responses
SMALL = 1_000

AGE_PHASES = ("Early years", "Primary", "Secondary", "Post-16")
HELP = ("Speech and language", "Sleep", "Mental health", "Transport", "Short breaks")
RANKED = ("Being listened to", "Getting help early", "Knowing who to ask")
SENTENCES = (
    "We waited eleven months for an assessment and nobody told us what was happening.",
    "The school has been brilliant since the new SENCo started.",
    "Transport changed three times this year and my son could not cope with it.",
    "I had to give up work to go to every appointment.",
    "The drop-in sessions helped us more than anything else.",
    "Please answer emails: a reply saying you have read it would be enough.",
    "Our daughter's plan says one thing and the school does another.",
    "We were told to wait for the panel, then the panel was cancelled.",
)


@dataclass
class Survey:
    """What the survey part needs to know, made in `prepare`."""

    consultation_slug: str
    survey_id: int
    area_slug: str
    #: question id by name: age, help, listened, why, fair, rank
    questions: dict[str, int]
    #: option keys by question name
    keys: dict[str, list[str]]
    responses: int = 0
    generation_s: float = 0.0
    voters: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    #: results page paths to load; empty when the results page is not there
    result_paths: dict[str, str] = field(default_factory=dict)
    query_counts: dict[str, dict] = field(default_factory=dict)
    memory: dict[str, dict] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"/areas/{self.area_slug}/consultations/{self.consultation_slug}/survey"


# --- making the survey and its responses ---------------------------------------------------


def create_survey(area_slug: str) -> Survey:
    """An open members-only consultation with a six-question survey of mixed kinds (one shown
    only after "yes"), made through the services like an organiser's."""
    from sqlalchemy import select

    from forum.areas.models import Area, Membership, Role
    from forum.consultations import services as consultations
    from forum.consultations.models import Audience, Consultation
    from forum.extensions import db
    from forum.models import utcnow
    from forum.surveys.builder import services as surveys
    from forum.surveys.models import QuestionKind

    area = db.session.scalar(select(Area).where(Area.slug == area_slug))
    organiser = db.session.scalar(
        select(Membership).where(Membership.area_id == area.id, Membership.role == Role.ORGANISER)
    ).user
    now = utcnow()
    consultation = consultations.create_consultation(
        area,
        title="Benchmark: help for your family",
        summary="A generated survey for the benchmark.",
        audience=Audience.MEMBERS,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
        actor=organiser,
    )
    consultations.publish(consultation, actor=organiser)
    db.session.execute(
        Consultation.__table__.update().where(Consultation.id == consultation.id).values(slug=SLUG)
    )
    survey = surveys.create_survey(consultation, actor=organiser)

    def add(kind, prompt, options=(), **more):
        spec = surveys.QuestionSpec(
            kind=kind, prompt=prompt, options=[(None, o) for o in options], **more
        )
        return surveys.add_question(survey, spec, actor=organiser)

    made = {
        "age": add(QuestionKind.SINGLE_CHOICE, "How old is your child?", AGE_PHASES),
        "help": add(
            QuestionKind.MULTIPLE_CHOICE, "What help has your family had?", HELP, has_other=True
        ),
        "listened": add(QuestionKind.YES_NO, "Did you feel listened to?"),
    }
    made["why"] = add(
        QuestionKind.LONG_TEXT,
        "What made you feel listened to?",
        is_required=False,
        max_length=2000,
        show_if_question=made["listened"],
        show_if_values=["yes"],
    )
    made["fair"] = add(
        QuestionKind.SCALE,
        "How fair is the support in your area?",
        scale_low_label="Very unfair",
        scale_high_label="Very fair",
    )
    made["rank"] = add(QuestionKind.RANKING, "Put these in order of importance", RANKED)
    db.session.commit()
    return Survey(
        consultation_slug=SLUG,
        survey_id=survey.id,
        area_slug=area_slug,
        questions={name: q.id for name, q in made.items()},
        keys={name: [c["value"] for c in q.choices] for name, q in made.items()},
    )


_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _reference(n: int) -> str:
    """A unique reference for the n-th generated response, shaped like the app's."""
    chars = []
    for _ in range(9):
        n, digit = divmod(n, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    text = "".join(reversed(chars))
    return f"{text[:3]}-{text[3:6]}-{text[6:]}"


def _answers(survey: Survey, rng: random.Random) -> dict[str, tuple]:
    """One person's answers: question name -> (value, text)."""
    keys = survey.keys
    chosen = rng.sample(keys["help"][:-1], rng.randint(1, 3))
    other = rng.random() < 0.1
    answers = {
        "age": (rng.choice(keys["age"]), None),
        "help": (
            [k for k in keys["help"] if k in chosen or (other and k == "other")],
            "A parent group at church" if other else None,
        ),
        "listened": (rng.choice(keys["listened"]), None),
        "fair": (rng.choice(keys["fair"]), None),
        "rank": (rng.sample(keys["rank"], len(keys["rank"])), None),
    }
    if answers["listened"][0] == "yes" and rng.random() < 0.8:
        text = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
        answers["why"] = (text, text)
    return answers


def _with_ids(model, rows: list[dict]) -> list[int]:
    """Give the rows ids after the table's highest: executemany with RETURNING in order falls
    back to one statement per row on SQLite, which would make generation take minutes."""
    from sqlalchemy import func, select

    from forum.extensions import db

    start = db.session.scalar(select(func.coalesce(func.max(model.id), 0))) + 1
    for offset, row in enumerate(rows):
        row["id"] = start + offset
    return [row["id"] for row in rows]


def _move_sequences(*models) -> None:
    """PostgreSQL: the id sequences carry on after the ids given by hand, so the app's own
    inserts (the submissions) do not collide with them."""
    from sqlalchemy import text

    from forum.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our names
                f"(SELECT max(id) FROM {table}))"
            )
        )
    db.session.commit()


def add_responses(app, survey: Survey, count: int, *, seed: int = 7) -> float:
    """Add `count` submitted responses with their answers and chosen options, `CHUNK` at a
    time (executemany, ids given by hand). Returns the seconds taken."""
    from sqlalchemy import insert

    from forum.extensions import db
    from forum.models import utcnow
    from forum.surveys.models import Answer, AnswerChoice, Response
    from forum.surveys.models import Survey as SurveyModel

    rng = random.Random(seed + survey.responses)
    started = time.perf_counter()
    now = utcnow()
    ranked = {"help", "rank"}
    with app.app_context():
        area_id = db.session.get(SurveyModel, survey.survey_id).area_id
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            people = [_answers(survey, rng) for _ in range(size)]
            response_rows = []
            for i, person in enumerate(people):
                n = survey.responses + done + i + 1
                when = now - timedelta(minutes=rng.randint(0, 60 * 24 * 29))
                response_rows.append(
                    {
                        "survey_id": survey.survey_id,
                        "area_id": area_id,
                        "respondent_key": secrets.token_hex(32),
                        "reference": _reference(n),
                        "status": "submitted",
                        "channel": "paper" if n % 25 == 0 else "online",
                        "may_quote": "why" in person and n % 2 == 0,
                        "created_at": when - timedelta(minutes=9),
                        "updated_at": when,
                        "submitted_at": when,
                    }
                )
            response_ids = _with_ids(Response, response_rows)
            db.session.execute(insert(Response), response_rows)
            answer_rows, picks = [], []
            for response_id, person in zip(response_ids, people, strict=True):
                for name, (value, text) in person.items():
                    answer_rows.append(
                        {
                            "response_id": response_id,
                            "question_id": survey.questions[name],
                            "value": value,
                            "text": text,
                        }
                    )
                    picks.append((name, value))
            answer_ids = _with_ids(Answer, answer_rows)
            db.session.execute(insert(Answer), answer_rows)
            choice_rows = []
            for answer_id, row, (name, value) in zip(answer_ids, answer_rows, picks, strict=True):
                if name == "why":
                    continue
                values = value if name in ranked else [value]
                for place, key in enumerate(values, start=1):
                    choice_rows.append(
                        {
                            "answer_id": answer_id,
                            "response_id": row["response_id"],
                            "question_id": row["question_id"],
                            "option_key": key,
                            "rank": place if name == "rank" else None,
                        }
                    )
            db.session.execute(insert(AnswerChoice), choice_rows)
            db.session.commit()
            done += size
        _move_sequences(Response, Answer)
        db.session.remove()
    survey.responses += count
    return time.perf_counter() - started


def add_members(app, area_slug: str, count: int, prefix: str) -> list[str]:
    """`count` active members of the area who can sign in with VOTER_PASSWORD."""
    from argon2 import PasswordHasher
    from sqlalchemy import insert, select

    from forum.accounts.models import User, new_session_token
    from forum.areas.models import Area, Membership, MembershipStatus, Role
    from forum.extensions import db
    from forum.models import utcnow

    emails = [f"{prefix}{n:05d}@{VOTER_DOMAIN}" for n in range(1, count + 1)]
    if not emails:
        return emails
    # The low-cost hash the tests use: the in-process app (ARGON2_FAST) will not rehash it.
    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
        VOTER_PASSWORD
    )
    now = utcnow()
    with app.app_context():
        area_id = db.session.scalar(select(Area.id).where(Area.slug == area_slug))
        user_ids = db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True),
            [
                {
                    "email": email,
                    "display_name": f"Voter {n}",
                    "password_hash": password_hash,
                    "is_admin": False,
                    "email_verified_at": now,
                    "session_token": new_session_token(),
                    "created_at": now,
                }
                for n, email in enumerate(emails, start=1)
            ],
        ).all()
        db.session.execute(
            insert(Membership),
            [
                {
                    "area_id": area_id,
                    "user_id": user_id,
                    "role": Role.MEMBER,
                    "status": MembershipStatus.ACTIVE,
                    "request_note": "",
                    "requested_at": now,
                    "decided_at": now,
                }
                for user_id in user_ids
            ],
        )
        db.session.commit()
        db.session.remove()
    return emails


def session_cookies(app, emails: list[str]) -> dict[str, str]:
    """Sign each person in with POST /sign-in on an in-process test client; their session
    cookies, which the servers accept (same SECRET_KEY)."""
    from run import hidden_fields

    cookies = {}
    for email in emails:
        client = app.test_client()
        page = client.get("/sign-in", headers={"User-Agent": USER_AGENT})
        response = client.post(
            "/sign-in",
            data={
                **hidden_fields(page.get_data(as_text=True)),
                "email": email,
                "password": VOTER_PASSWORD,
            },
            headers={"User-Agent": USER_AGENT},
        )
        if response.status_code != 303:
            raise RuntimeError(f"in-process sign-in of {email}: HTTP {response.status_code}")
        cookies[email] = f"{SESSION_COOKIE}={client.get_cookie(SESSION_COOKIE).value}"
    return cookies


def publish_results(app, survey: Survey) -> None:
    """Results published to everyone, so a visitor's page can be measured too."""
    from forum.extensions import db
    from forum.models import utcnow
    from forum.surveys.models import ResultsVisibility
    from forum.surveys.models import Survey as SurveyModel

    with app.app_context():
        row = db.session.get(SurveyModel, survey.survey_id)
        row.results_visibility = ResultsVisibility.PUBLIC
        row.results_published_at = utcnow()
        db.session.commit()
        db.session.remove()


def submitted_count(app, survey: Survey) -> int:
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.surveys.models import Response

    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.survey_id == survey.survey_id, Response.status == "submitted")
        )
        db.session.remove()
    return count


def responses_per_person(app, survey: Survey, emails: list[str]) -> dict[str, tuple[int, int]]:
    """email -> (responses, submitted responses) in the survey."""
    from sqlalchemy import case, func, select

    from forum.accounts.models import User
    from forum.extensions import db
    from forum.surveys.models import Response

    with app.app_context():
        rows = db.session.execute(
            select(
                User.email,
                func.count(Response.id),
                func.sum(case((Response.status == "submitted", 1), else_=0)),
            )
            .outerjoin(
                Response,
                (Response.user_id == User.id) & (Response.survey_id == survey.survey_id),
            )
            .where(User.email.in_(emails))
            .group_by(User.email)
        ).all()
        db.session.remove()
    return {email: (total, int(submitted or 0)) for email, total, submitted in rows}


# --- in-process export: time and memory ----------------------------------------------------


def _rss_kib(field_name: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets VmHWM (the peak RSS) to the current RSS."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def export_in_process(app, survey: Survey) -> dict:
    """Stream the whole CSV in process: once for the time, once under tracemalloc for the
    peak of Python allocations; peak RSS growth over the run where Linux can tell."""
    from forum.extensions import db
    from forum.surveys.export import formats as exports
    from forum.surveys.export.plan import plan_export
    from forum.surveys.models import Survey as SurveyModel
    from forum.surveys.queries import questions_of

    with app.test_request_context():
        row = db.session.get(SurveyModel, survey.survey_id)
        plan = plan_export(row, questions_of(row))
        db.session.commit()
        rss_before = _rss_kib("VmRSS")
        peak_reset = _reset_peak_rss()
        started = time.perf_counter()
        size = sum(len(chunk) for chunk in exports.csv_chunks(plan))
        seconds = time.perf_counter() - started
        rss_peak = _rss_kib("VmHWM")
        db.session.commit()
        tracemalloc.start()
        try:
            sum(len(chunk) for chunk in exports.csv_chunks(plan))
            traced_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        db.session.remove()
    return {
        "responses": survey.responses,
        "bytes": size,
        "seconds": seconds,
        "traced_peak_bytes": traced_peak,
        "rss_peak_growth_kib": (rss_peak - rss_before) if peak_reset and rss_peak else None,
    }


# --- before the servers are measured -------------------------------------------------------


def prepare(app, args, clients: dict, count_queries, step) -> Survey:
    """Make the survey, its voters and its responses; count the results page's statements and
    take the export's memory at `SMALL` responses and again at `args.responses`."""
    from forum.extensions import db

    with app.app_context():
        survey = create_survey(args.survey_area)
        db.session.remove()
    survey.voters = add_members(app, args.survey_area, args.voters, "voter")
    survey.duplicates = add_members(app, args.survey_area, args.duplicates, "twin")
    publish_results(app, survey)
    first = min(SMALL, args.responses)
    survey.generation_s += add_responses(app, survey, first)
    step(f"survey made: 6 questions, {first:,} responses, {args.voters + args.duplicates} members")

    has_results = "surveys.results" in app.view_functions
    if has_results:
        paths = {"organiser": f"{survey.base}/results", "anonymous": f"{survey.base}/results"}
        for who in list(paths):
            status = clients[who].get(paths[who], headers={"User-Agent": USER_AGENT}).status_code
            if status != 200:
                step(f"results page for {who}: HTTP {status}; not measured")
                del paths[who]
        survey.result_paths = paths
    else:
        step("NOT MEASURED: there is no results page (endpoint surveys.results) yet")

    small = count_queries(app, clients, _result_specs(survey)) if survey.result_paths else {}
    survey.memory["small"] = export_in_process(app, survey)

    rest = args.responses - first
    if rest > 0:
        seconds = add_responses(app, survey, rest)
        survey.generation_s += seconds
        step(f"{rest:,} more responses in {seconds:.1f} s ({survey.responses:,} in all)")
    large = count_queries(app, clients, _result_specs(survey)) if survey.result_paths else {}
    survey.query_counts = {"small": small, "large": large}
    survey.memory["large"] = export_in_process(app, survey)
    step(
        f"export in process: {survey.memory['large']['seconds']:.1f} s for "
        f"{survey.responses:,} responses"
    )
    return survey


def _result_specs(survey: Survey, slow_seconds: float | None = None):
    from run import PageSpec

    names = {"organiser": "survey results (org)", "anonymous": "survey results (public)"}
    return [
        PageSpec(names[who], path, who, slow_seconds=slow_seconds)
        for who, path in survey.result_paths.items()
    ]


def load_specs(survey: Survey | None, args):
    """The results pages, for run.py's load table (loaded like every other page). With
    100,000 responses a request can take a second or more, and queued behind 7 others several:
    they get one 20 s round rather than 1 s ones that no request would finish inside."""
    if survey is None:
        return []
    return _result_specs(survey, None if args.quick else 20.0)


# --- over HTTP -----------------------------------------------------------------------------


class Reply(NamedTuple):
    status: int
    location: str
    body: bytes
    #: the session cookie to send next: a new one when the server set one
    cookie: str | None


def _request(port, method, path, *, cookie=None, body=None, timeout=60) -> Reply:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith(SESSION_COOKIE + "="):
                cookie = value.split(";", 1)[0]
        return Reply(response.status, response.getheader("Location") or "", data, cookie)
    finally:
        conn.close()


_HIDDEN = re.compile(rb'<input[^>]*type="hidden"[^>]*>')
_NAME = re.compile(rb'name="([^"]+)"')
_VALUE = re.compile(rb'value="([^"]*)"')


def _hidden(page: bytes) -> dict[str, str]:
    fields = {}
    for tag in _HIDDEN.findall(page):
        name, value = _NAME.search(tag), _VALUE.search(tag)
        if name:
            fields[name.group(1).decode()] = value.group(1).decode() if value else ""
    return fields


def form_answers(survey: Survey, rng: random.Random) -> dict[str, object]:
    """One person's answers as the answer form sends them."""
    q = survey.questions
    given = _answers(survey, rng)
    data: dict[str, object] = {
        f"q{q['age']}": given["age"][0],
        f"q{q['help']}": given["help"][0],
        f"q{q['listened']}": given["listened"][0],
        f"q{q['fair']}": given["fair"][0],
        "action": "submit",
    }
    if given["help"][1]:
        data[f"q{q['help']}-other"] = given["help"][1]
    if "why" in given:
        data[f"q{q['why']}"] = given["why"][0]
    for place, key in enumerate(given["rank"][0], start=1):
        data[f"q{q['rank']}-{place}"] = key
    return data


@dataclass
class Flow:
    """Submissions through one server: GET the form, POST the answers, expect 303."""

    port: int
    form_path: str
    done_suffix: str
    seconds: float = 0.0
    ok: int = 0
    statuses: dict = field(default_factory=dict)
    first_error: str = ""
    post_ms: list = field(default_factory=list)
    flow_ms: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def one(self, cookie: str | None, answers: dict, who: str = "") -> None:
        began = time.perf_counter()
        try:
            # The session gets its CSRF token on the first GET: send the cookie that holds it.
            form = _request(self.port, "GET", self.form_path, cookie=cookie)
            if form.status != 200:
                raise RuntimeError(f"GET {self.form_path}: HTTP {form.status}")
            body = urlencode({**_hidden(form.body), **answers}, doseq=True)
            posted = time.perf_counter()
            status, location, _, _ = _request(
                self.port, "POST", self.form_path, cookie=form.cookie, body=body
            )
            finished = time.perf_counter()
        except (OSError, http.client.HTTPException, RuntimeError) as exc:
            with self.lock:
                self.statuses["error"] = self.statuses.get("error", 0) + 1
                self.first_error = self.first_error or f"{type(exc).__name__}: {exc}"
            return
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 303 and location.endswith(self.done_suffix):
                self.ok += 1
                self.accepted.append(who)
                self.post_ms.append((finished - posted) * 1000)
                self.flow_ms.append((finished - began) * 1000)
            elif not self.first_error:
                self.first_error = f"HTTP {status} to {location or 'nowhere'}"

    def summary(self) -> dict:
        post, flow = sorted(self.post_ms), sorted(self.flow_ms)
        return {
            "submissions": self.ok,
            "seconds": self.seconds,
            "per_s": self.ok / self.seconds if self.seconds else 0.0,
            "post_p50_ms": percentile(post, 50),
            "post_p95_ms": percentile(post, 95),
            "flow_p95_ms": percentile(flow, 95),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "first_error": self.first_error,
        }


# --- server CPU: a figure the machine's other load moves less than req/s --------------------


def _group_of_server(port: int) -> int | None:
    """The process group of the gunicorn listening on `port` (run.py starts each in its own
    session, so its master's pid is the group id of it and its workers)."""
    wanted = f"{HOST}:{port}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"gunicorn" in b" ".join(argv) and wanted in argv:
                return int(entry.name)
    return None


def _cpu_seconds(match) -> float:
    """CPU seconds (user + system, with reaped children) of the processes `match(stat fields,
    command line)` picks."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            raw = (entry / "stat").read_text()
            fields = raw[raw.rindex(")") + 2 :].split()
            if match(fields, (entry / "cmdline").read_bytes()):
                total += sum(int(f) for f in fields[11:15])
    return total / tick


class CpuMeter:
    """CPU time used by one gunicorn (master and workers) and, on PostgreSQL, by the local
    server processes serving `database` ("postgres: user database host(port) …"), over the
    work given to `measure`. Linux only: elsewhere nothing is measured (`group` None)."""

    def __init__(self, port: int, *, database: str | None):
        self.group = _group_of_server(port) if Path("/proc/self/stat").exists() else None
        self.backend = f" {database} ".encode() if database else None
        self.server = self.database = 0.0

    def _read(self) -> tuple[float, float]:
        group, backend = str(self.group), self.backend
        server = _cpu_seconds(lambda fields, _cmd: fields[2] == group)
        database = (
            _cpu_seconds(lambda _fields, cmd: cmd.startswith(b"postgres:") and backend in cmd)
            if backend
            else 0.0
        )
        return server, database

    def measure(self, work) -> None:
        if self.group is None:
            work()
            return
        server, database = self._read()
        work()
        server_after, database_after = self._read()
        self.server += server_after - server
        self.database += database_after - database


def _run(flow: Flow, jobs: list[tuple], concurrency: int) -> None:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda job: flow.one(*job), jobs))
    flow.seconds += time.perf_counter() - started


def measure_submissions(app, survey: Survey, app_port: int, base_port: int, args, step) -> dict:
    """`args.voters` submissions from `args.submit_clients` clients, in two alternating
    rounds with the baseline's form; then the count check and the duplicate storm."""
    rng = random.Random(11)
    before = submitted_count(app, survey)
    cookies = session_cookies(app, survey.voters)
    twins = session_cookies(app, survey.duplicates)
    step(f"{len(cookies) + len(twins)} members signed in (in process, POST /sign-in)")
    form_path = f"{survey.base}/answer"
    page_size = len(_request(app_port, "GET", form_path, cookie=next(iter(cookies.values()))).body)
    app_flow = Flow(app_port, form_path, "/survey/done")
    base_flow = Flow(base_port, f"/form?size={page_size}", "/form/done")
    jobs = [(cookies[email], form_answers(survey, rng), email) for email in survey.voters]
    half = len(jobs) // 2
    step(
        f"submitting: {len(jobs)} members, {args.submit_clients} clients, "
        "alternating with the baseline form"
    )
    from forum.extensions import db

    with app.app_context():
        database = db.engine.url.database if db.engine.dialect.name == "postgresql" else None
    app_cpu = CpuMeter(app_port, database=database)
    base_cpu = CpuMeter(base_port, database=None)
    for part in (jobs[:half], jobs[half:]):
        base_jobs = [(None, answers, "") for _, answers, _ in part]
        base_cpu.measure(partial(_run, base_flow, base_jobs, args.submit_clients))
        app_cpu.measure(partial(_run, app_flow, part, args.submit_clients))
    after = submitted_count(app, survey)
    people = responses_per_person(app, survey, survey.voters)
    accepted = set(app_flow.accepted)
    lost = sum(1 for email in accepted if people.get(email, (0, 0))[1] == 0)
    duplicated = sum(total - 1 for total, _ in people.values() if total > 1)

    # The same submission (same session, token and submission key) 16 times at once.
    storm = {"people": len(twins), "sends": 0, "statuses": {}, "wrong": 0}
    lock = threading.Lock()

    def send(cookie: str, body: str, ready: threading.Barrier) -> None:
        ready.wait()  # all together, like a burst of clicks and replays
        try:
            status = _request(app_port, "POST", form_path, cookie=cookie, body=body).status
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
        with lock:
            storm["sends"] += 1
            storm["statuses"][str(status)] = storm["statuses"].get(str(status), 0) + 1

    clients = args.submit_clients
    for cookie in twins.values():
        form = _request(app_port, "GET", form_path, cookie=cookie)
        body = urlencode({**_hidden(form.body), **form_answers(survey, rng)}, doseq=True)
        ready = threading.Barrier(clients)
        with ThreadPoolExecutor(max_workers=clients) as pool:
            for _ in range(clients):
                pool.submit(send, form.cookie, body, ready)
    for total, submitted in responses_per_person(app, survey, survey.duplicates).values():
        if (total, submitted) != (1, 1):
            storm["wrong"] += 1
    return {
        "app": app_flow.summary(),
        "baseline": base_flow.summary(),
        "ratio": (app_flow.ok / app_flow.seconds) / (base_flow.ok / base_flow.seconds)
        if app_flow.ok and base_flow.ok
        else 0.0,
        "before": before,
        "after": after,
        "accepted": len(accepted),
        "lost": lost + max(0, before + len(accepted) - after),
        "duplicated": duplicated + max(0, after - before - len(accepted)),
        "storm": storm,
        "clients": args.submit_clients,
        "cpu_ms": _cpu_per_submission(app_cpu, base_cpu, app_flow, base_flow),
    }


def _cpu_per_submission(app_cpu, base_cpu, app_flow, base_flow) -> dict | None:
    """Milliseconds of CPU per accepted submission: the app's gunicorn, PostgreSQL's
    processes (0 on SQLite), and the baseline's gunicorn."""
    if app_cpu.group is None or not (app_flow.ok and base_flow.ok):
        return None
    return {
        "app": 1000 * app_cpu.server / app_flow.ok,
        "database": 1000 * app_cpu.database / app_flow.ok,
        "baseline": 1000 * base_cpu.server / base_flow.ok,
    }


def measure_results_alone(survey: Survey, app_port: int, cookie: str, times: int = 3) -> dict:
    """Each results page `times` times, one request at a time: its own latency, even when it
    is too slow for the load test's one-second rounds to catch any request."""
    figures = {}
    for who, path in survey.result_paths.items():
        latencies = []
        for _ in range(times):
            started = time.perf_counter()
            status = _request(
                app_port, "GET", path, cookie=cookie if who == "organiser" else None, timeout=300
            ).status
            if status == 200:
                latencies.append((time.perf_counter() - started) * 1000)
        figures[who] = sorted(latencies)
    return figures


def _timed_download(port, method, path, *, cookie=None, body=None) -> dict:
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - started
        size = len(first)
        while chunk := response.read(256 * 1024):
            size += len(chunk)
        total = time.perf_counter() - started
        status = response.status
    finally:
        conn.close()
    return {"status": status, "first_byte_s": first_byte, "seconds": total, "bytes": size}


def measure_export(survey: Survey, app_port: int, base_port: int, cookie: str) -> dict:
    """POST export.csv as the organiser, timed to the first and last byte; then the baseline
    streaming as many bytes."""
    page = _request(app_port, "GET", f"{survey.base}/export", cookie=cookie)
    if page.status != 200:
        return {"error": f"GET {survey.base}/export: HTTP {page.status}"}
    token = _hidden(page.body).get("csrf_token", "")
    app_run = _timed_download(
        app_port,
        "POST",
        f"{survey.base}/export.csv",
        cookie=page.cookie,
        body=urlencode({"csrf_token": token}),
    )
    base_run = _timed_download(base_port, "GET", f"/stream?size={app_run['bytes']}")
    return {
        "app": app_run,
        "baseline": base_run,
        "ratio": base_run["seconds"] / app_run["seconds"] if app_run["seconds"] else 0.0,
    }


# --- printing ------------------------------------------------------------------------------


def _mb(n: float | None) -> str:
    return "?" if n is None else f"{n / 1_000_000:.1f} MB"


def compared_counts(small: dict, large: dict, problems: list[str], what: str):
    """Each page counted at both sizes as (key, row, statements at the small size, "same" or
    "GREW"); one that grew is added to `problems` as "<what> statements grew: <key>"."""
    for key, row in large.items():
        before = small[key]["queries"]
        same = "same" if before == row["queries"] else "GREW"
        if same == "GREW":
            problems.append(f"{what} statements grew: {key}")
        yield key, row, before, same


def print_report(survey: Survey, submissions: dict, export: dict, alone: dict) -> list[str]:
    """The survey figures; returns what failed (lost or duplicated responses, counts that
    grew) so run.py can say so."""
    problems = []
    print()
    print(
        f"Survey: {survey.responses:,} submitted responses to 6 questions generated in "
        f"{survey.generation_s:.1f} s (not measured); results pages are in the table above"
    )
    print()
    print("Results page: SQL statements per GET at 1,000 and at all responses")
    small, large = survey.query_counts.get("small", {}), survey.query_counts.get("large", {})
    if not large:
        print("  NOT MEASURED: no results page (surveys.results) to count")
    for _, row, before, same in compared_counts(small, large, problems, "results page"):
        print(
            f"  {row['who']:<10} {row['path']:<48} {min(SMALL, survey.responses):>7,}: "
            f"{before:>3}   {survey.responses:>7,}: {row['queries']:>3}   {same}"
        )
    for who, latencies in alone.items():
        shown = ", ".join(f"{ms:.0f}" for ms in latencies) or "no 200 answer"
        print(f"  one request at a time, {who}: {shown} ms")

    print()
    app, base = submissions["app"], submissions["baseline"]
    print(
        f"Submissions: {submissions['clients']} concurrent clients, each submission = GET the "
        "form + POST the answers (303)"
    )
    print(f"  {'':<10} {'done':>6} {'per s':>7} {'POST p50':>9} {'POST p95':>9} {'flow p95':>9}")
    for name, row in (("app", app), ("baseline", base)):
        print(
            f"  {name:<10} {row['submissions']:>6,} {row['per_s']:>7.1f} "
            f"{row['post_p50_ms']:>7.1f}ms {row['post_p95_ms']:>7.1f}ms "
            f"{row['flow_p95_ms']:>7.1f}ms"
        )
    print(f"  throughput vs baseline: {submissions['ratio']:.2f}×")
    cpu = submissions.get("cpu_ms")
    if cpu:
        # What the servers spent, whatever else the machine was doing: the steadier figure.
        database = f", PostgreSQL {cpu['database']:.1f} ms" if cpu["database"] else ""
        print(
            f"  CPU per submission (GET + POST): app workers {cpu['app']:.1f} ms{database}; "
            f"baseline workers {cpu['baseline']:.1f} ms"
        )
    if app["first_error"]:
        print(f"  WARNING: app statuses {app['statuses']}; first error: {app['first_error']}")
        problems.append("submissions failed")
    print(
        f"  count check: {submissions['before']:,} before + {submissions['accepted']:,} "
        f"accepted = {submissions['after']:,} after; lost {submissions['lost']}, "
        f"duplicated {submissions['duplicated']}"
    )
    if submissions["lost"] or submissions["duplicated"]:
        problems.append("responses lost or duplicated")
    storm = submissions["storm"]
    print(
        f"  duplicate submits: {storm['people']} members × {submissions['clients']} identical "
        f"POSTs at once ({storm['sends']} sent; statuses {storm['statuses']}): "
        f"{storm['people'] - storm['wrong']} of {storm['people']} have exactly one response"
    )
    if storm["wrong"] or any(s.startswith("5") for s in storm["statuses"]):
        problems.append("duplicate submits made more than one response or an error")

    print()
    print("CSV export")
    if "error" in export:
        print(f"  NOT MEASURED: {export['error']}")
        problems.append("export failed")
    else:
        app_run, base_run = export["app"], export["baseline"]
        print(
            f"  over HTTP: {_mb(app_run['bytes'])} in {app_run['seconds']:.2f} s "
            f"({app_run['bytes'] / app_run['seconds'] / 1e6:.1f} MB/s; first byte after "
            f"{app_run['first_byte_s'] * 1000:.0f} ms, HTTP {app_run['status']})"
        )
        print(
            f"  baseline streaming as many bytes: {base_run['seconds']:.3f} s; export "
            f"throughput {export['ratio']:.3g}× the baseline's"
        )
        if app_run["status"] != 200:
            problems.append("export failed")
    for key in ("small", "large"):
        row = survey.memory.get(key)
        if row:
            rss = row["rss_peak_growth_kib"]
            print(
                f"  in process, {row['responses']:>7,} responses: {row['seconds']:6.2f} s, "
                f"{_mb(row['bytes'])}; peak traced memory {_mb(row['traced_peak_bytes'])}, "
                f"peak RSS growth {'?' if rss is None else f'{rss / 1024:.1f} MB'}"
            )
    small_mem, large_mem = survey.memory.get("small"), survey.memory.get("large")
    if small_mem and large_mem and small_mem["responses"] < large_mem["responses"]:
        print(
            f"  memory at {large_mem['responses']:,} ÷ memory at {small_mem['responses']:,}: "
            f"{large_mem['traced_peak_bytes'] / small_mem['traced_peak_bytes']:.2f}× "
            f"(responses: {large_mem['responses'] / small_mem['responses']:.0f}×)"
        )
    return problems


def as_json(survey: Survey, submissions: dict | None, export: dict | None, alone: dict) -> dict:
    return {
        "responses": survey.responses,
        "generation_s": round(survey.generation_s, 2),
        "voters": len(survey.voters),
        "results_query_counts": {
            size: {key: row["queries"] for key, row in counts.items()}
            for size, counts in survey.query_counts.items()
        },
        "results_alone_ms": alone,
        "submissions": submissions,
        "export": {"http": export, "in_process": survey.memory},
    }
