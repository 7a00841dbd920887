"""Every page names an icon that exists, so a browser's automatic /favicon.ico request (a 404 in
the console, which Lighthouse's best practices count) is never made."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_names_an_icon_that_exists(client):
    page = client.get(reverse("login")).content.decode()

    href = re.search(r'<link rel="icon" href="/static/([^"]+)"', page).group(1)
    assert finders.find(href.split("?")[0]) or finders.find(re.sub(r"\.[0-9a-f]{12}\.", ".", href))
