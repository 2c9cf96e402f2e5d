"""SARIF 2.1.0 output for ``iameval lint --format sarif`` (what GitHub code scanning uploads).

One run; ``tool.driver.rules`` lists every code the linter knows (id, title, help with AWS's page);
each result has the code, its level (``error`` for ERROR, ``warning`` for SECURITY_WARNING and WARNING,
``note`` for SUGGESTION), the message and hint, and the file with a region: SARIF lines and columns count
from 1 (a finding's columns count from 0), ``charOffset``/``charLength`` in characters of the text.
Security warnings carry ``security-severity`` (GitHub's severity scale) and the ``security`` tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iameval.lint.finding import Finding, Severity
from iameval.lint.registry import Rule

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "level", "sarif_log"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/iameval/iameval"

_LEVEL = {
    Severity.ERROR: "error",
    Severity.SECURITY_WARNING: "warning",
    Severity.WARNING: "warning",
    Severity.SUGGESTION: "note",
}
#: GitHub's security-severity (0-10): high for security warnings
_SECURITY_SEVERITY = "7.5"


def level(severity: Severity) -> str:
    return _LEVEL[severity]


def _rule(rule: Rule) -> dict[str, Any]:
    summary = rule.summary or rule.title
    entry: dict[str, Any] = {
        "id": rule.code,
        "name": "".join(word.capitalize() for word in rule.code.split("_")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": summary},
        "helpUri": rule.url,
        "help": {"text": f"{summary}. See {rule.url}", "markdown": f"{summary}. [AWS: {rule.title}]({rule.url})"},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"tags": ["iam", rule.family] + (["security"] if rule.severity is Severity.SECURITY_WARNING
                                                       else [])},
    }
    if rule.severity is Severity.SECURITY_WARNING:
        entry["properties"]["security-severity"] = _SECURITY_SEVERITY
    return entry


def sarif_log(
    findings: Iterable[tuple[Finding, str, str | None]],
    rules: Mapping[str, Rule],
    *,
    version: str,
) -> dict[str, Any]:
    """The SARIF log of ``findings``, each as ``(finding, uri, logical)``: ``uri`` the file's relative path
    (forward slashes), ``logical`` a name inside it (a GAAD dump's policy) when the finding's span refers to
    an embedded document rather than the file (the result then has no region)."""
    ordered: Sequence[Rule] = sorted(rules.values(), key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(ordered)}
    results = []
    for finding, uri, logical in findings:
        message = finding.message + (f" ({finding.hint})" if finding.hint else "")
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if finding.span is not None and logical is None:
            start, end = finding.span.start, finding.span.end
            physical["region"] = {
                "startLine": start.line,
                "startColumn": start.column + 1,
                "endLine": end.line,
                "endColumn": end.column + 1,
                "charOffset": start.offset,
                "charLength": end.offset - start.offset,
            }
        location: dict[str, Any] = {"physicalLocation": physical}
        if logical is not None:
            location["logicalLocations"] = [{"fullyQualifiedName": f"{logical}{finding.pointer}"}]
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": level(finding.severity),
            "message": {"text": message},
            "locations": [location],
            "properties": {"pointer": finding.pointer},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "iameval",
                        "version": version,
                        "semanticVersion": version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(rule) for rule in ordered],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
