"""Where each JSON value sits in the policy text: JSON pointer -> span, for findings' locations.

The linter reads a document with ``json.loads`` (fast) for the checks and, only when a check reports
something, places each finding with this index over the same text. The index is lazy: it reads only the
objects and arrays on the way to a pointer, member by member, and skips every other value with the standard
library's C scanner, so placing a finding costs about one parse of the text before it. Offsets count
characters (Python ``str`` indices) of the exact text that was given, lines from 1 and columns from 0 as
Access Analyzer reports them.
"""

from __future__ import annotations

import bisect
import json
import re
from itertools import accumulate
from json.decoder import scanstring  # type: ignore[attr-defined]

from iameval.errors import json_pointer
from iameval.lint.finding import Position, Span

__all__ = ["SpanIndex"]

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
# a member of a container: (key span or None, value start, value end)
_Member = tuple[tuple[int, int] | None, int, int]


class SpanIndex:
    """Spans of the keys and values of a JSON text (which must be valid JSON: ``json.loads`` read it).

    ``value(pointer)`` is the span of the value at ``pointer`` (the whole string with its quotes, the whole
    object or array); ``key(pointer)`` the span of the member name (with quotes) for a pointer into an object.
    When an object repeats a key, the pointer names the last occurrence (the one ``json.loads`` keeps).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None
        root = self._skip(0)
        # ``json.loads`` accepted the text, so its one value ends where the trailing JSON whitespace starts
        # (``json.loads`` rejects anything else after the value): no second parse of the whole text
        end = len(text.rstrip(" \t\n\r"))
        self._root: tuple[int, int] | None = (root, end) if root < end else None
        # container pointer -> its members (keys as str, or indices)
        self._members: dict[str, dict[str | int, _Member]] = {}

    # -- lookups ---------------------------------------------------------------------------------------------
    def position(self, offset: int) -> Position:
        if self._line_starts is None:
            # the offset after each "\n": running sums of the lines' lengths plus one (all in C)
            lengths = map(len, self.text.split("\n")[:-1])
            self._line_starts = list(accumulate(map((1).__add__, lengths), initial=0))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line=line + 1, column=offset - self._line_starts[line], offset=offset)

    def span(self, start: int, end: int) -> Span:
        return Span(self.position(start), self.position(end))

    def value(self, pointer: str) -> Span | None:
        found = self._find(_parse_pointer(pointer))
        return None if found is None else self.span(found[1], found[2])

    def key(self, pointer: str) -> Span | None:
        found = self._find(_parse_pointer(pointer))
        return None if found is None or found[0] is None else self.span(*found[0])

    def substring(self, pointer: str, start: int, length: int) -> Span | None:
        """A part of a string value: ``start``/``length`` in characters of the decoded string. Exact when the
        string has no escapes before the end of the part; otherwise the span of the whole value."""
        found = self._find(_parse_pointer(pointer))
        if found is None:
            return None
        _, begin, end = found
        raw = self.text[begin + 1 : end - 1]
        if self.text[begin : begin + 1] != '"' or "\\" in raw[: start + length] or start + length > len(raw):
            return self.span(begin, end)
        return self.span(begin + 1 + start, begin + 1 + start + length)

    def locate(self, path: tuple[str | int, ...], *, on_key: bool = False) -> Span | None:
        """The span of ``path``'s key (``on_key``) or value; the nearest enclosing value that exists otherwise."""
        if on_key:
            found = self._find(path)
            if found is not None and found[0] is not None:
                return self.span(*found[0])
        while True:
            found = self._find(path)
            if found is not None:
                return self.span(found[1], found[2])
            if not path:
                return None
            path = path[:-1]

    # -- scanning --------------------------------------------------------------------------------------------
    def _skip(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def _find(self, path: tuple[str | int, ...]) -> _Member | None:
        if self._root is None:
            return None
        member: _Member = (None, *self._root)
        pointer = ""
        for step in path:
            members = self._members.get(pointer)
            if members is None:
                members = self._members[pointer] = self._scan(member[1], member[2])
            found = members.get(step)
            if found is None and isinstance(step, str) and step.isdigit():
                found = members.get(int(step))
            if found is None:
                return None
            member = found
            pointer = pointer + "/" + str(step).replace("~", "~0").replace("/", "~1")
        return member

    def _scan(self, start: int, end: int) -> dict[str | int, _Member]:
        """The members of the object or array at ``start``: key spans and value spans, siblings skipped with
        the C decoder (whitespace skipped by the regex inline: this loop runs once per member)."""
        text = self.text
        members: dict[str | int, _Member] = {}
        opener = text[start]
        if opener not in "{[":
            return members
        ws = _WS.match
        decode = _DECODER.raw_decode
        j = ws(text, start + 1).end()  # type: ignore[union-attr]  # `[ \t\n\r]*` always matches
        index = 0
        is_object = opener == "{"
        while j < end - 1:
            key: tuple[int, int] | None = None
            name: str | int = index
            if is_object:
                try:
                    name, key_end = scanstring(text, j + 1, True)
                except (ValueError, IndexError):
                    return members
                key = (j, key_end)
                j = ws(text, key_end).end()  # type: ignore[union-attr]
                if text[j : j + 1] == ":":
                    j = ws(text, j + 1).end()  # type: ignore[union-attr]
            try:
                value_end = decode(text, j)[1]
            except ValueError:
                return members
            members[name] = (key, j, value_end)
            index += 1
            j = ws(text, value_end).end()  # type: ignore[union-attr]
            if text[j : j + 1] == ",":
                j = ws(text, j + 1).end()  # type: ignore[union-attr]
            else:
                break
        return members


def _parse_pointer(pointer: str) -> tuple[str | int, ...]:
    if not pointer:
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:])


def pointer_of(path: tuple[str | int, ...]) -> str:
    return json_pointer(path)
