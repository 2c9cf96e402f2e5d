"""Actions, judged with AWS's action catalog: unknown services and actions, patterns that match no action, and
actions a resource policy's resource type does not take.

Access Analyzer's rules, as its reference page and its findings on real policies show them:

- ``INVALID_SERVICE_IN_ACTION``: the prefix of an ``Action``/``NotAction`` entry is no service (``emr:AddTags``,
  ``apigatewayv2:GET``), and ``*:Describe*`` (a bare ``*`` prefix before a name other than ``*``). A prefix
  with a wildcard and letters (``s*:Get*``) is ``WILDCARD_IN_SERVICE_NAME``'s business.
- ``INVALID_ACTION``: a known service with no action of that name, or a pattern (``s3:Foo*``) that matches no
  action of the service ("did you mean" from the catalog's nearest names).
- ``UNSUPPORTED_ACTION_IN_POLICY``: a resource policy attached to a known resource type
  (``--resource-type AWS::S3::Bucket``) names an action of another service (``kms:Decrypt`` in a bucket
  policy).

The catalog is a snapshot: an action AWS added after it is reported until the catalog is updated
(``iameval catalog update``); a service the catalog does not know is reported only when its prefix is plainly
no service's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from iameval.lint.context import LintContext
from iameval.lint.registry import check
from iameval.lint.wildcards import action_matches
from iameval.reference.hints import closest

if TYPE_CHECKING:
    from iameval.catalog import Catalog

__all__ = [
    "RESOURCE_TYPE_SERVICES",
    "RETIRED_SERVICES",
    "ActionIndex",
    "action_index",
    "matches_any",
    "resource_policy_services",
    "resource_type_services",
]

_WILDCARD = re.compile(r"[*?]")

#: a problem found with an action: code, message, hint and the substring its span covers (None: the value)
Problem = tuple[str, str, str, tuple[int, int] | None]

#: services AWS has retired (or is retiring) and the catalog has dropped, whose actions AWS's own managed
#: policies still list (counted over ../shared/data): an action of theirs is not reported, since Access
#: Analyzer's data may still know them and a finding there would be the catalog's lag, not the policy's error
RETIRED_SERVICES = frozenset({
    "codestar", "deepcomposer", "deeplens", "deepracer", "elastic-inference", "evidently", "gamesparks",
    "iot1click", "iotevents", "iotroborunner", "sagemaker-groundtruth-synthetic", "zocalo",
})

#: the resource types of Access Analyzer's ``validatePolicyResourceType`` and the service prefixes whose actions
#: and ARNs their resource policies take
RESOURCE_TYPE_SERVICES: dict[str, frozenset[str]] = {
    "aws::s3::bucket": frozenset({"s3"}),
    "aws::s3::accesspoint": frozenset({"s3"}),
    "aws::s3::multiregionaccesspoint": frozenset({"s3"}),
    "aws::s3objectlambda::accesspoint": frozenset({"s3-object-lambda"}),
    "aws::s3express::directorybucket": frozenset({"s3express"}),
    "aws::dynamodb::table": frozenset({"dynamodb"}),
    "aws::iam::assumerolepolicydocument": frozenset({"sts"}),
}

class ActionIndex:
    """The lower-cased action names of each service prefix (lower case) of a catalog, read from the catalog the
    first time a prefix is asked for (a lookup here costs nothing, where :meth:`Catalog.expand` scans the
    catalog; most policies name a few of the 450 services)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._names: dict[str, frozenset[str] | None] = {}

    def get(self, prefix: str) -> frozenset[str] | None:
        """The action names of the service ``prefix`` (lower case), None for a prefix the catalog lacks."""
        if prefix in self._names:
            return self._names[prefix]
        service = self._catalog.service(prefix)
        found = None if service is None else frozenset(a.partition(":")[2].lower() for a in service.actions)
        if len(self._names) < 4096:  # bounded: unknown prefixes come from the policies
            self._names[prefix] = found
        return found

    def __contains__(self, prefix: object) -> bool:
        return isinstance(prefix, str) and self.get(prefix) is not None


_INDEX: dict[str, ActionIndex] = {}


def action_index(catalog: Catalog) -> ActionIndex:
    """The :class:`ActionIndex` of a catalog (one per catalog directory)."""
    found = _INDEX.get(catalog.path)
    if found is None:
        found = _INDEX[catalog.path] = ActionIndex(catalog)
    return found


def matches_any(names: frozenset[str], pattern: str) -> bool:
    """Whether an action-name pattern (``Get*``, ``List?ags``; any case) matches one of ``names`` (lower case)."""
    low = pattern.lower()
    if not _WILDCARD.search(low):
        return low in names
    return any(action_matches(low, name) for name in names)


def resource_policy_services(ctx: LintContext) -> frozenset[str] | None:
    """For a resource (or trust) policy whose resource type is known (``--resource-type``), the service prefixes
    it takes (:func:`resource_type_services`); None otherwise."""
    if ctx.resource_type is None or ctx.kind not in ("resource", "trust"):
        return None
    catalog = ctx.catalog
    if catalog is None:
        return None
    return resource_type_services(catalog, ctx.resource_type)


def resource_type_services(catalog: Catalog, resource_type: str) -> frozenset[str] | None:
    """The service prefixes a resource policy of ``resource_type`` (``AWS::S3::Bucket``) takes: Access Analyzer's
    types from :data:`RESOURCE_TYPE_SERVICES`, another ``AWS::Service::Type`` by its service's name when the
    catalog knows that prefix; ``None`` when unknown."""
    known = RESOURCE_TYPE_SERVICES.get(resource_type.lower())
    if known is not None:
        return known
    parts = resource_type.split("::")
    if len(parts) == 3 and parts[0].upper() == "AWS" and catalog.service(parts[1].lower()) is not None:
        return frozenset({parts[1].lower()})
    return None


@check("actions", "INVALID_SERVICE_IN_ACTION", "INVALID_ACTION", needs_catalog=True)
def known_actions(ctx: LintContext) -> None:
    """Every action names a service of AWS's catalog and an action of that service (a pattern matches at least
    one)."""
    catalog = ctx.catalog
    if catalog is None:
        return
    index = action_index(catalog)
    judged = _JUDGED.get(catalog.path)
    if judged is None or len(judged) > 200_000:  # bounded: the actions come from the policies
        judged = _JUDGED[catalog.path] = {}
    for st in ctx.statements:
        for name in ("Action", "NotAction"):
            for path, action in st.strings(name):
                found = judged.get(action, _UNSET)
                if found is _UNSET:
                    found = judged[action] = _problem(catalog, index, action)
                if found is not None:
                    code, message, hint, substring = found
                    ctx.report(code, path, message, hint=hint, substring=substring)


_UNSET: Problem | None = ("", "", "", None)
#: the problem found with an action, per catalog directory and action text
_JUDGED: dict[str, dict[str, Problem | None]] = {}


def _problem(catalog: Catalog, index: ActionIndex, action: str) -> Problem | None:
    prefix, colon, rest = action.partition(":")
    if not colon or not rest or action == "*":
        return None  # the grammar checks report an action without a colon
    if prefix == "*":
        if rest == "*":
            return None
        return ("INVALID_SERVICE_IN_ACTION", f"The service `*` specified in the action `{action}` does not exist.",
                "name the service prefix of the actions (ec2:, s3:...)", (0, 1))
    if _WILDCARD.search(prefix):
        return None  # WILDCARD_IN_SERVICE_NAME
    names = index.get(prefix.lower())
    if names is None:
        if prefix.lower() in RETIRED_SERVICES:
            return None
        service2 = closest(prefix.lower(), catalog.services())
        did_you_mean = f" Did you mean `{service2}`?" if service2 else ""
        return ("INVALID_SERVICE_IN_ACTION",
                f"The service `{prefix}` specified in the action `{action}` does not exist.{did_you_mean}",
                "use the service prefix of AWS's Service Authorization Reference", (0, len(prefix)))
    if matches_any(names, rest):
        return None
    if _WILDCARD.search(rest):
        return ("INVALID_ACTION", f"The action `{action}` does not exist: the pattern matches no action of `{prefix}`",
                "check the spelling of the pattern", None)
    nearest = catalog.suggest_action(action, limit=1)
    hint = f"did you mean `{nearest[0]}`?" if nearest else "check the action's name"
    did_you_mean = f" Did you mean `{nearest[0]}`?" if nearest else ""
    return ("INVALID_ACTION", f"The action `{action}` does not exist.{did_you_mean}", hint, None)


@check("actions", "UNSUPPORTED_ACTION_IN_POLICY", needs_catalog=True)
def resource_type_actions(ctx: LintContext) -> None:
    """In a resource policy attached to a known resource type (``--resource-type AWS::S3::Bucket``), every action
    is one of that resource's service (``kms:Decrypt`` has no place in a bucket policy)."""
    allowed = resource_policy_services(ctx)
    if allowed is None or ctx.catalog is None:
        return
    index = action_index(ctx.catalog)
    for st in ctx.statements:
        for path, action in st.strings("Action"):
            prefix, colon, _rest = action.partition(":")
            low = prefix.lower()
            if not colon or _WILDCARD.search(prefix) or low in allowed:
                continue
            if low not in index:
                continue  # INVALID_SERVICE_IN_ACTION
            ctx.report("UNSUPPORTED_ACTION_IN_POLICY", path,
                       f"The action `{action}` is not supported for the resource-based policy attached to the "
                       f"resource type {ctx.resource_type}.",
                       hint=f"use actions of {', '.join(sorted(allowed))} only, or move this one to a policy of "
                       "its own resource")


_WILDCARD_MESSAGE = ("Avoid using wildcards (*, ?) in the service name because it might grant unintended access to "
                     "other AWS services with similar names")
_ARN_VARIABLE = re.compile(r"\$\{[^}]*\}")


def _arn_service(value: str) -> tuple[int, str] | None:
    """The offset and text of the service field of an ARN (``arn:partition:service:...``), None for a value that is
    not one; a policy variable (which may hold colons) is not a field separator."""
    if not value.startswith("arn:"):
        return None
    masked = _ARN_VARIABLE.sub(lambda m: "\x00" * len(m.group()), value) if "${" in value else value
    fields = masked.split(":", 3)
    if len(fields) < 4:
        return None
    start = len(fields[0]) + len(fields[1]) + 2
    return start, value[start : start + len(fields[2])]


@check("actions", "WILDCARD_IN_SERVICE_NAME")
def wildcard_in_service_name(ctx: LintContext) -> None:
    """A ``*`` or ``?`` in a service name, the prefix of an action (``s*:GetObject``) or the service field of a
    ``Resource``/``NotResource`` ARN (``arn:aws:*code*::111122223333:*``), also matches other services with similar
    names; a service of ``*`` alone (``*:*``, ``arn:aws:*:...``) names every service and is left to the full-access
    checks.

    AA page, "Wildcard in service name": "When you include the name of an AWS service in a policy, AWS recommends
    that you do not include wildcards (*, ?)", with the example ``"Resource": "arn:aws:*code*::111122223333:*"``."""
    for st in ctx.statements:
        for element in ("Action", "NotAction"):
            for path, action in st.strings(element):
                if "*" not in action and "?" not in action:
                    continue  # most entries: no wildcard at all (checked in C before splitting)
                service, colon, _name = action.partition(":")
                if colon and service != "*" and ("*" in service or "?" in service):
                    ctx.report("WILDCARD_IN_SERVICE_NAME", path, f"{_WILDCARD_MESSAGE}: `{service}` in `{action}`",
                               hint="name the service prefix exactly (s3:, ec2:...)", substring=(0, len(service)))
        for path, value in [*st.strings("Resource"), *st.strings("NotResource")]:
            if "*" not in value and "?" not in value:
                continue
            found = _arn_service(value)
            if found is None:
                continue
            start, service = found
            if service != "*" and ("*" in service or "?" in service):
                ctx.report("WILDCARD_IN_SERVICE_NAME", path, f"{_WILDCARD_MESSAGE}: `{service}` in `{value}`",
                           hint="name the service exactly in the ARN (arn:aws:s3:::...)",
                           substring=(start, len(service)))
