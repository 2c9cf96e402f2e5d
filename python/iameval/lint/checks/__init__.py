"""The checks, one module per family (importing this package registers them all, in family order).

A family whose module is not there (yet) is skipped, so the families can land one at a time.
"""

import importlib

from iameval.lint.registry import FAMILIES

__all__: list[str] = []

for _family in FAMILIES:
    _name = f"{__name__}.{_family}"
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:  # a family module that imports something missing is a bug: say so
            raise
