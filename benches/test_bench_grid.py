"""W3 'account sweep' (benches/workloads.py) with pytest-benchmark.

Measured: building the 1,000 per-principal policy sets, ``iameval.evaluate_grid`` over 1,000 principals x
200 actions x 5 resources (1,000,000 decisions) with ``threads=1`` and all cores, and the pure-Python
reference on two sampled principals (2,000 decisions). The cross-check (not a benchmark) compares the grid
with the reference on those principals.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import measure as M
import pytest
import workloads as W


@cache
def _sets() -> list[Any]:
    return M.rust_sets(W.w3())


def _picked(w: W.Workload) -> list[int]:
    return M.sample(len(w.principals), M.PYTEST_REFERENCE_PRINCIPALS, seed=11)


def test_build_sets(benchmark: Any, w3: W.Workload) -> None:
    """Building one Rust policy set per principal (1,000 sets)."""
    benchmark.group = "W3 build"
    benchmark.pedantic(M.rust_sets, args=(w3,), rounds=3)
    best = M.best_seconds(benchmark)
    if best:
        benchmark.extra_info["us_per_set"] = round(best / len(w3.principals) * 1e6, 2)


@pytest.mark.parametrize("threads", [1, None], ids=["1thread", "allcores"])
def test_evaluate_grid(benchmark: Any, batch_api: None, w3: W.Workload, threads: int | None) -> None:
    """``evaluate_grid`` over the whole grid: decisions/s with one thread and with all cores."""
    sets = _sets()
    benchmark.group = "W3 evaluate_grid"
    benchmark.pedantic(M.grid, args=(sets, w3, threads), rounds=3, warmup_rounds=1)
    M.per_decision(benchmark, w3.size())


def test_reference_sample(benchmark: Any, w3: W.Workload) -> None:
    """The pure-Python reference on the sampled principals' rows of the grid."""
    rsets = M.reference_sets(w3, _picked(w3))
    benchmark.group = "W3 reference"
    benchmark.pedantic(M.grid_reference_codes, args=(rsets, w3), rounds=1)
    M.per_decision(benchmark, len(rsets) * len(w3.actions) * len(w3.resources))


def test_cross_check(batch_api: None, w3: W.Workload) -> None:
    """``evaluate_grid`` equals the reference on the sampled principals."""
    grid = M.codes(M.grid(_sets(), w3, None))
    for p, expected in M.grid_reference_codes(M.reference_sets(w3, _picked(w3)), w3).items():
        assert M.grid_slice(grid, w3, p) == expected, f"principal {p}"
