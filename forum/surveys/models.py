"""Survey models: the survey of a consultation, its questions, and the responses and answers.

`Response` and `Answer` are kept minimal here; they are filled in by the answering work. They
exist now so that the builder's rules ("no deleting or changing kind once anyone has answered")
hold against real rows, and so the database itself refuses to orphan an answer.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask import url_for
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow


class SurveyLayout(enum.StrEnum):
    ONE_PAGE = "one_page"
    QUESTION_PER_PAGE = "question_per_page"
    SECTION_PER_PAGE = "section_per_page"

    @property
    def label(self) -> str:
        return {
            "one_page": "All the questions on one page",
            "question_per_page": "One question on each page, then a page to check the answers",
            "section_per_page": "Each section on its own page, then a page to check the answers",
        }[self.value]


class Numbering(enum.StrEnum):
    """How questions are numbered wherever they are shown: answer pages, results, coding,
    exports (CSV headers too)."""

    #: 1 to n in order, made by the platform
    AUTOMATIC = "automatic"
    #: the organiser's own (`Question.number`: "1.", "3a"), e.g. the source document's
    OWN = "own"
    #: not numbered at all
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "automatic": "Number the questions 1, 2, 3 in order",
            "own": "Use my own numbers, for example the ones in the document you are answering",
            "none": "Do not number the questions",
        }[self.value]


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    SCALE = "scale"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    RANKING = "ranking"
    CONSENT = "consent"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self.value][0]

    @property
    def description(self) -> str:
        return _KIND_LABELS[self.value][1]

    @property
    def has_options(self) -> bool:
        """The organiser writes the options (the other choice kinds have fixed ones)."""
        return self in (
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
            QuestionKind.RANKING,
        )

    @property
    def is_choice(self) -> bool:
        """Answers are option keys, so a later question can be shown only for some of them."""
        return self in (
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
            QuestionKind.YES_NO,
            QuestionKind.SCALE,
            QuestionKind.CONSENT,
        )

    @property
    def can_have_other(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


_KIND_LABELS = {
    "single_choice": ("Single choice", "People choose one answer from a list you write."),
    "multiple_choice": ("Multiple choice", "People choose all the answers that apply."),
    "yes_no": ("Yes, no or not sure", "Three fixed answers: yes, no and not sure."),
    "scale": ("Scale of 1 to 5", "From 1 to 5, with words at each end."),
    "short_text": ("Short text", "A line of text, up to 200 characters."),
    "long_text": ("Long text", "A paragraph or more, with a character count."),
    "number": ("Number", "A whole number, with an optional lowest and highest."),
    "date": ("Date", "A day, month and year."),
    "ranking": ("Ranking", "People put a list of options in order of importance."),
    "consent": (
        "Consent to quote",
        "Asks whether the forum may quote someone's words without their name.",
    ),
}

#: the key of the "Other, please specify" answer on choice questions that offer it
OTHER = "other"
OTHER_LABEL = "Other"
#: the fixed longest answer to a short text question
SHORT_TEXT_MAX = 200
#: long text questions allow this many characters unless the organiser says otherwise
LONG_TEXT_MAX = 2000
SCALE_POINTS = ("1", "2", "3", "4", "5")

YES_NO_CHOICES = (
    {"value": "yes", "label": "Yes"},
    {"value": "no", "label": "No"},
    {"value": "not_sure", "label": "Not sure"},
)
CONSENT_CHOICES = (
    {"value": "yes", "label": "Yes, you may quote my words without my name"},
    {"value": "no", "label": "No, do not quote my words"},
)
CONSENT_PROMPT = "May we quote your words, without your name?"


class ResultsVisibility(enum.StrEnum):
    """Who may see a survey's results. Organisers and the area's responders always may."""

    ORGANISERS = "organisers"
    MEMBERS = "members"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return {
            "organisers": "Not published: only organisers and responders of the area",
            "members": "Published to members of the forum",
            "public": "Published to everyone",
        }[self.value]


def survey_page_url(consultation, endpoint: str = "builder", **values) -> str:
    """The address of a page of the consultation's survey (`surveys.<endpoint>`), for the pages
    that exist before the survey does; `Survey.page_url` otherwise."""
    return url_for(
        f"surveys.{endpoint}", area_slug=consultation.area.slug, slug=consultation.slug, **values
    )


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    #: denormalised from the consultation so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: responses are stored without the person's id; fixed once anyone has responded
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    layout: Mapped[SurveyLayout] = mapped_column(
        str_enum(SurveyLayout), default=SurveyLayout.ONE_PAGE
    )
    #: people may change a submitted response until the consultation closes
    allow_edit_after_submit: Mapped[bool] = mapped_column(default=False)
    #: plain text shown before the first question
    intro: Mapped[str] = mapped_column(Text, default="")
    #: where to send a printed copy, for the paper version of "See all the questions" (the
    #: forum's postal address, a drop-off point, an email); set by organisers
    paper_responses_to: Mapped[str] = mapped_column(Text, default="", server_default="")
    numbering: Mapped[Numbering] = mapped_column(
        str_enum(Numbering, 16), default=Numbering.AUTOMATIC, server_default="automatic"
    )
    #: keys the hash that says whether someone has responded (`Response.respondent_key`); never
    #: shown. Anonymous surveys lose it when they close (`answering.sealing`), so no account can
    #: be matched to a response afterwards; a new one is made if the survey opens again
    salt: Mapped[str | None] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    #: when an anonymous survey's keys, salt and unsent drafts were last destroyed at closing
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_visibility: Mapped[ResultsVisibility] = mapped_column(
        str_enum(ResultsVisibility, 16), default=ResultsVisibility.ORGANISERS
    )
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: a response from someone without an account counts only once they confirm an email
    #: address from a link sent to it, and each address counts once (only a keyed hash of it
    #: is kept, in `CountedEmail`)
    requires_confirmed_email: Mapped[bool] = mapped_column(default=False)
    #: the area's responders may read the written answers of people who agreed to be quoted
    #: (never the others'); off, they see only themes, their quotes and the published results
    shares_answers_with_partners: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: moves whenever the settings or any question change
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    consultation = relationship("Consultation")

    def page_url(self, endpoint: str = "builder", **values) -> str:
        """The address of one of the survey's pages, e.g. `page_url("done")`."""
        return survey_page_url(self.consultation, endpoint, **values)

    @property
    def url(self) -> str:
        """The start page people answer from."""
        return self.page_url("start")

    @property
    def builder_url(self) -> str:
        return self.page_url("builder")

    @property
    def results_url(self) -> str:
        return self.page_url("results")


class Section(db.Model):
    """A chapter of a survey: a heading with an optional introduction, over the questions that
    belong to it (`Question.section_id`).

    Questions keep one order across the whole survey (`Question.position`); the builder keeps
    each section's questions together and the sections in the same order as their questions
    (`Section.position`), so reading the questions in order meets each heading once. Questions
    before the first section, or in a survey without sections, have no section.
    """

    __tablename__ = "survey_sections"
    __table_args__ = (Index("ix_survey_sections_survey_position", "survey_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    #: denormalised from the survey so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: order in the survey, 1 to n with no gaps
    position: Mapped[int] = mapped_column(default=1)
    #: the organiser's own number for the chapter ("Chapter 2", "B"), shown before the title
    number: Mapped[str] = mapped_column(String(16), default="", server_default="")
    title: Mapped[str] = mapped_column(String(200))
    #: plain text shown under the heading
    intro: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    survey: Mapped[Survey] = relationship()

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


class Question(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (Index("ix_survey_questions_survey_position", "survey_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; an edit form carries it to catch a stale save
    #: (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    #: denormalised from the survey so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: order in the survey, 1 to n with no gaps
    position: Mapped[int] = mapped_column(default=1)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    prompt: Mapped[str] = mapped_column(String(300))
    #: plain text shown under the prompt
    hint: Mapped[str] = mapped_column(Text, default="")
    is_required: Mapped[bool] = mapped_column(default=True)
    #: [{"value": key, "label": text}] for choice and ranking kinds; a key is made once and
    #: never changes or goes away after anyone has answered, so answers stay joined to it
    options: Mapped[list] = mapped_column(JSON, default=list)
    #: single and multiple choice: adds "Other, please specify" with the key `OTHER`
    has_other: Mapped[bool] = mapped_column(default=False)
    #: words at the ends of a scale question
    scale_low_label: Mapped[str] = mapped_column(String(60), default="")
    scale_high_label: Mapped[str] = mapped_column(String(60), default="")
    #: number questions: the lowest and highest answers allowed, if any
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]
    #: long text questions: the most characters allowed
    max_length: Mapped[int | None]
    #: short and long text questions: the most words allowed ("up to 250 words"), counted
    #: the same way in the browser and on the server (`forum.surveys.limits`)
    max_words: Mapped[int | None]
    #: the chapter the question is in (None: before any section, or no sections)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_sections.id", ondelete="SET NULL"), index=True
    )
    #: the organiser's own number when the survey uses them (`Numbering.OWN`): "1.", "3a"
    number: Mapped[str] = mapped_column(String(16), default="", server_default="")
    #: shown only when this earlier choice question of the same survey was answered with one
    #: of `show_if_values` (option keys); hidden questions are neither required nor stored
    show_if_question_id: Mapped[int | None] = mapped_column(ForeignKey("survey_questions.id"))
    show_if_values: Mapped[list] = mapped_column(JSON, default=list)
    #: hidden from new respondents; existing answers are kept
    is_hidden: Mapped[bool] = mapped_column(default=False)
    #: set when added from the standard bank, so answers compare across surveys and years
    bank_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    survey: Mapped[Survey] = relationship()
    show_if_question: Mapped[Question | None] = relationship(remote_side=[id])
    section: Mapped[Section | None] = relationship()

    def number_in(self, numbering: Numbering) -> str:
        """The number to show before the prompt ("" for none): pass the survey's numbering
        (`Survey.numbering`), so a list of questions needs no query per question."""
        if numbering is Numbering.AUTOMATIC:
            return str(self.position)
        if numbering is Numbering.OWN:
            return self.number
        return ""

    def numbered_prompt(self, numbering: Numbering) -> str:
        """The prompt after its number, as pages and CSV headers show it: "1. How …",
        "3a How …" (a dot only after a plain number), or the prompt alone when the survey or
        the question has no number."""
        number = self.number_in(numbering)
        if not number:
            return self.prompt
        if number.isdigit():
            number += "."
        return f"{number} {self.prompt}"

    def name_in(self, numbering: Numbering, *, start: bool = False) -> str:
        """How a sentence names the question: "question 2", "question 3a", or its words in
        quotes when it has no number ("“How did …”"), never the platform's own count when the
        organiser numbers their own way or not at all. `start`: at the start of a sentence."""
        number = self.number_in(numbering).rstrip(".")
        if number:
            return f"{'Question' if start else 'question'} {number}"
        prompt = self.prompt if len(self.prompt) <= 60 else self.prompt[:59].rstrip() + "…"
        return f"“{prompt}”"

    @property
    def choices(self) -> list[dict]:
        """Every answer people can choose, as {"value": key, "label": text}, in order."""
        kind = self.kind
        if kind is QuestionKind.YES_NO:
            return list(YES_NO_CHOICES)
        if kind is QuestionKind.CONSENT:
            return list(CONSENT_CHOICES)
        if kind is QuestionKind.SCALE:
            return [{"value": point, "label": self.scale_label(point)} for point in SCALE_POINTS]
        if kind.has_options:
            choices = list(self.options or [])
            if self.has_other and kind.can_have_other:
                choices.append({"value": OTHER, "label": OTHER_LABEL})
            return choices
        return []

    def scale_label(self, point: str) -> str:
        if point == SCALE_POINTS[0] and self.scale_low_label:
            return f"{point} – {self.scale_low_label}"
        if point == SCALE_POINTS[-1] and self.scale_high_label:
            return f"{point} – {self.scale_high_label}"
        return point

    def label_of(self, key: str) -> str:
        for choice in self.choices:
            if choice["value"] == key:
                return choice["label"]
        return key

    @property
    def url(self) -> str:
        """The page that asks this question (surveys with one question on each page)."""
        return self.page_url("answer_question")

    def page_url(self, endpoint: str, **values) -> str:
        """The address of one of the question's pages, e.g. `page_url("edit_question")`."""
        return self.survey.page_url(endpoint, question_id=self.id, **values)


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ResponseChannel(enum.StrEnum):
    """How the answers reached the forum: online, or entered by an organiser."""

    ONLINE = "online"
    PAPER = "paper"
    PHONE = "phone"
    EVENT = "event"

    @property
    def label(self) -> str:
        return {
            "online": "Online",
            "paper": "On paper",
            "phone": "By phone",
            "event": "At an event",
        }[self.value]


class SentCount(db.Model):
    """How many responses a survey has been sent (one upsert at each submission): with the
    area's data version, what names a survey's kept results while it takes responses, read by
    its key instead of counting the responses (forum/surveys/results/views.py). Never shown."""

    __tablename__ = "survey_sent_counts"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    sent: Mapped[int] = mapped_column(BigInteger, default=0)


class Response(db.Model):
    """One person's answers to a survey, from first save to submission.

    `respondent_key` is what makes "one response per person" a database rule: a keyed hash
    (`forum.surveys.answering.keys.respondent_key`) of the account, or of the private resume token
    for someone answering without an account, unique within the survey. A person's draft and
    their submitted response are the same row, so twenty identical submits still leave one.
    In anonymous surveys the row has no `user_id` and its times are kept to the day, and when
    the consultation closes the key goes with the survey's salt (`answering.services.seal`),
    so nothing stored joins it to an account. Paper, phone and event responses have no key.
    """

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "respondent_key", name="uq_survey_responses_respondent"),
        Index("ix_survey_responses_survey_status", "survey_id", "status"),
    )
    #: not a column: True on a response this request has just made (`answering.services.
    #: response_for`), which holds no answers yet, so saving its first answers reads none
    made_now = False

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: denormalised from the survey so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: null for anonymous surveys and for paper, phone and event responses
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    respondent_key: Mapped[str | None] = mapped_column(String(64))
    #: shown to the person on the confirmation, e.g. "K7P-3QX-9TD"; no meaning inside it
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[ResponseStatus] = mapped_column(
        str_enum(ResponseStatus, 16), default=ResponseStatus.DRAFT
    )
    channel: Mapped[ResponseChannel] = mapped_column(
        str_enum(ResponseChannel, 16), default=ResponseChannel.ONLINE
    )
    #: the organiser who typed in a paper, phone or event response
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the position of the question a one-question-per-page respondent reached
    reached: Mapped[int] = mapped_column(default=1)
    #: the person's consent to quote their free text, unnamed, as it stands now: their answer
    #: to the consent question, or what they chose later (`QuoteConsent` keeps every change)
    may_quote: Mapped[bool] = mapped_column(default=False)
    #: sha256 of the private link that lets someone without an account change their consent;
    #: the link itself is only ever shown to them, and it says nothing about who they are
    quote_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: it could not have been made in bulk for nothing: sent from a signed-in account (in an
    #: anonymous survey too: only this yes is kept, never the account), typed in by the forum,
    #: or confirmed by email. Published counts need 5 vouched responses in every cell
    #: (`forum.disclosure`), so answers anyone can send many times never lift a small group.
    vouched: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: submitted to a survey that requires a confirmed email address, and not confirmed yet:
    #: kept, not counted (`forum.surveys.queries.counted`)
    is_awaiting_email: Mapped[bool] = mapped_column(default=False)
    #: when an email address was confirmed for it (or the signed-in account's confirmed
    #: address was used): the response cannot be mass-produced. Kept to the day in anonymous
    #: surveys
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: kept, not counted: set by an organiser from the burst view, or at once when the hidden
    #: field that only automated form-fillers fill in came back filled
    quarantined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the organiser who quarantined it; null for the automatic honeypot quarantine
    quarantined_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: why: "organiser" or "honeypot"
    quarantine_reason: Mapped[str | None] = mapped_column(String(16))
    #: abuse signals, forgotten when the consultation closes or `TRACKING_DAYS` after the
    #: response was last changed (`forum.surveys.quarantine.services.forget_tracking`): keyed
    #: hashes (`answering.keys.tracking_hash`) of the browser's device cookie and of the
    #: network address (never the address itself), the hour it was sent, and a hash of the
    #: answers given, so identical sets can be grouped
    device_hash: Mapped[str | None] = mapped_column(String(64))
    address_hash: Mapped[str | None] = mapped_column(String(64))
    sent_hour: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answers_hash: Mapped[str | None] = mapped_column(String(64))

    @property
    def is_submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED

    @property
    def is_quarantined(self) -> bool:
        return self.quarantined_at is not None


def counted_responses():
    """The one rule for which responses count, as a condition on `Response` for every counting
    query: submitted, not quarantined (by an organiser, or by the hidden field only automated
    form-fillers fill in), and not waiting for its email address to be confirmed. Results,
    filters, exports, coding, themes and their evidence, quotes, the scorecard, open data, the
    published ledger, the Local Offer report and every response count use it; a response that
    does not count is kept, never shown there."""
    return and_(
        Response.status == ResponseStatus.SUBMITTED,
        Response.quarantined_at.is_(None),
        Response.is_awaiting_email.is_(False),
    )


def vouched_responses():
    """Of the counted responses, those vouched for (`Response.vouched`): a condition."""
    return Response.vouched.is_(True)


class Answer(db.Model):
    """One answer in a response.

    `value` is the answer as given: an option key, a list of keys (multiple choice and ranking,
    in order), text, a whole number or an ISO date. `text` repeats the free text of a text
    answer, or holds the "please specify" words of an "Other" choice, so text can be searched
    and coded in one place. Choice answers are also written out one row per chosen key in
    `AnswerChoice`, which is what results are counted from.

    The foreign key to the question has no ON DELETE action: the database refuses to delete a
    question that has answers, behind the builder's own rule.
    """

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_survey_answers_response_question"),
        Index("ix_survey_answers_question_id_id", "question_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    value: Mapped[dict | list | str | int | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)


class AnswerChoice(db.Model):
    """One chosen option of a choice or ranking answer: the row results are counted from."""

    __tablename__ = "survey_answer_choices"
    __table_args__ = (
        Index("ix_survey_answer_choices_question_option", "question_id", "option_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("survey_answers.id", ondelete="CASCADE"), index=True
    )
    #: denormalised from the answer so counts and cross-filters need no join through it
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"))
    option_key: Mapped[str] = mapped_column(String(40))
    #: ranking answers: 1 for the first place
    rank: Mapped[int | None]


class Code(db.Model):
    """A code an organiser tags free-text answers with, e.g. "waiting times"."""

    __tablename__ = "survey_codes"
    __table_args__ = (UniqueConstraint("survey_id", "name", name="uq_survey_codes_survey_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnswerCode(db.Model):
    """A code on one free-text answer."""

    __tablename__ = "survey_answer_codes"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("survey_answers.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("survey_codes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConsentChange(enum.StrEnum):
    """How a consent record came about."""

    #: the answer to the consent question, when the response was sent or typed in
    ANSWERED = "answered"
    #: the person changed their answers to the consent question before the survey closed
    CHANGED_ANSWER = "changed_answer"
    #: the person withdrew consent on the quoting page
    WITHDRAWN = "withdrawn"
    #: the person gave consent again on the quoting page while the survey was open
    GIVEN = "given"

    @property
    def label(self) -> str:
        return {
            "answered": "Answered the question",
            "changed_answer": "Changed the answer",
            "withdrawn": "Withdrew consent",
            "given": "Gave consent",
        }[self.value]


class QuoteConsent(db.Model):
    """One entry in a response's history of consent to be quoted: given or not, when, how, and
    the exact words the person was shown. Entries are only ever added; `Response.may_quote` is
    the latest. In anonymous surveys the time is kept to the day, like the response's."""

    __tablename__ = "survey_quote_consents"
    __table_args__ = (Index("ix_survey_quote_consents_response_id_id", "response_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    #: denormalised from the response so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    is_given: Mapped[bool]
    change: Mapped[ConsentChange] = mapped_column(str_enum(ConsentChange, 16))
    #: the question and answer, or the page's sentence, exactly as the person saw them
    wording: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EmailConfirmation(db.Model):
    """A link sent to confirm the email address given for a response, until it is used.

    The only row that joins a response to (a keyed hash of) an address, and only until the
    link is used or expires: confirming deletes it and keeps the hash alone in `CountedEmail`.
    The address itself is never stored here; the outbox forgets it once the email has gone.
    """

    __tablename__ = "survey_email_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    #: hex SHA-256 of the secret in the emailed link
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: `answering.keys.email_hash` of the address given
    email_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CountedEmail(db.Model):
    """An email address (as a keyed hash) that has a counted response in the survey: one each.

    Nothing here says which response; the rows go when the consultation closes.
    """

    __tablename__ = "survey_counted_emails"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class ResponseContact(db.Model):
    """An email address given with a paper, phone or event response by someone who agreed to
    be told what happened to their feedback (they have no account to be told at). Typed in by
    an organiser; never in exports, results or anything partners see; only for the "what
    happened" emails, each with a link that deletes it. Deleted when they unsubscribe, with
    the response, or `answering.contacts.CONTACT_KEPT` after the consultation closed. Never
    taken for an anonymous survey."""

    __tablename__ = "survey_response_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change to the row; the form that corrects the address carries it
    #: to catch a stale save (forum/web/versions.py)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), unique=True
    )
    #: denormalised from the response so every area-scoped query filters on one column
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: lower-cased
    email: Mapped[str] = mapped_column(String(254))
    #: when the organiser recorded that the person agreed to be told what happened
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
