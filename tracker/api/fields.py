"""Serializer fields shared by the API's serializers."""

from typing import Any

from rest_framework import serializers


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice the database stores as "" when unanswered, answered to API clients as null.

    The schema then says what the API returns: one of the choices, or null (`allow_null` is
    set), never an empty string that is not among the choices. Writing, null is "unanswered"
    and is stored as "".
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return None if value in ("", None) else super().to_representation(value)

    def to_internal_value(self, data: Any) -> Any:
        return "" if data is None else super().to_internal_value(data)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        # DRF answers null with None before to_internal_value runs: store "unanswered" as "".
        is_empty, value = super().validate_empty_values(data)
        return is_empty, ("" if is_empty and value is None else value)
