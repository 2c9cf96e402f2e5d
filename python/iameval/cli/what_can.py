"""``iameval what-can PRINCIPAL --account gaad.json [--service s3] [--access-level Write] [--resource ARN]``:
every action of AWS's catalog the principal may do, on ``*`` and on the loaded resources whose type the
action supports, with the deciding statements; conditional answers flagged with the missing context keys.
Exit 0 when the answer was produced (even empty), 2 on bad input.
"""

from __future__ import annotations

import argparse
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
    run_scaled,
    why,
    write_answers,
)
from iameval.cli.inputs import BadInput
from iameval.cli.output import Output
from iameval.cli.who_can import add_run_options

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "what-can",
        help="which actions a principal of a loaded account may do, and on what",
        description="Every action of the catalog (optionally of one service and access level) that PRINCIPAL "
        "may do, on * and on each loaded resource whose type the action supports (a role's trust policy for "
        "sts:AssumeRole, ...), decided with its identity policies, groups, boundary, tags, the resource "
        "policies, SCPs and RCPs. Answers that depend on context keys not given are flagged conditional. "
        "Exit 0 when the answer was produced, 2 on bad input.",
    )
    p.add_argument("principal", help="the principal: a user or role ARN, or its name")
    p.add_argument("--service", metavar="PREFIX", help="only the actions of this service, e.g. s3")
    p.add_argument("--access-level", metavar="LEVEL",
                   help="only actions of this access level: List, Read, Write, 'Permissions management', Tagging")
    p.add_argument("--resource", action="append", default=None, metavar="ARN",
                   help="ask on this resource instead of the loaded ones (repeatable; an S3 object ARN is "
                   "governed by its bucket's policy)")
    add_context_option(p)
    add_environment_options(p)
    add_run_options(p)
    add_scale_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, out: Output) -> int:
    from iameval.questions.what_can import what_can

    env = load_environment(args)
    context = read_context(args)
    try:
        with bad_input(args.principal):
            if args.workers is not None or args.dask is not None:
                answers = _scaled(args, env, context)
            else:
                with progress_bar(not args.quiet and sys.stderr.isatty(), "cells") as advance:
                    answers = what_can(env, args.principal, service=args.service, access_level=args.access_level,
                                       resources=args.resource, context=context, threads=args.threads,
                                       progress=advance)
    except KeyError:
        raise BadInput([("--service", "", f"unknown service `{args.service}`")]) from None
    except ValueError as error:
        raise BadInput([("--access-level", "", str(error))]) from None
    if out.format != "text":
        write_answers(out, answers)
        return 0
    principal = answers[0].principal if len(answers) else args.principal
    allowed = sum(1 for a in answers if a.allowed and not a.conditional)
    conditional = sum(1 for a in answers if a.conditional)
    out.line(f"{principal}: {allowed} allowed, {conditional} conditional")
    rows: list[list[Any]] = [[a.action, a.resource, out.decision(a.decision),
             ("yes: " + ", ".join(a.missing_context_keys)) if a.conditional else "no",
             why(a)] for a in answers]
    if rows:
        out.table(["action", "resource", "decision", "conditional", "why"], rows,
                  wrap=("resource", "conditional", "why"))
    for arn, reason in answers.not_evaluated:
        out.err.write(f"iameval: warning: {arn} not evaluated: {reason}\n")
    return 0


def _scaled(args: argparse.Namespace, env: Any, context: Any) -> Any:
    """The catalog's actions in chunks on ``--workers`` processes or the ``--dask`` cluster (the same rows, in
    the same order, as one process)."""
    import functools

    from iameval.catalog import default_catalog
    from iameval.questions import Answers
    from iameval.questions.what_can import catalog_actions, what_can_chunk

    who = env.principal(args.principal)
    actions = catalog_actions(default_catalog(), args.service, args.access_level)
    question = functools.partial(what_can_chunk, principal=who.arn, resources=args.resource, context=context,
                                 threads=1)
    with progress_bar(not args.quiet and sys.stderr.isatty(), "actions") as advance:
        return run_scaled(args, env, question, actions, Answers(), advance)
