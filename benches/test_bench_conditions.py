"""Conditions with many values (issue 8, "quadratic condition matching") with pytest-benchmark.

``ForAnyValue:StringEquals`` (and its ``IgnoreCase`` form) with 10,000 policy values against a request key of
100,000 values: the Rust engine looks each request value up in a hash set built once per clause, instead of
comparing (policy values) x (request values) pairs. ``StringLike`` with 1,000 patterns against 1,000 values is
the one-by-one cost for comparison (globs have no such shortcut).
"""

from __future__ import annotations

from typing import Any

import iameval
import pytest

ALICE = "arn:aws:iam::111111111111:user/alice"


def _set(operator: str, values: list[str]) -> Any:
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {operator: {"aws:TagKeys": values}},
    }
    return iameval.PolicySet(identity=[{"Statement": statement}])


@pytest.mark.parametrize("operator", ["ForAnyValue:StringEquals", "ForAnyValue:StringEqualsIgnoreCase"])
def test_exact_many_values(benchmark: Any, operator: str) -> None:
    """10,000 policy values x 100,000 request values (no value matches: every request value is looked up)."""
    benchmark.group = "conditions: many values"
    ps = _set(operator, [f"team-{i:05d}" for i in range(10_000)])
    request = {
        "principal": ALICE,
        "action": "s3:GetObject",
        "context": {"aws:TagKeys": [f"x-{i}" for i in range(100_000)]},
    }
    result = benchmark(ps.evaluate, request)
    assert result.decision is iameval.Decision.IMPLICIT_DENY


def test_like_many_values(benchmark: Any) -> None:
    """1,000 patterns x 1,000 request values, compared one by one."""
    benchmark.group = "conditions: many values"
    ps = _set("ForAnyValue:StringLike", [f"*team-{i:04d}*" for i in range(1_000)])
    request = {
        "principal": ALICE,
        "action": "s3:GetObject",
        "context": {"aws:TagKeys": [f"x-{i}" for i in range(1_000)]},
    }
    result = benchmark(ps.evaluate, request)
    assert result.decision is iameval.Decision.IMPLICIT_DENY
