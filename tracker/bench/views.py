"""Bench-only: the framework's ceiling, a view that returns a fixed response with no database."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def fixed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("fixed/", fixed, name="bench_fixed")]
