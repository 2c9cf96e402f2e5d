"""The measured operations, shared by ``benches/run.py`` and the pytest-benchmark files.

Each function does exactly the work that is timed (inputs are prepared by the caller, outside the timing):
``decide_many`` over a workload's columns, ``evaluate_grid`` over a grid workload, ``evaluate_many`` and a loop
of single ``evaluate`` calls over request dicts, the reference engine over a sample, and building policy sets.
Also: decision codes as bytes, seeded samples, timing (best of N with the garbage collector off) and resident
memory (``/proc/self/statm``, falling back to ``resource``).
"""

from __future__ import annotations

import gc
import os
import random
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import iameval
import iameval.reference as reference
from iameval import Decision
from workloads import Workload

#: 0 = ImplicitDeny, 1 = Allow, 2 = ExplicitDeny (``iameval.DECISION_CODES`` once the batch API is there)
DECISION_CODES: dict[int, Decision] = getattr(
    iameval, "DECISION_CODES", {0: Decision.IMPLICIT_DENY, 1: Decision.ALLOW, 2: Decision.EXPLICIT_DENY}
)
CODE_OF: dict[Decision, int] = {d: c for c, d in DECISION_CODES.items()}

T = TypeVar("T")


def has_batch_api() -> bool:
    """Whether ``PolicySet.decide_many`` and ``iameval.evaluate_grid`` exist (README.md, "Batch evaluation")."""
    return hasattr(iameval.PolicySet, "decide_many") and hasattr(iameval, "evaluate_grid")


# -- timing and memory ----------------------------------------------------------------------------------------


def best_of(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Best wall time (``time.perf_counter``) of ``repeats`` calls, with the garbage collector disabled, and
    the last call's return value (the previous one is freed before each call)."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        best, out = _timed(fn)
        for _ in range(repeats - 1):
            del out
            seconds, out = _timed(fn)
            best = min(best, seconds)
    finally:
        if enabled:
            gc.enable()
    return best, out


def _timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def rss_bytes() -> int:
    """Resident set size of this process now (``/proc/self/statm``; peak RSS from ``resource`` elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss_delta(build: Callable[[], T]) -> tuple[int, T]:
    """RSS growth over ``build()`` (its result kept alive while measuring), and the result."""
    gc.collect()
    before = rss_bytes()
    kept = build()
    gc.collect()
    return rss_bytes() - before, kept


# -- decisions ------------------------------------------------------------------------------------------------


def codes(result: Any) -> bytes:
    """Decision codes of a ``decide_many``/``evaluate_grid`` result (numpy array or bytearray) as bytes."""
    return bytes(memoryview(result))


def codes_of_results(results: Iterable[Any]) -> bytes:
    """Decision codes of ``Result`` objects (``evaluate_many``)."""
    return bytes(CODE_OF[r.decision] for r in results)


def mix(code_bytes: bytes) -> str:
    """``Allow 23.1%, ExplicitDeny 48.7%, ImplicitDeny 28.2%`` for decision codes."""
    counts = Counter(code_bytes)
    total = max(1, len(code_bytes))
    parts = [f"{DECISION_CODES[c].value} {100 * counts[c] / total:.1f}%" for c in sorted(DECISION_CODES)]
    return ", ".join(sorted(parts))


def sample(n: int, k: int, seed: int = 7) -> list[int]:
    """``k`` distinct row indices out of ``n``, sorted, seeded."""
    return sorted(random.Random(seed).sample(range(n), min(k, n)))


# -- column workloads (W1, W2) --------------------------------------------------------------------------------


def rust_set(w: Workload) -> Any:
    """The Rust engine's policy set of a column workload."""
    return iameval.PolicySet.from_vector(w.policies or {})


def reference_set(w: Workload) -> Any:
    """The reference engine's policy set of a column workload."""
    return reference.PolicySet.from_vector(w.policies or {})


def context_columns(w: Workload) -> dict[str, list[Any]]:
    """The per-row contexts of ``w`` as one column per key (``None`` where a row lacks the key): the
    columnar form of the same requests, built outside the timing (as data that arrives in columns)."""
    keys = sorted({k for c in w.contexts if c for k in c})
    return {k: [(c or {}).get(k) for c in w.contexts] for k in keys}


def decide_many(ps: Any, w: Workload, threads: int | None, columns: dict[str, list[Any]]) -> Any:
    """``ps.decide_many`` over every row of ``w``: actions, resources and each context key as columns (lists),
    one principal."""
    return ps.decide_many(
        w.actions, w.resources, principal=w.principal, context_columns=columns, threads=threads
    )


def decide_many_dicts(ps: Any, w: Workload, threads: int | None) -> Any:
    """``ps.decide_many`` with the contexts as one dict per row (read dict by dict with the GIL held)."""
    return ps.decide_many(w.actions, w.resources, principal=w.principal, contexts=w.contexts, threads=threads)


def decide_many_shared_context(ps: Any, w: Workload, threads: int | None) -> Any:
    """``decide_many`` with row 0's context shared by every row (one dict): what reading 100,000 context
    dicts costs shows as the difference to :func:`decide_many` (the decisions differ; not cross-checked)."""
    return ps.decide_many(
        w.actions, w.resources, principal=w.principal, contexts=w.contexts[0], threads=threads
    )


def requests(w: Workload, rows: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Request dicts of a column workload (all rows, or ``rows``)."""
    return [w.request(i) for i in (range(w.size()) if rows is None else rows)]


def evaluate_many(ps: Any, reqs: Sequence[dict[str, Any]], threads: int | None) -> list[Any]:
    """``ps.evaluate_many(reqs, threads=...)`` (``Result`` objects with explanations)."""
    return list(ps.evaluate_many(reqs, threads=threads))


def evaluate_each(ps: Any, reqs: Sequence[Any]) -> list[Any]:
    """A Python loop of single ``ps.evaluate(req)`` calls (what one call costs end to end from Python)."""
    evaluate = ps.evaluate
    return [evaluate(r) for r in reqs]


def reference_codes(rps: Any, reqs: Sequence[dict[str, Any]]) -> bytes:
    """The reference engine's decisions as codes (a loop of ``evaluate``)."""
    return codes_of_results(rps.evaluate(r) for r in reqs)


# -- grid workload (W3) ---------------------------------------------------------------------------------------


def rust_sets(w: Workload) -> list[Any]:
    """One Rust policy set per principal."""
    return [iameval.PolicySet.from_vector(p) for p in w.principal_policies]


def reference_sets(w: Workload, principals: Iterable[int]) -> dict[int, Any]:
    """Reference policy sets of the chosen principals."""
    return {p: reference.PolicySet.from_vector(w.principal_policies[p]) for p in principals}


def grid(sets: Sequence[Any], w: Workload, threads: int | None) -> Any:
    """``iameval.evaluate_grid`` over all principals x actions x resources of ``w``."""
    return iameval.evaluate_grid(
        sets, w.principals, w.actions, w.resources, contexts=w.contexts, threads=threads
    )


def grid_reference_codes(rsets: dict[int, Any], w: Workload) -> dict[int, bytes]:
    """The reference's decisions for the chosen principals, each in the grid's (A, R) C order."""
    out: dict[int, bytes] = {}
    for p, rps in rsets.items():
        reqs = [w.grid_request(p, a, r) for a in range(len(w.actions)) for r in range(len(w.resources))]
        out[p] = reference_codes(rps, reqs)
    return out


def grid_slice(grid_codes: bytes, w: Workload, p: int) -> bytes:
    """Principal ``p``'s (A, R) block of the grid codes."""
    block = len(w.actions) * len(w.resources)
    return grid_codes[p * block : (p + 1) * block]


# -- compiling ------------------------------------------------------------------------------------------------


def compile_each(engine: Any, texts: Iterable[str]) -> tuple[list[Any], int]:
    """``engine.PolicySet(identity=[text])`` for every JSON text: (the sets, how many were rejected)."""
    sets: list[Any] = []
    rejected = 0
    for text in texts:
        try:
            sets.append(engine.PolicySet(identity=[text]))
        except iameval.PolicyError:
            rejected += 1
    return sets, rejected


# -- pytest-benchmark helpers ---------------------------------------------------------------------------------

#: rows of W1/W2 that the reference evaluates in the pytest benchmarks (~10 ms per W1 request), W3 principals
PYTEST_REFERENCE_ROWS = 200
PYTEST_REFERENCE_PRINCIPALS = 2
#: single evaluate() calls per pytest-benchmark round
PYTEST_EVALUATE_CALLS = 1_000


def best_seconds(benchmark: Any) -> float | None:
    """The fastest round of a finished benchmark; ``None`` when not timed (``--benchmark-disable``)."""
    stats = getattr(benchmark, "stats", None)
    return None if stats is None else float(stats.stats.min)


def per_decision(benchmark: Any, n: int) -> None:
    """Record decisions/s and ns per decision of the fastest round in the benchmark's ``extra_info``."""
    best = best_seconds(benchmark)
    if not best:
        return
    benchmark.extra_info["decisions"] = n
    benchmark.extra_info["decisions_per_s"] = round(n / best)
    benchmark.extra_info["ns_per_decision"] = round(best / n * 1e9, 1)


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> None:
    """Rows under a header: a Markdown table, or columns padded to their widest cell."""
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in rows:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(h), *(len(line[i]) for line in rows)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for line in rows:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
