"""The product's URLs (tracker.urls) and the bench-only views under /bench/."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/fixed/", views.fixed, name="bench_fixed"),
    path("bench/write/", views.write, name="bench_write"),
    path("", include("tracker.urls")),
]
