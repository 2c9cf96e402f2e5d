"""Deterministic benchmark workloads for iameval (plain data: policies, columns, contexts).

Every builder is seeded, so the same call gives the same workload on every run and machine:

- :func:`w1` "a realistic role": 5 AWS managed policies (ReadOnlyAccess, PowerUserAccess, SecurityAudit,
  ViewOnlyAccess, AmazonDynamoDBFullAccess), a permissions boundary with conditions, 3 SCP levels built from
  the shared SCP examples (each level with FullAWSAccess beside the examples), an S3 bucket policy from the
  shared resource policies; 100,000 requests whose actions come from AWS's service reference and whose
  resources fill the ARN formats of a resource type the action supports, each with about 8 context keys.
  Needs ``../shared/data`` (:func:`shared_data_present`).
- :func:`w2` "conditions-heavy": generated in the repo. Identity policies, a boundary and SCPs full of
  condition operators (string, numeric, date, IP, ARN, Bool, Null, ``IfExists``), policy variables (with and
  without defaults) and set operators over multivalued keys; 100,000 requests with about 14 context keys.
- :func:`w3` "account sweep": generated in the repo. 1,000 principals, each with its own policy set
  (2-4 identity policies drawn from a pool of role templates, a boundary for half of them, shared SCPs),
  x 200 actions x 5 resources, for ``iameval.evaluate_grid``.
- :func:`managed_policies`: the JSON text of every AWS managed policy in ``../shared/data``.

The policies of each workload are valid for both engines (``iameval.PolicySet`` and
``iameval.reference.PolicySet``); SCP examples that either engine rejects (sample templates with placeholders)
are skipped. Actions and ARNs of W1 come from ``tests/service_reference.py`` (imported, not copied).
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
MANAGED_DIR = SHARED_DATA / "aws-managed-policies"
CATALOG_DIR = SHARED_DATA / "service-reference"
SCP_DIR = SHARED_DATA / "scp-examples"
RESOURCE_POLICY_DIR = SHARED_DATA / "resource-policies"

if str(REPO / "tests") not in sys.path:
    sys.path.append(str(REPO / "tests"))

from service_reference import ACCOUNT, Catalog, fill_arn_format  # noqa: E402  (tests/ is put on the path above)

Policy = dict[str, Any]
Context = dict[str, str | list[str]]

ORG_ID = "o-a1b2c3d4e5"
FULL_AWS_ACCESS: Policy = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}],
}


@dataclass
class Workload:
    """One workload as plain data.

    ``policies`` has the shape of ``PolicySet.from_vector`` (``identity``, ``resource``,
    ``permission_boundary``, ``session``, ``scps`` as a list of levels, ``rcps``). ``actions``, ``resources``
    and ``contexts`` are equal-length columns for ``decide_many`` with the single ``principal``. A grid workload
    (W3) has instead ``principals`` with one policy set each (``principal_policies``), ``actions`` (A) and
    ``resources`` (R) as the grid's axes and ``contexts`` one per principal.
    """

    name: str
    description: str
    actions: list[str]
    resources: list[str]
    contexts: list[Context]
    policies: Policy | None = None
    principal: str | None = None
    principals: list[str] = field(default_factory=list)
    principal_policies: list[Policy] = field(default_factory=list)

    @property
    def is_grid(self) -> bool:
        """Whether this is a grid workload (per-principal policy sets, for ``evaluate_grid``)."""
        return bool(self.principal_policies)

    def size(self) -> int:
        """Number of decisions: rows, or P x A x R for a grid."""
        if self.is_grid:
            return len(self.principals) * len(self.actions) * len(self.resources)
        return len(self.actions)

    def request(self, row: int) -> dict[str, Any]:
        """Row ``row`` of a column workload as a request dict (``Request`` keys)."""
        return {
            "principal": self.principal,
            "action": self.actions[row],
            "resource": self.resources[row],
            "context": self.contexts[row],
        }

    def grid_request(self, p: int, a: int, r: int) -> dict[str, Any]:
        """Cell ``(p, a, r)`` of a grid workload as a request dict."""
        return {
            "principal": self.principals[p],
            "action": self.actions[a],
            "resource": self.resources[r],
            "context": self.contexts[p],
        }


def shared_data_present() -> bool:
    """Whether ``../shared/data`` has the managed policies, the service reference and the SCP examples."""
    return all(d.is_dir() for d in (MANAGED_DIR, CATALOG_DIR, SCP_DIR, RESOURCE_POLICY_DIR))


def _statement(
    sid: str, effect: str, action: Any, resource: Any = "*", condition: Policy | None = None
) -> Policy:
    key = "NotAction" if isinstance(action, tuple) else "Action"
    stmt: Policy = {"Sid": sid, "Effect": effect, key: list(action) if isinstance(action, tuple) else action}
    stmt["Resource"] = resource
    if condition:
        stmt["Condition"] = condition
    return stmt


def _policy(*statements: Policy) -> Policy:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _valid_for_both(doc: Policy, kind: str) -> bool:
    """Whether both engines accept ``doc`` as a policy of ``kind``."""
    import iameval
    import iameval.reference

    return not iameval.validate_policy(doc, kind=kind) and not iameval.reference.validate_policy(
        doc, kind=kind
    )


# -- managed policies ---------------------------------------------------------------------------------------


@cache
def managed_policies() -> dict[str, str]:
    """Every AWS managed policy in ``../shared/data/aws-managed-policies``: file stem -> JSON text, sorted.

    Empty when the shared data is absent. The texts are what "parse + compile" benchmarks read.
    """
    if not MANAGED_DIR.is_dir():
        return {}
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(MANAGED_DIR.glob("*.json"))}


def _managed(name: str) -> Policy:
    doc: Policy = json.loads((MANAGED_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return doc


# -- W1: a realistic role -------------------------------------------------------------------------------------

W1_REQUESTS = 100_000
W1_MANAGED = (
    "ReadOnlyAccess",
    "PowerUserAccess",
    "SecurityAudit",
    "ViewOnlyAccess",
    "AmazonDynamoDBFullAccess",
)
#: SCP levels (organization root first): example files under ``scp-examples/``; FullAWSAccess is added to each.
W1_SCP_LEVELS: tuple[tuple[str, ...], ...] = (
    (
        "cloud-foundations-on-aws-cloud-foundations-templates/org-hardening-example.json",
        "aws-samples-service-control-policy-examples/Privileged-access-controls/"
        "Deny-member-accounts-from-leaving-your-AWS-organization.json",
        "aws-samples-service-control-policy-examples/Deny-changes-to-security-services/"
        "Deny-users-from-disabling-or-altering-CloudWatch.json",
    ),
    (
        "aws-samples-service-control-policy-examples/Region-controls/"
        "Deny-access-to-AWS-based-on-the-requested-AWS-region.json",
        "aws-samples-service-control-policy-examples/Protect-cloud-platform-resource/Deny-KMS-key-deletion.json",
    ),
    (
        "aws-samples-service-control-policy-examples/Privileged-access-controls/Deny-critical-IAM-user-actions.json",
        "aws-samples-service-control-policy-examples/Service-specific-controls/Amazon-S3/"
        "Deny-users-from-deleting-Amazon-S3-buckets-or-objects.json",
        "awsdocs-aws-organizations-docs/orgs_manage_policies_scps_examples_general__1.json",
    ),
)
W1_RESOURCE_POLICY = "s3/awsdocs-amazon-s3-userguide/example-bucket-policies__12.json"
W1_BUCKET = "DOC-EXAMPLE-BUCKET"
W1_PRINCIPAL = f"arn:aws:sts::{ACCOUNT}:assumed-role/DataPlatformDev/alice"
W1_ROLE = f"arn:aws:iam::{ACCOUNT}:role/DataPlatformDev"
#: services the role works with most; the rest of the requests draw from the whole catalog
W1_FOCUS = ("s3", "ec2", "dynamodb", "lambda", "logs", "iam", "kms", "sqs", "sns", "sts", "cloudwatch", "ssm")


def w1_boundary() -> Policy:
    """The W1 permissions boundary: services the team may use (by tag), MFA for destruction, corporate IPs."""
    services = ["s3:*", "ec2:*", "dynamodb:*", "lambda:*", "logs:*", "cloudwatch:*", "sqs:*", "sns:*"]
    services += ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "ssm:Get*", "*:Describe*", "*:List*"]
    return _policy(
        _statement(
            "TeamServices",
            "Allow",
            services,
            condition={"StringEquals": {"aws:PrincipalTag/team": ["data", "platform", "web"]}},
        ),
        _statement("ReadEverywhere", "Allow", ["*:Get*", "iam:Get*", "iam:List*", "sts:GetCallerIdentity"]),
        _statement(
            "NoBoundaryEscape",
            "Deny",
            ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:CreateUser"],
        ),
        _statement(
            "DestroyOnlyWithMfa",
            "Deny",
            ["ec2:Terminate*", "s3:DeleteBucket", "dynamodb:DeleteTable", "lambda:Delete*"],
            condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        ),
        _statement(
            "CorporateNetworkOnly",
            "Deny",
            ("s3:Get*", "s3:List*", "sts:*"),
            condition={
                "NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32"]},
                "StringEquals": {"aws:PrincipalOrgID": ORG_ID},
            },
        ),
    )


def _scp_level(files: tuple[str, ...]) -> list[Policy]:
    level = [FULL_AWS_ACCESS]
    for name in files:
        path = SCP_DIR / name
        if path.is_file():
            doc = json.loads(path.read_text(encoding="utf-8"))
            if _valid_for_both(doc, "scp"):
                level.append(doc)
    return level


def w1_policies() -> Policy:
    """The W1 policy set (needs ``../shared/data``)."""
    resource = json.loads((RESOURCE_POLICY_DIR / W1_RESOURCE_POLICY).read_text(encoding="utf-8"))
    return {
        "identity": [_managed(name) for name in W1_MANAGED],
        "resource": resource,
        "permission_boundary": w1_boundary(),
        "scps": [_scp_level(files) for files in W1_SCP_LEVELS],
    }


@cache
def _catalog() -> Catalog:
    return Catalog.load(CATALOG_DIR)


@cache
def _sorted_actions(prefix: str) -> list[str]:
    return sorted(_catalog().services[prefix].actions)


def _w1_action_resource(rng: random.Random) -> tuple[str, str]:
    """An action from the service reference (60% from the role's focus services) and an ARN for it."""
    catalog = _catalog()
    focus = [p for p in W1_FOCUS if p in catalog.services]
    prefix = rng.choice(focus) if rng.random() < 0.6 else rng.choice(catalog.prefixes)
    service = catalog.services[prefix]
    name = rng.choice(_sorted_actions(prefix))
    types = [t for t in service.actions[name] if service.arn_formats.get(t)]
    resource = "*"
    if types:
        resource = fill_arn_format(rng, rng.choice(service.arn_formats[rng.choice(types)]))
        if resource.startswith("arn:aws:s3:::") and rng.random() < 0.4:  # the bucket with the bucket policy
            rest = resource[len("arn:aws:s3:::") :].partition("/")
            resource = f"arn:aws:s3:::{W1_BUCKET}{rest[1]}{rest[2]}"
    return f"{service.prefix}:{name}", resource


def _maybe(
    rng: random.Random, context: Context, key: str, value: Callable[[], str | list[str]], p: float
) -> None:
    if rng.random() < p:
        context[key] = value()


def _w1_context(rng: random.Random) -> Context:
    """About 8 realistic keys; each is present with its own probability (a missing key is realistic too)."""
    ctx: Context = {"aws:PrincipalArn": W1_ROLE}
    _maybe(
        rng,
        ctx,
        "aws:SourceIp",
        lambda: rng.choice(("10.1.2.3", "10.200.0.7", "192.0.2.44", "203.0.113.9")),
        0.95,
    )
    _maybe(
        rng, ctx, "aws:RequestedRegion", lambda: rng.choice(("eu-west-1", "eu-central-1", "us-east-1")), 0.95
    )
    _maybe(
        rng, ctx, "aws:PrincipalTag/team", lambda: rng.choice(("data", "data", "platform", "finance")), 0.9
    )
    _maybe(rng, ctx, "aws:SecureTransport", lambda: "true" if rng.random() < 0.85 else "false", 0.95)
    _maybe(rng, ctx, "aws:PrincipalOrgID", lambda: ORG_ID, 0.9)
    _maybe(rng, ctx, "aws:MultiFactorAuthPresent", lambda: rng.choice(("true", "false")), 0.7)
    _maybe(
        rng, ctx, "aws:CurrentTime", lambda: f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:00:00Z", 0.9
    )
    _maybe(rng, ctx, "aws:ResourceTag/env", lambda: rng.choice(("prod", "dev", "staging")), 0.5)
    return ctx


@cache
def w1(n: int = W1_REQUESTS, seed: int = 1) -> Workload:
    """W1 'a realistic role' (needs ``../shared/data``; check :func:`shared_data_present` first)."""
    rng = random.Random(seed)
    actions: list[str] = []
    resources: list[str] = []
    contexts: list[Context] = []
    for _ in range(n):
        action, resource = _w1_action_resource(rng)
        actions.append(action)
        resources.append(resource)
        contexts.append(_w1_context(rng))
    return Workload(
        "W1",
        "a realistic role: 5 AWS managed policies, a boundary, 3 SCP levels, an S3 bucket policy; "
        f"{n:,} requests from the service reference, ~8 context keys",
        actions,
        resources,
        contexts,
        policies=w1_policies(),
        principal=W1_PRINCIPAL,
    )


# -- W2: conditions-heavy -------------------------------------------------------------------------------------

W2_REQUESTS = 100_000
W2_USERS = ("alice", "bob", "carol", "dave", "erin", "frank")
W2_TEAMS = ("data", "web", "ml", "ops")
W2_ORG_PATHS = (f"{ORG_ID}/r-ab12/ou-ab12-prod1/", f"{ORG_ID}/r-ab12/ou-ab12-dev1/", "o-other/r-zz/ou-zz-x/")
W2_BUCKET = "corp-home"
W2_PRINCIPAL = f"arn:aws:sts::{ACCOUNT}:assumed-role/Engineer/session"
W2_REGIONS = ("us-east-1", "us-east-1", "us-east-1", "eu-west-1", "eu-west-1", "ap-south-1")
W2_VPCE = ("vpce-1a2b3c4d", "vpce-0f0f0f0f", "vpce-deadbeef")


def _w2_s3_policy() -> Policy:
    home = f"arn:aws:s3:::{W2_BUCKET}/home/${{aws:username}}/*"
    return _policy(
        _statement(
            "ListOwnHome",
            "Allow",
            "s3:ListBucket",
            f"arn:aws:s3:::{W2_BUCKET}",
            {
                "StringLike": {
                    "s3:prefix": ["", "home/", "home/${aws:username}/*", "shared/${aws:PrincipalTag/team}/*"]
                },
                "Bool": {"aws:SecureTransport": "true"},
            },
        ),
        _statement(
            "ReadWriteOwnHome",
            "Allow",
            ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject"],
            [home, f"arn:aws:s3:::{W2_BUCKET}/shared/${{aws:PrincipalTag/team, 'nobody'}}/*"],
            {
                "StringEqualsIfExists": {"s3:x-amz-server-side-encryption": ["aws:kms", "AES256"]},
                "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32"]},
                "DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"},
            },
        ),
        _statement(
            "DenyUnencryptedPut",
            "Deny",
            "s3:PutObject",
            f"arn:aws:s3:::{W2_BUCKET}/*",
            {"Null": {"s3:x-amz-server-side-encryption": "true"}},
        ),
        _statement(
            "DenyOutsideVpce",
            "Deny",
            "s3:*",
            "*",
            {
                "StringNotEqualsIfExists": {"aws:SourceVpce": list(W2_VPCE[:2])},
                "BoolIfExists": {"aws:ViaAWSService": "false"},
                "ForAnyValue:StringNotLike": {"aws:PrincipalOrgPaths": [f"{ORG_ID}/*"]},
            },
        ),
    )


def _w2_ec2_policy() -> Policy:
    return _policy(
        _statement(
            "ManageTeamInstances",
            "Allow",
            ["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"],
            f"arn:aws:ec2:*:{ACCOUNT}:instance/*",
            {
                "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"},
                "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG_ID}/r-ab12/ou-ab12-*/"]},
            },
        ),
        _statement(
            "RunSmallInstances",
            "Allow",
            "ec2:RunInstances",
            "*",
            {
                "StringLike": {"ec2:InstanceType": ["t3.*", "m5.*", "c6g.*"]},
                "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "3600"},
                "DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "project", "cost-center"]},
            },
        ),
        _statement(
            "TagOnlyWithProject",
            "Allow",
            "ec2:CreateTags",
            "*",
            {
                "StringEquals": {
                    "ec2:CreateAction": "RunInstances",
                    "aws:RequestTag/team": "${aws:PrincipalTag/team}",
                },
                "ForAnyValue:StringEquals": {"aws:TagKeys": ["project"]},
            },
        ),
        _statement(
            "DenyUntaggedCreate",
            "Deny",
            ["ec2:RunInstances", "ec2:CreateVolume"],
            "*",
            {"Null": {"aws:RequestTag/project": "true"}},
        ),
        _statement(
            "DenyBigInstances",
            "Deny",
            "ec2:RunInstances",
            "*",
            {"StringLikeIfExists": {"ec2:InstanceType": ["*.metal", "p4d.*", "*.24xlarge"]}},
        ),
    )


def _w2_data_policy() -> Policy:
    return _policy(
        _statement(
            "OwnItemsOnly",
            "Allow",
            ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            f"arn:aws:dynamodb:*:{ACCOUNT}:table/orders*",
            {
                "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:userid}", "${aws:username}"]},
                "StringEqualsIfExists": {
                    "dynamodb:Select": ["SPECIFIC_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"]
                },
                "NumericLessThan": {"aws:EpochTime": "1893456000"},
            },
        ),
        _statement(
            "DecryptViaS3",
            "Allow",
            ["kms:Decrypt", "kms:GenerateDataKey"],
            f"arn:aws:kms:*:{ACCOUNT}:key/*",
            {
                "StringLike": {"kms:ViaService": ["s3.*.amazonaws.com", "dynamodb.*.amazonaws.com"]},
                "StringEqualsIgnoreCase": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"},
            },
        ),
        _statement(
            "OwnSecrets",
            "Allow",
            "secretsmanager:GetSecretValue",
            f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:${{aws:PrincipalTag/team}}/*",
            {
                "StringEquals": {"secretsmanager:ResourceTag/owner": "${aws:username}"},
                "ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/Engineer*"},
                "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "86400"},
            },
        ),
        _statement(
            "QueuesOfTheTeam",
            "Allow",
            ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
            f"arn:aws:sqs:*:{ACCOUNT}:${{aws:PrincipalTag/team}}-*",
            {"ForAnyValue:StringEquals": {"aws:CalledVia": ["lambda.amazonaws.com", "sns.amazonaws.com"]}},
        ),
        _statement(
            "DenyAfterHours",
            "Deny",
            ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            "*",
            {"DateGreaterThan": {"aws:CurrentTime": "2026-12-31T00:00:00Z"}},
        ),
    )


def _w2_boundary() -> Policy:
    return _policy(
        _statement(
            "RegionsAndOrg",
            "Allow",
            "*",
            "*",
            {
                "StringEquals": {
                    "aws:RequestedRegion": ["us-east-1", "eu-west-1"],
                    "aws:PrincipalOrgID": ORG_ID,
                },
                "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG_ID}/*"]},
            },
        ),
        _statement(
            "NoIamEscalation",
            "Deny",
            ["iam:*", "organizations:*", "sts:AssumeRole"],
            "*",
            {"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/role": ["Admin", "BreakGlass"]}},
        ),
        _statement(
            "MfaForWrites",
            "Deny",
            ["*:Delete*", "*:Terminate*", "*:Put*"],
            "*",
            {
                "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                "Null": {"aws:TokenIssueTime": "false"},
            },
        ),
    )


def _w2_scps() -> list[list[Policy]]:
    perimeter = _policy(
        _statement(
            "DataPerimeter",
            "Deny",
            "*",
            "*",
            {
                "StringNotEqualsIfExists": {"aws:ResourceOrgID": ORG_ID, "aws:PrincipalOrgID": ORG_ID},
                "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
            },
        )
    )
    regions = _policy(
        _statement(
            "DenyOtherRegions",
            "Deny",
            ("iam:*", "sts:*", "organizations:*", "support:*"),
            "*",
            {
                "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1", "eu-central-1"]},
                "ArnNotLike": {
                    "aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass-${aws:PrincipalTag/team}"]
                },
            },
        ),
        _statement(
            "RequireTls",
            "Deny",
            "*",
            "*",
            {"Bool": {"aws:SecureTransport": "false"}, "IpAddressIfExists": {"aws:SourceIp": "0.0.0.0/0"}},
        ),
    )
    return [[FULL_AWS_ACCESS, perimeter], [FULL_AWS_ACCESS, regions]]


def w2_policies() -> Policy:
    """The W2 policy set: 3 identity policies, a boundary, 2 SCP levels; generated, no shared data needed."""
    return {
        "identity": [_w2_s3_policy(), _w2_ec2_policy(), _w2_data_policy()],
        "permission_boundary": _w2_boundary(),
        "scps": _w2_scps(),
    }


def _w2_action_resource(rng: random.Random, user: str, team: str) -> tuple[str, str]:
    other = rng.choice(W2_USERS)
    region = rng.choice(W2_REGIONS)
    kind = rng.randrange(6)
    if kind == 0:
        return "s3:ListBucket", f"arn:aws:s3:::{rng.choice((W2_BUCKET, W2_BUCKET, 'other-bucket'))}"
    if kind == 1:
        action = rng.choice(("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"))
        folder = rng.choice((f"home/{user}", f"home/{user}", f"home/{other}", f"shared/{team}", "shared/ops"))
        return action, f"arn:aws:s3:::{W2_BUCKET}/{folder}/file-{rng.randrange(100)}.csv"
    if kind == 2:
        action = rng.choice(("ec2:StartInstances", "ec2:StopInstances", "ec2:RunInstances", "ec2:CreateTags"))
        resource = f"arn:aws:ec2:{region}:{ACCOUNT}:instance/i-0{rng.randrange(16**8):08x}"
        return action, "*" if action in (
            "ec2:RunInstances",
            "ec2:CreateTags",
        ) and rng.random() < 0.5 else resource
    if kind == 3:
        action = rng.choice(("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"))
        return (
            action,
            f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{rng.choice(('orders', 'orders-v2', 'users'))}",
        )
    if kind == 4:
        if rng.random() < 0.5:
            return "kms:Decrypt", f"arn:aws:kms:{region}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        return (
            "secretsmanager:GetSecretValue",
            f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{team}/db-AbC123",
        )
    action = rng.choice(("sqs:SendMessage", "sqs:ReceiveMessage", "iam:PassRole", "sts:AssumeRole"))
    if action.startswith("sqs"):
        return action, f"arn:aws:sqs:{region}:{ACCOUNT}:{rng.choice((team, 'ops'))}-events"
    return action, f"arn:aws:iam::{ACCOUNT}:role/{rng.choice(('Engineer', 'Admin', 'BreakGlass-ops'))}"


def _w2_context(rng: random.Random, user: str, team: str) -> Context:
    """About 14 keys, several multivalued, some deliberately missing."""
    ctx: Context = {
        "aws:username": user,
        "aws:userid": f"AROAEXAMPLE:{user}",
        "aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/Engineer",
        "aws:PrincipalTag/team": team,
        "aws:PrincipalOrgPaths": [rng.choice(W2_ORG_PATHS)],
        "aws:CurrentTime": f"2026-{rng.randint(1, 12):02d}-{rng.randint(10, 28)}T{rng.randint(10, 23)}:00:00Z",
        "aws:EpochTime": str(1_760_000_000 + rng.randrange(10**8)),
    }
    _maybe(rng, ctx, "aws:PrincipalOrgID", lambda: rng.choice((ORG_ID,) * 9 + ("o-other",)), 0.95)
    _maybe(rng, ctx, "aws:RequestedRegion", lambda: rng.choice(W2_REGIONS), 0.95)
    _maybe(
        rng,
        ctx,
        "aws:SourceIp",
        lambda: rng.choice(("10.0.3.4", "192.0.2.10", "2001:db8::5", "198.51.100.7")),
        0.9,
    )
    _maybe(rng, ctx, "aws:SecureTransport", lambda: rng.choice(("true",) * 9 + ("false",)), 0.95)
    _maybe(rng, ctx, "aws:SourceVpce", lambda: rng.choice(W2_VPCE), 0.6)
    _maybe(rng, ctx, "aws:MultiFactorAuthPresent", lambda: rng.choice(("true", "false")), 0.8)
    _maybe(rng, ctx, "aws:MultiFactorAuthAge", lambda: str(rng.randrange(7200)), 0.6)
    _maybe(rng, ctx, "aws:TokenIssueTime", lambda: "2026-03-01T08:00:00Z", 0.8)
    _maybe(
        rng,
        ctx,
        "aws:TagKeys",
        lambda: rng.sample(("team", "project", "cost-center", "owner"), rng.randint(0, 3)),
        0.5,
    )
    _maybe(rng, ctx, "aws:RequestTag/project", lambda: rng.choice(("apollo", "gemini")), 0.5)
    _maybe(rng, ctx, "aws:RequestTag/team", lambda: rng.choice(W2_TEAMS), 0.4)
    _maybe(rng, ctx, "aws:ResourceTag/team", lambda: rng.choice((team, team, "ops")), 0.7)
    _maybe(rng, ctx, "aws:ResourceOrgID", lambda: rng.choice((ORG_ID,) * 9 + ("o-other",)), 0.7)
    _maybe(
        rng,
        ctx,
        "aws:CalledVia",
        lambda: rng.sample(("lambda.amazonaws.com", "athena.amazonaws.com"), 1),
        0.3,
    )
    _maybe(rng, ctx, "s3:prefix", lambda: rng.choice(("", f"home/{user}/", "home/", f"shared/{team}/x")), 0.4)
    _maybe(
        rng, ctx, "s3:x-amz-server-side-encryption", lambda: rng.choice(("aws:kms", "AES256", "none")), 0.5
    )
    _maybe(
        rng,
        ctx,
        "ec2:InstanceType",
        lambda: rng.choice(("t3.micro", "m5.large", "p4d.24xlarge", "x2.metal")),
        0.4,
    )
    _maybe(rng, ctx, "ec2:CreateAction", lambda: "RunInstances", 0.3)
    _maybe(rng, ctx, "dynamodb:LeadingKeys", lambda: [rng.choice((user, f"AROAEXAMPLE:{user}", "bob"))], 0.5)
    _maybe(
        rng,
        ctx,
        "kms:ViaService",
        lambda: rng.choice(("s3.us-east-1.amazonaws.com", "ec2.amazonaws.com")),
        0.4,
    )
    _maybe(rng, ctx, "secretsmanager:ResourceTag/owner", lambda: rng.choice((user, "bob")), 0.4)
    return ctx


@cache
def w2(n: int = W2_REQUESTS, seed: int = 2) -> Workload:
    """W2 'conditions-heavy' (generated in the repo)."""
    rng = random.Random(seed)
    actions: list[str] = []
    resources: list[str] = []
    contexts: list[Context] = []
    for _ in range(n):
        user, team = rng.choice(W2_USERS), rng.choice(W2_TEAMS)
        action, resource = _w2_action_resource(rng, user, team)
        actions.append(action)
        resources.append(resource)
        contexts.append(_w2_context(rng, user, team))
    return Workload(
        "W2",
        "conditions-heavy: 3 identity policies, a boundary, 2 SCP levels full of conditions, variables and set "
        f"operators; {n:,} requests, ~20 context keys (several multivalued)",
        actions,
        resources,
        contexts,
        policies=w2_policies(),
        principal=W2_PRINCIPAL,
    )


# -- W3: account sweep ----------------------------------------------------------------------------------------

W3_PRINCIPALS = 1_000
W3_ACTIONS = 200
W3_SERVICES: dict[str, tuple[str, ...]] = {
    "s3": ("Object", "Bucket", "BucketPolicy", "ObjectTagging", "BucketVersioning"),
    "ec2": ("Instances", "Volume", "SecurityGroup", "Snapshot", "Image"),
    "dynamodb": ("Item", "Table", "Backup", "Stream"),
    "lambda": ("Function", "Alias", "FunctionConfiguration", "Layer"),
    "sqs": ("Queue", "Message", "QueueAttributes"),
    "sns": ("Topic", "Subscription"),
    "kms": ("Key", "Alias", "Grant"),
    "logs": ("LogGroup", "LogStream", "LogEvents"),
    "iam": ("Role", "User", "Policy", "AccessKey", "RolePolicy"),
    "secretsmanager": ("Secret", "SecretValue"),
    "rds": ("DBInstance", "DBSnapshot", "DBCluster"),
}
W3_VERBS = ("Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Start", "Stop", "Tag")
W3_TEAMS = tuple(f"team-{i}" for i in range(20))
W3_RESOURCES = (
    "*",
    "arn:aws:s3:::team-3-data/reports/2026.csv",
    f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/team-3-orders",
    f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-0123456789abcdef0",
    f"arn:aws:sqs:eu-west-1:{ACCOUNT}:team-7-events",
)


def w3_actions(n: int = W3_ACTIONS) -> list[str]:
    """``n`` distinct ``service:VerbNoun`` actions over W3's services, in a fixed order."""
    every = [
        f"{svc}:{verb}{noun}" for svc, nouns in W3_SERVICES.items() for noun in nouns for verb in W3_VERBS
    ]
    return random.Random(30).sample(every, n)


def _w3_templates() -> list[Policy]:
    """A pool of role policies: service read/write, team-scoped resources with variables, conditions."""
    pool: list[Policy] = []
    for svc in W3_SERVICES:
        pool.append(
            _policy(_statement(f"{svc}Read", "Allow", [f"{svc}:Get*", f"{svc}:List*", f"{svc}:Describe*"]))
        )
        pool.append(
            _policy(
                _statement(
                    f"{svc}WriteOwn",
                    "Allow",
                    f"{svc}:*",
                    [
                        f"arn:aws:{svc}:*:{ACCOUNT}:*${{aws:PrincipalTag/team}}*",
                        f"arn:aws:{svc}:::${{aws:PrincipalTag/team}}*",
                    ],
                    {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
                ),
                _statement(
                    f"{svc}NoDelete",
                    "Deny",
                    f"{svc}:Delete*",
                    "*",
                    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
                ),
            )
        )
    pool.append(_policy(_statement("ReadOnlyish", "Allow", ["*:Get*", "*:List*", "*:Describe*"])))
    pool.append(
        _policy(_statement("Admin", "Allow", "*", "*", {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    )
    pool.append(
        _policy(
            _statement("PowerUser", "Allow", ("iam:*", "organizations:*")),
            _statement("IamRead", "Allow", ["iam:Get*", "iam:List*"]),
        )
    )
    return pool


def _w3_boundary(team: str) -> Policy:
    return _policy(
        _statement("TeamBoundary", "Allow", "*", "*", {"StringEquals": {"aws:PrincipalTag/team": team}}),
        _statement("NoIam", "Deny", ["iam:Create*", "iam:Put*", "iam:Attach*", "iam:Delete*"]),
    )


def _w3_scps() -> list[list[Policy]]:
    deny_regions = _policy(
        _statement(
            "DenyRegions",
            "Deny",
            ("iam:*", "sts:*", "organizations:*"),
            "*",
            {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
        )
    )
    protect = _policy(_statement("ProtectLogs", "Deny", ["logs:Delete*", "kms:ScheduleKeyDeletion"]))
    return [[FULL_AWS_ACCESS, deny_regions], [FULL_AWS_ACCESS, protect]]


@cache
def w3(n_principals: int = W3_PRINCIPALS, n_actions: int = W3_ACTIONS, seed: int = 3) -> Workload:
    """W3 'account sweep' (generated in the repo): P principals with their own policy sets x A actions x 5."""
    rng = random.Random(seed)
    pool = _w3_templates()
    scps = _w3_scps()
    principals: list[str] = []
    principal_policies: list[Policy] = []
    contexts: list[Context] = []
    for i in range(n_principals):
        team = rng.choice(W3_TEAMS)
        role = f"arn:aws:iam::{ACCOUNT}:role/{team}/svc-{i}"
        principals.append(f"arn:aws:sts::{ACCOUNT}:assumed-role/svc-{i}/s{i}" if i % 2 else role)
        policies: Policy = {"identity": rng.sample(pool, rng.randint(2, 4)), "scps": scps}
        if rng.random() < 0.5:
            policies["permission_boundary"] = _w3_boundary(team)
        principal_policies.append(policies)
        contexts.append(
            {
                "aws:PrincipalArn": role,
                "aws:PrincipalAccount": ACCOUNT,
                "aws:PrincipalTag/team": team,
                "aws:RequestedRegion": rng.choice(("us-east-1", "eu-west-1", "ap-south-1")),
                "aws:SourceIp": rng.choice(("10.2.3.4", "198.51.100.7")),
                "aws:SecureTransport": "true",
                "aws:MultiFactorAuthPresent": rng.choice(("true", "false")),
            }
        )
    return Workload(
        "W3",
        f"account sweep: {n_principals:,} principals (own policy sets) x {n_actions} actions x "
        f"{len(W3_RESOURCES)} resources through evaluate_grid",
        w3_actions(n_actions),
        list(W3_RESOURCES),
        contexts,
        principals=principals,
        principal_policies=principal_policies,
    )
