"""The JSON request parser: a body nested deeper than any command takes is refused with 400.

Python's parser recurses once per level, so a body of thousands of `[` overflowed the stack (a
500); one nested within that limit would still overflow later code that walks it (the
idempotency fingerprint, the serializers). No command's input is nested more than a few levels.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - nested deeper than {MAX_DEPTH} levels."


def depth(value) -> int:
    """Return how deeply lists and objects nest in a parsed JSON value (a scalar: 0)."""
    deepest, todo = 0, [(value, 1)]
    while todo:  # a loop, not recursion: the value may be as deep as the parser allowed
        item, level = todo.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            todo.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than MAX_DEPTH."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
