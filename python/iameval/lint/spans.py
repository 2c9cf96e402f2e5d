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
from typing import Any

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
    When an object repeats a key, the pointer names the last occurrence (the one ``json.loads`` keeps);
    ``duplicates=False`` says that no object of the text repeats a key, so the first occurrence is that one.
    """

    def __init__(self, text: str, *, duplicates: bool = True) -> None:
        self.text = text
        self._line_starts: list[int] | None = None
        root = self._skip(0)
        # ``json.loads`` accepted the text, so its one value ends where the trailing JSON whitespace starts
        # (``json.loads`` rejects anything else after the value): no second parse of the whole text
        end = len(text.rstrip(" \t\n\r"))
        self._root: tuple[int, int] | None = (root, end) if root < end else None
        self._duplicates = duplicates
        # container pointer -> how far its members have been read
        self._scans: dict[str, _Scan] = {}

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
        """The member at ``path``. Containers are read lazily, member by member, only as far as the member
        looked for (and to their end for an object that may repeat a key: the last occurrence counts); only the
        values passed over, and the one found, are decoded."""
        if self._root is None:
            return None
        start, end = self._root
        member: list[Any] = [None, start, end]
        pointer = ""
        for step in path:
            found = self._member(pointer, member[1], step)
            if found is None and isinstance(step, str) and step.isdigit():
                found = self._member(pointer, member[1], int(step))
            if found is None:
                return None
            member = found
            pointer += json_pointer((step,))
        if member[2] < 0:
            member[2] = _DECODER.raw_decode(self.text, member[1])[1]
        return (member[0], member[1], member[2])

    def _member(self, pointer: str, start: int, name: str | int) -> list[Any] | None:
        """The member ``name`` of the container at ``start`` (whose pointer is ``pointer``), reading the
        container's members until it is found (or, for an object that may repeat a key, to the end)."""
        scan = self._scans.get(pointer)
        if scan is None:
            scan = self._scans[pointer] = _Scan(self.text, start)
        while True:
            found = scan.members.get(name)
            if scan.done or (found is not None and not (scan.is_object and self._duplicates)):
                return found
            scan.advance()


class _Scan:
    """The members of one object or array read so far: ``[key span or None, value start, value end or -1]`` by
    name (or index). The value of the last member read is decoded (to step over it) only when the next member is
    asked for."""

    __slots__ = ("done", "index", "is_object", "members", "pending", "pos", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.members: dict[str | int, list[Any]] = {}
        self.index = 0
        opener = text[start : start + 1]
        self.is_object = opener == "{"
        self.pending: list[Any] | None = None
        self.pos = _WS.match(text, start + 1).end()  # type: ignore[union-attr]  # `[ \t\n\r]*` always matches
        self.done = opener not in ("{", "[") or text[self.pos : self.pos + 1] in ("}", "]")

    def advance(self) -> None:
        """Read one more member (after stepping over the value of the previous one)."""
        text, ws = self.text, _WS.match
        j = self.pos
        if self.pending is not None:
            try:
                value_end = self.pending[2] if self.pending[2] >= 0 else _DECODER.raw_decode(text, j)[1]
            except ValueError:
                self.done = True
                return
            self.pending[2] = value_end
            self.pending = None
            j = ws(text, value_end).end()  # type: ignore[union-attr]
            if text[j : j + 1] != ",":
                self.done = True
                return
            j = ws(text, j + 1).end()  # type: ignore[union-attr]
        key: tuple[int, int] | None = None
        name: str | int = self.index
        if self.is_object:
            try:
                name, key_end = scanstring(text, j + 1, True)
            except (ValueError, IndexError):
                self.done = True
                return
            key = (j, key_end)
            j = ws(text, key_end).end()  # type: ignore[union-attr]
            if text[j : j + 1] == ":":
                j = ws(text, j + 1).end()  # type: ignore[union-attr]
        member = [key, j, -1]
        self.members[name] = member
        self.index += 1
        self.pending = member
        self.pos = j


def _parse_pointer(pointer: str) -> tuple[str | int, ...]:
    if not pointer:
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:])
