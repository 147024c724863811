"""Daily and weekly digests: the optional emails a person chose to have together, once a day
or once a week, instead of one by one.

`preferences.notify` keeps a `DigestItem` for each; `services.send_digests(now, frequency)`
(run by the scheduler at 07:00 Europe/London, daily, and on Mondays for the weekly one) makes
one email per person per area, grouped by topic, from what that person may still see at the
moment it is made. Its unsubscribe link stops the whole digest (`views`).
"""
