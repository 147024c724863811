"""The demo's surveys: six questions with one show-if, and the members' response to a national
green paper (issue 14: own numbering, chapters, word limits, other formats, an extension and
members' answers), built through the services."""

from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.consultations.models import Consultation, ConsultationState, DateChange
from forum.documents.models import Document, DocumentFormat
from forum.extensions import db
from forum.seed import GREEN_PAPER, MEMBER
from forum.surveys.counting import count_words
from forum.surveys.models import (
    Answer,
    Numbering,
    QuestionKind,
    Response,
    ResponseStatus,
    Section,
    Survey,
    SurveyLayout,
)
from forum.surveys.queries import questions_of


def test_demo_consultations_have_their_surveys(app, client, auth):
    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    with app.app_context():
        consultation = db.session.scalar(
            select(Consultation).where(
                Consultation.title == "Mental health support teams in schools"
            )
        )
        survey = db.session.scalar(select(Survey).where(Survey.consultation_id == consultation.id))
        questions = questions_of(survey)
        assert [q.position for q in questions] == [1, 2, 3, 4, 5, 6]
        conditional = [q for q in questions if q.show_if_question_id]
        assert len(conditional) == 1
        source = conditional[0].show_if_question
        assert source.kind is QuestionKind.YES_NO and conditional[0].show_if_values == ["yes"]
        assert questions[0].bank_key == "age_phase"
        assert QuestionKind.CONSENT in {q.kind for q in questions}
        added = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "question.added",
                AuditEvent.subject_id.in_([q.id for q in questions]),
            )
        )
        assert added == 6, "built through the services, so every step is recorded"
        # Responses typed in from paper, phone and events, so results have something to show.
        responses = db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)
        )
        assert responses == 23
    page = client.get(f"/areas/northshire/consultations/{consultation.slug}")
    assert "The survey has 6 questions." in page.get_data(as_text=True)
    _check_green_paper(app, client, auth)


def _check_green_paper(app, client, auth):
    """The second part of the test above (the seed runs once: it takes seconds)."""
    with app.app_context():
        green = db.session.scalar(select(Consultation).where(Consultation.title == GREEN_PAPER))
        assert green.state is ConsultationState.OPEN
        survey = db.session.scalar(select(Survey).where(Survey.consultation_id == green.id))
        assert survey.numbering is Numbering.OWN
        assert survey.layout is SurveyLayout.SECTION_PER_PAGE
        sections = db.session.scalars(
            select(Section).where(Section.survey_id == survey.id).order_by(Section.position)
        ).all()
        assert [s.heading for s in sections] == [
            "Chapter 1: Spotting needs early",
            "Chapter 2: Education, health and care plans",
            "Chapter 3: Preparing for adulthood",
        ]
        assert all(s.intro for s in sections)
        questions = questions_of(survey)
        written = [q for q in questions if q.kind is QuestionKind.LONG_TEXT]
        assert [q.number for q in written] == ["1", "2a", "2b", "3", "4", "5", "6", "7"]
        assert {q.max_words for q in written} == {250}
        assert all(q.section_id for q in questions), "every question is in a chapter"
        assert questions[-1].kind is QuestionKind.CONSENT
        documents = db.session.scalars(
            select(Document).where(
                Document.owner_kind == "consultation", Document.owner_id == green.id
            )
        ).all()
        assert {d.format for d in documents} == {DocumentFormat.BSL, DocumentFormat.EASY_READ}
        assert all(d.link_url.startswith("https://") for d in documents)
        changes = db.session.scalars(
            select(DateChange).where(DateChange.consultation_id == green.id)
        ).all()
        assert any("easy read" in (c.reason or "") for c in changes)
        responses = db.session.scalars(
            select(Response).where(
                Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED
            )
        ).all()
        assert len(responses) == 4 and sum(r.may_quote for r in responses) == 3
        assert all(r.user_id for r in responses), "members' own answers, sent online"
        texts = db.session.scalars(
            select(Answer.text).where(
                Answer.response_id.in_([r.id for r in responses]),
                Answer.question_id.in_([q.id for q in written]),
            )
        ).all()
        assert len(texts) == 10 and all(0 < count_words(t) <= 250 for t in texts)
        slug = green.slug
    page = client.get(f"/areas/northshire/consultations/{slug}").text
    assert "British Sign Language" in page and "Easy read" in page
    assert "The easy read version came a week later than planned." in page
    auth.login(MEMBER.email, MEMBER.password)
    answer = client.get(
        f"/areas/northshire/consultations/{slug}/survey/answer", follow_redirects=True
    )
    assert answer.status_code == 200 and "/answer/section/" in answer.request.path
    assert "Chapter 1: Spotting needs early" in answer.text and "2a" in answer.text
    assert "Up to 250 words" in answer.text
