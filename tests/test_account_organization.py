"""``iameval.account.load_organization``: the JSON layout, the CLI folder, and the levels an account sees.

Fixtures: ``tests/account/org.json`` and ``tests/account/org-cli/`` describe the same organization: root
``r-ab12`` -> OU Workloads (``DenyRegions``: only eu-west-1) -> OU Prod (RCP ``DenyExternalS3``) -> account
222222222222 (``DenyBucketDelete``); account 333333333333 under the root; management account 111111111111.
``FullAWSAccess`` and ``RCPFullAWSAccess`` are attached everywhere.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from iameval import Decision
from iameval.account import AccountError, Organization, load_gaad, load_organization, organization_from_layout

HERE = Path(__file__).resolve().parent / "account"
LAYOUT = HERE / "org.json"
CLI = HERE / "org-cli"
PROD, SANDBOX, MANAGEMENT = "222222222222", "333333333333", "111111111111"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def layout() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LAYOUT.read_text())
    return data


def sids(levels: Any) -> list[list[str]]:
    """Each level as ``Action`` + ``Effect`` of each document's first statement (for readable asserts)."""
    return [[json.dumps(doc["Statement"][0]["Action"]) + doc["Statement"][0]["Effect"] for doc in level]
            for level in levels]


def normalized(org: Organization) -> dict[str, Any]:
    data = org.to_layout()
    data["accounts"].sort(key=lambda a: a["id"])
    data["organizational_units"].sort(key=lambda a: a["id"])
    return data


@pytest.mark.parametrize("source", [LAYOUT, CLI], ids=["layout", "cli"])
def test_levels_of_a_nested_account(source: Path) -> None:
    org = load_organization(source)
    assert org.path(PROD) == ("r-ab12", "ou-ab12-aaaa1111", "ou-ab12-bbbb2222", PROD)
    assert sids(org.scp_levels(PROD)) == [['"*"Allow'], ['"*"Allow', '"*"Deny'], ['"*"Allow'],
                                          ['"*"Allow', '"s3:DeleteBucket"Deny']]
    # RCPFullAWSAccess is implicit: only the customer RCP remains, on the Prod OU
    assert sids(org.rcp_levels(PROD)) == [[], [], ['"s3:*"Deny'], []]
    assert sids(org.scp_levels(SANDBOX)) == [['"*"Allow'], ['"*"Allow']]
    assert org.management_account_id == MANAGEMENT
    assert org.scp_levels(MANAGEMENT) is None and org.rcp_levels(MANAGEMENT) is None
    assert MANAGEMENT in org and PROD in org and "444444444444" not in org


def test_layout_and_cli_folder_give_the_same_organization() -> None:
    from_layout, from_cli = load_organization(LAYOUT), load_organization(CLI)
    assert normalized(from_layout) == normalized(from_cli)
    for account in (PROD, SANDBOX, MANAGEMENT):
        assert from_layout.scp_levels(account) == from_cli.scp_levels(account)
        assert from_layout.rcp_levels(account) == from_cli.rcp_levels(account)
    assert from_cli.policies["p-denyregions"].document == from_layout.policies["p-denyregions"].document
    assert organization_from_layout(from_cli.to_layout()).scp_levels(PROD) == from_cli.scp_levels(PROD)


def test_levels_are_cached_per_account() -> None:
    org = load_organization(LAYOUT)
    assert org.scp_levels(PROD) is org.scp_levels(PROD)
    assert org.rcp_levels(PROD) is org.rcp_levels(PROD)


def test_level_policies_name_each_document() -> None:
    org = load_organization(CLI)
    policies, levels = org.level_policies(PROD, "SCP"), org.scp_levels(PROD)
    assert policies is not None and levels is not None
    assert [[p.id for p in level] for level in policies] == [
        ["p-FullAWSAccess"], ["p-FullAWSAccess", "p-denyregions"], ["p-FullAWSAccess"],
        ["p-FullAWSAccess", "p-denydelete"]]
    assert all(p.document is d for pl, dl in zip(policies, levels, strict=True) for p, d in zip(pl, dl, strict=True))
    rcps = org.level_policies(PROD, "RCP")
    assert rcps is not None and [[p.name for p in level] for level in rcps] == [[], [], ["DenyExternalS3"], []]
    assert org.level_policies(MANAGEMENT, "SCP") is None
    with pytest.raises(AccountError, match="account 444444444444 is not in the organization"):
        org.scp_levels("444444444444")


def test_management_account_override_and_absence() -> None:
    data = layout()
    del data["management_account_id"]
    org = organization_from_layout(data)
    assert org.management_account_id is None
    assert sids(org.scp_levels(MANAGEMENT)) == [['"*"Allow'], ['"*"Allow']]
    assert load_organization(LAYOUT, management_account_id=SANDBOX).scp_levels(SANDBOX) is None


def test_no_scp_means_scps_not_enabled_and_no_customer_rcp_means_none() -> None:
    data = layout()
    data["policies"] = {k: v for k, v in data["policies"].items() if k == "p-RCPFullAWSAccess"}
    data["attachments"] = {k: [p for p in v if p == "p-RCPFullAWSAccess"] for k, v in data["attachments"].items()}
    org = organization_from_layout(data)
    assert org.scp_levels(PROD) is None and org.rcp_levels(PROD) is None


def test_a_level_without_scp_is_empty() -> None:
    data = layout()
    data["attachments"]["ou-ab12-bbbb2222"] = []
    assert organization_from_layout(data).scp_levels(PROD)[2] == ()  # type: ignore[index]


def _prod_account() -> Any:
    """An account 222222222222 with an admin role and a service-linked role."""
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}
    roles = [{"RoleName": name, "Path": path, "Arn": f"arn:aws:iam::{PROD}:role{path}{name}",
              "AssumeRolePolicyDocument": trust,
              "RolePolicyList": [{"PolicyName": "all", "PolicyDocument": ALLOW_ALL}]}
             for name, path in (("admin", "/"), ("AWSServiceRoleForX", "/aws-service-role/x.amazonaws.com/"))]
    return load_gaad({"RoleDetailList": roles})


@pytest.mark.parametrize("source", [LAYOUT, CLI], ids=["layout", "cli"])
def test_end_to_end_decisions_with_the_levels(source: Path) -> None:
    org = load_organization(source)
    account = _prod_account()
    admin, slr = account.principal("admin"), account.principal("AWSServiceRoleForX")

    def decide(principal: Any, action: str, resource: str, resource_account: str, **context: str) -> Any:
        ps = principal.policy_set(scps=org.scp_levels(principal.account_id), rcps=org.rcp_levels(resource_account))
        return ps.evaluate({"principal": principal.arn, "action": action, "resource": resource,
                            "resource_account": resource_account,
                            "context": {**principal.context(), **context}})

    eu = {"aws:RequestedRegion": "eu-west-1", "aws:PrincipalOrgID": "o-exampleorg"}
    bucket = "arn:aws:s3:::prod-bucket"
    denied = decide(admin, "s3:DeleteBucket", bucket, PROD, **eu)  # account-level SCP
    assert (denied.decision, denied.decided_by) == (Decision.EXPLICIT_DENY, "scp")
    assert [m.level for m in denied.matched] == [3]
    us = decide(admin, "ec2:RunInstances", "*", PROD, **{**eu, "aws:RequestedRegion": "us-east-1"})
    assert (us.decision, us.decided_by, [m.level for m in us.matched]) == (Decision.EXPLICIT_DENY, "scp", [1])
    assert decide(admin, "ec2:RunInstances", "*", PROD, **eu).decision is Decision.ALLOW
    # the RCP on the Prod OU denies S3 to callers outside the organization (no aws:PrincipalOrgID)
    outside = decide(admin, "s3:GetObject", bucket + "/k", PROD, **{"aws:RequestedRegion": "eu-west-1"})
    assert (outside.decision, outside.decided_by) == (Decision.EXPLICIT_DENY, "rcp")
    assert decide(admin, "s3:GetObject", bucket + "/k", PROD, **eu).decision is Decision.ALLOW
    # SCPs and RCPs do not apply to a service-linked role
    assert decide(slr, "s3:DeleteBucket", bucket, PROD).decision is Decision.ALLOW


def test_layout_errors_name_the_pointer(tmp_path: Path) -> None:
    def fails(change: Any, message: str) -> None:
        data = layout()
        change(data)
        file = tmp_path / "org.json"
        file.write_text(json.dumps(data))
        with pytest.raises(AccountError) as caught:
            load_organization(file)
        assert str(caught.value) == f"{file}: {message}"

    fails(lambda d: d["accounts"][1].update(parent="ou-nope"), "/accounts/1/parent: unknown parent `ou-nope`")
    fails(lambda d: d["organizational_units"][0].update(parent="ou-ab12-bbbb2222"),
          "/organizational_units/0/parent: the organizational units form a cycle through `ou-ab12-aaaa1111`")
    fails(lambda d: d["attachments"]["r-ab12"].append("p-nope"), "/attachments/r-ab12/2: unknown policy `p-nope`")
    fails(lambda d: d["attachments"].update({"ou-x": []}), "/attachments/ou-x: unknown target `ou-x`")
    fails(lambda d: d["policies"]["p-denydelete"].update(type="TAG_POLICY"),
          "/policies/p-denydelete/type: expected `SCP` or `RCP`, found `TAG_POLICY`")
    fails(lambda d: d["accounts"].append(dict(d["accounts"][0])), "/accounts/3/id: duplicate id `111111111111`")
    fails(lambda d: d.pop("root"), "missing `root`")


def test_root_missing_message() -> None:
    data = layout()
    del data["root"]
    with pytest.raises(AccountError, match=r"^missing `root`$"):
        organization_from_layout(data)


def test_cli_folder_errors(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    shutil.copytree(CLI, folder)
    (folder / "list-accounts-for-parent" / "ou-ab12-bbbb2222.json").unlink()
    with pytest.raises(AccountError, match=r"list-accounts-for-parent/ou-ab12-bbbb2222\.json: cannot read the file"):
        load_organization(folder)
    shutil.rmtree(folder)
    shutil.copytree(CLI, folder)
    (folder / "list-policies-for-target" / "333333333333.SERVICE_CONTROL_POLICY.json").unlink()
    with pytest.raises(AccountError, match=r"333333333333\.SERVICE_CONTROL_POLICY\.json: missing file"):
        load_organization(folder)
    (folder / "list-policies-for-target" / "333333333333.SERVICE_CONTROL_POLICY.json").write_text("{}")
    (folder / "describe-policy" / "p-denydelete.json").unlink()
    with pytest.raises(AccountError, match=r"222222222222\.SERVICE_CONTROL_POLICY\.json: /Policies/1: "
                                           r"policy `p-denydelete` has no file"):
        load_organization(folder)


def test_cli_folder_without_rcp_files_has_rcps_disabled(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    shutil.copytree(CLI, folder)
    for file in (folder / "list-policies-for-target").glob("*.RESOURCE_CONTROL_POLICY.json"):
        file.unlink()
    org = load_organization(folder)
    assert org.rcp_levels(PROD) is None and org.scp_levels(PROD) is not None


def test_cli_folder_account_outside_the_tree(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    shutil.copytree(CLI, folder)
    listed = json.loads((folder / "list-accounts.json").read_text())
    listed["Accounts"].append({"Id": "444444444444", "Name": "lost"})
    (folder / "list-accounts.json").write_text(json.dumps(listed))
    with pytest.raises(AccountError,
                       match=r"list-accounts\.json: /Accounts/3/Id: account 444444444444 is under no parent"):
        load_organization(folder)


def test_organization_id_and_paths() -> None:
    """The id comes from the layout's ``id`` and from ``describe-organization.json``; an account's
    organization path is the id, the root and each OU down to its parent (``aws:PrincipalOrgPaths``)."""
    for org in (load_organization(LAYOUT), load_organization(CLI)):
        assert org.id == "o-exampleorg"
        chain = org.path(PROD)
        assert org.org_path(PROD) == "/".join(("o-exampleorg", *chain[:-1])) + "/"
        assert org.org_path("999999999999") is None
    layout = load_organization(LAYOUT).to_layout()
    del layout["id"]
    assert organization_from_layout(layout).org_path(PROD) is None
