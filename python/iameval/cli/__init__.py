"""The ``iameval`` command line: one module per command (``simulate``, ``query``, ``check``, ``validate``,
``lint``, ``expand``, ``actions``, ``catalog``, ``can``, ``who_can``, ``what_can``, ``external_access``,
``privesc``), ``inputs`` for reading files, ``output`` for writing text, tables and JSON, and ``accounts`` for
the options of the commands that load whole accounts.

A command module has ``register(subparsers)``, which adds its parser and sets ``func`` to its
``run(args, output) -> exit code``. Exit codes: 0 success; 1 a decision differs from its expectation, a
vector fails or a policy is invalid; 2 bad input (unreadable file, invalid JSON, wrong shape, a policy or
request the engine rejects) or bad usage. Bad input is reported one problem per line on stderr as
``iameval: error: FILE: POINTER: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from typing import TextIO

from iameval.cli.inputs import BadInput, reset_stdin
from iameval.cli.output import PROG, Output, output_for, report

__all__ = ["COMMANDS", "EXIT_BAD_INPUT", "EXIT_FAIL", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

#: the command modules, in the order ``--help`` lists them
COMMANDS = ("simulate", "query", "check", "validate", "lint", "expand", "actions", "catalog", "can", "who_can",
            "what_can", "external_access", "privesc")


def version_text() -> str:
    """``iameval X (core Y)``: the Python package's version and the compiled core's."""
    import iameval
    from iameval import _core

    return f"{PROG} {iameval.__version__} (core {_core.__version__})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Evaluate AWS IAM policies locally: one-shot queries, scenarios and request streams, "
        "conformance vectors, policy validation and lint; AWS's action catalog (expand, actions, catalog); "
        "whole accounts and organizations (can, who-can, what-can, external-access, privesc).",
        epilog="exit codes: 0 ok; 1 a decision differs from its expectation, a vector fails or a policy is "
        "invalid; 2 bad input or usage. NO_COLOR or a non-terminal give plain text.",
    )
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"iameval.cli.{name}").register(sub)
    return parser


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the ``iameval`` command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    reset_stdin()
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help and --version (0) or a usage error (2)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_BAD_INPUT
    func: Callable[[argparse.Namespace, Output], int] = args.func
    out: TextIO = sys.stdout
    try:
        return func(args, output_for(args, out))
    except BadInput as exc:
        report(exc.problems)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `iameval check ... | head`
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
