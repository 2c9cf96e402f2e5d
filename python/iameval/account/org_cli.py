"""Reading a folder of saved ``aws organizations`` CLI outputs into the organization JSON layout.

The folder (README.md, "Organization", gives the script that writes it)::

    list-roots.json                                    aws organizations list-roots
    describe-organization.json             optional    aws organizations describe-organization
    list-accounts.json                     optional    aws organizations list-accounts
    list-organizational-units-for-parent/<parent-id>.json             one per root and OU
    list-accounts-for-parent/<parent-id>.json                         one per root and OU
    list-policies-for-target/<target-id>.SERVICE_CONTROL_POLICY.json  one per root, OU and account
    list-policies-for-target/<target-id>.RESOURCE_CONTROL_POLICY.json one per root, OU and account
    describe-policy/<policy-id>.json                                  one per policy listed

The tree is walked from the root: every parent reached needs its two ``*-for-parent`` files (an export that
stopped half-way is an error, not a smaller organization). A policy type whose ``list-policies-for-target``
files are all absent is not enabled; when some targets have the file, every target needs it. Every account
of ``list-accounts.json``, when present, must be placed in the tree. ``describe-organization.json`` gives
the management account (``MasterAccountId``) and the organization's id (``Id``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iameval.account.errors import AccountError
from iameval.account.jsonio import Located, read_json

__all__ = ["FILTERS", "read_cli_folder"]

FILTERS = {"SERVICE_CONTROL_POLICY": "SCP", "RESOURCE_CONTROL_POLICY": "RCP"}
"""``list-policies-for-target --filter`` values and the layout's policy type for each."""


def _read(path: Path) -> Located:
    located = Located(read_json(path), str(path))
    located.obj()
    return located


def read_cli_folder(folder: Path) -> dict[str, Any]:
    """The organization JSON layout (see :mod:`iameval.account.organization`) of a folder of CLI outputs."""
    roots = _read(folder / "list-roots.json").items("Roots")
    if len(roots) != 1:
        raise AccountError(str(folder / "list-roots.json"), "/Roots", f"expected one root, found {len(roots)}")
    root = roots[0].string("Id")
    ous: list[dict[str, str]] = []
    accounts: list[dict[str, str]] = []
    pending = [root]
    while pending:
        parent = pending.pop(0)
        for item in _read(folder / "list-organizational-units-for-parent" / f"{parent}.json").items(
                "OrganizationalUnits"):
            ous.append({"id": item.string("Id"), "name": item.optional_string("Name") or "", "parent": parent})
            pending.append(item.string("Id"))
        for item in _read(folder / "list-accounts-for-parent" / f"{parent}.json").items("Accounts"):
            accounts.append({"id": item.string("Id"), "name": item.optional_string("Name") or "",
                             "parent": parent})
    _check_all_placed(folder, {a["id"] for a in accounts})
    targets = [root] + [o["id"] for o in ous] + [a["id"] for a in accounts]
    policies: dict[str, Any] = {}
    attachments: dict[str, list[str]] = {target: [] for target in targets}
    for cli_filter in FILTERS:
        files = [folder / "list-policies-for-target" / f"{target}.{cli_filter}.json" for target in targets]
        present = [f for f in files if f.is_file()]
        if not present:
            continue
        for target, file in zip(targets, files, strict=True):
            if not file.is_file():
                raise AccountError(str(file), "", f"missing file: other targets have their {cli_filter} list")
            for item in _read(file).items("Policies"):
                policy_id = item.string("Id")
                if policy_id not in policies:
                    policies[policy_id] = _describe(folder, policy_id, item)
                attachments[target].append(policy_id)
    layout: dict[str, Any] = {"root": root, "organizational_units": ous, "accounts": accounts,
                              "policies": policies, "attachments": attachments}
    management, org_id = _describe_organization(folder)
    if management is not None:
        layout["management_account_id"] = management
    if org_id is not None:
        layout["id"] = org_id
    return layout


def _check_all_placed(folder: Path, placed: set[str]) -> None:
    file = folder / "list-accounts.json"
    if not file.is_file():
        return
    for item in _read(file).items("Accounts"):
        if item.string("Id") not in placed:
            raise item.child("Id").error(f"account {item.string('Id')} is under no parent of the exported tree")


def _describe(folder: Path, policy_id: str, listed: Located) -> dict[str, Any]:
    file = folder / "describe-policy" / f"{policy_id}.json"
    if not file.is_file():
        raise listed.error(f"policy `{policy_id}` has no file {file}")
    policy = _read(file).child("Policy")
    summary = policy.child("PolicySummary")
    cli_type = summary.string("Type")
    if cli_type not in FILTERS:
        raise summary.child("Type").error(f"expected one of {', '.join(FILTERS)}, found `{cli_type}`")
    managed = summary.child("AwsManaged").value
    return {"type": FILTERS[cli_type], "name": summary.optional_string("Name") or policy_id,
            "aws_managed": managed is True, "document": policy.string("Content")}


def _describe_organization(folder: Path) -> tuple[str | None, str | None]:
    """The management account (``ManagementAccountId``, formerly ``MasterAccountId``) and the organization's
    id (``Id``) from ``describe-organization.json``, when it is there."""
    file = folder / "describe-organization.json"
    if not file.is_file():
        return None, None
    organization = _read(file).child("Organization")
    management = organization.optional_string("ManagementAccountId") or organization.string("MasterAccountId")
    return management, organization.optional_string("Id")
