"""``iameval lint PATH...``: validate policies at IAM Access Analyzer's level, findings with their place.

Inputs: policy files, directories (every ``*.json`` below them), ``-`` for standard input, and GAAD dumps
(``aws iam get-account-authorization-details``: every policy inside is linted, named by its place in the
dump). Exit codes: 0 no finding at or above ``--fail-on`` (default ``security``: errors and security
warnings), 1 some finding at or above it, 2 unreadable input or a bad configuration file.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text

from iameval.cli.inputs import STDIN, BadInput, read_bytes
from iameval.cli.output import Output, report
from iameval.errors import CatalogError

FAIL_ON = ("error", "security", "warning", "suggestion")
DEFAULT_FAIL_ON = "security"
TYPES = ("auto", "identity", "resource", "scp", "rcp", "trust", "boundary", "session")
KIND_NAMES = {
    "identity": "identity policy",
    "resource": "resource policy",
    "scp": "service control policy",
    "rcp": "resource control policy",
    "trust": "role trust policy",
    "boundary": "permissions boundary",
    "session": "session policy",
}
_STYLES = {"ERROR": "bold red", "SECURITY_WARNING": "bold magenta", "WARNING": "yellow", "SUGGESTION": "cyan"}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lint",
        help="validate policies at IAM Access Analyzer's level (codes, spans, SARIF)",
        description="Lint policy documents with IAM Access Analyzer's checks: each finding has AWS's code, "
        "severity, JSON pointer and line:column. Inputs: .json files, directories (recursively), '-' for "
        "stdin, GAAD dumps. Suppress codes with --ignore or .iameval.toml ([lint] ignore, [lint.per-file], "
        "[lint.per-sid]).",
        epilog="exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 unreadable input "
        "or a bad .iameval.toml.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="policy files, directories, GAAD dumps ('-': stdin)")
    p.add_argument("--type", dest="kind", choices=TYPES, default="auto",
                   help="policy type (default auto: a Principal with sts:AssumeRole* is a trust policy, another "
                   "Principal a resource policy, else identity; the guess is printed)")
    p.add_argument("--resource-type", default=None, metavar="TYPE",
                   help="what a resource policy is attached to, e.g. AWS::S3::Bucket (size quotas)")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                   help="text (default, grouped by file, colour on a terminal), json (one finding per line) "
                   "or sarif (SARIF 2.1.0 for GitHub code scanning)")
    p.add_argument("--fail-on", choices=FAIL_ON, default=None,
                   help=f"lowest severity that makes the exit code 1 (default {DEFAULT_FAIL_ON}: errors and "
                   "security warnings; or the config's fail-on)")
    p.add_argument("--ignore", nargs="+", action="extend", default=[], metavar="CODE",
                   help="codes not to report (added to the config's)")
    p.add_argument("--config", default=None, metavar="FILE",
                   help="configuration file (default: the nearest .iameval.toml, from the current directory up)")
    p.add_argument("--no-config", action="store_true", help="read no .iameval.toml")
    p.set_defaults(func=run)


@dataclass(frozen=True)
class Source:
    """One document to lint: ``file`` as the user named it, ``location`` inside it (GAAD), ``name`` to
    show, its ``text`` and the policy ``kind`` (None: from --type)."""

    file: str
    location: str | None
    name: str | None
    text: bytes | str
    kind: str | None


def _expand(path: str) -> list[str]:
    if path != STDIN and os.path.isdir(path):
        found = sorted(str(p) for p in Path(path).rglob("*.json") if p.is_file())
        return found
    return [path]


def _sources(file: str, data: bytes) -> list[Source]:
    """The file itself, or every policy of a GAAD dump."""
    if b"DetailList" in data or b'"Policies"' in data:
        from iameval.lint.gaad import gaad_policies, is_gaad

        try:
            dump = json.loads(data)
        except (ValueError, RecursionError):
            dump = None
        if is_gaad(dump):
            return [Source(file, e.location, e.name, e.text, e.kind) for e in gaad_policies(dump)]
    return [Source(file, None, None, data, None)]


def _severity_at_least(finding: Any, threshold: str) -> bool:
    from iameval.lint import Severity

    return bool(finding.severity.rank >= Severity.parse(threshold).rank)


def run(args: argparse.Namespace, out: Output) -> int:
    from iameval import __version__
    from iameval.lint import RULES, guess_kind, lint
    from iameval.lint.config import ConfigError, LintConfig, find_config, load_config

    config = LintConfig()
    if not args.no_config:
        path = Path(args.config) if args.config else find_config()
        if args.config and not Path(args.config).is_file():
            raise BadInput([(args.config, "", "cannot read configuration file: no such file")])
        if path is not None:
            try:
                config = load_config(path)
            except ConfigError as exc:
                raise BadInput([(str(path), "", str(exc))]) from None
    fail_on = args.fail_on or config.fail_on or DEFAULT_FAIL_ON
    if fail_on not in FAIL_ON:
        raise BadInput([(str(config.path), "lint.fail-on", f"unknown severity `{fail_on}`: expected "
                         f"{', '.join(FAIL_ON)}")])
    extra_ignore = {code.strip().upper() for code in args.ignore}
    unknown = sorted(extra_ignore - set(RULES))
    if unknown:
        raise BadInput([("--ignore", "", f"unknown code `{unknown[0]}`")])

    unreadable: list[tuple[str, str, str]] = []
    results: list[tuple[Source, str, list[Any]]] = []
    for given in args.paths:
        files = _expand(given)
        if not files:
            unreadable.append((given, "", "no *.json file in this directory"))
        for file in files:
            try:
                data = read_bytes(file, what=f"policy {file}")
            except BadInput as exc:
                unreadable.extend(exc.problems)
                continue
            for source in _sources(file, data):
                kind = source.kind if source.kind is not None and args.kind == "auto" else args.kind
                if kind == "auto":
                    kind = _guess(source.text, guess_kind)
                ignore = config.ignored_for(file) | extra_ignore
                try:
                    findings = lint(source.text, kind, file=_label(source), ignore=ignore,
                                    per_sid=config.per_sid, resource_type=args.resource_type)
                except CatalogError as exc:  # no partial answer without the catalog: exit 2
                    raise BadInput([("catalog", "", f"the action catalog cannot be loaded: {exc}")]) from None
                results.append((source, kind, findings))

    failing = sum(1 for _, _, fs in results for f in fs if _severity_at_least(f, fail_on))
    if args.format == "json":
        for _, _, findings in results:
            for f in findings:
                out.json_line(f.as_dict())
    elif args.format == "sarif":
        from iameval.lint.sarif import sarif_log

        entries = [(f, _uri(src.file), src.location) for src, _, fs in results for f in fs]
        out.write(json.dumps(sarif_log(entries, RULES, version=__version__), indent=2, ensure_ascii=False) + "\n")
    else:
        _text(out, results, args.kind == "auto")
    if unreadable:
        report(unreadable)
        return 2
    return 1 if failing else 0


def _guess(text: bytes | str, guess: Any) -> str:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return "identity"
    return str(guess(doc))


def _label(source: Source) -> str:
    return source.file if source.location is None else f"{source.file}#{source.location}"


def _uri(file: str) -> str:
    if file == STDIN:
        return "stdin"
    try:
        relative = os.path.relpath(file)
    except ValueError:
        relative = file
    return Path(relative).as_posix()


def _text(out: Output, results: list[tuple[Source, str, list[Any]]], guessed: bool) -> None:
    counts: Counter[str] = Counter()
    for source, kind, findings in results:
        label = _label(source)
        if guessed and source.kind is None:
            out.line(Text(f"{label}: linted as {KIND_NAMES[kind]} (--type auto guessed `{kind}`)", style="dim"))
        elif source.name is not None:
            out.line(Text(f"{label}: {source.name} ({KIND_NAMES[kind]})", style="dim"))
        for f in findings:
            counts[f.severity.value] += 1
            line, col = (f.span.start.line, f.span.start.column + 1) if f.span else (1, 1)
            out.line(f"{label}:{line}:{col}: ", Text(f.severity.value, style=_STYLES[f.severity.value]),
                     f" {f.code} {f.message}")
            if f.hint:
                out.line(Text(f"    hint: {f.hint}", style="dim"))
    total = sum(counts.values())
    parts = [f"{counts[s]} {s.lower().replace('_', ' ')}" for s in _STYLES if counts[s]]
    documents = len(results)
    out.write(f"{total} finding{'s' if total != 1 else ''}"
              f"{' (' + ', '.join(parts) + ')' if parts else ''} in {documents} "
              f"polic{'ies' if documents != 1 else 'y'}\n")
