"""The demo: Northshire and a smaller second area, written through the services.

Everything here goes through the same services the web pages use, so demo data obeys the same
rules. Running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.accounts.queries import get_by_email
from forum.areas import services as areas
from forum.areas.models import Area, PartnerKind, Role
from forum.areas.queries import find_membership, get_by_slug
from forum.consultations import services as consultations
from forum.consultations.models import Audience, Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.plans import services as plans
from forum.surveys import services as surveys
from forum.surveys.models import QuestionKind, SurveyLayout


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    password: str
    what: str


ADMIN = DemoAccount(
    "admin@coproduce.example", "Priya Admin", "kettle-harbour-lantern-42", "platform admin"
)
ORGANISER = DemoAccount(
    "organiser@northshire.example",
    "Olu Organiser",
    "meadow-copper-violin-17",
    "organiser in Northshire",
)
RESPONDER = DemoAccount(
    "responder@northshire.example",
    "Rachel Responder",
    "granite-pebble-orchard-33",
    "responder for Northshire County Council",
)
MEMBER = DemoAccount(
    "member@northshire.example", "Mo Member", "velvet-thunder-parsnip-58", "member in Northshire"
)
SOUTHVALE_ORGANISER = DemoAccount(
    "organiser@southvale.example",
    "Sam Southvale",
    "lilac-sparrow-engine-26",
    "organiser in Southvale only",
)
ACCOUNTS = [ADMIN, ORGANISER, RESPONDER, MEMBER, SOUTHVALE_ORGANISER]

NORTHSHIRE_DESCRIPTION = """\
Northshire Parent Carer Forum is run by parents and carers of children and young people with \
special educational needs and disabilities (SEND), aged 0 to 25, across Northshire.

We work with Northshire County Council and NHS Northshire and Wyvern Integrated Care Board so \
that what families tell us shapes local services. This year we are asking about:

- alternative provision for children who cannot attend school
- spotting needs early, and the £6,000 notional SEN budget in mainstream schools
- planning the health workforce: speech and language, occupational therapy, paediatrics
- mental health support teams in every school
- the local inclusion plan, and how the forum co-produces it with partners
"""

# Parents and carers who have joined or asked to join Northshire (no real people).
NORTHSHIRE_PARENTS = [
    ("aisha.khan@northshire.example", "Aisha Khan", True),
    ("tom.birch@northshire.example", "Tom Birch", True),
    ("grace.obi@northshire.example", "Grace Obi", True),
    ("dan.wright@northshire.example", "Dan Wright", True),
    ("lena.nowak@northshire.example", "Lena Nowak", False),
    ("mark.ellis@northshire.example", "Mark Ellis", False),
]
PARENT_PASSWORD = "demo-parent-account-only-91"  # noqa: S105 - demo data, printed


def _account(spec: DemoAccount, *, is_admin: bool = False) -> User:
    user = get_by_email(spec.email)
    if user is None:
        user = accounts.register(
            email=spec.email,
            display_name=spec.name,
            password=spec.password,
            is_admin=is_admin,
            verified=True,
        )
    return user


def _parent(email: str, name: str) -> User:
    user = get_by_email(email)
    if user is None:
        user = accounts.register(
            email=email, display_name=name, password=PARENT_PASSWORD, verified=True
        )
    return user


def is_empty() -> bool:
    return db.session.scalar(select(Area.id).limit(1)) is None


def seed_demo() -> bool:
    """Create the demo if Northshire is missing. Returns True if anything was created."""
    if get_by_slug("northshire") is not None:
        return False
    admin = _account(ADMIN, is_admin=True)

    northshire = areas.create_area(
        name="Northshire",
        slug="northshire",
        forum_name="Northshire Parent Carer Forum",
        forum_description=NORTHSHIRE_DESCRIPTION,
        brand_colour="#1d5b79",
        actor=admin,
    )
    council = areas.add_partner(
        northshire, name="Northshire County Council", kind=PartnerKind.LOCAL_AUTHORITY, actor=admin
    )
    areas.add_partner(
        northshire,
        name="NHS Northshire and Wyvern Integrated Care Board",
        kind=PartnerKind.HEALTH,
        actor=admin,
    )
    areas.add_partner(
        northshire,
        name="Northshire Schools Inclusion Partnership",
        kind=PartnerKind.EDUCATION,
        actor=admin,
    )

    organiser = _account(ORGANISER)
    areas.appoint(northshire, organiser, Role.ORGANISER, partner=None, actor=admin)
    responder = _account(RESPONDER)
    areas.appoint(northshire, responder, Role.RESPONDER, partner=council, actor=organiser)
    member = _account(MEMBER)
    areas.ask_to_join(northshire, member, note="I live in Eastbridge.")
    areas.approve(find_membership(northshire, member), actor=organiser)

    for email, name, approved in NORTHSHIRE_PARENTS:
        parent = _parent(email, name)
        areas.ask_to_join(northshire, parent)
        if approved:
            areas.approve(find_membership(northshire, parent), actor=organiser)

    _northshire_plan_and_consultations(northshire, organiser)
    _northshire_discussions(northshire, organiser, responder)

    southvale = areas.create_area(
        name="Southvale",
        slug="southvale",
        forum_name="Southvale SEND Families Forum",
        forum_description="A small forum for families of children with SEND in Southvale.",
        brand_colour="#6f3a7d",
        actor=admin,
    )
    areas.add_partner(
        southvale, name="Southvale Borough Council", kind=PartnerKind.LOCAL_AUTHORITY, actor=admin
    )
    areas.add_partner(
        southvale, name="NHS Southvale Integrated Care Board", kind=PartnerKind.HEALTH, actor=admin
    )
    southvale_organiser = _account(SOUTHVALE_ORGANISER)
    areas.appoint(southvale, southvale_organiser, Role.ORGANISER, partner=None, actor=admin)
    return True


#: The local inclusion plan's priorities, after the themes of the SEND Review.
PRIORITIES = [
    ("P1", "Alternative provision that meets children's needs"),
    (
        "P2",
        "Early identification, and support in mainstream schools below the £6,000 "
        "notional threshold",
    ),
    ("P3", "Mental health support in every school"),
    ("P4", "Enough speech and language therapists, occupational therapists and paediatricians"),
    ("P5", "Co-production with the parent carer forum"),
]


def _northshire_plan_and_consultations(area, organiser) -> None:
    plan = plans.create_plan(
        area,
        title="Northshire Local Inclusion Plan 2026 to 2029",
        summary="How the council, the NHS and schools will improve support for children and "
        "young people with SEND in Northshire.",
        actor=organiser,
    )
    by_code = {
        code: plans.add_priority(plan, code=code, title=title, actor=organiser)
        for code, title in PRIORITIES
    }
    now = utcnow().replace(second=0, microsecond=0)
    day = timedelta(days=1)

    def consultation(
        title, summary, *, opens, closes, codes, easy_read="", body="", audience=Audience.PUBLIC
    ):
        return consultations.create_consultation(
            area,
            title=title,
            summary=summary,
            easy_read_summary=easy_read,
            body=body,
            audience=audience,
            opens_at=opens,
            closes_at=closes,
            priorities=[by_code[c] for c in codes],
            actor=organiser,
        )

    mental_health = consultation(
        "Mental health support teams in schools",
        "Mental health support teams now work in some Northshire schools. We want to know "
        "whether your child has been offered help, how long it took, and what made a "
        "difference.",
        easy_read="Some schools have a team to help children with their feelings.\n"
        "We want to know if your child got help.\nIt takes about 10 minutes.",
        body="The ICB will use what you tell us to decide which schools get a team next year."
        "\n\n- Tell us about primary and secondary schools\n- You can answer for more than "
        "one child",
        opens=now - 10 * day,
        closes=now + 20 * day,
        codes=["P3"],
    )
    consultations.publish(mental_health, actor=organiser)
    _demo_responses(_mental_health_survey(mental_health, organiser), organiser, count=23)

    early_help = consultation(
        "Early help and the £6,000 notional SEN budget",
        "Schools pay for the first £6,000 of extra support for a child with SEND. Tell us "
        "what support your child got before an EHC needs assessment.",
        opens=now + 7 * day,
        closes=now + 42 * day,
        codes=["P2"],
    )
    consultations.publish(early_help, actor=organiser)

    alternative = consultation(
        "Alternative provision: what works for your child",
        "Some children learn away from school for a while. We asked families what helped "
        "and what did not.",
        opens=now - 50 * day,
        closes=now + 5 * day,
        codes=["P1"],
        audience=Audience.MEMBERS,
    )
    consultations.publish(alternative, actor=organiser)
    _alternative_provision_survey(alternative, organiser)
    consultations.close_early(
        alternative,
        reason="Closed a week early so the forum could report to the SEND "
        "partnership board meeting.",
        actor=organiser,
    )

    coproduction = consultation(
        "Our local inclusion plan: have your say",
        "The draft local inclusion plan sets out five priorities. We asked whether they are "
        "the right ones.",
        opens=now - 120 * day,
        closes=now + day,
        codes=["P5"],
    )
    consultations.publish(coproduction, actor=organiser)
    consultations.close_early(
        coproduction, reason="Closed after the last drop-in session.", actor=organiser
    )
    consultations.mark_responded(coproduction, actor=organiser)

    consultation(
        "Waiting times for therapy",
        "A draft: how long families wait for speech and language therapy and occupational "
        "therapy, and what happens while they wait.",
        opens=now + 30 * day,
        closes=now + 60 * day,
        codes=["P4"],
    )


def _mental_health_survey(consultation, organiser):
    """Six questions, one shown only to families whose child was offered support."""
    survey = surveys.create_survey(
        consultation,
        is_anonymous=False,
        layout=SurveyLayout.ONE_PAGE,
        allow_edit_after_submit=True,
        intro="This survey takes about 10 minutes. If you have more than one child, answer "
        "about the child who most needs support with their mental health.\n\n"
        "The forum will share what families told us, without names, with the ICB and the "
        "council.",
        actor=organiser,
    )
    surveys.add_from_bank(survey, "age_phase", actor=organiser)
    offered = surveys.add_question(
        survey,
        surveys.QuestionSpec(
            kind=QuestionKind.YES_NO,
            prompt="Has your child been offered support from a mental health support team at "
            "school?",
        ),
        actor=organiser,
    )
    surveys.add_question(
        survey,
        surveys.QuestionSpec(
            kind=QuestionKind.SINGLE_CHOICE,
            prompt="How long did your child wait between being offered support and their first "
            "session?",
            options=[
                (None, "Less than 2 weeks"),
                (None, "2 to 6 weeks"),
                (None, "6 to 12 weeks"),
                (None, "More than 12 weeks"),
                (None, "Still waiting"),
            ],
            show_if_question=offered,
            show_if_values=["yes"],
        ),
        actor=organiser,
    )
    surveys.add_question(
        survey,
        surveys.QuestionSpec(
            kind=QuestionKind.SCALE,
            prompt="How well does your child's school support their mental health?",
            scale_low_label="Not at all well",
            scale_high_label="Very well",
        ),
        actor=organiser,
    )
    surveys.add_question(
        survey,
        surveys.QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            prompt="What would make the biggest difference to your child's mental health at "
            "school?",
            hint="For example, someone to talk to, a quiet space, or help for you as a family.",
            is_required=False,
            max_length=2000,
        ),
        actor=organiser,
    )
    surveys.add_question(survey, surveys.consent_spec(), actor=organiser)
    return survey


def _alternative_provision_survey(consultation, organiser) -> None:
    """A short survey with responses from drop-in events and paper forms."""
    survey = surveys.create_survey(
        consultation,
        is_anonymous=True,
        layout=SurveyLayout.QUESTION_PER_PAGE,
        allow_edit_after_submit=False,
        intro="Tell us about the time your child spent in alternative provision.",
        actor=organiser,
    )
    surveys.add_from_bank(survey, "age_phase", actor=organiser)
    surveys.add_question(
        survey,
        surveys.QuestionSpec(
            kind=QuestionKind.SINGLE_CHOICE,
            prompt="What helped your child most?",
            options=[
                (None, "Small groups"),
                (None, "A key adult they trusted"),
                (None, "A timetable that suited them"),
                (None, "Help to go back to school"),
            ],
            has_other=True,
        ),
        actor=organiser,
    )
    surveys.add_question(
        survey,
        surveys.QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            prompt="What could have been better?",
            is_required=False,
            max_length=2000,
        ),
        actor=organiser,
    )
    surveys.add_question(survey, surveys.consent_spec(), actor=organiser)
    _demo_responses(survey, organiser, count=31)


#: things parents say, for the demo's free-text answers
DEMO_WORDS = [
    "We waited months before anyone called us back.",
    "The key worker was brilliant and my son trusted her.",
    "Nobody explained what would happen at the end of the placement.",
    "Transport was a problem: the taxi changed every week.",
    "More help for us as parents, not only for our daughter.",
    "The school listened once the forum got involved.",
    "A quiet room to go to when things got too much would have helped.",
    "Part-time timetable for far too long, with no plan to go back.",
    "Staff understood autism and it made all the difference.",
    "We had to chase every single appointment ourselves.",
    "Clear letters in plain English, please.",
    "Someone to talk to at school who is not a teacher.",
]


def _demo_responses(survey, organiser, *, count: int) -> None:
    """`count` responses typed in from paper forms, phone calls and events, with answers
    chosen by a fixed random sequence so the demo is the same every time."""
    import random

    from forum.surveys import answering
    from forum.surveys.models import ResponseChannel
    from forum.surveys.queries import questions_of

    rng = random.Random(survey.consultation_id)
    questions = questions_of(survey)
    channels = [ResponseChannel.PAPER, ResponseChannel.EVENT, ResponseChannel.PHONE]
    for _ in range(count):
        values: dict[int, object] = {}
        given: dict[int, answering.Given] = {}
        for question in questions:
            if question not in answering.shown_questions(questions, values):
                continue
            value, other = _demo_answer(question, rng)
            if value is None:
                continue
            values[question.id] = value
            given[question.id] = answering.Given(value=value, other=other)
        answering.enter_response(
            survey, questions, given, channel=rng.choice(channels), actor=organiser
        )


def _demo_answer(question, rng):
    keys = [c["value"] for c in question.choices]
    kind = question.kind
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return [k for k in keys if rng.random() < 0.4 and k != "other"] or keys[:1], ""
    if kind is QuestionKind.RANKING:
        return rng.sample(keys, len(keys)), ""
    if kind.is_choice:
        # Weighted towards the first answers, so the charts have a shape.
        key = keys[min(int(rng.expovariate(0.8)), len(keys) - 1)]
        return key, ("Forest school" if key == "other" else "")
    if kind in (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT):
        return (rng.choice(DEMO_WORDS) if rng.random() < 0.7 else None), ""
    if kind is QuestionKind.NUMBER:
        return rng.randint(question.min_value or 0, question.max_value or 20), ""
    return None, ""


def _northshire_discussions(area, organiser, responder) -> None:
    """Three boards, one for each visibility, with threads parents might start, a reply from
    the council as the council, and a thread on the open consultation's own board."""
    from forum.discussions import services as talk
    from forum.discussions.models import Visibility

    parents = [get_by_email(email) for email, _, approved in NORTHSHIRE_PARENTS if approved]
    support = talk.create_board(
        area,
        name="Getting support",
        description="Where to find help, what worked for your family, and what did not.",
        visibility=Visibility.PUBLIC,
        actor=organiser,
    )
    school = talk.create_board(
        area,
        name="School and education",
        description="EHC plans, annual reviews, transport and life at school. Members only.",
        visibility=Visibility.MEMBERS,
        actor=organiser,
    )
    talk.create_board(
        area,
        name="Organisers and partners",
        description="For the forum's organisers and the council and NHS officers who answer.",
        visibility=Visibility.STAFF,
        actor=organiser,
    )
    waiting = talk.start_thread(
        support,
        title="How long did you wait for a speech and language assessment?",
        body="We were referred in March and are still waiting. Is this normal in Northshire?",
        author=parents[0],
    )
    talk.reply(
        waiting,
        body="Fourteen months for us. The **drop-in clinic** at the library helped while we "
        "waited.",
        author=parents[1],
    )
    talk.reply(
        waiting,
        body="Thank you for raising this. Waiting times are part of priority P4 in the local "
        "inclusion plan, and we publish them every quarter.",
        author=responder,
    )
    talk.set_pinned(
        talk.start_thread(
            support,
            title="Welcome: how these discussions work",
            body="Be kind, keep children's details private, and report anything that worries "
            "you. Organisers read every report.",
            author=organiser,
        ),
        True,
        actor=organiser,
    )
    talk.start_thread(
        school,
        title="Annual reviews: what should the school send beforehand?",
        body="Our review is next month. What paperwork did you get, and how early?",
        author=parents[2],
    )
    consultation = db.session.scalar(
        select(Consultation).where(
            Consultation.area_id == area.id,
            Consultation.title == "Mental health support teams in schools",
        )
    )
    talk.start_thread(
        talk.consultation_board(consultation),
        title="Has anyone's child been offered the new support team?",
        body="Our school says it has one, but nobody has been in touch. Has it started for you?",
        author=parents[3],
    )
