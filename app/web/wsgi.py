"""WSGI entry point for gunicorn (``app.web.wsgi:server``); the only module that builds the app on import."""

from app.web.server import create_app

server = create_app().server
