"""Reading values from URLs: what the database can hold, or "not found".

`int()` takes more than a URL should give it: "²" passes `str.isdigit()` and then fails `int()`,
"٣" and "１" are read as 3 and 1, and 2**70 is a fine Python int that neither SQLite nor a
PostgreSQL INTEGER column can take. Every number read from a path or a query string goes through
here, so that anything else is "not found" (or the form's own error), never a server error.
Likewise a path segment never holds a control character: PostgreSQL refuses NUL in text.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

# Ids are INTEGER columns (32-bit signed on PostgreSQL); no number in a URL needs more.
INT_MAX = 2**31 - 1


def parse_int(text: str | None, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """The number `text` spells in ASCII digits, if it is within [minimum, maximum]; else None.

    The length is checked before `int()` is called, so a 100 kB string of digits costs nothing.
    """
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    if len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits only and at most INT_MAX (unless the rule says
    `max=`), so an id the database cannot hold answers 404 instead of reaching a query."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, INT_MAX if max is None else max, signed)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(self.max)):
            raise ValidationError()
        return super().to_python(value)


class PathSegmentConverter(UnicodeConverter):
    """`<name>` and `<string:…>` in every route: one path segment without control characters
    (NUL, line breaks), which no number, slug or code of the app contains: such a URL is 404."""

    def __init__(self, map, minlength=1, maxlength=None, length=None) -> None:  # noqa: A002
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)
