"""``iameval privesc --account gaad.json [--org ORG] [--resource-policies DIR] [--format text|json|csv]``: which
principals of the loaded accounts can escalate their privileges (the known paths, assuming or passing a more
privileged role), each decided with the engine; admins are listed as such. Exit 0 when no principal can
escalate, 1 when one can (conditionally or not), 2 bad input.
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
)
from iameval.cli.output import Output


def register(sub: Any) -> None:
    p = sub.add_parser(
        "privesc",
        help="which principals of a loaded account can escalate their privileges, and how",
        description="Find the principals that can raise their own privileges by a known escalation path "
        "(Rhino Security Labs, BishopFox IAM Vulnerable: iam:CreatePolicyVersion on their own policy, "
        "iam:AttachUserPolicy on themselves, iam:PassRole of a more privileged role with lambda:CreateFunction, "
        "iam:UpdateAssumeRolePolicy, ...) or by assuming a more privileged role, each action decided with the "
        "engine (boundaries, SCPs, trust policies). Principals already admin are reported as admin. A finding "
        "that depends on context keys not given is conditional, with the keys. Exit 0 when no principal can "
        "escalate, 1 when one can, 2 on bad input.",
    )
    p.add_argument("--principal", action="append", default=[], metavar="ARN_OR_NAME",
                   help="only this principal (repeatable; default: every principal)")
    p.add_argument("--include-service-linked", action="store_true",
                   help="evaluate service-linked roles too (by default they are listed as not evaluated)")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    add_context_option(p)
    add_environment_options(p)
    add_scale_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, out: Output) -> int:
    from iameval.questions.privesc import privesc

    env = load_environment(args)
    context = read_context(args)
    with bad_input("input"):
        chosen = [env.principal(p) for p in args.principal] or None
        with progress_bar(not args.quiet and sys.stderr.isatty(), "principals") as advance:
            if args.workers is not None or args.dask is not None:
                findings = _scaled(args, env, context, chosen, advance)
            else:
                findings = privesc(env, context=context, principals=chosen,
                                   include_service_linked=args.include_service_linked, progress=advance)
    if out.format == "json":
        out.write(findings.to_json() + "\n")
    elif out.format == "csv":
        out.write(findings.to_csv())
    else:
        _table(out, findings)
    for arn, reason in findings.not_evaluated:
        out.err.write(f"iameval: warning: {arn} not evaluated: {reason}\n")
    return 1 if any(f.kind != "admin" for f in findings) else 0


def _scaled(args: argparse.Namespace, env: Any, context: Any, chosen: Any, advance: Any) -> Any:
    """The principals in chunks on ``--workers`` processes or the ``--dask`` cluster (same findings, same
    order, as one process)."""
    import functools

    from iameval.questions.privesc import Findings, privesc_chunk

    question = functools.partial(privesc_chunk, context=context, include_service_linked=args.include_service_linked)
    arns = None if chosen is None else [p.arn for p in chosen]
    return run_scaled(args, env, question, arns, Findings(), advance)


def _table(out: Output, findings: Any) -> None:
    rows = []
    for f in findings:
        steps = "\n".join(f"{a.action} on {a.resource}: {a.decision}"
                          + "".join(f"\n  {line}" for line in why(a).splitlines()) for a in f.steps)
        rows.append([f.principal, f.kind, f.path, f.target,
                     "yes: " + ", ".join(f.missing_context_keys) if f.conditional else "no", steps])
    escalating = len({f.principal for f in findings if f.kind != "admin"})
    admins = sum(1 for f in findings if f.kind == "admin")
    out.line(f"{escalating} principal(s) can escalate, {admins} already admin, {len(findings)} finding(s)")
    if rows:
        out.table(["principal", "kind", "path", "target", "conditional", "steps (deciding statements)"], rows,
                  wrap=("principal", "target", "conditional", "steps (deciding statements)"))
