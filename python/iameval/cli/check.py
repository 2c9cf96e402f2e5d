"""``iameval check VECTORS.jsonl...``: run test vectors, one JSON object per line, streamed.

A vector is ``{"id", "policies", "request", "expected": Allow|ExplicitDeny|ImplicitDeny}`` (the format of the
conformance vectors), or an **error vector** ``{"id", "policies", "expected_error": "PolicyError", "error_policy":
"identity/1"}`` that passes when building the policy set fails with that error (and, when ``error_policy`` is
given, a problem in that policy). A malformed line is reported with its line number and the run goes on.
"""

from __future__ import annotations

import argparse
from typing import Any

from iameval.cli.inputs import (
    DECISIONS,
    BadInput,
    add_engine_option,
    decision_text,
    engine,
    errors_of,
    iter_lines,
    load_json,
    policy_problems,
)
from iameval.cli.output import Output, add_output_options, report

ERROR_TYPES = ("PolicyError", "RequestError")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="run test vectors (JSON lines) and report every failure",
        description="Run test vectors through the engine: decision vectors (`expected`) and error vectors "
        "(`expected_error`: PolicyError or RequestError). Files are read line by line; a malformed line is "
        "reported with its line number and the run goes on. Exit 1 when a vector fails, 2 on a malformed "
        "line, an unreadable file or a file with no vectors.",
    )
    p.add_argument("vectors", nargs="+", metavar="VECTORS.jsonl", help="vector files ('-' for stdin)")
    add_output_options(p, wide=False)
    add_engine_option(p)
    p.set_defaults(func=run)


def vector_problems(vector: Any, where: str) -> list[tuple[str, str, str]]:
    if not isinstance(vector, dict):
        return [(where, "", "a vector must be a JSON object")]
    problems = []
    if not isinstance(vector.get("policies"), dict):
        problems.append((where, "/policies", "a vector needs `policies` (an object)"))
    if "expected_error" in vector:
        if vector["expected_error"] not in ERROR_TYPES:
            problems.append(
                (where, "/expected_error", f"`expected_error` must be one of {', '.join(ERROR_TYPES)}")
            )
        if "error_policy" in vector and not isinstance(vector["error_policy"], str):
            problems.append((where, "/error_policy", "`error_policy` must be a string such as `identity/1`"))
        if "request" in vector and not isinstance(vector["request"], dict):
            problems.append((where, "/request", "`request` must be an object"))
        if vector["expected_error"] == "RequestError" and "request" not in vector:
            problems.append((where, "/request", "a RequestError vector needs `request` (an object)"))
        return problems
    if not isinstance(vector.get("request"), dict):
        problems.append((where, "/request", "a vector needs `request` (an object)"))
    if vector.get("expected") not in DECISIONS:
        problems.append(
            (
                where,
                "/expected",
                f"`expected` must be one of {', '.join(DECISIONS)} (or give `expected_error`)",
            )
        )
    return problems


class Check:
    def __init__(self, args: argparse.Namespace, out: Output) -> None:
        self.out = out
        self.eng = engine(args.engine)
        self.passed = self.failed = self.bad = 0

    def run(self, files: list[str]) -> int:
        for file in files:
            seen = 0
            try:
                for lineno, line in iter_lines(file, what="vectors"):
                    seen += 1
                    self._line(f"{file}:{lineno}", line)
            except BadInput as exc:  # unreadable file: report it, go on with the others
                self._bad(exc.problems)
                continue
            if seen == 0:
                self._bad([(file, "", f"no vectors in {file}")])
        if self.out.json:
            self.out.json_line(
                {"summary": True, "passed": self.passed, "failed": self.failed, "bad": self.bad}
            )
        else:
            self.out.write(
                f"{self.passed} passed, {self.failed} failed"
                + (f", {self.bad} bad input" if self.bad else "")
                + "\n"
            )
        if self.bad:
            return 2
        return 1 if self.failed else 0

    def _bad(self, problems: list[tuple[str, str, str]]) -> None:
        self.bad += 1
        report(problems)

    def _line(self, where: str, line: bytes) -> None:
        try:
            vector = load_json(line, where, line_of_its_own=True)
        except BadInput as exc:
            self._bad(exc.problems)
            return
        problems = vector_problems(vector, where)
        if problems:
            self._bad(problems)
            return
        if "expected_error" in vector:
            self._error_vector(where, vector)
        else:
            self._decision_vector(where, vector)

    def _error_vector(self, where: str, vector: dict[str, Any]) -> None:
        eng = self.eng
        vid = vector.get("id", where)
        expected = vector["expected_error"]
        got = "no error"
        details: list[tuple[str, str, str]] = []
        try:
            policy_set = eng.PolicySet.from_vector(vector["policies"])
            if "request" in vector:
                policy_set.evaluate(vector["request"])
        except eng.PolicyError as exc:
            got = "PolicyError"
            details = policy_problems(exc, where, ("policies",))
            place = vector.get("error_policy")
            reported = {str(e.get("policy") or "") for e in errors_of(exc)}
            if got == expected and place is not None and place not in reported:
                got = f"PolicyError in {', '.join(sorted(reported)) or 'the set'}, not in {place}"
        except (eng.RequestError, ValueError, TypeError) as exc:
            got = type(exc).__name__ if isinstance(exc, eng.RequestError) else f"{type(exc).__name__}: {exc}"
            details = [
                (where, "/request" + str(e.get("pointer") or ""), str(e.get("message", "")))
                for e in errors_of(exc)
            ]
        ok = got == expected
        self._result(where, vid, ok, expected, got, details=details, why=vector.get("why"))

    def _decision_vector(self, where: str, vector: dict[str, Any]) -> None:
        eng = self.eng
        vid = vector.get("id", where)
        expected = vector["expected"]
        try:
            result = eng.PolicySet.from_vector(vector["policies"]).evaluate(vector["request"])
        except (eng.PolicyError, eng.RequestError, ValueError, TypeError) as exc:
            if isinstance(exc, eng.PolicyError):
                details = policy_problems(exc, where, ("policies",))
            else:
                details = [
                    (where, "/request" + str(e.get("pointer") or ""), str(e.get("message", "")))
                    for e in errors_of(exc)
                ]
            self._result(
                where, vid, False, expected, type(exc).__name__, details=details, why=vector.get("why")
            )
            return
        got = decision_text(result.decision)
        self._result(where, vid, got == expected, expected, got, result=result, why=vector.get("why"))

    def _result(
        self,
        where: str,
        vid: Any,
        ok: bool,
        expected: str,
        got: str,
        *,
        result: Any = None,
        details: list[tuple[str, str, str]] | None = None,
        why: Any = None,
    ) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        if self.out.json:
            line: dict[str, Any] = {"id": vid, "where": where, "ok": ok, "expected": expected, "got": got}
            if result is not None:
                line["result"] = result.to_dict()
            if details:
                line["errors"] = [{"pointer": p, "message": m} for _, p, m in details]
            self.out.json_line(line)
            return
        if ok:
            return
        decided = f" (decided by {result.decided_by})" if result is not None else ""
        self.out.write(f"FAIL {vid} ({where}): expected {expected}, got {got}{decided}\n")
        if result is not None:
            self.out.write(f"  matched: {'; '.join(m.label() for m in result.matched) or '-'}\n")
            if result.missing_context_keys:
                self.out.write(f"  missing context keys: {', '.join(result.missing_context_keys)}\n")
        for _, pointer, message in details or ():
            self.out.write(f"  {pointer or '/'}: {message}\n")
        if why:
            self.out.write(f"  why: {why}\n")


def run(args: argparse.Namespace, out: Output) -> int:
    return Check(args, out).run(list(args.vectors))
