"""Shared pytest configuration for the whole suite (keep it small: fixtures belong to the tests using them).

Hypothesis profiles, chosen with the environment variable ``HYPOTHESIS_PROFILE``:

- ``ci`` (default): derandomized (the same examples on every run and machine), a moderate number of examples,
  no deadline (CI machines are slow and noisy), no example database;
- ``long``: a million examples per test (``IAMEVAL_LONG_EXAMPLES`` sets another count), randomized, for soak
  runs on demand, e.g. ``HYPOTHESIS_PROFILE=long pytest tests/test_engine_parity.py -k differential``
  (``--hypothesis-seed=N`` makes such a run repeatable).

The tests run against the *installed* ``iameval`` (``pip install .``): ``python/`` is never put on
``sys.path``; the report header says which ``iameval`` was imported.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, max_examples=300, deadline=None, database=None)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("IAMEVAL_LONG_EXAMPLES", "1000000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_report_header(config: pytest.Config) -> str:
    try:
        import iameval
    except ImportError as error:  # reported by the tests themselves; the header only informs
        return f"iameval: not importable ({error})"
    return f"iameval {iameval.__version__} from {Path(iameval.__file__).parent}"
