"""``iameval.account.load_gaad``: GAAD dumps into principals with their policies (issue 11, loading).

The small fixture ``tests/account/gaad-small.json`` (account 111111111111) has: user ``alice`` in group
``devs`` (group inline ``queues`` + group-attached ``ReadOnlyS3``, a lone object as in the AWS CLI docs'
example) with a permissions boundary and a tag; user ``bob`` with an invalid inline policy (``Effect:
Maybe``); user ``carol`` whose boundary is not in the dump; role ``app``; an Identity Center role and a
service-linked role. ``ReadOnlyS3`` has two versions, v2 (``s3:Get*``, ``s3:List*``) being the default.
Tests over ``../shared/data/gaad`` skip when it is absent.
"""

from __future__ import annotations

import copy
import json
import pickle
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from iameval import Decision, PolicySet
from iameval.account import AccountError, Principal, load_gaad
from iameval.account.policysets import RECENT_SETS

HERE = Path(__file__).resolve().parent
SMALL = HERE / "account" / "gaad-small.json"
GAAD = HERE.parent.parent / "shared" / "data" / "gaad"
MANAGED = HERE.parent.parent / "shared" / "data" / "aws-managed-policies"
A = "111111111111"

needs_shared = pytest.mark.skipif(not GAAD.is_dir(), reason=f"shared data sets not present at {GAAD}")


def small() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SMALL.read_text())
    return data


def decide(principal: Principal, action: str, resource: str = "*", **context: str) -> Decision:
    ps = principal.policy_set()
    ctx = {**principal.context(), **context}
    return ps.evaluate({"principal": principal.arn, "action": action, "resource": resource,
                        "context": ctx}).decision


def test_small_dump_counts_and_account() -> None:
    account = load_gaad(SMALL)
    assert account.id == A
    assert [p.name for p in account.users] == ["alice", "bob", "carol"]
    assert [p.name for p in account.roles] == ["app", "AWSReservedSSO_Admin_0123456789abcdef",
                                               "AWSServiceRoleForAmazonSSM"]
    assert list(account.groups) == [f"arn:aws:iam::{A}:group/devs"]
    assert len(account.managed_policies) == 3
    assert account.sources == (str(SMALL),)


def test_group_policies_are_inherited_in_order() -> None:
    alice = load_gaad(SMALL).principal("alice")
    assert alice.groups == ("devs",)
    assert [p.label for p in alice.policies] == [
        "inline describe", "group devs inline queues", f"group devs managed arn:aws:iam::{A}:policy/ReadOnlyS3"]
    assert alice.policies[2].location == f"{SMALL}: /Policies/0/PolicyVersionList/1/Document"
    assert alice.policies[1].location == f"{SMALL}: /GroupDetailList/0/GroupPolicyList/0/PolicyDocument"


def test_managed_policy_default_version_is_used() -> None:
    account = load_gaad(SMALL)
    read_only = account.managed_policies[f"arn:aws:iam::{A}:policy/ReadOnlyS3"]
    assert read_only.version_id == "v2"
    assert not read_only.aws_managed
    assert account.managed_policies["arn:aws:iam::aws:policy/aws-service-role/AmazonSSMServiceRolePolicy"].aws_managed
    app = account.principal("app")
    assert decide(app, "s3:GetObject", "arn:aws:s3:::b/k") is Decision.ALLOW
    assert decide(app, "ec2:RunInstances") is Decision.IMPLICIT_DENY  # v1 (`*`) is not the default


def test_boundary_resolved_and_applied() -> None:
    alice = load_gaad(SMALL).principal(f"arn:aws:iam::{A}:user/staff/alice")
    assert alice.boundary_arn == f"arn:aws:iam::{A}:policy/Boundary"
    assert alice.boundary is not None and alice.boundary.arn == alice.boundary_arn
    assert alice.path == "/staff/" and alice.evaluated
    assert decide(alice, "sqs:SendMessage") is Decision.ALLOW            # group inline, inside the boundary
    assert decide(alice, "s3:GetObject", "arn:aws:s3:::b/k") is Decision.ALLOW  # group managed
    assert decide(alice, "ec2:DescribeInstances") is Decision.IMPLICIT_DENY   # own inline, outside boundary
    assert repr(alice.policy_set()).count("permission_boundary=True") == 1


def test_missing_boundary_marks_the_principal_not_evaluated() -> None:
    account = load_gaad(SMALL)
    carol = account.principal("carol")
    assert carol.boundary is None and carol.boundary_arn == f"arn:aws:iam::{A}:policy/Missing"
    assert carol.error == (f"{SMALL}: /UserDetailList/2/PermissionsBoundary: permissions boundary "
                           f"`arn:aws:iam::{A}:policy/Missing` is not in the dump")
    with pytest.raises(AccountError, match="is not evaluated"):
        carol.policy_set()


def test_bad_policy_marks_only_its_principal() -> None:
    account = load_gaad(SMALL)
    bob = account.principal("bob")
    assert not bob.evaluated
    assert bob.error is not None
    assert bob.error.startswith(f"{SMALL}: /UserDetailList/1/UserPolicyList/0/PolicyDocument/Statement/0/Effect: ")
    assert [p.name for p in account.not_evaluated] == ["bob", "carol"]
    assert all(p.evaluated for p in account.principals if p.name not in ("bob", "carol"))


def test_identity_center_and_service_linked_flags() -> None:
    account = load_gaad(SMALL)
    flags = {p.name: (p.identity_center, p.service_linked) for p in account.principals}
    assert flags == {"alice": (False, False), "bob": (False, False), "carol": (False, False),
                     "app": (False, False), "AWSReservedSSO_Admin_0123456789abcdef": (True, False),
                     "AWSServiceRoleForAmazonSSM": (False, True)}


def test_sso_role_recognised_by_name_alone() -> None:
    dump = small()
    role = dump["RoleDetailList"][1]
    role["Path"] = "/"
    role["Arn"] = f"arn:aws:iam::{A}:role/{role['RoleName']}"
    assert load_gaad(dump).principal(role["Arn"]).identity_center


def test_tags_become_context() -> None:
    account = load_gaad(SMALL)
    alice = account.principal("alice")
    assert dict(alice.tags) == {"team": "blue"}
    ctx = alice.context()
    assert ctx["aws:PrincipalTag/team"] == "blue"
    assert ctx["aws:username"] == "alice" and ctx["aws:userid"] == "AIDAALICE"
    assert ctx["aws:PrincipalAccount"] == A
    app = account.principal("app")
    assert app.context()["aws:PrincipalTag/env"] == "prod" and "aws:userid" not in app.context()


def test_trust_policy_and_source_are_kept() -> None:
    app = load_gaad(SMALL).principal("app")
    assert isinstance(app.trust_policy, dict)
    assert app.trust_policy["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert app.trust_location == f"{SMALL}: /RoleDetailList/0/AssumeRolePolicyDocument"
    assert app.unique_id == "AROAAPP"


def _encode_documents(value: Any) -> Any:
    """Every policy document of a dump as the raw API gives it: URL-encoded JSON text."""
    if isinstance(value, dict):
        return {k: (urllib.parse.quote(json.dumps(v), safe="")
                    if k in ("PolicyDocument", "Document", "AssumeRolePolicyDocument") else _encode_documents(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_encode_documents(v) for v in value]
    return value


def test_url_encoded_documents_load_like_decoded_ones(tmp_path: Path) -> None:
    encoded = _encode_documents(small())
    assert encoded["UserDetailList"][0]["UserPolicyList"][0]["PolicyDocument"].startswith("%7B%22Version%22")
    file = tmp_path / "encoded.json"
    file.write_text(json.dumps(encoded))
    plain, raw = load_gaad(SMALL), load_gaad(file)
    for a, b in zip(plain.principals, raw.principals, strict=True):
        assert a.identity_documents == b.identity_documents
        assert a.trust_policy == b.trust_policy
        assert a.error is None or b.error is not None
    assert raw.principal("bob").error is not None
    assert decide(raw.principal("alice"), "sqs:SendMessage") is Decision.ALLOW


def test_invalid_json_text_document_is_reported_on_its_principal() -> None:
    dump = small()
    dump["RoleDetailList"][0]["RolePolicyList"] = [{"PolicyName": "dup",
                                                    "PolicyDocument": '{"Version": "2012-10-17", "Version": "x"}'}]
    app = load_gaad(dump).principal("app")
    assert app.error is not None and "/RoleDetailList/0/RolePolicyList/0/PolicyDocument" in app.error
    assert "duplicate" in app.error.lower()


def test_pages_are_merged() -> None:
    dump = small()
    first = {"UserDetailList": dump["UserDetailList"][:2], "GroupDetailList": dump["GroupDetailList"],
             "Policies": dump["Policies"][:1], "IsTruncated": True, "Marker": "abc"}
    second = {"UserDetailList": dump["UserDetailList"][2:], "RoleDetailList": dump["RoleDetailList"],
              "Policies": dump["Policies"][1:], "IsTruncated": False}
    merged = load_gaad([first, second])
    whole = load_gaad(dump)
    assert [p.arn for p in merged.principals] == [p.arn for p in whole.principals]
    assert list(merged.managed_policies) == list(whole.managed_policies)
    alice = merged.principal("alice")
    assert alice.boundary is not None  # the boundary policy is on the second page
    assert alice.policies[2].location == "/Policies/0/PolicyVersionList/1/Document"  # in-memory: no file name
    assert merged.sources == ()


def test_duplicate_across_pages_is_an_error() -> None:
    dump = small()
    with pytest.raises(AccountError, match=r"^/UserDetailList/0/Arn: duplicate principal"):
        load_gaad([dump, {"UserDetailList": dump["UserDetailList"][:1]}])


def test_structural_errors_name_file_and_pointer(tmp_path: Path) -> None:
    dump = small()
    del dump["RoleDetailList"][2]["Arn"]
    file = tmp_path / "gaad.json"
    file.write_text(json.dumps(dump))
    with pytest.raises(AccountError) as caught:
        load_gaad(file)
    assert str(caught.value) == f"{file}: /RoleDetailList/2: missing `Arn`"
    assert (caught.value.file, caught.value.pointer) == (str(file), "/RoleDetailList/2")

    dump = small()
    dump["RoleDetailList"][0]["RolePolicyList"] = [{"PolicyName": "x"}]
    with pytest.raises(AccountError, match=r"^/RoleDetailList/0/RolePolicyList/0: missing `PolicyDocument`$"):
        load_gaad(dump)
    dump = small()
    dump["UserDetailList"][0]["Tags"] = {"team": "blue"}
    with pytest.raises(AccountError, match=r"^/UserDetailList/0/Tags: expected a list, found an object$"):
        load_gaad(dump)
    dump = small()
    dump["Policies"][0]["PolicyVersionList"][1]["IsDefaultVersion"] = False
    dump["Policies"][0]["DefaultVersionId"] = "v9"
    with pytest.raises(AccountError, match=r"^/Policies/0/PolicyVersionList: managed policy .* no default version"):
        load_gaad(dump)
    (tmp_path / "bad.json").write_text('{"UserDetailList": [}')
    with pytest.raises(AccountError, match=r"bad\.json: invalid json at line 1 column 21"):
        load_gaad(tmp_path / "bad.json")
    with pytest.raises(AccountError, match="not an `aws iam get-account-authorization-details` output"):
        load_gaad({"Version": "2012-10-17", "Statement": []})
    with pytest.raises(AccountError, match="no arn of the dump names the account"):
        load_gaad({"UserDetailList": []})
    assert load_gaad({"UserDetailList": []}, account_id=A).principals == ()


def test_missing_group_and_managed_policy_are_problems() -> None:
    dump = small()
    dump["UserDetailList"][2]["GroupList"] = ["nope"]
    dump["RoleDetailList"][0]["AttachedManagedPolicies"].append(
        {"PolicyName": "Gone", "PolicyArn": f"arn:aws:iam::{A}:policy/Gone"})
    account = load_gaad(dump)
    assert "/UserDetailList/2/GroupList/0: group `nope` is not in the dump" in (account.principal("carol").error or "")
    assert account.principal("app").error == (f"/RoleDetailList/0/AttachedManagedPolicies/1: attached managed "
                                              f"policy `arn:aws:iam::{A}:policy/Gone` is not in the dump")
    supplied = load_gaad(dump, managed_policies={f"arn:aws:iam::{A}:policy/Gone": '{"Version": "2012-10-17", '
                                                 '"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}'})
    app = supplied.principal("app")
    assert app.evaluated and app.policies[-1].location == f"managed_policies[arn:aws:iam::{A}:policy/Gone]"
    assert decide(app, "s3:GetObject", "arn:aws:s3:::b/k") is Decision.EXPLICIT_DENY


def test_policy_set_is_cached_and_bounded() -> None:
    alice = load_gaad(SMALL).principal("alice")
    assert alice.policy_set() is alice.policy_set()
    scps = ((({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),),)
    with_scps = alice.policy_set(scps=scps)
    assert with_scps is alice.policy_set(scps=scps)
    assert with_scps is not alice.policy_set()
    resources = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": f"s3:A{i}",
                                                          "Resource": "*"}]} for i in range(RECENT_SETS + 2)]
    for doc in resources:
        alice.policy_set(resource=doc)
    assert len(alice._sets) == RECENT_SETS
    assert alice.policy_set(scps=scps) is not with_scps  # evicted, rebuilt


def test_service_linked_role_policy_set_leaves_out_scps_and_rcps() -> None:
    slr = load_gaad(SMALL).principal("AWSServiceRoleForAmazonSSM")
    deny_all = ((({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}),),)
    assert slr.policy_set(scps=deny_all, rcps=deny_all) is slr.policy_set()
    assert decide(slr, "ssm:SendCommand") is Decision.ALLOW


def test_pickled_account_evaluates_the_same() -> None:
    account = load_gaad(SMALL)
    alice = account.principal("alice")
    alice.policy_set()
    restored = pickle.loads(pickle.dumps(account))
    assert restored.id == A and [p.arn for p in restored.principals] == [p.arn for p in account.principals]
    again = restored.principal("alice")
    assert decide(again, "ec2:DescribeInstances") is decide(alice, "ec2:DescribeInstances")
    assert restored.principal("bob").error == account.principal("bob").error


def test_original_dump_is_not_modified() -> None:
    dump = small()
    before = copy.deepcopy(dump)
    load_gaad(dump).principal("alice").policy_set()
    assert dump == before


# --- the shared GAAD files ------------------------------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize(("name", "counts"), [
    ("cloudsplaining-example.json", (44, 5, 78, 84)),
    ("cloudsplaining-example-authz-details.json", (3, 2, 3, 32)),
    ("aws-cli-docs-example.json", (3, 3, 1, 3)),
])
def test_shared_dumps_load(name: str, counts: tuple[int, int, int, int]) -> None:
    account = load_gaad(GAAD / name)
    assert (len(account.users), len(account.groups), len(account.roles), len(account.managed_policies)) == counts


@needs_shared
def test_cloudsplaining_example_accounts_and_flags() -> None:
    account = load_gaad(GAAD / "cloudsplaining-example.json")
    # 119 principals of the test account 200611803367 and 3 users + 3 roles merged in from 012345678901
    assert account.id == "200611803367"
    assert sum(p.account_id == "012345678901" for p in account.principals) == 6
    assert sorted(p.name for p in account.principals if p.identity_center) == [
        "AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc", "AWSReservedSSO_ViewOnlyAccess_0ace44bbc7092ea8"]
    assert len([p for p in account.principals if p.service_linked]) == 8
    assert account.not_evaluated == ()


@needs_shared
def test_every_cloudsplaining_principal_evaluates() -> None:
    account = load_gaad(GAAD / "cloudsplaining-example.json")
    decisions = {}
    for principal in account.principals:
        ps = principal.policy_set()
        assert isinstance(ps, PolicySet)
        result = ps.evaluate({"principal": principal.arn, "action": "iam:PassRole",
                              "resource": f"arn:aws:iam::{principal.account_id}:role/x",
                              "context": principal.context()})
        decisions[principal.name] = result.decision
    assert len(decisions) == 122
    assert decisions["obama"] is Decision.ALLOW  # AdministratorAccess, directly and through group admin
    assert decisions["AWSServiceRoleForSupport"] is Decision.IMPLICIT_DENY


@needs_shared
def test_aws_cli_example_quirks() -> None:
    account = load_gaad(GAAD / "aws-cli-docs-example.json")
    finance = next(g for g in account.groups.values() if g.name == "Finance")
    assert [p.label for p in finance.policies] == ["inline policygen-201310141157"]
    bob = account.principal("Bob")
    assert isinstance(bob.policies[0].document, dict)
    assert isinstance(bob.policies[0].document["Statement"], dict)  # Statement as an object, kept as given
    # AdministratorAccess, PowerUserAccess, AmazonS3FullAccess, AmazonDynamoDBFullAccess are not in this dump
    assert [p.name for p in account.not_evaluated] == ["Alice", "Bob", "Charlie", "EC2role"]
    assert "`arn:aws:iam::aws:policy/AdministratorAccess` is not in the dump" in (bob.error or "")


@needs_shared
@pytest.mark.skipif(not MANAGED.is_dir(), reason="no aws-managed-policies")
def test_aws_cli_example_with_managed_policies_supplied() -> None:
    names = ["AdministratorAccess", "PowerUserAccess", "AmazonS3FullAccess", "AmazonDynamoDBFullAccess"]
    supplied = {f"arn:aws:iam::aws:policy/{n}": json.loads((MANAGED / f"{n}.json").read_text()) for n in names}
    account = load_gaad(GAAD / "aws-cli-docs-example.json", managed_policies=supplied)
    assert account.not_evaluated == ()
    bob = account.principal("Bob")  # Admins group, minus his inline Deny of aws-portal:* and iam:*
    assert decide(bob, "ec2:RunInstances") is Decision.ALLOW
    assert decide(bob, "iam:CreateUser") is Decision.EXPLICIT_DENY
    assert decide(account.principal("EC2role"), "dynamodb:GetItem") is Decision.ALLOW
