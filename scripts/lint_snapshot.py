"""Lint every policy under ``../shared/data`` and write the counts of findings per code.

    python scripts/lint_snapshot.py [DATA_DIR] [--output tests/lint/shared_data_counts.json] [--check]

The policies are those of ``benches/lint_shared_data.py`` (each folder linted as its kind, GAAD dumps
expanded). The snapshot (``tests/lint/shared_data_counts.json``) holds the number of documents, the counts per
code over everything (``total``) and per top-level folder (``folders``), and whether AWS's action catalog was
importable (checks that need it fire only then). ``tests/test_lint_snapshot.py`` compares it with a fresh run:
after adding or changing a check, run this script, look at the policies behind every count that moved, and
commit the new snapshot with the check. ``--check`` compares instead of writing (exit 1 and the diff when they
differ). A document whose linting raises, or that gets ``INTERNAL_CHECK_ERROR``, is listed on stderr and makes
the script exit 1 without writing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUTPUT = REPO / "tests" / "lint" / "shared_data_counts.json"


def _documents(root: Path) -> list[tuple[str, bytes, str]]:
    """``benches/lint_shared_data.py``'s ``documents()``: (name, text, kind) of every policy of the data set."""
    spec = importlib.util.spec_from_file_location("lint_shared_data", REPO / "benches" / "lint_shared_data.py")
    if spec is None or spec.loader is None:
        raise ImportError("cannot load `benches/lint_shared_data.py`")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    docs: list[tuple[str, bytes, str]] = module.documents(root)
    return docs


def _folder(root: Path, name: str) -> str:
    """The top-level folder of a document name (``.../gaad/x.json#policy`` -> ``gaad``)."""
    return Path(name.split("#", 1)[0]).relative_to(root).parts[0]


def catalog_available() -> bool:
    try:
        import iameval.catalog  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def snapshot(root: Path) -> tuple[dict[str, Any], list[str]]:
    """The snapshot of ``root`` and the problems (documents whose linting raised or hit a check error)."""
    from iameval.lint import lint

    total: Counter[str] = Counter()
    folders: dict[str, Counter[str]] = {}
    problems: list[str] = []
    docs = _documents(root)
    for name, text, kind in docs:
        counts = folders.setdefault(_folder(root, name), Counter())
        try:
            findings = lint(text, kind, file=name)
        except Exception as exc:  # reported, never hidden: the snapshot run must see every document
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        for f in findings:
            if f.code == "INTERNAL_CHECK_ERROR":
                problems.append(f"{name}: {f.message}")
            total[f.code] += 1
            counts[f.code] += 1
    data = {
        "documents": len(docs),
        "catalog": catalog_available(),
        "findings": sum(total.values()),
        "total": dict(sorted(total.items())),
        "folders": {folder: dict(sorted(c.items())) for folder, c in sorted(folders.items())},
    }
    return data, problems


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2) + "\n"


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per number that differs between two snapshots (``folder CODE: old -> new``)."""
    lines = [f"{key}: {old.get(key)} -> {new.get(key)}" for key in ("documents", "catalog", "findings")
             if old.get(key) != new.get(key)]
    tables = [("total", old.get("total", {}), new.get("total", {}))]
    for folder in sorted(set(old.get("folders", {})) | set(new.get("folders", {}))):
        tables.append((folder, old.get("folders", {}).get(folder, {}), new.get("folders", {}).get(folder, {})))
    for where, before, after in tables:
        for code in sorted(set(before) | set(after)):
            if before.get(code, 0) != after.get(code, 0):
                lines.append(f"{where} {code}: {before.get(code, 0)} -> {after.get(code, 0)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--check", action="store_true", help="compare with the snapshot instead of writing it")
    args = parser.parse_args(argv)
    root = Path(args.data).resolve()
    data, problems = snapshot(root)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    output = Path(args.output)
    if args.check:
        old = json.loads(output.read_text(encoding="utf-8"))
        changes = diff(old, data)
        print("\n".join(changes) if changes else "snapshot is current")
        return 1 if changes else 0
    output.write_text(render(data), encoding="utf-8")
    print(f"{data['documents']} documents, {data['findings']} findings -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
