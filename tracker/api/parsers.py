"""JSON bodies held to the limits Django puts on form posts.

Django refuses a form post with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields, and a form value
cannot carry a lone UTF-16 surrogate (it is not valid UTF-8). JSON can carry both ("\\ud800" is
legal JSON), and DRF would pass such a string on to be stored or echoed in an error message, where
encoding it fails with a 500. So a body with either is refused here, as 400.

A form value is also flat, while JSON nests: a body nested hundreds of levels deep exhausted
Python's recursion limit (in the value count below, deeper in the decoder itself), a 500. No body
the API reads nests more than a few levels (a check-in's `sections` is the deepest, 3), so a body
nested more than `MAX_DEPTH` levels is refused as 400, and every walk of the value is a loop, not
a recursion. Found by tests/test_hostile_input.py.
"""

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"The body is nested more than {MAX_DEPTH} levels deep."


def _depth_and_count(value: Any) -> tuple[int, int]:
    """How deep the containers nest (a scalar is 0) and how many values they hold, in one loop."""
    deepest, count = 0, 0
    pending = [(value, 1)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, dict):
            children = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break  # refused: no need to walk the rest
        count += len(children)
        pending.extend((child, depth + 1) for child in children)
    return deepest, count


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The decoder recurses once a level: far too deep for us whatever the limit is.
            raise ParseError(TOO_DEEP) from None
        depth, count = _depth_and_count(data)
        if depth > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError("The body holds text that is not valid Unicode.") from None
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        if limit is not None and count > limit:
            raise ParseError(f"The body has more than {limit} values.")
        return data
