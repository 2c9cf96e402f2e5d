"""A statement's ``Condition`` read as clauses (``operator: {key: values}``), for every check family that
looks at conditions. A module of its own, without checks, so that importing it registers nothing."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from iameval.lint.context import Statement
from iameval.lint.operators import operator_of
from iameval.reference.conditions import Operator

__all__ = ["Clause", "Path", "clauses", "condition_blocks", "condition_keys", "scalar_text"]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    """One ``operator: {key: values}`` member of a statement's Condition: paths, names and the scalar values."""

    statement: Statement
    operator_name: str
    operator: Operator | None
    key: str
    path: Path  # ("Statement", i, "Condition", operator, key)
    raw: Any

    @property
    def key_lower(self) -> str:
        return self.key.lower()

    def values(self) -> list[tuple[Path, str]]:
        """The values as text (JSON strings, numbers and booleans as IAM reads them), each with its path."""
        found: list[tuple[Path, str]] = []
        items = self.raw if isinstance(self.raw, list) else [self.raw]
        for i, item in enumerate(items):
            path = (*self.path, i) if isinstance(self.raw, list) else self.path
            text = scalar_text(item)
            if text is not None:
                found.append((path, text))
        return found

    def strings(self) -> list[tuple[Path, str]]:
        """The values that are JSON strings (numbers and booleans left out), each with its path."""
        if isinstance(self.raw, list):
            return [((*self.path, i), v) for i, v in enumerate(self.raw) if isinstance(v, str)]
        return [(self.path, self.raw)] if isinstance(self.raw, str) else []


def scalar_text(value: Any) -> str | None:
    """A condition value as IAM reads it as text (``true``/``false`` for booleans), None for lists, objects, null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return None


def condition_blocks(st: Statement) -> Iterator[tuple[str, Path, Mapping[str, Any]]]:
    """The operator blocks of a statement's Condition that are objects: (operator, path, block)."""
    cond = st.data.get("Condition")
    if not isinstance(cond, Mapping):
        return
    for op, block in cond.items():
        if isinstance(op, str) and isinstance(block, Mapping):
            yield op, (*st.path, "Condition", op), block


def clauses(st: Statement) -> list[Clause]:
    """Every ``operator / key`` pair of a statement's Condition (read once per statement; do not change the
    list)."""
    found: list[Clause] | None = st.memo.get(("clauses",))
    if found is None:
        found = []
        if "Condition" in st.data:
            for op, path, block in condition_blocks(st):
                parsed = operator_of(op)
                for key, raw in block.items():
                    if isinstance(key, str):
                        found.append(Clause(st, op, parsed, key, (*path, key), raw))
        st.memo[("clauses",)] = found
    return found


def condition_keys(st: Statement) -> set[str]:
    """The lower-cased condition keys a statement tests, under any operator."""
    found: set[str] | None = st.memo.get(("condition_keys",))
    if found is None:
        found = {c.key_lower for c in clauses(st)}
        st.memo[("condition_keys",)] = found
    return found
