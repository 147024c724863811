"""Public subscribers: anyone may ask for a forum's public announcements (consultations,
newsletters, events) with an email address and no account. Nothing is sent but a
confirmation email until they follow its link (double opt-in); after that a signed link
(`tokens.py`) opens their own choices, where they can also delete the subscription, which
deletes everything kept about them. Unconfirmed requests are deleted after a week."""
