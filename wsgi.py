"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

from collab import create_app

app = create_app()
