"""JSON bodies held to the limits Django puts on form posts.

Django refuses a form post with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields, and a form value
cannot carry a lone UTF-16 surrogate (it is not valid UTF-8). JSON can carry both ("\\ud800" is
legal JSON), and DRF would pass such a string on to be stored or echoed in an error message, where
encoding it fails with a 500. So a body with either is refused here, as 400.
"""

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _count_values(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_count_values(v) for v in value.values())
    if isinstance(value, list):
        return len(value) + sum(_count_values(v) for v in value)
    return 0


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError("The body holds text that is not valid Unicode.") from None
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        if limit is not None and _count_values(data) > limit:
            raise ParseError(f"The body has more than {limit} values.")
        return data
