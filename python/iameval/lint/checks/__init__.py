"""The checks, one module per family (importing this package registers them all, in family order)."""

from iameval.lint.checks import grammar  # noqa: F401

__all__: list[str] = []
