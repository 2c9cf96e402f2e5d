"""iameval: a fast, correct, local AWS IAM policy evaluation engine.

``iameval.PolicySet`` evaluates requests against a set of policies (identity, resource-based, permissions
boundary, session policy, SCP levels, RCP levels) and answers Allow / ExplicitDeny / ImplicitDeny with the
statements and the layer that decided. ``iameval.reference`` is the pure-Python reference evaluator that
states the rules plainly and is the oracle the Rust engine (``iameval.engine``, compiled as ``iameval._core``) is
tested against. ``iameval.PolicySet`` and ``iameval.validate_policy`` are the Rust ones; ``Request``,
``Result``, ``MatchedStatement``, ``Decision`` and the errors are shared by both engines.
"""

from typing import TYPE_CHECKING, Any

from iameval.engine import (
    DECISION_CODES,
    KINDS,
    RCP_SERVICES,
    Decision,
    IamEvalError,
    MatchedStatement,
    PolicyDocument,
    PolicyError,
    PolicyKind,
    PolicySet,
    Request,
    RequestError,
    Result,
    evaluate_grid,
    is_public,
    principal_context,
    public_statements,
    validate_policy,
)

if TYPE_CHECKING:  # imported on first use (``iameval.lint`` registers every check): importing iameval stays fast
    from iameval.lint import Finding, Severity, lint

__version__ = "0.1.0"

_LAZY = {"Finding", "Severity", "lint"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import iameval.lint as _lint

        return getattr(_lint, name)
    raise AttributeError(f"module 'iameval' has no attribute '{name}'")

__all__ = [
    "DECISION_CODES",
    "KINDS",
    "RCP_SERVICES",
    "Decision",
    "Finding",
    "IamEvalError",
    "MatchedStatement",
    "PolicyDocument",
    "PolicyError",
    "PolicyKind",
    "PolicySet",
    "Request",
    "RequestError",
    "Result",
    "Severity",
    "__version__",
    "evaluate_grid",
    "is_public",
    "lint",
    "principal_context",
    "public_statements",
    "validate_policy",
]
