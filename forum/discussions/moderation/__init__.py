"""Moderation: members report posts; organisers (and admins, never responders) approve held
posts, dismiss reports, hide posts with a reason, lock threads and stop a member posting for a
while. Every action is recorded in the audit log and explained to the author.
"""
