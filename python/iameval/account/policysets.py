"""The compiled policy sets of one principal, built once and kept in a bounded cache.

What is cached, per principal:

- the **base set** (identity policies and permissions boundary only), or the error compiling them: built on
  first use, kept for the principal's lifetime;
- the **last** :data:`RECENT_SETS` sets built with SCP levels, RCP levels or a resource policy, keyed by the
  identity of those argument objects (the cache holds a reference to them, so an id cannot be reused while
  its entry lives). Passing the same level objects again (``Organization.scp_levels`` returns the same
  tuples for an account every time) finds the set; anything else builds a new one and evicts the oldest.

The cache is thread-safe and is dropped when a principal is pickled (it is rebuilt on first use).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from iameval.engine import PolicySet
from iameval.errors import PolicyError

__all__ = ["RECENT_SETS", "PolicySetCache"]

RECENT_SETS = 8
"""How many sets with SCPs, RCPs or a resource policy each principal keeps."""

_Key = tuple[int, int, int]


class PolicySetCache:
    """A principal's compiled sets (see the module docstring); mutable, but only through its methods."""

    __slots__ = ("_base", "_lock", "_recent")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base: PolicySet | PolicyError | None = None
        self._recent: OrderedDict[_Key, tuple[PolicySet, tuple[Any, ...]]] = OrderedDict()

    def __reduce__(self) -> tuple[Any, ...]:
        return (PolicySetCache, ())

    def base(self, build: Callable[[], PolicySet]) -> PolicySet | PolicyError:
        """The base set, or the :class:`PolicyError` compiling it raised (built once by ``build``)."""
        with self._lock:
            if self._base is None:
                try:
                    self._base = build()
                except PolicyError as error:
                    self._base = error
            return self._base

    def layered(self, scps: Sequence[Any] | None, rcps: Sequence[Any] | None, resource: Any,
                build: Callable[[], PolicySet]) -> PolicySet:
        """The set with these extra layers: from the cache when the same objects were passed recently, else
        built by ``build`` (its ``PolicyError`` propagates and nothing is cached)."""
        key = (id(scps), id(rcps), id(resource))
        with self._lock:
            hit = self._recent.get(key)
            if hit is not None:
                self._recent.move_to_end(key)
                return hit[0]
        built = build()
        with self._lock:
            self._recent[key] = (built, (scps, rcps, resource))
            self._recent.move_to_end(key)
            while len(self._recent) > RECENT_SETS:
                self._recent.popitem(last=False)
        return built

    def __len__(self) -> int:
        """How many layered sets are cached (the base set not counted)."""
        return len(self._recent)
