"""The bank of standard SEND questions an organiser can add with one click.

The keys (of the questions and of their options) are part of the data, not just the code:
answers to a bank question are comparable between consultations, between years and between
areas only while they stay the same. Change a label's wording freely; never change or reuse a
key. New options get new keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum.surveys.models import QuestionKind


@dataclass(frozen=True)
class BankQuestion:
    key: str
    #: what the organiser sees on the button, e.g. "Child's age phase"
    title: str
    kind: QuestionKind
    prompt: str
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()
    has_other: bool = False
    scale_low_label: str = ""
    scale_high_label: str = ""


AGE_PHASE = BankQuestion(
    key="age_phase",
    title="Child's age phase",
    kind=QuestionKind.SINGLE_CHOICE,
    prompt="Which stage of education is your child at?",
    hint="If you are answering about more than one child, choose the stage of the child this "
    "answer is about.",
    options=(
        ("early_years", "Early years (under 5)"),
        ("primary", "Primary (reception to year 6)"),
        ("secondary", "Secondary (years 7 to 11)"),
        ("post_16", "Post-16 (16 to 18)"),
        ("age_19_25", "19 to 25"),
    ),
)

NEED_TYPE = BankQuestion(
    key="need_type",
    title="Type of need",
    kind=QuestionKind.MULTIPLE_CHOICE,
    prompt="What are your child's main areas of need?",
    hint="Choose all that apply. These are the four broad areas of need in the SEND Code of "
    "Practice.",
    options=(
        ("communication_interaction", "Communication and interaction"),
        ("cognition_learning", "Cognition and learning"),
        ("social_emotional_mental_health", "Social, emotional and mental health"),
        ("sensory_physical", "Sensory and/or physical"),
    ),
)

SCHOOL_SETTING = BankQuestion(
    key="school_setting",
    title="School setting",
    kind=QuestionKind.SINGLE_CHOICE,
    prompt="Where does your child learn now?",
    options=(
        ("mainstream", "Mainstream school or college"),
        ("mainstream_resourced", "Mainstream school with resourced provision or a SEN unit"),
        ("special", "Special school"),
        ("alternative_provision", "Alternative provision"),
        ("home_educated", "Home educated (elective home education)"),
        ("not_in_education", "Not in education at the moment"),
    ),
    has_other=True,
)

LOCAL_OFFER = BankQuestion(
    key="local_offer_satisfaction",
    title="Satisfaction with the Local Offer",
    kind=QuestionKind.SCALE,
    prompt="How satisfied are you with the Local Offer?",
    hint="The Local Offer is the council's information about support and services for children "
    "and young people with SEND.",
    scale_low_label="Very dissatisfied",
    scale_high_label="Very satisfied",
)

#: in the order the builder offers them
BANK: dict[str, BankQuestion] = {
    q.key: q for q in (AGE_PHASE, NEED_TYPE, SCHOOL_SETTING, LOCAL_OFFER)
}
