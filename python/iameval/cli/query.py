"""``iameval query``: one question (or every action x every resource) asked of policies given as files.

The policies are files (``-`` for standard input, once per run); each is read as bytes and handed to
``PolicySet``, so invalid JSON is reported with its line and column and every problem is located in the file it
came from. The request is built from options: ``--principal``, ``--action`` (repeatable, or ``--actions-file``),
``--resource`` (repeatable, default ``*`` as in ``Request``), ``--context KEY=VALUE`` (a value with commas is a
list), ``--context-json KEY=JSON`` (any value exactly), ``--principal-tag`` and ``--principal-context`` (the
keys AWS sets for the principal, ``principal_context()``; explicit context keys win), ``--principal-account``,
``--resource-account``.

One action x one resource: a detailed report (decision, the deciding layer explained, the matched statements
with their files, missing context keys, ``--trace``). Several: a table, one row per (action, resource). With
``--format json``: one document, or one JSON line per row. ``--expect`` makes the exit code 1 when a decision
differs from it; bad input (files, policies, request options) exits 2.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from iameval.cli.inputs import (
    BadInput,
    add_engine_option,
    decision_text,
    engine,
    errors_of,
    load_json,
    read_bytes,
)
from iameval.cli.output import Output, add_output_options, warn

__all__ = ["EXPECTATIONS", "EXPLANATIONS", "register", "run"]

#: what ``--expect`` accepts; ``Deny`` is either deny
EXPECTATIONS = ("Allow", "Deny", "ExplicitDeny", "ImplicitDeny")

#: the one-line meaning of each deciding layer: ``(decided_by, decision)`` -> text
EXPLANATIONS: dict[tuple[str, str], str] = {
    ("scp", "ExplicitDeny"): "a Deny statement in an SCP applies",
    ("scp", "ImplicitDeny"): "an SCP level does not allow it (every level, root first, must allow it)",
    ("rcp", "ExplicitDeny"): "a Deny statement in an RCP applies",
    ("rcp", "ImplicitDeny"): "an RCP level does not allow it",
    ("vpc_endpoint", "ExplicitDeny"): "the VPC endpoint policy denies it",
    ("vpc_endpoint", "ImplicitDeny"): "the VPC endpoint policy does not allow it (it must; it never grants)",
    ("resource", "ExplicitDeny"): "a Deny statement in the resource-based policy applies",
    ("resource", "ImplicitDeny"): "the resource-based policy does not grant it, and here it must "
    "(a cross-account request, a role trust or KMS key policy, or a caller without identity policies)",
    ("resource", "Allow"): "the resource-based policy grants it on its own, and nothing denies it",
    ("identity", "ExplicitDeny"): "a Deny statement in an identity-based policy applies",
    ("identity", "ImplicitDeny"): "no identity-based policy allows it, and the resource-based policy "
    "cannot grant it on its own here",
    ("identity", "Allow"): "an identity-based policy allows it, and nothing denies it",
    ("identity+resource", "Allow"): "both an identity-based and the resource-based policy allow it "
    "(needed across accounts, and for grants to the account), and nothing denies it",
    ("permission_boundary", "ExplicitDeny"): "a Deny statement in the permissions boundary applies",
    ("permission_boundary", "ImplicitDeny"): "the permissions boundary does not allow it "
    "(it caps what identity-based policies grant)",
    ("session", "ExplicitDeny"): "a Deny statement in the session policy applies",
    ("session", "ImplicitDeny"): "the session policy does not allow it "
    "(it caps what the role's policies grant)",
    ("s3_block_public_access", "ImplicitDeny"): "S3 Block Public Access (RestrictPublicBuckets) ignored the "
    "public bucket-policy grant that would have allowed it",
    ("default", "ImplicitDeny"): "no identity-based or resource-based policy allows it (the default deny)",
    ("root", "Allow"): "the root user of the account, in its own account",
    ("get-caller-identity", "Allow"): "sts:GetCallerIdentity is always allowed",
}

#: how the text report names each layer of a matched statement
_LAYER_NAMES = {
    "identity": "identity",
    "resource": "resource policy",
    "permission_boundary": "boundary",
    "session": "session policy",
    "vpc_endpoint": "VPC endpoint",
    "scp": "scps",
    "rcp": "rcps",
}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "query",
        help="ask one question (or every action x resource) of policy files",
        description="Evaluate a request built from options against policies given as files, and explain "
        "the decision. One action and one resource: a detailed report; several: a table. Exit 0; 1 when "
        "--expect does not hold for some request; 2 for bad input (unreadable file, invalid policy, bad "
        "request option).",
        epilog="context values: --context KEY=VALUE gives a string, or a list of strings when VALUE has commas "
        '(a,b -> ["a", "b"]; KEY= is the empty string); --context-json KEY=JSON gives any value exactly '
        "(a string with commas: KEY='\"a,b\"'; the empty list: KEY=[]). A key may be given once "
        "(case-insensitively); explicit keys override the ones --principal-tag/--principal-context derive.",
    )
    req = p.add_argument_group("the request")
    req.add_argument("--principal", required=True, metavar="ARN", help="the caller (an ARN, a service, *)")
    req.add_argument(
        "--action", action="append", default=[], metavar="ACTION", help="service:Action (repeatable)"
    )
    req.add_argument(
        "--actions-file",
        action="append",
        default=[],
        metavar="FILE",
        help="more actions, one per line ('#' starts a comment; '-' for stdin)",
    )
    req.add_argument(
        "--resource",
        action="append",
        default=[],
        metavar="ARN",
        help="the resource (repeatable; default '*', as in Request)",
    )
    req.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a context key (repeatable); commas in VALUE make a list of strings",
    )
    req.add_argument(
        "--context-json",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="a context key with a JSON value: a string or a list of strings (repeatable)",
    )
    req.add_argument(
        "--principal-tag",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a tag of the principal (repeatable): sets aws:PrincipalTag/KEY, implies --principal-context",
    )
    req.add_argument(
        "--principal-context",
        action="store_true",
        help="add the keys AWS sets for the principal (aws:PrincipalArn, aws:PrincipalAccount, "
        "aws:PrincipalType, aws:username, ...)",
    )
    req.add_argument("--principal-account", metavar="ID", help="default: from the principal's ARN")
    req.add_argument(
        "--resource-account", metavar="ID", help="default: from the resource's ARN (S3: the principal's)"
    )
    pol = p.add_argument_group("the policies (files; '-' reads standard input, once per run)")
    pol.add_argument(
        "--identity", action="append", default=[], metavar="FILE", help="identity policy (repeatable)"
    )
    pol.add_argument("--resource-policy", metavar="FILE", help="the resource's resource-based policy")
    pol.add_argument("--boundary", metavar="FILE", help="permissions boundary")
    pol.add_argument("--session", metavar="FILE", help="session policy")
    pol.add_argument(
        "--scp",
        action="append",
        default=[],
        metavar="FILE[,FILE...]",
        help="one SCP level (its files comma-separated); repeat for each level, organization root first",
    )
    pol.add_argument(
        "--rcp", action="append", default=[], metavar="FILE[,FILE...]", help="one RCP level, as --scp"
    )
    pol.add_argument(
        "--vpc-endpoint", metavar="FILE", help="policy of the VPC endpoint the request goes through"
    )
    pol.add_argument(
        "--block-public-access",
        metavar="true|false|FILE",
        help="S3 RestrictPublicBuckets: true/false, or a PublicAccessBlockConfiguration JSON file "
        "(as `aws s3api get-public-access-block` prints it, wrapped or not)",
    )
    out = p.add_argument_group("output")
    out.add_argument("--trace", action="store_true", help="show every statement of every layer, evaluated")
    out.add_argument(
        "--expect",
        choices=EXPECTATIONS,
        help="exit 1 unless every decision is this (Deny: ExplicitDeny or ImplicitDeny)",
    )
    add_output_options(out)
    add_engine_option(out)
    p.set_defaults(func=run)


# -- policies ----------------------------------------------------------------------------------------------------


@dataclass
class Policies:
    """The ``PolicySet`` arguments read from files, and where each policy came from."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    #: place (a ``MatchedStatement.label()`` prefix such as ``identity[0]``, ``scps[1][0]``) -> file
    files: dict[str, str] = field(default_factory=dict)
    #: a ``PolicyError``'s ``policy`` field (``identity/0``, ``scps/1/0``) -> (file, pointer prefix)
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)


def _split_level(value: str, option: str) -> list[str]:
    files = value.split(",")
    if any(not f for f in files):
        raise BadInput([(option, "", f"`{value}`: an empty file name (a level is FILE[,FILE...])")])
    return files


def _block_public_access(value: str, policies: Policies, problems: list[tuple[str, str, str]]) -> None:
    if value.lower() in ("true", "false"):  # a file named `true` or `false`: write ./true
        policies.kwargs["s3_block_public_access"] = value.lower() == "true"
        return
    try:
        config = load_json(read_bytes(value, what="--block-public-access"), value)
    except BadInput as exc:
        problems.extend(exc.problems)
        return
    prefix = ""
    if isinstance(config, dict) and set(config) == {"PublicAccessBlockConfiguration"}:
        config, prefix = config["PublicAccessBlockConfiguration"], "/PublicAccessBlockConfiguration"
    if isinstance(config, bool):  # the file may hold a bare true/false too
        policies.kwargs["s3_block_public_access"] = config
        return
    policies.kwargs["s3_block_public_access"] = config
    policies.files["s3_block_public_access"] = value
    policies.sources["s3_block_public_access"] = (value, prefix)


def read_policies(args: argparse.Namespace) -> Policies:
    """Every policy file of the command line (every unreadable one reported, not only the first)."""
    policies = Policies()
    problems: list[tuple[str, str, str]] = []

    def read(file: str, place: str, error_place: str, option: str) -> bytes | None:
        try:
            data = read_bytes(file, what=f"{option} {file} ({place})")
        except BadInput as exc:
            problems.extend(exc.problems)
            return None
        policies.files[place] = file
        policies.sources[error_place] = (file, "")
        return data

    identity = [read(f, f"identity[{i}]", f"identity/{i}", "--identity") for i, f in enumerate(args.identity)]
    policies.kwargs["identity"] = identity
    for option, key, value in (
        ("--resource-policy", "resource", args.resource_policy),
        ("--boundary", "permission_boundary", args.boundary),
        ("--session", "session", args.session),
        ("--vpc-endpoint", "vpc_endpoint", args.vpc_endpoint),
    ):
        if value is not None:
            policies.kwargs[key] = read(value, key, key, option)
    for option, key, levels in (("--scp", "scps", args.scp), ("--rcp", "rcps", args.rcp)):
        if levels:
            policies.kwargs[key] = [
                [
                    read(f, f"{key}[{level}][{j}]", f"{key}/{level}/{j}", option)
                    for j, f in enumerate(_split_level(value, option))
                ]
                for level, value in enumerate(levels)
            ]
    if args.block_public_access is not None:
        _block_public_access(args.block_public_access, policies, problems)
    if problems:
        raise BadInput(problems)
    return policies


def policy_set(eng: Any, policies: Policies) -> Any:
    try:
        return eng.PolicySet(**policies.kwargs)
    except eng.PolicyError as exc:
        problems = []
        for e in errors_of(exc):
            file, prefix = policies.sources.get(str(e.get("policy") or ""), ("policies", ""))
            problems.append((file, prefix + str(e.get("pointer") or ""), str(e.get("message", ""))))
        raise BadInput(problems) from None


# -- the request -------------------------------------------------------------------------------------------------


@dataclass
class Question:
    """What the options ask: the rows and, for errors, where each piece came from."""

    principal: str
    actions: list[str]
    resources: list[str]
    context: dict[str, Any]
    principal_account: str | None
    resource_account: str | None
    #: action -> (file or option, pointer) it came from
    action_origin: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: context key (lowercase) -> the option that set it
    key_origin: dict[str, str] = field(default_factory=dict)
    #: the keys derived for the principal (not given explicitly)
    derived: set[str] = field(default_factory=set)


def _key_value(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise BadInput([(option, "", f"`{text}` is not KEY=VALUE")])
    return key, value


def read_actions(args: argparse.Namespace) -> tuple[list[str], dict[str, tuple[str, str]]]:
    actions: list[str] = list(args.action)
    origin = {a: ("--action", "") for a in actions}
    for n, file in enumerate(args.actions_file):
        data = read_bytes(file, what=f"--actions-file {file} (#{n})")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput([(file, "", f"not UTF-8 text (byte {exc.start})")]) from None
        found = 0
        for lineno, line in enumerate(text.splitlines(), 1):
            action = line.partition("#")[0].strip()
            if action:
                found += 1
                actions.append(action)
                origin.setdefault(action, (file, f"line {lineno}"))
        if not found:
            raise BadInput([(file, "", "no actions in the file (one per line, '#' starts a comment)")])
    if not actions:
        raise BadInput([("--action", "", "at least one action is needed (--action or --actions-file)")])
    return actions, origin


def read_context(args: argparse.Namespace, eng: Any) -> tuple[dict[str, Any], dict[str, str], set[str]]:
    """The request context: explicit keys (``--context``, ``--context-json``) over the derived ones."""
    problems: list[tuple[str, str, str]] = []
    explicit: dict[str, Any] = {}
    origin: dict[str, str] = {}

    def put(key: str, value: Any, option: str) -> None:
        if key.lower() in origin:
            problems.append(
                (option, key, f"given twice (also by {origin[key.lower()]}; keys are case-insensitive)")
            )
            return
        origin[key.lower()] = option
        explicit[key] = value

    for text in args.context:
        try:
            key, value = _key_value(text, "--context")
        except BadInput as exc:
            problems.extend(exc.problems)
            continue
        put(key, value.split(",") if "," in value else value, "--context")
    for text in args.context_json:
        try:
            key, raw = _key_value(text, "--context-json")
        except BadInput as exc:
            problems.extend(exc.problems)
            continue
        try:
            value = load_json(raw.encode("utf-8", "surrogateescape"), "--context-json", line_of_its_own=True)
        except BadInput as exc:
            problems.extend((o, key + p, m) for o, p, m in exc.problems)
            continue
        if not (
            isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        ):
            problems.append(("--context-json", key, "the value must be a JSON string or a list of strings"))
            continue
        put(key, value, "--context-json")

    tags: dict[str, str] = {}
    for text in args.principal_tag:
        try:
            key, value = _key_value(text, "--principal-tag")
        except BadInput as exc:
            problems.extend(exc.problems)
            continue
        if key.lower() in {t.lower() for t in tags}:
            problems.append(("--principal-tag", key, "given twice (tag keys are case-insensitive)"))
            continue
        tags[key] = value
    if problems:
        raise BadInput(problems)

    derived: dict[str, Any] = {}
    if tags or args.principal_context:
        option = "--principal-tag" if tags else "--principal-context"
        try:
            derived = dict(eng.principal_context(args.principal, tags=tags or None))
        except eng.RequestError as exc:
            raise BadInput([("--principal", "", str(e.get("message", ""))) for e in errors_of(exc)]) from None
        if tags and not any(k.lower().startswith("aws:principaltag/") for k in derived):
            warn(f"--principal-tag: ignored: `{args.principal}` is not an IAM principal with tags")
        for key in derived:
            origin.setdefault(key.lower(), option)
    context = {k: v for k, v in derived.items() if k.lower() not in {e.lower() for e in explicit}}
    derived_keys = set(context)
    context.update(explicit)
    return context, origin, derived_keys


def read_question(args: argparse.Namespace, eng: Any) -> Question:
    actions, action_origin = read_actions(args)
    context, key_origin, derived = read_context(args, eng)
    return Question(
        principal=args.principal,
        actions=actions,
        resources=list(args.resource) or ["*"],
        context=context,
        principal_account=args.principal_account,
        resource_account=args.resource_account,
        action_origin=action_origin,
        key_origin=key_origin,
        derived=derived,
    )


_FIELD_OPTIONS = {
    "principal": "--principal",
    "resource": "--resource",
    "principal_account": "--principal-account",
    "resource_account": "--resource-account",
}


def request_problems(exc: Exception, question: Question, action: str) -> list[tuple[str, str, str]]:
    """A ``RequestError`` located at the option (or actions file line) that gave the faulty piece."""
    out = []
    for e in errors_of(exc):
        path = tuple(e.get("path") or ())
        message = str(e.get("message", ""))
        name = str(path[0]) if path else ""
        if name == "action":
            out.append((*question.action_origin.get(action, ("--action", "")), message))
        elif name == "context" and len(path) > 1:
            key = str(path[1])
            out.append((question.key_origin.get(key.lower(), "--context"), key, message))
        elif name in _FIELD_OPTIONS:
            out.append((_FIELD_OPTIONS[name], "", message))
        else:
            out.append(("request", str(e.get("pointer") or ""), message))
    return out


# -- answers -----------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    request: Any
    result: Any
    expected: str | None

    @property
    def decision(self) -> str:
        return decision_text(self.result.decision)

    @property
    def ok(self) -> bool | None:
        if self.expected is None:
            return None
        if self.expected == "Deny":
            return self.decision != "Allow"
        return self.decision == self.expected


def explanation(decided_by: str, decision: str) -> str:
    return EXPLANATIONS.get((decided_by, decision), "")


def place_of(m: Any) -> str:
    """The place of a matched statement's policy, as ``Policies.files`` names it."""
    if m.level is not None:
        return f"{m.policy_type}s[{m.level}][{m.policy_index}]"
    if m.policy_type == "identity":
        return f"identity[{m.policy_index}]"
    return str(m.policy_type)


def statement_text(m: Any, files: Mapping[str, str]) -> str:
    """``Deny  scps level 1: ou.json statement #0 (DenyOutsideRegions)``."""
    layer = _LAYER_NAMES.get(m.policy_type, m.policy_type)
    if m.level is not None:
        layer = f"{layer} level {m.level}"
    file = files.get(place_of(m), place_of(m))
    sid = f" ({m.sid})" if m.sid else ""
    return f"{m.effect:<5} {layer}: {file} statement #{m.statement_index}{sid}"


def statement_cell(m: Any, files: Mapping[str, str]) -> str:
    """Short form for tables: ``ou.json#0 (DenyOutsideRegions) Deny``."""
    file = files.get(place_of(m), place_of(m))
    sid = f" ({m.sid})" if m.sid else ""
    return f"{file}#{m.statement_index}{sid} {m.effect}"


def answer_json(answer: Answer, policies: Policies) -> dict[str, Any]:
    result = answer.result
    return {
        "request": answer.request.to_dict(),
        "result": result.to_dict(),
        "explanation": explanation(result.decided_by, answer.decision),
        "policies": dict(policies.files),
        "expected": answer.expected,
        "ok": answer.ok,
    }


def levels_not_allowing(result: Any, policies: Policies) -> list[str]:
    """For an implicit deny by an SCP (or RCP) level: the levels where no Allow applied, with their files
    (``scps level 1 (ou.json)``)."""
    kind = {"scp": "scps", "rcp": "rcps"}.get(result.decided_by)
    if kind is None or decision_text(result.decision) != "ImplicitDeny":
        return []
    allowed = {m.level for m in result.matched if m.policy_type == result.decided_by and m.effect == "Allow"}
    out = []
    for level, files in enumerate(policies.kwargs.get(kind) or ()):
        if level not in allowed:
            names = ", ".join(policies.files.get(f"{kind}[{level}][{j}]", "?") for j in range(len(files)))
            out.append(f"{kind} level {level} ({names})")
    return out


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines()) + "\n"


def _legend(out: Output, policies: Policies) -> None:
    if not policies.files:
        out.write("policy files: none\n")
        return
    out.write("policy files:\n")
    width = max(len(place) for place in policies.files)
    for place, file in policies.files.items():
        out.write(f"  {place:<{width}}  {file}\n")


def print_detail(out: Output, answer: Answer, question: Question, policies: Policies, trace: bool) -> None:
    result = answer.result
    req = answer.request
    out.line("decision:   ", out.decision(answer.decision))
    out.write(f"request:    {req.principal} {req.action} {req.resource}\n")
    if req.principal_account is not None or req.resource_account is not None:
        out.write(
            f"accounts:   principal {req.principal_account or '(from ARN)'}, "
            f"resource {req.resource_account or '(from ARN)'}\n"
        )
    if req.context:
        out.write("context:\n")
        for key, value in req.context.items():
            note = "  (derived for the principal)" if key in question.derived else ""
            out.write(f"  {key} = {json.dumps(value, ensure_ascii=False)}{note}\n")
    why = explanation(result.decided_by, answer.decision)
    out.write(f"decided by: {result.decided_by}" + (f" — {why}" if why else "") + "\n")
    for level in levels_not_allowing(result, policies):
        out.write(f"  {level}: no Allow statement applies\n")
    if result.matched:
        out.write("matched statements:\n")
        for m in result.matched:
            out.write(f"  {statement_text(m, policies.files)}\n")
    else:
        out.write("matched statements: none\n")
    if result.public_statements:
        file = policies.files.get("resource", "the bucket policy")
        numbers = ", ".join(f"#{i}" for i in result.public_statements)
        out.write(f"block public access: in force; {file} is public (statements {numbers})\n")
    if result.missing_context_keys:
        out.write(f"missing context keys: {', '.join(result.missing_context_keys)}\n")
        example = result.missing_context_keys[0]
        out.write(
            f"  hint: conditions asked for these keys and the request lacks them; pass them with "
            f"--context KEY=VALUE (e.g. --context {example}=VALUE) to see how they change the decision\n"
        )
    if answer.decision == "ImplicitDeny" and not result.matched:
        out.write(
            "  hint: no statement applied to this principal, action and resource; check their spelling "
            "and the policies' Action/Resource/Principal elements (--trace shows how each statement matched)\n"
        )
    if answer.expected is not None:
        verdict = out.styled("holds", "green") if answer.ok else out.styled("does NOT hold", "bold red")
        out.line(f"expected:   {answer.expected} — ", verdict)
    if trace and result.trace is not None:
        _legend(out, policies)
        out.write("trace:\n")
        out.write(_indent(str(result.trace)))


#: the table columns that wrap when the table is wider than the terminal (as ``simulate``'s)
WRAP = ("resource", "matched statements", "missing keys")


def print_table(
    out: Output, answers: Sequence[Answer], policies: Policies, expect: str | None, trace: bool
) -> None:
    header = ["action", "resource", "decision", "decided by", "matched statements", "missing keys"]
    if expect is not None:
        header.append(f"expected {expect}")  # the same for every row: said once, in the header
    rows: list[list[str | Text]] = []
    for a in answers:
        row: list[str | Text] = [
            a.request.action,
            a.request.resource,
            out.decision(a.decision),
            a.result.decided_by,
            "\n".join(statement_cell(m, policies.files) for m in a.result.matched) or "-",
            "\n".join(a.result.missing_context_keys) or "-",
        ]
        if expect is not None:
            row.append("ok" if a.ok else out.styled("MISMATCH", "bold red"))
        rows.append(row)
    out.write(f"principal: {answers[0].request.principal}\n\n")
    out.table(header, rows, wrap=WRAP)
    counts = {
        d: sum(1 for a in answers if a.decision == d) for d in ("Allow", "ExplicitDeny", "ImplicitDeny")
    }
    summary = f"\n{len(answers)} requests: " + ", ".join(f"{n} {d}" for d, n in counts.items())
    if expect is not None:
        holding = sum(1 for a in answers if a.ok)
        summary += f"; {holding} of {len(answers)} expected decisions hold (--expect {expect})"
    out.write(summary + "\n")
    if trace:
        out.write("\n")
        _legend(out, policies)
        for a in answers:
            if a.result.trace is not None:
                out.write(f"trace of {a.request.action} on {a.request.resource}:\n")
                out.write(_indent(str(a.result.trace)))


def run(args: argparse.Namespace, out: Output) -> int:
    eng = engine(args.engine)
    # the request options first: a bad option is reported before any file is read
    question = read_question(args, eng)
    policies = read_policies(args)
    ps = policy_set(eng, policies)

    answers: list[Answer] = []
    problems: list[tuple[str, str, str]] = []
    for action in question.actions:
        for resource in question.resources:
            request = eng.Request(
                principal=question.principal,
                action=action,
                resource=resource,
                context=question.context,
                principal_account=question.principal_account,
                resource_account=question.resource_account,
            )
            try:
                result = ps.evaluate(request, trace=args.trace)
            except eng.RequestError as exc:
                for problem in request_problems(exc, question, action):
                    if problem not in problems:  # the same bad principal or resource on every row: once
                        problems.append(problem)
                continue
            answers.append(Answer(request, result, args.expect))
    if problems:
        raise BadInput(problems)

    single = len(answers) == 1
    if out.json:
        if single:
            out.json_document(answer_json(answers[0], policies))
        else:
            for a in answers:
                out.json_line(answer_json(a, policies))
    elif single:
        print_detail(out, answers[0], question, policies, args.trace)
    else:
        print_table(out, answers, policies, args.expect, args.trace)
    return 1 if any(a.ok is False for a in answers) else 0
