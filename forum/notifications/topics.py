"""What kinds of optional email there are, and how often a person may have them.

A *topic* is a kind of email a person can turn off: consultations opening and closing,
newsletters, what happened to their feedback, replies in threads they follow, events. Every
other email (confirming an address, resetting a password, the moderation of one's own post) is
a service email: it has no topic and cannot be turned off. A person's choice is per area and
per topic (`models.EmailPreference`); with no row, the topic's `default` applies.
"""

from __future__ import annotations

import enum


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {
            "immediately": "Straight away",
            "daily": "In a daily email",
            "weekly": "In a weekly email",
            "never": "Never",
        }[self.value]

    @property
    def is_digest(self) -> bool:
        return self in (Frequency.DAILY, Frequency.WEEKLY)


class Topic(enum.StrEnum):
    CONSULTATIONS = "consultations"
    NEWSLETTERS = "newsletters"
    OUTCOMES = "outcomes"
    REPLIES = "replies"
    EVENTS = "events"

    @property
    def label(self) -> str:
        return TOPIC_TEXT[self][0]

    @property
    def hint(self) -> str:
        return TOPIC_TEXT[self][1]

    @property
    def default(self) -> Frequency:
        """What a person gets before they choose: service messages on, newsletters only for
        those who opted in (asked, unticked, on joining)."""
        return Frequency.NEVER if self is Topic.NEWSLETTERS else Frequency.IMMEDIATELY

    @property
    def for_subscribers(self) -> bool:
        """Public subscribers (an address, no account) can have this topic: public
        announcements only, never anything about a person's own feedback or threads."""
        return self in SUBSCRIBER_TOPICS


TOPIC_TEXT = {
    Topic.CONSULTATIONS: (
        "Consultations",
        "When a consultation opens, a reminder before it closes, changes to its dates, and "
        "when partners publish what they did with what families said.",
    ),
    Topic.NEWSLETTERS: ("Newsletters and messages", "News and messages from the forum."),
    Topic.OUTCOMES: (
        "What happened to your feedback",
        "When a theme you contributed to gets an answer, or a promise linked to it changes.",
    ),
    Topic.REPLIES: ("Replies in discussions you follow", "New replies in threads you follow."),
    Topic.EVENTS: ("Events", "New events, and reminders for events you registered for."),
}

SUBSCRIBER_TOPICS = (Topic.CONSULTATIONS, Topic.NEWSLETTERS, Topic.EVENTS)

#: what a person who subscribes without an account gets, before choosing: they asked for the
#: forum's public announcements, so every public topic is on
SUBSCRIBER_DEFAULT = Frequency.IMMEDIATELY
