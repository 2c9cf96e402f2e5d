"""``who_can`` / ``what_can`` and ``iameval who-can`` / ``what-can`` (issue 11): questions over whole accounts.

The organization is written here by hand: 111111111111 is the management account, 222222222222 a member in
OU Prod under OU Workloads, 333333333333 an account outside (not loaded). Each SCP level denies its own action
(root ``ec2:DeleteVpc``, Workloads ``ec2:TerminateInstances``, Prod ``rds:DeleteDBInstance``, the account
``s3:DeleteBucket``), an RCP at the root denies S3 to principals outside the organization's accounts. Each
rule the questions apply has a test naming it; every answer is cross-checked against ``can`` and against
``PolicySet.evaluate`` and the reference evaluator built by hand; the conditional pre-filter of the grid is
checked against evaluating every cell.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from iameval import PolicySet
from iameval import reference as ref
from iameval.account import AccountError, load_gaad, organization_from_layout
from iameval.account.resources import make_resource
from iameval.cli import main
from iameval.questions import Environment, can
from iameval.questions.grid import Block, Partial, chunks, evaluate_cells, may_allow, run_chunk
from iameval.questions.what_can import what_can
from iameval.questions.who_can import (
    EXTERNAL_IDENTITY_UNKNOWN,
    EXTERNAL_NO_IDENTITY,
    LOADED,
    named_principals,
    scope_of,
    who_can,
)

MGMT, MEMBER, OTHER = "111111111111", "222222222222", "333333333333"
M = f"arn:aws:iam::{MEMBER}"
SSO = f"{M}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Read_0123abcd"
SLR = f"{M}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport"
BUCKET = "arn:aws:s3:::prod-data"
QUEUE = f"arn:aws:sqs:us-east-1:{MEMBER}:jobs"
PARTNER_BUCKET = "arn:aws:s3:::partner-data"
PARTNER = f"arn:aws:iam::{OTHER}:role/partner"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


ADMIN = _doc(_allow("*"))
S3_READ = _doc(_allow(["s3:GetObject", "s3:ListBucket"]))
MFA_START = _doc(_allow("ec2:StartInstances", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))


def _user(name: str, policy: dict[str, Any] | None, account: str = MEMBER, **extra: Any) -> dict[str, Any]:
    arn = f"arn:aws:iam::{account}:user/{name}"
    policies = [{"PolicyName": name, "PolicyDocument": policy}] if policy else []
    return {"UserName": name, "Path": "/", "Arn": arn, "UserId": f"AIDA{name.upper()}", "UserPolicyList": policies,
            "AttachedManagedPolicies": [], **extra}


def _role(arn: str, path: str, policy: dict[str, Any], trust: dict[str, Any]) -> dict[str, Any]:
    return {"RoleName": arn.rsplit("/", 1)[-1], "Path": path, "Arn": arn, "AssumeRolePolicyDocument": trust,
            "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": policy}], "AttachedManagedPolicies": []}


def _member() -> dict[str, Any]:
    trust = _doc({"Effect": "Allow", "Principal": {"AWS": f"{M}:user/alice"}, "Action": "sts:AssumeRole"})
    service = _doc({"Effect": "Allow", "Principal": {"Service": "support.amazonaws.com"}, "Action": "sts:AssumeRole"})
    boundary = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": f"{M}:policy/s3-boundary"}
    return {
        "UserDetailList": [_user("alice", ADMIN), _user("bounded", ADMIN, PermissionsBoundary=boundary),
                           _user("mfa", MFA_START), _user("nobody", None)],
        "GroupDetailList": [],
        "RoleDetailList": [_role(f"{M}:role/admin", "/", ADMIN, trust),
                           _role(SSO, "/aws-reserved/sso.amazonaws.com/", S3_READ, _doc()),
                           _role(SLR, "/aws-service-role/support.amazonaws.com/", ADMIN, service)],
        "Policies": [{"PolicyName": "s3-boundary", "Arn": f"{M}:policy/s3-boundary", "Path": "/",
                      "DefaultVersionId": "v1", "PolicyVersionList": [
                          {"VersionId": "v1", "IsDefaultVersion": True, "Document": _doc(_allow("s3:*"))}]}],
    }


def _mgmt() -> dict[str, Any]:
    a = f"arn:aws:iam::{MGMT}"
    return {"UserDetailList": [_user("alice", ADMIN, MGMT)], "GroupDetailList": [], "Policies": [],
            "RoleDetailList": [_role(f"{a}:role/admin", "/", ADMIN, _doc())]}


def _deny(action: str) -> dict[str, Any]:
    return _doc({"Effect": "Deny", "Action": action, "Resource": "*"})


RCP = _doc({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {
    "StringNotEqualsIfExists": {"aws:PrincipalAccount": [MEMBER, MGMT]},
    "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}})
ORG = {
    "root": "r-root", "management_account_id": MGMT,
    "organizational_units": [{"id": "ou-root-work", "name": "Workloads", "parent": "r-root"},
                             {"id": "ou-root-prod", "name": "Prod", "parent": "ou-root-work"}],
    "accounts": [{"id": MGMT, "name": "management", "parent": "r-root"},
                 {"id": MEMBER, "name": "prod", "parent": "ou-root-prod"}],
    "policies": {"p-full": {"type": "SCP", "name": "FullAWSAccess", "aws_managed": True, "document": ADMIN},
                 "p-root": {"type": "SCP", "name": "NoDeleteVpc", "document": _deny("ec2:DeleteVpc")},
                 "p-work": {"type": "SCP", "name": "NoTerminate", "document": _deny("ec2:TerminateInstances")},
                 "p-prod": {"type": "SCP", "name": "NoDeleteDb", "document": _deny("rds:DeleteDBInstance")},
                 "p-acct": {"type": "SCP", "name": "NoDeleteBucket", "document": _deny("s3:DeleteBucket")},
                 "p-rcp": {"type": "RCP", "name": "Perimeter", "document": RCP}},
    "attachments": {"r-root": ["p-full", "p-root", "p-rcp"], "ou-root-work": ["p-full", "p-work"],
                    "ou-root-prod": ["p-full", "p-prod"], MEMBER: ["p-full", "p-acct"], MGMT: ["p-full"]},
}
BUCKET_POLICY = _doc(
    {"Effect": "Allow", "Principal": {"AWS": PARTNER}, "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"},
    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
     "Resource": f"{BUCKET}/*"},
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*",
     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-example"}}})
QUEUE_POLICY = _doc({"Effect": "Allow", "Principal": {"AWS": [OTHER, f"arn:aws:iam::{MGMT}:role/admin"]},
                     "Action": "sqs:SendMessage", "Resource": QUEUE})
PARTNER_POLICY = _doc({"Effect": "Allow", "Principal": {"AWS": f"{M}:role/admin"}, "Action": "s3:GetObject",
                       "Resource": f"{PARTNER_BUCKET}/*"})


@pytest.fixture(scope="module")
def env() -> Environment:
    resources = [make_resource(BUCKET, BUCKET_POLICY, MEMBER), make_resource(QUEUE, QUEUE_POLICY, MEMBER),
                 make_resource(PARTNER_BUCKET, PARTNER_POLICY, OTHER)]
    return Environment.of([load_gaad(_member()), load_gaad(_mgmt())], organization_from_layout(ORG), resources)


def _by_hand(env: Environment, principal: str, action: str, resource: str, ctx: dict[str, Any] | None = None
             ) -> tuple[str, tuple[str, ...]]:
    """The engine's and the reference's decision for a policy set built by hand from the fixture."""
    p = env.principal(principal)
    subject = env.subject(resource)
    org = env.organization
    assert org is not None
    owner = subject.owner_account or p.account_id
    layers: dict[str, Any] = {
        "identity": p.identity_documents, "permission_boundary": p.boundary.document if p.boundary else None,
        "scps": None if p.service_linked or p.account_id not in org else org.scp_levels(p.account_id),
        "rcps": None if p.service_linked or owner not in org else org.rcp_levels(owner),
        "resource": subject.resource.policy if subject.resource else None}
    request = env.request(p, action, subject, ctx)
    rust = PolicySet(**layers).evaluate(request)
    pure = ref.PolicySet(**layers).evaluate(ref.Request(**request.to_dict()))
    assert str(rust.decision) == str(pure.decision)
    return str(rust.decision), tuple(rust.missing_context_keys)


def _decisions(answers: Any) -> dict[str, str]:
    return {a.principal: a.decision for a in answers}


# -- who-can ---------------------------------------------------------------------------------------------------

SCP_LEVELS = [("ec2:DeleteVpc", "p-root (NoDeleteVpc)", "root"),
              ("ec2:TerminateInstances", "p-work (NoTerminate)", "OU Workloads"),
              ("rds:DeleteDBInstance", "p-prod (NoDeleteDb)", "OU Prod"),
              ("s3:DeleteBucket", "p-acct (NoDeleteBucket)", "account")]


@pytest.mark.parametrize("action, policy, level", SCP_LEVELS, ids=[s[2] for s in SCP_LEVELS])
def test_r15_scp_deny_at_each_level(env: Environment, action: str, policy: str, level: str) -> None:
    """R15: the SCP of each level of the member account's path denies; not the management account, not a
    service-linked role."""
    resource = "arn:aws:s3:::any" if action.startswith("s3:") else "*"
    found = {a.principal: a for a in who_can(env, action, resource, include_denied=True)}
    alice = found[f"{M}:user/alice"]
    assert alice.decision == "ExplicitDeny", level
    assert [(m.policy_type, m.policy) for m in alice.matched if m.effect == "Deny"] == [("scp", policy)]
    allowed = {a.principal for a in who_can(env, action, resource)}
    assert f"arn:aws:iam::{MGMT}:user/alice" in allowed, "R15 management account"
    assert SLR in allowed, "R15 service-linked role"
    assert f"{M}:user/alice" not in allowed


def test_r17_boundary_and_identity_center(env: Environment) -> None:
    """R17: ``bounded`` (admin inline policy, boundary s3:*) is allowed S3 only; the Identity Center role
    is an ordinary loaded role with its permission set's policy."""
    allowed = _decisions(who_can(env, "s3:GetObject", "arn:aws:s3:::other-bucket/key"))
    assert allowed[f"{M}:user/bounded"] == "Allow" and allowed[SSO] == "Allow"
    assert env.principal(SSO).identity_center
    iam = _decisions(who_can(env, "iam:CreateUser", "*"))
    assert f"{M}:user/bounded" not in iam and SSO not in iam and f"{M}:user/alice" in iam


def test_conditional_principals_are_flagged(env: Environment) -> None:
    """An Allow held back only by a missing key is listed as conditional with the key; with the key, a plain
    Allow; a principal without any matching Allow is not listed."""
    rows = {a.principal: a for a in who_can(env, "ec2:StartInstances", "*")}
    mfa = rows[f"{M}:user/mfa"]
    assert mfa.conditional and mfa.decision == "ImplicitDeny"
    assert [k.lower() for k in mfa.missing_context_keys] == ["aws:multifactorauthpresent"]
    assert f"{M}:user/nobody" not in rows
    given = {a.principal: a for a in who_can(env, "ec2:StartInstances", "*", {"aws:MultiFactorAuthPresent": "true"})}
    assert given[f"{M}:user/mfa"].decision == "Allow" and not given[f"{M}:user/mfa"].conditional


def test_r21_cross_account_grants(env: Environment) -> None:
    """R21: the queue's policy names account 333333333333 (not loaded) and the management account's admin
    role: the admin role is allowed (both sides), the management alice is not (resource side missing), the
    outside account is listed as external with its identity side assumed."""
    rows = {a.principal: a for a in who_can(env, "sqs:SendMessage", QUEUE, include_denied=True)}
    assert rows[f"arn:aws:iam::{MGMT}:role/admin"].decision == "Allow"
    assert rows[f"arn:aws:iam::{MGMT}:role/admin"].decided_by == "identity+resource"
    assert rows[f"arn:aws:iam::{MGMT}:user/alice"].decision == "ImplicitDeny"
    outside = rows[f"arn:aws:iam::{OTHER}:root"]
    assert outside.decision == "Allow" and EXTERNAL_IDENTITY_UNKNOWN in outside.decided_by
    assert scope_of(env, outside.principal) == EXTERNAL_IDENTITY_UNKNOWN
    assert ("identity", "(not loaded: assumed to allow)") in [(m.policy_type, m.policy) for m in outside.matched]
    assert rows[f"{M}:user/alice"].decision == "Allow" and scope_of(env, f"{M}:user/alice") == LOADED
    # the other way: a bucket of the outside account whose policy names the member's admin role
    other = _decisions(who_can(env, "s3:GetObject", f"{PARTNER_BUCKET}/k", include_denied=True))
    assert other[f"{M}:role/admin"] == "Allow" and other[f"{M}:user/alice"] == "ImplicitDeny"


def test_r16_rcp_stops_outside_principals(env: Environment) -> None:
    """R16: the bucket's policy names an outside role, cloudtrail and ``*`` (with an org condition). The
    root RCP denies the outside role and anyone; the service principal passes (aws:PrincipalIsAWSService)."""
    assert named_principals(env, BUCKET_POLICY) == [PARTNER, "cloudtrail.amazonaws.com", "*"]
    rows = {a.principal: a for a in who_can(env, "s3:GetObject", f"{BUCKET}/k", include_denied=True)}
    assert rows[PARTNER].decision == "ExplicitDeny"
    assert [m.policy_type for m in rows[PARTNER].matched if m.effect == "Deny"] == ["rcp"]
    assert rows["*"].decision == "ExplicitDeny" and scope_of(env, "*") == EXTERNAL_NO_IDENTITY
    put = {a.principal: a for a in who_can(env, "s3:PutObject", f"{BUCKET}/k")}
    assert put["cloudtrail.amazonaws.com"].decision == "Allow"
    assert EXTERNAL_NO_IDENTITY in put["cloudtrail.amazonaws.com"].decided_by
    no_org = Environment.of(list(env.accounts), None, [make_resource(BUCKET, BUCKET_POLICY, MEMBER)])
    rows = {a.principal: a for a in who_can(no_org, "s3:GetObject", f"{BUCKET}/k")}
    assert rows[PARTNER].decision == "Allow", "without the organization no RCP applies"
    assert rows["*"].conditional and "aws:PrincipalOrgID" in rows["*"].missing_context_keys


def test_r19_trust_policy(env: Environment) -> None:
    """R19: only alice, named in the admin role's trust policy, may assume it; admin identity policies of
    others do not pass the trust policy."""
    rows = who_can(env, "sts:AssumeRole", f"{M}:role/admin")
    assert [a.principal for a in rows] == [f"{M}:user/alice"]


@pytest.mark.parametrize("action, resource", [
    ("s3:GetObject", f"{BUCKET}/k"), ("sqs:SendMessage", QUEUE), ("ec2:StartInstances", "*"),
    ("ec2:TerminateInstances", "*"), ("s3:GetObject", f"{PARTNER_BUCKET}/k"), ("sts:AssumeRole", f"{M}:role/admin"),
    ("iam:CreateUser", "*")])
def test_who_can_cross_checks(env: Environment, action: str, resource: str) -> None:
    """Every loaded answer equals ``can`` and the engine and the reference built by hand."""
    for answer in who_can(env, action, resource, include_denied=True):
        if scope_of(env, answer.principal) != LOADED:
            continue
        one = can(env, answer.principal, action, resource)
        assert (answer.decision, answer.missing_context_keys, answer.matched) == (
            one.decision, one.missing_context_keys, one.matched)
        assert (answer.decision, answer.missing_context_keys) == _by_hand(env, answer.principal, action, resource)


def test_who_can_bad_input(env: Environment) -> None:
    from iameval.errors import RequestError

    with pytest.raises(RequestError):
        who_can(env, "not-an-action", "*")
    broken = Environment.of(list(env.accounts), env.organization,
                            [make_resource(BUCKET, {"Statement": [{"Effect": "Perhaps"}]}, MEMBER)])
    with pytest.raises(AccountError, match="not evaluated"):
        who_can(broken, "s3:GetObject", f"{BUCKET}/k")


def test_not_evaluated_principals_are_reported() -> None:
    gaad = _member()
    gaad["UserDetailList"][0]["UserPolicyList"][0]["PolicyDocument"] = {"Statement": [{"Effect": "Perhaps"}]}
    broken = Environment.of(load_gaad(gaad))
    answers = who_can(broken, "s3:GetObject", "*")
    assert [arn for arn, _ in answers.not_evaluated] == [f"{M}:user/alice"]
    assert f"{M}:user/bounded" in {a.principal for a in answers}
    assert what_can(broken, f"{M}:user/alice", service="s3").not_evaluated[0][0] == f"{M}:user/alice"


# -- what-can --------------------------------------------------------------------------------------------------

def test_what_can_bounded_and_filters(env: Environment) -> None:
    """R17: ``bounded`` can do S3 only; the access level filter keeps Write actions only; every row is on ``*``
    or on a loaded resource whose type the action supports."""
    rows = what_can(env, "bounded")
    services = {a.action.split(":")[0] for a in rows}
    assert services == {"s3", "sts"}  # sts: GetCallerIdentity is always allowed (R20)
    from iameval.catalog import default_catalog

    cat = default_catalog()
    for a in rows:
        if a.resource != "*":
            info = cat.action(a.action)
            assert info is not None
            formats = {f for t in cat.match_resource(a.resource) for f in t.arn_formats}
            assert formats & {f for rt in info.resource_types for f in rt.arn_formats}
    assert (("s3:GetObject", "*") in {(a.action, a.resource) for a in rows})
    write = what_can(env, "bounded", service="s3", access_level="Write")
    assert write and all(cat.action(a.action).access_level == "Write" for a in write)  # type: ignore[union-attr]
    assert {a.action for a in write} < {a.action for a in rows}


def test_what_can_trust_policies_and_scps(env: Environment) -> None:
    """R19: alice may assume the admin role (its trust policy names her); R15: the OU's SCP takes
    ec2:TerminateInstances away from her."""
    rows = {(a.action, a.resource): a for a in what_can(env, f"{M}:user/alice", service="sts")}
    assert rows[("sts:AssumeRole", f"{M}:role/admin")].decision == "Allow"
    assert ("sts:AssumeRole", SSO) not in rows
    ec2 = {a.action for a in what_can(env, f"{M}:user/alice", service="ec2")}
    assert "ec2:StartInstances" in ec2 and "ec2:TerminateInstances" not in ec2 and "ec2:DeleteVpc" not in ec2


def test_what_can_explicit_resources(env: Environment) -> None:
    rows = what_can(env, "bounded", service="s3", resources=[f"{BUCKET}/report.csv"])
    cells = {(a.action, a.resource) for a in rows}
    assert ("s3:GetObject", f"{BUCKET}/report.csv") in cells and ("s3:GetObject", "*") in cells
    assert all(a.resource in ("*", f"{BUCKET}/report.csv") for a in rows)


def test_what_can_cross_checks(env: Environment) -> None:
    """Every row equals ``can`` and the engine and reference built by hand; the rows reported equal those
    found by evaluating every cell one by one (the conditional pre-filter misses none)."""
    for principal, service in [(f"{M}:user/mfa", "ec2"), (f"{M}:user/bounded", "s3"), (SSO, "s3"),
                               (SLR, "iam")]:
        rows = what_can(env, principal, service=service)
        for answer in rows[:: max(1, len(rows) // 25)]:
            one = can(env, principal, answer.action, answer.resource)
            assert (answer.decision, answer.missing_context_keys, answer.matched) == (
                one.decision, one.missing_context_keys, one.matched)
            assert (answer.decision, answer.missing_context_keys) == _by_hand(env, principal, answer.action,
                                                                              answer.resource)
        _assert_complete(env, principal, service, {(a.action, a.resource) for a in rows})


def _assert_complete(env: Environment, principal: str, service: str, reported: set[tuple[str, str]]) -> None:
    from iameval.catalog import default_catalog

    p = env.principal(principal)
    subject = env.subject("*")
    policy_set = env.policy_set(p, subject)
    expected = set()
    for action in default_catalog().actions(service):
        request = env.request(p, action, subject)
        result = policy_set.evaluate(request)
        if str(result.decision) == "Allow" or (result.missing_context_keys
                                               and may_allow(policy_set.evaluate(request, trace=True))):
            expected.add((action, "*"))
    assert {c for c in reported if c[1] == "*"} == expected


def test_grid_chunks_merge_in_any_order(env: Environment) -> None:
    """Chunks of any size, merged in any order, give the same answers as one run."""
    blocks = [Block(("s3:GetObject", "sqs:SendMessage", "ec2:StartInstances"), (f"{BUCKET}/k", QUEUE, "*"))]
    principals = list(env.principals)
    whole = evaluate_cells(env, principals, blocks, keep="all")
    assert len(whole) == len(principals) * 9
    parts = [run_chunk(env, principals[r.start:r.stop], blocks, keep="all", first=r.start)
             for r in chunks(len(principals), 3)]
    merged = Partial()
    for part in reversed(parts):
        merged = merged.merge(part)
    assert merged.answers() == whole
    import pickle

    assert pickle.loads(pickle.dumps(parts[0])).answers() == parts[0].answers()
    seen: list[tuple[int, int]] = []
    evaluate_cells(env, principals, blocks, chunk_size=2, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, len(principals) * 9) and seen[-1] == (len(principals) * 9,) * 2


# -- the cloudsplaining example account: expectations written by hand from the data ---------------------------

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gaad" / "cloudsplaining-example.json"
ACCT = "arn:aws:iam::200611803367"


@pytest.fixture(scope="module")
def example() -> Environment:
    if not DATA.is_file():
        pytest.skip(f"{DATA} is not there")
    return Environment.of(load_gaad(str(DATA)))


def test_cloudsplaining_who_can_create_policy_version(example: Environment) -> None:
    """``iam:CreatePolicyVersion`` on ``*`` (privilege escalation path 1):
    - ``privesc1-CreateNewPolicyVersion`` (user and role) allows exactly that action on ``*``;
    - ``privesc-sre-admin-policy`` allows ``iam:*`` (the group of privesc-sre-user, and privesc-sre-role);
    - ``Action: *`` policies: AdministratorAccess (obama directly and via group admin, userwithlotsofpermissions
      via group admin, the QuickSetup and StackSet execution roles, OrganizationAccountAccessRole, the
      Identity Center AdministratorAccess role), privesc-AssumeRole-high-priv-policy and
      privesc-high-priv-service-policy;
    - fn3 / fp5 allow it only under a ``aws:TokenIssueTime`` date condition: conditional;
    - fn2 allows it on ``arn:aws:iam::*:policy/fn2-*`` and fp4 on ``arn:aws:iam::aws:policy/fp4-*`` only: a
      request on ``*`` is matched by ``Resource: *`` alone (R4), so they are not listed."""
    rows = {a.principal: a for a in who_can(example, "iam:CreatePolicyVersion", "*")}
    allowed = {p.rsplit("/", 1)[-1] for p, a in rows.items() if a.decision == "Allow" and not a.conditional}
    assert allowed == {
        "privesc1-CreateNewPolicyVersion-user", "privesc1-CreateNewPolicyVersion-role", "privesc-sre-user",
        "privesc-sre-role", "obama", "userwithlotsofpermissions", "AWS-QuickSetup-StackSet-Local-ExecutionRole",
        "OrganizationAccountAccessRole", "AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc",
        "stacksets-exec-b5520cb2730c2f54b523d6375a319abb", "privesc-AssumeRole-ending-role",
        "privesc-high-priv-service-role"}
    conditional = {p.rsplit("/", 1)[-1] for p, a in rows.items() if a.conditional}
    assert conditional == {"fn3-exploitableConditionConstraint-user", "fn3-exploitableConditionConstraint-role",
                           "fp5-nonExploitableConditionConstraint-user", "fp5-nonExploitableConditionConstraint-role"}
    assert all(rows[p].missing_context_keys == ("aws:TokenIssueTime",) for p in rows if rows[p].conditional)
    fn2 = {a.principal for a in who_can(example, "iam:CreatePolicyVersion", f"{ACCT}:policy/fn2-x")}
    assert {f"{ACCT}:user/fn2-exploitableResourceConstraint-user",
            f"{ACCT}:role/fn2-exploitableResourceConstraint-role"} <= fn2
    assert not any("fp4" in p for p in fn2)


def test_cloudsplaining_who_can_pass_role(example: Environment) -> None:
    """``iam:PassRole`` on ``*``: the PassRole escalation paths (privesc3, 15, 16, 18, 20, 21, the SageMaker
    and CodeBuild ones, fn1-passrole-star) each allow it on ``*``; privesc1 (only CreatePolicyVersion) and
    fn1-privesc3-partial alone do not — fn1's principals get it from fn1-passrole-star."""
    names = {a.principal.rsplit("/", 1)[-1] for a in who_can(example, "iam:PassRole", "*") if a.allowed}
    for expected in ("privesc3-CreateEC2WithExistingInstanceProfile-user", "fn1-privesc3-partial-user",
                     "fn1-privesc3-partial-role", "privesc-sre-user"):
        assert expected in names
    assert "privesc1-CreateNewPolicyVersion-user" not in names
    assert "privesc-AssumeRole-start-user" not in names


def test_cloudsplaining_who_can_assume_the_chain(example: Environment) -> None:
    """R18/R19: the ending role's trust policy names the intermediate role, which has no identity policy: a
    same-account trust policy naming the role grants alone. The starting role's trust names an Identity
    Center *session* (not loaded): listed as external, identity side not loaded."""
    ending = who_can(example, "sts:AssumeRole", f"{ACCT}:role/privesc-AssumeRole-ending-role")
    assert [(a.principal, a.decision, a.decided_by) for a in ending] == [
        (f"{ACCT}:role/privesc-AssumeRole-intermediate-role", "Allow", "resource")]
    starting = who_can(example, "sts:AssumeRole", f"{ACCT}:role/privesc-AssumeRole-starting-role")
    assert [a.principal for a in starting] == [
        "arn:aws:sts::200611803367:assumed-role/AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc/elad@codsec.io"]
    assert scope_of(example, starting[0].principal) == EXTERNAL_IDENTITY_UNKNOWN


def test_cloudsplaining_what_can(example: Environment) -> None:
    """privesc1-CreateNewPolicyVersion-user has one policy allowing iam:CreatePolicyVersion on ``*``: that (on
    ``*`` and on every customer managed policy of the account, the IAM entities what-can asks about) and
    sts:GetCallerIdentity (always allowed, R20) are all it can do; no role resource is reachable."""
    rows = what_can(example, "privesc1-CreateNewPolicyVersion-user")
    # the dump also holds two policies of account 012345678901: across accounts IAM needs a resource policy
    # (R21), which IAM policies never have, so those are not reachable
    customer = [p.arn for a in example.accounts for p in a.managed_policies.values()
                if not p.aws_managed and p.arn.split(":")[4] == "200611803367"]
    assert len(customer) > 40
    assert [(a.action, a.resource, a.decision) for a in rows] == [
        ("iam:CreatePolicyVersion", "*", "Allow"), *(("iam:CreatePolicyVersion", arn, "Allow") for arn in customer),
        ("sts:GetCallerIdentity", "*", "Allow")]
    sample = what_can(example, "privesc-sre-user", service="iam")
    for answer in sample[:: max(1, len(sample) // 40)]:
        one = can(example, answer.principal, answer.action, answer.resource)
        assert (answer.decision, answer.matched) == (one.decision, one.matched)
    _assert_complete(example, "fn3-exploitableConditionConstraint-role", "iam",
                     {(a.action, a.resource)
                      for a in what_can(example, "fn3-exploitableConditionConstraint-role", service="iam")})


# -- CLI -------------------------------------------------------------------------------------------------------

@pytest.fixture()
def files(tmp_path: Path) -> list[str]:
    (tmp_path / "member.json").write_text(json.dumps(_member()))
    (tmp_path / "mgmt.json").write_text(json.dumps(_mgmt()))
    (tmp_path / "org.json").write_text(json.dumps(ORG))
    (tmp_path / "policies.json").write_text(json.dumps({QUEUE: QUEUE_POLICY}))
    return ["--account", str(tmp_path / "member.json"), "--account", str(tmp_path / "mgmt.json"),
            "--org", str(tmp_path / "org.json"), "--resource-policies", str(tmp_path / "policies.json")]


def test_cli_who_can(files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["who-can", "sqs:SendMessage", QUEUE, *files, "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "external: identity side not loaded" in text and f"arn:aws:iam::{OTHER}:root" in text
    assert main(["who-can", "sqs:SendMessage", QUEUE, *files, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["scope"] for r in rows} == {LOADED, EXTERNAL_IDENTITY_UNKNOWN}
    assert all({"principal", "action", "resource", "decision", "conditional", "missing_context_keys",
                "matched"} <= set(r) for r in rows)
    assert main(["who-can", "ec2:StartInstances", "*", *files, "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0][-1] == "scope"
    mfa = next(r for r in table if r[0] == f"{M}:user/mfa")
    assert mfa[table[0].index("conditional")] == "true"
    assert main(["who-can", "ec2:DeleteVpc", "*", *files, "--format", "json"]) == 0  # none from the member
    assert f"{M}:user/alice" not in capsys.readouterr().out
    assert main(["who-can", "bad", "*", *files]) == 2
    assert "service:Action" in capsys.readouterr().err
    assert main(["who-can", "s3:GetObject", "*", "--account", "/nonexistent.json"]) == 2


def test_cli_what_can(files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["what-can", "bounded", "--service", "s3", "--access-level", "Write", *files]) == 0
    assert "s3:PutObject" in capsys.readouterr().out
    assert main(["what-can", f"{M}:user/alice", "--service", "sts", *files, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assume = [r for r in rows if r["action"] == "sts:AssumeRole" and r["resource"] == f"{M}:role/admin"]
    assert [r["decision"] for r in assume] == ["Allow"]
    assert main(["what-can", "mfa", "--service", "ec2", *files, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and ",true,aws:MultiFactorAuthPresent," in lines[1]
    assert main(["what-can", "nobody", "--service", "ec2", *files]) == 0  # an empty answer is an answer
    assert main(["what-can", "carol", *files]) == 2
    assert main(["what-can", "bounded", "--service", "nope", *files]) == 2
    assert main(["what-can", "bounded", "--service", "s3", "--access-level", "Sometimes", *files]) == 2
    err = capsys.readouterr().err
    assert "no principal `carol`" in err and "unknown service" in err and "access level" in err
