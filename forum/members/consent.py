"""The words a person agrees to before telling a forum about their family, shown on the form
each time and again on the privacy notice. A change to what they mean moves
`models.CONSENT_VERSION` on, and everyone is asked again before their next change."""

#: what the answers are for, in plain words
PURPOSE = (
    "{forum} uses these answers only to count who it hears from: how many families of each "
    "kind are members and answer its surveys, compared with all the families with special "
    "educational needs in the area. That shows which families the forum is missing, so it "
    "can reach them."
)

#: who sees what
WHO_SEES = (
    "Nobody at the forum sees your answers on their own, the organisers included: they see "
    "only totals, and never a total of fewer than 5 families. The council, the NHS and other "
    "partners see nothing of them. We never put them in emails, exports or addresses."
)

#: what the person can do
RIGHTS = (
    "Every question is optional. You can change your answers, or withdraw your agreement "
    "and delete them all, at any time from your account."
)

#: the tick box
AGREE = "I agree to {forum} keeping these answers about my family, for the purpose above"
