"""The demo: Northshire and a smaller second area, written through the services.

Everything here goes through the same services the web pages use, so demo data obeys the same
rules. Running it again changes nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, timedelta

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
from forum.outcomes.scorecard.services import refresh_figures
from forum.plans import services as plans
from forum.surveys.builder import services as surveys
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
    northshire, council = _northshire_area(admin)
    organiser, responder = _northshire_people(northshire, council, admin)
    _northshire_plan_and_consultations(northshire, organiser)
    _northshire_discussions(northshire, organiser, responder)
    _northshire_ledger(northshire, organiser, responder, get_by_email(MEMBER.email))
    _northshire_newsletters(northshire, organiser)
    _northshire_events(northshire, organiser)
    _northshire_representation(northshire, organiser)
    _northshire_families(northshire, organiser)
    _northshire_annual_report(northshire, organiser)
    _southvale(admin)
    refresh_figures()
    return True


def _northshire_area(admin):
    """The area and its three partners; returns the area and its council."""
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
    return northshire, council


def _northshire_people(northshire, council, admin):
    """The organiser, the council's responder, the member and the parents (some still
    waiting to be approved); returns the organiser and the responder."""
    organiser = _account(ORGANISER)
    areas.appoint(northshire, organiser, Role.ORGANISER, partner=None, actor=admin)
    responder = _account(RESPONDER)
    areas.appoint(northshire, responder, Role.RESPONDER, partner=council, actor=organiser)
    member = _account(MEMBER)
    areas.ask_to_join(northshire, member, note="I live in Eastbridge.", wants_newsletters=True)
    areas.approve(find_membership(northshire, member), actor=organiser)

    for email, name, approved in NORTHSHIRE_PARENTS:
        parent = _parent(email, name)
        areas.ask_to_join(northshire, parent)
        if approved:
            areas.approve(find_membership(northshire, parent), actor=organiser)
    return organiser, responder


def _northshire_newsletters(area, organiser) -> None:
    """One message sent to the members who asked for newsletters (the demo member did, on
    joining), in the public archive, and a draft for the organiser to try sending."""
    from forum.mailings.newsletters import services as newsletters
    from forum.mailings.newsletters.models import AudienceKind, Visibility

    sent = newsletters.create_newsletter(
        area,
        subject="Coffee mornings this autumn",
        body=(
            "Thank you to everyone who came to our summer events.\n\n"
            "This autumn we meet for coffee on the **first Tuesday of each month**, 10am to "
            "midday, at Eastbridge Family Hub. Bring your questions about EHC plans, school "
            "transport or short breaks; children are welcome.\n\n"
            "- Tuesday 6 October\n- Tuesday 3 November\n- Tuesday 1 December"
        ),
        audience=AudienceKind.MEMBERS,
        consultation_id=None,
        visibility=Visibility.PUBLIC,
        actor=organiser,
    )
    newsletters.send_now(sent, actor=organiser)
    newsletters.fan_out_due(utcnow())
    newsletters.create_newsletter(
        area,
        subject="Have your say on mental health support in schools",
        body="Our consultation on mental health support in schools is open. Please tell us "
        "what has worked for your family, and what has not.",
        audience=AudienceKind.MEMBERS,
        consultation_id=None,
        visibility=Visibility.MEMBERS,
        actor=organiser,
    )


def _southvale(admin) -> None:
    """A second, smaller area with its own organiser."""
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
    """The draft local plan and five consultations: one open, one opening soon, two closed
    early with their surveys answered, and one draft."""
    priority = _northshire_plan(area, organiser)
    now = utcnow().replace(second=0, microsecond=0)

    def consultation(title, summary, *, opens, closes, codes, **more):
        return consultations.create_consultation(
            area,
            title=title,
            summary=summary,
            opens_at=now + opens * DAY,
            closes_at=now + closes * DAY,
            priorities=[priority[c] for c in codes],
            actor=organiser,
            **more,
        )

    _mental_health_consultation(consultation, organiser)
    _early_help_consultation(consultation, organiser)
    _alternative_provision_consultation(consultation, organiser)
    _coproduction_consultation(consultation, organiser)
    _green_paper_consultation(consultation, area, organiser)
    consultation(
        "Waiting times for therapy",
        "A draft: how long families wait for speech and language therapy and occupational "
        "therapy, and what happens while they wait.",
        opens=30,
        closes=60,
        codes=["P4"],
    )


DAY = timedelta(days=1)


def _northshire_plan(area, organiser) -> dict:
    """The draft local inclusion plan; returns its priorities by code."""
    plan = plans.create_plan(
        area,
        title="Northshire Local Inclusion Plan 2026 to 2029",
        summary="How the council, the NHS and schools will improve support for children and "
        "young people with SEND in Northshire.",
        actor=organiser,
    )
    return {
        code: plans.add_priority(plan, code=code, title=title, actor=organiser)
        for code, title in PRIORITIES
    }


def _mental_health_consultation(consultation, organiser) -> None:
    """Open now, with a survey and 23 responses."""
    mental_health = consultation(
        "Mental health support teams in schools",
        "Mental health support teams now work in some Northshire schools. We want to know "
        "whether your child has been offered help, how long it took, and what made a "
        "difference.",
        easy_read_summary="Some schools have a team to help children with their feelings.\n"
        "We want to know if your child got help.\nIt takes about 10 minutes.",
        body="The ICB will use what you tell us to decide which schools get a team next year."
        "\n\n- Tell us about primary and secondary schools\n- You can answer for more than "
        "one child",
        opens=-10,
        closes=20,
        codes=["P3"],
    )
    consultations.publish(mental_health, actor=organiser)
    _demo_responses(_mental_health_survey(mental_health, organiser), organiser, count=23)


def _early_help_consultation(consultation, organiser) -> None:
    """Published, opening in a week."""
    early_help = consultation(
        "Early help and the £6,000 notional SEN budget",
        "Schools pay for the first £6,000 of extra support for a child with SEND. Tell us "
        "what support your child got before an EHC needs assessment.",
        opens=7,
        closes=42,
        codes=["P2"],
    )
    consultations.publish(early_help, actor=organiser)


def _alternative_provision_consultation(consultation, organiser) -> None:
    """For members only, answered, then closed early."""
    alternative = consultation(
        "Alternative provision: what works for your child",
        "Some children learn away from school for a while. We asked families what helped "
        "and what did not.",
        opens=-50,
        closes=5,
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


def _coproduction_consultation(consultation, organiser) -> None:
    """The plan's own consultation, answered at drop-in sessions, then closed early."""
    coproduction = consultation(
        "Our local inclusion plan: have your say",
        "The draft local inclusion plan sets out five priorities. We asked whether they are "
        "the right ones.",
        opens=-120,
        closes=1,
        codes=["P5"],
    )
    consultations.publish(coproduction, actor=organiser)
    _coproduction_survey(coproduction, organiser)
    consultations.close_early(
        coproduction, reason="Closed after the last drop-in session.", actor=organiser
    )


GREEN_PAPER = "Every child included: our members’ response to the national SEND green paper"

#: the green paper's chapters: (number, title, introduction, [(number, question, hint)])
GREEN_PAPER_CHAPTERS = [
    (
        "Chapter 1:",
        "Spotting needs early",
        "The green paper says support should start as soon as a need is noticed, in nurseries "
        "and schools, without waiting for a diagnosis. These questions ask what happened for "
        "your family.",
        [
            (
                "1",
                "Do you agree that support in nurseries and mainstream schools should start "
                "before a diagnosis? Please tell us why.",
                "Think about the first time you or someone else noticed your child needed help.",
            ),
            (
                "2a",
                "What helped, or would have helped, your child’s needs to be noticed early?",
                "",
            ),
            (
                "2b",
                "What got in the way of your child getting support early?",
                "For example, waiting lists, being told to wait and see, or moving schools.",
            ),
        ],
    ),
    (
        "Chapter 2:",
        "Education, health and care plans",
        "The green paper proposes national standards for EHC needs assessments and plans, and a "
        "single template for every area. Tell us about the plan your child has, or the one you "
        "asked for.",
        [
            (
                "3",
                "How well did the EHC needs assessment describe your child, and how long did "
                "it take?",
                "",
            ),
            (
                "4",
                "Would national standards for what a plan must include have made a "
                "difference to your child’s plan? Please explain.",
                "",
            ),
            (
                "5",
                "What should happen when a plan is not being followed?",
                "For example, who you would contact and how quickly you would expect an answer.",
            ),
        ],
    ),
    (
        "Chapter 3:",
        "Preparing for adulthood",
        "The last chapter is about young people aged 14 to 25: college, work, health services "
        "for adults and living more independently.",
        [
            (
                "6",
                "What would help your young person move from children’s to adult services?",
                "",
            ),
            (
                "7",
                "Is there anything else about the green paper you want the forum to say in its "
                "response?",
                "",
            ),
        ],
    ),
]

#: a few members' own answers, by question number; each well within the 250-word limit
GREEN_PAPER_ANSWERS = [
    (
        "aisha.khan@northshire.example",
        "yes",
        {
            "1": "Yes. We knew our son was struggling at nursery when he was three, but we were "
            "told nothing could happen until he had a diagnosis. That took two and a half "
            "years. By the time support started he had already been excluded twice at "
            "lunchtimes. Help should follow the need, not the paperwork.",
            "2b": "Waiting lists for the paediatrician, and a school that kept saying he would "
            "grow out of it. Nobody told us we could ask for an assessment ourselves.",
            "5": "There should be one named person at the council who answers within two "
            "weeks, and the school should have to write down what it will do differently.",
        },
    ),
    (
        "tom.birch@northshire.example",
        "yes",
        {
            "2a": "A reception teacher who had worked in a special school noticed that our "
            "daughter covered her ears in assembly and asked us about it. Training like hers "
            "in every school would make the difference.",
            "3": "The assessment took 31 weeks, not 20. The plan described a child we did not "
            "recognise: it listed her diagnosis but said almost nothing about what she can "
            "do or what calms her down.",
            "4": "Yes, if the standards say the provision must be specific. “Access to "
            "speech and language therapy” meant a visit once a term. A national template "
            "would only help if it says how much and how often.",
        },
    ),
    (
        "grace.obi@northshire.example",
        "no",
        {
            "1": "Mostly yes, but early support must not become a reason to refuse an EHC "
            "needs assessment later. We were told to wait for the graduated approach to run "
            "its course, which took a year.",
            "6": "Start planning at 14, not at 17. Our son’s transfer to adult mental health "
            "services happened in the middle of his exams and he had to tell his story to "
            "four new people.",
        },
    ),
    (
        "dan.wright@northshire.example",
        "yes",
        {
            "5": "Parents should not have to go to tribunal to get what is already in the "
            "plan. A quick complaint route with the power to make the council act would "
            "save everyone time and money.",
            "7": "Please make sure the response says that families in rural areas like ours "
            "have to travel an hour for every appointment, and that transport to college "
            "stops at 19.",
        },
    ),
]


def _green_paper_consultation(consultation, area, organiser) -> None:
    """Open now: the forum's members' response to a national consultation (an invented green
    paper), showing issue 14: the source's own numbering, chapters with introductions, long
    answers with word limits, a page per chapter, easy read and BSL versions, an extension
    with its reason, and a few members' answers to code and quote."""
    from forum.documents import services as documents
    from forum.documents.models import DocumentFormat
    from forum.documents.owners import find_owner
    from forum.surveys.builder import sections
    from forum.surveys.models import Numbering

    green_paper = consultation(
        GREEN_PAPER,
        "The Department for Education is consulting on its green paper “Every child included”, "
        "which would change how SEND support works across England. Tell us what you think and "
        "the forum will send one response for Northshire’s families.",
        body="The green paper has three chapters. You can answer as many questions as you "
        "like: every answer helps us write the forum’s response.\n\n"
        "- Spotting needs early\n- Education, health and care plans\n- Preparing for adulthood",
        opens=-14,
        closes=14,
        codes=["P2"],
    )
    consultations.publish(green_paper, actor=organiser)
    owner = find_owner("consultation", green_paper.id)
    documents.add_link(
        owner,
        url="https://video.northshire-pcf.example/every-child-included-bsl",
        format_=DocumentFormat.BSL,
        title="The green paper’s questions in British Sign Language (video)",
        actor=organiser,
    )
    documents.add_link(
        owner,
        url="https://www.northshire-pcf.example/every-child-included-easy-read.pdf",
        format_=DocumentFormat.EASY_READ,
        title="Easy read version of the green paper’s questions",
        actor=organiser,
    )
    consultations.extend(
        green_paper,
        green_paper.closes_at + 7 * DAY,
        reason="The easy read version came a week later than planned.",
        actor=organiser,
    )
    survey = surveys.create_survey(
        green_paper,
        is_anonymous=False,
        layout=SurveyLayout.SECTION_PER_PAGE,
        allow_edit_after_submit=True,
        numbering=Numbering.OWN,
        intro="The questions are the green paper’s own, with its numbers. Answer in your own "
        "words, up to 250 words each, and leave out anything you would rather not say.",
        actor=organiser,
    )
    for number, title, intro, questions in GREEN_PAPER_CHAPTERS:
        section = sections.add_section(
            survey, number=number, title=title, intro=intro, actor=organiser
        )
        for own_number, prompt, hint in questions:
            _ask(
                survey,
                organiser,
                kind=QuestionKind.LONG_TEXT,
                prompt=prompt,
                hint=hint,
                is_required=False,
                max_words=250,
                section=section,
                number=own_number,
            )
    consent = surveys.consent_spec()
    surveys.add_question(survey, dataclasses.replace(consent, section=section), actor=organiser)
    _green_paper_answers(survey)


def _green_paper_answers(survey) -> None:
    """The members' answers, saved and sent as each of them would from the answer pages."""
    from forum.surveys.answering import services as answering
    from forum.surveys.answering.forms import read_answer
    from forum.surveys.answering.keys import respondent_key
    from forum.surveys.queries import questions_of

    questions = questions_of(survey)
    by_number = {q.number: q for q in questions if q.number}
    consent = next(q for q in questions if q.kind is QuestionKind.CONSENT)
    for email, may_quote, answers in GREEN_PAPER_ANSWERS:
        parent = get_by_email(email)
        sent = {f"q{by_number[n].id}": text for n, text in answers.items()}
        sent[f"q{consent.id}"] = may_quote
        given = {}
        for question in questions:
            found = read_answer(question, sent, required=False)
            if found.error:  # pragma: no cover - the demo's words are checked by its test
                raise ValueError(f"{email}, question {question.number}: {found.error}")
            given[question.id] = found
        response = answering.response_for(survey, respondent_key(survey, user=parent), user=parent)
        answering.save_answers(response, questions, given)
        answering.submit(response, questions, actor=parent, user=parent)


def _ask(survey, organiser, **spec):
    """A question at the end of a demo survey; `spec` as for `QuestionSpec`."""
    return surveys.add_question(survey, surveys.QuestionSpec(**spec), actor=organiser)


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
    offered = _ask(
        survey,
        organiser,
        kind=QuestionKind.YES_NO,
        prompt="Has your child been offered support from a mental health support team at school?",
    )
    _ask(
        survey,
        organiser,
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
    )
    _ask(
        survey,
        organiser,
        kind=QuestionKind.SCALE,
        prompt="How well does your child's school support their mental health?",
        scale_low_label="Not at all well",
        scale_high_label="Very well",
    )
    _ask(
        survey,
        organiser,
        kind=QuestionKind.LONG_TEXT,
        prompt="What would make the biggest difference to your child's mental health at school?",
        hint="For example, someone to talk to, a quiet space, or help for you as a family.",
        is_required=False,
        max_length=2000,
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
    _ask(
        survey,
        organiser,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="What helped your child most?",
        options=[
            (None, "Small groups"),
            (None, "A key adult they trusted"),
            (None, "A timetable that suited them"),
            (None, "Help to go back to school"),
        ],
        has_other=True,
    )
    _ask(
        survey,
        organiser,
        kind=QuestionKind.LONG_TEXT,
        prompt="What could have been better?",
        is_required=False,
        max_length=2000,
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

    from forum.surveys.answering import services as answering
    from forum.surveys.answering.forms import Given
    from forum.surveys.answering.show_if import shown_questions
    from forum.surveys.models import ResponseChannel
    from forum.surveys.queries import questions_of

    rng = random.Random(survey.consultation_id)
    questions = questions_of(survey)
    channels = [ResponseChannel.PAPER, ResponseChannel.EVENT, ResponseChannel.PHONE]
    for _ in range(count):
        values: dict[int, object] = {}
        given: dict[int, Given] = {}
        for question in questions:
            if question not in shown_questions(questions, values):
                continue
            value, other = _demo_answer(question, rng)
            if value is None:
                continue
            values[question.id] = value
            given[question.id] = Given(value=value, other=other)
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

    parents = [get_by_email(email) for email, _, approved in NORTHSHIRE_PARENTS if approved]
    support, school = _northshire_boards(area, organiser)
    _support_threads(support, parents, organiser, responder)
    talk.start_thread(
        school,
        title="Annual reviews: what should the school send beforehand?",
        body="Our review is next month. What paperwork did you get, and how early?",
        author=parents[2],
    )
    consultation = _consultation_titled(area, "Mental health support teams in schools")
    talk.start_thread(
        talk.consultation_board(consultation),
        title="Has anyone's child been offered the new support team?",
        body="Our school says it has one, but nobody has been in touch. Has it started for you?",
        author=parents[3],
    )


def _northshire_boards(area, organiser):
    """A public, a members' and a staff board; returns the first two."""
    from forum.discussions import services as talk
    from forum.discussions.models import Visibility

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
    return support, school


def _support_threads(support, parents, organiser, responder) -> None:
    """A parent's question with a parent's and the council's replies, and a pinned welcome."""
    from forum.discussions import services as talk

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


def _coproduction_survey(consultation, organiser) -> None:
    """Three questions about the draft plan, answered on paper at the drop-in sessions."""
    survey = surveys.create_survey(
        consultation,
        is_anonymous=False,
        layout=SurveyLayout.ONE_PAGE,
        allow_edit_after_submit=False,
        intro="Tell us whether the plan's five priorities are the right ones.",
        actor=organiser,
    )
    _ask(
        survey,
        organiser,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Are these the right five priorities?",
        options=[(None, "Yes"), (None, "Mostly"), (None, "No")],
    )
    _ask(
        survey,
        organiser,
        kind=QuestionKind.LONG_TEXT,
        prompt="What is missing from the plan?",
        is_required=False,
        max_length=2000,
    )
    surveys.add_question(survey, surveys.consent_spec(), actor=organiser)
    _coproduction_responses(survey, organiser)


#: what people wrote on the co-production survey's paper forms, and whether each agreed to
#: be quoted; fixed (not drawn at random) so the demo's themes always have their evidence
COPRODUCTION_WORDS = [
    ("Transport was a problem: the taxi changed every week.", True),
    ("Nothing about school transport, which is what breaks our week.", True),
    ("We waited months before anyone called us back.", True),
    ("Clear letters in plain English, please.", True),
    ("A part-time timetable for far too long, with no plan to go back.", False),
    ("We had to chase every single appointment ourselves.", True),
    ("", True),
    ("Nobody explained what would happen next while we waited.", False),
    ("The priorities are right; now do them.", True),
    ("", False),
    ("Transport to college after 16 is missing.", True),
    ("", True),
    ("Tell us who to call when things go wrong.", True),
    ("", True),
    ("More help for us as parents, not only for our daughter.", True),
    ("", False),
    ("", True),
]


def _coproduction_responses(survey, organiser) -> None:
    """The drop-in sessions' paper forms, typed in by the organiser."""
    from forum.surveys.answering import services as answering
    from forum.surveys.answering.forms import Given
    from forum.surveys.models import ResponseChannel
    from forum.surveys.queries import questions_of

    choice, written, consent = questions_of(survey)
    keys = [c["value"] for c in choice.choices]
    for n, (words, quote) in enumerate(COPRODUCTION_WORDS):
        given = {
            choice.id: Given(value=keys[(0, 1, 0, 1, 2)[n % 5]], other=""),
            consent.id: Given(value="yes" if quote else "no", other=""),
        }
        if words:
            given[written.id] = Given(value=words, other="")
        answering.enter_response(
            survey,
            [choice, written, consent],
            given,
            channel=ResponseChannel.EVENT,
            actor=organiser,
        )


REPORT_URL = "https://www.northshire.example/send/annual-report"
#: commitments in the local plan: priority, owner (by kind), title, status, progress, months
COMMITMENTS = [
    (
        "P1",
        "council",
        "Open a second alternative provision centre in Eastbridge",
        "on_track",
        40,
        9,
    ),
    ("P2", "council", "Publish what each school offers from its SEN budget", "not_started", 0, 12),
    ("P3", "health", "Mental health support teams in 30 more schools", "at_risk", 25, 10),
    (
        "P4",
        "health",
        "Cut waits for a speech and language assessment to 18 weeks",
        "delayed",
        10,
        6,
    ),
    ("P5", "council", "Write the annual SEND report with the forum", "done", 100, -2),
]


def _northshire_ledger(area, organiser, responder, member) -> None:
    """The outcome ledger: a published plan with commitments and their timelines; the
    co-production consultation's themes, the council's answers, the forum's views and the
    published response; and a theme on alternative provision still waiting for an answer."""
    from forum.outcomes.publishing import services as publishing

    priority = _publish_northshire_plan(area, organiser)
    owner = _partners_by_kind(area)
    made = _northshire_commitments(priority, owner, organiser)
    coproduction = _consultation_titled(area, "Our local inclusion plan: have your say")
    themes = _coproduction_themes(coproduction, priority, organiser, member)
    _council_answers(themes, owner["council"], priority, made, responder, organiser)
    publishing.publish_response(coproduction, actor=organiser)
    _alternative_provision_theme(area, priority, organiser)


def _publish_northshire_plan(area, organiser) -> dict:
    """Give the plan its kind and dates and publish it; returns its priorities by code."""
    from forum.plans.models import LocalPlan, PlanKind, Priority

    plan = db.session.scalar(select(LocalPlan).where(LocalPlan.area_id == area.id))
    plans.update_plan(
        plan,
        title=plan.title,
        summary=plan.summary,
        kind=PlanKind.INCLUSION_PLAN,
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        actor=organiser,
    )
    plans.publish_plan(plan, actor=organiser)
    return {
        p.code: p for p in db.session.scalars(select(Priority).where(Priority.plan_id == plan.id))
    }


def _partners_by_kind(area) -> dict:
    from forum.areas.models import PartnerOrganisation

    partners = list(
        db.session.scalars(
            select(PartnerOrganisation).where(PartnerOrganisation.area_id == area.id)
        )
    )
    return {
        "council": next(p for p in partners if p.kind is PartnerKind.LOCAL_AUTHORITY),
        "health": next(p for p in partners if p.kind is PartnerKind.HEALTH),
    }


#: the progress update the demo posts for a commitment in each status
COMMITMENT_UPDATES = {
    "on_track": "The building is bought and the first staff are appointed.",
    "at_risk": "Recruitment is slower than planned: 6 of 12 posts are filled.",
    "delayed": "Waits fell to 31 weeks, but two therapists have left.",
    "done": "The report was written with the forum and published.",
}


def _northshire_commitments(priority, owner, organiser) -> dict:
    """COMMITMENTS with a progress update on each that has started; returns them by
    priority code."""
    from forum.plans.models import CommitmentStatus

    today = utcnow().date()
    made = {}
    for code, who, title, status, progress, months in COMMITMENTS:
        commitment = plans.add_commitment(
            priority[code],
            partner=owner[who],
            title=title,
            due_on=today + timedelta(days=30 * months) if months > 0 else None,
            actor=organiser,
        )
        if status != "not_started":
            plans.post_update(
                commitment,
                text=COMMITMENT_UPDATES[status],
                evidence_url="https://www.northshire.example/send/report"
                if status == "done"
                else "",
                status=CommitmentStatus(status),
                progress=progress,
                actor=organiser,
            )
        made[code] = commitment
    return made


def _consultation_titled(area, title: str) -> Consultation:
    return db.session.scalar(
        select(Consultation).where(Consultation.area_id == area.id, Consultation.title == title)
    )


def _survey_of(consultation):
    from forum.surveys.models import Survey

    return db.session.scalar(select(Survey).where(Survey.consultation_id == consultation.id))


def _questions_by_prompt(survey) -> dict:
    from forum.surveys.models import Question

    return {
        q.prompt: q
        for q in db.session.scalars(select(Question).where(Question.survey_id == survey.id))
    }


def _code_missing_from_plan(survey, question, organiser) -> None:
    """Tag the written answers on what the plan is missing with two codes."""
    from forum.surveys.coding.services import tag_answer
    from forum.surveys.models import Answer

    written = db.session.scalars(
        select(Answer).where(Answer.question_id == question.id, Answer.text.is_not(None))
    )
    for answer in written:
        words = answer.text.lower()
        if any(w in words for w in ("taxi", "transport", "timetable")):
            tag_answer(survey, answer, "Transport and timetables", actor=organiser)
        if any(w in words for w in ("waited", "chase", "letters", "called", "who to call")):
            tag_answer(survey, answer, "Being kept informed", actor=organiser)


def _coproduction_themes(coproduction, priority, organiser, member) -> tuple:
    """Code the survey, start a thread, and make three themes from what both hold; returns
    the themes (transport, kept informed, agreeing with the priorities)."""
    from forum.discussions import services as talk
    from forum.outcomes.themes import services as you_said
    from forum.outcomes.themes.models import EvidenceKind

    survey = _survey_of(coproduction)
    questions = _questions_by_prompt(survey)
    _code_missing_from_plan(survey, questions["What is missing from the plan?"], organiser)
    thread = talk.start_thread(
        talk.consultation_board(coproduction),
        title="Transport is missing from the plan",
        body="None of the five priorities mentions school transport, and it is the thing that "
        "breaks our week. Could it be part of P1?",
        author=member,
    )
    post = thread_first_post(thread)

    codes = {c.name: c for c in survey_codes(survey)}
    transport = you_said.create_theme(
        coproduction,
        title="Transport is missing from the plan",
        summary="Families said journeys to school and alternative provision cause more stress "
        "than anything else, and the plan does not mention them.",
        priorities=[priority["P1"]],
        actor=organiser,
    )
    you_said.add_evidence(
        transport, EvidenceKind.CODE, codes["Transport and timetables"].id, actor=organiser
    )
    you_said.add_evidence(transport, EvidenceKind.POST, post.id, actor=organiser)
    informed = you_said.create_theme(
        coproduction,
        title="Tell families what is happening while they wait",
        summary="Families chase appointments themselves and want plain letters saying what "
        "happens next.",
        priorities=[priority["P4"], priority["P5"]],
        actor=organiser,
    )
    you_said.add_evidence(
        informed, EvidenceKind.CODE, codes["Being kept informed"].id, actor=organiser
    )
    agree = you_said.create_theme(
        coproduction,
        title="Most families agree with the five priorities",
        summary="Most people who answered said the priorities are right, or mostly right.",
        priorities=[priority["P5"]],
        actor=organiser,
    )
    you_said.add_evidence(
        agree,
        EvidenceKind.QUESTION,
        questions["Are these the right five priorities?"].id,
        actor=organiser,
    )
    return transport, informed, agree


def _council_answers(themes, council, priority, made, responder, organiser) -> None:
    """The council answers the three themes (one with a new commitment) and the forum gives
    its view on each answer."""
    from forum.outcomes.decisions import services as we_did
    from forum.outcomes.decisions.models import ForumView, Outcome

    transport, informed, agree = themes
    on_transport = we_did.answer_theme(
        transport,
        council.id,
        we_did.Answer(
            outcome=Outcome.PARTLY_ADOPTED,
            explanation="We will review home-to-school transport with families this year and "
            "add what we agree to priority P1. A new transport plan needs the cabinet's "
            "approval, which we cannot promise.",
            new_commitment=we_did.NewCommitment(
                title="Review home-to-school transport with families",
                priority_id=priority["P1"].id,
                due_on=utcnow().date() + timedelta(days=180),
            ),
        ),
        actor=responder,
    )
    on_informed = we_did.answer_theme(
        informed,
        council.id,
        we_did.Answer(
            outcome=Outcome.ADOPTED,
            explanation="Every family waiting for an assessment will get a letter each month "
            "saying where they are in the queue and who to call.",
            commitment_ids=[made["P4"].id],
        ),
        actor=responder,
    )
    on_agree = we_did.answer_theme(
        agree,
        council.id,
        we_did.Answer(
            outcome=Outcome.ADOPTED,
            explanation="We keep the five priorities and report on each of them every quarter.",
            commitment_ids=[made["P5"].id],
        ),
        actor=responder,
    )
    we_did.review_decision(on_transport, ForumView.AGREED, "", actor=organiser)
    we_did.review_decision(
        on_informed,
        ForumView.DISPUTED,
        "Monthly letters are welcome, but families asked for a named person to call, and the "
        "answer does not say who that will be.",
        actor=organiser,
    )
    we_did.review_decision(on_agree, ForumView.AGREED, "", actor=organiser)


def _alternative_provision_theme(area, priority, organiser) -> None:
    """A theme on the alternative provision consultation, with no answer yet."""
    from forum.outcomes.themes import services as you_said
    from forum.outcomes.themes.models import EvidenceKind

    alternative = _consultation_titled(area, "Alternative provision: what works for your child")
    helped = _questions_by_prompt(_survey_of(alternative))["What helped your child most?"]
    key_adult = next(c["value"] for c in helped.choices if c["label"].startswith("A key adult"))
    theme = you_said.create_theme(
        alternative,
        title="A key adult makes the difference",
        summary="Children did best where one adult they trusted knew them well.",
        priorities=[priority["P1"]],
        actor=organiser,
    )
    you_said.add_evidence(
        theme, EvidenceKind.QUESTION, helped.id, option_key=key_adult, actor=organiser
    )


def thread_first_post(thread):
    from forum.discussions.models import Post

    return db.session.scalar(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.number).limit(1)
    )


def survey_codes(survey):
    from forum.surveys.models import Code

    return list(db.session.scalars(select(Code).where(Code.survey_id == survey.id)))


# --- events and the representation log --------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0):
    """A time on `day` in UK time, as the UTC the database keeps."""
    from datetime import datetime

    from forum.web.time import LONDON

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)


def _northshire_events(area, organiser) -> None:
    """A coffee morning coming up (the demo member has a place, with an access need), an
    online drop-in for members, and a workshop last month whose attendance is marked."""
    from forum.events import services as events

    today = utcnow().date()
    member = get_by_email(MEMBER.email)
    parents = [get_by_email(email) for email, _, approved in NORTHSHIRE_PARENTS if approved]
    coffee = events.create_event(
        area,
        title="Coffee morning: starting secondary school",
        description="Come and talk to other parents about the move to secondary school, "
        "and meet the council's SEND team. Children are welcome.",
        starts_at=_at(today + 12 * DAY, 10),
        ends_at=_at(today + 12 * DAY, 12),
        address="Northshire Family Hub, 4 Mill Lane, Northtown NS1 2AB",
        has_step_free_access=True,
        has_quiet_room=True,
        has_hearing_loop=True,
        accessibility_notes="The quiet room is on the ground floor, next to the main hall.",
        capacity=20,
        consultation=_consultation_titled(area, "Mental health support teams in schools"),
        actor=organiser,
    )
    events.publish(coffee, actor=organiser)
    events.register(coffee, user=member, adults=1, access_choices=["quiet_space"], actor=member)
    for parent in parents[:2]:
        events.register(coffee, user=parent, adults=2, actor=parent)

    drop_in = events.create_event(
        area,
        title="Online drop-in: EHC plan annual reviews",
        description="An hour to ask other parents and the forum's volunteers about annual "
        "reviews: what to send beforehand, and what to do if the plan is not updated.",
        starts_at=_at(today + 20 * DAY, 19, 30),
        ends_at=_at(today + 20 * DAY, 20, 30),
        is_in_person=False,
        is_online=True,
        online_link="https://meet.example.org/northshire-forum-annual-reviews",
        capacity=40,
        audience=Audience.MEMBERS,
        actor=organiser,
    )
    events.publish(drop_in, actor=organiser)

    then = utcnow() - 40 * DAY
    workshop = events.create_event(
        area,
        title="Workshop: our local inclusion plan",
        description="Read the draft plan together, and tell the council what is missing.",
        starts_at=_at(today - 30 * DAY, 13),
        ends_at=_at(today - 30 * DAY, 15),
        address="Northtown Library, Market Square, Northtown NS1 1AA",
        has_step_free_access=True,
        has_parking=True,
        capacity=30,
        consultation=_consultation_titled(area, "Our local inclusion plan: have your say"),
        actor=organiser,
        now=then,
    )
    events.publish(workshop, actor=organiser, now=then)
    for n, parent in enumerate(parents):
        registration = events.register(workshop, user=parent, adults=1, actor=parent, now=then)
        events.mark_attendance(registration, n != 1, actor=organiser)
    _workshop_notes(workshop, organiser)


def _workshop_notes(workshop, organiser) -> None:
    """What was heard at the workshop, in public notes: a point tagged with the survey's
    transport code (so the transport theme counts it), a point added to the "kept informed"
    theme on its own, and an action agreed."""
    from forum.events import services as events
    from forum.events.models import NoteVisibility
    from forum.outcomes.themes import services as you_said
    from forum.outcomes.themes.models import EvidenceKind, Theme

    events.save_note(
        workshop,
        summary="Twelve parents read the draft plan with two of the council's SEND team. Most "
        "of the time went on transport and on how families hear about waiting lists.",
        visibility=NoteVisibility.PUBLIC,
        actor=organiser,
    )
    transport = events.add_item(
        workshop,
        text="Taxi and bus times change without warning, and the plan says nothing about "
        "transport.",
        people=6,
        actor=organiser,
    )
    codes = {c.name: c.id for c in survey_codes(_survey_of(workshop.consultation))}
    events.set_item_codes(transport, {codes["Transport and timetables"]}, actor=organiser)
    letters = events.add_item(
        workshop,
        text="Nobody writes to say where a child is on the waiting list, so parents ring round.",
        people=4,
        actor=organiser,
    )
    events.add_action(
        workshop,
        what="Send the forum the draft wording of the new waiting-list letter",
        owner="Council SEND team",
        due_on=utcnow().date() + 14 * DAY,
        actor=organiser,
    )
    informed = db.session.scalar(
        select(Theme).where(
            Theme.consultation_id == workshop.consultation_id,
            Theme.title == "Tell families what is happening while they wait",
        )
    )
    you_said.add_evidence(informed, EvidenceKind.EVENT_ITEM, letters.id, actor=organiser)


def _northshire_families(area, organiser) -> None:
    """Three localities, example figures about the area's children with SEND (labelled as
    made up), family profiles for the demo member and the four approved parents (five
    families, so the reach report shows what is counted and what is withheld), an invitation
    waiting for an answer, and yearly renewal turned on."""
    from forum.areas import invitations, renewal
    from forum.members import population
    from forum.members import services as profiles

    places = [
        profiles.add_locality(area, name, actor=organiser)
        for name in ("Northtown", "Coastal villages", "Millbridge")
    ]
    figures = population.check(
        area,
        (
            b"question,answer,children\n"
            b"phase,early_years,310\nphase,primary,2480\nphase,secondary,2260\n"
            b"phase,post_16,940\nphase,further,410\n"
            b"need,ASD,1850\nneed,SLCN,1420\nneed,SEMH,1190\nneed,MLD,690\nneed,SpLD,520\n"
            b"need,PD,210\nneed,HI,120\nneed,VI,80\nneed,SLD,160\nneed,PMLD,60\n"
            b"need,other,100\nsupport,ehc_plan,2900\nsupport,sen_support,3500\n"
            b"locality,Northtown,3100\nlocality,Coastal villages,1400\nlocality,Millbridge,1900\n"
        ),
    )
    population.keep(
        area,
        figures,
        source="Example figures for the demo (made up, in the shape of DfE's SEN2 and census "
        "tables)",
        as_of=date(2026, 1, 15),
        actor=organiser,
    )
    # a carer invited by email who has not said yes yet, and renewal once a year
    invitations.invite(
        area, [invitations.Row(1, "gran.carer@example.org", "Gwen Carer")], actor=organiser
    )
    renewal.set_renewal(area, is_on=True, days=30, actor=organiser)
    families = [
        (MEMBER.email, [("11_15", "secondary", "asd", "ehc_plan", "mainstream", 0)]),
        (NORTHSHIRE_PARENTS[0][0], [("5_10", "primary", "slcn", "sen_support", "mainstream", 0)]),
        (
            NORTHSHIRE_PARENTS[1][0],
            [
                ("11_15", "secondary", "semh", "waiting", "alternative", 1),
                ("5_10", "primary", "asd", "sen_support", "mainstream", 1),
            ],
        ),
        (NORTHSHIRE_PARENTS[2][0], [("11_15", "secondary", "asd", "ehc_plan", "special", 2)]),
        (NORTHSHIRE_PARENTS[3][0], [("5_10", "primary", "pd", "ehc_plan", "mainstream", 0)]),
    ]
    for email, children in families:
        person = get_by_email(email)
        profile = profiles.save_profile(area, person, consents=True, ethnicity="prefer_not")
        for age, phase, need, support, setting, place in children:
            profiles.add_child(
                area,
                person,
                profile,
                locality_id=places[place].id,
                age_band=age,
                phase=phase,
                need=need,
                support=support,
                setting=setting,
            )


def _northshire_annual_report(area, organiser) -> None:
    """The forum's annual report for the financial year so far, published, with its own words
    around the figures the demo's consultations, events and meetings make."""
    from forum.reports import services as reports
    from forum.reports.figures import SECTION_KEYS
    from forum.reports.periods import financial_year_of

    report = reports.start_report(area, financial_year_of(date.today()), actor=organiser)
    reports.save_words(
        report,
        foreword=(
            "This is our report for the year so far. Thank you to every parent and carer who "
            "answered a survey, came to a workshop or told us what is happening for their "
            "family: your words are behind every change below."
        ),
        highlights=(
            "- Families told us about the **journey to school and college**, and the council "
            "answered.\n- We sat on the local inclusion plan board and the short breaks review."
        ),
        priorities="- Hear more from families of young people over 16.\n- Keep asking how "
        "the plan's commitments are going.",
        shown_sections=list(SECTION_KEYS),
        actor=organiser,
    )
    reports.publish(report, actor=organiser)


def _northshire_representation(area, organiser) -> None:
    """Two meetings the forum attended last month and the month before, public, with the
    themes and priorities raised and actions agreed; one action is a commitment in the plan."""
    from forum.outcomes.themes.models import Theme
    from forum.plans.models import Priority
    from forum.representation import services as representation

    owner = _partners_by_kind(area)
    themes = list(
        db.session.scalars(
            select(Theme).where(Theme.area_id == area.id, Theme.published_at.is_not(None))
        )
    )
    priorities = {
        p.code: p for p in db.session.scalars(select(Priority).where(Priority.area_id == area.id))
    }
    today = utcnow().date()
    board = representation.record_meeting(
        area,
        name="SEND Partnership Board",
        held_on=today - 21 * DAY,
        partner=owner["council"],
        members=[organiser],
        themes=themes[:2],
        priorities=[priorities["P5"]],
        summary="The forum shared what families told us about transport to school and about "
        "not hearing back after an assessment.",
        is_public=True,
        is_raised_public=True,
        is_agreed_public=True,
        actor=organiser,
    )
    action = representation.add_action(
        board,
        text="Write to every family waiting for an assessment each term, saying where they are "
        "in the queue",
        owner="Northshire County Council",
        due_on=today + 70 * DAY,
        actor=organiser,
    )
    representation.make_commitment(
        action, priority=priorities["P4"], partner=owner["council"], actor=organiser
    )
    representation.add_action(
        board,
        text="Bring the transport review's findings to the next board",
        owner="Northshire County Council",
        due_on=today + 40 * DAY,
        actor=organiser,
    )
    steering = representation.record_meeting(
        area,
        name="Neurodevelopmental pathway steering group",
        held_on=today - 48 * DAY,
        partner=owner["health"],
        members=[organiser],
        other_people=["A forum volunteer"],
        priorities=[priorities["P4"]],
        summary="Waiting times for autism assessments, and support while families wait.",
        is_public=True,
        is_raised_public=True,
        is_agreed_public=True,
        actor=organiser,
    )
    representation.add_action(
        steering,
        text="Publish the waiting time for an assessment on the Local Offer every month",
        owner="NHS Northshire and Wyvern Integrated Care Board",
        due_on=today - 5 * DAY,
        is_done=True,
        actor=organiser,
    )
