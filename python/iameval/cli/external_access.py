"""``iameval external-access --account gaad.json [--org ORG] [--org-id o-...] [--resource-policies DIR]``: which
loaded resources (resource-based policies and roles' trust policies) let a principal outside the account or the
organization, or anyone, act on them, with which actions and conditions — Access Analyzer's external access
findings, offline (:mod:`iameval.questions.external`). Exit 0 when nothing is found, 1 when something is, 2 on
bad input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from iameval.cli.accounts import (
    add_context_option,
    add_environment_options,
    add_scale_options,
    load_environment,
    progress_bar,
    read_context,
    run_scaled,
)
from iameval.cli.inputs import BadInput
from iameval.cli.output import Output

CATEGORY_STYLES = {"public": "bold red", "outside-organization": "red", "cross-account": "yellow",
                   "federated": "cyan", "service": "blue"}


def register(sub: Any) -> None:
    from iameval.questions.external import CATEGORIES

    p = sub.add_parser(
        "external-access",
        help="resources whose policies let principals outside the account or organization (or anyone) in",
        description="For every loaded resource policy (buckets, keys, queues, topics, functions, secrets, "
        "repositories, and every role's trust policy), after the RCPs of its owner account: which principals "
        "outside the zone of trust (the organization when --org is given, else the account) may act on it, "
        "with which actions, and under which conditions. Categories: public (anyone / any AWS account), "
        "outside-organization, cross-account, federated (identity providers), service (AWS service "
        "principals, which Access Analyzer does not report). The other account's identity side is assumed to "
        "allow. Exit 0 when nothing is found, 1 when something is, 2 on bad input.",
    )
    add_context_option(p)
    p.add_argument("--org-id", metavar="o-ID",
                   help="the organization's id, so aws:PrincipalOrgID conditions naming it are decided exactly")
    p.add_argument("--zone", choices=("account", "organization"),
                   help="the zone of trust (default: organization with --org, else account)")
    p.add_argument("--category", action="append", choices=CATEGORIES, metavar="CATEGORY",
                   help=f"report only these categories (repeatable: {', '.join(CATEGORIES)})")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    add_environment_options(p)
    add_scale_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, out: Output) -> int:
    from iameval.questions.external import CATEGORIES, external_access

    env = load_environment(args)
    if args.zone == "organization" and env.organization is None:
        raise BadInput([("--zone", "", "the organization zone needs --org")])
    total = len(env.resources)
    with progress_bar(not args.quiet and total > 1 and sys.stderr.isatty(), "resources") as progress:
        if args.workers is not None or args.dask is not None:
            findings = _scaled(args, env, progress)
        else:
            findings = external_access(env, context=read_context(args), zone=args.zone, org_id=args.org_id,
                                       categories=tuple(args.category or CATEGORIES), progress=progress)
    if out.format == "json":
        out.write(findings.to_json() + "\n")
    elif out.format == "csv":
        out.write(findings.to_csv())
    else:
        _text(out, findings, total)
    for arn, reason in findings.not_evaluated:
        out.err.write(f"iameval: warning: {arn} not evaluated: {reason}\n")
    return 1 if len(findings) else 0


def _text(out: Output, findings: Any, total: int) -> None:
    resources = len({f.resource for f in findings})
    out.line(f"{len(findings)} finding(s) on {resources} of {total} resource(s)")
    if not len(findings):
        return
    rows = []
    for f in findings:
        actions = f"{f.action_text}" + (f" [{len(f.actions)}]" if len(f.actions) > 1 else "")
        condition = "yes: " + ", ".join(f.condition_keys) if f.conditional else "no"
        notes = [*f.assumed] + (["identity side assumed"] if f.identity_side == "assumed" else [])
        why = "\n".join([*(m.label() for m in f.matched), *notes])
        rows.append([out.styled(f.category, CATEGORY_STYLES.get(f.category, "")), f.resource, f.principal,
                     actions, condition, why])
    out.table(["category", "resource", "principal", "actions", "conditional", "why"], rows,
              wrap=("resource", "principal", "actions", "conditional", "why"))


def _scaled(args: argparse.Namespace, env: Any, progress: Any) -> Any:
    """The loaded resources in chunks on ``--workers`` processes or the ``--dask`` cluster, sorted as one run
    sorts them."""
    import functools

    from iameval.questions.external import CATEGORIES, Findings, external_chunk

    question = functools.partial(external_chunk, context=read_context(args), zone=args.zone, org_id=args.org_id,
                                 categories=tuple(args.category or CATEGORIES))
    found: Findings = run_scaled(args, env, question, list(env.resources), Findings(), progress)
    return found.sorted()
