"""Waiting for your answer: for a partner organisation's responders, the themes of their
area's closed consultations their organisation has not answered yet, oldest first, with each
consultation's response clock. Where responders land when they sign in."""
