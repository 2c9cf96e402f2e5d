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

if TYPE_CHECKING:  # imported on first use (``iameval.lint`` registers every check): importing iameval stays fast
    from iameval.catalog import Catalog, default_catalog
    from iameval.lint import Finding, Severity, lint

__version__ = "0.1.0"

#: lazy attributes -> the module that defines them (imported on first use)
_LAZY = {
    "Catalog": "iameval.catalog",
    "default_catalog": "iameval.catalog",
    "Finding": "iameval.lint",
    "Severity": "iameval.lint",
    "lint": "iameval.lint",
}


def __getattr__(name: str) -> Any:
    """``Catalog``, ``default_catalog`` (:mod:`iameval.catalog`) and ``Finding``, ``Severity``, ``lint``
    (:mod:`iameval.lint`), imported on first use."""
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'iameval' has no attribute {name!r}")

__all__ = [
    "DECISION_CODES",
    "KINDS",
    "RCP_SERVICES",
    "Catalog",
    "CatalogError",
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
    "default_catalog",
    "evaluate_grid",
    "is_public",
    "lint",
    "principal_context",
    "public_statements",
    "validate_policy",
]
