"""The ``iameval`` command line: simulate a scenario, check conformance vectors, validate policies.

Standard library only. Exit codes: 0 success; 1 a decision differs from its expectation, a vector fails or a
policy is invalid; 2 bad input (unreadable file, invalid JSON, wrong shape, a policy or request the engine
rejects) or bad usage. Bad input is reported one problem per line on stderr as
``iameval: error: FILE: POINTER: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from typing import Any, TextIO

from iameval.errors import json_pointer
from iameval.reference.authorize import POLICY_KEYS  # noqa: F401
from iameval.reference.document import load_document

__all__ = ["main"]

PROG = "iameval"
EXIT_OK = 0
EXIT_FAIL = 1
EXIT_BAD_INPUT = 2

DECISIONS = ("Allow", "ExplicitDeny", "ImplicitDeny")
POLICY_KINDS = ("identity", "resource", "permission_boundary", "session", "scp", "rcp")

REQUEST_FIELDS = ("principal", "action", "resource", "context", "principal_account", "resource_account")
#: keys a scenario request may carry besides the request fields; they are not passed to the engine
ANNOTATIONS = ("name", "expected", "why")
SCENARIO_KEYS = ("description", "policies", "defaults", "requests")
BUILTIN_EXAMPLE = "<built-in example>"


class BadInput(Exception):
    """Input the command cannot work with: each problem is ``(file, pointer, message)``."""

    def __init__(self, problems: Iterable[tuple[str, str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(_problem_line(*p) for p in self.problems))


def _problem_line(file: str, pointer: str, message: str) -> str:
    return f"{file}: {pointer}: {message}" if pointer else f"{file}: {message}"


# -- reading input -------------------------------------------------------------------------------------------


def _read_bytes(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        with open(file, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise BadInput([(file, "", f"cannot read file: {exc.strerror or exc}")]) from None


def _load_json(data: bytes, where: str) -> Any:
    """Strict JSON, read the way policy text is read (``iameval.reference.document``): UTF-8, duplicate
    keys, NaN and Infinity are errors, each located by its JSON pointer; invalid JSON with line and column."""
    value, errors = load_document(data)
    if errors:
        raise BadInput([(where, e["pointer"], e["message"]) for e in errors])
    return value


# -- engines -------------------------------------------------------------------------------------------------


def _engine(name: str) -> Any:
    """The ``iameval`` module or ``iameval.reference``: both expose PolicySet, PolicyError, RequestError."""
    return importlib.import_module("iameval.reference" if name == "reference" else "iameval")


def _errors_of(exc: Exception) -> list[dict[str, Any]]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return list(errors())
    return [{"policy": "", "pointer": "", "message": str(exc)}]


def _policy_problems(exc: Exception, file: str, base: tuple[str | int, ...]) -> list[tuple[str, str, str]]:
    """PolicyError entries located within the file: ``base`` + the policy's place in its set + its pointer."""
    out = []
    for e in _errors_of(exc):
        policy = str(e.get("policy") or "")
        where = json_pointer(base) + ("/" + policy if policy else "") + str(e.get("pointer") or "")
        out.append((file, where, str(e.get("message", ""))))
    return out


def _decision_text(decision: Any) -> str:
    return str(getattr(decision, "value", decision))


# -- simulate ------------------------------------------------------------------------------------------------


def _load_scenario(file: str | None) -> tuple[str, Any]:
    if file is None:
        data = resources.files("iameval").joinpath("examples").joinpath("scenario.json").read_bytes()
        return BUILTIN_EXAMPLE, _load_json(data, BUILTIN_EXAMPLE)
    return file, _load_json(_read_bytes(file), file)


def _merge_request(defaults: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
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


def _check_scenario_shape(doc: Any, file: str) -> list[tuple[str, str, str]]:
    problems: list[tuple[str, str, str]] = []
    if not isinstance(doc, dict):
        return [(file, "", "a scenario must be a JSON object with `policies` and `requests`")]
    for key in doc:
        if key not in SCENARIO_KEYS:
            problems.append(
                (
                    file,
                    json_pointer((key,)),
                    f"unknown scenario key `{key}` (expected one of: {', '.join(SCENARIO_KEYS)})",
                )
            )
    if "description" in doc and not isinstance(doc["description"], str):
        problems.append((file, "/description", "`description` must be a string"))
    policies = doc.get("policies", {})
    if not isinstance(policies, dict):
        problems.append((file, "/policies", "`policies` must be an object"))
    else:
        for key in policies:
            if key not in POLICY_KEYS:
                problems.append(
                    (
                        file,
                        json_pointer(("policies", key)),
                        f"unknown policy type `{key}` (expected one of: {', '.join(POLICY_KEYS)})",
                    )
                )
    defaults = doc.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append((file, "/defaults", "`defaults` must be an object"))
    else:
        for key in defaults:
            if key not in REQUEST_FIELDS:
                problems.append((file, json_pointer(("defaults", key)), f"unknown request field `{key}`"))
    if "requests" not in doc:
        problems.append((file, "", "a scenario needs `requests` (a list of request objects)"))
        return problems
    requests = doc["requests"]
    if not isinstance(requests, list):
        problems.append((file, "/requests", "`requests` must be a list of request objects"))
        return problems
    for i, req in enumerate(requests):
        if not isinstance(req, dict):
            problems.append((file, f"/requests/{i}", "a request must be an object"))
            continue
        for key in req:
            if key not in REQUEST_FIELDS and key not in ANNOTATIONS:
                problems.append((file, json_pointer(("requests", i, key)), f"unknown request field `{key}`"))
        if "name" in req and not isinstance(req["name"], str):
            problems.append((file, f"/requests/{i}/name", "`name` must be a string"))
        if "why" in req and not isinstance(req["why"], str):
            problems.append((file, f"/requests/{i}/why", "`why` must be a string"))
        if "expected" in req and req["expected"] not in DECISIONS:
            problems.append(
                (
                    file,
                    f"/requests/{i}/expected",
                    f"`expected` must be one of {', '.join(DECISIONS)}, not {json.dumps(req['expected'])}",
                )
            )
    return problems


def _request_pointer(path: Sequence[Any], raw: Mapping[str, Any], defaults: Mapping[str, Any], i: int) -> str:
    """Where a request problem sits in the scenario file: in the request itself or in ``defaults``."""
    path = list(path)
    if path:
        head = path[0]
        in_request = head in raw and (
            head != "context" or len(path) < 2 or _has_key(raw.get("context"), path[1])
        )
        if not in_request and (head in defaults):
            return json_pointer(("defaults", *path))
    return json_pointer(("requests", i, *path))


def _has_key(mapping: Any, key: Any) -> bool:
    return isinstance(mapping, Mapping) and key in mapping


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    file, doc = _load_scenario(args.scenario)
    problems = _check_scenario_shape(doc, file)
    if problems:
        raise BadInput(problems)
    engine = _engine(args.engine)
    try:
        policy_set = engine.PolicySet.from_vector(doc.get("policies", {}))
    except (engine.PolicyError, ValueError, TypeError) as exc:
        problems = _policy_problems(exc, file, ("policies",))
        policy_set = engine.PolicySet()  # still check the requests, to report every problem at once
    else:
        problems = []

    defaults = doc.get("defaults", {})
    evaluated: list[tuple[int, Mapping[str, Any], dict[str, Any], Any]] = []
    for i, raw in enumerate(doc["requests"]):
        request = _merge_request(defaults, raw)
        try:
            result = policy_set.evaluate(request)
        except (engine.RequestError, ValueError, TypeError) as exc:
            for e in _errors_of(exc):
                path = e.get("path")
                if path is None:
                    where = f"/requests/{i}" + str(e.get("pointer") or "")
                else:
                    where = _request_pointer(tuple(path), raw, defaults, i)
                problems.append((file, where, str(e.get("message", ""))))
            continue
        evaluated.append((i, raw, request, result))
    if problems:
        raise BadInput(problems)

    mismatches: list[str] = []
    rows = []
    counts = dict.fromkeys(DECISIONS, 0)
    with_expectations = any("expected" in raw for raw in doc["requests"])
    for i, raw, request, result in evaluated:
        decision = _decision_text(result.decision)
        expected = raw.get("expected")
        ok = None if expected is None else decision == expected
        counts[decision] = counts.get(decision, 0) + 1
        if ok is False:
            name = f" ({raw['name']})" if raw.get("name") else ""
            why = f"\n  why: {raw['why']}" if raw.get("why") else ""
            mismatches.append(f"MISMATCH request {i}{name}: expected {expected}, got {decision}{why}\n")
        if args.json:
            line = {
                "index": i,
                "name": raw.get("name"),
                "request": request,
                "result": result.to_dict(),
                "expected": expected,
                "ok": ok,
            }
            out.write(json.dumps(line, sort_keys=False) + "\n")
            continue
        row = [
            str(i),
            str(raw.get("name", "")),
            str(request.get("principal", "")),
            str(request.get("action", "")),
            str(request.get("resource", "*")),
            decision,
            str(result.decided_by),
            "; ".join(m.label() for m in result.matched) or "-",
            ", ".join(result.missing_context_keys) or "-",
        ]
        if with_expectations:
            row.append("-" if ok is None else "ok" if ok else f"MISMATCH (expected {expected})")
        rows.append(row)

    if not args.json:
        header = [
            "#",
            "name",
            "principal",
            "action",
            "resource",
            "decision",
            "decided by",
            "matched statements",
            "missing keys",
        ]
        if with_expectations:
            header.append("expected")
        if isinstance(doc.get("description"), str) and doc["description"]:
            out.write(textwrap.fill(doc["description"], width=110) + "\n\n")
        out.write(_table(rows, header) + "\n")
        summary = f"\n{len(evaluated)} request{'s' if len(evaluated) != 1 else ''}: " + ", ".join(
            f"{n} {d}" for d, n in counts.items()
        )
        checked = sum(1 for _, raw, _, _ in evaluated if "expected" in raw)
        if checked:
            summary += f"; {checked - len(mismatches)} of {checked} expected decisions hold"
        out.write(summary + "\n")
        out.writelines(mismatches)
    return EXIT_FAIL if mismatches else EXIT_OK


# -- check ---------------------------------------------------------------------------------------------------


def _load_vectors(files: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every vector of every file, as ``(location, vector)``; shape problems of all files are collected."""
    vectors: list[tuple[str, dict[str, Any]]] = []
    problems: list[tuple[str, str, str]] = []
    for file in files:
        try:
            data = _read_bytes(file)
        except BadInput as exc:
            problems.extend(exc.problems)
            continue
        for lineno, line in enumerate(data.split(b"\n"), 1):
            if not line.strip():
                continue
            where = f"{file}:{lineno}"
            try:
                vector = _load_json(line, where)
            except BadInput as exc:
                # a JSON line is line 1 of its own text: keep the column only
                problems.extend(
                    (w, p, m.replace("at line 1 column", "at column", 1)) for w, p, m in exc.problems
                )
                continue
            if not isinstance(vector, dict):
                problems.append((where, "", "a vector must be a JSON object"))
                continue
            for key in ("request", "policies"):
                if not isinstance(vector.get(key), dict):
                    problems.append((where, f"/{key}", f"a vector needs `{key}` (an object)"))
            if vector.get("expected") not in DECISIONS:
                problems.append((where, "/expected", f"`expected` must be one of {', '.join(DECISIONS)}"))
            vectors.append((where, vector))
    if problems:
        raise BadInput(problems)
    return vectors


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    vectors = _load_vectors(args.vectors)
    engine = _engine(args.engine)
    passed = failed = 0
    for where, vector in vectors:
        vid = vector.get("id", where)
        expected = vector["expected"]
        try:
            result = engine.PolicySet.from_vector(vector["policies"]).evaluate(vector["request"])
        except (engine.PolicyError, engine.RequestError, ValueError, TypeError) as exc:
            failed += 1
            if isinstance(exc, engine.PolicyError):
                details = _policy_problems(exc, where, ("policies",))
            else:
                details = [
                    (where, "/request" + str(e.get("pointer") or ""), str(e.get("message", "")))
                    for e in _errors_of(exc)
                ]
            out.write(f"FAIL {vid} ({where}): expected {expected}, got {type(exc).__name__}\n")
            out.writelines(f"  {pointer or '/'}: {message}\n" for _, pointer, message in details)
            continue
        got = _decision_text(result.decision)
        if got == expected:
            passed += 1
            continue
        failed += 1
        out.write(f"FAIL {vid} ({where}): expected {expected}, got {got} (decided by {result.decided_by})\n")
        out.write(f"  matched: {'; '.join(m.label() for m in result.matched) or '-'}\n")
        if result.missing_context_keys:
            out.write(f"  missing context keys: {', '.join(result.missing_context_keys)}\n")
        if vector.get("why"):
            out.write(f"  why: {vector['why']}\n")
    out.write(f"{passed} passed, {failed} failed\n")
    return EXIT_FAIL if failed else EXIT_OK


# -- validate ------------------------------------------------------------------------------------------------


def _guess_kind(data: bytes) -> str:
    """``resource`` when a statement names a Principal or NotPrincipal, else ``identity``."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return "identity"
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if isinstance(statements, list):
        for st in statements:
            if isinstance(st, dict) and ("Principal" in st or "NotPrincipal" in st):
                return "resource"
    return "identity"


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    engine = _engine(args.engine)
    unreadable: list[tuple[str, str, str]] = []
    valid = invalid = 0
    for file in args.policies:
        try:
            data = _read_bytes(file)
        except BadInput as exc:
            unreadable.extend(exc.problems)
            continue
        kind = args.kind or _guess_kind(data)
        # the raw bytes go to the engine: it reports invalid JSON with line and column, and duplicate keys
        try:
            errors = engine.validate_policy(data, kind=kind)
        except (engine.PolicyError, ValueError, TypeError) as exc:
            errors = _errors_of(exc)
        if errors:
            invalid += 1
            out.writelines(f"{file}: {e.get('pointer') or '/'}: {e.get('message', '')}\n" for e in errors)
        else:
            valid += 1
            out.write(f"{file}: valid {kind} policy\n")
    if unreadable:
        _report(unreadable)
    if len(args.policies) > 1:
        out.write(
            f"{valid} valid, {invalid} invalid"
            + (f", {len(unreadable)} unreadable" if unreadable else "")
            + "\n"
        )
    if unreadable:
        return EXIT_BAD_INPUT
    return EXIT_FAIL if invalid else EXIT_OK


# -- entry point ---------------------------------------------------------------------------------------------


def _report(problems: Iterable[tuple[str, str, str]]) -> None:
    for file, pointer, message in problems:
        sys.stderr.write(f"{PROG}: error: {_problem_line(file, pointer, message)}\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Evaluate AWS IAM policies locally: simulate requests, check conformance vectors, "
        "validate policies.",
        epilog="exit codes: 0 ok; 1 a decision differs from its expectation or a policy is invalid; "
        "2 bad input or usage",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def engine_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--engine",
            choices=("default", "reference"),
            default="default",
            help="default: iameval.PolicySet; reference: the pure-Python reference evaluator",
        )

    p = sub.add_parser(
        "simulate",
        help="evaluate the requests of a scenario file (or the built-in example) and print the decisions",
        description='Evaluate the requests of a scenario: {"policies": {...}, "defaults": {...}, '
        '"requests": [...]}. Without a file, runs the built-in example. Exit 1 when a request\'s '
        '"expected" decision does not hold.',
    )
    p.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO.json",
        help="scenario file ('-' for stdin); default: built-in example",
    )
    p.add_argument(
        "--json", action="store_true", help="one JSON object per request and line instead of a table"
    )
    engine_option(p)
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser(
        "check",
        help="run conformance vectors (JSON lines) and report mismatches",
        description="Run conformance vectors through the engine. Exit 1 on any mismatch.",
    )
    p.add_argument("vectors", nargs="+", metavar="VECTORS.jsonl", help="vector files ('-' for stdin)")
    engine_option(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "validate",
        help="parse policy documents and report every problem with its JSON pointer",
        description="Parse policy documents and report located errors. Exit 1 if any policy is invalid.",
    )
    p.add_argument("policies", nargs="+", metavar="POLICY.json", help="policy files ('-' for stdin)")
    p.add_argument(
        "--kind",
        choices=POLICY_KINDS,
        default=None,
        help="policy type (default: resource if a statement has Principal/NotPrincipal, else identity)",
    )
    engine_option(p)
    p.set_defaults(func=cmd_validate)
    return parser


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the ``iameval`` command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_BAD_INPUT
    func: Callable[[argparse.Namespace, TextIO], int] = args.func
    try:
        return func(args, sys.stdout)
    except BadInput as exc:
        _report(exc.problems)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `iameval check ... | head`
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
