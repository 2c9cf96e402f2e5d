"""Where each JSON value sits in the policy text: JSON pointer -> span, for findings' locations.

The linter reads a document twice: ``json.loads`` (fast) for the checks, and, only when a check reports
something, this scanner over the same text to place each finding. Offsets count characters (Python ``str``
indices) of the exact text that was given, lines from 1 and columns from 0 as Access Analyzer reports them.
"""

from __future__ import annotations

import bisect
import json
import re

from iameval.errors import json_pointer
from iameval.lint.finding import Position, Span

__all__ = ["SpanIndex"]

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?[0-9][0-9.eE+\-]*|true|false|null")


class SpanIndex:
    """Spans of every key and value of a JSON text (which must be valid JSON).

    ``value(pointer)`` is the span of the value at ``pointer`` (the whole string with its quotes, the whole
    object or array); ``key(pointer)`` the span of the member name (with quotes) for a pointer into an object.
    When an object repeats a key, the pointer names the last occurrence (the one ``json.loads`` keeps).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._values: dict[str, tuple[int, int]] = {}
        self._keys: dict[str, tuple[int, int]] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._scan()

    # -- lookups ---------------------------------------------------------------------------------------------
    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line=line + 1, column=offset - self._line_starts[line], offset=offset)

    def span(self, start: int, end: int) -> Span:
        return Span(self.position(start), self.position(end))

    def value(self, pointer: str) -> Span | None:
        found = self._values.get(pointer)
        return None if found is None else self.span(*found)

    def key(self, pointer: str) -> Span | None:
        found = self._keys.get(pointer)
        return None if found is None else self.span(*found)

    def substring(self, pointer: str, start: int, length: int) -> Span | None:
        """A part of a string value: ``start``/``length`` in characters of the decoded string. Exact when the
        string has no escapes before the end of the part; otherwise the span of the whole value."""
        found = self._values.get(pointer)
        if found is None:
            return None
        begin, end = found
        raw = self.text[begin + 1 : end - 1]
        if "\\" in raw[: start + length]:
            return self.span(begin, end)
        return self.span(begin + 1 + start, begin + 1 + start + length)

    def locate(self, path: tuple[str | int, ...], *, on_key: bool = False) -> Span | None:
        """The span of ``path``'s key (``on_key``) or value; the nearest enclosing value that exists otherwise."""
        pointer = json_pointer(path)
        if on_key:
            found = self.key(pointer)
            if found is not None:
                return found
        while True:
            found = self.value(pointer)
            if found is not None or not path:
                return found
            path = path[:-1]
            pointer = json_pointer(path)

    # -- scanning --------------------------------------------------------------------------------------------
    def _skip(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def _scan(self) -> None:
        text = self.text
        i = self._skip(0)
        if i < len(text):
            self._value(i, "")

    def _value(self, i: int, pointer: str) -> int:
        """Scan the value starting at ``i`` (not whitespace); record it; return the index after it. Recursive:
        the linter scans only documents ``json.loads`` read, no deeper than the engines' ``MAX_DEPTH``."""
        text = self.text
        ch = text[i] if i < len(text) else ""
        if ch == "{":
            j = self._skip(i + 1)
            while j < len(text) and text[j] != "}":
                m = _STRING.match(text, j)
                key_end = m.end() if m else j + 1
                try:
                    name = str(json.loads(text[j:key_end]))
                except ValueError:
                    name = text[j + 1 : key_end - 1]
                member = pointer + "/" + name.replace("~", "~0").replace("/", "~1")
                self._keys[member] = (j, key_end)
                j = self._skip(key_end)
                if j < len(text) and text[j] == ":":
                    j = self._skip(j + 1)
                j = self._skip(self._value(j, member))
                if j < len(text) and text[j] == ",":
                    j = self._skip(j + 1)
            end = j + 1
        elif ch == "[":
            j = self._skip(i + 1)
            index = 0
            while j < len(text) and text[j] != "]":
                j = self._skip(self._value(j, f"{pointer}/{index}"))
                index += 1
                if j < len(text) and text[j] == ",":
                    j = self._skip(j + 1)
            end = j + 1
        else:
            m = _STRING.match(text, i) if ch == '"' else _SCALAR.match(text, i)
            end = m.end() if m else i + 1
        self._values[pointer] = (i, end)
        return end
