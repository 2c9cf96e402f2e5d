"""Policy-type rules: what SCPs, RCPs and role trust policies may not contain, and the size quotas.

SCPs follow the full current grammar (``Allow`` statements may have ``Condition``, ``NotAction`` and
``Resource``): only principals and wildcards inside action names are errors. RCPs deny only, name ``*`` as
principal, list actions (no ``NotAction``) of the services that support RCPs (:data:`iameval.RCP_SERVICES`).
A role trust policy names principals but not resources, and not with ``NotPrincipal``.
"""

from __future__ import annotations

import json
import re

from iameval.lint.context import LintContext
from iameval.lint.registry import check

#: IAM's quota for a customer managed or inline identity policy, in characters without whitespace (IAM and
#: AWS STS quotas: role inline policies 10,240 in total; Access Analyzer's check, as the issue states it)
IDENTITY_POLICY_QUOTA = 10_240
#: a role trust policy: 2,048 characters without whitespace (the default quota; it can be raised to 8,192)
TRUST_POLICY_QUOTA = 2_048
#: AWS Organizations' maximum size of an SCP and of an RCP: 5,120 characters, whitespace included
SCP_QUOTA = 5_120
RCP_QUOTA = 5_120
#: resource policy size quotas per resource type (each service's quota page), in characters of the text
RESOURCE_POLICY_QUOTAS = {
    "AWS::S3::Bucket": 20_480,  # S3 bucket policies: 20 KB
    "AWS::KMS::Key": 32_768,  # KMS key policies: 32 KB
    "AWS::SecretsManager::Secret": 20_480,  # Secrets Manager resource policies: 20 KB
}

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BLANK = re.compile(r"[ \t\n\r]+")


def chars_without_whitespace(text: str) -> int:
    """The characters of a JSON text without the whitespace between tokens (whitespace inside strings counts),
    the way IAM measures a policy against its quotas. (Strings are blanked out first, then the whitespace left
    is counted: two passes of the regex engine, no Python loop over tokens.)"""
    outside = _STRING.sub('""', text)
    blanks = len(outside) - len(_BLANK.sub("", outside))
    return len(text) - blanks


def _size_without_whitespace(ctx: LintContext) -> int:
    """:func:`chars_without_whitespace` of the policy text; from ``json.dumps`` (the C encoder) when the text is
    known to serialize the same way (no escape, float or duplicate key: the runner says so)."""
    if ctx.canonical_text:
        return len(json.dumps(ctx.doc, separators=(",", ":"), ensure_ascii=False))
    return chars_without_whitespace(ctx.text)


@check("policy_type", "SCP_SYNTAX_ERROR_ACTION_WILDCARD", "SCP_SYNTAX_ERROR_PRINCIPAL")
def scp_rules(ctx: LintContext) -> None:
    """SCPs name no principal, and wildcards in their actions come only at the end (``iam:Get*``, not
    ``iam:*Role``)."""
    if ctx.kind != "scp":
        return
    for st in ctx.statements:
        for name in ("Principal", "NotPrincipal"):
            if name in st.data:
                ctx.report("SCP_SYNTAX_ERROR_PRINCIPAL", (*st.path, name), f"an SCP cannot have `{name}`",
                           hint="remove it; to match principals use the `aws:PrincipalArn` condition key",
                           on_key=True)
        for name in ("Action", "NotAction"):
            for path, action in st.strings(name):
                star = action.find("*")
                if star != -1 and star != len(action) - 1:
                    ctx.report("SCP_SYNTAX_ERROR_ACTION_WILDCARD", path,
                               f"`{action}` has a wildcard before its end",
                               hint="SCP actions take `*` only at the end: list the actions instead",
                               substring=(star, 1))


@check("policy_type", "RCP_SYNTAX_ERROR_PRINCIPAL", "RCP_SYNTAX_ERROR_ALLOW", "RCP_SYNTAX_ERROR_NOTACTION",
       "RCP_SYNTAX_ERROR_ACTION")
def rcp_rules(ctx: LintContext) -> None:
    """RCP statements deny, name ``"Principal": "*"``, list actions (not ``NotAction``) of services that
    support RCPs."""
    if ctx.kind != "rcp":
        return
    from iameval import RCP_SERVICES

    services = {s.lower() for s in RCP_SERVICES}
    for st in ctx.statements:
        if st.effect == "Allow":
            ctx.report("RCP_SYNTAX_ERROR_ALLOW", (*st.path, "Effect"), "an RCP statement cannot allow",
                       hint='use "Effect": "Deny" (only AWS\'s RCPFullAWSAccess allows)')
        if "NotPrincipal" in st.data:
            ctx.report("RCP_SYNTAX_ERROR_PRINCIPAL", (*st.path, "NotPrincipal"), "an RCP cannot have `NotPrincipal`",
                       hint='use "Principal": "*" and conditions on the principal', on_key=True)
        if "Principal" in st.data and st.data["Principal"] != "*":
            ctx.report("RCP_SYNTAX_ERROR_PRINCIPAL", (*st.path, "Principal"),
                       'the principal of an RCP statement must be "*"',
                       hint='use "Principal": "*" and conditions such as `aws:PrincipalAccount`')
        if "NotAction" in st.data:
            ctx.report("RCP_SYNTAX_ERROR_NOTACTION", (*st.path, "NotAction"), "an RCP cannot have `NotAction`",
                       hint="list the denied actions in `Action`", on_key=True)
        for path, action in st.strings("Action"):
            service, colon, _ = action.partition(":")
            if colon and "*" not in service and "?" not in service and service.lower() not in services:
                ctx.report("RCP_SYNTAX_ERROR_ACTION", path,
                           f"the service `{service}` of `{action}` does not support RCPs",
                           hint="RCPs apply to the services listed in AWS Organizations' RCP documentation",
                           substring=(0, len(service)))


@check("policy_type", "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE")
def trust_rules(ctx: LintContext) -> None:
    """A role trust policy names its principals with ``Principal`` and has no ``Resource``/``NotResource``."""
    if ctx.kind != "trust":
        return
    for st in ctx.statements:
        if "NotPrincipal" in st.data:
            ctx.report("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", (*st.path, "NotPrincipal"),
                       "a role trust policy cannot have `NotPrincipal`",
                       hint="name the principals that may assume the role in `Principal`", on_key=True)
        for name in ("Resource", "NotResource"):
            if name in st.data:
                ctx.report("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", (*st.path, name),
                           f"a role trust policy cannot have `{name}`",
                           hint="remove it: the resource of a trust policy is the role itself", on_key=True)


@check("policy_type", "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
       "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
       "POLICY_SIZE_EXCEEDS_RCP_QUOTA")
def size_quotas(ctx: LintContext) -> None:
    """The policy fits its type's size quota: identity policies and permissions boundaries 10,240 characters
    without whitespace, role trust policies 2,048 without whitespace, SCPs and RCPs 5,120 characters, resource
    policies their service's quota (when ``resource_type`` names it)."""
    hint = "split the policy into several smaller policies"
    # the text's length bounds its size without whitespace: most policies are measured without a scan
    if ctx.kind in ("identity", "boundary") and len(ctx.text) > IDENTITY_POLICY_QUOTA:
        size = _size_without_whitespace(ctx)
        if size > IDENTITY_POLICY_QUOTA:
            ctx.report("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", (),
                       f"the policy has {size} characters without whitespace, more than the quota of "
                       f"{IDENTITY_POLICY_QUOTA}", hint=hint)
    elif ctx.kind == "trust" and len(ctx.text) > TRUST_POLICY_QUOTA:
        size = _size_without_whitespace(ctx)
        if size > TRUST_POLICY_QUOTA:
            ctx.report("POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", (),
                       f"the trust policy has {size} characters without whitespace, more than the default quota "
                       f"of {TRUST_POLICY_QUOTA}", hint="shorten it, or ask for a higher quota (up to 8,192)")
    elif ctx.kind in ("scp", "rcp"):
        code, quota = (("POLICY_SIZE_EXCEEDS_SCP_QUOTA", SCP_QUOTA) if ctx.kind == "scp"
                       else ("POLICY_SIZE_EXCEEDS_RCP_QUOTA", RCP_QUOTA))
        if len(ctx.text) > quota:
            ctx.report(code, (), f"the {ctx.kind.upper()} has {len(ctx.text)} characters, more than the maximum of "
                       f"{quota}", hint="remove whitespace outside strings, or split it into several policies")
    elif ctx.kind == "resource" and ctx.resource_type in RESOURCE_POLICY_QUOTAS:
        quota = RESOURCE_POLICY_QUOTAS[ctx.resource_type]
        if len(ctx.text) > quota:
            ctx.report("POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", (),
                       f"the policy has {len(ctx.text)} characters, more than the {ctx.resource_type} quota of "
                       f"{quota}", hint=hint)


__all__ = ["chars_without_whitespace"]
