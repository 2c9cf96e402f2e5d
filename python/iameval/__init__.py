"""iameval: a fast, correct, local AWS IAM policy evaluation engine.

``iameval.PolicySet`` evaluates requests against a set of policies (identity, resource-based, permissions
boundary, session policy, SCP levels, RCP levels) and answers Allow / ExplicitDeny / ImplicitDeny with the
statements and the layer that decided. ``iameval.reference`` is the pure-Python reference evaluator that
states the rules plainly and is the oracle the Rust engine (``iameval.engine``, compiled as ``iameval._core``) is
tested against. ``iameval.PolicySet`` and ``iameval.validate_policy`` are the Rust ones; ``Request``,
``Result``, ``MatchedStatement``, ``Decision`` and the errors are shared by both engines.

``iameval.Catalog`` and ``iameval.default_catalog`` (AWS's action catalog, :mod:`iameval.catalog`) are lazy
attributes: importing ``iameval`` loads no catalog and does not import :mod:`iameval.catalog`.
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
from iameval.errors import CatalogError

if TYPE_CHECKING:
    from iameval.catalog import Catalog, default_catalog

__version__ = "0.1.0"

_LAZY = {"Catalog", "default_catalog"}


def __getattr__(name: str) -> Any:
    """``Catalog`` and ``default_catalog``, imported from :mod:`iameval.catalog` on first use."""
    if name in _LAZY:
        from iameval import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module 'iameval' has no attribute {name!r}")

__all__ = [
    "DECISION_CODES",
    "KINDS",
    "RCP_SERVICES",
    "Catalog",
    "CatalogError",
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
    "default_catalog",
    "evaluate_grid",
    "is_public",
    "principal_context",
    "public_statements",
    "validate_policy",
]
