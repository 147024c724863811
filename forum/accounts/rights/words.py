"""The audit log's actions in plain words, for a person reading what they did.

Every action an area records (`forum.audit.services.record`) has words here; one that does
not (a new action not yet added) is still shown, spelled out from its dotted name.
"""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    "account.registered": "Created your account",
    "account.verified": "Confirmed your email address",
    "account.password_changed": "Changed your password",
    "account.password_reset": "Reset your password with an emailed link",
    "account.profile_updated": "Changed your name",
    "account.email_change_requested": "Asked to change your email address",
    "account.email_changed": "Changed your email address",
    "account.email_retried": "Asked us to send emails to your address again",
    "area.created": "Created an area",
    "area.updated": "Changed an area's forum settings",
    "partner.added": "Added a partner organisation",
    "membership.requested": "Asked to join a forum",
    "membership.approved": "Approved a request to join a forum",
    "membership.declined": "Declined a request to join a forum",
    "membership.role_changed": "Changed someone's role in a forum",
    "plan.created": "Created a local plan",
    "plan.updated": "Changed a local plan",
    "plan.published": "Published a local plan",
    "plan.unpublished": "Took a local plan back to draft",
    "plan.deleted": "Deleted a local plan",
    "plan.imported": "Imported a local plan from a file",
    "priority.added": "Added a priority to a local plan",
    "priority.updated": "Changed a priority in a local plan",
    "priority.moved": "Moved a priority in a local plan",
    "priority.deleted": "Deleted a priority from a local plan",
    "commitment.added": "Added a commitment to a local plan",
    "commitment.updated": "Changed a commitment in a local plan",
    "commitment.deleted": "Deleted a commitment from a local plan",
    "commitment.progress": "Posted a progress update on a commitment",
    "consultation.created": "Created a consultation",
    "consultation.updated": "Changed a consultation",
    "consultation.published": "Published a consultation",
    "consultation.unpublished": "Took a consultation back to draft",
    "consultation.opened_early": "Opened a consultation early",
    "consultation.extended": "Extended a consultation",
    "consultation.closed_early": "Closed a consultation early",
    "consultation.responded": "Marked a consultation as responded to",
    "consultation.response_published": "Published the response to a consultation",
    "survey.created": "Created a survey",
    "survey.copied": "Copied questions into a survey",
    "survey.settings_changed": "Changed a survey's settings",
    "survey.results_published": "Changed who can see a survey's results",
    "survey.exported": "Downloaded a survey's responses",
    "survey.response_submitted": "Sent your answers to a survey",
    "survey.response_entered": "Typed in a response received on paper, by phone or at an event",
    "survey.code_created": "Made a code for written answers",
    "survey.answer_tagged": "Tagged a written answer with a code",
    "survey.answer_untagged": "Took a code off a written answer",
    "question.added": "Added a question to a survey",
    "question.changed": "Changed a survey question",
    "question.moved": "Moved a survey question",
    "question.hidden": "Hid a survey question",
    "question.shown": "Showed a hidden survey question again",
    "question.deleted": "Deleted a survey question",
    "survey.section_added": "Added a section to a survey",
    "survey.section_changed": "Changed a section of a survey",
    "survey.section_moved": "Moved a section of a survey",
    "survey.section_deleted": "Deleted a section of a survey",
    "board.created": "Created a discussion board",
    "board.changed": "Changed a discussion board",
    "discussions.settings_changed": "Changed a forum's discussion settings",
    "thread.pinned": "Pinned a discussion",
    "thread.unpinned": "Unpinned a discussion",
    "thread.locked": "Locked a discussion",
    "thread.unlocked": "Unlocked a discussion",
    "post.approved": "Approved a post that was waiting",
    "post.hidden": "Hid a post",
    "post.auto_hidden": "A post was hidden after reports",
    "post.reports_dismissed": "Dismissed reports about a post",
    "member.suspended": "Stopped someone posting for a while",
    "member.suspension_lifted": "Let someone post again",
    "theme.created": "Created a theme",
    "theme.updated": "Changed a theme",
    "theme.moved": "Moved a theme",
    "theme.deleted": "Deleted a theme",
    "theme.evidence_added": "Added evidence to a theme",
    "theme.evidence_removed": "Took evidence off a theme",
    "decision.given": "Gave a partner's decision on a theme",
    "decision.changed": "Changed a partner's decision",
    "decision.reviewed": "Gave the forum's view on a decision",
    "decision.commitment_created": "Made a commitment from a decision",
    "decision.commitment_linked": "Linked a decision to a commitment",
    "decision.commitment_unlinked": "Unlinked a decision from a commitment",
}

#: what others did that is about the person themself (the subject is their account)
ABOUT_YOU: dict[str, str] = {
    "member.suspended": "An organiser stopped you posting in a forum for a while",
    "member.suspension_lifted": "An organiser let you post again",
}


def action_words(action: str, *, about_you: bool = False) -> str:
    if about_you and action in ABOUT_YOU:
        return ABOUT_YOU[action]
    if action in ACTIONS:
        return ACTIONS[action]
    return action.replace(".", ": ").replace("_", " ").capitalize()
