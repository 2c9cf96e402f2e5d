"""The exceptions iameval raises, shared by the reference evaluator and the Rust engine.

Every problem in an input is collected, not only the first: :meth:`PolicyError.errors` and
:meth:`RequestError.errors` list them as dicts ``{"type", "policy", "pointer", "path", "message"}``:

- ``type``: a stable id (``json_invalid``, ``json_duplicate_key``, ``wrong_type``, ``missing_element``,
  ``unknown_element``, ``conflicting_elements``, ``invalid_value``, ``unknown_operator``,
  ``invalid_condition_value``, ``element_not_allowed``, ``empty_list``);
- ``policy``: where the policy sits in its policy set (``identity/0``, ``resource``, ``scps/1/0``), ``""``
  for a single document or a request;
- ``pointer``: the RFC 6901 JSON pointer inside the document (``/Statement/0/Condition/StringLike``);
- ``path``: the same location as a tuple of keys and indices;
- ``message``: one line, lowercase, no final period, user input in backticks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["CatalogError", "ErrorEntry", "IamEvalError", "PolicyError", "RequestError", "json_pointer"]

ErrorEntry = dict[str, Any]


def json_pointer(path: Sequence[str | int]) -> str:
    """Format a path as an RFC 6901 JSON pointer (``~`` and ``/`` escaped)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class IamEvalError(Exception):
    """Root of every error iameval raises on purpose."""


class _LocatedError(IamEvalError, ValueError):
    """An input error that carries every problem found, each with its location."""

    def __init__(self, entries: Iterable[ErrorEntry]) -> None:
        self._entries: list[ErrorEntry] = [dict(e) for e in entries]
        super().__init__(self._summary())

    def errors(self) -> list[ErrorEntry]:
        """Every problem found: dicts with ``type``, ``policy``, ``pointer``, ``path`` and ``message``."""
        return [dict(e) for e in self._entries]

    def _summary(self) -> str:
        lines = []
        for e in self._entries:
            where = "/".join(x for x in (e.get("policy", ""),) if x)
            pointer = e.get("pointer", "") or "/"
            lines.append(f"{where + ': ' if where else ''}{pointer}: {e.get('message', '')}")
        head = f"{len(self._entries)} error{'s' if len(self._entries) != 1 else ''}"
        return head + ("\n  " + "\n  ".join(lines) if lines else "")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._entries,))


class PolicyError(_LocatedError):
    """A policy document (or a policy set) is malformed; nothing of it is evaluated."""


class RequestError(_LocatedError):
    """A request is malformed (missing field, wrong type, an action or resource that cannot be read)."""


class CatalogError(IamEvalError, ValueError):
    """An action catalog directory cannot be loaded (nothing of it is used: the catalog fails closed).

    ``kind`` is a stable id (``io``, ``json_invalid``, ``malformed``, ``not_a_catalog``,
    ``duplicate_service``), ``file`` the file (or directory) concerned, ``pointer`` the RFC 6901 pointer
    inside it (``""`` for the whole file) and ``message`` one lowercase line.
    """

    def __init__(self, kind: str, file: str, pointer: str, message: str) -> None:
        self.kind = kind
        self.file = file
        self.pointer = pointer
        self.message = message
        super().__init__(f"{file}: {pointer}: {message}" if pointer else f"{file}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.kind, self.file, self.pointer, self.message))
