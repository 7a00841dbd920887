"""Root URLs. Each area has its own urls module with an app_name."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.cache import never_cache

from tracker.forms.accounts import LoginForm
from tracker.forms.admin_login import AdminLoginForm
from tracker.views import pwa

admin.site.login_form = AdminLoginForm  # refuses over-long usernames before axes records them

urlpatterns = [
    # The installable app (docs/checkin.md, "Offline"): at the root, so the worker's scope is "/".
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    # Django's other sign-in pages already send never-cache; this one does not.
    path(
        "accounts/password_reset/",
        never_cache(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("tracker.api.urls")),
    path("rehab/", include("rehab.urls")),
    path("", include("tracker.app_urls")),
]
