"""What a question is asked against: loaded accounts, their organization and their resource-based policies.

:class:`Environment` turns "principal P, action A, resource R" into the exact evaluation IAM performs
(IAM_RULES R14-R21): P's identity policies and permissions boundary, the SCP levels of P's account, the
resource-based policy of R (an S3 object is governed by its bucket's policy; a role's trust policy is the
policy of the role as a resource) and the RCP levels of R's owner account, and the request context AWS
builds for P (``aws:PrincipalArn``, ``aws:PrincipalAccount``, ``aws:PrincipalTag/...``, ``aws:username``,
``aws:userid``) plus ``aws:ResourceAccount`` and, when the organization's id is known, the organization keys
of both sides. Service-linked roles get no SCP or RCP (R15, R16;
:meth:`iameval.account.Principal.policy_set`); the management account gets no SCP and its resources no RCP
(:meth:`iameval.account.Organization.scp_levels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from iameval.account import Account, AccountError, Organization, Principal, Resource, trust_resources
from iameval.engine import PolicySet, Request

__all__ = ["Environment", "Subject"]


@dataclass(frozen=True, slots=True)
class Subject:
    """A resource a question names: its ARN, its owner account (``None`` when neither the ARN nor the loaded
    resources say), and the loaded :class:`~iameval.account.Resource` whose policy governs it, if any."""

    arn: str
    owner_account: str | None
    resource: Resource | None


@dataclass(frozen=True)
class Environment:
    """Accounts, the organization they belong to (or ``None``), and resource-based policies by ARN.

    The roles of every account are resources too (``iam:role``, their trust policy), so ``sts:AssumeRole`` on
    a role ARN is judged by its trust policy (R19). Build it with :meth:`of`.
    """

    accounts: tuple[Account, ...]
    organization: Organization | None = None
    resources: Mapping[str, Resource] = field(default_factory=dict)
    _principals: dict[str, Principal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found: dict[str, Principal] = {}
        for account in self.accounts:
            for principal in account.principals:
                found.setdefault(principal.arn, principal)
        object.__setattr__(self, "_principals", found)

    @classmethod
    def of(cls, accounts: Account | Iterable[Account], organization: Organization | None = None,
           resources: Mapping[str, Resource] | Iterable[Resource] = ()) -> Environment:
        """An environment of one or more accounts; ``resources`` (a map by ARN, as
        :func:`iameval.account.load_resource_policies` returns, or resources) are added to the roles' trust
        policies. :class:`AccountError` when two accounts have the same id."""
        listed = (accounts,) if isinstance(accounts, Account) else tuple(accounts)
        ids = [a.id for a in listed]
        for account_id in ids:
            if ids.count(account_id) > 1:
                raise AccountError("", "", f"account {account_id} is loaded twice")
        by_arn: dict[str, Resource] = {}
        for account in listed:
            for role in trust_resources(account):
                by_arn[role.arn] = role
        given = resources.values() if isinstance(resources, Mapping) else resources
        for resource in given:
            by_arn[resource.arn] = resource
        return cls(listed, organization, by_arn)

    @property
    def principals(self) -> tuple[Principal, ...]:
        """Every user and role of every loaded account."""
        return tuple(self._principals.values())

    def account_ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.accounts)

    def principal(self, name_or_arn: str) -> Principal:
        """The principal with this ARN, or the only user or role with this name across the accounts (a user
        before a role of the same name in one account); :class:`AccountError` when none or several match."""
        found = self._principals.get(name_or_arn)
        if found is not None:
            return found
        matches = []
        for account in self.accounts:
            named = [p for p in account.principals if p.name == name_or_arn]
            if named:
                matches.append(next((p for p in named if p.kind == "user"), named[0]))
        if not matches:
            raise AccountError("", "", f"no principal `{name_or_arn}` in the loaded accounts "
                               f"({', '.join(sorted(self.account_ids())) or 'none'})")
        if len(matches) > 1:
            raise AccountError("", "", f"`{name_or_arn}` names a principal in several accounts: "
                               f"{', '.join(p.arn for p in matches)}; give the ARN")
        return matches[0]

    def subject(self, arn: str, action: str | None = None) -> Subject:
        """The resource ``arn`` names: the loaded resource with that ARN, or, for an S3 object
        (``arn:aws:s3:::bucket/key``), its bucket's; the owner from the resource, else the ARN's account
        field. With ``action``, the resource policy that governs that action (:meth:`for_action`)."""
        found = self._subject(arn)
        return found if action is None else self.for_action(found, action)

    def is_trust(self, subject: Subject) -> bool:
        """Whether the subject's resource policy is a role's trust policy."""
        resource = subject.resource
        return resource is not None and resource.service == "iam" and resource.resource_type == "role"

    def for_action(self, subject: Subject, action: str) -> Subject:
        """The subject as ``action`` sees it: a role's trust policy is its resource-based policy for the STS
        actions on the role (``sts:AssumeRole*``, ``sts:TagSession``, ...: R19) and for nothing else, so for
        any other action (``iam:DeleteRole`` on the role) no resource-based policy applies."""
        if self.is_trust(subject) and not action.lower().startswith("sts:"):
            return Subject(subject.arn, subject.owner_account, None)
        return subject

    def _subject(self, arn: str) -> Subject:
        resource = self.resources.get(arn)
        if resource is None and arn.startswith("arn:") and ":s3:::" in arn and "/" in arn:
            resource = self.resources.get(arn.split("/", 1)[0])
        owner: str | None = resource.owner_account if resource is not None else None
        if owner is None:
            fields = arn.split(":", 5)
            owner = fields[4] if len(fields) == 6 and fields[4] else None
        return Subject(arn, owner, resource)

    def policy_set(self, principal: Principal, subject: Subject) -> PolicySet:
        """The compiled set deciding ``principal`` on ``subject`` (cached per principal and layers)."""
        org = self.organization
        owner = subject.owner_account or principal.account_id
        # an account outside the organization has no SCP (its principals) and no RCP (its resources)
        scps = org.scp_levels(principal.account_id) if org is not None and principal.account_id in org else None
        rcps = org.rcp_levels(owner) if org is not None and owner in org else None
        resource = subject.resource
        if resource is not None and resource.error is not None:
            raise AccountError("", "", f"the policy of `{resource.arn}` is not evaluated: {resource.error}")
        # the level tuples and the policy object are passed as they are: the principal's cache is keyed by
        # their identity (Organization returns the same tuples for an account every time)
        return principal.policy_set(scps=scps, rcps=rcps, resource=None if resource is None else resource.policy)

    def request(self, principal: Principal, action: str, subject: Subject,
                context: Mapping[str, Any] | None = None) -> Request:
        """The request ``principal`` makes: its context keys (tags included), ``aws:ResourceAccount`` when the
        owner is known, ``aws:PrincipalOrgID`` / ``aws:PrincipalOrgPaths`` and ``aws:ResourceOrgID`` /
        ``aws:ResourceOrgPaths`` for accounts of the organization when its id is known, then ``context`` over
        them (case-insensitively, the given keys win)."""
        merged: dict[str, Any] = dict(principal.context())
        if subject.owner_account is not None:
            merged["aws:ResourceAccount"] = subject.owner_account
        org = self.organization
        if org is not None and org.id is not None:
            for side, account in (("Principal", principal.account_id), ("Resource", subject.owner_account)):
                path = org.org_path(account) if account is not None else None
                if path is not None:
                    merged[f"aws:{side}OrgID"] = org.id
                    merged[f"aws:{side}OrgPaths"] = [path]
        if context:
            lowered = {k.lower(): k for k in merged}
            for key, value in context.items():
                old = lowered.get(key.lower())
                if old is not None:
                    del merged[old]
                merged[key] = value
        return Request(principal=principal.arn, action=action, resource=subject.arn, context=merged,
                       principal_account=principal.account_id,
                       resource_account=subject.owner_account or principal.account_id)

