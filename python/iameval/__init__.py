"""iameval: a fast, correct, local AWS IAM policy evaluation engine.

``iameval.PolicySet`` evaluates requests against a set of policies (identity, resource-based, permissions
boundary, session policy, SCP levels, RCP levels) and answers Allow / ExplicitDeny / ImplicitDeny with the
statements and the layer that decided. ``iameval.reference`` is the pure-Python reference evaluator that
states the rules plainly and is the oracle the Rust engine (``iameval.engine``, compiled as ``iameval._core``) is
tested against. ``iameval.PolicySet`` and ``iameval.validate_policy`` are the Rust ones; ``Request``,
``Result``, ``MatchedStatement``, ``Decision`` and the errors are shared by both engines.
"""

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

__version__ = "0.1.0"

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
    "__version__",
    "evaluate_grid",
    "is_public",
    "principal_context",
    "public_statements",
    "validate_policy",
]
