"""Fixtures of the pytest-benchmark suite (``pytest benches --benchmark-only``).

The top-level ``pytest`` run does not collect ``benches/`` (``testpaths = ["tests"]`` in pyproject.toml).
Workloads are built once per session; W1 and the compile benchmarks skip when ``../shared/data`` is absent,
everything that needs the batch API (README.md, "Batch evaluation") skips while it is not there.
"""

from __future__ import annotations

import os

# numpy (loaded by the batch API for its output) starts OpenBLAS threads that spin and take a core from the
# engine: benchmarks run with one BLAS thread
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
from pathlib import Path

import pytest

BENCHES = Path(__file__).resolve().parent
if str(BENCHES) not in sys.path:
    sys.path.insert(0, str(BENCHES))

import measure as M  # noqa: E402
import workloads as W  # noqa: E402


@pytest.fixture(scope="session")
def batch_api() -> None:
    """Skip when ``decide_many``/``evaluate_grid`` do not exist yet."""
    if not M.has_batch_api():
        pytest.skip("the batch API (decide_many, evaluate_grid) is not available")


@pytest.fixture(scope="session")
def w1() -> W.Workload:
    """W1 (skips without ../shared/data)."""
    if not W.shared_data_present():
        pytest.skip(f"{W.SHARED_DATA} is absent")
    return W.w1()


@pytest.fixture(scope="session")
def w2() -> W.Workload:
    """W2 (generated)."""
    return W.w2()


@pytest.fixture(scope="session")
def w3() -> W.Workload:
    """W3 (generated)."""
    return W.w3()


@pytest.fixture(scope="session")
def managed() -> list[str]:
    """JSON texts of every AWS managed policy (skips without ../shared/data)."""
    texts = list(W.managed_policies().values())
    if not texts:
        pytest.skip(f"{W.SHARED_DATA} is absent")
    return texts
