"""iameval: a fast, correct, local AWS IAM policy evaluation engine.

``iameval.PolicySet`` evaluates requests against a set of policies (identity, resource-based, permissions
boundary, session policy, SCP levels, RCP levels) and answers Allow / ExplicitDeny / ImplicitDeny with the
statements and the layer that decided. ``iameval.reference`` is the pure-Python reference evaluator that
states the rules plainly; until the Rust engine lands (issue 3), ``iameval.PolicySet`` is the reference.
"""

from iameval.errors import IamEvalError, PolicyError, RequestError
from iameval.reference import (
    KINDS,
    RCP_SERVICES,
    Decision,
    MatchedStatement,
    PolicySet,
    Request,
    Result,
    principal_context,
    validate_policy,
)

__version__ = "0.1.0"

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
    "__version__",
    "principal_context",
    "validate_policy",
]
