"""AWS's service authorization reference (``../shared/data/service-reference``) as a request generator.

Used by ``tests/test_managed_policy_parity.py``: turns a policy's action patterns into real action names of the
catalog, picks a resource type the action supports and fills one of its ARN formats with plausible values, or
concretizes the policy's own Resource patterns and condition values so that some requests match them.
Everything is driven by a ``random.Random`` passed in, so a seed gives the same requests on every run.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

PARTITION = "aws"
ACCOUNT = "111111111111"
OTHER_ACCOUNT = "222222222222"
REGIONS = ("us-east-1", "us-east-1", "us-west-2", "eu-west-1")
NAMES = ("alice", "prod", "data", "my-app", "x", "logs", "team-a", "AmazonSageMaker-1", "aws-service")
# (principal ARN, role ARN with its path for an assumed-role session)
PRINCIPALS: tuple[tuple[str, str | None], ...] = (
    (f"arn:aws:iam::{ACCOUNT}:user/alice", None),
    (f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/session-1", None),
    (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/AmazonSageMaker-ExecutionRole/sess",
        f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole",
    ),
)

_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
# Condition operators whose key is multivalued (a list in the request context).
_SET_PREFIXES = ("forallvalues:", "foranyvalue:")


@dataclass
class Service:
    prefix: str
    actions: dict[str, list[str]]  # action name -> resource type names ([] = only "*")
    arn_formats: dict[str, list[str]]  # resource type -> ARN formats
    lower: dict[str, str] = field(default_factory=dict)  # lower-case action name -> name

    def __post_init__(self) -> None:
        self.lower = {name.lower(): name for name in self.actions}


@dataclass
class Catalog:
    services: dict[str, Service]  # lower-case prefix -> service
    prefixes: list[str]
    _expanded: dict[str, list[tuple[Service, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Catalog:
        services: dict[str, Service] = {}
        for path in sorted(directory.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            actions = {
                a["Name"]: [r["Name"] for r in a.get("Resources", [])] for a in data.get("Actions", [])
            }
            formats = {r["Name"]: list(r.get("ARNFormats", [])) for r in data.get("Resources", [])}
            if actions:
                services[data["Name"].lower()] = Service(data["Name"], actions, formats)
        return cls(services, sorted(services))

    # -- actions ------------------------------------------------------------------------------------------

    def random_action(self, rng: random.Random) -> tuple[Service, str]:
        service = self.services[rng.choice(self.prefixes)]
        return service, rng.choice(sorted(service.actions))

    def expand(self, pattern: str) -> list[tuple[Service, str]]:
        """Catalog actions matching an IAM action pattern (case-insensitive ``*``/``?`` glob)."""
        if pattern == "*":
            return []  # everything: the caller picks at random instead of listing 21,791 actions
        cached = self._expanded.get(pattern)
        if cached is not None:
            return cached
        prefix, _, name = pattern.lower().partition(":")
        if "*" in prefix or "?" in prefix:
            rx_prefix = _glob(prefix)
            keys = [key for key in self.prefixes if rx_prefix.fullmatch(key)]
        else:
            keys = [prefix] if prefix in self.services else []
        out: list[tuple[Service, str]] = []
        for key in keys:
            service = self.services[key]
            if "*" in name or "?" in name:
                rx_name = _glob(name)
                out.extend((service, real) for low, real in service.lower.items() if rx_name.fullmatch(low))
            elif name in service.lower:
                out.append((service, service.lower[name]))
        self._expanded[pattern] = out
        return out

    # -- resources ----------------------------------------------------------------------------------------

    def resource_for(self, rng: random.Random, service: Service | None, action: str | None) -> str:
        """``*`` for an action without resource types, else a filled ARN format of one of its types."""
        if service is None or action is None:
            return "*"
        types = [t for t in service.actions.get(action, []) if service.arn_formats.get(t)]
        if not types:
            return "*"
        arn_format = rng.choice(service.arn_formats[rng.choice(types)])
        return fill_arn_format(rng, arn_format)


@lru_cache(maxsize=4096)
def _glob(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def random_name(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(NAMES)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(1, 8)))


def fill_arn_format(rng: random.Random, arn_format: str) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "Partition":
            return PARTITION
        if name == "Region":
            return rng.choice(REGIONS)
        if name == "Account":
            return ACCOUNT if rng.random() < 0.9 else OTHER_ACCOUNT
        return random_name(rng)

    return _PLACEHOLDER.sub(value, arn_format)


# -- concretizing the policy's own patterns ----------------------------------------------------------------


def concretize(rng: random.Random, pattern: str, variables: dict[str, str]) -> str:
    """A string a policy pattern (with ``*``, ``?`` and policy variables) plausibly matches.

    Policy variables get a value recorded in ``variables`` (the caller may or may not put it into the request
    context); ``${*}``, ``${?}``, ``${$}`` become their literal character.
    """
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(pattern):
        out.append(_fill_wildcards(rng, pattern[pos : m.start()]))
        inner = m.group(1)
        if inner in ("*", "?", "$"):
            out.append(inner)
        else:
            key = inner.split(",", 1)[0].strip()
            out.append(variables.setdefault(key, random_name(rng)))
        pos = m.end()
    out.append(_fill_wildcards(rng, pattern[pos:]))
    return "".join(out)


def _fill_wildcards(rng: random.Random, text: str) -> str:
    return "".join(
        rng.choice(("", "x", "abc", "a/b", random_name(rng)))
        if c == "*"
        else rng.choice("abcxyz0")
        if c == "?"
        else c
        for c in text
    )


def concretize_arn(rng: random.Random, pattern: str, variables: dict[str, str]) -> str:
    """Like :func:`concretize`, but a wildcard ARN field (partition, region, account) gets a real value."""
    if not pattern.startswith("arn:") or pattern.count(":") < 5:
        return concretize(rng, pattern, variables)
    fields = pattern.split(":", 5)
    defaults = {1: PARTITION, 3: rng.choice(REGIONS), 4: ACCOUNT}
    for index, default in defaults.items():
        if fields[index] == "*" or (fields[index] and "*" in fields[index] and rng.random() < 0.5):
            fields[index] = default
    return ":".join(concretize(rng, f, variables) for f in fields)


def is_set_operator(operator: str) -> bool:
    return operator.lower().startswith(_SET_PREFIXES)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
