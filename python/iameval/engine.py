"""The Rust engine (``iameval._core``) with the public API of :mod:`iameval.reference`.

``PolicySet``, ``validate_policy``, ``is_public``, ``public_statements`` and ``RCP_SERVICES`` are the compiled
ones; requests, results, decisions and errors are the
reference's own classes (``Request``, ``Result``, ``MatchedStatement``, ``Decision``, ``PolicyError``,
``RequestError``), so results of both engines compare equal, and the type aliases ``PolicyDocument`` and
``PolicyKind`` are the reference's too. ``principal_context`` stays in Python.
"""

from __future__ import annotations

from iameval._core import (
    RCP_SERVICES,
    PolicySet,
    evaluate_grid,
    is_public,
    public_statements,
    validate_policy,
)
from iameval.errors import IamEvalError, PolicyError, RequestError
from iameval.reference.document import PolicyDocument
from iameval.reference.policy import KINDS, PolicyKind
from iameval.reference.request import Request, principal_context
from iameval.reference.result import Decision, MatchedStatement, Result

DECISION_CODES: dict[int, Decision] = {
    0: Decision.IMPLICIT_DENY,
    1: Decision.ALLOW,
    2: Decision.EXPLICIT_DENY,
}
"""The codes of ``decide_many`` / ``evaluate_grid`` output."""

__all__ = [
    "DECISION_CODES",
    "KINDS",
    "RCP_SERVICES",
    "Decision",
    "IamEvalError",
    "MatchedStatement",
    "PolicyDocument",
    "PolicyError",
    "PolicyKind",
    "PolicySet",
    "Request",
    "RequestError",
    "Result",
    "evaluate_grid",
    "is_public",
    "principal_context",
    "public_statements",
    "validate_policy",
]
