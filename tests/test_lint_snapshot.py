"""Every policy under ``../shared/data`` lints without an exception or a check error, and the counts of
findings per code (overall and per folder) equal the checked-in snapshot ``tests/lint/shared_data_counts.json``.

A change of a check that moves a count fails here on purpose: look at the policies behind the moved counts,
then regenerate the snapshot with ``python scripts/lint_snapshot.py``. Skipped when the data is not checked out.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
SNAPSHOT = REPO / "tests" / "lint" / "shared_data_counts.json"

if not DATA.is_dir():
    pytest.skip(f"shared data sets not present at {DATA}", allow_module_level=True)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lint_snapshot", REPO / "scripts" / "lint_snapshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


@pytest.fixture(scope="module")
def fresh() -> tuple[dict[str, Any], list[str]]:
    result: tuple[dict[str, Any], list[str]] = SCRIPT.snapshot(DATA.resolve())
    return result


def test_no_exception_and_no_check_error(fresh: tuple[dict[str, Any], list[str]]) -> None:
    data, problems = fresh
    assert not problems, "linting raised or a check failed:\n" + "\n".join(problems)
    assert "INTERNAL_CHECK_ERROR" not in data["total"]
    assert data["documents"] > 2000


def test_counts_equal_the_snapshot(fresh: tuple[dict[str, Any], list[str]]) -> None:
    data, _ = fresh
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changes = SCRIPT.diff(recorded, data)
    assert not changes, (
        "the lint counts over ../shared/data differ from tests/lint/shared_data_counts.json; look at the "
        "policies behind them, then run `python scripts/lint_snapshot.py` and commit the snapshot:\n"
        + "\n".join(changes)
    )


def test_counts_add_up() -> None:
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert recorded["findings"] == sum(recorded["total"].values())
    for code, count in recorded["total"].items():
        assert count == sum(folder.get(code, 0) for folder in recorded["folders"].values()), code


def test_diff_names_every_moved_count() -> None:
    old = {"documents": 2, "catalog": False, "findings": 3, "total": {"A": 3}, "folders": {"x": {"A": 3}}}
    new = {"documents": 2, "catalog": False, "findings": 4, "total": {"A": 2, "B": 2},
           "folders": {"x": {"A": 2, "B": 2}}}
    assert SCRIPT.diff(old, new) == [
        "findings: 3 -> 4", "total A: 3 -> 2", "total B: 0 -> 2", "x A: 3 -> 2", "x B: 0 -> 2",
    ]
    assert SCRIPT.diff(old, old) == []
