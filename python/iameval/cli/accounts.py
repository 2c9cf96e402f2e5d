"""What the account commands (``can``, ``who-can``, ...) share: the options that load an environment
(``--account``, ``--org``, ``--resource-policies``), ``--context``, ``--format text|json|csv`` and writing
:class:`~iameval.questions.Answers`.

``--account PATH`` (repeatable): a GAAD file (``aws iam get-account-authorization-details``), or a folder whose
``*.json`` files are the pages of one dump. ``--org PATH``: the organization layout file or a folder of
``aws organizations`` outputs. ``--resource-policies PATH`` (repeatable): a folder or a file of resource-based
policies by ARN. Loading problems are bad input (exit 2), reported with the file and the JSON pointer.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from iameval.cli.inputs import BadInput
from iameval.cli.output import Output

__all__ = ["ANSWER_FORMATS", "add_environment_options", "add_scale_options", "bad_input", "load_environment",
           "progress_bar", "read_context", "run_scaled", "why", "write_answers"]

ANSWER_FORMATS = ("text", "json", "csv")


def add_environment_options(parser: Any) -> None:
    """``--account`` (required), ``--org``, ``--resource-policies``, ``--format``, ``--wide``."""
    parser.add_argument("--account", action="append", required=True, metavar="PATH",
                        help="a GAAD dump (aws iam get-account-authorization-details), or a folder of its pages "
                        "(repeatable: one per account)")
    parser.add_argument("--org", metavar="PATH",
                        help="the organization: its JSON layout, or a folder of aws organizations outputs")
    parser.add_argument("--resource-policies", action="append", default=[], metavar="PATH",
                        help="resource-based policies by ARN: a folder or a file (repeatable)")
    parser.add_argument("--format", choices=ANSWER_FORMATS, default="text",
                        help="text (default), json (one array) or csv")
    parser.add_argument("--wide", action="store_true", help="print table cells whole, on one line")


def add_scale_options(parser: Any) -> None:
    """``--workers N`` (local processes) and ``--dask ADDRESS`` (a Dask scheduler): the principals are cut into
    chunks answered in parallel; the result is the same as in one process."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--workers", type=int, default=None, metavar="N",
                       help="answer the principals on N local worker processes")
    group.add_argument("--dask", default=None, metavar="ADDRESS",
                       help="answer the principals on a Dask cluster (scheduler address, e.g. tcp://host:8786)")


def run_scaled(args: argparse.Namespace, env: Any, question: Any, principals: Any, empty: Any,
               advance: Callable[[int, int], None] | None = None) -> Any:
    """``iameval.questions.run`` with the ``--workers`` / ``--dask`` options over ``principals`` (ARNs; ``None``:
    every loaded principal), ``advance(done, total)`` (a :func:`progress_bar`) told the principals done;
    :class:`BadInput` for a bad value or a scheduler that cannot be reached."""
    from iameval.questions import run

    if args.workers is not None and args.workers < 1:
        raise BadInput([("--workers", "", "must be at least 1")])
    total = len(env.principals) if principals is None else len(principals)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if advance is not None:
            advance(done, total)

    try:
        return run(env, question, principals, workers=args.workers, client=args.dask, empty=empty, progress=step)
    except ImportError as error:
        raise BadInput([("--dask", "", str(error))]) from None
    except OSError as error:
        raise BadInput([("--dask", "", f"cannot reach the scheduler {args.dask}: {error}")]) from None


def add_context_option(parser: Any) -> None:
    parser.add_argument("--context", action="append", default=[], metavar="KEY=VALUE",
                        help="a context key over the ones AWS sets for the principal (repeatable; commas in "
                        "VALUE make a list of strings)")


def read_context(args: argparse.Namespace) -> dict[str, Any]:
    """``--context KEY=VALUE`` options as a context (``a,b`` is a list)."""
    found: dict[str, Any] = {}
    for text in args.context:
        key, eq, value = text.partition("=")
        if not eq or not key:
            raise BadInput([("--context", "", f"`{text}` is not KEY=VALUE")])
        found[key] = value.split(",") if "," in value else value
    return found


def load_environment(args: argparse.Namespace) -> Any:
    """The :class:`~iameval.questions.Environment` of the options; :class:`BadInput` for an export that does
    not load."""
    from iameval.account import AccountError, load_gaad, load_organization, load_resource_policies
    from iameval.questions import Environment

    try:
        accounts = []
        for path in args.account:
            source = Path(path)
            if source.is_dir():
                pages = sorted(source.glob("*.json"))
                if not pages:
                    raise AccountError(path, "", "no *.json page in this folder")
                accounts.append(load_gaad([str(p) for p in pages]))
            else:
                accounts.append(load_gaad(path))
        org = load_organization(args.org) if args.org else None
        resources: dict[str, Any] = {}
        for path in args.resource_policies:
            resources.update(load_resource_policies(path))
        return Environment.of(accounts, org, resources)
    except AccountError as error:
        raise BadInput([(error.file or "input", error.pointer, error.message)]) from None
    except OSError as error:
        raise BadInput([(str(error.filename or "input"), "", error.strerror or str(error))]) from None


def why(answer: Any, *, org_allows: bool = False) -> str:
    """The deciding statements of an answer, one per line, for text tables: an SCP's or RCP's Allow never
    grants (R15, R16), so for an answer that is not an explicit deny those are left out unless
    ``org_allows`` (``--format json`` keeps every matched statement); the deciding layer when none is left."""
    matched = answer.matched
    if not org_allows and answer.decision != "ExplicitDeny":
        matched = [m for m in matched if not (m.policy_type in ("scp", "rcp") and m.effect == "Allow")]
    return "\n".join(m.label() for m in matched) or answer.decided_by


def write_answers(out: Output, answers: Any, *, title: str = "") -> None:
    """Answers as a table (text), one JSON array, or CSV; principals not evaluated are listed after the table
    (text) or on stderr (json, csv)."""
    if out.format == "json":
        out.write(answers.to_json() + "\n")
    elif out.format == "csv":
        out.write(answers.to_csv())
    else:
        if title:
            out.line(title)
        rows = []
        for a in answers:
            reason = why(a)
            missing = ", ".join(a.missing_context_keys)
            rows.append([a.principal, a.action, a.resource, out.decision(a.decision),
                         "yes: " + missing if a.conditional else "no", reason])
        out.table(["principal", "action", "resource", "decision", "conditional", "why"], rows,
                  wrap=("principal", "resource", "conditional", "why"))
    for arn, reason in answers.not_evaluated:
        out.err.write(f"iameval: warning: {arn} not evaluated: {reason}\n")


@contextmanager
def progress_bar(show: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr (``label``: what it counts) advanced by a question's ``progress(done,
    total)``; ``None`` when off (``--quiet``, or stderr is not a terminal)."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True) as progress:
        task = progress.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


@contextmanager
def bad_input(where: str) -> Iterator[None]:
    """A question's input errors as bad input (exit 2): an unknown or unevaluated principal or resource
    (``AccountError``, reported on ``where`` when it names no file) and a malformed action or context value
    (``RequestError``)."""
    from iameval.account import AccountError
    from iameval.errors import RequestError

    try:
        yield
    except AccountError as error:
        raise BadInput([(error.file or where, error.pointer, error.message)]) from None
    except RequestError as error:
        raise BadInput([("request", str(e.get("pointer", "")), str(e.get("message", "")))
                        for e in error.errors()]) from None
