"""Principals: the ``Principal``/``NotPrincipal`` element, federated and service principals in trust and
resource policies, read without AWS's catalog."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from iameval.lint.clauses import clauses, condition_keys
from iameval.lint.context import LintContext, Statement
from iameval.lint.registry import check
from iameval.reference.pattern import glob_match

__all__ = ["principal_entries"]

Path = tuple[str | int, ...]

PRINCIPAL_KEYS = ("AWS", "CanonicalUser", "Federated", "Service")
#: policy types whose statements take no Principal (SCPs and RCPs have their own syntax errors)
NO_PRINCIPAL_KINDS = ("identity", "boundary", "session")
SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"})
#: keys that describe an IAM principal and are absent when a service principal calls
PRINCIPAL_ONLY_KEYS = ("aws:principalorgid", "aws:principalorgpaths", "aws:principaltag/")
GITHUB = "token.actions.githubusercontent.com"
ROLES_ANYWHERE = "rolesanywhere.amazonaws.com"
ROLES_ANYWHERE_ACTIONS = ("sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession")

#: Access Analyzer's names of our policy types in its findingDetails
_POLICY_TYPE = {"identity": "IDENTITY_POLICY", "boundary": "IDENTITY_POLICY", "session": "IDENTITY_POLICY"}
_FORMAT = "The Principal element contents are not valid. Specify a key-value pair in the Principal element."

_SAML_ARN = re.compile(r"^arn:[a-z-]+:iam::[^:]*:saml-provider/.+\Z")
_OIDC_ARN = re.compile(r"^arn:[a-z-]+:iam::[^:]*:oidc-provider/(.+)\Z")
_DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\Z")
_UNIQUE_ID = re.compile(r"^(AROA|AIDA)[A-Z0-9]{12,}\Z")
_ROLE_ARN = re.compile(r"^arn:([a-z-]+):iam::(\d{12}):role/(?:.*/)?([^/]+)\Z")
_ASSUMED_ROLE_ARN = re.compile(r"^arn:([a-z-]+):sts::(\d{12}):assumed-role/([^/]+)/[^/]+\Z")


def principal_entries(st: Statement, element: str = "Principal") -> Iterator[tuple[str, Path, str]]:
    """The string entries of a statement's ``Principal`` (or ``NotPrincipal``) object: (key, path, value)."""
    value = st.data.get(element)
    if not isinstance(value, Mapping):
        return
    for key, entries in value.items():
        if not isinstance(key, str):
            continue
        if isinstance(entries, str):
            yield key, (*st.path, element, key), entries
        elif isinstance(entries, list):
            for i, entry in enumerate(entries):
                if isinstance(entry, str):
                    yield key, (*st.path, element, key, i), entry


def _actions(st: Statement) -> list[tuple[Path, str]]:
    return st.strings("Action")


def _is_saml(value: str) -> bool:
    return bool(_SAML_ARN.match(value))


def _oidc_provider(value: str) -> str | None:
    """The condition-key prefix of an OIDC provider principal (``token.actions.githubusercontent.com``), or
    None when the value is not an OIDC provider."""
    m = _OIDC_ARN.match(value)
    if m:
        return m.group(1)
    if _DOMAIN.match(value):
        return value
    return None



@check("principals", "UNSUPPORTED_PRINCIPAL")
def unsupported_principal(ctx: LintContext) -> None:
    """Identity-based policies (and permissions boundaries and session policies) take no Principal."""
    if ctx.kind not in NO_PRINCIPAL_KINDS:
        return
    for st in ctx.statements:
        for element in ("Principal", "NotPrincipal"):
            if element in st.data:
                ctx.report("UNSUPPORTED_PRINCIPAL", (*st.path, element),
                           f"The policy type {_POLICY_TYPE.get(ctx.kind, ctx.kind)} does not "
                           f"support the Principal element "
                           f"(`{element}`). Remove the Principal element.",
                           hint=f"remove {element}", on_key=True)


def _principal_kinds(kind: str) -> bool:
    return kind in ("resource", "trust")


@check("principals", "INVALID_PRINCIPAL_FORMAT", "INVALID_PRINCIPAL_KEY")
def principal_format(ctx: LintContext) -> None:
    """A principal is ``"*"`` or an object whose keys are AWS, CanonicalUser, Federated or Service, each with a
    string or a list of strings."""
    if not _principal_kinds(ctx.kind):
        return
    for st in ctx.statements:
        for element in ("Principal", "NotPrincipal"):
            if element not in st.data:
                continue
            value = st.data[element]
            path = (*st.path, element)
            if isinstance(value, str):
                if value != "*":
                    ctx.report("INVALID_PRINCIPAL_FORMAT", path, f"{_FORMAT} (`{element}`: `{value}`)",
                               hint='use "*" or an object such as {"AWS": "123456789012"}')
                continue
            if not isinstance(value, Mapping):
                ctx.report("INVALID_PRINCIPAL_FORMAT", path, f"{_FORMAT} (`{element}` is not an object or \"*\")",
                           hint='use an object such as {"AWS": "123456789012"}')
                continue
            for key, entries in value.items():
                if key not in PRINCIPAL_KEYS:
                    ctx.report("INVALID_PRINCIPAL_KEY", (*path, key), f"The principal key {key} is not valid.",
                               hint="use AWS, CanonicalUser, Federated or Service", on_key=True)
                    continue
                items: list[Any] = entries if isinstance(entries, list) else [entries]
                for i, item in enumerate(items):
                    if not isinstance(item, str):
                        at = (*path, key, i) if isinstance(entries, list) else (*path, key)
                        ctx.report("INVALID_PRINCIPAL_FORMAT", at, f"{_FORMAT} (a `{key}` principal is not a string)",
                                   hint="write the principal as a string")


@check("principals", "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL")
def principal_wildcards(ctx: LintContext) -> None:
    """Wildcards are not patterns in principals: only ``"*"`` and ``{"AWS": "*"}`` mean everyone, and a role
    trust policy does not take ``"Principal": "*"``."""
    if not _principal_kinds(ctx.kind):
        return
    for st in ctx.statements:
        if ctx.kind == "trust" and st.data.get("Principal") == "*":
            ctx.report("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", (*st.path, "Principal"),
                       "\"Principal:\" \"*\" is not supported in the principal element of a role trust policy. "
                       "Replace the wildcard with a valid principal value.",
                       hint="name the principals that may assume the role")
        for element in ("Principal", "NotPrincipal"):
            for key, path, value in principal_entries(st, element):
                if key not in PRINCIPAL_KEYS or ("*" not in value and "?" not in value):
                    continue
                if key == "AWS" and value == "*":
                    continue
                ctx.report("UNSUPPORTED_WILDCARD_IN_PRINCIPAL", path,
                           f"Wildcards (*, ?) are not supported with the principal key {key}. "
                           f"Replace the wildcard with a "
                           f"valid principal value (`{value}`).",
                           hint="name a specific principal")


@check("principals", "ALLOW_WITH_NOT_PRINCIPAL")
def allow_not_principal(ctx: LintContext) -> None:
    """``Allow`` with ``NotPrincipal`` grants everyone else, including anonymous callers."""
    if ctx.kind != "resource":
        return
    for st in ctx.statements:
        if st.effect == "Allow" and "NotPrincipal" in st.data:
            ctx.report("ALLOW_WITH_NOT_PRINCIPAL", (*st.path, "NotPrincipal"),
                       "Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal "
                       "instead.", hint="use Principal instead",
                       on_key=True)


@check("principals", "INVALID_ROLE_REFERENCE", "INVALID_USER_REFERENCE")
def unique_ids(ctx: LintContext) -> None:
    """A role or user unique ID (``AROA...``, ``AIDA...``) in a principal breaks when the role or user is
    recreated; use its ARN."""
    if not _principal_kinds(ctx.kind):
        return
    for st in ctx.statements:
        for element in ("Principal", "NotPrincipal"):
            for key, path, value in principal_entries(st, element):
                if key == "AWS" and _UNIQUE_ID.match(value):
                    if value.startswith("AROA"):
                        ctx.report("INVALID_ROLE_REFERENCE", path, "The Principal element includes "
                                   f"the IAM role ID {value}. We recommend that you use a role ARN "
                                   "instead.", hint="use the role ARN")
                    else:
                        ctx.report("INVALID_USER_REFERENCE", path, "The Principal element includes "
                                   f"the IAM user ID {value}. We recommend that you use a user ARN "
                                   "instead.", hint="use the user ARN")


@check("principals", "FEDERATED_PRINCIPAL_NOT_SUPPORTED", "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY")
def federated(ctx: LintContext) -> None:
    """Federated principals belong in role trust policies, as a domain name or a SAML/OIDC provider ARN."""
    for st in ctx.statements:
        for key, path, value in principal_entries(st):
            if key != "Federated":
                continue
            if ctx.kind == "resource":
                ctx.report("FEDERATED_PRINCIPAL_NOT_SUPPORTED", path,
                           "The policy type does not support a federated identity provider in the "
                           "principal element. Use a "
                           f"supported principal (`{value}`).",
                           hint="use an AWS or Service principal")
            elif ctx.kind == "trust" and not (_is_saml(value) or _oidc_provider(value)):
                ctx.report("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", path,
                           "The principal value specifies a federated principal that does not match "
                           "the expected format. "
                           f"Update the federated principal to a domain name or a SAML metadata ARN (`{value}`).",
                           hint="use a domain name or arn:aws:iam::ACCOUNT:saml-provider/NAME")


@check("principals", "MISMATCHED_ACTION_FOR_PRINCIPAL")
def mismatched_action(ctx: LintContext) -> None:
    """``sts:AssumeRoleWithSAML`` takes SAML provider principals and ``sts:AssumeRoleWithWebIdentity`` OIDC
    provider principals."""
    if ctx.kind != "trust":
        return
    for st in ctx.statements:
        entries = list(principal_entries(st))
        if not entries:
            continue
        for path, action in _actions(st):
            low = action.lower()
            if low == "sts:assumerolewithsaml":
                wrong = [v for k, _p, v in entries if not (k == "Federated" and _is_saml(v))]
            elif low == "sts:assumerolewithwebidentity":
                wrong = [v for k, _p, v in entries
                         if not (k == "Federated" and not _is_saml(v) and _oidc_provider(v))]
            else:
                continue
            if wrong:
                ctx.report("MISMATCHED_ACTION_FOR_PRINCIPAL", path,
                           f"The {action} action is invalid with the following principal(s): "
                           f"{', '.join(wrong)}. Use a SAML "
                           "provider principal with the sts:AssumeRoleWithSAML action or use an "
                           "OIDC provider principal "
                           "with the sts:AssumeRoleWithWebIdentity action.",
                           hint="use a SAML provider with sts:AssumeRoleWithSAML, an OIDC provider with "
                           "sts:AssumeRoleWithWebIdentity")


def _allows(st: Statement, action: str) -> bool:
    """Whether the statement's Action or NotAction covers ``action`` (IAM glob, case-insensitive)."""
    if "Action" in st.data:
        return any(glob_match(a, action, ignore_case=True) for _p, a in st.strings("Action"))
    if "NotAction" in st.data:
        return not any(glob_match(a, action, ignore_case=True) for _p, a in st.strings("NotAction"))
    return False


@check("principals", "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY")
def roles_anywhere(ctx: LintContext) -> None:
    """IAM Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession."""
    if ctx.kind != "trust":
        return
    for st in ctx.statements:
        if st.effect != "Allow":
            continue
        if not any(k == "Service" and v.lower() == ROLES_ANYWHERE for k, _p, v in principal_entries(st)):
            continue
        missing = [a for a in ROLES_ANYWHERE_ACTIONS if not _allows(st, a)]
        if missing:
            element = "Action" if "Action" in st.data else "NotAction" if "NotAction" in st.data else "Principal"
            ctx.report("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", (*st.path, element),
                       f"The {ROLES_ANYWHERE} service principal requires the sts:AssumeRole, "
                       f"sts:SetSourceIdentity, and "
                       f"sts:TagSession permissions to assume a role (missing: `{', '.join(missing)}`).",
                       hint="add the missing actions",
                       on_key=True)


@check("principals", "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", "MISSING_GITHUB_REPO_CONDITION_KEY",
       "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED")
def oidc_conditions(ctx: LintContext) -> None:
    """An OIDC principal needs a condition on its own claims; GitHub needs ``:sub`` naming a repository (and a
    branch, in ``:sub`` or ``:ref``)."""
    if ctx.kind != "trust":
        return
    for st in ctx.statements:
        if st.effect != "Allow":
            continue
        keys = condition_keys(st)
        for key, path, value in principal_entries(st):
            if key != "Federated" or _is_saml(value):
                continue
            provider = _oidc_provider(value)
            if provider is None:
                continue
            prefix = provider.lower() + ":"
            if provider.lower() == GITHUB:
                if prefix + "sub" not in keys:
                    ctx.report("MISSING_GITHUB_REPO_CONDITION_KEY", path,
                               "Granting a federated GitHub principal permissions without a "
                               "condition key can allow more "
                               f"sources to assume the role than you intended. Add the {GITHUB}:sub condition key "
                               f"(`{value}`).",
                               hint=f"add {GITHUB}:sub naming the repository and branch")
                    continue
                has_ref = prefix + "ref" in keys
                for c in clauses(st):
                    if c.key_lower != prefix + "sub" or has_ref:
                        continue
                    for vpath, text in c.values():
                        if "*" in text:
                            ctx.report("SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", vpath,
                                       f"Using a wildcard (*) in {GITHUB}:sub can allow requests "
                                       f"from more sources than you "
                                       f"intended (`{text}`). Specify the repository and branch name.",
                                       hint="name the repository and branch")
            elif not any(k.startswith(prefix) for k in keys):
                ctx.report("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", path,
                           "Using an Open ID Connect principal without a condition can be overly "
                           "permissive. Add condition "
                           f"keys with the prefix `{provider}:` (`{value}`).",
                           hint=f"add a condition such as {provider}:aud")


@check("principals", "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL")
def service_principal_source(ctx: LintContext) -> None:
    """A resource policy that allows a service principal should name the source (``aws:SourceArn``,
    ``aws:SourceAccount``, ``aws:SourceOrgID``, ``aws:SourceOrgPaths``): the confused deputy problem."""
    if ctx.kind != "resource":
        return
    for st in ctx.statements:
        if st.effect != "Allow":
            continue
        services = [(p, v) for k, p, v in principal_entries(st) if k == "Service"]
        if not services:
            continue
        keys = condition_keys(st)
        if keys & SOURCE_KEYS:
            continue
        others = sorted(k for k in keys if k.startswith("aws:"))
        path, value = services[0]
        if others:
            ctx.report("RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", path,
                       f"To restrict access to the service principal {value} operating on your behalf, we recommend "
                       f"aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, or aws:SourceOrgPaths "
                       f"instead of {others[0]}.",
                       hint="add aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths")
        else:
            ctx.report("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", path,
                       "Granting access to a service principal without specifying a source is overly permissive "
                       f"(`{value}`). Use aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, or aws:SourceOrgPaths.",
                       hint="add aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths")


@check("principals", "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL")
def service_principal_keys(ctx: LintContext) -> None:
    """Keys that describe an IAM principal (``aws:PrincipalOrgID``, ``aws:PrincipalOrgPaths``,
    ``aws:PrincipalTag/...``) are absent when only service principals are named."""
    if ctx.kind not in ("resource", "trust"):
        return
    for st in ctx.statements:
        principal = st.data.get("Principal")
        if not isinstance(principal, Mapping) or set(principal) != {"Service"}:
            continue
        for c in clauses(st):
            if c.key_lower.startswith(PRINCIPAL_ONLY_KEYS):
                ctx.report("UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", c.path,
                           f"The following condition keys are not supported when used with the "
                           f"service principal: {c.key}.",
                           hint="use aws:SourceArn, aws:SourceAccount or aws:SourceOrgID", on_key=True)


@check("principals", "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY")
def redundant_session_principal(ctx: LintContext) -> None:
    """An assumed-role session principal next to its own role is redundant."""
    if ctx.kind != "trust":
        return
    for st in ctx.statements:
        entries = [(p, v) for k, p, v in principal_entries(st) if k == "AWS"]
        roles = set()
        for _p, v in entries:
            m = _ROLE_ARN.match(v)
            if m:
                roles.add((m.group(1), m.group(2), m.group(3)))
        for p, v in entries:
            m = _ASSUMED_ROLE_ARN.match(v)
            if m and (m.group(1), m.group(2), m.group(3)) in roles:
                ctx.report("REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", p,
                           f"The assumed-role principal {v} is redundant with its parent role {m.group(3)}. Remove the "
                           "assumed-role principal.", hint="remove the assumed-role principal")
