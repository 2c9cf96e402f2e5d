"""``iameval.questions.privesc`` and ``iameval privesc``: principals that can escalate (issue 11, section 2).

A hand-written account (222222222222, a member account under OU Workloads of an organization) holds one user
per path: ``cpv`` (iam:CreatePolicyVersion on its own customer-managed policy), ``attacher``
(iam:AttachUserPolicy on itself), ``lambda-dev`` (iam:PassRole of the admin role ``lambda-admin`` that trusts
lambda.amazonaws.com, with lambda:CreateFunction + lambda:InvokeFunction), ``trust-editor``
(iam:UpdateAssumeRolePolicy + sts:AssumeRole on the admin role ``admin``), ``jumper`` (sts:AssumeRole into
``admin``, whose trust policy names it), plus ``reader`` (s3 read only, never reported) and ``boss`` (an
admin, reported as admin). Each path is then blocked in a variant, by a permissions boundary (R17) and by an
SCP of the OU (R15), and its finding must disappear while the others stay. Every step of every finding is
cross-checked against ``PolicySet.evaluate`` and the reference evaluator built by hand.

The cloudsplaining example account (../shared/data/gaad, skipped when absent) has one user and one role per
IAM Vulnerable scenario; the expectations below are written from its policies by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path as FsPath
from typing import Any

import pytest
from iameval import PolicySet
from iameval import reference as ref
from iameval.account import load_gaad, organization_from_layout
from iameval.cli import main
from iameval.lint.checks.security import ESCALATIONS
from iameval.questions import FIELDS, Environment
from iameval.questions.privesc import (
    ADMIN_PROBE,
    EXTRA_FIELDS,
    PATHS,
    PROBE_ACTIONS,
    Finding,
    Findings,
    privesc,
)

MEMBER, MGMT = "222222222222", "111111111111"
ARN = f"arn:aws:iam::{MEMBER}"
HERE = FsPath(__file__).resolve().parent
CLOUDSPLAINING = HERE.parent.parent / "shared" / "data" / "gaad" / "cloudsplaining-example.json"
needs_shared = pytest.mark.skipif(not CLOUDSPLAINING.is_file(), reason=f"shared data not present at {CLOUDSPLAINING}")


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


ADMIN = _doc(_allow("*"))


def _trust(principal: dict[str, Any]) -> dict[str, Any]:
    return _doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})


def _user(name: str, inline: dict[str, Any] | None = None, managed: tuple[str, ...] = (),
          boundary: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "UserName": name, "Path": "/", "Arn": f"{ARN}:user/{name}", "UserId": f"AIDA{name.upper()}",
        "UserPolicyList": [{"PolicyName": f"{name}-inline", "PolicyDocument": inline}] if inline else [],
        "AttachedManagedPolicies": [{"PolicyName": m, "PolicyArn": f"{ARN}:policy/{m}"} for m in managed]}
    if boundary:
        entry["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                        "PermissionsBoundaryArn": f"{ARN}:policy/{boundary}"}
    return entry


def _role(name: str, trust: dict[str, Any], policy: dict[str, Any]) -> dict[str, Any]:
    return {"RoleName": name, "Path": "/", "Arn": f"{ARN}:role/{name}", "AssumeRolePolicyDocument": trust,
            "RolePolicyList": [{"PolicyName": f"{name}-inline", "PolicyDocument": policy}],
            "AttachedManagedPolicies": []}


def _managed(name: str, document: dict[str, Any]) -> dict[str, Any]:
    return {"PolicyName": name, "Arn": f"{ARN}:policy/{name}", "Path": "/", "DefaultVersionId": "v1",
            "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": document}]}


#: user -> (path, target) it must be found by
EXPECTED = {
    "cpv": ("CreatePolicyVersion", f"{ARN}:policy/cpv-policy"),
    "attacher": ("AttachUserPolicy", f"{ARN}:user/attacher"),
    "lambda-dev": ("PassRole+Lambda", f"{ARN}:role/lambda-admin"),
    "trust-editor": ("UpdateAssumeRolePolicy", f"{ARN}:role/admin"),
    "jumper": ("AssumeRole", f"{ARN}:role/admin"),
}
#: user -> the action whose denial (boundary or SCP) blocks its path
KEY_ACTION = {"cpv": "iam:CreatePolicyVersion", "attacher": "iam:AttachUserPolicy", "lambda-dev": "iam:PassRole",
              "trust-editor": "iam:UpdateAssumeRolePolicy", "jumper": "sts:AssumeRole"}


def _gaad(boundary_denies: str | None = None) -> dict[str, Any]:
    """The account; with ``boundary_denies`` every user but ``boss`` has a boundary allowing all but it."""
    b = "guard" if boundary_denies else None
    users = [
        _user("cpv", managed=("cpv-policy",), boundary=b),
        _user("attacher", _doc(_allow("iam:AttachUserPolicy", f"{ARN}:user/${{aws:username}}")), boundary=b),
        _user("lambda-dev", _doc(_allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"])),
              boundary=b),
        _user("trust-editor", _doc(_allow(["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], f"{ARN}:role/*")),
              boundary=b),
        _user("jumper", _doc(_allow("sts:AssumeRole", f"{ARN}:role/admin")), boundary=b),
        _user("reader", _doc(_allow(["s3:GetObject", "s3:ListBucket"])), boundary=b),
        _user("boss", ADMIN),
    ]
    roles = [
        _role("admin", _trust({"AWS": [f"{ARN}:user/jumper", f"{ARN}:user/boss"]}), ADMIN),
        _role("lambda-admin", _trust({"Service": "lambda.amazonaws.com"}), ADMIN),
        _role("lambda-weak", _trust({"Service": "lambda.amazonaws.com"}), _doc(_allow("logs:CreateLogGroup"))),
        _role("ec2-admin", _trust({"Service": "ec2.amazonaws.com"}), ADMIN),
    ]
    policies = [_managed("cpv-policy", _doc(_allow("iam:CreatePolicyVersion")))]
    if boundary_denies:
        policies.append(_managed("guard", _doc({"Effect": "Allow", "NotAction": boundary_denies, "Resource": "*"})))
    return {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": policies}


def _org(scp_denies: str | None = None) -> dict[str, Any]:
    policies: dict[str, Any] = {"p-FullAWSAccess": {"type": "SCP", "name": "FullAWSAccess", "aws_managed": True,
                                                    "document": ADMIN}}
    ou = ["p-FullAWSAccess"]
    if scp_denies:
        policies["p-deny"] = {"type": "SCP", "name": "DenyEscalation",
                              "document": _doc({"Effect": "Deny", "Action": scp_denies, "Resource": "*"})}
        ou.append("p-deny")
    return {"root": "r-root", "management_account_id": MGMT,
            "organizational_units": [{"id": "ou-root-work", "name": "Workloads", "parent": "r-root"}],
            "accounts": [{"id": MGMT, "name": "management", "parent": "r-root"},
                         {"id": MEMBER, "name": "prod", "parent": "ou-root-work"}],
            "policies": policies,
            "attachments": {"r-root": ["p-FullAWSAccess"], "ou-root-work": ou, MEMBER: ["p-FullAWSAccess"],
                            MGMT: ["p-FullAWSAccess"]}}


def _env(boundary_denies: str | None = None, scp_denies: str | None = None) -> Environment:
    return Environment.of(load_gaad(_gaad(boundary_denies)), organization_from_layout(_org(scp_denies)))


def _found(findings: Findings, user: str) -> set[tuple[str, str]]:
    return {(f.path, f.target) for f in findings.of(f"{ARN}:user/{user}")}


@pytest.fixture(scope="module")
def env() -> Environment:
    return _env()


@pytest.fixture(scope="module")
def findings(env: Environment) -> Findings:
    return privesc(env)


# -- the paths, each found --------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", sorted(EXPECTED))
def test_each_path_is_found(findings: Findings, user: str) -> None:
    assert EXPECTED[user] in _found(findings, user)


def test_exact_findings_of_the_fixture(findings: Findings) -> None:
    """Nothing more: a role that is not more privileged (lambda-weak) or trusts another service (ec2-admin) is
    no target; reader is not reported; boss is an admin, not an escalation; roles admin and lambda-admin are
    admins."""
    got = {(f.principal.rsplit(":", 1)[1], f.kind, f.path, f.target.rsplit(":", 1)[-1]) for f in findings}
    assert got == {
        ("user/cpv", "escalation", "CreatePolicyVersion", "policy/cpv-policy"),
        ("user/attacher", "escalation", "AttachUserPolicy", "user/attacher"),
        ("user/lambda-dev", "pass-role", "PassRole+Lambda", "role/lambda-admin"),
        ("user/trust-editor", "escalation", "UpdateAssumeRolePolicy", "role/admin"),
        ("user/trust-editor", "escalation", "UpdateAssumeRolePolicy", "role/lambda-admin"),
        ("user/trust-editor", "escalation", "UpdateAssumeRolePolicy", "role/ec2-admin"),
        ("user/jumper", "assume-role", "AssumeRole", "role/admin"),
        ("user/boss", "admin", "admin", "*"),
        ("role/admin", "admin", "admin", "*"),
        ("role/lambda-admin", "admin", "admin", "*"),
        ("role/ec2-admin", "admin", "admin", "*"),
    }
    assert findings.not_evaluated == ()


def test_finding_rows_name_the_deciding_statements(findings: Findings) -> None:
    lam = next(iter(findings.of(f"{ARN}:user/lambda-dev")))
    assert lam.actions == ("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction")
    assert [a.resource for a in lam.steps] == [f"{ARN}:role/lambda-admin", "*", "*"]
    assert all("inline lambda-dev-inline" in {m.policy for m in a.matched if m.policy_type == "identity"}
               for a in lam.steps)
    assert not lam.conditional and lam.source.startswith("https://rhinosecuritylabs.com/")
    trust = next(f for f in findings.of(f"{ARN}:user/trust-editor") if f.target.endswith("role/admin"))
    assume = trust.steps[1]
    assert assume.action == "sts:AssumeRole" and assume.decision == "Allow"
    # R19: decided with the trust policy the principal would write, named as such
    assert {m.policy for m in assume.matched if m.policy_type == "resource"} == {
        "trust policy after iam:UpdateAssumeRolePolicy"}
    jump = next(iter(findings.of(f"{ARN}:user/jumper")))
    assert {m.policy_type for m in jump.steps[0].matched} == {"identity", "resource", "scp"}


def test_attach_user_policy_on_another_user_does_not_count(env: Environment) -> None:
    """attacher may attach policies only to ${aws:username}: the target is its own ARN, decided by the engine
    with aws:username from the principal's context (no string matching of the policy)."""
    found = privesc(env, principals=["attacher"])
    assert [a.resource for f in found for a in f.steps] == [f"{ARN}:user/attacher"]


# -- each blocked by a boundary and by an SCP --------------------------------------------------------------------


@pytest.mark.parametrize("user", sorted(set(EXPECTED) - {"jumper"}))
def test_r17_a_boundary_blocks_the_path(user: str) -> None:
    findings = privesc(_env(boundary_denies=KEY_ACTION[user]))
    assert EXPECTED[user] not in _found(findings, user)
    others = [u for u in EXPECTED if KEY_ACTION[u] != KEY_ACTION[user] and u != "trust-editor"]
    for other in others:  # the boundary denies one action: the other paths stay
        assert EXPECTED[other] in _found(findings, other)


def test_r18_a_trust_policy_naming_the_user_is_not_limited_by_its_boundary() -> None:
    """jumper's boundary denies sts:AssumeRole, but the admin role's trust policy names the user's ARN in the
    same account: R18 (IAM user ARN named: a boundary without an Allow does not block) keeps the path; only an
    explicit deny (the SCP variant below) removes it."""
    findings = privesc(_env(boundary_denies="sts:AssumeRole"))
    (finding,) = findings.of(f"{ARN}:user/jumper")
    assert (finding.path, finding.target) == EXPECTED["jumper"]
    assert finding.steps[0].decided_by != "identity"


@pytest.mark.parametrize("user", sorted(EXPECTED))
def test_r15_an_scp_blocks_the_path(user: str) -> None:
    findings = privesc(_env(scp_denies=KEY_ACTION[user]))
    assert EXPECTED[user] not in _found(findings, user)
    assert "user/boss" in {p.rsplit(":", 1)[1] for p in findings.principals()}
    for other in (u for u in EXPECTED if KEY_ACTION[u] != KEY_ACTION[user] and u != "trust-editor"):
        assert EXPECTED[other] in _found(findings, other)


def test_scp_denying_iam_makes_the_admin_no_admin() -> None:
    """An SCP denying iam:* leaves boss allowed everything else: not an admin by the probe any more."""
    findings = privesc(_env(scp_denies="iam:*"))
    assert ("admin", "*") not in _found(findings, "boss")


# -- cross-checks by hand ----------------------------------------------------------------------------------------


def _layers(env: Environment, principal: str, resource: str, trust: dict[str, Any] | None) -> dict[str, Any]:
    p = env.principal(principal)
    subject = env.subject(resource)
    org = env.organization
    assert org is not None
    policy = trust if trust is not None else (subject.resource.policy if subject.resource else None)
    return {"identity": p.identity_documents, "permission_boundary": p.boundary.document if p.boundary else None,
            "scps": org.scp_levels(p.account_id), "rcps": org.rcp_levels(subject.owner_account or p.account_id),
            "resource": policy}


@pytest.mark.parametrize("variant", [{}, {"boundary_denies": "lambda:InvokeFunction"},
                                     {"scp_denies": "iam:CreatePolicyVersion"}])
def test_steps_equal_the_engine_and_the_reference_by_hand(variant: dict[str, str]) -> None:
    env = _env(**variant)
    findings = privesc(env)
    checked = 0
    for finding in findings:
        for answer in finding.steps:
            if finding.kind == "admin":
                continue
            rewritten = any(m.policy.startswith("trust policy after") for m in answer.matched)
            trust = _trust({"AWS": answer.principal}) if rewritten else None
            layers = _layers(env, answer.principal, answer.resource, trust)
            request = env.request(env.principal(answer.principal), answer.action, env.subject(answer.resource))
            rust = PolicySet(**layers).evaluate(request).decision
            pure = ref.PolicySet(**layers).evaluate(ref.Request(**request.to_dict())).decision
            assert str(rust) == str(pure) == answer.decision, (finding.path, answer)
            checked += 1
    assert checked >= 8


def test_a_denied_step_is_denied_by_hand() -> None:
    """With the boundary denying lambda:InvokeFunction the Lambda path is gone, and the engine built by hand
    says why: the boundary has no Allow for it (R17)."""
    env = _env(boundary_denies="lambda:InvokeFunction")
    layers = _layers(env, f"{ARN}:user/lambda-dev", "*", None)
    request = env.request(env.principal("lambda-dev"), "lambda:InvokeFunction", env.subject("*"))
    assert str(PolicySet(**layers).evaluate(request).decision) == "ImplicitDeny"
    assert ("PassRole+Lambda", f"{ARN}:role/lambda-admin") not in _found(privesc(env), "lambda-dev")


# -- conditional, context ----------------------------------------------------------------------------------------


def test_a_condition_makes_the_finding_conditional() -> None:
    gaad = _gaad()
    gaad["UserDetailList"].append(_user("mfa-attacher", _doc(_allow(
        "iam:AttachUserPolicy", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))))
    env = Environment.of(load_gaad(gaad), organization_from_layout(_org()))
    finding = next(iter(privesc(env, principals=["mfa-attacher"])))
    assert finding.conditional and finding.missing_context_keys == ("aws:MultiFactorAuthPresent",)
    assert finding.steps[0].decision == "ImplicitDeny"
    sure = next(iter(privesc(env, principals=["mfa-attacher"], context={"aws:MultiFactorAuthPresent": "true"})))
    assert not sure.conditional and sure.steps[0].decision == "Allow"
    assert len(privesc(env, principals=["mfa-attacher"], context={"aws:MultiFactorAuthPresent": "false"})) == 0


# -- tables, the paths table -------------------------------------------------------------------------------------


def test_findings_tables(findings: Findings) -> None:
    rows = json.loads(findings.to_json())
    assert len(rows) == sum(len(f.steps) for f in findings)
    assert all(set(row) == {*FIELDS, *EXTRA_FIELDS} for row in rows)
    table = list(csv.reader(io.StringIO(findings.to_csv())))
    assert table[0] == [*FIELDS, *EXTRA_FIELDS] and len(table) == len(rows) + 1
    assert len(findings.answers()) == len(rows)
    frame = findings.to_pandas()
    assert list(frame.columns) == [*FIELDS, *EXTRA_FIELDS] and len(frame) == len(rows)
    assert isinstance(findings[0], Finding) and len(findings[:2]) == 2


def test_the_paths_reuse_the_lint_table() -> None:
    """Every entry of the linter's 25 sets is a path here (by the same actions), and the probe covers every
    path's actions and the admin probe."""
    assert len(ESCALATIONS) == 25
    linked = {p.lint for p in PATHS if p.lint is not None}
    assert linked == set(ESCALATIONS)
    assert all(a in PROBE_ACTIONS for p in PATHS for a in p.actions)
    assert set(ADMIN_PROBE) <= set(PROBE_ACTIONS)


def test_service_linked_roles_are_listed_not_evaluated(env: Environment) -> None:
    gaad = _gaad()
    gaad["RoleDetailList"].append({
        "RoleName": "AWSServiceRoleForSupport", "Path": "/aws-service-role/support.amazonaws.com/",
        "Arn": f"{ARN}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
        "AssumeRolePolicyDocument": _trust({"Service": "support.amazonaws.com"}),
        "RolePolicyList": [{"PolicyName": "a", "PolicyDocument": _doc(_allow("iam:AttachRolePolicy"))}],
        "AttachedManagedPolicies": []})
    env2 = Environment.of(load_gaad(gaad), organization_from_layout(_org()))
    found = privesc(env2)
    assert [arn.rsplit("/", 1)[1] for arn, _why in found.not_evaluated] == ["AWSServiceRoleForSupport"]
    with_slr = privesc(env2, include_service_linked=True)
    assert with_slr.not_evaluated == ()
    assert any(f.path == "AttachRolePolicy" for f in with_slr.of(f"{ARN}:role/aws-service-role/support.amazonaws"
                                                                      ".com/AWSServiceRoleForSupport"))


def test_progress_is_called_per_principal(env: Environment) -> None:
    calls: list[tuple[int, int]] = []
    privesc(env, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(env.principals), len(env.principals)) and len(calls) == len(env.principals)


# -- CLI ---------------------------------------------------------------------------------------------------------


def test_cli_privesc(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    gaad = tmp_path / "gaad.json"
    gaad.write_text(json.dumps(_gaad()))
    org = tmp_path / "org.json"
    org.write_text(json.dumps(_org()))
    base = ["privesc", "--account", str(gaad), "--org", str(org), "--quiet"]
    assert main(base) == 1
    out = capsys.readouterr().out
    assert "PassRole+Lambda" in out and "5 principal(s) can escalate, 4 already admin" in out
    assert main([*base, "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert {r["path"] for r in rows if r["principal"].endswith("user/cpv")} == {"CreatePolicyVersion"}
    assert main([*base, "--format", "csv", "--principal", "jumper"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",") == [*FIELDS, *EXTRA_FIELDS] and len(lines) == 2 and ",AssumeRole," in lines[1]
    assert main([*base, "--principal", "reader", "--principal", "boss"]) == 0  # admins alone: nothing to escalate
    assert "0 principal(s) can escalate, 1 already admin" in capsys.readouterr().out
    assert main([*base, "--principal", "nobody"]) == 2
    assert "no principal `nobody`" in capsys.readouterr().err
    assert main([*base, "--context", "novalue"]) == 2
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["privesc", "--account", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err


# -- the cloudsplaining example account --------------------------------------------------------------------------

CS = "arn:aws:iam::200611803367"
HIGH = f"{CS}:role/privesc-high-priv-service-role"  # trusts ec2, lambda, glue, ... ; policy `*` on `*`

#: (principal, path, target) each must be found by, from its policy:
CLOUDSPLAINING_EXPECTED = [
    # privesc1-CreateNewPolicyVersion: iam:CreatePolicyVersion on `*`, attached to the user itself
    ("user/privesc1-CreateNewPolicyVersion-user", "CreatePolicyVersion",
     f"{CS}:policy/privesc1-CreateNewPolicyVersion"),
    # privesc2: iam:SetDefaultPolicyVersion on `*`, its own policy the target
    ("user/privesc2-SetExistingDefaultPolicyVersion-user", "SetDefaultPolicyVersion",
     f"{CS}:policy/privesc2-SetExistingDefaultPolicyVersion"),
    # privesc3: iam:PassRole + ec2:RunInstances on `*`; the high-privilege role trusts ec2.amazonaws.com
    ("user/privesc3-CreateEC2WithExistingInstanceProfile-user", "PassRole+EC2", HIGH),
    # privesc4: iam:CreateAccessKey on `*`; privesc-sre-user (iam:*, ec2:*, s3:* by its group) allows a strict
    # superset of the probe actions (obama and the other admins carry ARNs of account 012345678901: other account)
    ("user/privesc4-CreateAccessKey-user", "CreateAccessKey", f"{CS}:user/privesc-sre-user"),
    # privesc7: iam:AttachUserPolicy on `*`, the user itself the target
    ("user/privesc7-AttachUserPolicy-user", "AttachUserPolicy", f"{CS}:user/privesc7-AttachUserPolicy-user"),
    # privesc8: iam:AttachGroupPolicy on `*`; the user is in privesc8-AttachGroupPolicy-group
    ("user/privesc8-AttachGroupPolicy-user", "AttachGroupPolicy", f"{CS}:group/privesc8-AttachGroupPolicy-group"),
    # privesc9's role (not its user, which can assume no role): iam:AttachRolePolicy on itself
    ("role/privesc9-AttachRolePolicy-role", "AttachRolePolicy", f"{CS}:role/privesc9-AttachRolePolicy-role"),
    ("user/privesc10-PutUserPolicy-user", "PutUserPolicy", f"{CS}:user/privesc10-PutUserPolicy-user"),
    ("user/privesc11-PutGroupPolicy-user", "PutGroupPolicy", f"{CS}:group/privesc11-PutGroupPolicy-group"),
    ("role/privesc12-PutRolePolicy-role", "PutRolePolicy", f"{CS}:role/privesc12-PutRolePolicy-role"),
    # privesc13: iam:AddUserToGroup on `*`; privesc-sre-group grants iam:*, ec2:*, s3:*
    ("user/privesc13-AddUserToGroup-user", "AddUserToGroup", f"{CS}:group/privesc-sre-group"),
    # privesc14: iam:UpdateAssumeRolePolicy + sts:AssumeRole on `*`; privesc-AssumeRole-ending-role is `*` on `*`
    ("user/privesc14-UpdatingAssumeRolePolicy-user", "UpdateAssumeRolePolicy",
     f"{CS}:role/privesc-AssumeRole-ending-role"),
    # privesc15: iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction; the role trusts lambda
    ("user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user", "PassRole+Lambda", HIGH),
    ("user/privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo-user", "PassRole+Lambda+EventSource", HIGH),
    # privesc17: lambda:UpdateFunctionCode on `*`: an existing function's role, unknown to the export
    ("user/privesc17-EditExistingLambdaFunctionWithRole-user", "UpdateFunctionCode", "*"),
    ("user/privesc18-PassExistingRoleToNewGlueDevEndpoint-user", "PassRole+Glue", HIGH),
    ("user/privesc20-PassExistingRoleToCloudFormation-user", "PassRole+CloudFormation", HIGH),
    ("user/privesc21-PassExistingRoleToNewDataPipeline-user", "PassRole+DataPipeline", HIGH),
    # the AssumeRole scenario: intermediate -> ending (`*` on `*`) directly, starting -> intermediate -> ending
    ("role/privesc-AssumeRole-intermediate-role", "AssumeRole", f"{CS}:role/privesc-AssumeRole-ending-role"),
    ("role/privesc-AssumeRole-starting-role", "AssumeRole chain", f"{CS}:role/privesc-AssumeRole-ending-role"),
    # fn2: iam:CreatePolicyVersion on arn:aws:iam::*:policy/fn2-*, which its own policy's ARN matches
    ("user/fn2-exploitableResourceConstraint-user", "CreatePolicyVersion",
     f"{CS}:policy/fn2-exploitableResourceConstraint"),
    # fn4: Allow NotAction [iam:Update*, iam:Create*, iam:Attach*]: iam:PutUserPolicy is left allowed
    ("user/fn4-exploitableNotAction-user", "PutUserPolicy", f"{CS}:user/fn4-exploitableNotAction-user"),
    # the BishopFox extras: codebuild with PassRole, sagemaker training job
    ("user/privesc-codeBuildCreateProjectPassRole-user", "PassRole+CodeBuild", HIGH),
    ("user/privesc-sageMakerCreateTrainingJobPassRole-user", "PassRole+SageMakerTrainingJob", HIGH),
    # the QuickSetup administration role may assume the execution role (AdministratorAccess) that trusts it
    ("role/AWS-QuickSetup-StackSet-Local-AdministrationRole", "AssumeRole",
     f"{CS}:role/AWS-QuickSetup-StackSet-Local-ExecutionRole"),
]

#: never reported, from their policies
CLOUDSPLAINING_NOT_REPORTED = [
    "user/fp1-allow-and-deny-user",  # iam:* allowed and denied in the same policy
    "user/fp2-allow-and-deny-multiple-policies-user",  # `*` allowed, `*` denied by another policy
    "user/fp3-deny-iam-user",  # only a Deny
    "user/fp4-nonExploitableResourceConstraint-user",  # CreatePolicyVersion on arn:aws:iam::aws:policy/fp4-*
    "role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ViewOnlyAccess_0ace44bbc7092ea8",  # read only
    "user/privesc-AssumeRole-start-user",  # no policy at all
    "role/privesc-permissive-role-trust",  # no policy
    "user/privesc9-AttachRolePolicy-user",  # AttachRolePolicy, but no role of its own nor one it can assume
    "role/MyRole",  # PassRole + instance-profile actions, no path of the table
]


@pytest.fixture(scope="module")
def cloudsplaining() -> tuple[Environment, Findings]:
    if not CLOUDSPLAINING.is_file():
        pytest.skip(f"shared data not present at {CLOUDSPLAINING}")
    env = Environment.of(load_gaad(str(CLOUDSPLAINING)))
    return env, privesc(env)


@needs_shared
@pytest.mark.parametrize(("principal", "path", "target"), CLOUDSPLAINING_EXPECTED,
                         ids=[e[0].split("/")[-1] for e in CLOUDSPLAINING_EXPECTED])
def test_cloudsplaining_expected(cloudsplaining: tuple[Environment, Findings], principal: str, path: str,
                                 target: str) -> None:
    findings = cloudsplaining[1]
    found = {(f.path, f.target) for f in findings.of(f"{CS}:{principal}")}
    assert (path, target) in found, found


@needs_shared
@pytest.mark.parametrize("principal", CLOUDSPLAINING_NOT_REPORTED)
def test_cloudsplaining_not_reported(cloudsplaining: tuple[Environment, Findings], principal: str) -> None:
    findings = cloudsplaining[1]
    assert len(findings.of(f"{CS}:{principal}")) == 0


@needs_shared
def test_cloudsplaining_admins_and_conditions(cloudsplaining: tuple[Environment, Findings]) -> None:
    env, findings = cloudsplaining
    admins = {f.principal.rsplit("/", 1)[1] for f in findings if f.kind == "admin"}
    assert {"obama", "userwithlotsofpermissions", "privesc-AssumeRole-ending-role", "privesc-high-priv-service-role",
            "OrganizationAccountAccessRole"} <= admins
    assert all(len(findings.of(f.principal)) == 1 for f in findings if f.kind == "admin")
    # fn3 (DateGreaterThan aws:TokenIssueTime 2020) and fp5 (DateLessThan 2020) depend on the token's time
    fn3 = f"{CS}:user/fn3-exploitableConditionConstraint-user"
    fp5 = f"{CS}:user/fp5-nonExploitableConditionConstraint-user"
    for arn in (fn3, fp5):
        (finding,) = findings.of(arn)
        assert finding.conditional and finding.missing_context_keys == ("aws:TokenIssueTime",)
    now = privesc(env, principals=[fn3, fp5], context={"aws:TokenIssueTime": "2026-01-01T00:00:00Z"})
    assert [(f.principal, f.conditional) for f in now] == [(fn3, False)]
    # service-linked roles are listed, not dropped
    assert len(findings.not_evaluated) == 8
    assert all("service-linked" in why for _arn, why in findings.not_evaluated)


@needs_shared
def test_cloudsplaining_sample_by_hand(cloudsplaining: tuple[Environment, Findings]) -> None:
    """A sample of the steps, decided again by PolicySet and the reference built by hand (no org)."""
    env, findings = cloudsplaining
    sample = [a for f in findings if f.kind not in ("admin",) for a in f.steps
              if not any(m.policy.startswith("trust policy after") for m in a.matched)][::7]
    assert len(sample) > 20
    for answer in sample:
        p = env.principal(answer.principal)
        subject = env.subject(answer.resource)
        layers: dict[str, Any] = {"identity": p.identity_documents,
                                  "resource": subject.resource.policy if subject.resource else None}
        request = env.request(p, answer.action, subject)
        assert str(PolicySet(**layers).evaluate(request).decision) == answer.decision
        assert str(ref.PolicySet(**layers).evaluate(ref.Request(**request.to_dict())).decision) == answer.decision
