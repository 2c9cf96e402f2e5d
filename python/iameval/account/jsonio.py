"""Reading the JSON of account exports: files, typed fields located by JSON pointer, policy documents.

Policy documents come as objects (the AWS CLI decodes them) or as strings: the raw IAM API URL-encodes them
(RFC 3986, ``%7B%22Version%22...``), the Organizations API and resource-policy getters return JSON text. A
string is decoded and parsed strictly (duplicate keys and ``NaN`` refused); when that fails, or when the
result is not an object, the text is kept as it is, so that compiling it raises a ``PolicyError`` located in
the policy (the loader reports it on the principal or resource that owns it, never for the whole input).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from iameval.account.errors import AccountError
from iameval.errors import json_pointer
from iameval.reference.document import PolicyDocument

__all__ = ["Located", "decode_document", "read_json"]


def read_json(path: Path) -> Any:
    """The JSON value of a file; :class:`AccountError` when it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AccountError(str(path), "", f"cannot read the file ({error})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise AccountError(str(path), "", f"invalid json at line {error.lineno} column {error.colno}: "
                                          f"{error.msg.lower()}") from error


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key `{key}`")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"`{name}` is not json")


def decode_document(value: Any) -> PolicyDocument:
    """A policy document as found in an export: an object is returned as it is; a string is URL-decoded when
    it starts with ``%`` and parsed; text that is not a strict JSON object, and any other value, is returned
    as JSON text for the engine to reject with a located error."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        text = urllib.parse.unquote(value) if value.lstrip().startswith("%") else value
        try:
            parsed = json.loads(text, object_pairs_hook=_strict_object, parse_constant=_refuse_constant)
        except ValueError:
            return text
        return parsed if isinstance(parsed, dict) else text
    return json.dumps(value)


class Located:
    """A JSON value with the file it came from and its path inside it, to read typed fields from and to name
    in errors (``file: /pointer: message``)."""

    __slots__ = ("file", "path", "value")

    def __init__(self, value: Any, file: str, path: Sequence[str | int] = ()) -> None:
        self.value = value
        self.file = file
        self.path = tuple(path)

    @property
    def pointer(self) -> str:
        """The RFC 6901 pointer of this value in its file."""
        return json_pointer(self.path)

    @property
    def where(self) -> str:
        """``file: /pointer`` (without the file when the input was in memory)."""
        return ": ".join(part for part in (self.file, self.pointer) if part)

    def error(self, message: str) -> AccountError:
        """An :class:`AccountError` located at this value."""
        return AccountError(self.file, self.pointer, message)

    def child(self, key: str | int) -> Located:
        """The value at ``key`` (missing: ``None``), located one step further."""
        value = self.value
        if isinstance(key, int):
            item = value[key] if isinstance(value, list) and -len(value) <= key < len(value) else None
        else:
            item = value.get(key) if isinstance(value, Mapping) else None
        return Located(item, self.file, (*self.path, key))

    def obj(self) -> Mapping[str, Any]:
        """The value as an object; :class:`AccountError` otherwise."""
        if not isinstance(self.value, Mapping):
            raise self.error(f"expected an object, found {_kind(self.value)}")
        return self.value

    def string(self, key: str) -> str:
        """The string field ``key`` of this object; :class:`AccountError` when absent or not a string."""
        value = self.optional_string(key)
        if value is None:
            raise self.error(f"missing `{key}`")
        return value

    def optional_string(self, key: str) -> str | None:
        """The string field ``key`` of this object, ``None`` when absent."""
        self.obj()
        field = self.child(key)
        if field.value is not None and not isinstance(field.value, str):
            raise field.error(f"expected a string, found {_kind(field.value)}")
        return field.value

    def items(self, key: str, *, single_object: bool = False) -> list[Located]:
        """The elements of the list field ``key`` (absent: none). With ``single_object`` a lone object counts
        as a list of one (the AWS CLI documentation's example prints some lists so)."""
        field = self.child(key)
        if field.value is None:
            return []
        if single_object and isinstance(field.value, Mapping):
            return [field]
        if not isinstance(field.value, list):
            raise field.error(f"expected a list, found {_kind(field.value)}")
        return [field.child(i) for i in range(len(field.value))]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
