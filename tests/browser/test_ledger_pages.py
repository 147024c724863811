"""Every outcome-ledger page no journey test opens, checked with axe, with and without
JavaScript, each with enough data that its tables, charts and timelines render:

- a visitor: the national comparison (and sorted), the area's plans, a plan with its scorecard,
  a commitment's timeline, a consultation's published response, the Local Offer reports, the
  open data pages and the area home;
- an organiser: the plan forms, the CSV import (with a file that has mistakes), recent
  changes, the themes, the evidence picker on each tab, decisions, a review, publishing;
- a responder: answering a theme (sent empty), a commitment with its update form, editing it;
- a member: "What happened to my feedback".

With JavaScript on, the htmx swaps on these pages are checked too: sorting the national table,
adding evidence in the picker, searching the written answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from forum.extensions import db
from tests.browser.conftest import make_northshire, restore_rows, save_rows
from tests.browser.support import normalise, sign_in
from tests.conftest import empty_all_tables

pytestmark = pytest.mark.browser

COUNCIL_EMAIL = "cara.council@example.org"
ICB_EMAIL = "ian.icb@example.org"
MEMBER_EMAIL = "ana@example.org"

#: a plan import with a mistake in each of three rows (the page lists every one)
BAD_IMPORT = (
    "type,code,parent_code,title,owner,status,progress\n"
    "priority,P9,,Short breaks,,,\n"
    "commitment,,P404,Open a new centre,Northshire County Council,on track,10\n"
    "commitment,,P9,Run holiday clubs,Nobody Ltd,flying,150\n"
)


def _feedback(area, consultation, people, organiser):
    """A survey with written and choice answers from `people` (ana first), codes on the written
    answers, and a discussion on the consultation's board. Returns what themes cite."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.discussions.models import Post
    from forum.extensions import db
    from forum.surveys.coding import services as coding
    from forum.surveys.models import Answer, Survey
    from tests.factories import (
        make_board,
        make_post,
        make_question,
        make_response,
        make_survey,
        make_thread,
    )

    survey = make_survey(consultation)
    words = make_question(survey, kind="long_text", prompt="What should change?")
    service = make_question(
        survey,
        prompt="Which service did you use?",
        options=("Speech therapy", "Occupational therapy"),
    )
    consent = make_question(survey, kind="consent", prompt="May we quote you?")
    said = [
        "We waited eleven months for a speech therapist.",
        "Nobody called us back after the assessment.",
        "The waiting list was too long.",
        "Therapy in school made a real difference.",
        "We had to chase every appointment.",
        "Letters never arrived on time.",
    ]
    answer_ids = []
    for n, person in enumerate(people):
        response = make_response(
            survey,
            user=person,
            status="submitted",
            answers={
                words: said[n % len(said)],
                service: "speech_therapy" if n % 3 else "occupational_therapy",
                consent: "yes" if n % 2 == 0 else "no",
            },
        )
        answer_ids.append(
            db.session.scalar(
                select(Answer.id).where(
                    Answer.response_id == response.id, Answer.question_id == words.id
                )
            )
        )
    row = db.session.get(Survey, survey.id)
    actor = db.session.get(User, organiser.id)
    waiting = None
    for n, answer_id in enumerate(answer_ids):
        name = "Waiting" if n % 2 == 0 else "Calls"
        tagged = coding.tag_answer(row, db.session.get(Answer, answer_id), name, actor=actor)
        waiting = tagged.code if name == "Waiting" else waiting
    db.session.commit()

    board = make_board(area, consultation=consultation)
    thread = make_thread(
        board, people[0], title="Waiting for therapy", body="We waited a year for help."
    )
    opening = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    make_post(thread, people[1], "Same for us, and nobody explained why.")
    return SimpleNamespace(
        code=waiting.id,
        answer=answer_ids[0],
        question=service.id,
        post=opening,
    )


def _themes_and_decisions(consultation, cited, w):
    """Three themes (the third with no answers yet), with evidence of every kind on the first;
    the council's not-adopted answer is disputed, the ICB's is under consideration, and the
    council's adopted answer links to a commitment and is agreed."""
    from forum.accounts.models import User
    from forum.extensions import db
    from forum.outcomes.decisions import services as decisions
    from forum.outcomes.decisions.models import ForumView, Outcome
    from forum.outcomes.decisions.services import london_today
    from forum.outcomes.themes import services as themes
    from forum.outcomes.themes.models import Theme
    from tests.factories import make_theme

    organiser = db.session.get(User, w.organiser_id)
    council_user = db.session.get(User, w.council_user_id)
    icb_user = db.session.get(User, w.icb_user_id)
    waiting = make_theme(
        consultation,
        title="Waiting times",
        summary="Families wait **too long** for therapy.",
        priorities=[w.p1],
    )
    calls = make_theme(
        consultation, title="Nobody calls back", summary="Calls and emails go unanswered."
    )
    transport = make_theme(
        consultation, title="School transport", summary="Transport changes at short notice."
    )
    theme = db.session.get(Theme, waiting.id)
    themes.add_evidence(theme, "code", cited.code, actor=organiser)
    themes.add_evidence(theme, "answer", cited.answer, actor=organiser)
    themes.add_evidence(
        theme, "question", cited.question, option_key="speech_therapy", actor=organiser
    )
    themes.add_evidence(theme, "post", cited.post, actor=organiser)
    not_adopted = decisions.answer_theme(
        theme,
        w.council_id,
        decisions.Answer(
            outcome=Outcome.NOT_ADOPTED,
            explanation="We will not hire more therapists this year.",
            reason="The budget for 2026 is already set.",
        ),
        actor=council_user,
    )
    decisions.review_decision(
        not_adopted,
        ForumView.DISPUTED,
        "Families were promised extra therapists in the plan.",
        actor=organiser,
    )
    considering = decisions.answer_theme(
        theme,
        w.icb_id,
        decisions.Answer(
            outcome=Outcome.UNDER_CONSIDERATION,
            explanation="We are looking at a waiting-list helpline.",
            decide_by=london_today() + timedelta(days=30),
        ),
        actor=icb_user,
    )
    adopted = decisions.answer_theme(
        db.session.get(Theme, calls.id),
        w.council_id,
        decisions.Answer(
            outcome=Outcome.ADOPTED,
            explanation="Every call will be returned within two working days.",
            commitment_ids=[w.c_on_track],
        ),
        actor=council_user,
    )
    decisions.review_decision(adopted, ForumView.AGREED, "", actor=organiser)
    db.session.commit()
    return SimpleNamespace(
        waiting=waiting.id,
        calls=calls.id,
        transport=transport.id,
        disputed=not_adopted.id,
        considering=considering.id,
        adopted=adopted.id,
    )


def _decide_by_in_the_past(decision_id):
    """An answer "under consideration" whose date to decide by has passed (the service only
    takes future dates, so time is moved on directly)."""
    from sqlalchemy import update

    from forum.extensions import db
    from forum.outcomes.decisions.models import Decision
    from forum.outcomes.decisions.services import london_today

    db.session.execute(
        update(Decision)
        .where(Decision.id == decision_id)
        .values(decide_by=london_today() - timedelta(days=14), updated_at=Decision.updated_at)
    )
    db.session.commit()


def _publish(consultation_id, organiser_id):
    from forum.accounts.models import User
    from forum.consultations.models import Consultation
    from forum.extensions import db
    from forum.outcomes.publishing import services as publishing

    publishing.publish_response(
        db.session.get(Consultation, consultation_id), actor=db.session.get(User, organiser_id)
    )
    db.session.commit()


@pytest.fixture(scope="module")
def _built(live_server):
    """The module's world, built once: its rows are saved, and put back before each test
    (`northshire`), which starts from exactly these rows as if they had been built for it."""
    app = live_server.app
    northshire = make_northshire(app)
    ledger = _build_ledger(live_server, northshire)
    saved = save_rows(app)
    with app.app_context():
        empty_all_tables()
        db.session.remove()
    return northshire, ledger, saved


@pytest.fixture
def northshire(live_server, _built):
    restore_rows(live_server.app, _built[2])
    return _built[0]


@pytest.fixture
def ledger(northshire, _built):
    return _built[1]


def _build_ledger(live_server, northshire):
    """Northshire with a published plan (priorities, a sub-priority, commitments in every
    status, a timeline with an evidence link), a closed consultation being analysed, a
    responded one with its response published, and a responded Local Offer consultation."""
    from sqlalchemy import update

    from forum.accounts.models import User
    from forum.areas.models import PartnerKind, Role
    from forum.areas.queries import get_by_slug
    from forum.consultations.models import Consultation
    from forum.extensions import db
    from forum.models import utcnow
    from forum.outcomes.decisions import services as decisions
    from forum.outcomes.decisions.models import Outcome
    from forum.outcomes.local_offer.queries import years_with_reports
    from forum.outcomes.themes import services as themes
    from forum.outcomes.themes.models import Theme
    from forum.plans import services as plans
    from forum.plans.models import Commitment, CommitmentStatus
    from tests.factories import (
        make_commitment,
        make_consultation,
        make_membership,
        make_partner,
        make_person_in,
        make_plan,
        make_priority,
        make_theme,
        make_user,
    )

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        organiser = db.session.scalar(
            db.select(User).where(User.email == northshire.organiser_email)
        )
        council = make_partner(area, name="Northshire County Council")
        icb = make_partner(area, name="NHS Northshire ICB", kind=PartnerKind.HEALTH)
        council_user = make_user(email=COUNCIL_EMAIL, name="Cara Council")
        make_membership(council_user, area, Role.RESPONDER, partner=council)
        icb_user = make_user(email=ICB_EMAIL, name="Ian ICB")
        make_membership(icb_user, area, Role.RESPONDER, partner=icb)
        ana = make_person_in(area, Role.MEMBER, email=MEMBER_EMAIL, name="Ana Parent")
        people = [ana] + [make_person_in(area, Role.MEMBER) for _ in range(5)]

        plan = make_plan(area, title="Local inclusion plan 2025 to 2028")
        p1 = make_priority(area, code="P1", title="Early help", plan=plan)
        p11 = make_priority(area, code="P1.1", title="Family hubs", plan=plan, parent=p1)
        p2 = make_priority(area, code="P2", title="Therapy in schools", plan=plan)
        on_track = make_commitment(
            p1,
            council,
            title="Open four family hubs",
            status="on_track",
            progress=40,
            due_on=date.today() + timedelta(days=200),
        )
        make_commitment(p11, icb, title="Train health visitors", status="done", progress=100)
        make_commitment(p2, council, title="Shorter waits for assessments", status="delayed")
        make_commitment(
            p2, icb, title="Mental health support in schools", status="at_risk", progress=30
        )
        make_commitment(p11, council, title="Publish a short breaks statement", weight=2)
        dropped = make_commitment(p2, council, title="Parent drop-in sessions", progress=10)
        plans.post_update(
            db.session.get(Commitment, on_track.id),
            text="Two hubs are open and the third opens in March.",
            evidence_url="https://example.org/reports/family-hubs.pdf",
            status=CommitmentStatus.ON_TRACK,
            progress=50,
            actor=db.session.get(User, council_user.id),
        )
        plans.post_update(
            db.session.get(Commitment, dropped.id),
            text="The sessions are replaced by the family hubs.",
            status=CommitmentStatus.DROPPED,
            dropped_reason="The family hubs now run these sessions.",
            actor=db.session.get(User, council_user.id),
        )
        db.session.commit()
        w = SimpleNamespace(
            organiser_id=organiser.id,
            council_user_id=council_user.id,
            icb_user_id=icb_user.id,
            council_id=council.id,
            icb_id=icb.id,
            p1=p1,
            c_on_track=on_track.id,
        )

        closed = make_consultation(
            area, state="closed", title="Speech and language therapy", priorities=[p1, p2]
        )
        closed_ledger = _themes_and_decisions(closed, _feedback(area, closed, people, organiser), w)
        _decide_by_in_the_past(closed_ledger.considering)
        # Its response is late, so the area home's "Running late" section lists it.
        db.session.execute(
            update(Consultation)
            .where(Consultation.id == closed.id)
            .values(response_due_at=utcnow() - timedelta(days=3))
        )
        db.session.commit()

        answered = make_consultation(area, state="closed", title="Therapy at home")
        answered_ledger = _themes_and_decisions(
            answered, _feedback(area, answered, people, organiser), w
        )
        _publish(answered.id, organiser.id)
        _decide_by_in_the_past(answered_ledger.considering)

        local_offer = make_consultation(
            area, state="closed", title="Our Local Offer website", kind="local_offer"
        )
        offer_cited = _feedback(area, local_offer, people, organiser)
        offer_theme = make_theme(
            local_offer, title="Hard to find things", summary="The search finds nothing."
        )
        themes.add_evidence(
            db.session.get(Theme, offer_theme.id), "code", offer_cited.code, actor=organiser
        )
        decisions.answer_theme(
            db.session.get(Theme, offer_theme.id),
            council.id,
            decisions.Answer(
                outcome=Outcome.PARTLY_ADOPTED,
                explanation="We will rebuild the search by spring.",
                commitment_ids=[on_track.id],
            ),
            actor=db.session.get(User, council_user.id),
        )
        db.session.commit()
        _publish(local_offer.id, organiser.id)
        (offer_year,) = years_with_reports(area)

    area_path = f"/areas/{northshire.slug}"
    plan_path = f"{area_path}/plans/{plan.slug}"
    return SimpleNamespace(
        area=area_path,
        plan=plan_path,
        p1=p1.id,
        p11=p11.id,
        on_track=f"{plan_path}/commitments/{on_track.id}",
        dropped=f"{plan_path}/commitments/{dropped.id}",
        closed=f"{area_path}/consultations/{closed.slug}",
        closed_ledger=closed_ledger,
        answered=f"{area_path}/consultations/{answered.slug}",
        answered_ledger=answered_ledger,
        local_offer=f"{area_path}/consultations/{local_offer.slug}",
        offer_year=offer_year,
    )


#: these pages add no POST endpoint; the shared "every POST route is covered" count adds these
POSTS: dict = {}

JS = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


@JS
def test_a_visitor_reads_the_public_ledger_pages(open_page, ledger, js):
    visitor = open_page(js=js)
    page = visitor.page

    visitor.goto("/national")
    assert page.get_by_role("table").first.is_visible()
    visitor.goto("/national?sort=participants&order=desc")
    assert "sorted by people who took part, highest first" in normalise(
        page.locator("#national-caption").inner_text()
    )
    if js:
        # A heading link sorts the table in place with htmx, and the address follows.
        with visitor.swap():
            page.locator("#national-table").get_by_role("link", name="Themes", exact=True).click()
        assert "sorted by themes" in page.locator("#national-caption").inner_text()
        assert "sort=themes" in page.url

    visitor.goto(f"{ledger.area}/plans")
    visitor.goto(ledger.plan)
    text = normalise(page.locator("main").inner_text())
    assert "P1.1 Family hubs" in text and "Parent drop-in sessions" in text
    assert page.locator("#scorecard-heading").is_visible()
    visitor.goto(f"{ledger.plan}/scorecard")
    visitor.goto(ledger.on_track)
    timeline = normalise(page.locator("main").inner_text())
    assert "Two hubs are open" in timeline
    assert page.locator('a[href="https://example.org/reports/family-hubs.pdf"]').count() == 1
    visitor.goto(ledger.dropped)
    assert "The family hubs now run these sessions." in page.locator("main").inner_text()

    visitor.goto(ledger.answered)
    published = normalise(page.locator("main").inner_text())
    assert "Waiting times" in published and "Not adopted" in published
    assert "The forum disputes this" in published and "Under consideration" in published
    assert "Decision overdue by 14 days" in published
    visitor.goto(f"{ledger.local_offer}/local-offer-report")
    assert "We will rebuild the search by spring." in page.locator("main").inner_text()
    visitor.goto(f"{ledger.area}/local-offer-report")
    visitor.goto(f"{ledger.area}/local-offer-report?year={ledger.offer_year}")
    assert "Hard to find things" in page.locator("main").inner_text()

    visitor.goto(ledger.closed)
    assert "overdue" in page.locator("main").inner_text().lower()
    visitor.goto(f"{ledger.area}/open-data")
    visitor.goto("/open-data/schema")
    visitor.goto(ledger.area)
    home = normalise(page.locator("main").inner_text())
    assert "Running late" in home
    assert "Responses overdue" in home and "Decisions overdue" in home


@JS
def test_an_organiser_uses_the_plan_pages(open_page, northshire, ledger, js):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    plan, page = ledger.plan, organiser.page
    for path in [
        f"{ledger.area}/plans/new",
        f"{plan}/edit",
        f"{plan}/priorities/new",
        f"{plan}/priorities/{ledger.p11}/edit",
        f"{plan}/priorities/{ledger.p1}/commitments/new",
        f"{ledger.on_track}/edit",
        f"{plan}/delete",
        f"{plan}/priorities/{ledger.p1}/delete",
        f"{ledger.dropped}/delete",
        f"{ledger.area}/plans/changes",
        plan,
    ]:
        organiser.goto(path)

    organiser.goto(f"{plan}/import")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": BAD_IMPORT.encode()}],
    )
    organiser.submit("Check and import", status=422)
    problems = page.get_by_role("table", name="What to fix (", exact=False)
    assert problems.is_visible()
    rows = problems.locator("tbody tr")
    assert rows.count() >= 3
    # Rows are numbered as in the spreadsheet (the column names are row 1): the priority on
    # row 2 is fine, both commitments have mistakes.
    assert {normalise(r).split(" ")[0] for r in rows.all_inner_texts()} == {"3", "4"}
    # Nothing was imported.
    organiser.goto(plan)
    assert "Short breaks" not in page.locator("main").inner_text()


@JS
def test_an_organiser_builds_and_publishes_the_ledger(open_page, northshire, ledger, js):
    organiser = open_page(js=js)
    sign_in(organiser, northshire.organiser_email)
    page = organiser.page
    themes = f"{ledger.closed}/themes"
    waiting = f"{themes}/{ledger.closed_ledger.waiting}"
    calls = f"{themes}/{ledger.closed_ledger.calls}"
    for path, shows in [
        (themes, "Nobody calls back"),
        (waiting, "We waited a year for help."),
        (f"{themes}/new", "Title"),
        (f"{waiting}/edit", "Summary"),
        (f"{themes}/{ledger.closed_ledger.transport}/delete", "School transport"),
        (f"{waiting}/evidence", "Waiting"),
        (f"{waiting}/evidence?show=answers", "We waited eleven months for a speech therapist."),
        (f"{waiting}/evidence?show=answers&q=waiting", "The waiting list was too long."),
        (f"{waiting}/evidence?show=choices", "Which service did you use?"),
        (f"{waiting}/evidence?show=posts", "Same for us, and nobody explained why."),
        (f"{waiting}/evidence?show=posts&scope=area", "We waited a year for help."),
        (f"{ledger.closed}/decisions", "The forum disputes this"),
        (f"{ledger.closed}/decisions/{ledger.closed_ledger.disputed}/review", "Why not"),
        (f"{ledger.closed}/decisions/{ledger.closed_ledger.considering}/review", "overdue"),
        (f"{ledger.closed}/publish-response", "Publish the response"),
        (f"{ledger.answered}/decisions", "Not adopted"),
        (f"{ledger.answered}/publish-response", "Publish"),
    ]:
        organiser.goto(path)
        assert shows in page.locator("main").inner_text(), f"{shows!r} not on {path}"

    # Adding evidence: with JavaScript the button's box becomes "Added" in place; without, the
    # form posts and the picker comes back with it added.
    organiser.goto(f"{calls}/evidence")
    add = page.get_by_role("button", name="Add all answers tagged “Waiting”")
    organiser.in_place_or_page(add.click, js=js)
    assert add.count() == 0
    assert "Added" in page.get_by_role("table").first.inner_text()

    organiser.goto(f"{calls}/evidence?show=choices")
    add = page.get_by_role("button", name="Add people who answered “Speech therapy” to question 2")
    organiser.in_place_or_page(add.click, js=js)
    assert add.count() == 0

    if js:
        # Searching the written answers swaps the list in place.
        organiser.goto(f"{calls}/evidence?show=answers")
        page.get_by_label("Search the written answers").fill("called")
        with organiser.swap():
            page.get_by_role("button", name="Search", exact=True).click()
        assert "Nobody called us back" in page.locator("#pick-list").inner_text()

    organiser.goto(calls)
    assert "Waiting" in page.locator("main").inner_text()


@JS
def test_a_responder_answers_and_updates(open_page, ledger, js):
    responder = open_page(js=js)
    sign_in(responder, COUNCIL_EMAIL)
    page = responder.page
    responder.goto(f"{ledger.closed}/decisions")
    responder.goto(f"{ledger.closed}/themes/{ledger.closed_ledger.transport}/answer")
    responder.submit("Save your answer", status=422)
    errors = normalise(page.locator(".govuk-error-summary").inner_text())
    assert "Choose what your organisation will do" in errors
    assert "Explain in plain words what you will do" in errors
    responder.goto(f"{ledger.closed}/themes/{ledger.closed_ledger.waiting}/answer")

    responder.goto(ledger.on_track)
    assert page.get_by_role("heading", name="Post a progress update").is_visible()
    responder.submit("Post update", status=422)
    assert "Say what has happened" in page.locator(".govuk-error-summary").inner_text()
    responder.goto(f"{ledger.on_track}/edit")


@JS
def test_a_member_sees_what_happened_to_their_feedback(open_page, ledger, js):
    member = open_page(js=js)
    sign_in(member, MEMBER_EMAIL)
    member.goto("/account/feedback")
    text = normalise(member.page.locator("main").inner_text())
    assert "Therapy at home" in text and "Waiting times" in text
