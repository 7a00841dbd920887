"""Bench-only views (bench.urls): the framework's ceiling the runner measures beside the product.

- `fixed`: a fixed response with no database work, the read ceiling.
"""

from django.http import HttpRequest, HttpResponse


def fixed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")
