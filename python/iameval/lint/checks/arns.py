"""Resource ARNs judged against the ARN formats of AWS's catalog (the catalog-free checks are in
:mod:`iameval.lint.checks.resources`).

An ARN is compared with the formats whose service field is the ARN's service (``arn:${Partition}:s3:::
${BucketName}``): formats are grouped by that field, not by action prefix, since a few services' ARNs name
another service. An ARN whose service no format names is not judged (the catalog may lag). Fields with a
wildcard or a policy variable are never judged, and a resource part with one is compared by its literal
prefix only.

- ``ARN_REGION_NOT_ALLOWED`` / ``ARN_ACCOUNT_NOT_ALLOWED``: the ARN has a Region (account) but no format it
  may be has that field (``arn:aws:s3:us-east-1::bucket``, ``arn:aws:iam:us-east-1:...``).
- ``MISSING_ARN_REGION`` / ``MISSING_ARN_ACCOUNT``: an ARN without wildcards or variables has none, and every
  format it may be requires one (AWS's managed policies leave the account empty in ARNs of AWS-owned
  resources with a wildcard Region, ``arn:aws:ssm:*::document/AWS-...``).
- ``INVALID_ARN_RESOURCE``: the resource part of an ARN without wildcards does not even start as a format of
  the service does (the catalog misses resource types AWS's own policies name, ``backup`` ``recovery-point``,
  ``waf`` ``changetoken``: patterns are not judged).
- ``UNSUPPORTED_RESOURCE_ARN_IN_POLICY``: a resource policy attached to a known resource type
  (``--resource-type AWS::S3::Bucket``) names an ARN of another service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from iameval.lint.checks.actions import resource_policy_services
from iameval.lint.context import LintContext
from iameval.lint.registry import check

if TYPE_CHECKING:
    from iameval.catalog import Catalog

__all__ = ["ArnFormat", "arn_formats"]

Path = tuple[str | int, ...]

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_OPEN = re.compile(r"[*?]|\$\{")
_VARIABLE = re.compile(r"\$\{[^}]*\}")


@dataclass(frozen=True, slots=True)
class ArnFormat:
    """One ARN format of the catalog, split: its resource type, whether it has a Region and an account field,
    its resource part as a regular expression (a placeholder is one or more characters) and the literal text
    before its first placeholder."""

    resource_type: str
    text: str
    has_region: bool
    has_account: bool
    pattern: str  # the resource part as a regex, compiled on first use (most formats are never needed)
    literal: str

    @property
    def resource(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


@lru_cache(maxsize=4096)  # bounded: the catalog has about 2,300 ARN formats
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.DOTALL)


def _format(resource_type: str, text: str) -> tuple[str, ArnFormat] | None:
    fields = _PLACEHOLDER.sub(lambda m: "\x00" * len(m.group()), text).split(":", 5)
    if len(fields) < 6 or fields[0] != "arn":
        return None
    starts = [0]
    for f in fields[:-1]:
        starts.append(starts[-1] + len(f) + 1)
    service = text[starts[2] : starts[2] + len(fields[2])]
    if "${" in service:
        return None
    resource = text[starts[5] :]
    parts = _PLACEHOLDER.split(resource)
    pattern = ".+".join(re.escape(p) for p in parts)
    return service, ArnFormat(resource_type, text, bool(fields[3]), bool(fields[4]), pattern + r"\Z", parts[0])


_FORMATS: dict[str, dict[str, tuple[ArnFormat, ...]]] = {}


def arn_formats(catalog: Catalog) -> dict[str, tuple[ArnFormat, ...]]:
    """Every ARN format of the catalog by the service field of the ARN (built once per catalog directory)."""
    found = _FORMATS.get(catalog.path)
    if found is None:
        grouped: dict[str, list[ArnFormat]] = {}
        seen: set[str] = set()
        for info in catalog.all_resource_types():
            for text in info.arn_formats:
                if text in seen:
                    continue
                seen.add(text)
                parsed = _format(f"{info.service}:{info.name}", text)
                if parsed is not None:
                    grouped.setdefault(parsed[0], []).append(parsed[1])
        found = {k: tuple(v) for k, v in grouped.items()}
        _FORMATS[catalog.path] = found
    return found


def _could_match(fmt: ArnFormat, resource: str) -> bool:
    """Whether some resource the ARN's resource part stands for is of this format: an exact match, or, when the
    part has a wildcard or a variable, a literal prefix compatible with the format's. The definition that
    :func:`_matching_formats` applies to all of a service's formats at once."""
    opening = _OPEN.search(resource)
    if opening is None:
        return resource.startswith(fmt.literal) and fmt.resource.match(resource) is not None
    head = resource[: opening.start()]
    return head.startswith(fmt.literal) or fmt.literal.startswith(head)


def _matching_formats(candidates: tuple[ArnFormat, ...], resource: str) -> list[ArnFormat]:
    """The formats of ``candidates`` :func:`_could_match` accepts, in order; the resource part is searched for
    its first wildcard or variable once, not once per format."""
    opening = _OPEN.search(resource)
    if opening is None:
        return [f for f in candidates if resource.startswith(f.literal) and f.resource.match(resource) is not None]
    head = resource[: opening.start()]
    return [f for f in candidates if head.startswith(f.literal) or f.literal.startswith(head)]


def _plausible(fmt: ArnFormat, resource: str) -> bool:
    """Whether the resource part starts as the format's does (its text before the first placeholder): what
    ``INVALID_ARN_RESOURCE`` asks, leniently, since AWS accepts resource parts its formats describe loosely
    (``stack/name`` for ``stack/${StackName}/${Id}``)."""
    opening = _OPEN.search(resource)
    head = resource if opening is None else resource[: opening.start()]
    return head.startswith(fmt.literal) or (opening is not None and fmt.literal.startswith(head))


def _fields(value: str) -> list[tuple[int, str]] | None:
    """The six fields of an ARN with their offsets (variables may hold colons), or None."""
    masked = _VARIABLE.sub(lambda m: "\x00" * len(m.group()), value)
    fields = masked.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn":
        return None
    out = []
    start = 0
    for f in fields:
        out.append((start, value[start : start + len(f)]))
        start += len(f) + 1
    return out


@check("resources", "ARN_REGION_NOT_ALLOWED", "ARN_ACCOUNT_NOT_ALLOWED", "MISSING_ARN_REGION",
       "MISSING_ARN_ACCOUNT", "INVALID_ARN_RESOURCE", needs_catalog=True)
def arn_formats_check(ctx: LintContext) -> None:
    """Every ``Resource``/``NotResource`` ARN fits an ARN format of its service: a Region and an account only where
    the format has them (and present where every format needs them), a resource part the format allows."""
    statements = [st for st in ctx.statements if "Resource" in st.data or "NotResource" in st.data]
    if not statements:
        return
    catalog = ctx.catalog
    if catalog is None:
        return
    formats = arn_formats(catalog)
    for st in statements:
        for name in ("Resource", "NotResource"):
            for path, value in st.strings(name):
                if value.startswith("arn:"):
                    _judge(ctx, catalog, formats, path, value)


#: what an ARN is found to be, per catalog directory and ARN: (code, message, hint, substring) of each problem
_JUDGED: dict[tuple[str, str], tuple[tuple[str, str, str, tuple[int, int] | None], ...]] = {}


def _judge(ctx: LintContext, catalog: Catalog, formats: dict[str, tuple[ArnFormat, ...]], path: Path,
           value: str) -> None:
    key = (catalog.path, value)
    found = _JUDGED.get(key)
    if found is None:
        found = tuple(_problems(formats, value))
        if len(_JUDGED) > 200_000:
            _JUDGED.clear()
        _JUDGED[key] = found
    for code, message, hint, substring in found:
        ctx.report(code, path, message, hint=hint, substring=substring)


def _problems(
    formats: dict[str, tuple[ArnFormat, ...]], value: str
) -> list[tuple[str, str, str, tuple[int, int] | None]]:
    out: list[tuple[str, str, str, tuple[int, int] | None]] = []
    fields = _fields(value)
    if fields is None:
        return out
    (_s0, _arn), (_s1, _partition), (_s2, service), (rs, region), (as_, account), (res_start, resource) = fields
    if _OPEN.search(service):
        return out
    candidates = formats.get(service)
    if not candidates:
        return out
    matching = _matching_formats(candidates, resource)
    concrete = _OPEN.search(value) is None  # a missing field is judged on ARNs without wildcards only
    if not matching:
        if resource and concrete and not any(_plausible(f, resource) for f in candidates):
            out.append(("INVALID_ARN_RESOURCE", "Resource ARN does not match the expected ARN format. Update the "
                        f"resource portion of the ARN: `{resource}` of `{value}` matches no ARN format of `{service}`",
                        f"write it as one of {', '.join(f'`{f.text}`' for f in candidates[:3])}",
                        (res_start, len(resource))))
        matching = list(candidates)
    if region and not _OPEN.search(region) and not any(f.has_region for f in matching):
        out.append(("ARN_REGION_NOT_ALLOWED", f"The service {service} does not support specifying a Region in the "
                    f"resource ARN: remove `{region}`",
                    "leave the Region field empty", (rs, len(region))))
    elif not region and concrete and all(f.has_region for f in matching):
        out.append(("MISSING_ARN_REGION", f"Add a Region to the {service} resource ARN `{value}`.",
                    "add the Region (or `*`) between the service and the account", None))
    if account and not _OPEN.search(account) and not any(f.has_account for f in matching):
        out.append(("ARN_ACCOUNT_NOT_ALLOWED", f"The service {service} does not support specifying an account ID in "
                    f"the resource ARN: remove `{account}`",
                    "leave the account field empty", (as_, len(account))))
    elif not account and concrete and all(f.has_account for f in matching):
        out.append(("MISSING_ARN_ACCOUNT", f"The resource `{value}` in the arn is missing an account id. Please "
                    "provide a 12 digit account id.",
                    "add the 12-digit account ID (or `*`) after the Region", None))
    return out


@check("resources", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", needs_catalog=True)
def resource_type_arns(ctx: LintContext) -> None:
    """In a resource policy attached to a known resource type (``--resource-type AWS::S3::Bucket``), every ARN is
    one of that resource's service (a KMS key ARN has no place in a bucket policy)."""
    allowed = resource_policy_services(ctx)
    if allowed is None:
        return
    for st in ctx.statements:
        for path, value in st.strings("Resource"):
            fields = _fields(value)
            if fields is None:
                continue
            start, service = fields[2]
            if not service or _OPEN.search(service) or service in allowed:
                continue
            ctx.report("UNSUPPORTED_RESOURCE_ARN_IN_POLICY", path,
                       f"The resource ARN `{value}` is not supported for the resource-based policy attached to the "
                       f"resource type {ctx.resource_type}.",
                       hint=f"name resources of {', '.join(sorted(allowed))} only", substring=(start, len(service)))
