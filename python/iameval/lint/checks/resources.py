"""Resources: the ARNs of ``Resource``/``NotResource`` (and Region names in conditions), as far as they can
be judged without AWS's action catalog.

What needs the catalog is left to the catalog's checks: whether a service's ARNs have a Region or an account
(``MISSING_ARN_REGION``, ``MISSING_ARN_ACCOUNT``, ``ARN_REGION_NOT_ALLOWED``, ...), whether a Region is valid
*for that service*, and whether the resource part matches a resource type. Here an ARN is flagged only when no
service could accept it: it does not start with ``arn:``, has fewer than six fields, names a partition or a
Region that does not exist, an account that is neither 12 digits nor ``aws``, or a service in capitals.
Fields with a wildcard (``*``, ``?``) or a policy variable (``${...}``) are never judged.
"""

from __future__ import annotations

import re
from functools import lru_cache

from iameval.lint.clauses import clauses
from iameval.lint.context import LintContext
from iameval.lint.registry import check

#: AWS's partitions, from the partition list AWS publishes for its SDKs (``partitions.json`` of the AWS SDKs'
#: endpoint rules, and "AWS General Reference: Amazon Resource Names, partition"), as of 2026.
PARTITIONS = frozenset({
    "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc",
})

#: Every AWS Region code, from the same partition list and the "Regions and Availability Zones" page of the
#: AWS General Reference, as of 2026. A Region opened later is reported until this list is updated.
REGIONS = frozenset({
    # aws
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
    "us-west-1", "us-west-2",
    # aws-cn, aws-us-gov
    "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
    # aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc
    "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "us-isob-west-1", "eu-isoe-west-1",
    "us-isof-east-1", "us-isof-south-1", "eusc-de-east-1",
})

_ACCOUNT = re.compile(r"[0-9]{12}\Z")
_OPEN = re.compile(r"[*?\x00]|\$\{")  # a wildcard or a variable: the field is not judged
_VARIABLE = re.compile(r"\$\{[^}]*\}")


def _judged(field: str) -> bool:
    return _OPEN.search(field) is None


@check("resources", "INVALID_ARN_PREFIX", "MISSING_ARN_FIELD", "INVALID_PARTITION", "INVALID_ARN_SERVICE_CASE",
       "INVALID_ARN_REGION", "INVALID_ARN_ACCOUNT")
def arn_fields(ctx: LintContext) -> None:
    """Every ``Resource``/``NotResource`` entry is ``*`` or an ARN ``arn:partition:service:region:account:
    resource`` with a known partition, a lower-case service, a real Region (or none) and a 12-digit account
    (or none, or ``aws``)."""
    for st in ctx.statements:
        for name in ("Resource", "NotResource"):
            for path, value in st.strings(name):
                for code, message, hint, substring in _arn_problems(value):
                    ctx.report(code, path, message, hint=hint, substring=substring)


#: what :func:`_arn_problems` finds in one entry: code, message, hint and the span inside the value
_Problem = tuple[str, str, str, tuple[int, int] | None]


@lru_cache(maxsize=8192)
def _arn_problems(value: str) -> tuple[_Problem, ...]:
    """The problems of one ``Resource`` entry, in the order they are reported. They depend on the text alone,
    and the same ARNs recur across the statements and policies of an account: each distinct text is judged
    once (a bounded cache)."""
    if value == "*" or value.startswith(("*", "${")):
        return ()
    if not value.startswith("arn:"):
        return (("INVALID_ARN_PREFIX", f"Add the required prefix (arn) to the resource ARN: `{value}`",
                 "write resources as ARNs (`arn:aws:service:region:account:resource`) or `*`", None),)
    # a variable may hold colons (`${aws:username}`): split the ARN with every variable masked
    masked = _VARIABLE.sub(lambda m: "\x00" * len(m.group()), value)
    fields = masked.split(":", 5)
    if len(fields) < 6:
        if _judged(fields[-1]):
            return (("MISSING_ARN_FIELD", "Resource ARNs must include at least 6 fields in the following structure: "
                     f"arn:partition:service:region:account:resource (`{value}` has {len(fields)})",
                     "write `arn:partition:service:region:account:resource` (empty fields keep their colons)",
                     None),)
        return ()
    starts = [0]
    for field in fields[:-1]:
        starts.append(starts[-1] + len(field) + 1)
    _, partition, service, region, account, _resource = (
        value[start : start + len(field)] if _judged(field) else field
        for start, field in zip(starts, fields, strict=True)
    )
    found: list[_Problem] = []
    offset = len("arn:")
    if _judged(partition) and partition not in PARTITIONS:
        shown = value[starts[2] : starts[2] + len(fields[2])]  # the service as written (variables unmasked)
        found.append(("INVALID_PARTITION", f"The resource ARN for the service {shown} does not support the "
                      f"partition `{partition}`. Use the supported values: {', '.join(sorted(PARTITIONS))}",
                      "use `aws` (or `aws-cn`, `aws-us-gov`, ...)", (offset, len(partition))))
    offset += len(partition) + 1
    if _judged(service) and service != service.lower():
        found.append(("INVALID_ARN_SERVICE_CASE", f"Update the service name `{service}` in the resource ARN to use "
                      "all lowercase letters.",
                      f"write `{service.lower()}`", (offset, len(service))))
    offset += len(service) + 1
    if region and _judged(region) and region not in REGIONS:
        found.append(("INVALID_ARN_REGION", f"The Region `{region}` is not valid for this resource. Update the "
                      "resource ARN to include a supported Region.",
                      "use a Region code such as `us-east-1`, or leave the field empty", (offset, len(region))))
    offset += len(region) + 1
    if account and _judged(account) and account != "aws" and not _ACCOUNT.match(account):
        found.append(("INVALID_ARN_ACCOUNT", f"The resource ARN account ID `{account}` is not valid. Provide a "
                      "12-digit account ID.",
                      "use the 12-digit account ID, or leave the field empty", (offset, len(account))))
    return tuple(found)


#: the condition keys whose values are Region codes (global condition keys page of the IAM User Guide)
REGION_KEYS = frozenset({"aws:requestedregion"})
_EXACT_STRING_OPERATORS = re.compile(r"(?i)(?:for(?:all|any)values?:)?string(?:not)?equals(?:ignorecase)?"
                                     r"(?:ifexists)?\Z")


@check("resources", "INVALID_REGION", condition_only=True)
def condition_regions(ctx: LintContext) -> None:
    """A Region compared with an exact string operator (``StringEquals`` ``aws:RequestedRegion``) is a real
    Region code."""
    for st in ctx.statements:
        for c in clauses(st):
            if c.key_lower not in REGION_KEYS or not _EXACT_STRING_OPERATORS.match(c.operator_name):
                continue
            for path, value in c.strings():
                if _judged(value) and value not in REGIONS:
                    ctx.report("INVALID_REGION", path, f"The Region `{value}` is not valid. Update the condition "
                               "value to a supported Region.",
                               hint="use a Region code such as `us-east-1`")
