"""AWS Organizations: the OU tree, the SCPs and RCPs attached to each node, and the levels an account sees.

:func:`load_organization` reads the JSON layout below or a folder of saved ``aws organizations`` CLI
outputs (:mod:`iameval.account.org_cli`); README.md ("Accounts and organizations") documents both. The layout::

    {
      "root": "r-ab12",
      "management_account_id": "111111111111",
      "organizational_units": [{"id": "ou-ab12-aaaa1111", "name": "Workloads", "parent": "r-ab12"}],
      "accounts": [{"id": "222222222222", "name": "prod", "parent": "ou-ab12-aaaa1111"}],
      "policies": {
        "p-FullAWSAccess": {"type": "SCP", "name": "FullAWSAccess", "aws_managed": true, "document": {...}},
        "p-abcd1234": {"type": "RCP", "name": "DenyExternal", "document": "{\\"Version\\": ...}"}
      },
      "attachments": {"r-ab12": ["p-FullAWSAccess"], "ou-ab12-aaaa1111": ["p-abcd1234"],
                      "222222222222": []}
    }

``management_account_id`` (optional) names the management account, which may also be listed in
``accounts``; ``aws_managed`` and ``name`` are optional; ``document`` is an object or JSON text;
``attachments`` maps a target (the root, an OU or an account) to policy ids (a target not listed has none).

Levels (IAM_RULES R15, R16): for an account, one level per node from the root down its OU path to the
account itself, each a tuple of the attached documents of one type, in the shape ``PolicySet(scps=...,
rcps=...)`` takes. ``None`` instead when the type does not apply: SCPs and RCPs do not apply to the
management account; an organization with no SCP at all has SCPs disabled; RCPs are ``None`` when no
customer RCP exists. AWS's ``RCPFullAWSAccess`` (id ``p-RCPFullAWSAccess``, or any RCP marked
``aws_managed``) is left out: it is implicit at every level. ``FullAWSAccess`` is an ordinary SCP and counts
only where it is attached. One account without an organization: load no organization and pass no levels.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from iameval.account.errors import AccountError
from iameval.account.jsonio import Located, decode_document, read_json
from iameval.reference.document import PolicyDocument

__all__ = [
    "Levels",
    "OrgNode",
    "OrgPolicy",
    "OrgPolicyType",
    "Organization",
    "load_organization",
    "organization_from_layout",
]

OrgPolicyType = Literal["SCP", "RCP"]
Levels = tuple[tuple[PolicyDocument, ...], ...]
"""Levels from the root down to the account, each the documents attached there."""

RCP_FULL_ACCESS_ID = "p-RCPFullAWSAccess"


@dataclass(frozen=True, slots=True)
class OrgPolicy:
    """An SCP or RCP: its id, type, name, document, and whether AWS manages it."""

    id: str
    type: OrgPolicyType
    name: str
    document: PolicyDocument
    aws_managed: bool = False


@dataclass(frozen=True, slots=True)
class OrgNode:
    """An organizational unit or an account: its id, name and parent's id (the root or an OU)."""

    id: str
    name: str
    parent: str


_Cached = tuple[tuple[tuple[OrgPolicy, ...], ...] | None, Levels | None]


@dataclass(frozen=True, slots=True, eq=False)
class Organization:
    """An organization: its tree, its policies and where they are attached (checked: every parent, target
    and policy id exists, the tree has no cycle). Levels are computed once per account and cached."""

    root: str
    organizational_units: Mapping[str, OrgNode]
    accounts: Mapping[str, OrgNode]
    policies: Mapping[str, OrgPolicy]
    attachments: Mapping[str, tuple[str, ...]]
    management_account_id: str | None = None
    #: the organization's id (``o-a1b2c3d4e5``), when the export gives it: the value of
    #: ``aws:PrincipalOrgID`` / ``aws:ResourceOrgID`` for its accounts
    id: str | None = None
    _levels: dict[tuple[str, str], _Cached] = field(default_factory=dict, repr=False)

    def __contains__(self, account_id: object) -> bool:
        return account_id in self.accounts or (account_id is not None
                                               and account_id == self.management_account_id)

    def path(self, account_id: str) -> tuple[str, ...]:
        """The ids from the root down to the account (root, each OU, the account)."""
        node = self.accounts.get(account_id)
        if node is None:
            raise AccountError("", "", f"account {account_id} is not in the organization")
        chain = [account_id]
        parent = node.parent
        while parent != self.root:
            chain.append(parent)
            parent = self.organizational_units[parent].parent
        chain.append(self.root)
        return tuple(reversed(chain))

    def scp_levels(self, account_id: str) -> Levels | None:
        """The SCP levels of an account (``None``: SCPs do not apply; see the module docstring)."""
        return self._cached(account_id, "SCP")[1]

    def rcp_levels(self, account_id: str) -> Levels | None:
        """The RCP levels applied to the resources of an account (``None``: no RCP applies)."""
        return self._cached(account_id, "RCP")[1]

    def org_path(self, account_id: str) -> str | None:
        """The account's organization path as ``aws:PrincipalOrgPaths`` / ``aws:ResourceOrgPaths`` give it
        (``o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/``: the organization id, the root and each OU down to the
        account's parent, each followed by ``/``), or ``None`` when the id is unknown or the account is not in
        the organization."""
        if self.id is None or account_id not in self.accounts:
            return None
        return "/".join((self.id, *self.path(account_id)[:-1])) + "/"

    def level_policies(self, account_id: str, kind: OrgPolicyType) -> tuple[tuple[OrgPolicy, ...], ...] | None:
        """The policies behind :meth:`scp_levels` (``kind="SCP"``) or :meth:`rcp_levels` (``"RCP"``), in the
        same order: ``level_policies(a, "SCP")[i][j].document is scp_levels(a)[i][j]``, to name the policy
        a matched statement (level ``i``, policy ``j``) belongs to."""
        return self._cached(account_id, kind)[0]

    def _cached(self, account_id: str, kind: OrgPolicyType) -> _Cached:
        key = (account_id, kind)
        if key not in self._levels:
            self._levels.setdefault(key, self._compute(account_id, kind))
        return self._levels[key]

    def _compute(self, account_id: str, kind: OrgPolicyType) -> _Cached:
        if account_id == self.management_account_id:
            return None, None
        chain = self.path(account_id)
        if not any(_counts(p, kind) for p in self.policies.values()):
            return None, None
        policies = tuple(tuple(self.policies[pid] for pid in self.attachments.get(node, ())
                               if _counts(self.policies[pid], kind)) for node in chain)
        return policies, tuple(tuple(p.document for p in level) for level in policies)

    def to_layout(self) -> dict[str, Any]:
        """This organization in the JSON layout (what :func:`organization_from_layout` reads back)."""
        layout: dict[str, Any] = {"root": self.root}
        if self.id is not None:
            layout["id"] = self.id
        if self.management_account_id is not None:
            layout["management_account_id"] = self.management_account_id
        layout["organizational_units"] = [{"id": n.id, "name": n.name, "parent": n.parent}
                                          for n in self.organizational_units.values()]
        layout["accounts"] = [{"id": n.id, "name": n.name, "parent": n.parent} for n in self.accounts.values()]
        layout["policies"] = {p.id: {"type": p.type, "name": p.name, "aws_managed": p.aws_managed,
                                     "document": p.document} for p in self.policies.values()}
        layout["attachments"] = {target: list(ids) for target, ids in self.attachments.items()}
        return layout


def _counts(policy: OrgPolicy, kind: OrgPolicyType) -> bool:
    if policy.type != kind:
        return False
    return kind == "SCP" or not (policy.aws_managed or policy.id == RCP_FULL_ACCESS_ID)


def load_organization(path: str | os.PathLike[str], *, management_account_id: str | None = None
                      ) -> Organization:
    """Read an organization: a JSON file in the layout above, or a folder of ``aws organizations`` CLI
    outputs (layout in README.md, "Organization"). ``management_account_id`` overrides the one the input gives.
    :class:`AccountError` with the file and JSON pointer for bad input."""
    source = Path(path)
    if source.is_dir():
        from iameval.account.org_cli import read_cli_folder

        layout = Located(read_cli_folder(source), str(source))
    else:
        layout = Located(read_json(source), str(source))
    return organization_from_layout(layout, management_account_id=management_account_id)


def organization_from_layout(layout: Mapping[str, Any] | Located, *,
                             management_account_id: str | None = None) -> Organization:
    """An :class:`Organization` from the JSON layout (an object, or one located in a file)."""
    top = layout if isinstance(layout, Located) else Located(layout, "")
    top.obj()
    root = top.string("root")
    ous = _nodes(top, "organizational_units")
    accounts = _nodes(top, "accounts")
    policies = _policies(top)
    known = {root} | set(ous)
    for name, nodes in (("organizational_units", ous), ("accounts", accounts)):
        for i, node in enumerate(nodes.values()):
            if node.parent not in known:
                raise top.child(name).child(i).child("parent").error(f"unknown parent `{node.parent}`")
    _check_tree(top, root, ous)
    attachments: dict[str, tuple[str, ...]] = {}
    held = top.child("attachments")
    if held.value is not None:
        for target in held.obj():
            if target not in known and target not in accounts:
                raise held.child(target).error(f"unknown target `{target}`")
            ids = []
            for item in held.items(target):
                if item.value not in policies:
                    raise item.error(f"unknown policy `{item.value}`")
                ids.append(str(item.value))
            attachments[target] = tuple(ids)
    management = management_account_id or top.optional_string("management_account_id")
    return Organization(root=root, organizational_units=ous, accounts=accounts, policies=policies,
                        attachments=attachments, management_account_id=management, id=top.optional_string("id"))


def _nodes(top: Located, key: str) -> dict[str, OrgNode]:
    nodes: dict[str, OrgNode] = {}
    for item in top.items(key):
        node_id = item.string("id")
        if node_id in nodes:
            raise item.child("id").error(f"duplicate id `{node_id}`")
        nodes[node_id] = OrgNode(node_id, item.optional_string("name") or node_id, item.string("parent"))
    return nodes


def _check_tree(top: Located, root: str, ous: Mapping[str, OrgNode]) -> None:
    for i, start in enumerate(ous.values()):
        seen = {start.id}
        parent = start.parent
        while parent != root:
            if parent in seen:
                raise top.child("organizational_units").child(i).child("parent").error(
                    f"the organizational units form a cycle through `{parent}`")
            seen.add(parent)
            parent = ous[parent].parent


def _policies(top: Located) -> dict[str, OrgPolicy]:
    policies: dict[str, OrgPolicy] = {}
    held = top.child("policies")
    if held.value is None:
        return policies
    for policy_id in held.obj():
        item = held.child(policy_id)
        kind = item.string("type")
        if kind not in ("SCP", "RCP"):
            raise item.child("type").error(f"expected `SCP` or `RCP`, found `{kind}`")
        document = item.child("document")
        if document.value is None:
            raise item.error("missing `document`")
        managed = item.child("aws_managed").value
        if managed is not None and not isinstance(managed, bool):
            raise item.child("aws_managed").error("expected a boolean")
        policies[policy_id] = OrgPolicy(policy_id, "SCP" if kind == "SCP" else "RCP",
                                        item.optional_string("name") or policy_id,
                                        decode_document(document.value), bool(managed))
    return policies
