"""The demo's survey: six questions with one show-if, built through the services."""

from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.surveys.models import QuestionKind, Response, ResponseStatus, Survey
from forum.surveys.queries import questions_of


def test_demo_consultation_has_a_six_question_survey(app, client):
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
