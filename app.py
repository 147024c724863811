"""Entry point for gunicorn and `flask`: nothing else belongs here."""

from forum import create_app

app = create_app()
