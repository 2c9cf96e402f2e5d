"""Every CLI example in README.md runs and prints what README says it prints.

A CLI example is a ```` ```console ```` block: lines starting with ``$ `` are commands (a trailing ``\\``
continues one on the next line), the lines after a command up to the next one are its output (stdout and
stderr together, as a terminal shows them). Each command runs with bash from the repository root, with
``NO_COLOR=1``, no ``COLUMNS`` (so output is not limited to a terminal's width unless the command sets it) and
the ``iameval`` of the interpreter running the tests first on ``PATH``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"


@dataclass(frozen=True)
class Example:
    line: int  # README line of the command
    command: str
    output: str


def console_examples(text: str) -> list[Example]:
    """The commands and outputs of every ```console block of ``text``."""
    examples: list[Example] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        i += 1
        block_start = i
        block: list[str] = []
        while i < len(lines) and lines[i].strip() != "```":
            block.append(lines[i])
            i += 1
        i += 1
        j = 0
        while j < len(block):
            if not block[j].startswith("$ "):
                raise AssertionError(f"README line {block_start + j + 1}: console block text before a command")
            start = block_start + j + 1
            command = block[j][2:]
            while command.endswith("\\") and j + 1 < len(block):
                j += 1
                command = command + "\n" + block[j]  # bash reads the backslash-newline
            j += 1
            output: list[str] = []
            while j < len(block) and not block[j].startswith("$ "):
                output.append(block[j])
                j += 1
            examples.append(Example(start, command, "\n".join(output)))
    return examples


def _normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


EXAMPLES = console_examples(README.read_text(encoding="utf-8")) if README.exists() else []


def test_readme_has_cli_examples() -> None:
    assert len(EXAMPLES) >= 8, "README's CLI section should show its commands with their output"
    commands = " ".join(e.command for e in EXAMPLES)
    for command in ("iameval query", "iameval simulate", "iameval check", "iameval validate", "--version"):
        assert command in commands, f"no README example runs `{command}`"


def test_console_block_parser() -> None:
    text = "x\n```console\n$ echo a \\\n  b\na b\n$ true\n```\n"
    assert console_examples(text) == [Example(3, "echo a \\\n  b", "a b"), Example(6, "true", "")]


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"README:{e.line}" for e in EXAMPLES])
def test_readme_cli_example(example: Example) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(
        ["bash", "-c", example.command],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    got = _normalize(proc.stdout)
    want = _normalize(example.output)
    assert "Traceback" not in got
    if got != want:
        # a readable diff on failure
        import difflib

        diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "README", "actual", lineterm=""))
        pytest.fail(f"README line {example.line}: `{example.command}` printed something else:\n{diff}")


def test_readme_commands_use_the_examples_folder() -> None:
    """The files README's examples read are in the repository (examples/, tests/vectors/)."""
    for example in EXAMPLES:
        for path in re.findall(r"(?:examples|tests/vectors)/[\w./*-]+", example.command):
            matches = list(REPO.glob(path)) if "*" in path else [REPO / path]
            assert matches and all(m.exists() for m in matches), (example.line, path)
