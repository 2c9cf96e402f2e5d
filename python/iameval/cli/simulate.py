"""``iameval simulate``: the requests of a scenario file (or of a JSON-lines stream) against one policy set.

A scenario is ``{"description", "policies", "defaults", "requests"}``; a policy in ``policies`` may be written
``{"file": "path.json"}`` (relative to the scenario file). ``--requests FILE`` streams requests, one JSON
object per line, through the batch path in chunks: memory stays flat whatever the number of requests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any

from iameval.cli.inputs import (
    DECISIONS,
    REQUEST_FIELDS,
    BadInput,
    add_engine_option,
    decision_text,
    engine,
    errors_of,
    iter_lines,
    load_json,
    merge_request,
    policy_problems,
    read_bytes,
    resolve_policy_files,
)
from iameval.cli.output import Output, add_output_options, report
from iameval.errors import json_pointer
from iameval.reference.authorize import POLICY_KEYS

#: keys a request may carry besides the request fields; they are not passed to the engine
ANNOTATIONS = ("name", "expected", "why")
SCENARIO_KEYS = ("description", "policies", "defaults", "requests")
BUILTIN_EXAMPLE = "<built-in example>"
#: the table columns that wrap when the table is wider than the terminal
WRAP = ("name", "principal", "resource", "matched statements", "missing keys")
#: rows per batch call when streaming requests
CHUNK = 4096


def register(sub: Any) -> None:
    p = sub.add_parser(
        "simulate",
        help="evaluate the requests of a scenario file (or the built-in example) or a stream of requests",
        description='Evaluate the requests of a scenario: {"policies": {...}, "defaults": {...}, '
        '"requests": [...]}; a policy may be {"file": "path.json"}, relative to the scenario. Without a '
        "file, runs the built-in example. With --requests, the scenario gives the policies and defaults "
        "and the requests are read one JSON object per line (streamed, evaluated in batches). Exit 1 when a "
        'request\'s "expected" decision does not hold, 2 on bad input (every bad line is reported; the run '
        "goes on).",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO.json",
        help="scenario file ('-' for stdin); default: the built-in example",
    )
    p.add_argument(
        "--requests",
        metavar="REQUESTS.jsonl",
        help="stream requests from this JSON-lines file ('-' for stdin) instead of the scenario's `requests`; "
        "results are printed as they are decided",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="with --requests: full results (deciding layer, matched statements, missing keys) instead of "
        "the decision alone (slower)",
    )
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="with --requests: no progress bar (it is shown on stderr only when stderr is a terminal and "
        "the requests come from a file)",
    )
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument(
        "--threads", type=int, default=None, help="worker threads for --requests (default: all cores)"
    )
    add_output_options(p)
    add_engine_option(p)
    p.set_defaults(func=run)


# -- the scenario -------------------------------------------------------------------------------------------------


def load_scenario(file: str | None) -> tuple[str, Any]:
    if file is None:
        data = resources.files("iameval").joinpath("examples").joinpath("scenario.json").read_bytes()
        return BUILTIN_EXAMPLE, load_json(data, BUILTIN_EXAMPLE)
    return file, load_json(read_bytes(file, what="the scenario"), file)


def request_problems(req: Any, where: str, base: tuple[str | int, ...]) -> list[tuple[str, str, str]]:
    """Shape problems of one request object (scenario request or request line) located at ``base``."""
    if not isinstance(req, dict):
        return [(where, json_pointer(base), "a request must be an object")]
    problems = []
    for key in req:
        if key not in REQUEST_FIELDS and key not in ANNOTATIONS:
            problems.append((where, json_pointer((*base, key)), f"unknown request field `{key}`"))
    for key in ("name", "why"):
        if key in req and not isinstance(req[key], str):
            problems.append((where, json_pointer((*base, key)), f"`{key}` must be a string"))
    if "expected" in req and req["expected"] not in DECISIONS:
        problems.append(
            (
                where,
                json_pointer((*base, "expected")),
                f"`expected` must be one of {', '.join(DECISIONS)}, not {json.dumps(req['expected'])}",
            )
        )
    return problems


def scenario_problems(doc: Any, file: str, *, streaming: bool) -> list[tuple[str, str, str]]:
    if not isinstance(doc, dict):
        return [(file, "", "a scenario must be a JSON object with `policies` and `requests`")]
    problems: list[tuple[str, str, str]] = []
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
        if not streaming:
            problems.append((file, "", "a scenario needs `requests` (a list of request objects)"))
        return problems
    requests = doc["requests"]
    if not isinstance(requests, list):
        problems.append((file, "/requests", "`requests` must be a list of request objects"))
        return problems
    for i, req in enumerate(requests):
        problems.extend(request_problems(req, file, ("requests", i)))
    return problems


def _has_key(mapping: Any, key: Any) -> bool:
    return isinstance(mapping, Mapping) and key in mapping


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


def build_policy_set(doc: Mapping[str, Any], file: str, eng: Any) -> tuple[Any, list[tuple[str, str, str]]]:
    """The scenario's policy set (policies given by file read in), or an empty one and the problems."""
    policies, sources = resolve_policy_files(doc.get("policies", {}), file)
    try:
        return eng.PolicySet.from_vector(policies), []
    except (eng.PolicyError, ValueError, TypeError) as exc:
        return eng.PolicySet(), policy_problems(exc, file, ("policies",), sources)


def run(args: argparse.Namespace, out: Output) -> int:
    if args.json:
        out.format = "json"
    file, doc = load_scenario(args.scenario)
    streaming = args.requests is not None
    for option, given in (
        ("--explain", args.explain),
        ("--threads", args.threads is not None),
        ("--no-progress", args.no_progress),
    ):
        if given and not streaming:
            raise BadInput([(option, "", "only with --requests (a stream of requests)")])
    problems = scenario_problems(doc, file, streaming=streaming)
    if problems:
        raise BadInput(problems)
    eng = engine(args.engine)
    policy_set, problems = build_policy_set(doc, file, eng)
    if streaming:
        if problems:
            raise BadInput(problems)
        return Stream(args, out, eng, policy_set, doc.get("defaults", {})).run()
    return _run_scenario(doc, file, eng, policy_set, problems, out)


# -- a scenario's requests ----------------------------------------------------------------------------------------


def _run_scenario(
    doc: Mapping[str, Any],
    file: str,
    eng: Any,
    policy_set: Any,
    problems: list[tuple[str, str, str]],
    out: Output,
) -> int:
    defaults = doc.get("defaults", {})
    evaluated: list[tuple[int, Mapping[str, Any], dict[str, Any], Any]] = []
    for i, raw in enumerate(doc["requests"]):
        request = merge_request(defaults, raw)
        try:
            result = policy_set.evaluate(request)
        except (eng.RequestError, ValueError, TypeError) as exc:
            for e in errors_of(exc):
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
    rows: list[list[Any]] = []
    counts = dict.fromkeys(DECISIONS, 0)
    with_expectations = any("expected" in raw for raw in doc["requests"])
    for i, raw, request, result in evaluated:
        decision = decision_text(result.decision)
        expected = raw.get("expected")
        ok = None if expected is None else decision == expected
        counts[decision] = counts.get(decision, 0) + 1
        if ok is False:
            name = f" ({raw['name']})" if raw.get("name") else ""
            why = f"\n  why: {raw['why']}" if raw.get("why") else ""
            mismatches.append(f"MISMATCH request {i}{name}: expected {expected}, got {decision}{why}\n")
        if out.json:
            out.json_line(
                {
                    "index": i,
                    "name": raw.get("name"),
                    "request": request,
                    "result": result.to_dict(),
                    "expected": expected,
                    "ok": ok,
                }
            )
            continue
        row = [
            str(i),
            str(raw.get("name", "")),
            str(request.get("principal", "")),
            str(request.get("action", "")),
            str(request.get("resource", "*")),
            out.decision(decision),
            str(result.decided_by),
            "\n".join(m.label() for m in result.matched) or "-",
            "\n".join(result.missing_context_keys) or "-",
        ]
        if with_expectations:
            row.append(
                "-"
                if ok is None
                else "ok"
                if ok
                else out.styled(f"MISMATCH (expected {expected})", "bold red")
            )
        rows.append(row)
    if out.json:
        return 1 if mismatches else 0

    header = ["#", "name", "principal", "action", "resource", "decision", "decided by", "matched statements"]
    header.append("missing keys")
    if with_expectations:
        header.append("expected")
    if isinstance(doc.get("description"), str) and doc["description"]:
        out.paragraph(doc["description"])
        out.write("\n")
    principals = {str(request.get("principal", "")) for _, _, request, _ in evaluated}
    if len(principals) == 1 and rows:  # one principal for every request: say it once, above the table
        out.write(f"principal: {principals.pop()}\n\n")
        column = header.index("principal")
        del header[column]
        for row in rows:
            del row[column]
    out.table(header, rows, wrap=WRAP)
    summary = f"\n{len(evaluated)} request{'s' if len(evaluated) != 1 else ''}: " + ", ".join(
        f"{n} {d}" for d, n in counts.items()
    )
    checked = sum(1 for _, raw, _, _ in evaluated if "expected" in raw)
    if checked:
        summary += f"; {checked - len(mismatches)} of {checked} expected decisions hold"
    out.write(summary + "\n")
    out.write("".join(mismatches))
    return 1 if mismatches else 0


# -- a stream of requests -----------------------------------------------------------------------------------------


class Stream:
    """Requests read one per line, decided in chunks of ``CHUNK`` through the batch path (``decide_many``, or
    ``evaluate_many`` with ``--explain`` or the reference engine), results written as each chunk is decided."""

    def __init__(
        self, args: argparse.Namespace, out: Output, eng: Any, policy_set: Any, defaults: Mapping[str, Any]
    ) -> None:
        self.source: str = args.requests
        self.out = out
        self.eng = eng
        self.policy_set = policy_set
        self.defaults = defaults
        #: full results in the output; the batch call is evaluate_many with --explain or when the engine
        #: (the reference) has no decide_many, and the output is the same whichever call decided
        self.explain = bool(args.explain)
        self.full = self.explain or not hasattr(policy_set, "decide_many")
        self.threads: int | None = args.threads
        self.show_progress = not args.no_progress and self.source != "-" and sys.stderr.isatty()
        self.counts = dict.fromkeys(DECISIONS, 0)
        self.total = self.bad = self.checked = self.mismatches = 0

    def run(self) -> int:
        if self.threads is not None and hasattr(self.policy_set, "decide_many"):
            try:  # the engine's own check, before a bad count could pass for a bad row in every chunk
                self.policy_set.evaluate_many([], threads=self.threads)
            except ValueError as exc:
                raise BadInput([("--threads", "", str(exc))]) from None
        chunk: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        with self._progress() as advance:
            for lineno, line in iter_lines(self.source, what="the requests"):
                advance(len(line))
                try:
                    raw = load_json(line, self.source, line_of_its_own=True)
                except BadInput as exc:
                    self._bad([(f"{self.source}:{lineno}", p, m) for _, p, m in exc.problems])
                    continue
                problems = request_problems(raw, self.source, ())
                if problems:
                    self._bad([(f"{self.source}:{lineno}", p, m) for _, p, m in problems])
                    continue
                chunk.append((lineno, raw, merge_request(self.defaults, raw)))
                if len(chunk) >= CHUNK:
                    self._decide(chunk)
                    chunk = []
            if chunk:
                self._decide(chunk)
        if self.total == 0 and self.bad == 0:
            raise BadInput([(self.source, "", "no requests in the file")])
        if not self.out.json:
            summary = f"\n{self.total} request{'s' if self.total != 1 else ''}: " + ", ".join(
                f"{n} {d}" for d, n in self.counts.items()
            )
            if self.checked:
                summary += f"; {self.checked - self.mismatches} of {self.checked} expected decisions hold"
            if self.bad:
                summary += f"; {self.bad} bad line{'s' if self.bad != 1 else ''}"
            self.out.write(summary + "\n")
        if self.bad:
            return 2
        return 1 if self.mismatches else 0

    @contextmanager
    def _progress(self) -> Iterator[Any]:
        if not self.show_progress:
            yield lambda n: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        size = os.path.getsize(self.source) if os.path.isfile(self.source) else None
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        ) as progress:
            task = progress.add_task("requests", total=size)
            pending = 0

            def advance(n: int) -> None:
                nonlocal pending
                pending += n
                if pending >= 1 << 20:
                    progress.advance(task, pending)
                    pending = 0

            yield advance

    def _bad(self, problems: list[tuple[str, str, str]]) -> None:
        self.bad += 1
        report(problems)

    def _decide(self, chunk: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
        requests = [request for _, _, request in chunk]
        try:
            outcomes: list[Any] = self._batch(requests)
        except (self.eng.RequestError, ValueError, TypeError):
            # some row is bad: decide row by row to report exactly the bad lines, keep the others
            outcomes = []
            for lineno, _, request in chunk:
                try:
                    result = self.policy_set.evaluate(request)
                    outcomes.append(result if self.explain else result.decision)
                except (self.eng.RequestError, ValueError, TypeError) as exc:
                    where = f"{self.source}:{lineno}"
                    outcomes.append(None)
                    self._bad(
                        [
                            (where, str(e.get("pointer") or ""), str(e.get("message", "")))
                            for e in errors_of(exc)
                        ]
                    )
        for (lineno, raw, request), outcome in zip(chunk, outcomes, strict=True):
            if outcome is None:
                continue
            self._emit(lineno, raw, request, outcome)

    def _batch(self, requests: list[dict[str, Any]]) -> list[Any]:
        if self.full:
            if hasattr(self.policy_set, "decide_many"):
                results = self.policy_set.evaluate_many(requests, threads=self.threads)
            else:
                results = self.policy_set.evaluate_many(requests)
            return list(results) if self.explain else [r.decision for r in results]
        for request in requests:  # decide_many needs every principal and action; evaluate() says why not
            if not isinstance(request.get("principal"), str) or not isinstance(request.get("action"), str):
                raise ValueError("a request without principal or action")
        accounts = {
            key: [r.get(key) for r in requests] if any(r.get(key) is not None for r in requests) else None
            for key in ("principal_account", "resource_account")
        }
        return list(
            self.policy_set.decide_many(
                [r["action"] for r in requests],
                ["*" if r.get("resource") is None else r["resource"] for r in requests],
                principals=[r["principal"] for r in requests],
                contexts=[r.get("context") for r in requests],
                principal_accounts=accounts["principal_account"],
                resource_accounts=accounts["resource_account"],
                threads=self.threads,
                as_list=True,
            )
        )

    def _emit(self, lineno: int, raw: Mapping[str, Any], request: Mapping[str, Any], outcome: Any) -> None:
        result = outcome if self.explain else None
        decision = decision_text(outcome if result is None else result.decision)
        self.total += 1
        self.counts[decision] = self.counts.get(decision, 0) + 1
        expected = raw.get("expected")
        ok = None if expected is None else decision == expected
        if ok is not None:
            self.checked += 1
            self.mismatches += not ok
        if self.out.json:
            line: dict[str, Any] = {"line": lineno, "name": raw.get("name"), "decision": decision}
            if result is not None:
                line["result"] = result.to_dict()
            line["expected"] = expected
            line["ok"] = ok
            self.out.json_line(line)
            return
        resource = request.get("resource")
        text = f"{lineno}: {decision} {request.get('action')} {'*' if resource is None else resource}"
        if raw.get("name"):
            text += f" ({raw['name']})"
        if result is not None:
            text += f" [decided by {result.decided_by}]"
        if ok is False:
            text += f" MISMATCH (expected {expected})"
        self.out.write(text + "\n")
