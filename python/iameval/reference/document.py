"""Reading a policy document: a dict, or JSON text (``str``/``bytes``) read strictly.

JSON text is read with the standard library, with three strict rules on top (grammar section): a duplicate
key in an object is an error at that key's pointer (AWS's own docs show duplicate ``Statement`` or ``Effect``
keys as mistakes; ordinary JSON parsers silently keep the last one, so the document would not mean what it
says); ``NaN``/``Infinity`` are not JSON; bytes must be UTF-8.
"""

from __future__ import annotations

import json
from typing import Any

from iameval.errors import ErrorEntry, json_pointer

__all__ = ["error_entry", "load_document"]


def error_entry(kind: str, path: tuple[str | int, ...], message: str, policy: str = "") -> ErrorEntry:
    """One located problem, as listed by ``PolicyError.errors()``."""
    return {"type": kind, "policy": policy, "pointer": json_pointer(path), "path": path, "message": message}


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it saw more than once."""

    duplicates: list[str]


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj and key not in obj.duplicates:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"`{name}` is not a JSON value")


def _find_duplicates(value: Any, path: tuple[str | int, ...], out: list[ErrorEntry]) -> None:
    if isinstance(value, _Object):
        for key in value.duplicates:
            out.append(error_entry("json_duplicate_key", (*path, key), f"duplicate key `{key}`"))
        for key, child in value.items():
            _find_duplicates(child, (*path, key), out)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            _find_duplicates(child, (*path, i), out)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_document(source: Any) -> tuple[Any, list[ErrorEntry]]:
    """Return ``(document, errors)``: the parsed JSON value of a policy given as dict, str or bytes.

    A dict (or any non-text value) is returned as it is; grammar checks come later (:mod:`.policy`).
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        try:
            source = bytes(source).decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, [error_entry("json_invalid", (), f"invalid UTF-8 at byte {exc.start}")]
        if source.startswith("\ufeff"):
            source = source[1:]
    if not isinstance(source, str):
        return source, []
    try:
        value = json.loads(source, object_pairs_hook=_object_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return None, [
            error_entry(
                "json_invalid", (), f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            )
        ]
    except (ValueError, RecursionError) as exc:
        return None, [error_entry("json_invalid", (), f"invalid JSON: {exc}")]
    errors: list[ErrorEntry] = []
    _find_duplicates(value, (), errors)
    return _plain(value), errors
