"""Rewrite the output of every CLI example (```console blocks) in README.md by running its commands.

    python scripts/update_readme_examples.py          # rewrite README.md in place
    python scripts/update_readme_examples.py --check  # exit 1 if README.md would change

Commands run exactly as tests/test_readme_cli.py runs them (bash, repository root, NO_COLOR=1, no COLUMNS,
this interpreter's ``iameval`` first on PATH); review the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"


def run(command: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env.update(NO_COLOR="1", PYTHONUNBUFFERED="1")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    return "\n".join(line.rstrip() for line in proc.stdout.strip("\n").splitlines())


def rewrite(text: str) -> str:
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip() != "```console":
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if not lines[i].startswith("$ "):
                i += 1  # old output: replaced below
                continue
            command_lines = [lines[i]]
            while command_lines[-1].endswith("\\") and i + 1 < len(lines):
                i += 1
                command_lines.append(lines[i])
            i += 1
            out.extend(command_lines)
            command = "\n".join(command_lines)[2:]  # bash reads the backslash-newlines
            output = run(command)
            if output:
                out.extend(output.splitlines())
    return "\n".join(out) + "\n"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = rewrite(text)
    if "--check" in sys.argv[1:]:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
