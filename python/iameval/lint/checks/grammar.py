"""Grammar: the policy's top-level elements, statements and their shapes (IAM JSON policy grammar)."""

from __future__ import annotations

from iameval.lint.context import LintContext
from iameval.lint.registry import check

VERSIONS = ("2012-10-17", "2008-10-17")


@check("grammar", "JSON_SYNTAX_ERROR")
def json_syntax(ctx: LintContext) -> None:
    """The policy text is not one JSON object (reported by the runner before any check runs)."""


@check("grammar", "MISSING_VERSION", "INVALID_VERSION")
def version(ctx: LintContext) -> None:
    """``Version`` should be present and must be ``2012-10-17`` or ``2008-10-17``."""
    value = ctx.doc.get("Version")
    if "Version" not in ctx.doc:
        ctx.report("MISSING_VERSION", (), "the policy has no `Version`",
                   hint='add "Version": "2012-10-17" (without it, policy variables are not replaced)')
    elif value not in VERSIONS:
        shown = value if isinstance(value, str) else type(value).__name__
        ctx.report("INVALID_VERSION", ("Version",), f"`{shown}` is not a policy language version",
                   hint='use "Version": "2012-10-17"')
