"""Matching of IAM action patterns for the linter: ``*``-only patterns without building a regex (the linter
meets thousands of distinct patterns once each; compiling a regex for each costs more than matching), a few
``*`` with ``?`` as a cached regex, anything else with the reference's linear matcher."""

from __future__ import annotations

import re
from functools import lru_cache

from iameval.reference.pattern import glob_match

__all__ = ["action_matches", "star_match"]


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


@lru_cache(maxsize=8192)
def _action_regex(pattern: str) -> re.Pattern[str] | None:
    """An ASCII action pattern with few ``*`` as a case-insensitive regex (None: use ``glob_match``, which is
    linear whatever the pattern; a regex with many ``.*`` could backtrack for long)."""
    if not pattern.isascii() or pattern.count("*") > 3:
        return None
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """Whether the action ``action`` matches the IAM pattern ``pattern`` (``*`` and ``?``, case-insensitive,
    as :func:`iameval.reference.pattern.glob_match` with ``ignore_case``)."""
    if "?" not in pattern and pattern.isascii() and action.isascii():
        return star_match(pattern.lower(), action.lower())
    rx = _action_regex(pattern)
    if rx is None or not action.isascii():
        return glob_match(pattern, action, ignore_case=True)
    return rx.fullmatch(action) is not None
