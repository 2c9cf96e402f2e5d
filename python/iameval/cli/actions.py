"""``iameval actions SERVICE``: a service's actions from the action catalog, with their access level,
resource types (``*`` marks a required one when the source says so) and condition keys."""

from __future__ import annotations

import argparse
from typing import Any

from iameval.catalog import ACCESS_LEVELS
from iameval.cli.inputs import load_catalog
from iameval.cli.output import PROG, Output, add_output_options
from iameval.reference.hints import closest

EXIT_BAD_INPUT = 2


def _access_level(text: str) -> str:
    for level in ACCESS_LEVELS:
        if level.lower() == text.strip().lower():
            return level
    raise argparse.ArgumentTypeError(f"unknown access level {text!r} (one of {', '.join(ACCESS_LEVELS)})")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "actions",
        help="list a service's actions with access level, resource types and condition keys",
        description="List a service's actions from the action catalog, optionally of one access level. "
        "Exit 2 for an unknown service or if the catalog cannot be loaded.",
    )
    p.add_argument("service", metavar="SERVICE", help="a service prefix, e.g. s3")
    p.add_argument(
        "--access-level",
        type=_access_level,
        default=None,
        metavar="LEVEL",
        help=f"only actions of this access level ({', '.join(ACCESS_LEVELS)}; any case)",
    )
    add_output_options(p, wide=True)
    p.set_defaults(func=run)


def _resource_text(name: str, required: bool | None) -> str:
    return f"{name}*" if required else name


def run(args: argparse.Namespace, out: Output) -> int:
    catalog = load_catalog()
    service = catalog.service(args.service)
    if service is None:
        services = catalog.services()
        hint = closest(args.service, services)
        message = f"unknown service `{args.service}`" + (f" (did you mean `{hint}`?)" if hint else "")
        out.err.write(f"{PROG}: error: {message}\n")
        return EXIT_BAD_INPUT
    names = catalog.actions(service.prefix, args.access_level)
    actions = [catalog.action(name) for name in names]
    if out.json:
        out.json_document(
            {
                "service": service.prefix,
                "name": service.name,
                "access_level": args.access_level,
                "actions": [
                    {
                        "action": a.full_name,
                        "access_level": a.access_level,
                        "resource_types": [
                            {"name": r.name, "required": r.required} for r in a.resource_types
                        ],
                        "condition_keys": list(a.condition_keys),
                    }
                    for a in actions
                    if a is not None
                ],
            }
        )
        return 0
    rows = [
        (
            a.full_name,
            a.access_level,
            ", ".join(_resource_text(r.name, r.required) for r in a.resource_types) or "*",
            ", ".join(a.condition_keys),
        )
        for a in actions
        if a is not None
    ]
    out.table(("action", "access level", "resource types", "condition keys"), rows, wrap=("condition keys",))
    return 0
