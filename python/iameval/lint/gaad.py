"""The policies inside a GAAD dump (``aws iam get-account-authorization-details``), for ``iameval lint``.

A dump has ``UserDetailList``, ``GroupDetailList``, ``RoleDetailList`` and ``Policies``. Every policy in it is
linted on its own: users', groups' and roles' inline policies (identity), roles' trust policies (trust) and
each managed policy's default version (identity). The API returns documents URL-encoded
(``%7B%22Version%22...``); the CLI's ``--output json`` gives them as objects. The text linted (and the one
spans refer to) is the decoded string, or ``json.dumps(document, indent=2)`` for an object.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["GAAD_LISTS", "EmbeddedPolicy", "gaad_policies", "is_gaad"]

GAAD_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
_INLINE = {"UserDetailList": ("UserName", "UserPolicyList", "user"),
           "GroupDetailList": ("GroupName", "GroupPolicyList", "group"),
           "RoleDetailList": ("RoleName", "RolePolicyList", "role")}


@dataclass(frozen=True, slots=True)
class EmbeddedPolicy:
    """One policy of a dump: ``location`` (``RoleDetailList/3/AssumeRolePolicyDocument``), ``name`` (``role
    MyRole trust policy``), its ``text`` and the policy ``kind`` to lint it as."""

    location: str
    name: str
    text: str
    kind: str


def is_gaad(value: Any) -> bool:
    """True for a GAAD dump: an object with at least one of the dump's lists and no ``Statement``."""
    return (isinstance(value, Mapping) and "Statement" not in value
            and any(isinstance(value.get(k), list) for k in GAAD_LISTS))


def document_text(document: Any) -> str:
    """The policy text of an embedded document: URL-decoded when the API encoded it, else as given (a
    string), or the object dumped with an indent of 2."""
    if isinstance(document, str):
        if document.startswith("%7B") or document.startswith("%7b"):
            return urllib.parse.unquote(document)
        return document
    return json.dumps(document, indent=2, ensure_ascii=False)


def gaad_policies(dump: Mapping[str, Any]) -> Iterator[EmbeddedPolicy]:
    """Every policy of a dump, in the dump's order."""
    for list_name, (name_key, inline_key, what) in _INLINE.items():
        entries = dump.get(list_name)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                continue
            owner = str(entry.get(name_key, i))
            if list_name == "RoleDetailList" and "AssumeRolePolicyDocument" in entry:
                yield EmbeddedPolicy(f"{list_name}/{i}/AssumeRolePolicyDocument", f"{what} {owner} trust policy",
                                     document_text(entry["AssumeRolePolicyDocument"]), "trust")
            inline = entry.get(inline_key)
            if not isinstance(inline, list):
                continue
            for j, policy in enumerate(inline):
                if isinstance(policy, Mapping) and "PolicyDocument" in policy:
                    yield EmbeddedPolicy(
                        f"{list_name}/{i}/{inline_key}/{j}/PolicyDocument",
                        f"{what} {owner} inline policy {policy.get('PolicyName', j)}",
                        document_text(policy["PolicyDocument"]), "identity")
    policies = dump.get("Policies")
    if isinstance(policies, list):
        for i, policy in enumerate(policies):
            if not isinstance(policy, Mapping):
                continue
            versions = policy.get("PolicyVersionList")
            if not isinstance(versions, list):
                continue
            default = policy.get("DefaultVersionId")
            for j, version in enumerate(versions):
                if not isinstance(version, Mapping) or "Document" not in version:
                    continue
                if version.get("IsDefaultVersion") is True or (default is not None
                                                                and version.get("VersionId") == default):
                    yield EmbeddedPolicy(f"Policies/{i}/PolicyVersionList/{j}/Document",
                                         f"managed policy {policy.get('PolicyName', i)}",
                                         document_text(version["Document"]), "identity")
                    break
