"""Policy-type rules: what SCPs, RCPs and role trust policies may not contain, and the size quotas.

SCPs follow the full current grammar (``Allow`` statements may have ``Condition``, ``NotAction`` and
``Resource``): only principals and wildcards inside action names are errors. RCPs name ``*`` as principal, list
actions (no ``NotAction``) of the services that support RCPs (:data:`iameval.RCP_SERVICES`), and allow only with
``"Principal": "*"``, ``"Resource": "*"`` and no ``Condition`` (AWS's ``RCPFullAWSAccess``). A role trust policy
names principals but not resources, and not with ``NotPrincipal``.
"""

from __future__ import annotations

import json
import re

from iameval.lint.context import LintContext
from iameval.lint.registry import check

#: IAM's quota for a managed identity policy, in characters without whitespace: the AA page, "Policy size exceeds
#: identity policy quota": "the size of each managed policy cannot exceed the default quota of 6,144 characters.
#: IAM does not count white space" (IAM_RULES.md: identity 6,144 / managed 6,144)
IDENTITY_POLICY_QUOTA = 6_144
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

#: what ``"Resource"`` of an allowing RCP statement may be: all resources
_ALL = ("*", ["*"])
_RCP_PRINCIPAL = ('The Principal element contents are not valid. RCPs only support specifying all principals ("*") in '
                  "the Principal element. The NotPrincipal element is not supported for RCPs.")

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
                ctx.report("SCP_SYNTAX_ERROR_PRINCIPAL", (*st.path, name), "SCPs do not support specifying "
                           f"principals. Remove the Principal or NotPrincipal element (`{name}`).",
                           hint="remove it; to match principals use the `aws:PrincipalArn` condition key",
                           on_key=True)
        for name in ("Action", "NotAction"):
            for path, action in st.strings(name):
                star = action.find("*")
                if star != -1 and star != len(action) - 1:
                    ctx.report("SCP_SYNTAX_ERROR_ACTION_WILDCARD", path,
                               f"SCP actions can include wildcards (*) only at the end of a string. Update `{action}`.",
                               hint="SCP actions take `*` only at the end: list the actions instead",
                               substring=(star, 1))


@check("policy_type", "RCP_SYNTAX_ERROR_PRINCIPAL", "RCP_SYNTAX_ERROR_ALLOW", "RCP_SYNTAX_ERROR_NOTACTION",
       "RCP_SYNTAX_ERROR_ACTION")
def rcp_rules(ctx: LintContext) -> None:
    """RCP statements name ``"Principal": "*"``, list actions (not ``NotAction``) of services that support RCPs,
    and allow only with ``"Principal": "*"``, ``"Resource": "*"`` and no ``Condition``.

    AA page, "RCP syntax error allow": "RCPs only support specifying all principals ("*") in the Principal
    element, all resources ("*") in the Resource element, and no Condition element with an effect of Allow": an
    ``Allow`` statement such as AWS's ``RCPFullAWSAccess`` (``"Principal": "*"``, ``"Action": "*"``,
    ``"Resource": "*"``) is valid."""
    if ctx.kind != "rcp":
        return
    from iameval import RCP_SERVICES

    services = {s.lower() for s in RCP_SERVICES}
    for st in ctx.statements:
        if st.effect == "Allow" and (st.data.get("Principal") != "*" or st.data.get("Resource") not in _ALL
                                     or "Condition" in st.data):
            ctx.report("RCP_SYNTAX_ERROR_ALLOW", (*st.path, "Effect"), 'RCPs only support specifying all principals '
                       '("*") in the Principal element, all resources ("*") in the Resource element, and no Condition '
                       "element with an effect of Allow.",
                       hint='use "Effect": "Deny", or allow with "Principal": "*", "Resource": "*" and no Condition')
        if "NotPrincipal" in st.data:
            ctx.report("RCP_SYNTAX_ERROR_PRINCIPAL", (*st.path, "NotPrincipal"), _RCP_PRINCIPAL,
                       hint='use "Principal": "*" and conditions on the principal', on_key=True)
        if "Principal" in st.data and st.data["Principal"] != "*":
            ctx.report("RCP_SYNTAX_ERROR_PRINCIPAL", (*st.path, "Principal"), _RCP_PRINCIPAL,
                       hint='use "Principal": "*" and conditions such as `aws:PrincipalAccount`')
        if "NotAction" in st.data:
            ctx.report("RCP_SYNTAX_ERROR_NOTACTION", (*st.path, "NotAction"), "RCPs do not support the NotAction "
                       "element. Update to use the Action element.",
                       hint="list the denied actions in `Action`", on_key=True)
        for path, action in st.strings("Action"):
            service, colon, _ = action.partition(":")
            if colon and "*" not in service and "?" not in service and service.lower() not in services:
                ctx.report("RCP_SYNTAX_ERROR_ACTION", path,
                           "RCPs only support specifying select service prefixes in the Action element: "
                           f"`{service}` (of `{action}`) is not one of them",
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
                       "Role trust policies do not support NotPrincipal. Update the policy to use a Principal element "
                       "instead.",
                       hint="name the principals that may assume the role in `Principal`", on_key=True)
        for name in ("Resource", "NotResource"):
            if name in st.data:
                ctx.report("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", (*st.path, name),
                           "Role trust policies apply to the role that they are attached to. You cannot specify a "
                           f"resource. Remove the Resource or NotResource element (`{name}`).",
                           hint="remove it: the resource of a trust policy is the role itself", on_key=True)


@check("policy_type", "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
       "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
       "POLICY_SIZE_EXCEEDS_RCP_QUOTA")
def size_quotas(ctx: LintContext) -> None:
    """The policy fits its type's size quota: identity policies and permissions boundaries 6,144 characters
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
                       "The characters in the role trust policy, excluding whitespace, exceed the character maximum: "
                       f"{size}, more than the default quota of {TRUST_POLICY_QUOTA}",
                       hint="shorten it, or ask for a higher quota (up to 8,192)")
    elif ctx.kind in ("scp", "rcp"):
        code, quota = (("POLICY_SIZE_EXCEEDS_SCP_QUOTA", SCP_QUOTA) if ctx.kind == "scp"
                       else ("POLICY_SIZE_EXCEEDS_RCP_QUOTA", RCP_QUOTA))
        if len(ctx.text) > quota:
            name = "service control policy (SCP)" if ctx.kind == "scp" else "resource control policy (RCP)"
            ctx.report(code, (), f"The {len(ctx.text)} characters in the {name} exceed the {quota} character "
                       f"maximum for {ctx.kind.upper()}s. We recommend that you use multiple granular policies.",
                       hint="remove whitespace outside strings, or split it into several policies")
    elif ctx.kind == "resource" and ctx.resource_type in RESOURCE_POLICY_QUOTAS:
        quota = RESOURCE_POLICY_QUOTAS[ctx.resource_type]
        if len(ctx.text) > quota:
            ctx.report("POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", (),
                       f"The {len(ctx.text)} characters in the resource policy exceed the {quota} character maximum "
                       f"for resource policies ({ctx.resource_type}). We recommend that you use multiple granular "
                       "policies.", hint=hint)


__all__ = ["chars_without_whitespace"]
