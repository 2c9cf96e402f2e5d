"""``did you mean`` hints for misspelled element names and condition operators (grammar errors).

The spec, which ``rust/core/src/hint.rs`` implements independently (keep the two in step):

- ``distance(a, b)``: the Levenshtein distance (insert, delete or substitute one character, a Unicode code
  point, each costing 1) between ``a`` and ``b``, both ASCII-lower-cased first (``A``-``Z`` to ``a``-``z``,
  every other character kept). So ``effect`` is at distance 0 from ``Effect``: element names are
  case-sensitive, and a wrong-case name is an error whose hint is the right case.
- ``bound(c) = max(1, len(c) // 3)``, ``len`` in characters.
- ``closest(name, candidates)``: among the candidates ``c`` with ``distance(name, c) <= bound(c)``, the one with
  the smallest distance, the first in list order on a tie; none when no candidate is within its bound. A
  candidate whose length differs from the name's by more than its bound is skipped without computing the
  distance (the distance is at least the length difference, so this changes no answer: it keeps a long name
  cheap).
- The message gets `` (did you mean `HINT`?)`` appended when there is a hint; otherwise it is unchanged.

Candidates for an element name are the elements valid where it stands, in this order: policy level
``Version, Id, Statement``; statement level ``Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource,
NotResource, Condition``; keys of a Principal / NotPrincipal object ``AWS, Service, Federated, CanonicalUser``.
Operator names: :func:`iameval.reference.conditions.operator_hint`. Hints are only computed for an error.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ascii_lower", "closest", "distance", "with_hint"]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """``text`` with ``A``-``Z`` lower-cased and every other character kept."""
    return text.translate(_ASCII_LOWER)


def distance(a: str, b: str) -> int:
    """The Levenshtein distance between ``a`` and ``b``, ASCII-case-insensitively (the module's spec)."""
    a, b = ascii_lower(a), ascii_lower(b)
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))  # distances from a[:0] to each prefix of b
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(
                min(
                    previous[j] + 1,  # delete ca
                    current[j - 1] + 1,  # insert cb
                    previous[j - 1] + (ca != cb),  # substitute (free when equal)
                )
            )
        previous = current
    return previous[-1]


def closest(name: str, candidates: Sequence[str]) -> str | None:
    """The candidate to suggest for ``name`` (the module's spec), or ``None``."""
    best: str | None = None
    best_distance = 0
    for candidate in candidates:
        bound = max(1, len(candidate) // 3)
        if abs(len(name) - len(candidate)) > bound:
            continue
        d = distance(name, candidate)
        if d <= bound and (best is None or d < best_distance):
            best, best_distance = candidate, d
    return best


def with_hint(message: str, hint: str | None) -> str:
    """``message``, with `` (did you mean `hint`?)`` when there is a hint."""
    return message if hint is None else f"{message} (did you mean `{hint}`?)"
