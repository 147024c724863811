"""forum/jobs.py: `flask worker` delivers the outbox and runs the due jobs; `flask jobs list`
and `flask jobs run` (through the CLI runner, as tests/test_cli.py does)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from forum import hooks
from forum.extensions import db
from forum.notifications import services as outbox
from forum.notifications.models import OutboxMessage
from forum.scheduling import Daily, Every, Job, JobRun


def _queue(app, to="parent@example.org"):
    with app.test_request_context():
        outbox.queue_email(
            to,
            "password_changed",
            kind="password_changed",
            user=type("U", (), {"display_name": "Sam"})(),
        )
        db.session.commit()


class Work:
    def __init__(self, did=3, fail=False):
        self.calls = 0
        self.did, self.fail = did, fail

    def __call__(self, now):
        self.calls += 1
        if self.fail:
            raise RuntimeError("broken")
        return self.did


def test_worker_once_delivers_email_and_runs_the_due_jobs(app, caplog):
    caplog.set_level(logging.INFO, logger="coproduce.outbox")
    _queue(app)
    work = Work()
    job = Job("test.hourly", Every(minutes=60), work)
    runner = app.test_cli_runner()
    with hooks.scheduled_jobs.replaced(job):
        first = runner.invoke(args=["worker", "--once"])
        assert first.exit_code == 0, first.output
        assert "email: sent 1," in first.output
        assert "test.hourly (" in first.output and "): 3" in first.output
        assert "Your Coproduce password has been changed" in caplog.text
        # Another pass (another worker, or the next tick): nothing more to do.
        again = runner.invoke(args=["worker", "--once"])
        assert again.exit_code == 0, again.output
        assert "email: sent 0," in again.output and "test.hourly" not in again.output
    assert work.calls == 1
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.sent_at is not None
        [run] = db.session.scalars(select(JobRun)).all()
        assert (run.name, run.result, run.state) == ("test.hourly", 3, "done")


def test_worker_once_runs_every_registered_job_on_an_empty_forum(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    for name in (
        "retention.purges",
        "outbox.purge",
        "outcomes.refresh-figures",
        "surveys.seal-closed",
        "jobs.forget-old-runs",
        "mailings.announce-openings",
        "mailings.consultation-reminders",
        "mailings.unsent-answers",
    ):
        assert f"{name} (" in result.output
    assert "failed" not in result.output


def test_worker_once_says_when_a_job_failed(app):
    with hooks.scheduled_jobs.replaced(Job("test.broken", Every(minutes=5), Work(fail=True))):
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code != 0
    assert "test.broken (" in result.output and "failed (RuntimeError)" in result.output


def test_jobs_list_shows_the_last_run_and_when_next(app):
    daily = Job("test.daily", Daily(hour=3), Work(), "a test job")
    often = Job("test.often", Every(minutes=60), Work())
    runner = app.test_cli_runner()
    with hooks.scheduled_jobs.replaced(daily, often):
        before = runner.invoke(args=["jobs", "list"])
        assert before.exit_code == 0, before.output
        assert "test.daily: daily at 3:00am (London time) - a test job" in before.output
        assert "test.often: every hour" in before.output
        assert before.output.count("last run: never") == 2
        assert before.output.count("next due: now") == 2
        runner.invoke(args=["worker", "--once"])
        after = runner.invoke(args=["jobs", "list"])
    assert "last run: never" not in after.output
    assert after.output.count(", done ") == 2 and ": 3" in after.output
    assert "next due: now" not in after.output


def test_jobs_run_runs_one_now_still_claimed(app):
    work = Work(did=5)
    job = Job("test.daily", Daily(hour=3), work)
    runner = app.test_cli_runner()
    with hooks.scheduled_jobs.replaced(job):
        result = runner.invoke(args=["jobs", "run", "test.daily"])
        assert result.exit_code == 0, result.output
        assert "test.daily (manual:" in result.output and "): 5" in result.output
        # --due claims the scheduled due time: the worker does not run it again.
        due = runner.invoke(args=["jobs", "run", "test.daily", "--due"])
        assert due.exit_code == 0, due.output
        again = runner.invoke(args=["jobs", "run", "test.daily", "--due"])
        assert again.exit_code != 0 and "already" in again.output
        worker = runner.invoke(args=["worker", "--once"])
        assert "test.daily" not in worker.output
        unknown = runner.invoke(args=["jobs", "run", "no.such-job"])
        assert unknown.exit_code != 0 and "test.daily" in unknown.output
    assert work.calls == 2
