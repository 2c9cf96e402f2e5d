"""Every code the linter can report (:data:`RULES`) and every check function (:data:`CHECKS`).

A check is a small function ``check(ctx: LintContext) -> None`` in the module of its family
(``iameval.lint.checks.<family>``), registered with ``@check("family", "CODE", ...)`` naming every code it may
report. Codes are Access Analyzer's ``issueCode`` (:data:`iameval.lint.aws_checks.AWS_CHECKS`, with AWS's
severity and title) or our own, declared once with :func:`own_rule` before the check that reports them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from iameval.lint.aws_checks import AWS_CHECKS
from iameval.lint.finding import Severity

if TYPE_CHECKING:
    from iameval.lint.context import LintContext

__all__ = ["CHECKS", "FAMILIES", "RULES", "CheckFn", "Rule", "aws_url", "check", "own_rule"]

AA_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"

#: the families, in the order checks run and the README lists them
FAMILIES = (
    "grammar",
    "actions",
    "resources",
    "conditions",
    "variables",
    "principals",
    "policy_type",
    "security",
    "redundancy",
)

_ANCHOR_TYPE = {
    Severity.ERROR: "error",
    Severity.SECURITY_WARNING: "security-warning",
    Severity.WARNING: "general-warning",
    Severity.SUGGESTION: "suggestion",
}


def aws_url(severity: Severity, code: str) -> str:
    """The anchor of an Access Analyzer check on AWS's reference page: the finding type's word and the issue
    code in lower case with dashes (``#access-analyzer-reference-policy-checks-error-arn-account-not-allowed``,
    ``...-general-warning-create-slr-with-not-resource``). The anchors are derived from the code, not the
    title: "Create SLR with NotResource" is ``create-slr-with-not-resource`` and "Allow with NotPrincipal" is
    ``allow-with-not-principal`` on the page (the ``<a name=...>`` anchors of its markdown source)."""
    slug = code.lower().replace("_", "-")
    return f"{AA_PAGE}#access-analyzer-reference-policy-checks-{_ANCHOR_TYPE[severity]}-{slug}"


@dataclass(frozen=True, slots=True)
class Rule:
    """A code the linter reports: its severity, title, family, the page that explains it, and whether it is
    one of Access Analyzer's (``aws``) or ours."""

    code: str
    severity: Severity
    title: str
    family: str
    url: str
    aws: bool
    summary: str = ""
    needs_catalog: bool = False


RULES: dict[str, Rule] = {}

CheckFn = Callable[["LintContext"], None]


@dataclass(frozen=True, slots=True)
class Check:
    family: str
    codes: tuple[str, ...]
    func: CheckFn
    condition_only: bool = False

    @property
    def name(self) -> str:
        return f"{self.family}.{self.func.__name__}"


CHECKS: list[Check] = []


def own_rule(code: str, severity: Severity, title: str, family: str, url: str, summary: str) -> None:
    """Declare one of our own codes (one AWS does not have): upper-snake, not one of AWS's."""
    if code in AWS_CHECKS:
        raise ValueError(f"`{code}` is an Access Analyzer code; register the check with @check instead")
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", code):
        raise ValueError(f"`{code}` is not an upper-snake code")
    if family not in FAMILIES:
        raise ValueError(f"unknown family `{family}`")
    RULES[code] = Rule(code, severity, title, family, url, aws=False, summary=summary)


def _first_paragraph(doc: str | None) -> str:
    """A check's docstring's first paragraph on one line, without reST markup."""
    text = " ".join((doc or "").strip().split("\n\n")[0].split())
    return text.replace("``", "`")


def check(
    family: str, *codes: str, summary: str = "", needs_catalog: bool = False, condition_only: bool = False
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function of ``family`` that may report ``codes``; ``needs_catalog``: the check decides
    only with AWS's action catalog (``ctx.catalog``), so its codes fire only once a catalog is available;
    ``condition_only``: the check reads nothing but the ``Condition`` of each statement and reports nothing for a
    statement without one, so the runner does not call it for a document none of whose statements has one."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family `{family}`")

    def register(func: CheckFn) -> CheckFn:
        for code in codes:
            if code in AWS_CHECKS:
                kind, title = AWS_CHECKS[code]
                severity = Severity(kind)
                rule = RULES.get(code)
                if rule is not None and needs_catalog and not rule.needs_catalog:
                    RULES[code] = replace(rule, needs_catalog=True)
                if rule is None:
                    RULES[code] = Rule(code, severity, title, family, aws_url(severity, code), aws=True,
                                       summary=summary or _first_paragraph(func.__doc__),
                                       needs_catalog=needs_catalog)
            elif code not in RULES:
                raise ValueError(f"`{code}` is neither an Access Analyzer code nor declared with own_rule")
            elif needs_catalog and not RULES[code].needs_catalog:
                RULES[code] = replace(RULES[code], needs_catalog=True)
        CHECKS.append(Check(family, tuple(codes), func, condition_only))
        return func

    return register
