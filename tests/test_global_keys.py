"""The table of AWS global condition context keys (iameval.global_keys) against the IAM User Guide page
"AWS global condition context keys" (reference_policies_condition-keys)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from iameval.global_keys import (
    FAMILIES,
    FAMILY_HEADINGS,
    GLOBAL_CONDITION_KEYS,
    KEY_TYPES,
    GlobalConditionKey,
    global_condition_key,
)

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "python" / "iameval" / "reference"

#: The service prefixes the page lists under "Properties of a role session" besides aws:.
ROLE_SESSION_PREFIXES = frozenset({"aws", "ec2", "glue", "codebuild", "lambda", "ssm", "identitystore"})

#: The page's summary table, column by column (tag keys written as templates).
PAGE_TABLE = {
    "principal": [
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalOrgID",
        "aws:PrincipalTag/${TagKey}",
        "aws:PrincipalIsAWSService",
        "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList",
        "aws:PrincipalType",
        "aws:userid",
        "aws:username",
    ],
    "role session": [
        "aws:AssumedRoot",
        "aws:FederatedProvider",
        "aws:TokenIssueTime",
        "aws:SignInSessionArn",
        "aws:MultiFactorAuthAge",
        "aws:MultiFactorAuthPresent",
        "aws:ChatbotSourceArn",
        "aws:Ec2InstanceSourceVpc",
        "aws:Ec2InstanceSourcePrivateIPv4",
        "aws:SourceIdentity",
        "ec2:RoleDelivery",
        "ec2:SourceInstanceArn",
        "glue:RoleAssumedBy",
        "glue:CredentialIssuingService",
        "codebuild:BuildArn",
        "codebuild:ProjectArn",
        "lambda:SourceFunctionArn",
        "ssm:SourceInstanceArn",
        "identitystore:UserId",
    ],
    "network": [
        "aws:SourceIp",
        "aws:SourceVpc",
        "aws:SourceVpcArn",
        "aws:SourceVpce",
        "aws:VpceAccount",
        "aws:VpceOrgID",
        "aws:VpceOrgPaths",
        "aws:VpcSourceIp",
    ],
    "resource": [
        "aws:ResourceAccount",
        "aws:ResourceOrgID",
        "aws:ResourceOrgPaths",
        "aws:ResourceTag/${TagKey}",
    ],
    "request": [
        "aws:CalledVia",
        "aws:CalledViaFirst",
        "aws:CalledViaLast",
        "aws:CalledViaAWSMCP",
        "aws:ViaAWSService",
        "aws:ViaAWSMCPService",
        "aws:CurrentTime",
        "aws:EpochTime",
        "aws:referer",
        "aws:RequestedRegion",
        "aws:RequestTag/${TagKey}",
        "aws:TagKeys",
        "aws:SecureTransport",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:UserAgent",
        "aws:IsMcpServiceAction",
    ],
}


# ---- lookups ----


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aws:SourceIp", "aws:SourceIp"),
        ("AWS:SOURCEIP", "aws:SourceIp"),
        ("aws:sourceip", "aws:SourceIp"),
        ("aws:Referer", "aws:referer"),
        ("AWS:UserId", "aws:userid"),
        ("aws:PrincipalTag/team", "aws:PrincipalTag/${TagKey}"),
        ("AWS:PRINCIPALTAG/Team", "aws:PrincipalTag/${TagKey}"),
        ("aws:PrincipalTag/${TagKey}", "aws:PrincipalTag/${TagKey}"),
        ("aws:RequestTag/Cost-Center", "aws:RequestTag/${TagKey}"),
        ("aws:ResourceTag/env", "aws:ResourceTag/${TagKey}"),
        ("aws:ResourceTag/a/b", "aws:ResourceTag/${TagKey}"),  # tag keys may contain '/'
        ("ec2:RoleDelivery", "ec2:RoleDelivery"),
        ("EC2:SourceInstanceARN", "ec2:SourceInstanceArn"),  # the page's own example writes ...ARN
        ("glue:roleassumedby", "glue:RoleAssumedBy"),
        ("identitystore:UserId", "identitystore:UserId"),
        ("lambda:SourceFunctionArn", "lambda:SourceFunctionArn"),
    ],
)
def test_lookup_resolves(query: str, expected: str) -> None:
    row = global_condition_key(query)
    assert row is not None
    assert row.name == expected
    assert row is GLOBAL_CONDITION_KEYS[expected.lower()]


@pytest.mark.parametrize(
    "query",
    [
        "aws:NoSuchKey",
        "aws:SourceOwner",  # not on the page (see the module docstring)
        "aws:PrincipalTag",  # no tag key
        "aws:PrincipalTag/",  # empty tag key
        "aws:TagKeys/x",  # not a template
        "aws:SourceIp/x",
        "aws:",
        "",
        "SourceIp",
        "s3:prefix",
        "s3:x-amz-acl",
        "sts:RoleSessionName",
        "ec2:ResourceTag/team",  # service tag keys are not the global ones
        "iam:PrincipalTag/team",
        "kms:CallerAccount",
    ],
)
def test_lookup_unknown_is_none(query: str) -> None:
    assert global_condition_key(query) is None


# ---- the table's shape ----


def test_keys_are_lower_cased_names() -> None:
    for key, row in GLOBAL_CONDITION_KEYS.items():
        assert isinstance(row, GlobalConditionKey)
        assert key == row.name.lower()


@pytest.mark.parametrize("row", list(GLOBAL_CONDITION_KEYS.values()), ids=lambda r: r.name)
def test_row_well_formed(row: GlobalConditionKey) -> None:
    assert row.type in KEY_TYPES
    assert row.multivalued == row.type.startswith("ArrayOf")
    assert row.family in FAMILIES
    prefix, _, rest = row.name.partition(":")
    assert rest and re.fullmatch(r"[A-Za-z0-9]+(/\$\{TagKey\})?", rest), row.name
    if row.family == "role session":
        assert prefix in ROLE_SESSION_PREFIXES
    else:
        assert prefix == "aws"
    assert row.templated == row.name.endswith("/${TagKey}")
    assert not (row.templated and row.multivalued)
    assert row.availability and "\n" not in row.availability and len(row.availability) <= 160
    if row.always_present:
        assert row.present_when_signed
    assert all(t in KEY_TYPES and t != row.type for t in row.alt_types)
    assert row.on_page != row.deprecated  # the one deprecated key is the one row not on the page


def test_table_matches_the_page_summary() -> None:
    on_page = {k: r for k, r in GLOBAL_CONDITION_KEYS.items() if r.on_page}
    expected = {name.lower(): family for family, names in PAGE_TABLE.items() for name in names}
    assert {k: r.family for k, r in on_page.items()} == expected
    assert len(on_page) == 61
    for family, names in PAGE_TABLE.items():  # canonical case as the page writes it
        assert [GLOBAL_CONDITION_KEYS[n.lower()].name for n in names] == names, family


def test_families_are_the_page_headings() -> None:
    assert set(FAMILY_HEADINGS) == FAMILIES == set(PAGE_TABLE)
    assert all(h.startswith("Properties of ") for h in FAMILY_HEADINGS.values())


def test_templates() -> None:
    templated = {r.name for r in GLOBAL_CONDITION_KEYS.values() if r.templated}
    assert templated == {
        "aws:PrincipalTag/${TagKey}",
        "aws:RequestTag/${TagKey}",
        "aws:ResourceTag/${TagKey}",
    }


def test_deprecated() -> None:
    deprecated = [r for r in GLOBAL_CONDITION_KEYS.values() if r.deprecated]
    assert [r.name for r in deprecated] == ["aws:ARN"]
    assert global_condition_key("aws:arn") is deprecated[0]
    assert not deprecated[0].always_present and not deprecated[0].on_page


def test_sensitive_keys_match_the_page() -> None:
    sensitive = {r.name for r in GLOBAL_CONDITION_KEYS.values() if r.sensitive}
    assert sensitive == {
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:ResourceAccount",
        "aws:ResourceOrgID",
        "aws:SourceAccount",
        "aws:SourceOrgID",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:VpceAccount",
        "aws:VpceOrgID",
    }


def test_always_present_set() -> None:
    always = {r.name for r in GLOBAL_CONDITION_KEYS.values() if r.always_present}
    assert always == {
        "aws:PrincipalAccount",
        "aws:PrincipalType",
        "aws:userid",
        "aws:CurrentTime",
        "aws:EpochTime",
        "aws:ViaAWSService",
        "aws:RequestedRegion",
        "aws:SecureTransport",
        "aws:UserAgent",
    }
    signed = {r.name for r in GLOBAL_CONDITION_KEYS.values() if r.present_when_signed}
    assert signed == always | {"aws:PrincipalArn", "aws:PrincipalIsAWSService"}


def test_multivalued_set() -> None:
    multi = {r.name for r in GLOBAL_CONDITION_KEYS.values() if r.multivalued}
    assert multi == {
        "aws:PrincipalOrgPaths",
        "aws:PrincipalServiceNamesList",
        "aws:VpceOrgPaths",
        "aws:ResourceOrgPaths",
        "aws:CalledVia",
        "aws:TagKeys",
        "aws:SourceOrgPaths",
    }


# ---- immutability ----


def test_immutable() -> None:
    row = GLOBAL_CONDITION_KEYS["aws:sourceip"]
    with pytest.raises(TypeError):
        GLOBAL_CONDITION_KEYS["aws:new"] = row  # type: ignore[index]
    with pytest.raises(TypeError):
        del GLOBAL_CONDITION_KEYS["aws:sourceip"]  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.type = "String"  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        row.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        FAMILY_HEADINGS["x"] = "y"  # type: ignore[index]
    assert isinstance(KEY_TYPES, frozenset) and isinstance(FAMILIES, frozenset)


# ---- the reference evaluator's keys ----

#: aws: keys the reference evaluator names that are deliberately not in the table, with the reason.
NOT_IN_TABLE = {
    # public_access.PINNING_KEYS: legacy key AWS does not document on the global keys page
    # (awsdocs/iam-user-guide#111: aws:SourceAccount is its preferred replacement).
    "aws:sourceowner",
}


def reference_keys() -> set[str]:
    found: set[str] = set()
    for path in sorted(REFERENCE_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        # aws:Name (not the "aws" partition inside an ARN such as arn:aws:iam::...), with a tag key
        # placeholder when it is followed by '/'.
        for m in re.finditer(r"(?<![A-Za-z0-9:\-])(aws:[A-Za-z0-9]+)(/)?", text):
            found.add(m.group(1) + ("/team" if m.group(2) else ""))
    return found


def test_reference_evaluator_keys_are_in_the_table() -> None:
    keys = reference_keys()
    # A sanity check on the scan itself: keys the reference evaluator is known to set or special-case.
    assert {"aws:PrincipalArn", "aws:PrincipalTag/team", "aws:SourceIp", "aws:userid"} <= keys
    missing = sorted(k for k in keys if global_condition_key(k) is None and k.lower() not in NOT_IN_TABLE)
    assert missing == []
    assert all(global_condition_key(k) is None for k in NOT_IN_TABLE)


# ---- spot checks against the page's Data type / Value type / Availability lines ----


@pytest.mark.parametrize(
    ("name", "type_", "multivalued", "always_present", "family"),
    [
        ("aws:PrincipalArn", "ARN", False, False, "principal"),  # signed requests only
        ("aws:PrincipalAccount", "String", False, True, "principal"),
        ("aws:PrincipalOrgPaths", "ArrayOfString", True, False, "principal"),
        ("aws:PrincipalOrgID", "String", False, False, "principal"),
        ("aws:PrincipalIsAWSService", "Bool", False, False, "principal"),
        ("aws:PrincipalServiceNamesList", "ArrayOfString", True, False, "principal"),
        ("aws:PrincipalType", "String", False, True, "principal"),
        ("aws:username", "String", False, False, "principal"),
        ("aws:AssumedRoot", "Bool", False, False, "role session"),
        ("aws:TokenIssueTime", "Date", False, False, "role session"),
        ("aws:SignInSessionArn", "ARN", False, False, "role session"),
        ("aws:MultiFactorAuthAge", "Numeric", False, False, "role session"),
        ("aws:MultiFactorAuthPresent", "Bool", False, False, "role session"),
        ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress", False, False, "role session"),
        ("ec2:RoleDelivery", "Numeric", False, False, "role session"),
        ("codebuild:BuildArn", "ARN", False, False, "role session"),
        ("aws:SourceIp", "IPAddress", False, False, "network"),
        ("aws:SourceVpc", "String", False, False, "network"),
        ("aws:SourceVpce", "String", False, False, "network"),
        ("aws:SourceVpcArn", "ARN", False, False, "network"),
        ("aws:VpceOrgPaths", "ArrayOfString", True, False, "network"),
        ("aws:VpcSourceIp", "IPAddress", False, False, "network"),
        ("aws:ResourceAccount", "String", False, False, "resource"),  # "most service actions"
        ("aws:ResourceOrgPaths", "ArrayOfString", True, False, "resource"),
        ("aws:ResourceTag/${TagKey}", "String", False, False, "resource"),
        ("aws:CalledVia", "ArrayOfString", True, False, "request"),
        ("aws:CalledViaFirst", "String", False, False, "request"),
        ("aws:ViaAWSService", "Bool", False, True, "request"),
        ("aws:CurrentTime", "Date", False, True, "request"),
        ("aws:EpochTime", "Date", False, True, "request"),
        ("aws:RequestedRegion", "String", False, True, "request"),
        ("aws:TagKeys", "ArrayOfString", True, False, "request"),
        ("aws:SecureTransport", "Bool", False, True, "request"),
        ("aws:SourceArn", "ARN", False, False, "request"),
        ("aws:SourceAccount", "String", False, False, "request"),
        ("aws:SourceOrgPaths", "ArrayOfString", True, False, "request"),
        ("aws:UserAgent", "String", False, True, "request"),
        ("aws:IsMcpServiceAction", "Bool", False, False, "request"),
    ],
)
def test_spot_check(name: str, type_: str, multivalued: bool, always_present: bool, family: str) -> None:
    row = global_condition_key(name)
    assert row is not None and row.name == name
    assert (row.type, row.multivalued, row.always_present, row.family) == (
        type_,
        multivalued,
        always_present,
        family,
    )
    assert not row.deprecated and row.on_page


def test_epoch_time_also_numeric() -> None:
    row = GLOBAL_CONDITION_KEYS["aws:epochtime"]
    assert row.type == "Date" and row.alt_types == ("Numeric",)
    assert all(not r.alt_types for r in GLOBAL_CONDITION_KEYS.values() if r is not row)
