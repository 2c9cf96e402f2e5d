"""Policy validation at IAM Access Analyzer's level: :func:`lint` one document, get :class:`Finding` s.

Codes are Access Analyzer's ``issueCode`` where AWS has the check (with AWS's finding type as severity), our
own upper-snake names otherwise; :data:`RULES` lists every code with its family, title and documentation link.
"""

import sys
import types
from typing import Any

from iameval.lint.context import POLICY_TYPES, PolicyType
from iameval.lint.finding import Finding, Position, Severity, Span
from iameval.lint.registry import RULES, Rule
from iameval.lint.runner import guess_kind, lint

__all__ = [
    "POLICY_TYPES",
    "RULES",
    "Finding",
    "PolicyType",
    "Position",
    "Rule",
    "Severity",
    "Span",
    "guess_kind",
    "lint",
]


def _register() -> None:
    import iameval.lint.checks  # noqa: F401 - registers every check, so RULES is complete


_register()


class _CallableModule(types.ModuleType):
    """``iameval.lint`` is both this package and the function: once the package is imported, Python binds the
    name ``lint`` of ``iameval`` to the package, so the package calls the function."""

    def __call__(self, *args: Any, **kwargs: Any) -> list[Finding]:
        return lint(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
