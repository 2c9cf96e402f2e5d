"""The linter's table-driven vectors: every ``tests/lint/*.jsonl`` (format: ``tests/lint/README.md``).

Each vector lints one policy text; every ``expect`` entry must be found (same code, JSON pointer and, when
``at`` is given, exactly that text under the finding's span) and no finding may have a code listed in
``absent``. Then coverage: every registered code has at least one vector where it fires and one where it is
listed in ``absent``. Codes of checks that need AWS's action catalog count only once a catalog is importable
(``iameval.catalog``); until then their expectations are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iameval.lint import RULES, Finding, lint

VECTOR_DIR = Path(__file__).parent / "lint"
#: codes no policy text can trigger: a check that raises (tests/test_lint_framework.py covers it)
UNTRIGGERABLE = {"INTERNAL_CHECK_ERROR"}


def _catalog_available() -> bool:
    try:
        import iameval.catalog  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


CATALOG = _catalog_available()


def _load() -> list[tuple[str, dict[str, Any]]]:
    vectors = []
    for path in sorted(VECTOR_DIR.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                vectors.append((f"{path.stem}:{number}", json.loads(line)))
    return vectors


VECTORS = _load()


def _text(vector: dict[str, Any]) -> str:
    if "text" in vector:
        return str(vector["text"])
    return json.dumps(vector["policy"], indent=2)


def _run(vector: dict[str, Any]) -> tuple[str, list[Finding]]:
    text = _text(vector)
    return text, lint(text, vector["kind"], file="vector", resource_type=vector.get("resource_type"))


def _needs_catalog(code: str) -> bool:
    rule = RULES.get(code)
    return rule is not None and rule.needs_catalog and not CATALOG


@pytest.mark.parametrize(("where", "vector"), VECTORS, ids=[f"{w} {v['name']}" for w, v in VECTORS])
def test_vector(where: str, vector: dict[str, Any]) -> None:
    text, findings = _run(vector)
    shown = "\n".join(
        f"  {f.code} {f.pointer} {text[f.span.start.offset:f.span.end.offset]!r}" if f.span else f"  {f.code}"
        for f in findings
    )
    for exp in vector.get("expect", []):
        assert exp["code"] in RULES, f"{where}: unknown code {exp['code']}"
        if _needs_catalog(exp["code"]):
            continue
        matches = [f for f in findings if f.code == exp["code"] and f.pointer == exp["pointer"]]
        assert matches, f"{where}: no {exp['code']} at {exp['pointer']!r}; found:\n{shown}"
        if "at" in exp:
            spans = [text[f.span.start.offset : f.span.end.offset] for f in matches if f.span is not None]
            assert exp["at"] in spans, f"{where}: {exp['code']} covers {spans!r}, not {exp['at']!r}"
    for code in vector.get("absent", []):
        assert code in RULES, f"{where}: unknown code {code}"
        assert not [f for f in findings if f.code == code], f"{where}: {code} fired; found:\n{shown}"


def test_every_code_has_a_firing_and_a_quiet_vector() -> None:
    fired: set[str] = set()
    quiet: set[str] = set()
    for _, vector in VECTORS:
        fired.update(e["code"] for e in vector.get("expect", []))
        quiet.update(vector.get("absent", []))
    due = {code for code in RULES if code not in UNTRIGGERABLE and not _needs_catalog(code)}
    missing_fire = sorted(due - fired)
    missing_quiet = sorted(due - quiet)
    assert not missing_fire and not missing_quiet, (
        f"codes without a firing vector: {missing_fire}\ncodes without a vector listing them in absent: "
        f"{missing_quiet}"
    )


def test_vectors_are_well_formed() -> None:
    names = set()
    for where, vector in VECTORS:
        assert ("text" in vector) != ("policy" in vector), f"{where}: give exactly one of text and policy"
        assert vector["name"] not in names, f"{where}: duplicate vector name {vector['name']!r}"
        names.add(vector["name"])
        assert vector.get("expect") or vector.get("absent"), f"{where}: a vector must assert something"
