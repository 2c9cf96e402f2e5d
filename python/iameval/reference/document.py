"""Reading a policy document: a dict, or JSON text (``str``/``bytes``) read strictly.

JSON text is read with the standard library, with three strict rules on top (grammar section): a duplicate
key in an object is an error at that key's pointer (AWS's own docs show duplicate ``Statement`` or ``Effect``
keys as mistakes; ordinary JSON parsers silently keep the last one, so the document would not mean what it
says); ``NaN``/``Infinity`` are not JSON; bytes must be UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeAlias

from iameval.errors import ErrorEntry, json_pointer

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "JsonObject",
    "PolicyDocument",
    "error_entry",
    "load_document",
    "object_pairs",
    "reject_constant",
]

PolicyDocument: TypeAlias = Mapping[str, Any] | str | bytes
"""A policy as the API takes it: the parsed JSON object (a ``dict``), or its JSON text as ``str`` or UTF-8
``bytes``. Anything else is reported as a located error at run time, not rejected by the type."""

#: Limits, the same in both engines: problems of type ``json_invalid`` at the document root.
MAX_DEPTH = 64  # levels of nested objects and arrays (the document itself is level 1)
MAX_DOCUMENT_BYTES = 1024 * 1024  # UTF-8 bytes of a policy given as JSON text


def error_entry(kind: str, path: tuple[str | int, ...], message: str, policy: str = "") -> ErrorEntry:
    """One located problem, as listed by ``PolicyError.errors()``."""
    return {"type": kind, "policy": policy, "pointer": json_pointer(path), "path": path, "message": message}


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it saw more than once."""

    duplicates: list[str]


def object_pairs(pairs: list[tuple[str, Any]]) -> JsonObject:
    obj = JsonObject()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj and key not in obj.duplicates:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def reject_constant(name: str) -> Any:
    raise ValueError(f"`{name}` is not a JSON value")


def _find_duplicates(value: Any, path: tuple[str | int, ...], out: list[ErrorEntry]) -> None:
    if isinstance(value, JsonObject):
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


def _limit_problem(value: Any) -> str | None:
    """The first limit a parsed value breaks: nesting deeper than MAX_DEPTH, or a string holding a lone
    UTF-16 surrogate (``"\\ud800"``: JSON allows the escape, but the text is not Unicode); ``None`` if none."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[Any] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return "invalid JSON: lone surrogate in a string"
            continue
        if depth > MAX_DEPTH:
            return f"invalid JSON: nesting deeper than {MAX_DEPTH} levels"
        stack.extend((child, depth + 1) for child in children)
    return None


BOM_IN_TEXT = "invalid JSON at line 1 column 1: unexpected byte order mark (U+FEFF) in text"


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
        problem = _limit_problem(source)
        if problem is not None:
            return None, [error_entry("json_invalid", (), problem)]
        return source, []
    problem = _limit_problem(source)  # a lone surrogate in the text itself
    if problem is not None:
        return None, [error_entry("json_invalid", (), problem)]
    if len(source.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
        return None, [
            error_entry("json_invalid", (), f"invalid JSON: document larger than {MAX_DOCUMENT_BYTES} bytes")
        ]
    if source.startswith("\ufeff"):  # skipped in bytes above; inside text it is not JSON
        return None, [error_entry("json_invalid", (), BOM_IN_TEXT)]
    try:
        value = json.loads(source, object_pairs_hook=object_pairs, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        return None, [
            error_entry(
                "json_invalid",
                (),
                f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg[:1].lower()}{exc.msg[1:]}",
            )
        ]
    except (ValueError, RecursionError) as exc:
        return None, [error_entry("json_invalid", (), f"invalid JSON: {exc}")]
    problem = _limit_problem(value)
    if problem is not None:
        return None, [error_entry("json_invalid", (), problem)]
    errors: list[ErrorEntry] = []
    _find_duplicates(value, (), errors)
    return _plain(value), errors
