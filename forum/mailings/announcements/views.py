"""The organisers' "Emails about this consultation" page: who hears what, the reminder
settings, and what has been sent. Linked from the consultation's organiser actions through
`hooks.consultation_page_sections` (`organiser_links`)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from forum.consultations.models import Audience
from forum.consultations.queries import load_consultation
from forum.mailings import bp
from forum.mailings.announcements import queries, services
from forum.mailings.announcements.forms import ReminderForm
from forum.mailings.announcements.permissions import can_manage_announcements
from forum.web.auth import access
from forum.web.submit import accept, form_page

ORGANISERS = (
    "Only organisers of {area.forum_name} can choose what its consultations send. If you should "
    "be one, ask an organiser of the forum to appoint you."
)


def settings_url(consultation) -> str:
    return url_for(
        "mailings.consultation_emails", area_slug=consultation.area.slug, slug=consultation.slug
    )


def organiser_links(consultation) -> list[tuple[str, str]]:
    """For the consultation page's organiser actions: this page, for those who may use it."""
    if not can_manage_announcements(current_user, consultation.area):
        return []
    return [("Emails about this consultation, and the reminder", settings_url(consultation))]


@bp.route("/areas/<area_slug>/consultations/<slug>/emails", methods=["GET", "POST"])
@access(can_manage_announcements, load=load_consultation, subject="area", explain=ORGANISERS)
def consultation_emails(area, consultation):
    settings = services.settings_for(consultation)
    anonymous = queries.is_anonymous(consultation)
    form = ReminderForm(
        data={
            "reminder": "on" if settings.is_on else "off",
            "days_before": str(settings.days_before),
        },
        anonymous=anonymous,
    )
    done = accept(
        form,
        lambda: services.save_reminder_settings(
            consultation,
            is_on=form.reminder.data == "on",
            days_before=form.days(settings.days_before),
            actor=current_user,
        ),
        refused=services.SettingsRefused,
        field="days_before",
        then=lambda _: consultation.url,
        message="Your reminder settings are saved.",
        row=settings,
        what="the reminder settings",
    )
    return done or form_page(
        "mailings/announcements/settings.html",
        form,
        area=area,
        consultation=consultation,
        anonymous=anonymous,
        is_public=consultation.audience is Audience.PUBLIC,
        reminder_at=queries.reminder_at(consultation, settings),
        sent=queries.announcements_of(consultation),
    )
