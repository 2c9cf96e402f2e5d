"""The Rust engine (``iameval._core``) with the public API of :mod:`iameval.reference`.

``PolicySet`` and ``validate_policy`` are the compiled ones; requests, results, decisions and errors are the
reference's own classes (``Request``, ``Result``, ``MatchedStatement``, ``Decision``, ``PolicyError``,
``RequestError``), so results of both engines compare equal. ``principal_context`` stays in Python.
"""

from __future__ import annotations

from iameval._core import PolicySet, validate_policy
from iameval.errors import IamEvalError, PolicyError, RequestError
from iameval.reference.authorize import RCP_SERVICES
from iameval.reference.policy import KINDS
from iameval.reference.request import Request, principal_context
from iameval.reference.result import Decision, MatchedStatement, Result

__all__ = [
    "KINDS",
    "RCP_SERVICES",
    "Decision",
    "IamEvalError",
    "MatchedStatement",
    "PolicyError",
    "PolicySet",
    "Request",
    "RequestError",
    "Result",
    "principal_context",
    "validate_policy",
]
