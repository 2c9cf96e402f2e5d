"""README.md's list of lint codes is the one ``scripts/gen_lint_codes.py`` writes from ``RULES``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_lint_codes.py"


def test_readme_lists_every_lint_code() -> None:
    spec = importlib.util.spec_from_file_location("gen_lint_codes", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.README.read_text(encoding="utf-8")
    assert module.updated(text) == text, "README.md's lint codes are out of date: python scripts/gen_lint_codes.py"
