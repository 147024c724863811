"""Themes ("you said") and the links to the evidence behind them.

Reads: `themes_of(consultation)`, `get_theme(consultation, id)`.

Writes take the acting user, flush, record an audit entry and return; the caller commits.
Audit entries carry ids only, never what anyone wrote (a theme's title is the organiser's
summary of families' words, so it stays out too). A broken rule raises `ThemeError`, whose
message is safe to show; evidence that does not belong to the theme's consultation raises
`EvidenceNotFound`, which a view turns into 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.audit.services import record
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.outcomes.models import Decision, Evidence, EvidenceKind, Theme
from forum.outcomes.permissions import ANALYSABLE
from forum.surveys.models import Answer, Code, Question, Response, ResponseStatus, Survey
from forum.web.text import clean_text

TITLE_MAX = 200
SUMMARY_MAX = 2000
#: a consultation's themes are read as one page; more than this is no longer a summary
MAX_THEMES = 200


class ThemeError(ValueError):
    """A rule about themes was broken; the message is safe to show. `field` names the form
    field it belongs beside."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class EvidenceNotFound(ThemeError):
    """The answer, code, question or post is not part of this consultation (another
    consultation's or area's, a draft response, a hidden post, or no such thing)."""

    def __init__(self, message: str = "That feedback is not part of this consultation."):
        super().__init__(message)


# --- reads -----------------------------------------------------------------------------------


def themes_of(consultation: Consultation) -> list[Theme]:
    """The consultation's themes in order, with their priorities; two queries."""
    return list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation.id, Theme.area_id == consultation.area_id)
            .options(selectinload(Theme.priorities))
            .order_by(Theme.position, Theme.id)
        )
    )


def get_theme(consultation: Consultation, theme_id: int) -> Theme | None:
    """A theme of this consultation; another consultation's or area's ids are never found."""
    return db.session.scalar(
        select(Theme)
        .where(
            Theme.id == theme_id,
            Theme.consultation_id == consultation.id,
            Theme.area_id == consultation.area_id,
        )
        .options(selectinload(Theme.priorities))
    )


def get_evidence(theme: Theme, evidence_id: int) -> Evidence | None:
    return db.session.scalar(
        select(Evidence).where(Evidence.id == evidence_id, Evidence.theme_id == theme.id)
    )


def has_decisions(theme: Theme) -> bool:
    return (
        db.session.scalar(select(Decision.id).where(Decision.theme_id == theme.id).limit(1))
        is not None
    )


# --- themes ----------------------------------------------------------------------------------


def _check_open_for_themes(consultation: Consultation) -> None:
    if consultation.state not in ANALYSABLE:
        raise ThemeError(
            "Themes can only be built once the consultation has closed, when everyone has had "
            "their say."
        )


def _words(title: str | None, summary: str | None) -> tuple[str, str]:
    title = clean_text(title)
    summary = clean_text(summary, multiline=True)
    if not title:
        raise ThemeError("Enter a title for the theme", field="title")
    if len(title) > TITLE_MAX:
        raise ThemeError(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    if not summary:
        raise ThemeError("Enter a summary of what people said", field="summary")
    if len(summary) > SUMMARY_MAX:
        raise ThemeError(
            f"The summary must be {SUMMARY_MAX:,} characters or fewer", field="summary"
        )
    return title, summary


def _own_priorities(consultation: Consultation, priorities) -> list:
    priorities = list(priorities or [])
    if any(p.area_id != consultation.area_id for p in priorities):
        raise ThemeError("Choose priorities from this area's plans", field="priorities")
    return priorities


def create_theme(
    consultation: Consultation, *, title: str, summary: str, priorities=(), actor
) -> Theme:
    """Add a theme at the end of the consultation's list."""
    _check_open_for_themes(consultation)
    title, summary = _words(title, summary)
    priorities = _own_priorities(consultation, priorities)
    count, last = db.session.execute(
        select(func.count(Theme.id), func.max(Theme.position)).where(
            Theme.consultation_id == consultation.id
        )
    ).one()
    if count >= MAX_THEMES:
        raise ThemeError(
            f"This consultation has {MAX_THEMES} themes already. Join some together before "
            "adding more.",
            field="title",
        )
    theme = Theme(
        area_id=consultation.area_id,
        consultation_id=consultation.id,
        title=title,
        summary=summary,
        position=(last or 0) + 1,
        created_by_id=actor.id,
    )
    theme.priorities = priorities
    db.session.add(theme)
    db.session.flush()
    record(
        "theme.created",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        priority_ids=[p.id for p in priorities],
    )
    return theme


def update_theme(theme: Theme, *, title: str, summary: str, priorities=(), actor) -> Theme:
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    title, summary = _words(title, summary)
    priorities = _own_priorities(consultation, priorities)
    before = sorted(p.id for p in theme.priorities)
    theme.title = title
    theme.summary = summary
    theme.priorities = priorities
    db.session.flush()
    record(
        "theme.updated",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        priority_ids_before=before,
        priority_ids=sorted(p.id for p in priorities),
    )
    return theme


def _renumber(consultation: Consultation) -> list[Theme]:
    themes = list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation.id)
            .order_by(Theme.position, Theme.id)
        )
    )
    for position, each in enumerate(themes, start=1):
        each.position = position
    return themes


def move_theme(theme: Theme, direction: str, *, actor) -> bool:
    """Swap the theme with the one above ("up") or below ("down"). Returns False when it is
    already first or last (nothing changes)."""
    if direction not in ("up", "down"):
        raise ThemeError("Choose up or down")
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    themes = _renumber(consultation)
    index = themes.index(theme)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(themes):
        return False
    neighbour = themes[other]
    theme.position, neighbour.position = neighbour.position, theme.position
    db.session.flush()
    record(
        "theme.moved",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        position=theme.position,
    )
    return True


def delete_theme(theme: Theme, *, actor) -> None:
    """Delete a theme and its evidence links. Refused once any partner has answered it: the
    answer would lose what it answers."""
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    if has_decisions(theme):
        raise ThemeError(
            "This theme cannot be deleted because a partner has answered it. Change its words "
            "instead, or ask the partner to withdraw their answer first."
        )
    evidence = db.session.scalar(
        select(func.count(Evidence.id)).where(Evidence.theme_id == theme.id)
    )
    record(
        "theme.deleted",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        evidence_links=evidence,
    )
    db.session.delete(theme)
    db.session.flush()
    _renumber(consultation)
    db.session.flush()


# --- evidence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    evidence: Evidence
    #: False when the theme already had this evidence (nothing changed)
    created: bool


def _survey(consultation: Consultation) -> Survey | None:
    return db.session.scalar(
        select(Survey).where(
            Survey.consultation_id == consultation.id, Survey.area_id == consultation.area_id
        )
    )


def _target(consultation: Consultation, kind: EvidenceKind, target_id: int, option_key):
    """Check the thing to link belongs to this consultation; returns the Evidence fields."""
    if kind is EvidenceKind.POST:
        from forum.outcomes.evidence import find_post

        post = find_post(consultation, target_id)
        if post is None:
            raise EvidenceNotFound()
        return {"post_id": post.id}
    survey = _survey(consultation)
    if survey is None:
        raise EvidenceNotFound()
    if kind is EvidenceKind.CODE:
        found = db.session.scalar(
            select(Code.id).where(Code.id == target_id, Code.survey_id == survey.id)
        )
        if found is None:
            raise EvidenceNotFound()
        return {"code_id": found}
    if kind is EvidenceKind.ANSWER:
        found = db.session.scalar(
            select(Answer.id)
            .join(Response, Response.id == Answer.response_id)
            .where(
                Answer.id == target_id,
                Response.survey_id == survey.id,
                Response.area_id == consultation.area_id,
                Response.status == ResponseStatus.SUBMITTED,
                Answer.text.is_not(None),
                Answer.text != "",
            )
        )
        if found is None:
            raise EvidenceNotFound()
        return {"answer_id": found}
    from forum.outcomes.evidence import CHOICE_KINDS

    question = db.session.scalar(
        select(Question).where(
            Question.id == target_id,
            Question.survey_id == survey.id,
            Question.kind.in_(CHOICE_KINDS),
        )
    )
    if question is None:
        raise EvidenceNotFound()
    if option_key is not None and option_key not in {c["value"] for c in question.choices}:
        raise EvidenceNotFound("That answer is not one of the question's options.")
    return {"question_id": question.id, "option_key": option_key}


def _same(theme: Theme, kind: EvidenceKind, fields: dict) -> Evidence | None:
    stmt = select(Evidence).where(Evidence.theme_id == theme.id, Evidence.kind == kind)
    for name in ("code_id", "answer_id", "question_id", "post_id"):
        if name in fields:
            stmt = stmt.where(getattr(Evidence, name) == fields[name])
    if kind is EvidenceKind.QUESTION:
        key = fields["option_key"]
        stmt = stmt.where(
            Evidence.option_key.is_(None) if key is None else Evidence.option_key == key
        )
    return db.session.scalar(stmt.limit(1))


def add_evidence(
    theme: Theme,
    kind: EvidenceKind | str,
    target_id: int,
    *,
    option_key: str | None = None,
    actor,
) -> Added:
    """Link the theme to a code's answers, one answer, a choice question's results (or one
    option's) or a post. The thing must belong to the theme's consultation (its survey, its
    board or an area board) and area, and a post must be visible; otherwise
    `EvidenceNotFound`. Adding what the theme already has changes nothing."""
    try:
        kind = EvidenceKind(kind)
    except ValueError:
        raise EvidenceNotFound() from None
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    if kind is not EvidenceKind.QUESTION:
        option_key = None
    elif option_key is not None:
        option_key = clean_text(option_key)[:40] or None
    fields = _target(consultation, kind, target_id, option_key)
    present = _same(theme, kind, fields)
    if present is not None:
        return Added(present, False)
    evidence = Evidence(
        theme_id=theme.id, area_id=theme.area_id, kind=kind, added_by_id=actor.id, **fields
    )
    try:
        with db.session.begin_nested():
            db.session.add(evidence)
    except IntegrityError:  # pragma: no cover - a foreign key vanished meanwhile
        raise EvidenceNotFound() from None
    record(
        "theme.evidence_added",
        evidence,
        actor=actor,
        area=consultation.area,
        theme_id=theme.id,
        kind=kind.value,
        **fields,
    )
    return Added(evidence, True)


def remove_evidence(theme: Theme, evidence: Evidence, *, actor) -> None:
    """Unlink one piece of evidence. The audit entry keeps what it pointed at, who added it
    and when, and (as every entry) who removed it and when."""
    if evidence.theme_id != theme.id:
        raise EvidenceNotFound()
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    record(
        "theme.evidence_removed",
        evidence,
        actor=actor,
        area=consultation.area,
        theme_id=theme.id,
        kind=evidence.kind.value,
        code_id=evidence.code_id,
        answer_id=evidence.answer_id,
        question_id=evidence.question_id,
        option_key=evidence.option_key,
        post_id=evidence.post_id,
        added_by_id=evidence.added_by_id,
        added_at=evidence.added_at.isoformat() if evidence.added_at else None,
    )
    db.session.execute(delete(Evidence).where(Evidence.id == evidence.id))
    db.session.expire(theme, ["evidence"])
