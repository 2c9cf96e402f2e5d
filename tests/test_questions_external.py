"""``external_access``: Access Analyzer's external access findings, offline, decided by the engine.

A hand-written organization (management 111111111111, member 222222222222 owning the resources, member
333333333333 in an OU; 444455556666 outside) with one resource per case: a public bucket, a bucket shared with
an outside account, an organization-only bucket (aws:PrincipalOrgID), a bucket for an account of the
organization, a KMS key granting an outside account, roles trusting an outside account (with and without
sts:ExternalId) and a SAML provider, a Deny + NotPrincipal bucket, an aws:SourceIp bucket and service
principals with and without aws:SourceAccount. Findings are cross-checked against ``PolicySet.evaluate`` and the
reference evaluator built by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from iameval import PolicySet, Request, principal_context
from iameval import reference as ref
from iameval.account import Account, load_gaad, organization_from_layout
from iameval.account.resources import make_resource
from iameval.cli import main
from iameval.questions import FIELDS, Environment
from iameval.questions.external import ALLOW_ALL, EXTRA_FIELDS, Finding, Findings, external_access

MGMT, OWNER, SIBLING, OUTSIDE = "111111111111", "222222222222", "333333333333", "444455556666"
ORG_ID = "o-exampleorg1"
PARTNER = f"arn:aws:iam::{OUTSIDE}:role/partner"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(principal: Any, action: Any, resource: Any = None, **extra: Any) -> dict[str, Any]:
    st = {"Effect": "Allow", "Principal": principal, "Action": action, **extra}
    if resource is not None:
        st["Resource"] = resource
    return st


def _bucket(name: str) -> str:
    return f"arn:aws:s3:::{name}"


KEY = f"arn:aws:kms:us-east-1:{OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
POLICIES: dict[str, dict[str, Any]] = {
    _bucket("public"): _doc(_allow("*", "s3:GetObject", f"{_bucket('public')}/*")),
    _bucket("shared"): _doc(_allow({"AWS": f"arn:aws:iam::{OUTSIDE}:root"}, ["s3:GetObject", "s3:ListBucket"],
                                   [_bucket("shared"), f"{_bucket('shared')}/*"])),
    _bucket("org-only"): _doc(_allow("*", "s3:GetObject", f"{_bucket('org-only')}/*",
                                     Condition={"StringEquals": {"aws:PrincipalOrgID": ORG_ID}})),
    _bucket("sibling"): _doc(_allow({"AWS": SIBLING}, "s3:PutObject", f"{_bucket('sibling')}/*")),
    _bucket("not-principal"): _doc(
        _allow("*", "s3:GetObject", f"{_bucket('not-principal')}/*"),
        {"Effect": "Deny", "NotPrincipal": {"AWS": [PARTNER, f"arn:aws:iam::{OWNER}:root"]}, "Action": "s3:*",
         "Resource": [_bucket("not-principal"), f"{_bucket('not-principal')}/*"]}),
    _bucket("source-ip"): _doc(_allow("*", "s3:GetObject", f"{_bucket('source-ip')}/*",
                                      Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
    _bucket("logs"): _doc(
        _allow({"Service": "cloudtrail.amazonaws.com"}, "s3:PutObject", f"{_bucket('logs')}/*",
               Condition={"StringEquals": {"aws:SourceAccount": OWNER}}),
        _allow({"Service": "delivery.logs.amazonaws.com"}, "s3:PutObject", f"{_bucket('logs')}/*")),
    KEY: _doc(_allow({"AWS": f"arn:aws:iam::{OWNER}:root"}, "kms:*", "*"),
              _allow({"AWS": f"arn:aws:iam::{OUTSIDE}:root"}, ["kms:Decrypt", "kms:DescribeKey"], "*")),
}


def _role(name: str, trust: dict[str, Any]) -> dict[str, Any]:
    return {"RoleName": name, "Path": "/", "Arn": f"arn:aws:iam::{OWNER}:role/{name}",
            "AssumeRolePolicyDocument": trust, "RolePolicyList": [], "AttachedManagedPolicies": []}


SAML = f"arn:aws:iam::{OWNER}:saml-provider/corp"
GAAD = {"RoleDetailList": [
    _role("vendor", _doc(_allow({"AWS": f"arn:aws:iam::{OUTSIDE}:root"}, "sts:AssumeRole",
                                Condition={"StringEquals": {"sts:ExternalId": "x-123"}}))),
    _role("open-trust", _doc(_allow({"AWS": OUTSIDE}, "sts:AssumeRole"))),
    _role("sso", _doc(_allow({"Federated": SAML}, "sts:AssumeRoleWithSAML",
                             Condition={"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}))),
    _role("internal", _doc(_allow({"AWS": f"arn:aws:iam::{OWNER}:root"}, "sts:AssumeRole"))),
]}
FULL = _doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
PERIMETER = _doc({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG_ID},
                                "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}})


def _layout(rcp: bool = False) -> dict[str, Any]:
    policies: dict[str, Any] = {"p-full": {"type": "SCP", "name": "FullAWSAccess", "document": FULL}}
    attachments: dict[str, list[str]] = {"r-root": ["p-full"], "ou-root-work": ["p-full"], OWNER: ["p-full"],
                                         SIBLING: ["p-full"], MGMT: ["p-full"]}
    if rcp:
        policies["p-perimeter"] = {"type": "RCP", "name": "Perimeter", "document": PERIMETER}
        attachments["ou-root-work"].append("p-perimeter")
    return {"root": "r-root", "management_account_id": MGMT,
            "organizational_units": [{"id": "ou-root-work", "name": "Work", "parent": "r-root"}],
            "accounts": [{"id": MGMT, "name": "mgmt", "parent": "r-root"},
                         {"id": OWNER, "name": "owner", "parent": "ou-root-work"},
                         {"id": SIBLING, "name": "sibling", "parent": "ou-root-work"}],
            "policies": policies, "attachments": attachments}


def _env(org: bool = True, rcp: bool = False) -> Environment:
    resources = [make_resource(arn, doc, OWNER) for arn, doc in POLICIES.items()]
    layout = organization_from_layout(_layout(rcp)) if org else None
    return Environment.of(load_gaad(GAAD), layout, resources)


@pytest.fixture(scope="module")
def org_findings() -> Findings:
    return external_access(_env(), org_id=ORG_ID)


def _of(findings: Findings, resource: str, principal: str | None = None) -> list[Finding]:
    return [f for f in findings if f.resource == resource and (principal is None or f.principal == principal)]


def test_public_bucket(org_findings: Findings) -> None:
    """R5: Principal "*" names the anonymous caller: a public, unconditional finding, no identity side."""
    [found] = _of(org_findings, _bucket("public"))
    assert (found.category, found.principal, found.principal_kind) == ("public", "*", "anonymous")
    assert (found.decision, found.actions, found.conditional, found.identity_side) == (
        "Allow", ("s3:GetObject",), False, "none")
    assert [(m.policy_type, m.statement_index) for m in found.matched] == [("resource", 0)]


def test_bucket_shared_with_an_outside_account(org_findings: Findings) -> None:
    """R21: an account named by the policy, outside the organization; its identity side is assumed."""
    [found] = _of(org_findings, _bucket("shared"))
    assert (found.category, found.principal, found.principal_kind) == (
        "outside-organization", f"arn:aws:iam::{OUTSIDE}:root", "account")
    assert found.actions == ("s3:GetObject", "s3:ListBucket") and not found.conditional
    assert found.identity_side == "assumed" and found.patterns == ("s3:GetObject", "s3:ListBucket")
    no_org = external_access(_env(org=False))
    assert [f.category for f in _of(no_org, _bucket("shared"))] == ["cross-account"]


def test_organization_only_bucket(org_findings: Findings) -> None:
    """aws:PrincipalOrgID = our organization: outside principals cannot carry it, so nothing is external."""
    assert _of(org_findings, _bucket("org-only")) == []
    # without the organization's id the literal may be anyone's: conditional on the key, the value assumed
    unsure = _of(external_access(_env()), _bucket("org-only"))
    assert [(f.category, f.condition_keys, f.assumed) for f in unsure] == [
        ("public", ("aws:PrincipalOrgID",), (f"aws:PrincipalOrgID={ORG_ID}",))]


def test_zone_of_trust(org_findings: Findings) -> None:
    """An account of the organization is inside the organization's zone, outside the account's zone."""
    assert _of(org_findings, _bucket("sibling")) == []
    account_zone = external_access(_env(), org_id=ORG_ID, zone="account")
    [found] = _of(account_zone, _bucket("sibling"))
    assert (found.category, found.principal, found.actions) == (
        "cross-account", f"arn:aws:iam::{SIBLING}:root", ("s3:PutObject",))
    with pytest.raises(ValueError, match="organization"):
        external_access(_env(org=False), zone="organization")


def test_kms_key_granting_another_account(org_findings: Findings) -> None:
    """R19: the key policy names the outside account; the owner's own root statement is not external."""
    [found] = _of(org_findings, KEY)
    assert (found.category, found.principal) == ("outside-organization", f"arn:aws:iam::{OUTSIDE}:root")
    assert found.actions == ("kms:Decrypt", "kms:DescribeKey") and found.resource_type == "kms:key"


def test_role_trusting_another_account(org_findings: Findings) -> None:
    """R19: trust policies; sts:ExternalId makes the access conditional, its absence does not."""
    [vendor] = _of(org_findings, f"arn:aws:iam::{OWNER}:role/vendor")
    assert (vendor.category, vendor.actions, vendor.condition_keys) == (
        "outside-organization", ("sts:AssumeRole",), ("sts:ExternalId",))
    assert vendor.decision == "ImplicitDeny" and vendor.conditional
    [open_trust] = _of(org_findings, f"arn:aws:iam::{OWNER}:role/open-trust")
    assert (open_trust.decision, open_trust.conditional) == ("Allow", False)
    assert _of(org_findings, f"arn:aws:iam::{OWNER}:role/internal") == []


def test_role_trusting_a_saml_provider(org_findings: Findings) -> None:
    """A federated identity provider is external (Access Analyzer's principal.Federated), conditional on
    SAML:aud; the identity provider has no identity side."""
    [found] = _of(org_findings, f"arn:aws:iam::{OWNER}:role/sso")
    assert (found.category, found.principal, found.identity_side) == ("federated", SAML, "none")
    assert found.actions == ("sts:AssumeRoleWithSAML",) and found.condition_keys == ("SAML:aud",)


def test_rcp_denying_external_access_removes_findings() -> None:
    """R16: the RCP of the owner's OU denies S3 to principals outside the organization, the anonymous caller
    included (IfExists on keys it lacks): the S3 findings disappear, the KMS and role ones stay (no S3)."""
    with_rcp = external_access(_env(rcp=True), org_id=ORG_ID)
    assert [f for f in with_rcp if f.resource_type == "s3:bucket" and f.category != "service"] == []
    assert _of(with_rcp, KEY) and _of(with_rcp, f"arn:aws:iam::{OWNER}:role/open-trust")
    # service principals are not denied by it (aws:PrincipalIsAWSService is true for them)
    assert {f.principal for f in _of(with_rcp, _bucket("logs"))} == {"cloudtrail.amazonaws.com",
                                                                      "delivery.logs.amazonaws.com"}


def test_deny_not_principal(org_findings: Findings) -> None:
    """R6: the Deny applies to everyone not listed; only the listed partner role keeps the public Allow."""
    found = _of(org_findings, _bucket("not-principal"))
    assert [(f.category, f.principal, f.actions) for f in found] == [
        ("outside-organization", PARTNER, ("s3:GetObject",))]


def test_source_ip_is_conditional(org_findings: Findings) -> None:
    """A public grant behind aws:SourceIp: conditional on the key; given in the context it is decided."""
    [found] = _of(org_findings, _bucket("source-ip"))
    assert (found.category, found.condition_keys, found.decision) == ("public", ("aws:SourceIp",),
                                                                      "ImplicitDeny")
    inside = _of(external_access(_env(), org_id=ORG_ID, context={"aws:SourceIp": "203.0.113.7"}),
                 _bucket("source-ip"))
    assert [(f.decision, f.conditional) for f in inside] == [("Allow", False)]
    outside = external_access(_env(), org_id=ORG_ID, context={"aws:SourceIp": "198.51.100.1"})
    assert _of(outside, _bucket("source-ip")) == []


def test_deny_on_a_missing_key_is_conditional() -> None:
    """A Deny that applies only because aws:SourceVpce is missing (a negated operator, R9): the public Allow is
    conditional on the key (ExplicitDeny without it), and decided once the key is given."""
    bucket = _bucket("vpce")
    policy = _doc(_allow("*", "s3:GetObject", f"{bucket}/*"),
                  {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": f"{bucket}/*",
                   "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}})
    env = Environment.of(Account(OWNER, (), {}, {}), None, [make_resource(bucket, policy, OWNER)])
    [found] = external_access(env)
    assert (found.category, found.decision, found.condition_keys, found.actions) == (
        "public", "ExplicitDeny", ("aws:SourceVpce",), ("s3:GetObject",))
    assert [(f.decision, f.conditional) for f in external_access(env, context={"aws:SourceVpce": "vpce-1a2b3c4d"})
            ] == [("Allow", False)]
    assert len(external_access(env, context={"aws:SourceVpce": "vpce-other"})) == 0


def test_service_principals(org_findings: Findings) -> None:
    """Service principals: a separate category; pinned by aws:SourceAccount it is conditional on the key,
    unpinned it is flagged as acting for any account."""
    found = {f.principal: f for f in _of(org_findings, _bucket("logs"))}
    pinned, unpinned = found["cloudtrail.amazonaws.com"], found["delivery.logs.amazonaws.com"]
    assert pinned.category == unpinned.category == "service"
    assert pinned.condition_keys == ("aws:SourceAccount",)
    assert not unpinned.conditional and unpinned.assumed and "aws:SourceAccount" in unpinned.assumed[0]
    without = external_access(_env(), org_id=ORG_ID, categories=("public", "outside-organization"))
    assert {f.category for f in without} == {"public", "outside-organization"}


def test_expanded_actions_are_compact() -> None:
    """s3:* is decided action by action over the catalog; the row keeps the pattern and the count."""
    bucket = _bucket("wide")
    policy = _doc(_allow({"AWS": OUTSIDE}, "s3:*", [bucket, f"{bucket}/*"]),
                  {"Effect": "Deny", "Principal": "*", "Action": "s3:Delete*", "Resource": f"{bucket}/*"})
    env = Environment.of(Account(OWNER, (), {}, {}), None, [make_resource(bucket, policy, OWNER)])
    [found] = external_access(env)
    assert found.patterns == ("s3:*",) and len(found.actions) > 50
    assert "s3:GetObject" in found.actions and "s3:DeleteObject" not in found.actions
    assert found.pattern_total > len(found.actions) and found.action_text.startswith("s3:* (")


def _request_principal(f: Finding) -> str:
    return f"arn:aws:iam::{OUTSIDE}:root" if f.principal_kind == "account" else f.principal


def test_cross_check_with_engine_and_reference(org_findings: Findings) -> None:
    """Every unconditional finding's actions are allowed by a policy set built by hand (the assumed identity
    Allow for an IAM principal of another account), in the Rust engine and in the reference."""
    env = _env()
    checked = 0
    for f in org_findings:
        if f.conditional or f.principal_kind == "any-account":
            continue
        resource = env.resources[f.resource]
        org = env.organization
        assert org is not None
        layers: dict[str, Any] = {"resource": resource.policy, "rcps": org.rcp_levels(OWNER),
                                  "identity": [ALLOW_ALL] if f.identity_side == "assumed" else []}
        principal = _request_principal(f)
        ctx = {**(principal_context(principal) if f.principal_kind != "federated" else {}),
               "aws:ResourceAccount": OWNER}
        for action in f.actions[:3]:
            target = f.resource if f.resource_type != "s3:bucket" or "Bucket" in action else f"{f.resource}/k"
            request = Request(principal=principal, action=action, resource=target, context=ctx,
                              resource_account=OWNER)
            rust = PolicySet(**layers).evaluate(request)
            pure = ref.PolicySet(**layers).evaluate(ref.Request(**request.to_dict()))
            assert str(rust.decision) == str(pure.decision) == "Allow", (f, action)
            checked += 1
    assert checked >= 6
    # and denied where nothing is reported: the organization-only bucket for an outside role
    request = Request(principal=PARTNER, action="s3:GetObject", resource=f"{_bucket('org-only')}/k",
                      context={**principal_context(PARTNER), "aws:PrincipalOrgID": "o-other"},
                      resource_account=OWNER)
    layers = {"resource": POLICIES[_bucket("org-only")], "identity": [ALLOW_ALL]}
    assert str(PolicySet(**layers).evaluate(request).decision) == "ImplicitDeny"
    assert str(ref.PolicySet(**layers).evaluate(ref.Request(**request.to_dict())).decision) == "ImplicitDeny"


def test_not_evaluated_resources_are_reported() -> None:
    bad = make_resource(_bucket("bad"), {"Statement": [{"Effect": "Perhaps"}]}, OWNER)
    env = Environment.of(Account(OWNER, (), {}, {}), None, [bad])
    found = external_access(env)
    assert len(found) == 0 and [a for a, _ in found.not_evaluated] == [_bucket("bad")]


def test_rows_of_the_common_shape(org_findings: Findings) -> None:
    rows = json.loads(org_findings.to_json())
    assert all(set(FIELDS) | set(EXTRA_FIELDS) == set(r) for r in rows)
    table = list(csv.reader(io.StringIO(org_findings.to_csv())))
    assert tuple(table[0]) == (*FIELDS, *EXTRA_FIELDS) and len(table) == len(org_findings) + 1
    answers = org_findings.to_answers()
    assert len(answers) == len(org_findings) and answers.to_arrow().num_rows == len(org_findings)


def _files(tmp_path: Path) -> list[str]:
    (tmp_path / "gaad.json").write_text(json.dumps(GAAD))
    (tmp_path / "org.json").write_text(json.dumps(_layout()))
    (tmp_path / "policies.json").write_text(json.dumps({"account": OWNER, "policies": POLICIES}))
    return ["--account", str(tmp_path / "gaad.json"), "--org", str(tmp_path / "org.json"), "--org-id", ORG_ID,
            "--resource-policies", str(tmp_path / "policies.json"), "--quiet"]


def test_cli_formats_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _files(tmp_path)
    assert main(["external-access", *args, "--wide"]) == 1
    text = capsys.readouterr().out
    assert "finding(s)" in text and "outside-organization" in text and f"arn:aws:iam::{OUTSIDE}:root" in text
    assert main(["external-access", *args, "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert {r["category"] for r in rows} == {"public", "outside-organization", "federated", "service"}
    assert all(r["decision"] in ("Allow", "ImplicitDeny", "ExplicitDeny") for r in rows)
    assert main(["external-access", *args, "--format", "csv", "--category", "public"]) == 1
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0][:4] == ["principal", "action", "resource", "decision"]
    assert {r[table[0].index("category")] for r in table[1:]} == {"public"}
    # nothing external: exit 0
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"RoleDetailList": [GAAD["RoleDetailList"][3]]}))
    assert main(["external-access", "--account", str(empty), "--quiet"]) == 0
    assert "0 finding(s)" in capsys.readouterr().out
    # bad input: exit 2
    assert main(["external-access", "--account", str(tmp_path / "missing.json")]) == 2
    assert main(["external-access", "--account", str(empty), "--zone", "organization"]) == 2
    assert "--org" in capsys.readouterr().err


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "resource-policies"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not available")
def test_sanity_on_shared_resource_policies() -> None:
    """Every shared example that loads is analyzed without error; a public key policy is found public."""
    owner = "111122223333"
    folders = {"kms-key": f"arn:aws:kms:us-east-1:{owner}:key/k-{{}}",
               "sqs-queue": f"arn:aws:sqs:us-east-1:{owner}:q-{{}}",
               "sns-topic": f"arn:aws:sns:us-east-1:{owner}:t-{{}}",
               "lambda": f"arn:aws:lambda:us-east-1:{owner}:function:f-{{}}",
               "role-trust": f"arn:aws:iam::{owner}:role/r-{{}}", "s3": "arn:aws:s3:::bucket-{}"}
    resources = []
    for folder, pattern in folders.items():
        for i, path in enumerate(sorted((SHARED / folder).rglob("*.json"))):
            resources.append(make_resource(pattern.format(i), json.loads(path.read_text()), owner, str(path)))
    env = Environment.of(Account(owner, (), {}, {}), None, resources)
    found = external_access(env)
    broken = {r.arn for r in resources if r.error is not None}
    assert {arn for arn, _ in found.not_evaluated} <= broken | {r.arn for r in resources}
    assert len(broken) < 10 and len(found) > 20
    assert {"public", "cross-account", "federated", "service"} <= {f.category for f in found}
    assert any(f.resource_type == "kms:key" and f.principal == "*" and not f.conditional for f in found)
