"""The checks, one module per family (importing this package registers them all, in family order).

A family whose module is not there (yet) is skipped, so the families can land one at a time. A few modules hold
checks of a family under another name (:data:`MODULES`: the catalog's ARN, service key and tag checks, condition
keys against the actions and policies they apply to, and values a key's meaning constrains); they are imported
after the family modules.
"""

import importlib

from iameval.lint.registry import FAMILIES

__all__ = ["MODULES"]

#: modules of checks named after what they judge rather than their family, imported after the families
MODULES = ("arns", "service_keys", "tags", "key_support", "key_values")

for _family in (*FAMILIES, *MODULES):
    _name = f"{__name__}.{_family}"
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:  # a family module that imports something missing is a bug: say so
            raise
