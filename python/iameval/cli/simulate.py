"""Temporary: being rewritten."""

from __future__ import annotations

import argparse
from typing import Any

from iameval.cli import _old
from iameval.cli.output import Output


def register(sub: Any) -> None:
    parser = _old._parser()
    del parser
    p = sub.add_parser("simulate")
    if "simulate" == "simulate":
        p.add_argument("scenario", nargs="?")
        p.add_argument("--json", action="store_true")
    else:
        p.add_argument("vectors", nargs="+")
    p.add_argument("--engine", choices=("default", "reference"), default="default")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, out: Output) -> int:
    try:
        return _old.cmd_simulate(args, out.out)
    except _old.BadInput as exc:
        from iameval.cli.inputs import BadInput

        raise BadInput(exc.problems) from None
