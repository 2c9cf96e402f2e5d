"""The conditions, principals and security checks never fail on odd JSON shapes (grammar problems are the
grammar checks' findings), and the privilege-escalation table names real sources."""

from __future__ import annotations

import json
from typing import Any

import pytest
from iameval.lint import POLICY_TYPES, lint
from iameval.lint.checks.security import ESCALATIONS

ODD_VALUES: list[Any] = [None, 1, 1.5, True, "", "*", [], {}, [None], [[]], [{}], {"": None}, {"a": [1, None]}]
ELEMENTS = ("Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition", "Effect")


def _odd_statements() -> list[dict[str, Any]]:
    statements = []
    for element in ELEMENTS:
        for value in ODD_VALUES:
            statements.append({"Effect": "Allow", "Action": "*", "Resource": "*", element: value})
    for value in ODD_VALUES:
        statements.append({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": value}})
        statements.append(
            {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": value}}}
        )
        statements.append({"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                           "Principal": {"Federated": value, "Service": value, "AWS": value}})
    return statements


@pytest.mark.parametrize("kind", POLICY_TYPES)
def test_odd_shapes_do_not_break_checks(kind: str) -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": _odd_statements()})
    findings = lint(text, kind)
    assert findings, "the odd shapes should at least produce grammar findings"
    failed = [f.message for f in findings if f.code == "INTERNAL_CHECK_ERROR"]
    assert not [m for m in failed if any(fam in m for fam in ("conditions.", "principals.", "security."))], failed


def test_escalation_sets() -> None:
    assert len(ESCALATIONS) >= 20
    for esc in ESCALATIONS:
        assert esc.source.startswith("https://rhinosecuritylabs.com/")
        assert all(":" in action and "*" not in action for action in esc.actions)
    assert len({esc.actions for esc in ESCALATIONS}) == len(ESCALATIONS)
