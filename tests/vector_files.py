"""Reading test-vector files (the JSON-lines format of ``../shared/conformance/README.md``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_vectors(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every case of every ``*.jsonl`` file in ``directory`` (none when it is absent), as ``(file name, case)``;
    a case without ``id`` gets ``<file stem>:<line>``."""
    out: list[tuple[str, dict[str, Any]]] = []
    if not directory.is_dir():
        return out
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    case = json.loads(line)
                    case.setdefault("id", f"{path.stem}:{lineno}")
                    out.append((path.name, case))
    return out
