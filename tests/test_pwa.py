"""The installable app (issue 15): the manifest, its icons, /favicon.ico and the service worker
at the root, all served locally under the strict CSP; the offline scripts only on a signed-in
patient's pages. The offline check-in itself is tests/browser/test_offline_checkin.py."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests.factories import rehab_brace

pytestmark = pytest.mark.django_db


def static_file(url: str) -> Path:
    path = finders.find(url.removeprefix(settings.STATIC_URL.rstrip("/") + "/").lstrip("/"))
    assert path, f"{url} is not a static file"
    return Path(path)


def test_it_describes_an_installable_app(client):
    response = client.get(reverse("manifest"))

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "ParsTrack" and manifest["short_name"] == "ParsTrack"
    where = (manifest["start_url"], manifest["scope"], manifest["display"])
    assert where == ("/", "/", "standalone")
    css = Path(settings.BASE_DIR, "static", "css", "app.css").read_text()
    assert f"--brand: {manifest['theme_color']};" in css


@pytest.mark.parametrize("purpose", ["any", "maskable"])
@pytest.mark.parametrize("size", [192, 512])
def test_it_names_icons_that_exist_at_their_size(client, purpose, size):
    icons = client.get(reverse("manifest")).json()["icons"]

    icon = next(i for i in icons if i["purpose"] == purpose and i["sizes"] == f"{size}x{size}")
    with Image.open(static_file(icon["src"])) as image:
        assert image.format == "PNG" and image.size == (size, size)


def test_every_page_links_the_manifest_and_an_apple_touch_icon(client):
    page = client.get(reverse("login")).content.decode()

    assert f'<link rel="manifest" href="{reverse("manifest")}">' in page
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)"', page).group(1)
    with Image.open(static_file(touch)) as image:
        assert image.size == (180, 180)


def test_it_answers_favicon_ico_with_an_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_it_serves_the_service_worker_for_the_whole_site_under_the_csp(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_the_service_worker_loads_only_local_files(client):
    body = client.get("/sw.js").content.decode()

    urls = re.findall(r'"(/static/[^"]+)"', body.splitlines()[0])
    assert len(urls) == 7  # six libraries and the notification icon
    for url in urls:
        static_file(url)
    assert "https://" not in body and "http://" not in body


def test_a_patient_page_carries_the_offline_check_in(patient_client, patient):
    page = patient_client.get(reverse("tracker:checkin")).content.decode()

    assert f'data-offline-owner="{patient.user.pk}"' in page
    assert 'id="offline-queue"' in page
    for script in ("vendor/idb/umd.js", "js/offline-queue.js", "js/offline.js"):
        assert f'src="/static/{script}"' in page


def test_a_clinician_page_has_no_offline_check_in(clinician_client):
    page = clinician_client.get(reverse("tracker:patient_list")).content.decode()

    assert "data-offline-owner" not in page and "offline.js" not in page
    assert 'src="/static/js/sw-register.js"' in page


def test_a_signed_out_page_tells_the_worker_to_forget_kept_pages(client):
    page = client.get(reverse("login")).content.decode()

    assert "data-signed-out" in page and "offline.js" not in page


def test_the_brace_part_names_the_prescribed_hours_for_an_offline_save(patient_client, patient):
    rehab_brace(patient, valid_from=patient.local_today() - dt.timedelta(days=3), hours="22.5")

    page = patient_client.get(reverse("tracker:checkin")).content.decode()

    assert 'data-brace-target="22.5"' in page
