"""WSGI entry point. Defaults to the production profile so a bare gunicorn start is safe."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("PARSTRACK_ENV", "production")

application = get_wsgi_application()
