"""W1 'a realistic role' and W2 'conditions-heavy' (benches/workloads.py) with pytest-benchmark.

Measured per workload: ``decide_many`` over all 100,000 rows with ``threads=1`` and all cores (and with one
shared context dict, to show what reading per-row contexts costs), ``evaluate_many`` (with explanations), a
Python loop of 1,000 single ``evaluate`` calls (dict requests, ns per call end to end), and the pure-Python
reference on 200 sampled rows. ``extra_info`` holds decisions/s and ns per decision. The cross-check (not a
benchmark, so skipped by ``--benchmark-only``) compares ``decide_many`` with the reference on the sample.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import measure as M
import pytest
import workloads as W


@pytest.fixture(params=["w1", "w2"])
def workload(request: pytest.FixtureRequest) -> W.Workload:
    """W1 and W2 in turn."""
    w: W.Workload = request.getfixturevalue(request.param)
    return w


@cache
def _rust(name: str) -> Any:
    return M.rust_set(W.w1() if name == "W1" else W.w2())


@cache
def _reference(name: str) -> Any:
    return M.reference_set(W.w1() if name == "W1" else W.w2())


@cache
def _requests(name: str) -> list[dict[str, Any]]:
    return M.requests(W.w1() if name == "W1" else W.w2())


@pytest.mark.parametrize("threads", [1, None], ids=["1thread", "allcores"])
def test_decide_many(benchmark: Any, batch_api: None, workload: W.Workload, threads: int | None) -> None:
    """``decide_many`` over every row: decisions/s with one thread and with all cores."""
    ps = _rust(workload.name)
    benchmark.group = f"{workload.name} decide_many"
    benchmark.pedantic(
        M.decide_many, args=(ps, workload, threads, M.context_columns(workload)), rounds=5, warmup_rounds=1
    )
    M.per_decision(benchmark, workload.size())


@pytest.mark.parametrize("threads", [1, None], ids=["1thread", "allcores"])
def test_decide_many_shared_context(
    benchmark: Any, batch_api: None, workload: W.Workload, threads: int | None
) -> None:
    """``decide_many`` with one context dict for all rows (the cost of per-row contexts is the difference)."""
    ps = _rust(workload.name)
    benchmark.group = f"{workload.name} decide_many"
    benchmark.pedantic(M.decide_many_shared_context, args=(ps, workload, threads), rounds=5, warmup_rounds=1)
    M.per_decision(benchmark, workload.size())


@pytest.mark.parametrize("threads", [1, None], ids=["1thread", "allcores"])
def test_evaluate_many(benchmark: Any, batch_api: None, workload: W.Workload, threads: int | None) -> None:
    """``evaluate_many`` (``Result`` objects with explanations) over every row."""
    ps, reqs = _rust(workload.name), _requests(workload.name)
    benchmark.group = f"{workload.name} evaluate_many"
    benchmark.pedantic(M.evaluate_many, args=(ps, reqs, threads), rounds=2)
    M.per_decision(benchmark, len(reqs))


def test_evaluate_single(benchmark: Any, workload: W.Workload) -> None:
    """A Python loop of single ``evaluate(dict)`` calls: ns per call end to end from Python."""
    ps, reqs = _rust(workload.name), _requests(workload.name)[: M.PYTEST_EVALUATE_CALLS]
    benchmark.group = f"{workload.name} evaluate"
    benchmark(M.evaluate_each, ps, reqs)
    M.per_decision(benchmark, len(reqs))


def test_reference_sample(benchmark: Any, workload: W.Workload) -> None:
    """The pure-Python reference on a seeded sample of rows (the denominator of the ratios)."""
    rps = _reference(workload.name)
    reqs = M.requests(workload, M.sample(workload.size(), M.PYTEST_REFERENCE_ROWS))
    benchmark.group = f"{workload.name} reference"
    benchmark.pedantic(M.reference_codes, args=(rps, reqs), rounds=1)
    M.per_decision(benchmark, len(reqs))


def test_cross_check(batch_api: None, workload: W.Workload) -> None:
    """``decide_many`` equals the reference on the sampled rows."""
    rows = M.sample(workload.size(), M.PYTEST_REFERENCE_ROWS)
    full = M.codes(M.decide_many(_rust(workload.name), workload, None, M.context_columns(workload)))
    expected = M.reference_codes(_reference(workload.name), M.requests(workload, rows))
    assert bytes(full[i] for i in rows) == expected
