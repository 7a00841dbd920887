"""Swagger UI under our Content Security Policy.

drf-spectacular's split view serves Swagger UI's start-up script as a file (not inline), and our
copy of its page template drops the inline <style> block for a stylesheet; the UI's own files come
from drf-spectacular-sidecar through whitenoise. So the docs need no CSP exception.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
