"""Tag condition keys on services that do not support them.

``aws:ResourceTag/<key>``, ``aws:RequestTag/<key>`` and ``aws:TagKeys`` are evaluated only for services whose
actions or resource types take them (AWS's catalog, :meth:`iameval.catalog.Catalog.supports_tags`); for the
other services of the statement the condition is not evaluated, so an Allow allows, and a Deny fails to deny,
more than meant. With ``NotAction`` the statement covers every service not listed, and some of them never take
tag keys. Reported on the condition key, by effect and element:
``ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE``, ``ALLOW_NOTACTION_...``, ``DENY_WITH_...`` and
``DENY_NOTACTION_...``. Actions with a wildcard in their service prefix, and ``*``, are not judged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from iameval.lint.clauses import clauses
from iameval.lint.context import LintContext
from iameval.lint.registry import check

if TYPE_CHECKING:
    from iameval.catalog import TagSupport

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


def _supports(tags: TagSupport, kind: str) -> bool:
    return bool(getattr(tags, kind))


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
            for c, _kind in tagged:
                ctx.report(code, c.path,
                           f"`NotAction` with `{c.key}` also covers services that do not support `{c.key}`",
                           hint="list the actions with Action, or move the tag condition to a statement of "
                           "services that support it", on_key=True)
            continue
        catalog = ctx.catalog
        if catalog is None:
            return
        support = _SUPPORT.setdefault(catalog.path, {})
        services: set[str] = set()
        for _path, action in st.strings("Action"):
            prefix, colon, _rest = action.partition(":")
            if colon and prefix and not _WILDCARD.search(prefix):
                services.add(prefix.lower())
        code = f"{effect}_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"
        for c, kind in tagged:
            unsupported = []
            for service in sorted(services):
                if service not in support:
                    support[service] = catalog.supports_tags(service)
                tags = support[service]
                if tags is not None and not _supports(tags, kind):
                    unsupported.append(service)
            if unsupported:
                ctx.report(code, c.path,
                           f"`{c.key}` is not supported by the service(s) `{', '.join(unsupported)}` of the statement",
                           hint="move those actions to a statement without the tag condition", on_key=True)
