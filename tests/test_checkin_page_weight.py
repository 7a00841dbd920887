"""The check-in page stays light on a slow phone network: under 60 KB transferred (gzip).

Measures what a browser would fetch: the page's HTML plus every local stylesheet and script it
links, each gzipped as whitenoise serves them. The number is recorded in docs/checkin.md.
"""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db
BUDGET = 60 * 1024


def _gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def test_it_weighs_under_60_kb_gzipped(patient_client, patient, capsys):
    html = patient_client.get(reverse("tracker:checkin")).content
    assets = re.findall(rb'<(?:link[^>]+href|script[^>]+src)="([^"]+)"', html)
    local = [a.decode() for a in assets if a.decode().startswith(settings.STATIC_URL)]

    sizes = {"HTML": _gzipped(html)}
    for url in local:
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is linked but not found"
        with open(path, "rb") as file:
            sizes[url] = _gzipped(file.read())
    total = sum(sizes.values())

    assert any(url.endswith(".css") for url in local), "the stylesheet was not measured"
    with capsys.disabled():
        print(f"\ncheck-in page weight (gzip): {sizes} total={total} bytes")
    assert total < BUDGET, f"{total} bytes: {sizes}"
