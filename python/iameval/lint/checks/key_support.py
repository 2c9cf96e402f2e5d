"""Condition keys and the actions, services and policies they apply to.

Access Analyzer's reference page (``access-analyzer-reference-policy-checks``) states these four checks:

- ``UNSUPPORTED_ACTION_FOR_CONDITION_KEY`` (error): "The following actions: {{actions}} are not supported by
  the condition key {{key}}. The condition will not be evaluated for these actions." An action supports a
  service key when AWS's catalog lists the key for the action or for one of its resource types. The page's
  note: "If the Action element has actions with wildcards, IAM Access Analyzer doesn't evaluate those actions
  for this error." Only actions of the key's own service are judged (a ``kms:`` key says nothing of ``s3:``
  actions, and cross-service keys such as ``kms:ViaService`` are used exactly that way); ``aws:`` keys are the
  tag checks' business (:mod:`iameval.lint.checks.tags`); unknown actions and keys are other checks' findings.
- ``MISSING_ACTION_FOR_CONDITION_KEY`` (error): "The {{actionName}} action must be in the action block to
  allow setting values for the condition key {{keyName}}." Values are *set* by an action for the keys of a
  role session: session tags (``aws:RequestTag/…``, ``aws:TagKeys``, ``sts:TransitiveTagKeys``) by
  ``sts:TagSession``, the source identity (``sts:SourceIdentity``) by ``sts:SetSourceIdentity``, and the
  context (``sts:RequestContext/…``, ``sts:RequestContextProviders``) by ``sts:SetContext``. Judged in Allow
  statements that grant a role assumption (``sts:AssumeRole*``) with Action, and reported only when no Allow
  statement of the policy grants the setting action (IAM's guide grants ``sts:TagSession`` in a statement of
  its own beside an ``sts:AssumeRole`` statement that requires tags). Our reading of the page's one sentence.
- ``USE_CONDITION_KEY_ONLY_WITH_SUPPORTED_SERVICES`` (warning): "The condition key {{key}} works only with
  specific AWS services and must be scoped to supported services in your policies", for the keys the page
  links: ``aws:VpceAccount``, ``aws:VpceOrgID``, ``aws:VpceOrgPaths``. Reported when the statement's actions
  reach beyond the services that support them: ``NotAction``, ``*``, a wildcard service, or a service not in
  :data:`VPCE_KEY_SERVICES`.
- ``IRRELEVANT_CONDITION_KEY_IN_POLICY`` (suggestion): "The condition key {{condition-key}} is not relevant
  for the {{resource-type}} policy. Use this key in an identity-based policy to govern access to this
  resource." The page's one example, and the only case implemented: ``s3:ResourceAccount`` in the policy of
  an S3 bucket or access point (``--resource-type``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from iameval.lint.checks.service_keys import service_key
from iameval.lint.clauses import Clause, clauses
from iameval.lint.context import LintContext, Statement
from iameval.lint.registry import check
from iameval.lint.wildcards import action_matches

if TYPE_CHECKING:
    from iameval.catalog import ActionInfo, Catalog

__all__ = ["VPCE_KEY_SERVICES", "action_supports_key"]

_WILDCARD = re.compile(r"[*?]")

#: the services that support ``aws:VpceAccount``, ``aws:VpceOrgID`` and ``aws:VpceOrgPaths``: the service
#: prefixes of AWS's data perimeter example that enforces them for every supporting service
#: (aws-samples/data-perimeter-policy-examples ``service_control_policies/network_perimeter_vpceorgid_scp.json``,
#: 2026-03-18; the global condition keys page lists the same services). A service AWS adds later is reported
#: until this list learns it.
VPCE_KEY_SERVICES = frozenset({
    "acm-pca", "applicationinsights", "apprunner", "athena", "b2bi", "cassandra", "cloudformation",
    "cognito-identity", "comprehendmedical", "compute-optimizer", "datasync", "discovery", "dms", "ds-data", "ebs",
    "ecr", "ecs", "firehose", "healthlake", "identitystore", "iotfleetwise", "iottwinmaker", "iotwireless",
    "kinesisanalytics", "kms", "lambda", "medical-imaging", "network-firewall", "omics", "payment-cryptography",
    "polly", "pricing", "rbin", "rekognition", "route53", "s3", "scheduler", "servicediscovery", "servicequotas",
    "ses", "sms-voice", "sqs", "ssm-contacts", "storagegateway", "textract", "transcribe", "transfer", "workmail",
})
_VPCE_KEYS = frozenset({"aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths"})

#: resource policy types for which ``s3:ResourceAccount`` is irrelevant (the page: "the resource-based policy
#: attached to an Amazon S3 bucket or Amazon S3 access point resource type")
_S3_POLICY_TYPES = frozenset({"aws::s3::bucket", "aws::s3::accesspoint", "aws::s3::multiregionaccesspoint",
                              "aws::s3objectlambda::accesspoint", "aws::s3express::directorybucket"})
_IRRELEVANT_IN_S3_POLICIES = frozenset({"s3:resourceaccount"})

#: the action that sets the values of a role-session key (exact keys, then key prefixes)
_SETTING_ACTION = {"aws:tagkeys": "sts:TagSession", "sts:transitivetagkeys": "sts:TagSession",
                   "sts:sourceidentity": "sts:SetSourceIdentity", "sts:requestcontextproviders": "sts:SetContext"}
_SETTING_PREFIX = (("aws:requesttag/", "sts:TagSession"), ("sts:requestcontext/", "sts:SetContext"))

#: per catalog directory: lower-cased action name -> the key families it supports (exact names, template bases)
_SUPPORT: dict[str, dict[str, tuple[frozenset[str], tuple[str, ...]]]] = {}


def _key_forms(catalog: Catalog, info: ActionInfo) -> tuple[frozenset[str], tuple[str, ...]]:
    """The condition keys an action supports: exact names and template bases (lower case). The catalog writes a
    key's variable part as ``${TagKey}``, ``<key>`` or a placeholder word after a slash (``tag-key``), so a key
    with a slash is a template on the part up to it, and one with ``${`` on the part before that."""
    names = list(info.condition_keys)
    for resource in info.resource_types:
        names.extend(resource.condition_keys)
        rt = catalog.resource_type(info.service, resource.name)
        if rt is not None:
            names.extend(rt.condition_keys)
    exact: set[str] = set()
    bases: set[str] = set()
    for name in names:
        low = name.lower()
        slash = low.find("/")
        brace = low.find("${")
        if slash >= 0:
            bases.add(low[: slash + 1])
        elif brace >= 0:
            bases.add(low[:brace])
        else:
            exact.add(low)
    return frozenset(exact), tuple(sorted(bases))


def action_supports_key(catalog: Catalog, action: str, key: str) -> bool | None:
    """Whether AWS's catalog lists condition key ``key`` for ``action`` or for one of its resource types
    (templates match any concrete key: ``dms:task-tag/${TagKey}`` is ``dms:task-tag/Project``); None for an
    action the catalog does not know."""
    table = _SUPPORT.setdefault(catalog.path, {})
    low = action.lower()
    forms = table.get(low)
    if forms is None:
        info = catalog.action(action)
        if info is None:
            return None
        if len(table) > 50_000:
            table.clear()
        forms = table[low] = _key_forms(catalog, info)
    exact, bases = forms
    k = key.lower()
    return k in exact or any(k.startswith(b) and len(k) > len(b) for b in bases)


def _key_service(c: Clause) -> str | None:
    """The service prefix of a service condition key (``kms`` of ``kms:ViaService``), or None for global keys,
    identity-provider claims and malformed keys."""
    prefix, colon, name = c.key.partition(":")
    low = prefix.lower()
    if not (colon and name and prefix) or low == "aws" or "." in low or _WILDCARD.search(prefix):
        return None
    return low


@check("conditions", "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", needs_catalog=True, condition_only=True)
def unsupported_actions(ctx: LintContext) -> None:
    """A service condition key in a statement listing (without wildcards) actions of that service that the key
    does not apply to: the condition is not evaluated for them."""
    catalog = None
    for st in ctx.statements:
        keyed = [(c, service) for c in clauses(st) if (service := _key_service(c)) is not None]
        if not keyed or "Action" not in st.data:
            continue
        if catalog is None:
            catalog = ctx.catalog
            if catalog is None:
                return
        actions = [a for _path, a in st.strings("Action") if not _WILDCARD.search(a)]
        seen: set[str] = set()
        for c, service in keyed:
            if c.key_lower in seen or service_key(catalog, c) is None:
                continue  # a key twice is judged once; an unknown key is INVALID_SERVICE_CONDITION_KEY's
            seen.add(c.key_lower)
            unsupported = [a for a in actions if a.partition(":")[0].lower() == service
                           and action_supports_key(catalog, a, c.key) is False]
            if unsupported:
                listed = ", ".join(dict.fromkeys(unsupported))
                ctx.report("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", c.path,
                           f"the following actions: {listed} are not supported by the condition key `{c.key}`; "
                           "the condition will not be evaluated for these actions",
                           hint="move these actions to a different statement without this condition key",
                           on_key=True)


def _setting_action(key_lower: str) -> str | None:
    found = _SETTING_ACTION.get(key_lower)
    if found is None:
        for prefix, action in _SETTING_PREFIX:
            if key_lower.startswith(prefix) and len(key_lower) > len(prefix):
                return action
    return found


def _assumes_role(st: Statement) -> bool:
    return any(a.lower().startswith("sts:assumerole") for _path, a in st.strings("Action"))


@check("conditions", "MISSING_ACTION_FOR_CONDITION_KEY", condition_only=True)
def missing_setting_action(ctx: LintContext) -> None:
    """An Allow that grants a role assumption and tests a key whose values another STS action sets (session tags:
    ``sts:TagSession``; source identity: ``sts:SetSourceIdentity``; context: ``sts:SetContext``) in a policy
    whose Allow statements never grant that action: the values cannot be passed, so the condition is never met.
    A grant in another statement of the policy counts: IAM's guide splits ``sts:AssumeRole`` (requiring tags
    with ``aws:RequestTag/Project: *``) and ``sts:TagSession`` (limiting their values) into two statements."""
    granted: list[str] | None = None
    for st in ctx.statements:
        if st.effect != "Allow" or "Action" not in st.data or not _assumes_role(st):
            continue
        reported: set[str] = set()
        for c in clauses(st):
            needed = _setting_action(c.key_lower)
            if needed is None or c.key_lower in reported:
                continue
            if granted is None:
                granted = [a for s in ctx.statements if s.effect == "Allow" for _path, a in s.strings("Action")]
            if not any(action_matches(a, needed) for a in granted):
                reported.add(c.key_lower)
                ctx.report("MISSING_ACTION_FOR_CONDITION_KEY", c.path,
                           f"the {needed} action must be in the action block to allow setting values for the "
                           f"condition key `{c.key}`", hint=f"add {needed} to the action block", on_key=True)


def _reaches_unsupported_service(st: Statement) -> bool:
    if "NotAction" in st.data:
        return True
    for _path, action in st.strings("Action"):
        prefix, colon, _rest = action.partition(":")
        if not colon or _WILDCARD.search(prefix) or prefix.lower() not in VPCE_KEY_SERVICES:
            return True  # ``*``, ``s*:Get*`` or a service without the key
    return False


@check("conditions", "USE_CONDITION_KEY_ONLY_WITH_SUPPORTED_SERVICES", condition_only=True)
def vpce_keys_scoped(ctx: LintContext) -> None:
    """``aws:VpceAccount``, ``aws:VpceOrgID`` and ``aws:VpceOrgPaths`` in a statement whose actions are not all
    of services that support them."""
    for st in ctx.statements:
        keyed = [c for c in clauses(st) if c.key_lower in _VPCE_KEYS]
        if not keyed or not _reaches_unsupported_service(st):
            continue
        for c in keyed:
            ctx.report("USE_CONDITION_KEY_ONLY_WITH_SUPPORTED_SERVICES", c.path,
                       f"the condition key `{c.key}` works only with specific AWS services and must be scoped to "
                       "supported services in your policies",
                       hint="list only actions of services that support the key in this statement", on_key=True)


@check("conditions", "IRRELEVANT_CONDITION_KEY_IN_POLICY", condition_only=True)
def irrelevant_keys(ctx: LintContext) -> None:
    """``s3:ResourceAccount`` in the policy of an S3 bucket or access point (``--resource-type``)."""
    if ctx.kind != "resource" or ctx.resource_type is None or ctx.resource_type.lower() not in _S3_POLICY_TYPES:
        return
    for st in ctx.statements:
        for c in clauses(st):
            if c.key_lower in _IRRELEVANT_IN_S3_POLICIES:
                ctx.report("IRRELEVANT_CONDITION_KEY_IN_POLICY", c.path,
                           f"the condition key `{c.key}` is not relevant for the {ctx.resource_type} policy",
                           hint="use this key in an identity-based policy to govern access to this resource",
                           on_key=True)
