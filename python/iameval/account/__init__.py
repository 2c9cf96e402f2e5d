"""Whole accounts and organizations, loaded from what AWS exports (issue 11, part 1: loading).

- :func:`load_gaad` reads ``aws iam get-account-authorization-details`` output (one file or pages, documents
  URL-encoded or decoded) into an :class:`Account` of :class:`Principal` s (users and roles with their
  identity policies, group policies, permissions boundary, tags; roles with their trust policy; Identity
  Center and service-linked roles flagged). ``Principal.policy_set(scps=, rcps=, resource=)`` gives the
  compiled ``iameval.PolicySet``, built once and cached (:mod:`iameval.account.policysets`);
  ``Principal.context()`` the request context keys of the principal (tags included).
- :func:`load_organization` reads an organization (the JSON layout, or a folder of ``aws organizations`` CLI
  outputs; README.md, "Accounts and organizations"); ``Organization.scp_levels(account)`` /
  ``rcp_levels(account)`` give the levels ``PolicySet`` takes (``None`` where they do not apply: the
  management account, SCPs not enabled).
- :func:`load_resource_policies` reads resource-based policies (a folder or one map, by ARN) into
  :class:`Resource` s with their type and owner account; :func:`trust_resources` gives the roles of an
  account as resources whose policy is the trust policy.

The organization JSON layout (README.md, "Organization", has the details and the CLI folder)::

    {"root": "r-ab12", "management_account_id": "111111111111",
     "organizational_units": [{"id": "ou-ab12-aaaa1111", "name": "Workloads", "parent": "r-ab12"}],
     "accounts": [{"id": "222222222222", "name": "prod", "parent": "ou-ab12-aaaa1111"}],
     "policies": {"p-FullAWSAccess": {"type": "SCP", "name": "FullAWSAccess", "document": {...}}},
     "attachments": {"r-ab12": ["p-FullAWSAccess"]}}

Bad input raises :class:`AccountError` naming the file and the JSON pointer; a policy the engine rejects
marks only its principal (``Principal.error``) or resource (``Resource.error``) as not evaluated. Loading
never imports Dask or any other optional dependency.
"""

from __future__ import annotations

from iameval.account.errors import AccountError
from iameval.account.gaad import GaadSource, load_gaad
from iameval.account.model import Account, AttachedPolicy, Group, ManagedPolicy, Principal, PrincipalKind
from iameval.account.organization import (
    Levels,
    Organization,
    OrgNode,
    OrgPolicy,
    OrgPolicyType,
    load_organization,
    organization_from_layout,
)
from iameval.account.policysets import RECENT_SETS
from iameval.account.resources import Resource, load_resource_policies, resource_type, trust_resources

__all__ = [
    "RECENT_SETS",
    "Account",
    "AccountError",
    "AttachedPolicy",
    "GaadSource",
    "Group",
    "Levels",
    "ManagedPolicy",
    "OrgNode",
    "OrgPolicy",
    "OrgPolicyType",
    "Organization",
    "Principal",
    "PrincipalKind",
    "Resource",
    "load_gaad",
    "load_organization",
    "load_resource_policies",
    "organization_from_layout",
    "resource_type",
    "trust_resources",
]
