"""Clinicians' API tokens: create (shown once), list, revoke."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import clinician_required
from tracker.forms.exports import ApiTokenForm
from tracker.services.api_tokens import api_token_create, api_token_revoke

NEW_TOKEN_SESSION_KEY = "new_api_token"  # noqa: S105 - a session key name


@never_cache
@clinician_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        # Kept in the session only until the next page shows it, once.
        request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "raw": raw}
        messages.success(request, f"Token “{token.name}” created. Copy it now.")
        return redirect("tracker:api_tokens")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    context = {
        "form": form,
        "tokens": request.user.api_tokens.all(),
        "new_token": new_token,
    }
    return render(request, "tracker/api/tokens.html", context)


@clinician_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” was revoked. It no longer works.")
    return redirect("tracker:api_tokens")
