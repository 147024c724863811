"""Consented family profiles: what a member chooses to tell their forum about their family, so
the forum can show (and widen) who it hears from.

A profile belongs to one person in one area (`FamilyProfile`, unique per area and account):
a few equality-monitoring answers about the parent or carer, and one `ChildProfile` per child
or young person (no names: an age band, a school phase, the main type of need in the
categories of DfE's school census and SEN2 return, the support they have, where they learn and
the area's own locality). Every answer is optional and may be "prefer not to say"; nothing is
kept without the consent recorded on the profile (`consented_at`, with the version of the
words agreed to), and withdrawing consent deletes the profile and its children at once.

This is special category data about children: only its owner reads it one by one; the area's
organisers see it only counted and suppressed (`members.reach`), responders never.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import UTCDateTime, str_enum, utcnow

#: the version of the consent words (`members/consent.py`); a change to their meaning moves it
#: on, and the profile page asks again
CONSENT_VERSION = 1
#: the most children one profile describes
CHILDREN_MAX = 10
#: the most localities an area lists, and the longest name
LOCALITIES_MAX = 60
LOCALITY_NAME_MAX = 80

#: every question's way of not answering
PREFER_NOT = ("prefer_not", "Prefer not to say")


class Labelled(enum.StrEnum):
    """An answer with its plain-words label (`LABELS` on each class)."""

    @property
    def label(self) -> str:
        return type(self).LABELS[self.value]  # type: ignore[attr-defined]


class AgeBand(Labelled):
    UNDER_5 = "0_4"
    AGE_5_10 = "5_10"
    AGE_11_15 = "11_15"
    AGE_16_18 = "16_18"
    AGE_19_25 = "19_25"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember(
        {
            "0_4": "0 to 4",
            "5_10": "5 to 10",
            "11_15": "11 to 15",
            "16_18": "16 to 18",
            "19_25": "19 to 25",
            "prefer_not": "Prefer not to say",
        }
    )


class Phase(Labelled):
    EARLY_YEARS = "early_years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post_16"
    FURTHER = "further"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember(
        {
            "early_years": "Early years (nursery or reception)",
            "primary": "Primary school",
            "secondary": "Secondary school",
            "post_16": "Post-16 (sixth form, college or training)",
            "further": "19 to 25 (college, training, an apprenticeship or supported internship)",
            "prefer_not": "Prefer not to say",
        }
    )


class Need(Labelled):
    """The main type of need, in the categories of the school census and the SEN2 return."""

    SPLD = "spld"
    MLD = "mld"
    SLD = "sld"
    PMLD = "pmld"
    SEMH = "semh"
    SLCN = "slcn"
    HI = "hi"
    VI = "vi"
    MSI = "msi"
    PD = "pd"
    ASD = "asd"
    OTHER = "other"
    NOT_KNOWN = "not_known"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember(
        {
            "spld": "Specific learning difficulty, such as dyslexia (SpLD)",
            "mld": "Moderate learning difficulty (MLD)",
            "sld": "Severe learning difficulty (SLD)",
            "pmld": "Profound and multiple learning difficulty (PMLD)",
            "semh": "Social, emotional and mental health (SEMH)",
            "slcn": "Speech, language and communication needs (SLCN)",
            "hi": "Hearing impairment (HI)",
            "vi": "Vision impairment (VI)",
            "msi": "Multi-sensory impairment (MSI)",
            "pd": "Physical disability (PD)",
            "asd": "Autistic spectrum disorder (ASD)",
            "other": "Another kind of need",
            "not_known": "Not known yet",
            "prefer_not": "Prefer not to say",
        }
    )


class Support(Labelled):
    EHC_PLAN = "ehc_plan"
    SEN_SUPPORT = "sen_support"
    WAITING = "waiting"
    NONE = "none"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember(
        {
            "ehc_plan": "An education, health and care (EHC) plan",
            "sen_support": "SEN support at school or college, without an EHC plan",
            "waiting": "Waiting for an EHC needs assessment or its result",
            "none": "No extra support",
            "prefer_not": "Prefer not to say",
        }
    )


class Setting(Labelled):
    MAINSTREAM = "mainstream"
    SPECIAL = "special"
    ALTERNATIVE = "alternative"
    HOME = "home"
    NOT_IN_EDUCATION = "not_in_education"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember(
        {
            "mainstream": "A mainstream school, nursery or college",
            "special": "A special school or college",
            "alternative": "Alternative provision",
            "home": "Home education",
            "not_in_education": "Not in education at the moment",
            "prefer_not": "Prefer not to say",
        }
    )


class ParentAge(Labelled):
    UNDER_25 = "under_25"
    AGE_25_34 = "25_34"
    AGE_35_44 = "35_44"
    AGE_45_54 = "45_54"
    AGE_55_64 = "55_64"
    OVER_64 = "65_over"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember(
        {
            "under_25": "Under 25",
            "25_34": "25 to 34",
            "35_44": "35 to 44",
            "45_54": "45 to 54",
            "55_64": "55 to 64",
            "65_over": "65 or over",
            "prefer_not": "Prefer not to say",
        }
    )


class Ethnicity(Labelled):
    """The five high-level groups of the 2021 census in England and Wales (ONS)."""

    ASIAN = "asian"
    BLACK = "black"
    MIXED = "mixed"
    WHITE = "white"
    OTHER = "other"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember(
        {
            "asian": "Asian, Asian British or Asian Welsh",
            "black": "Black, Black British, Black Welsh, Caribbean or African",
            "mixed": "Mixed or multiple ethnic groups",
            "white": "White",
            "other": "Another ethnic group",
            "prefer_not": "Prefer not to say",
        }
    )


class YesNo(Labelled):
    YES = "yes"
    NO = "no"
    PREFER_NOT = "prefer_not"

    LABELS = enum.nonmember({"yes": "Yes", "no": "No", "prefer_not": "Prefer not to say"})


#: which school phases go with which age band: anything else is an impossible combination
PHASES_BY_AGE = {
    AgeBand.UNDER_5: {Phase.EARLY_YEARS},
    AgeBand.AGE_5_10: {Phase.EARLY_YEARS, Phase.PRIMARY},
    AgeBand.AGE_11_15: {Phase.PRIMARY, Phase.SECONDARY},
    AgeBand.AGE_16_18: {Phase.SECONDARY, Phase.POST_16},
    AgeBand.AGE_19_25: {Phase.POST_16, Phase.FURTHER},
}
#: home education is for children of compulsory school age (5 to 16)
HOME_EDUCATION_AGES = {AgeBand.AGE_5_10, AgeBand.AGE_11_15, AgeBand.AGE_16_18}


class Locality(db.Model):
    """One of the area's own localities (a district, a town, a family hub's patch), in the
    order the organisers chose; a child's profile may name one."""

    __tablename__ = "member_localities"
    __table_args__ = (UniqueConstraint("area_id", "name", name="uq_member_localities_area_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(LOCALITY_NAME_MAX))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FamilyProfile(db.Model):
    """What one person chose to tell one forum about their family, with their consent."""

    __tablename__ = "family_profiles"
    __table_args__ = (UniqueConstraint("area_id", "user_id", name="uq_family_profiles_area_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: moves on with every change; the form carries it to catch a save over another tab's
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    consent_version: Mapped[int] = mapped_column(default=CONSENT_VERSION)
    parent_age: Mapped[ParentAge | None] = mapped_column(str_enum(ParentAge, 16))
    ethnicity: Mapped[Ethnicity | None] = mapped_column(str_enum(Ethnicity, 16))
    young_carer: Mapped[YesNo | None] = mapped_column(str_enum(YesNo, 16))
    disabled: Mapped[YesNo | None] = mapped_column(str_enum(YesNo, 16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    area = relationship("Area")
    children: Mapped[list[ChildProfile]] = relationship(
        back_populates="profile",
        order_by="ChildProfile.position, ChildProfile.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def consent_is_current(self) -> bool:
        return self.consent_version == CONSENT_VERSION


class ChildProfile(db.Model):
    """One child or young person of a family profile: never a name, only the answers below."""

    __tablename__ = "family_profile_children"
    __table_args__ = (Index("ix_family_profile_children_area", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("family_profiles.id", ondelete="CASCADE"), index=True
    )
    #: denormalised so an area's counts need no join through the profiles
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, 16))
    phase: Mapped[Phase | None] = mapped_column(str_enum(Phase, 16))
    need: Mapped[Need | None] = mapped_column(str_enum(Need, 16))
    support: Mapped[Support | None] = mapped_column(str_enum(Support, 16))
    setting: Mapped[Setting | None] = mapped_column(str_enum(Setting, 20))
    locality_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_localities.id", ondelete="SET NULL"), index=True
    )

    profile: Mapped[FamilyProfile] = relationship(back_populates="children")
    locality: Mapped[Locality | None] = relationship()


#: the child questions that population figures may be given for, and the CSV's names for them
POPULATION_DIMENSIONS = ("age_band", "phase", "need", "support", "setting", "locality")
#: the most rows a population file may hold, and its largest size in bytes
POPULATION_ROWS_MAX = 500
#: the largest number of children one figure may be
POPULATION_CHILDREN_MAX = 10_000_000
POPULATION_BYTES_MAX = 256 * 1024


class PopulationUpload(db.Model):
    """One set of figures about the children and young people with SEND in the area, as an
    organiser gave it (their own CSV file, or taken from DfE's), with where they come from and
    when. A set may give only some questions: each question is taken from the newest set that
    gives it."""

    __tablename__ = "member_population_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: where the figures come from, e.g. "DfE, Special educational needs in England, 2025"
    source: Mapped[str] = mapped_column(String(200))
    #: the date the figures describe (e.g. the January census day)
    as_of: Mapped[date] = mapped_column(Date)
    #: {question: what its figures cover}, where the source needs saying (DfE's files)
    notes: Mapped[dict | None] = mapped_column(JSON)
    #: the local authority, as DfE names it, when the figures were taken from DfE's files
    local_authority: Mapped[str] = mapped_column(String(120), default="", server_default="")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    figures: Mapped[list[PopulationFigure]] = relationship(
        back_populates="upload", cascade="all, delete-orphan", passive_deletes=True
    )


class PopulationFigure(db.Model):
    """How many children and young people of one kind (one answer to one question) there are
    in the area, by one upload."""

    __tablename__ = "member_population_figures"
    __table_args__ = (
        UniqueConstraint("upload_id", "dimension", "category", name="uq_member_population_cell"),
        #: each question's newest figures are looked up by question
        Index("ix_member_population_figures_dimension", "dimension", "upload_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(
        ForeignKey("member_population_uploads.id", ondelete="CASCADE"), index=True
    )
    dimension: Mapped[str] = mapped_column(String(20))
    #: the answer's value (`Need.ASD.value`), or a locality's id as text
    category: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column()

    upload: Mapped[PopulationUpload] = relationship(back_populates="figures")


class ReachSettings(db.Model):
    """Whether the area's reach reports are published to everyone (organisers always see
    them); one row per area, made when first changed."""

    __tablename__ = "member_reach_settings"

    area_id: Mapped[int] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True
    )
    is_published: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
