"""ASGI entry point. Defaults to the production profile, like wsgi.py."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("PARSTRACK_ENV", "production")

application = get_asgi_application()
