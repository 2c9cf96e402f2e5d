"""``iameval who-can ACTION RESOURCE --account gaad.json [--org ORG] [--resource-policies DIR]``: every principal
of the loaded accounts allowed the action on the resource, and the principals outside them that the resource's
policy names, each with its scope (``loaded``; ``external: identity side not loaded``: allowed by the resource
side, if its own account allows it too; ``external: no identity side``: ``*``, services, federated providers),
the deciding statements, and conditional answers flagged with the missing context keys. Exit 0 when the
answer was produced (even empty), 2 on bad input.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from iameval.cli.accounts import (
    add_context_option,
    add_environment_options,
    add_scale_options,
    bad_input,
    load_environment,
    progress_bar,
    read_context,
    why,
)
from iameval.cli.output import Output

__all__ = ["add_run_options", "register", "run"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "who-can",
        help="which principals may do an action on a resource, and why",
        description="Every principal of the loaded accounts allowed ACTION on RESOURCE (identity policies, "
        "groups, boundaries, tags, the resource's policy, SCPs and RCPs), and the principals outside them that "
        "the resource's policy names: for those, only the resource side is known, and the scope column says "
        "so. Answers that depend on context keys not given are flagged conditional. Exit 0 when the answer "
        "was produced, 2 on bad input.",
    )
    p.add_argument("action", help="the action, e.g. s3:GetObject")
    p.add_argument("resource", help="the resource ARN (or *)")
    p.add_argument("--include-denied", action="store_true", help="list every principal asked about, denied too")
    add_context_option(p)
    add_environment_options(p)
    add_run_options(p)
    add_scale_options(p)
    p.set_defaults(func=run)


def add_run_options(parser: Any) -> None:
    """``--quiet`` and ``--threads``."""
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--threads", type=int, default=None, metavar="N",
                        help="engine threads (default: every core)")


def run(args: argparse.Namespace, out: Output) -> int:
    from iameval.questions.who_can import scopes, who_can

    env = load_environment(args)
    context = read_context(args)
    with bad_input(args.resource):
        if args.workers is not None or args.dask is not None:
            answers = _scaled(args, env, context)
        else:
            with progress_bar(not args.quiet and sys.stderr.isatty(), "cells") as advance:
                answers = who_can(env, args.action, args.resource, context, include_denied=args.include_denied,
                                  threads=args.threads, progress=advance)
    scope = scopes(env, answers)
    if out.format == "json":
        rows = [{**a.to_dict(), "scope": s} for a, s in zip(answers, scope, strict=True)]
        out.write(json.dumps(rows, ensure_ascii=False) + "\n")
    elif out.format == "csv":
        out.write(with_column(answers.to_csv(), "scope", scope))
    else:
        allowed = sum(1 for a in answers if a.allowed)
        conditional = sum(1 for a in answers if a.conditional)
        out.line(f"{allowed} principal(s) allowed {args.action} on {args.resource}, {conditional} conditional, "
                 f"{len(answers)} listed")
        rows_text: list[list[Any]] = [[a.principal, s, out.decision(a.decision),
                      ("yes: " + ", ".join(a.missing_context_keys)) if a.conditional else "no",
                      why(a)]
                     for a, s in zip(answers, scope, strict=True)]
        if rows_text:
            out.table(["principal", "scope", "decision", "conditional", "why"], rows_text,
                      wrap=("principal", "scope", "conditional", "why"))
    for arn, reason in answers.not_evaluated:
        out.err.write(f"iameval: warning: {arn} not evaluated: {reason}\n")
    return 0


def _scaled(args: argparse.Namespace, env: Any, context: Any) -> Any:
    """The loaded principals in chunks on ``--workers`` processes or the ``--dask`` cluster, then the principals
    outside the loaded accounts here (the same rows, in the same order, as one process)."""
    import functools

    from iameval.cli.accounts import run_scaled
    from iameval.questions import Answers
    from iameval.questions.who_can import who_can, who_can_chunk

    question = functools.partial(who_can_chunk, action=args.action, resource=args.resource, context=context,
                                 include_denied=args.include_denied)
    with progress_bar(not args.quiet and sys.stderr.isatty(), "principals") as advance:
        loaded = run_scaled(args, env, question, None, Answers(), advance)
    outside = who_can(env, args.action, args.resource, context, include_denied=args.include_denied,
                      principals=[], external=True, threads=args.threads)
    return Answers.concat([loaded, outside])


def with_column(text: str, name: str, values: list[str]) -> str:
    """CSV ``text`` (a header and one line per value) with one more column."""
    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for i, row in enumerate(rows):
        writer.writerow([*row, name if i == 0 else values[i - 1]])
    return buffer.getvalue()
