"""README.md's examples work as written.

Every fenced ```` ```python ```` block runs, in order, each in a fresh namespace: the blocks are
self-contained, so a reader can copy any one of them. When a block is followed directly (only blank lines
between) by a ```` ```text ```` block, that block is exactly what the Python block prints. Line numbers in a
failing block's traceback are README.md's own. ``tests/test_typing.py`` type-checks the same blocks with
``mypy --strict`` (through :func:`readme_blocks`).

Hook for the CLI examples: ``readme_blocks("console")`` returns the README's ```` ```console ```` blocks in
the same form (with the ```` ```text ```` output that follows each, if any); the test that runs them belongs
in this module, next to :func:`test_python_block`.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"

# the sections whose Python examples must exist (a parsing mistake must not make the tests pass vacuously)
PYTHON_SECTIONS = ("Python API", "The trace: why exactly", "Batch evaluation")


@dataclass(frozen=True)
class Block:
    """A fenced code block of the README."""

    language: str  # the fence's info string: "python", "console", "text", "" for none
    line: int  # line number of the opening fence (1-based)
    end: int  # line number of the closing fence
    section: str  # the nearest heading above, without its #s
    code: str  # the block's lines, each ending with a newline
    output: str | None = None  # the ```text block right after it, if any

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.section.lower()).strip("-")
        return f"{slug}-L{self.line}"


def _all_blocks(readme: Path) -> list[Block]:
    blocks: list[Block] = []
    section = ""
    fence: tuple[str, int] | None = None  # (language, line) of the open fence
    body: list[str] = []
    for number, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), start=1):
        if fence is None:
            if line.startswith("```"):
                fence, body = (line[3:].strip(), number), []
            elif heading := re.match(r"#+\s+(.*)", line):
                section = heading.group(1).strip()
        elif line.rstrip() == "```":
            blocks.append(Block(fence[0], fence[1], number, section, "".join(f"{x}\n" for x in body)))
            fence = None
        else:
            body.append(line)
    assert fence is None, f"README.md: the block opened at line {fence[1]} is never closed"
    return blocks


def readme_blocks(language: str, readme: Path = README) -> list[Block]:
    """The README's blocks of one language, in order, each with the ```text block that directly follows it."""
    blocks = _all_blocks(readme)
    lines = readme.read_text(encoding="utf-8").splitlines()
    out = []
    for i, block in enumerate(blocks):
        if block.language != language:
            continue
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if after is not None and after.language == "text":
            between = lines[block.end : after.line - 1]  # the lines strictly between the two fences
            if not any(x.strip() for x in between):
                block = Block(block.language, block.line, block.end, block.section, block.code, after.code)
        out.append(block)
    return out


PYTHON_BLOCKS = readme_blocks("python")


def test_readme_has_the_python_examples() -> None:
    assert {b.section for b in PYTHON_BLOCKS} >= set(PYTHON_SECTIONS), [b.id for b in PYTHON_BLOCKS]


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[b.id for b in PYTHON_BLOCKS])
def test_python_block(block: Block) -> None:
    # padded with newlines so that tracebacks give README.md's line numbers
    code = compile("\n" * block.line + block.code, str(README), "exec")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {"__name__": "__main__"})
    if block.output is not None:
        assert printed.getvalue() == block.output, (
            f"README.md line {block.line}: the block prints\n{printed.getvalue()}"
            f"but the README shows (line {block.end + 1})\n{block.output}"
        )
