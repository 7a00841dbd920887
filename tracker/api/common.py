"""What every endpoint shares: who may call it (404 for the wrong role) and documented errors."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission

from tracker.models import Role


class StrictJSONParser(JSONParser):
    """JSON, but text that is not valid Unicode (a lone surrogate, "\\ud800") is a 400.

    JSON may escape half of a surrogate pair on its own; Python decodes it to a string that
    cannot be encoded as UTF-8, so echoing it in an error message, or storing it in PostgreSQL,
    failed with a 500.
    """

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _refuse_surrogates(data)
        return data


def _refuse_surrogates(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - text must be valid Unicode.") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_surrogates(key)
            _refuse_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_surrogates(item)


class _RoleRequired(BasePermission):
    role: str

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False  # DRF answers 401 (with the token scheme's WWW-Authenticate header)
        if user.role != self.role:
            # As everywhere in ParsTrack: the wrong kind of user is told nothing exists here.
            raise NotFound()
        return True


class IsClinician(_RoleRequired):
    role = Role.CLINICIAN

    def has_permission(self, request: Any, view: Any) -> bool:
        allowed = super().has_permission(request, view)
        if allowed and request.user.clinic_id is None:
            raise NotFound()
        return allowed


class IsPatient(_RoleRequired):
    role = Role.PATIENT


Detail = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})
# DRF's validation errors, {"field": ["message", ...], ...}, or {"detail": "..."} for a body
# that is not JSON at all.
ValidationErrors = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
}

ERRORS = {
    400: OpenApiResponse(
        ValidationErrors,
        description="Invalid input: an object whose keys are field or parameter names, each with "
        "a list of messages (`non_field_errors` for the whole body); `detail` when the body is "
        "not JSON.",
    ),
    401: OpenApiResponse(Detail, description="Not authenticated, or the token is invalid/revoked."),
    403: OpenApiResponse(
        Detail, description="Forbidden: a session request that writes without a CSRF token."
    ),
    404: OpenApiResponse(
        Detail,
        description="Not found, or not yours to see (another patient, a patient outside your "
        "care teams, an endpoint for another role, a page past the end).",
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses for an endpoint."""
    return {code: ERRORS[code] for code in codes}


def not_found(request: HttpRequest) -> JsonResponse:
    """Any other path under /api/: the API's JSON 404 rather than the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)
