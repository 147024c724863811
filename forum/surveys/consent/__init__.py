"""Consent to be quoted: its history, and the page where people withdraw it (at any time, also
after the consultation closes) or give it again (while the consultation is open).

`Response.may_quote` is consent as it stands, which every published quote is read through
(themes, the published "you said, we did", coding), so withdrawing takes the person's words out
of every page and file at once. `QuoteConsent` keeps each change with its time and the words the
person was shown. Account holders reach the page from their named responses; anyone else by a
private link shown on their confirmation page, of which only a digest is stored.
"""
