"""What the linter reports: a :class:`Finding` with its :class:`Severity` and its place in the policy text."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Finding", "Position", "Severity", "Span"]


class Severity(enum.Enum):
    """Access Analyzer's finding types, most severe first (``ERROR`` > ``SECURITY_WARNING`` > ...)."""

    ERROR = "ERROR"
    SECURITY_WARNING = "SECURITY_WARNING"
    WARNING = "WARNING"
    SUGGESTION = "SUGGESTION"

    @property
    def rank(self) -> int:
        """3 for ``ERROR`` down to 0 for ``SUGGESTION``: ``a.rank >= b.rank`` means *a* is at least as severe."""
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        """``"error"``, ``"security"``, ``"security_warning"``, ``"warning"``, ``"suggestion"`` (any case)."""
        key = text.strip().upper().replace("-", "_")
        if key == "SECURITY":
            key = "SECURITY_WARNING"
        try:
            return cls[key]
        except KeyError:
            raise ValueError(
                f"unknown severity `{text}`: expected error, security, warning or suggestion"
            ) from None


_RANK = {
    Severity.ERROR: 3,
    Severity.SECURITY_WARNING: 2,
    Severity.WARNING: 1,
    Severity.SUGGESTION: 0,
}


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the policy text as Access Analyzer gives it: ``line`` from 1, ``column`` from 0 (in characters
    of that line), ``offset`` from 0 (characters from the start of the text). A one-line policy has line 1 and
    column == offset."""

    line: int
    column: int
    offset: int


@dataclass(frozen=True, slots=True)
class Span:
    """From ``start`` (inclusive) to ``end`` (exclusive) in the exact text that was linted."""

    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem the linter found.

    ``code`` is Access Analyzer's ``issueCode`` where AWS has the check (our own upper-snake names otherwise),
    ``severity`` the finding type AWS gives that code, ``pointer`` the RFC 6901 JSON pointer of the offending
    value (``/Statement/2/Action/4``), ``span`` its place in the text (None only when the text could not be
    read), ``message`` one line naming the offending value, ``hint`` how to fix it, ``url`` the AWS page that
    explains the rule. ``file`` is the input's name (``""`` for a document given to the API), ``sid`` the
    statement's Sid when it has one.
    """

    code: str
    severity: Severity
    message: str
    pointer: str
    span: Span | None
    file: str = ""
    hint: str = ""
    url: str = ""
    sid: str | None = None
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data (the CLI's ``--format json`` line)."""
        span = None
        if self.span is not None:
            span = {
                "start": {"line": self.span.start.line, "column": self.span.start.column,
                          "offset": self.span.start.offset},
                "end": {"line": self.span.end.line, "column": self.span.end.column,
                        "offset": self.span.end.offset},
            }
        return {
            "file": self.file,
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "message": self.message,
            "pointer": self.pointer,
            "span": span,
            "sid": self.sid,
            "hint": self.hint,
            "url": self.url,
        }
