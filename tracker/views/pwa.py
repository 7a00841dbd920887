"""What makes ParsTrack an installable app: the web app manifest, the service worker (served at
the site's root so its scope is "/") and /favicon.ico. The worker's code is static/js/sw.js;
docs/checkin.md ("Offline") says what it caches and why."""

import json

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# The app's colour (static/css/app.css `--brand`), for the browser's bar and the splash screen.
THEME_COLOUR = "#0b5cad"
SW_SOURCE = settings.BASE_DIR / "static" / "js" / "sw.js"
ICON_SIZES = (192, 512)
# The worker's own files, as static URLs (hashed in production), so it loads nothing from elsewhere.
SW_LIBRARIES = {
    "workbox-sw": "vendor/workbox-sw/workbox-sw.js",
    "workbox-core": "vendor/workbox-core/workbox-core.prod.js",
    "workbox-routing": "vendor/workbox-routing/workbox-routing.prod.js",
    "workbox-strategies": "vendor/workbox-strategies/workbox-strategies.prod.js",
    "idb": "vendor/idb/umd.js",
    "queue": "js/offline-queue.js",
    # Shown beside a push notification (not imported).
    "icon": "img/icon-192.png",
}


def manifest_data() -> dict:
    icons = [
        {
            "src": static(f"img/icon-{kind}{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for kind, purpose in (("", "any"), ("maskable-", "maskable"))
        for size in ICON_SIZES
    ]
    return {
        "id": "/",
        "name": "ParsTrack",
        "short_name": "ParsTrack",
        "description": "Your daily back check-in, with your care team.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "lang": "en-GB",
        "icons": icons,
    }


@require_safe
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (name, icons, colours, start URL, standalone display)."""
    return HttpResponse(json.dumps(manifest_data()), content_type="application/manifest+json")


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at /sw.js (scope "/"), preceded by the URLs of the files it imports."""
    urls = {name: static(path) for name, path in SW_LIBRARIES.items()}
    body = f"self.PARSTRACK_FILES = {json.dumps(urls)};\n" + SW_SOURCE.read_text()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@cache_control(max_age=86400)
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, for browsers and tools that ask for it whatever the page names."""
    path = settings.BASE_DIR / "static" / "img" / "favicon.ico"
    return FileResponse(path.open("rb"), content_type="image/x-icon")
