"""``iameval.questions.can`` and ``iameval can``: one request decided from a whole account (issue 11).

The account, organization and resource policies are written here by hand (two accounts in one organization:
111111111111 is the management account, 222222222222 a member under OU Workloads), so that each rule the
question layer applies has a test that names it: SCP levels of the principal's account (R15) and not for the
management account or service-linked roles, RCP levels of the resource's account (R16), the permissions
boundary (R17), cross-account access needing both sides (R21), trust policies as the role's resource policy
(R19), principal tags as ``aws:PrincipalTag`` context, and context the question lacks making it conditional.
Every answer is also checked against ``PolicySet.evaluate`` and the reference evaluator built by hand.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from iameval import PolicySet
from iameval import reference as ref
from iameval.account import AccountError, load_gaad, organization_from_layout
from iameval.cli import main
from iameval.questions import Answers, Environment, can

MEMBER, MGMT, OTHER = "222222222222", "111111111111", "333333333333"
ALICE = f"arn:aws:iam::{MEMBER}:user/alice"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


S3_READ = _doc(_allow(["s3:GetObject", "s3:ListBucket"]))
ADMIN = _doc(_allow("*"))
MFA_ONLY = _doc(_allow("ec2:TerminateInstances", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))
TAGGED = _doc(_allow("ec2:StartInstances", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}))
BOUNDARY = _doc(_allow("s3:*"))


def _gaad(account: str) -> dict[str, Any]:
    arn = f"arn:aws:iam::{account}"
    trust = _doc({"Effect": "Allow", "Principal": {"AWS": f"{arn}:user/alice"}, "Action": "sts:AssumeRole"})
    return {
        "UserDetailList": [
            {"UserName": "alice", "Path": "/", "Arn": f"{arn}:user/alice", "UserId": "AIDAALICE",
             "Tags": [{"Key": "team", "Value": "blue"}], "GroupList": ["readers"],
             "UserPolicyList": [{"PolicyName": "mfa-terminate", "PolicyDocument": MFA_ONLY},
                                {"PolicyName": "tagged-start", "PolicyDocument": TAGGED}],
             "AttachedManagedPolicies": []},
            {"UserName": "bounded", "Path": "/", "Arn": f"{arn}:user/bounded", "UserId": "AIDABOUNDED",
             "UserPolicyList": [{"PolicyName": "admin", "PolicyDocument": ADMIN}], "AttachedManagedPolicies": [],
             "PermissionsBoundary": {"PermissionsBoundaryType": "Policy",
                                     "PermissionsBoundaryArn": f"{arn}:policy/s3-boundary"}},
        ],
        "GroupDetailList": [
            {"GroupName": "readers", "Path": "/", "Arn": f"{arn}:group/readers", "GroupPolicyList": [],
             "AttachedManagedPolicies": [{"PolicyName": "s3-read", "PolicyArn": f"{arn}:policy/s3-read"}]},
        ],
        "RoleDetailList": [
            {"RoleName": "admin", "Path": "/", "Arn": f"{arn}:role/admin", "AssumeRolePolicyDocument": trust,
             "RolePolicyList": [{"PolicyName": "admin", "PolicyDocument": ADMIN}], "AttachedManagedPolicies": []},
            {"RoleName": "AWSServiceRoleForSupport", "Path": "/aws-service-role/support.amazonaws.com/",
             "Arn": f"{arn}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
             "AssumeRolePolicyDocument": _doc({"Effect": "Allow", "Principal": {"Service": "support.amazonaws.com"},
                                               "Action": "sts:AssumeRole"}),
             "RolePolicyList": [{"PolicyName": "admin", "PolicyDocument": ADMIN}], "AttachedManagedPolicies": []},
        ],
        "Policies": [
            {"PolicyName": "s3-read", "Arn": f"{arn}:policy/s3-read", "Path": "/", "DefaultVersionId": "v1",
             "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": S3_READ}]},
            {"PolicyName": "s3-boundary", "Arn": f"{arn}:policy/s3-boundary", "Path": "/", "DefaultVersionId": "v1",
             "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": BOUNDARY}]},
        ],
    }


DENY_TERMINATE = _doc({"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"})
RCP_DENY_EXTERNAL = _doc({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                          "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalAccount": [MEMBER, MGMT]}}})
ORG = {
    "root": "r-root", "management_account_id": MGMT,
    "organizational_units": [{"id": "ou-root-work", "name": "Workloads", "parent": "r-root"}],
    "accounts": [{"id": MGMT, "name": "management", "parent": "r-root"},
                 {"id": MEMBER, "name": "prod", "parent": "ou-root-work"}],
    "policies": {"p-FullAWSAccess": {"type": "SCP", "name": "FullAWSAccess", "aws_managed": True, "document": ADMIN},
                 "p-noterminate": {"type": "SCP", "name": "NoTerminate", "document": DENY_TERMINATE},
                 "p-rcpperimeter": {"type": "RCP", "name": "Perimeter", "document": RCP_DENY_EXTERNAL}},
    "attachments": {"r-root": ["p-FullAWSAccess", "p-rcpperimeter"],
                    "ou-root-work": ["p-FullAWSAccess", "p-noterminate"],
                    MEMBER: ["p-FullAWSAccess"], MGMT: ["p-FullAWSAccess"]},
}
BUCKET = "arn:aws:s3:::prod-data"
BUCKET_POLICY = _doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:role/partner"},
                      "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"})


@pytest.fixture(scope="module")
def env() -> Environment:
    from iameval.account.resources import make_resource

    accounts = [load_gaad(_gaad(MEMBER)), load_gaad(_gaad(MGMT))]
    org = organization_from_layout(ORG)
    return Environment.of(accounts, org, [make_resource(BUCKET, BUCKET_POLICY, MEMBER)])


def _by_hand(env: Environment, principal: str, action: str, resource: str, ctx: dict[str, Any]) -> str:
    """The decision of the engine and of the reference for a policy set built by hand from the fixture."""
    p = env.principal(principal)
    subject = env.subject(resource)
    org = env.organization
    assert org is not None
    scps = None if p.service_linked else org.scp_levels(p.account_id)
    owner = subject.owner_account or p.account_id
    rcps = None if p.service_linked else org.rcp_levels(owner)
    layers: dict[str, Any] = {"identity": p.identity_documents,
                              "permission_boundary": p.boundary.document if p.boundary else None,
                              "scps": scps, "rcps": rcps,
                              "resource": subject.resource.policy if subject.resource else None}
    request = env.request(p, action, subject, ctx)
    rust = PolicySet(**layers).evaluate(request).decision
    pure = ref.PolicySet(**layers).evaluate(ref.Request(**request.to_dict())).decision
    assert str(rust) == str(pure)
    return str(rust)


CASES = [
    # (principal, action, resource, context, decision, conditional, rule)
    (ALICE, "s3:GetObject", "arn:aws:s3:::any/k", {}, "Allow", False, "group managed policy grants"),
    (ALICE, "ec2:TerminateInstances", "*", {"aws:MultiFactorAuthPresent": "true"}, "ExplicitDeny", False,
     "R15 SCP of the OU denies a member account"),
    (f"arn:aws:iam::{MGMT}:user/alice", "ec2:TerminateInstances", "*", {"aws:MultiFactorAuthPresent": "true"},
     "Allow", False, "R15 SCPs do not apply to the management account"),
    (f"arn:aws:iam::{MEMBER}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
     "ec2:TerminateInstances", "*", {}, "Allow", False, "R15 SCPs do not apply to service-linked roles"),
    (f"arn:aws:iam::{MEMBER}:user/bounded", "iam:CreateUser", "*", {}, "ImplicitDeny", False,
     "R17 boundary without an Allow"),
    (f"arn:aws:iam::{MEMBER}:user/bounded", "s3:PutObject", "arn:aws:s3:::x/y", {}, "Allow", False,
     "R17 boundary and identity both allow"),
    (f"arn:aws:iam::{MGMT}:user/alice", "ec2:TerminateInstances", "*", {}, "ImplicitDeny", True,
     "missing aws:MultiFactorAuthPresent makes it conditional"),
    (f"arn:aws:iam::{MEMBER}:user/alice", "ec2:StartInstances", "*", {}, "Allow", False,
     "principal tags are aws:PrincipalTag context"),
    (f"arn:aws:iam::{MEMBER}:user/alice", "sts:AssumeRole", f"arn:aws:iam::{MEMBER}:role/admin", {}, "Allow",
     False, "R19 the role's trust policy names alice"),
    (f"arn:aws:iam::{MEMBER}:user/bounded", "sts:AssumeRole", f"arn:aws:iam::{MEMBER}:role/admin", {},
     "ImplicitDeny", False, "R19 identity Allow alone does not pass a trust policy"),
    (f"arn:aws:iam::{MEMBER}:role/admin", "s3:GetObject", f"{BUCKET}/report.csv", {}, "Allow", False,
     "S3 object governed by its bucket's policy; same account identity Allow"),
]


@pytest.mark.parametrize("principal, action, resource, ctx, decision, conditional, rule", CASES,
                         ids=[c[-1] for c in CASES])
def test_can(env: Environment, principal: str, action: str, resource: str, ctx: dict[str, Any], decision: str,
             conditional: bool, rule: str) -> None:
    answer = can(env, principal, action, resource, ctx)
    assert answer.decision == decision, rule
    assert answer.conditional is conditional, (rule, answer.missing_context_keys)
    assert answer.decision == _by_hand(env, principal, action, resource, ctx)


def test_conditional_names_the_missing_key(env: Environment) -> None:
    answer = can(env, f"arn:aws:iam::{MGMT}:user/alice", "ec2:TerminateInstances", "*")
    assert [k.lower() for k in answer.missing_context_keys] == ["aws:multifactorauthpresent"]


def test_matched_statements_are_named_after_the_export(env: Environment) -> None:
    deny = can(env, ALICE, "ec2:TerminateInstances", "*", {"aws:MultiFactorAuthPresent": "true"})
    assert [(m.policy_type, m.policy, m.statement_index, m.effect) for m in deny.matched] == [
        ("scp", "p-noterminate (NoTerminate)", 0, "Deny")]
    allow = can(env, ALICE, "s3:GetObject", "*")
    assert [(m.policy_type, m.policy) for m in allow.matched] == [
        ("scp", "p-FullAWSAccess (FullAWSAccess)"), ("scp", "p-FullAWSAccess (FullAWSAccess)"),
        ("scp", "p-FullAWSAccess (FullAWSAccess)"),
        ("identity", f"group readers managed arn:aws:iam::{MEMBER}:policy/s3-read")]
    bucket = can(env, f"arn:aws:iam::{MEMBER}:role/admin", "s3:GetObject", f"{BUCKET}/k")
    assert ("identity", "inline admin") in [(m.policy_type, m.policy) for m in bucket.matched]


def test_r21_cross_account_needs_the_resource_policy(env: Environment) -> None:
    """A member-account principal on a resource of an account that is not loaded and has no policy: the
    resource side is missing, so the request is denied even with admin identity policies (R21)."""
    answer = can(env, f"arn:aws:iam::{MEMBER}:role/admin", "sqs:SendMessage",
                 f"arn:aws:sqs:us-east-1:{OTHER}:queue")
    assert answer.decision == "ImplicitDeny"


def test_r16_rcp_of_the_resource_account_applies(env: Environment) -> None:
    """The RCP at the root denies S3 to principals outside the two accounts. A loaded principal of the member
    account is inside; the bucket's own policy names an outside role, which the RCP stops."""
    inside = can(env, f"arn:aws:iam::{MEMBER}:role/admin", "s3:GetObject", f"{BUCKET}/k")
    assert inside.decision == "Allow"
    org = organization_from_layout(ORG)
    partner_gaad = {"RoleDetailList": [{"RoleName": "partner", "Path": "/", "Arn": f"arn:aws:iam::{OTHER}:role/partner",
                                        "RolePolicyList": [{"PolicyName": "s3", "PolicyDocument": S3_READ}],
                                        "AssumeRolePolicyDocument": _doc(), "AttachedManagedPolicies": []}]}
    from iameval.account.resources import make_resource

    both = Environment.of([load_gaad(_gaad(MEMBER)), load_gaad(partner_gaad)], org,
                          [make_resource(BUCKET, BUCKET_POLICY, MEMBER)])
    outside = can(both, f"arn:aws:iam::{OTHER}:role/partner", "s3:GetObject", f"{BUCKET}/k")
    assert outside.decision == "ExplicitDeny"
    assert [m.policy_type for m in outside.matched] == ["rcp"]
    no_org = Environment.of([load_gaad(_gaad(MEMBER)), load_gaad(partner_gaad)], None,
                            [make_resource(BUCKET, BUCKET_POLICY, MEMBER)])
    assert can(no_org, f"arn:aws:iam::{OTHER}:role/partner", "s3:GetObject", f"{BUCKET}/k").decision == "Allow"


def test_unknown_and_ambiguous_principals(env: Environment) -> None:
    with pytest.raises(AccountError, match="no principal `carol`"):
        can(env, "carol", "s3:GetObject", "*")
    with pytest.raises(AccountError, match="several accounts"):
        can(env, "bounded", "s3:GetObject", "*")


def test_a_principal_not_evaluated_says_why() -> None:
    gaad = _gaad(MEMBER)
    gaad["UserDetailList"][0]["UserPolicyList"][0]["PolicyDocument"] = {"Statement": [{"Effect": "Perhaps"}]}
    broken = Environment.of(load_gaad(gaad))
    with pytest.raises(AccountError, match="not evaluated"):
        can(broken, "alice", "s3:GetObject", "*")
    assert can(broken, "bounded", "s3:GetObject", "*").decision == "Allow"


def test_answers_tables(env: Environment) -> None:
    answers = Answers([can(env, ALICE, "s3:GetObject", "*"),
                       can(env, f"arn:aws:iam::{MGMT}:user/alice", "ec2:TerminateInstances", "*")])
    rows = json.loads(answers.to_json())
    assert [set(r) for r in rows] == [{"principal", "action", "resource", "decision", "decided_by", "conditional",
                                       "missing_context_keys", "matched"}] * 2
    assert Answers.from_arrow(answers.to_arrow()) == answers
    assert rows[1]["conditional"] is True
    table = list(csv.reader(io.StringIO(answers.to_csv())))
    assert table[0][:5] == ["principal", "action", "resource", "decision", "decided_by"] and len(table) == 3
    arrow = answers.to_arrow()
    assert arrow.num_rows == 2 and arrow.column("decision").to_pylist() == ["Allow", "ImplicitDeny"]
    pytest.importorskip("pandas")
    frame = answers.to_pandas()
    assert list(frame["conditional"]) == [False, True]


def test_cli_can(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    gaad = tmp_path / "gaad.json"
    gaad.write_text(json.dumps(_gaad(MEMBER)))
    org = tmp_path / "org.json"
    org.write_text(json.dumps(ORG))
    assert main(["can", "alice", "s3:GetObject", "*", "--account", str(gaad), "--org", str(org)]) == 0
    assert "Allow" in capsys.readouterr().out
    code = main(["can", "alice", "ec2:TerminateInstances", "*", "--account", str(gaad), "--org", str(org),
                 "--context", "aws:MultiFactorAuthPresent=true", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 1 and rows[0]["decision"] == "ExplicitDeny" and rows[0]["matched"][0]["policy_type"] == "scp"
    assert main(["can", "alice", "ec2:TerminateInstances", "*", "--account", str(gaad), "--format", "csv"]) == 1
    assert capsys.readouterr().out.splitlines()[1].endswith(",ImplicitDeny,default,true,aws:MultiFactorAuthPresent,")
    assert main(["can", "nobody", "s3:GetObject", "*", "--account", str(gaad)]) == 2
    assert "no principal `nobody`" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"UserDetailList": [{"UserName": 3}]}')
    assert main(["can", "alice", "s3:GetObject", "*", "--account", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err


def test_organization_keys_in_the_request() -> None:
    """With the organization's id known, the request carries aws:PrincipalOrgID/OrgPaths and
    aws:ResourceOrgID/OrgPaths for accounts of the organization, so a data-perimeter RCP on them is decided
    exactly instead of being conditional."""
    from iameval.account.resources import make_resource

    layout = dict(ORG, id="o-example")
    layout["policies"] = dict(ORG["policies"])
    layout["policies"]["p-rcpperimeter"] = {"type": "RCP", "name": "OrgOnly", "document": _doc(
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-example"}}})}
    org = organization_from_layout(layout)
    env = Environment.of([load_gaad(_gaad(MEMBER))], org, [make_resource(BUCKET, BUCKET_POLICY, MEMBER)])
    role = env.principal(f"arn:aws:iam::{MEMBER}:role/admin")
    request = env.request(role, "s3:GetObject", env.subject(f"{BUCKET}/k"))
    assert request.context["aws:PrincipalOrgID"] == "o-example"
    assert request.context["aws:PrincipalOrgPaths"] == ["o-example/r-root/ou-root-work/"]
    assert request.context["aws:ResourceOrgPaths"] == ["o-example/r-root/ou-root-work/"]
    answer = can(env, role, "s3:GetObject", f"{BUCKET}/k")
    assert answer.decision == "Allow" and not answer.conditional
    no_id = organization_from_layout({k: v for k, v in layout.items() if k != "id"})
    without_id = Environment.of([load_gaad(_gaad(MEMBER))], no_id, [make_resource(BUCKET, BUCKET_POLICY, MEMBER)])
    unknown = can(without_id, f"arn:aws:iam::{MEMBER}:role/admin", "s3:GetObject", f"{BUCKET}/k")
    assert unknown.conditional and "aws:PrincipalOrgID" in unknown.missing_context_keys


def test_a_trust_policy_governs_only_sts_actions_on_the_role() -> None:
    """R19: a role's trust policy is its resource-based policy for sts:AssumeRole (and the other STS session
    actions), not for IAM actions on the role. A trust policy granting `*` to another account must not let it
    delete the role; it does let it assume the role (with its own identity allow)."""
    from iameval.questions import who_can

    gaad = _gaad(MEMBER)
    wide_trust = _doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": "*"})
    gaad["RoleDetailList"][0]["AssumeRolePolicyDocument"] = wide_trust
    partner = {"RoleDetailList": [{"RoleName": "partner", "Path": "/", "Arn": f"arn:aws:iam::{OTHER}:role/partner",
                                   "RolePolicyList": [{"PolicyName": "all", "PolicyDocument": ADMIN}],
                                   "AssumeRolePolicyDocument": _doc(), "AttachedManagedPolicies": []}]}
    env = Environment.of([load_gaad(gaad), load_gaad(partner)])
    role = f"arn:aws:iam::{MEMBER}:role/admin"
    partner_arn = f"arn:aws:iam::{OTHER}:role/partner"
    assert can(env, partner_arn, "sts:AssumeRole", role).decision == "Allow"
    assert can(env, partner_arn, "iam:DeleteRole", role).decision == "ImplicitDeny"
    assert partner_arn not in {a.principal for a in who_can(env, "iam:DeleteRole", role)}
    assert partner_arn in {a.principal for a in who_can(env, "sts:AssumeRole", role)}
