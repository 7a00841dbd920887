"""Small request helpers shared by views."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest) -> str | None:
    """The `next` address (form field, else query string) if it stays on this site, else None.

    Use as `redirect(safe_next(request) or "tracker:home")`: an address elsewhere, or an http one
    from an https page, is never followed (an open redirect would lend this site's name to
    phishing).
    """
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
