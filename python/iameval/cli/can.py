"""``iameval can PRINCIPAL ACTION RESOURCE --account gaad.json [--org ORG] [--resource-policies DIR]``: may this
principal do this action on this resource, built from the loaded account (principal tags as context, the
resource's policy and owner, the SCP and RCP levels that apply)? Exit 0 allowed, 1 denied (or conditional),
2 bad input.
"""

from __future__ import annotations

import argparse
from typing import Any

from iameval.cli.accounts import (
    add_context_option,
    add_environment_options,
    bad_input,
    load_environment,
    read_context,
)
from iameval.cli.output import Output


def register(sub: Any) -> None:
    p = sub.add_parser(
        "can",
        help="may a principal of a loaded account do an action on a resource, and why",
        description="Decide one request from a whole account: the principal's identity policies, groups and "
        "permissions boundary, its tags as aws:PrincipalTag context, the resource's policy and owner account "
        "(roles' trust policies included), and the SCPs and RCPs of the organization. A decision that depends on "
        "context keys not given is reported as conditional, with the keys. Exit 0 when allowed "
        "unconditionally, 1 otherwise, 2 on bad input.",
    )
    p.add_argument("principal", help="the principal: a user or role ARN, or its name")
    p.add_argument("action", help="the action, e.g. s3:GetObject")
    p.add_argument("resource", help="the resource ARN (or *)")
    add_context_option(p)
    add_environment_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, out: Output) -> int:
    from iameval.questions import Answers, can

    env = load_environment(args)
    with bad_input(args.principal):
        answer = can(env, args.principal, args.action, args.resource, read_context(args))
    answers = Answers([answer])
    if out.format != "text":
        from iameval.cli.accounts import write_answers

        write_answers(out, answers)
    else:
        out.line(out.decision(answer.decision), f"  {answer.principal}  {answer.action}  {answer.resource}")
        out.line(f"decided by: {answer.decided_by}")
        if answer.conditional:
            out.line(out.styled("conditional", "bold yellow"),
                     f": depends on context not given: {', '.join(answer.missing_context_keys)}")
        if answer.matched:  # every matched statement, the SCP and RCP levels that allowed included
            out.table(["policy type", "policy", "statement", "sid", "effect"],
                      [[m.policy_type, m.policy, str(m.statement_index), m.sid or "", m.effect]
                       for m in answer.matched], wrap=("policy",))
    return 0 if answer.allowed and not answer.conditional else 1
