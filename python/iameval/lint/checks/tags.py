"""Tag condition keys on services that do not support them.

``aws:ResourceTag/<key>``, ``aws:RequestTag/<key>`` and ``aws:TagKeys`` are evaluated only for the actions
that take them (AWS's catalog: the action's condition keys and those of the resource types it names); for the
other actions of the statement the condition is not evaluated, so an Allow allows, and a Deny fails to deny,
more than meant. AA's page: "Some services allow support for the aws:ResourceTag condition key for a subset of
their resources and actions. IAM Access Analyzer returns findings for the service actions that are not
supported" (Amazon S3 is its example), and the finding lists the prefixes of those actions' services. An action
named in full is judged on its own; an action with a wildcard in its name (``ec2:Describe*``, ``s3:*``) is
judged by its service (listed only when no action or resource type of the service takes the key); a wildcard in
the service prefix, ``*`` and actions the catalog does not know are not judged. With ``NotAction`` the statement
covers every service not listed, and some of them never take tag keys. Reported on the condition key, by effect
and element: ``ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE``, ``ALLOW_NOTACTION_...``,
``DENY_WITH_...`` and ``DENY_NOTACTION_...``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from iameval.lint.clauses import clauses
from iameval.lint.context import LintContext
from iameval.lint.registry import check

if TYPE_CHECKING:
    from iameval.catalog import Catalog, TagSupport

__all__ = ["tag_kind"]

_WILDCARD = re.compile(r"[*?]")


def tag_kind(key: str) -> str | None:
    """Which tag key a condition key is: ``resource_tag``, ``request_tag``, ``tag_keys``, or None."""
    low = key.lower()
    if low.startswith("aws:resourcetag/"):
        return "resource_tag"
    if low.startswith("aws:requesttag/"):
        return "request_tag"
    if low == "aws:tagkeys":
        return "tag_keys"
    return None


#: each service's tag support, per catalog directory
_SUPPORT: dict[str, dict[str, TagSupport | None]] = {}
#: the tag kinds each action takes (None: an action the catalog does not know), per catalog directory
_ACTION_KINDS: dict[str, dict[str, frozenset[str] | None]] = {}


def _supports(tags: TagSupport, kind: str) -> bool:
    return bool(getattr(tags, kind))


def _action_kinds(catalog: Catalog, action: str) -> frozenset[str] | None:
    """Which tag keys (``resource_tag``, ``request_tag``, ``tag_keys``) an action takes: its own condition keys
    and those of the resource types it names; None for an action the catalog does not know."""
    cache = _ACTION_KINDS.setdefault(catalog.path, {})
    low = action.lower()
    if low in cache:
        return cache[low]
    info = catalog.action(action)
    found: frozenset[str] | None = None
    if info is not None:
        keys = list(info.condition_keys)
        for resource in info.resource_types:
            keys.extend(resource.condition_keys)
            row = catalog.resource_type(info.service, resource.name)
            if row is not None:
                keys.extend(row.condition_keys)
        found = frozenset(kind for key in keys if (kind := tag_kind(key)) is not None)
    cache[low] = found
    return found


@check("conditions", "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
       "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
       "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
       "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", needs_catalog=True, condition_only=True)
def unsupported_tag_keys(ctx: LintContext) -> None:
    """A tag condition key in a statement with actions of services that do not support it (or with
    ``NotAction``, which covers such services)."""
    for st in ctx.statements:
        if st.effect not in ("Allow", "Deny"):
            continue
        tagged = [(c, kind) for c in clauses(st) if (kind := tag_kind(c.key)) is not None]
        if not tagged:
            continue
        effect = st.effect.upper()
        if "NotAction" in st.data:
            code = f"{effect}_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
            verb = "allows only service actions that support the condition key" if effect == "ALLOW" else \
                "can be overly permissive because some service actions are not denied by this statement"
            for c, _kind in tagged:
                ctx.report(code, c.path,
                           f"Using the effect {st.effect} with NotAction and the tag condition key `{c.key}` {verb}. "
                           "The condition key doesn't apply to some service actions. We recommend that you use "
                           "Action instead of NotAction.",
                           hint="list the actions with Action, or move the tag condition to a statement of "
                           "services that support it", on_key=True)
            continue
        catalog = ctx.catalog
        if catalog is None:
            return
        support = _SUPPORT.setdefault(catalog.path, {})
        services: set[str] = set()  # judged by service: actions with a wildcard in their name
        actions: dict[str, str] = {}  # judged one by one: lower-cased action -> its service
        for _path, action in st.strings("Action"):
            prefix, colon, name = action.partition(":")
            if not colon or not prefix or not name or _WILDCARD.search(prefix):
                continue
            if _WILDCARD.search(name):
                services.add(prefix.lower())
            else:
                actions[action.lower()] = prefix.lower()
        code = f"{effect}_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
        for c, kind in tagged:
            unsupported: set[str] = set()
            for service in services:
                if service not in support:
                    support[service] = catalog.supports_tags(service)
                tags = support[service]
                if tags is not None and not _supports(tags, kind):
                    unsupported.add(service)
            for action, service in actions.items():
                kinds = _action_kinds(catalog, action)
                if kinds is not None and kind not in kinds:
                    unsupported.add(service)
            if unsupported:
                listed = ", ".join(sorted(unsupported))
                if effect == "ALLOW":
                    message = (f"Using the effect Allow with the tag condition key `{c.key}` and actions for services "
                               f"with the following prefixes does not affect the policy: {listed}. Actions for the "
                               "listed service are not allowed by this statement.")
                else:
                    message = (f"Using the effect Deny with the tag condition key `{c.key}` and actions for services "
                               f"with the following prefixes can be overly permissive: {listed}. Actions for the "
                               "listed services are not denied by this statement.")
                ctx.report(code, c.path, message + " We recommend that you move these actions to a different "
                           "statement without this condition key.",
                           hint="move those actions to a statement without the tag condition", on_key=True)
