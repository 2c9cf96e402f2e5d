"""Matching of ``*``-only patterns without building a regex (the linter meets thousands of distinct patterns
once each; compiling a regex for each costs more than matching)."""

from __future__ import annotations

__all__ = ["star_match"]


def star_match(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern``, where ``*`` matches any run of characters (``?`` is an ordinary
    character here: callers use this only for patterns without ``?``). Greedy leftmost search of the parts
    between stars is exact for such patterns, and linear in the text."""
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == text
    first, last = parts[0], parts[-1]
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    at, end = len(first), len(text) - len(last)
    for part in parts[1:-1]:
        if part:
            found = text.find(part, at, end)
            if found < 0:
                return False
            at = found + len(part)
    return True
