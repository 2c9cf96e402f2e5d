"""Write a column workload (W1, W2) as one JSON file for the core-only harness
``rust/core/examples/decide_rows.rs`` (``cargo run --release --example decide_rows``), so that the pure core can be
timed and profiled (callgrind: instructions per decision) without Python.

    python benches/export_rows.py W1 /tmp/w1.jsonl [--rows 20000]

The file has JSON lines: the ``policies`` object first, then one request per line (``principal``, ``action``,
``resource``, ``context``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workloads as W


def main(argv: list[str] | None = None) -> int:
    """Export the first ``--rows`` rows of a workload."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["W1", "W2"])
    parser.add_argument("output", type=Path)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args(argv)
    if args.workload == "W1" and not W.shared_data_present():
        print("W1 needs ../shared/data", file=sys.stderr)
        return 2
    w = W.w1() if args.workload == "W1" else W.w2()
    n = min(args.rows, w.size())
    lines = [json.dumps(w.policies)] + [json.dumps(w.request(i)) for i in range(n)]
    args.output.write_text("\n".join(lines) + "\n")
    print(f"{args.workload}: {n:,} requests -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
