"""``iameval validate POLICY.json...``: parse policy documents and report every problem with its pointer."""

from __future__ import annotations

import argparse
import json
from typing import Any

from iameval.cli.inputs import BadInput, add_engine_option, engine, errors_of, read_bytes
from iameval.cli.output import Output, add_output_options, report

POLICY_KINDS = ("identity", "resource", "permission_boundary", "session", "scp", "rcp")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "validate",
        help="parse policy documents and report every problem with its JSON pointer",
        description="Parse policy documents and report located errors (invalid JSON with line and column, "
        "misspelled elements and operators with a hint). Exit 1 if any policy is invalid, 2 if a file "
        "cannot be read.",
    )
    p.add_argument("policies", nargs="+", metavar="POLICY.json", help="policy files ('-' for stdin)")
    p.add_argument(
        "--kind",
        choices=POLICY_KINDS,
        default=None,
        help="policy type (default: resource if a statement has Principal/NotPrincipal, else identity)",
    )
    add_output_options(p, wide=False)
    add_engine_option(p)
    p.set_defaults(func=run)


def guess_kind(data: bytes) -> str:
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


def run(args: argparse.Namespace, out: Output) -> int:
    eng = engine(args.engine)
    unreadable: list[tuple[str, str, str]] = []
    valid = invalid = 0
    for file in args.policies:
        try:
            data = read_bytes(file, what=f"policy {file}")
        except BadInput as exc:
            unreadable.extend(exc.problems)
            if out.json:
                out.json_line(
                    {
                        "file": file,
                        "kind": args.kind,
                        "valid": None,
                        "errors": [
                            {"type": "unreadable", "pointer": "", "message": m} for _, _, m in exc.problems
                        ],
                    }
                )
            continue
        kind = args.kind or guess_kind(data)
        # the raw bytes go to the engine: it reports invalid JSON with line and column, and duplicate keys
        try:
            errors = eng.validate_policy(data, kind=kind)
        except (eng.PolicyError, ValueError, TypeError) as exc:
            errors = errors_of(exc)
        if errors:
            invalid += 1
        else:
            valid += 1
        if out.json:
            out.json_line(
                {
                    "file": file,
                    "kind": kind,
                    "valid": not errors,
                    "errors": [
                        {
                            "type": e.get("type", ""),
                            "pointer": e.get("pointer", ""),
                            "message": e.get("message", ""),
                        }
                        for e in errors
                    ],
                }
            )
        elif errors:
            for e in errors:
                out.write(f"{file}: {e.get('pointer') or '/'}: {e.get('message', '')}\n")
        else:
            out.write(f"{file}: valid {kind} policy\n")
    if unreadable:
        report(unreadable)
    if len(args.policies) > 1 and not out.json:
        out.write(
            f"{valid} valid, {invalid} invalid"
            + (f", {len(unreadable)} unreadable" if unreadable else "")
            + "\n"
        )
    if unreadable:
        return 2
    return 1 if invalid else 0
