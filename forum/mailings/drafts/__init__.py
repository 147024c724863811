"""Reminders about answers saved but not sent: a member who saved answers to a consultation's
survey and has not sent them gets one email before it closes, once per person and
consultation (`models.DraftReminder` is the record and the lock).

Only surveys that are not anonymous: an anonymous survey's draft carries no account, only a
keyed hash of it (`surveys.answering.keys.respondent_key`), and finding whose it is would mean
working out every member's key and storing that this person has a draft there, which is the
join the design forbids. People answering anonymous surveys get the consultation's general
reminder instead, which goes to everyone, and see "You have answers saved but not sent" on the
consultation page and their account page, worked out for them alone when they look.
"""
