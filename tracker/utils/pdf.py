"""HTML to PDF with WeasyPrint, fetching nothing from the network: the only files a page may load
are this app's own static files (its stylesheet), read from disk (docs/dependencies.md)."""

import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base the page's relative links resolve against; never a real host, so never fetched.
BASE_URL = "https://parstrack.invalid/"


def _static_path(url: str) -> str | None:
    """The file on disk of one of our static URLs, or None for anything else."""
    prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        return None
    name = url.removeprefix(prefix).split("?")[0].split("#")[0]
    if not name or ".." in name.split("/"):
        return None
    found = finders.find(name)
    if found:
        return found
    if staticfiles_storage.exists(name):  # production: the collected (hashed) copies
        return staticfiles_storage.path(name)
    return None


class LocalStaticFetcher(URLFetcher):
    """Serves our static files from disk and refuses every other URL (no network, no file:)."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = _static_path(url)
        if path is None:
            raise ValueError(f"Not fetched in a PDF: {url}")
        with open(path, "rb") as handle:
            body = handle.read()
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": kind})


def html_to_pdf(html: str) -> bytes:
    """A PDF of the page as it prints (its print CSS), with only our own static files."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LocalStaticFetcher()).write_pdf()
