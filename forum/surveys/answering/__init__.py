"""Answering a survey: the start page, the questions (all on one page, or one on each page with a
page to check the answers), saving to come back later, the confirmation, and the organiser's
page for typing in paper, phone and event responses."""
