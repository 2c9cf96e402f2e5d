"""Time ``iameval.lint`` over every policy under ``../shared/data`` on one core, catalog load included.

    python benches/lint_shared_data.py [DATA_DIR] [--repeat N]

Policies: every ``*.json`` of the policy folders (``aws-managed-policies``, ``scp-examples``, ``rcp-examples``,
``resource-policies``, ``tricky``), linted as ``auto`` except SCPs (``scp``) and RCPs (``rcp``), plus every
policy inside the GAAD dumps (``gaad/``). Prints the number of documents, findings and the best wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

FOLDERS = {
    "aws-managed-policies": "identity",
    "scp-examples": "scp",
    "rcp-examples": "rcp",
    "resource-policies": "auto",
    "tricky": "auto",
}


def documents(root: Path) -> list[tuple[str, bytes, str]]:
    """(name, text, kind) of every policy of the data set (GAAD dumps expanded)."""
    from iameval.lint.gaad import gaad_policies, is_gaad

    docs: list[tuple[str, bytes, str]] = []
    for folder, kind in FOLDERS.items():
        for path in sorted((root / folder).rglob("*.json")):
            docs.append((str(path), path.read_bytes(), kind))
    for path in sorted((root / "gaad").glob("*.json")):
        data = path.read_bytes()
        import json

        dump = json.loads(data)
        if is_gaad(dump):
            for embedded in gaad_policies(dump):
                docs.append((f"{path}#{embedded.location}", embedded.text.encode(), embedded.kind))
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = documents(Path(args.data))
    best = float("inf")
    findings = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        import iameval.lint as lint_module

        catalog = None
        try:  # the catalog (a separate package, when installed) is loaded inside the timed part
            from iameval.catalog import default_catalog  # type: ignore[import-not-found, unused-ignore]

            catalog = default_catalog()
        except ImportError:
            pass
        findings = 0
        for name, text, kind in docs:
            findings += len(lint_module.lint(text, kind, catalog, file=name))
        best = min(best, time.perf_counter() - start)
    print(f"{len(docs)} documents, {findings} findings, best of {args.repeat}: {best:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
