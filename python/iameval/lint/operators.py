"""Condition operator names read once per distinct name (shared by the checks of several families)."""

from __future__ import annotations

from functools import lru_cache

from iameval.reference.conditions import Operator, parse_operator

__all__ = ["operator_of"]


@lru_cache(maxsize=2048)
def operator_of(written: str) -> Operator | None:
    """:func:`~iameval.reference.conditions.parse_operator`, remembered per name: policies write the same few
    dozen operators again and again, and the reading (a case fold character by character) is a pure function
    of the name whose result is frozen."""
    return parse_operator(written)
