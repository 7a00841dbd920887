"""Token authentication for integrations: `Authorization: Token pt_...`, looked up by hash."""

from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from tracker.models import ApiToken, Role
from tracker.services.api_tokens import api_token_mark_used, hash_token


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing, our hashed, revocable, clinician-only tokens."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(key), revoked_at__isnull=True)
            .first()
        )
        # One message for every failure, so a caller learns nothing about which tokens exist.
        if token is None or not token.user.is_active or token.user.role != Role.CLINICIAN:
            raise AuthenticationFailed("Invalid or revoked token.")
        api_token_mark_used(token=token)
        return token.user, token
