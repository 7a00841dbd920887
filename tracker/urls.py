"""Root URLs. Each area has its own urls module with an app_name."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("tracker.api.urls")),
    path("rehab/", include("rehab.urls")),
    path("", include("tracker.app_urls")),
]
