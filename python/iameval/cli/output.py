"""Writing the command line's output with rich: decisions in colour on a terminal, tables that fit the
terminal, JSON lines, progress bars on stderr, and problems on stderr.

Colour only when the stream is a terminal and ``NO_COLOR`` is not set (rich honours both); on a terminal
tables fit its width (long cells wrap; ``--wide`` keeps every cell on one line), elsewhere (a pipe, a file)
tables are printed at their full width unless ``COLUMNS`` is set.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections.abc import Collection, Iterable, Sequence
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from iameval.cli.inputs import problem_line

PROG = "iameval"
FORMATS = ("text", "json")

#: the style of each decision on a terminal
DECISION_STYLES = {
    "Allow": "bold green",
    "ExplicitDeny": "bold red",
    "ImplicitDeny": "bold yellow",
}
#: one JSON line (``json.dumps`` with an option builds a new encoder on every call; streams write millions)
_ENCODE_LINE = json.JSONEncoder(ensure_ascii=False).encode
#: wide enough for any table when nothing limits the width
_UNLIMITED = 1 << 16
#: columns between two cells, and the narrowest a wrapped column gets
_GAP = 3
_MIN_WRAP = 10


def _console(stream: TextIO, *, width: int | None = None) -> Console:
    return Console(
        file=stream,
        width=width,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
        # NO_COLOR (https://no-color.org) and non-terminals give plain text: rich writes no escape sequence
        # to a non-terminal; with NO_COLOR set it would still write bold, so no colour system at all then
        color_system=None if os.environ.get("NO_COLOR", "") != "" else "auto",
    )


class Output:
    """The output of one command: ``format`` text or json, ``wide`` tables, stdout and stderr."""

    def __init__(self, out: TextIO, *, fmt: str = "text", wide: bool = False, err: TextIO | None = None):
        self.out = out
        self.err = err if err is not None else sys.stderr
        self.format = fmt
        self.wide = wide
        self.console = _console(out)

    # -- plain text and JSON -----------------------------------------------------------------------------------

    @property
    def json(self) -> bool:
        return self.format == "json"

    def write(self, text: str) -> None:
        """Plain text, exactly as given."""
        self.out.write(text)

    def line(self, *parts: str | Text) -> None:
        """One line made of plain strings and styled ``Text`` pieces (styles only on a terminal)."""
        text = Text()
        for part in parts:
            text.append(part)
        if self.console.is_terminal:
            with self.console.capture() as capture:
                self.console.print(text, soft_wrap=True)
            self.out.write(capture.get())
        else:
            self.out.write(text.plain + "\n")

    def paragraph(self, text: str, width: int = 110) -> None:
        """``text`` wrapped at ``width`` columns, or at the table width when narrower (a terminal, COLUMNS)."""
        limit = self._table_width()
        limit = self.console.width if limit is None else limit
        self.out.write(textwrap.fill(text, width=max(1, min(width, limit))) + "\n")

    def json_line(self, value: Any) -> None:
        self.out.write(_ENCODE_LINE(value) + "\n")

    def json_document(self, value: Any) -> None:
        self.out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")

    # -- styled pieces -----------------------------------------------------------------------------------------

    @staticmethod
    def decision(decision: str) -> Text:
        return Text(decision, style=DECISION_STYLES.get(decision, ""))

    @staticmethod
    def styled(text: str, style: str) -> Text:
        return Text(text, style=style)

    # -- tables --------------------------------------------------------------------------------------------------

    def _table_width(self) -> int | None:
        if self.wide:
            return _UNLIMITED
        if self.console.is_terminal:
            return None  # rich: the terminal's width (or COLUMNS)
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else _UNLIMITED

    def _fit(self, header: Sequence[str], longest: Sequence[int], wrap: Collection[str]) -> list[int | None]:
        """Each column's width: ``None`` (its longest line) unless the table is wider than the width; then the
        ``wrap`` columns share what the others leave, in proportion to their longest line, at least
        ``_MIN_WRAP`` each. When the other columns leave too little for that, every column wraps: the widest
        are cut to one same width, the narrow ones stay whole. The table is never wider than the width
        (unless it has more columns than that)."""
        width = self._table_width()
        if width is None:
            width = self.console.width
        gaps = _GAP * (len(header) - 1)
        if sum(longest) + gaps <= width:
            return [None] * len(header)
        narrow = [c for c, name in enumerate(header) if name in wrap]
        fixed = sum(n for c, n in enumerate(longest) if c not in narrow) + gaps
        least = {c: min(_MIN_WRAP, longest[c]) for c in narrow}
        room = width - fixed
        if not narrow or room < sum(least.values()):
            return _cut(longest, width - gaps)
        widths: list[int | None] = [None] * len(header)
        while True:  # a column whose share is below its least width gets that; the others share the rest
            want = sum(longest[c] for c in least)
            small = [c for c in least if room * longest[c] // want < least[c]]
            if not small:
                break
            for c in small:
                least_width = least.pop(c)
                widths[c] = least_width
                room -= least_width
            if not least:
                return widths
        for c in least:
            widths[c] = room * longest[c] // want
        return widths

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str | Text]],
        *,
        wrap: Collection[str] = (),
    ) -> None:
        """A table with one header line and a rule under it. When it is wider than the width (see the module
        doc), only the columns named in ``wrap`` are narrowed: their cells wrap (long words are folded);
        the other columns keep their cells on one line. A cell may hold several lines."""
        cells = [[cell if isinstance(cell, Text) else Text(cell) for cell in row] for row in rows]
        longest = [
            max([len(name), *(max(map(len, row[c].plain.split("\n"))) for row in cells)])
            for c, name in enumerate(header)
        ]
        widths = self._fit(header, longest, wrap)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for name, width in zip(header, widths, strict=True):
            if width is None:
                table.add_column(escape(name), no_wrap=True)
            else:
                table.add_column(escape(name), overflow="fold", width=width)
        for row in cells:
            table.add_row(*row)
        total = sum(w if w is not None else n for w, n in zip(widths, longest, strict=True))
        console = _console(self.out, width=max(1, total + _GAP * (len(header) - 1)))
        with console.capture() as capture:
            console.print(table)
        self.out.write("\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n")


def _cut(longest: Sequence[int], room: int) -> list[int | None]:
    """Widths within ``room`` for every column: the widest are cut to one same width (the leftover goes to the
    widest, one column each), the others keep their longest line; at least one column each."""
    cap = max(1, room // max(1, len(longest)))
    while sum(min(n, cap + 1) for n in longest) <= room and cap < max(longest):
        cap += 1
    widths = [min(n, cap) for n in longest]
    spare = room - sum(widths)
    for c in sorted(range(len(longest)), key=lambda c: -longest[c]):
        if spare <= 0 or widths[c] >= longest[c]:
            continue
        widths[c] += 1
        spare -= 1
    return [w if w < n else None for w, n in zip(widths, longest, strict=True)]


def report(problems: Iterable[tuple[str, str, str]], err: TextIO | None = None) -> None:
    """Problems on stderr, one per line: ``iameval: error: FILE: POINTER: message``."""
    stream = err if err is not None else sys.stderr
    for file, pointer, message in problems:
        stream.write(f"{PROG}: error: {problem_line(file, pointer, message)}\n")


def warn(message: str, err: TextIO | None = None) -> None:
    stream = err if err is not None else sys.stderr
    stream.write(f"{PROG}: warning: {message}\n")


def add_output_options(parser: Any, *, wide: bool = True) -> None:
    """``--format text|json`` (every command) and ``--wide`` (commands that print tables)."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default; colour on a terminal unless NO_COLOR is set) or json",
    )
    if wide:
        parser.add_argument(
            "--wide",
            action="store_true",
            help="print table cells whole, on one line, whatever the terminal's width",
        )


def output_for(args: Any, out: TextIO) -> Output:
    return Output(out, fmt=getattr(args, "format", "text"), wide=bool(getattr(args, "wide", False)))
