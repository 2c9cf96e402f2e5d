"""Helpers for iameval's own test vectors (see build_vectors.py).

Every case is written by hand from ../shared/IAM_RULES.md (rule ids R1..R22, R20a, R20b, R20c, grammar);
nothing here evaluates a policy. The helpers only build the JSON shapes of the conformance format
and add descriptive tags (principal kind, same/cross account, which policy types are present,
operators used).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

A = "111111111111"  # the caller's account in most cases
B = "222222222222"  # another account
C = "333333333333"  # a third account

ALICE = f"arn:aws:iam::{A}:user/alice"
BOB_A = f"arn:aws:iam::{A}:user/bob"  # another user of account A
CAROL = f"arn:aws:iam::{A}:user/dev/carol"  # user with a path
BOB = f"arn:aws:iam::{B}:user/bob"  # user of account B
ROLE = f"arn:aws:iam::{A}:role/app"  # caller "role": a session of the role whose session ARN is named nowhere
ROLE_PATH = f"arn:aws:iam::{A}:role/team/app"  # the same role written with a path
SESS = f"arn:aws:sts::{A}:assumed-role/app/s1"
SESS2 = f"arn:aws:sts::{A}:assumed-role/app/s2"
SESS_B = f"arn:aws:sts::{B}:assumed-role/worker/w1"
ROLE_B = f"arn:aws:iam::{B}:role/worker"
FED = f"arn:aws:sts::{A}:federated-user/fiona"
ROOT = f"arn:aws:iam::{A}:root"
ROOT_B = f"arn:aws:iam::{B}:root"
SLR = (
    f"arn:aws:iam::{A}:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
    "AWSServiceRoleForElasticLoadBalancing"
)
ANON = "anonymous"
CANON_ID = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
CANON_OTHER = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
SAML = f"arn:aws:iam::{A}:saml-provider/Okta"
SAML_OTHER = f"arn:aws:iam::{A}:saml-provider/Other"

OBJ = "arn:aws:s3:::bucket/key"
QUEUE = f"arn:aws:sqs:us-east-1:{A}:q"
QUEUE_B = f"arn:aws:sqs:us-east-1:{B}:q"
TOPIC = f"arn:aws:sns:us-east-1:{A}:alerts"
KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_B = f"arn:aws:kms:us-east-1:{B}:key/5678abcd-12ab-34cd-56ef-1234567890ab"
SECRET = f"arn:aws:secretsmanager:us-east-1:{A}:secret:db-pass-AbCdEf"
TARGET = f"arn:aws:iam::{A}:role/target"  # a role to assume
INSTANCE = f"arn:aws:ec2:us-east-1:{A}:instance/i-0123456789abcdef0"
FUNC = f"arn:aws:lambda:us-east-1:{A}:function:fn"

V12 = "2012-10-17"
V08 = "2008-10-17"

AUTO = object()  # compute the default
ABSENT = object()  # leave the key out
NORES = object()  # statement without Resource (trust policies)
DECISIONS = ("Allow", "ExplicitDeny", "ImplicitDeny")
RULE_IDS = (*(f"R{i}" for i in range(1, 23)), "R20a", "R20b", "R20c", "grammar")


# ---------------------------------------------------------------- principals and requests
def _arn_fields(arn: str) -> list[str] | None:
    parts = arn.split(":", 5)
    return parts if len(parts) == 6 and parts[0] == "arn" else None


def principal_kind(p: str) -> str:
    if p in ("anonymous", "*"):
        return "anonymous"
    if re.fullmatch(r"[0-9a-f]{64}", p):
        return "canonical"
    f = _arn_fields(p)
    if f is None:
        return "service"
    if f[2] == "iam":
        if f[5] == "root":
            return "root"
        if f[5].startswith("user/"):
            return "user"
        if f[5].startswith("role/"):
            return "role"
        return "other"
    if f[2] == "sts" and f[5].startswith("assumed-role/"):
        return "assumed-role"
    if f[2] == "sts" and f[5].startswith("federated-user/"):
        return "federated-user"
    return "other"


def principal_account(p: str) -> str | None:
    f = _arn_fields(p)
    return f[4] if f and f[4] else None


def principal_context(p: str) -> dict[str, Any]:
    """The keys AWS sets for the principal (the engine derives none)."""
    kind = principal_kind(p)
    acct = principal_account(p)
    if kind == "user":
        name = p.rsplit("/", 1)[1]
        return {
            "aws:PrincipalAccount": acct,
            "aws:PrincipalArn": p,
            "aws:username": name,
            "aws:userid": "AIDAEXAMPLE" + name.upper(),
            "aws:PrincipalType": "User",
        }
    if kind == "role":
        name = p.rsplit("/", 1)[1]
        return {
            "aws:PrincipalAccount": acct,
            "aws:PrincipalArn": p,
            "aws:userid": "AROAEXAMPLE" + name.upper(),
            "aws:PrincipalType": "AssumedRole",
        }
    if kind == "assumed-role":
        _, role, sess = p.split(":", 5)[5].split("/")
        return {
            "aws:PrincipalAccount": acct,
            "aws:PrincipalArn": f"arn:aws:iam::{acct}:role/{role}",
            "aws:userid": f"AROAEXAMPLE{role.upper()}:{sess}",
            "aws:PrincipalType": "AssumedRole",
        }
    if kind == "federated-user":
        name = p.rsplit("/", 1)[1]
        return {
            "aws:PrincipalAccount": acct,
            "aws:PrincipalArn": p,
            "aws:userid": f"{acct}:{name}",
            "aws:PrincipalType": "FederatedUser",
        }
    if kind == "root":
        return {
            "aws:PrincipalAccount": acct,
            "aws:PrincipalArn": p,
            "aws:userid": acct,
            "aws:PrincipalType": "Account",
        }
    if kind == "service":
        return {"aws:PrincipalServiceName": p, "aws:PrincipalIsAWSService": "true"}
    if kind == "anonymous":
        return {"aws:PrincipalType": "Anonymous"}
    return {}


def rq(
    principal: str = ALICE,
    action: str = "s3:GetObject",
    resource: str = OBJ,
    ctx: dict | None = None,
    *,
    pacct: Any = AUTO,
    racct: Any = AUTO,
    base: bool = True,
) -> dict[str, Any]:
    """A request. ``ctx`` is added to the principal's keys (a value of None removes a key)."""
    context = principal_context(principal) if base else {}
    for k, v in (ctx or {}).items():
        if v is None:
            context.pop(k, None)
        else:
            context[k] = v
    out: dict[str, Any] = {"principal": principal}
    pa = principal_account(principal) if pacct is AUTO else pacct
    if pacct is not ABSENT:
        out["principal_account"] = pa
    out["action"] = action
    out["resource"] = resource
    if racct is AUTO:
        f = _arn_fields(resource)
        ra = f[4] if f and f[4] else (principal_account(principal) or A)
    else:
        ra = racct
    if racct is not ABSENT:
        out["resource_account"] = ra
    out["context"] = context
    return out


# ---------------------------------------------------------------- policies
def stmt(
    effect: str,
    action: Any = "s3:GetObject",
    resource: Any = "*",
    *,
    not_action: Any = None,
    not_resource: Any = None,
    principal: Any = None,
    not_principal: Any = None,
    cond: dict | None = None,
    sid: str | None = None,
) -> dict[str, Any]:
    s: dict[str, Any] = {}
    if sid is not None:
        s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None:
        s["Principal"] = principal
    if not_principal is not None:
        s["NotPrincipal"] = not_principal
    if not_action is not None:
        s["NotAction"] = not_action
    else:
        s["Action"] = action
    if not_resource is not None:
        s["NotResource"] = not_resource
    elif resource is not NORES:
        s["Resource"] = resource
    if cond is not None:
        s["Condition"] = cond
    return s


def allow(action: Any = "s3:GetObject", resource: Any = "*", **kw: Any) -> dict[str, Any]:
    return stmt("Allow", action, resource, **kw)


def deny(action: Any = "s3:GetObject", resource: Any = "*", **kw: Any) -> dict[str, Any]:
    return stmt("Deny", action, resource, **kw)


def P(
    *statements: dict[str, Any], version: Any = V12, pid: str | None = None, single: bool = False
) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if version is not None:
        doc["Version"] = version
    if pid is not None:
        doc["Id"] = pid
    doc["Statement"] = statements[0] if single else list(statements)
    return doc


def AWS(x: Any) -> dict[str, Any]:
    return {"AWS": x}


def SVC(x: Any) -> dict[str, Any]:
    return {"Service": x}


FULL = P(allow("*", "*", sid="FullAWSAccess"))
ALLOW_ALL = P(allow("*", "*"))


def _policy(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, dict) and "Effect" in x:
        return P(x)
    return x


def _policies(x: Any) -> list[Any]:
    if x is None:
        return []
    if isinstance(x, dict):
        return [_policy(x)]
    return [_policy(p) for p in x]


def _levels(x: Any) -> Any:
    if x is None:
        return None
    return [_policies(level) for level in x]


def _policy_object(
    identity: Any,
    resource: Any,
    boundary: Any,
    scps: Any,
    rcps: Any,
    session: Any,
    vpc_endpoint: Any = None,
    bpa: Any = None,
) -> dict[str, Any]:
    """The ``policies`` object of a case. The R20b/R20c keys (``vpc_endpoint``, ``s3_block_public_access``)
    are written only when a case sets them (``bpa=False`` is written: RestrictPublicBuckets off), so that
    the cases of the other rules keep the six keys of the conformance format."""
    policies = {
        "identity": _policies(identity),
        "resource": _policy(resource),
        "permission_boundary": _policy(boundary),
        "scps": _levels(scps),
        "rcps": _levels(rcps),
        "session": _policy(session),
    }
    if vpc_endpoint is not None:
        policies["vpc_endpoint"] = _policy(vpc_endpoint)
    if bpa is not None:
        policies["s3_block_public_access"] = bpa
    return policies


# ---------------------------------------------------------------- auto tags
def _walk_statements(policies: dict[str, Any]):
    def stmts(doc):
        if not isinstance(doc, dict):
            return []
        st = doc.get("Statement")
        return [st] if isinstance(st, dict) else list(st or [])

    for kind in ("identity",):
        for doc in policies[kind]:
            for s in stmts(doc):
                yield kind, s
    for kind in ("resource", "permission_boundary", "session", "vpc_endpoint"):
        for s in stmts(policies.get(kind)):
            yield kind, s
    for kind in ("scps", "rcps"):
        for level in policies[kind] or []:
            for doc in level:
                for s in stmts(doc):
                    yield kind, s


def auto_tags(request: dict[str, Any], policies: dict[str, Any]) -> set[str]:
    tags: set[str] = set()
    tags.add("principal:" + principal_kind(request["principal"]))
    pa = request.get("principal_account") or principal_account(request["principal"])
    f = _arn_fields(request["resource"])
    ra = request.get("resource_account") or ((f[4] if f and f[4] else None) or pa)
    if pa is not None and ra is not None:
        tags.add("same-account" if pa == ra else "cross-account")
    if request["resource"] == "*":
        tags.add("resource-request:star")
    if policies["identity"]:
        tags.add("identity")
    if policies["resource"] is not None:
        tags.add("resource-policy")
        if not policies["identity"]:
            tags.add("resource-policy-only")
    if policies["permission_boundary"] is not None:
        tags.add("permission-boundary")
    if policies["session"] is not None:
        tags.add("session-policy")
    if policies["scps"] is not None:
        tags.update(("scp", f"scp:levels={len(policies['scps'])}"))
    if policies["rcps"] is not None:
        tags.update(("rcp", f"rcp:levels={len(policies['rcps'])}"))
    if policies.get("vpc_endpoint") is not None:
        tags.add("vpc-endpoint")
    if "s3_block_public_access" in policies:
        tags.add("s3-block-public-access")
    for _kind, s in _walk_statements(policies):
        if not isinstance(s, dict):
            continue
        eff = s.get("Effect")
        if eff in ("Allow", "Deny"):
            tags.add("effect:" + eff.lower())
        if "NotAction" in s:
            tags.add("notaction")
        if "NotResource" in s:
            tags.add("notresource")
        if "NotPrincipal" in s:
            tags.add("notprincipal")
        cond = s.get("Condition")
        if isinstance(cond, dict):
            for op in cond:
                tags.add("condition:" + op)
    return tags


# ---------------------------------------------------------------- groups of cases
class Group:
    def __init__(self, prefix: str, filename: str, title: str) -> None:
        self.prefix = prefix
        self.filename = filename
        self.title = title
        self.cases: list[dict[str, Any]] = []

    def add(
        self,
        tags: list[str] | str,
        request: dict[str, Any],
        expected: str,
        why: str,
        *,
        identity: Any = None,
        resource: Any = None,
        boundary: Any = None,
        scps: Any = None,
        rcps: Any = None,
        session: Any = None,
        vpc_endpoint: Any = None,
        bpa: Any = None,
        xfail: str | None = None,
    ) -> dict[str, Any]:
        assert expected in DECISIONS, expected
        if isinstance(tags, str):
            tags = tags.split()
        assert any(t in RULE_IDS for t in tags), f"{self.prefix}: a case must name a rule id: {tags}"
        policies = _policy_object(identity, resource, boundary, scps, rcps, session, vpc_endpoint, bpa)
        for k, v in request["context"].items():
            assert isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v)), (k, v)
        rule_tags = [t for t in RULE_IDS if t in tags]
        other = sorted((set(tags) - set(rule_tags)) | auto_tags(request, policies))
        case: dict[str, Any] = {
            "id": f"{self.prefix}-{len(self.cases) + 1:03d}",
            "tags": rule_tags + other,
            "request": request,
            "policies": policies,
            "expected": expected,
            "why": why,
        }
        if xfail:
            case["xfail"] = {"reason": xfail}
        self.cases.append(case)
        return case

    def write(self, directory: str) -> int:
        path = os.path.join(directory, self.filename)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for case in self.cases:
                fh.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")
        return len(self.cases)


class ErrorGroup:
    """Policies that must be rejected when the policy set is built (grammar section): PolicyError."""

    def __init__(self, prefix: str, filename: str) -> None:
        self.prefix = prefix
        self.filename = filename
        self.cases: list[dict[str, Any]] = []

    def add(
        self,
        tags: list[str] | str,
        why: str,
        *,
        pointer_policy: str,
        identity: Any = None,
        resource: Any = None,
        boundary: Any = None,
        scps: Any = None,
        rcps: Any = None,
        session: Any = None,
        vpc_endpoint: Any = None,
        bpa: Any = None,
        messages: list[str] | None = None,
    ) -> None:
        """``messages``: when given, the message of every error reported, in order (``error_messages``)."""
        if isinstance(tags, str):
            tags = tags.split()
        policies = _policy_object(identity, resource, boundary, scps, rcps, session, vpc_endpoint, bpa)
        case: dict[str, Any] = {
            "id": f"{self.prefix}-{len(self.cases) + 1:03d}",
            "tags": sorted(set(tags) | {"grammar", "policy-error"}),
            "policies": policies,
            "expected_error": "PolicyError",
            "error_policy": pointer_policy,
        }
        if messages is not None:
            case["error_messages"] = list(messages)
        case["why"] = why
        self.cases.append(case)

    def write(self, directory: str) -> int:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, self.filename)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for case in self.cases:
                fh.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")
        return len(self.cases)
