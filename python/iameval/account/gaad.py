"""Loading ``aws iam get-account-authorization-details`` output (GAAD) into an :class:`Account`.

Input: one dump, or several pages of one (``UserDetailList``, ``GroupDetailList``, ``RoleDetailList`` and
``Policies`` are concatenated; ``IsTruncated`` and ``Marker`` are ignored), each a file path or the parsed
object. Documents may be URL-encoded strings (the raw API) or objects (the CLI). Accepted quirks: a lone
object where a list of attached policies is expected, ``Statement`` as an object.

Resolution: attached managed policies and permissions boundaries are looked up among the dump's
``Policies`` (default version: ``IsDefaultVersion`` true, else the ``DefaultVersionId``), then in the
``managed_policies`` argument (for AWS managed policies a dump filtered with ``--filter`` left out); a
user's groups among its ``GroupDetailList``. Whatever cannot be resolved becomes a *problem* of the
principal concerned, which is then not evaluated: never dropped, never fatal for the account. Structural
errors (a missing ``Arn``, a list that is not a list, duplicate ARNs) raise :class:`AccountError`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from iameval.account.errors import AccountError
from iameval.account.jsonio import Located, decode_document, read_json
from iameval.account.model import Account, AttachedPolicy, Group, ManagedPolicy, Principal, PrincipalKind
from iameval.reference.document import PolicyDocument

__all__ = ["GaadSource", "load_gaad"]

GaadSource = str | os.PathLike[str] | Mapping[str, Any]
"""One page: a file path or the parsed JSON object."""

_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")


def load_gaad(source: GaadSource | Sequence[GaadSource], *, account_id: str | None = None,
              managed_policies: Mapping[str, PolicyDocument] | None = None) -> Account:
    """Load one GAAD dump or several pages of one.

    The account id is ``account_id`` when given, else the account the ARNs name (a dump merged from several
    accounts, such as cloudsplaining's example, loads too: each principal keeps the account of its ARN, and
    the account is the one most principals belong to, the smallest id on a tie). ``managed_policies``:
    managed policy ARN -> document, used for ARNs the dump does not include. :class:`AccountError` (file and
    JSON pointer) for input that is not a dump.
    """
    pages = [_page(s) for s in ([source] if isinstance(source, (str, os.PathLike, Mapping)) else source)]
    if not pages:
        raise AccountError("", "", "no get-account-authorization-details page given")
    ids: dict[str, Located] = {}
    managed = _managed_policies(pages, managed_policies or {}, ids)
    groups, group_problems = _groups(pages, managed, ids)
    by_name = {(g.arn.split(":")[4], g.name): g for g in groups.values()}
    principals: list[Principal] = []
    seen: set[str] = set()
    kinds: tuple[tuple[PrincipalKind, str], ...] = (("user", "UserDetailList"), ("role", "RoleDetailList"))
    for kind, list_name in kinds:
        for page in pages:
            for entry in page.items(list_name):
                arn = _arn(entry, ids)
                if arn in seen:
                    raise entry.child("Arn").error(f"duplicate principal `{arn}`")
                seen.add(arn)
                principals.append(_principal(entry, arn, kind, managed, by_name, group_problems))
    account = _account_id(ids, principals, account_id)
    return Account(id=account, principals=tuple(principals),
                   groups=groups, managed_policies=managed,
                   sources=tuple(p.file for p in pages if p.file))


def _page(source: GaadSource) -> Located:
    if isinstance(source, Mapping):
        page = Located(source, "")
    else:
        path = Path(source)
        page = Located(read_json(path), str(path))
    if not isinstance(page.value, Mapping) or not any(k in page.value for k in _LISTS):
        raise page.error("not an `aws iam get-account-authorization-details` output (no "
                         "UserDetailList, GroupDetailList, RoleDetailList or Policies)")
    return page


def _arn(entry: Located, ids: dict[str, Located]) -> str:
    arn = entry.string("Arn")
    fields = arn.split(":")
    if len(fields) < 6 or fields[0] != "arn" or fields[2] != "iam":
        raise entry.child("Arn").error(f"`{arn}` is not an iam arn")
    if fields[4] != "aws":
        ids.setdefault(fields[4], entry.child("Arn"))
    return arn


def _account_id(ids: dict[str, Located], principals: list[Principal], given: str | None) -> str:
    if given is not None:
        return given
    if not ids:
        raise AccountError("", "", "no arn of the dump names the account: pass account_id")
    counts = Counter(p.account_id for p in principals)
    return min(ids, key=lambda account: (-counts[account], account))


def _managed_policies(pages: list[Located], extra: Mapping[str, PolicyDocument],
                      ids: dict[str, Located]) -> dict[str, ManagedPolicy]:
    managed: dict[str, ManagedPolicy] = {}
    for page in pages:
        for entry in page.items("Policies"):
            arn = _arn(entry, ids)
            if arn in managed:
                raise entry.child("Arn").error(f"duplicate managed policy `{arn}`")
            default = entry.optional_string("DefaultVersionId")
            versions = entry.items("PolicyVersionList")
            chosen = next((v for v in versions if isinstance(v.value, Mapping)
                           and v.value.get("IsDefaultVersion") is True), None)
            if chosen is None:
                chosen = next((v for v in versions if isinstance(v.value, Mapping)
                               and default is not None and v.value.get("VersionId") == default), None)
            if chosen is None:
                raise entry.child("PolicyVersionList").error(f"managed policy `{arn}` has no default version")
            document = chosen.child("Document")
            if document.value is None:
                raise chosen.error("missing `Document`")
            managed[arn] = ManagedPolicy(
                arn=arn, name=entry.optional_string("PolicyName") or arn.rsplit("/", 1)[-1],
                path=entry.optional_string("Path") or "/", document=decode_document(document.value),
                location=document.where, version_id=chosen.optional_string("VersionId"))
    for arn, given in extra.items():
        if arn not in managed:
            managed[arn] = ManagedPolicy(arn=arn, name=arn.rsplit("/", 1)[-1], path=_path_of(arn),
                                         document=decode_document(given),
                                         location=f"managed_policies[{arn}]")
    return managed


def _path_of(arn: str) -> str:
    resource = arn.split(":", 5)[-1]
    parts = resource.split("/")
    return "/" + "".join(p + "/" for p in parts[1:-1])


def _inline(entry: Located, list_name: str, group: str | None) -> list[AttachedPolicy]:
    result = []
    for item in entry.items(list_name):
        name = item.string("PolicyName")
        document = item.child("PolicyDocument")
        if document.value is None:
            raise item.error("missing `PolicyDocument`")
        result.append(AttachedPolicy("inline", name, decode_document(document.value), document.where,
                                     group=group))
    return result


def _attached(entry: Located, managed: Mapping[str, ManagedPolicy], group: str | None,
              problems: list[str]) -> list[AttachedPolicy]:
    result = []
    for item in entry.items("AttachedManagedPolicies", single_object=True):
        arn = item.string("PolicyArn")
        policy = managed.get(arn)
        if policy is None:
            via = f" (group {group})" if group else ""
            problems.append(f"{item.where}: attached managed policy `{arn}`{via} is not in the dump")
            continue
        result.append(AttachedPolicy("managed", policy.name, policy.document, policy.location,
                                     arn=arn, group=group))
    return result


def _groups(pages: list[Located], managed: Mapping[str, ManagedPolicy],
            ids: dict[str, Located]) -> tuple[dict[str, Group], dict[str, list[str]]]:
    groups: dict[str, Group] = {}
    problems: dict[str, list[str]] = {}
    for page in pages:
        for entry in page.items("GroupDetailList"):
            arn = _arn(entry, ids)
            name = entry.string("GroupName")
            if arn in groups:
                raise entry.child("Arn").error(f"duplicate group `{arn}`")
            found: list[str] = []
            policies = _inline(entry, "GroupPolicyList", None) + _attached(entry, managed, None, found)
            groups[arn] = Group(arn=arn, name=name, path=entry.optional_string("Path") or "/",
                                 policies=tuple(policies))
            problems[arn] = found
    return groups, problems


def _tags(entry: Located) -> dict[str, str]:
    tags: dict[str, str] = {}
    for item in entry.items("Tags"):
        key, value = item.string("Key"), item.string("Value")
        tags[key] = value
    return tags


def _principal(entry: Located, arn: str, kind: PrincipalKind, managed: Mapping[str, ManagedPolicy],
               groups: Mapping[tuple[str, str], Group], group_problems: Mapping[str, list[str]]) -> Principal:
    prefix = "User" if kind == "user" else "Role"
    name = entry.string(f"{prefix}Name")
    problems: list[str] = []
    policies = _inline(entry, f"{prefix}PolicyList", None) + _attached(entry, managed, None, problems)
    member_of: list[str] = []
    if kind == "user":
        for item in entry.items("GroupList"):
            if not isinstance(item.value, str):
                raise item.error("expected a group name")
            member_of.append(item.value)
            group = groups.get((arn.split(":")[4], item.value))
            if group is None:
                problems.append(f"{item.where}: group `{item.value}` is not in the dump")
                continue
            problems.extend(group_problems.get(group.arn, []))
            policies.extend(AttachedPolicy(p.kind, p.name, p.document, p.location, p.arn, item.value)
                            for p in group.policies)
    boundary, boundary_arn = None, None
    if entry.child("PermissionsBoundary").value is not None:
        holder = entry.child("PermissionsBoundary")
        boundary_arn = holder.string("PermissionsBoundaryArn")
        policy = managed.get(boundary_arn or "")
        if policy is None:
            problems.append(f"{holder.where}: permissions boundary `{boundary_arn}` is not in the dump")
        else:
            boundary = AttachedPolicy("managed", policy.name, policy.document, policy.location,
                                      arn=policy.arn)
    trust = entry.child("AssumeRolePolicyDocument")
    if kind == "role" and trust.value is None:
        raise entry.error("missing `AssumeRolePolicyDocument`")
    return Principal(
        arn=arn, kind=kind, name=name, path=entry.optional_string("Path") or "/",
        account_id=arn.split(":")[4], policies=tuple(policies), boundary=boundary, boundary_arn=boundary_arn,
        tags=_tags(entry), groups=tuple(member_of), unique_id=entry.optional_string(f"{prefix}Id"),
        trust_policy=decode_document(trust.value) if kind == "role" else None,
        trust_location=trust.where if kind == "role" else None, problems=tuple(problems))
