"""Resource-based policies: buckets, keys, queues, topics, functions, secrets, repositories, roles.

:func:`load_resource_policies` reads one JSON file or every ``*.json`` file under a folder (sorted, sub-folders
included). Each file is one of:

- **one resource**: ``{"arn": ARN, "policy": DOCUMENT, "account": "111111111111"}`` (``account`` optional);
- **a map**: ``{ARN: DOCUMENT, ...}`` (every key an ARN), or ``{"account": "111111111111", "policies":
  {ARN: DOCUMENT, ...}}`` to give the owner of the resources whose ARN has no account.

A ``DOCUMENT`` is an object or JSON text (the ``Policy`` string ``aws s3api get-bucket-policy``,
``aws kms get-key-policy``, ``aws lambda get-policy`` or ``aws sqs get-queue-attributes`` print can be
pasted as it is). The owner account is the ARN's account field; S3 ARNs have none, so it is the file's
``account``, else ``default_account``, else an error. Role trust policies come from GAAD
(:func:`trust_resources`). A policy the engine rejects is kept with its :attr:`Resource.error`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from iameval.account.errors import AccountError
from iameval.account.jsonio import Located, decode_document, read_json
from iameval.account.model import Account
from iameval.engine import validate_policy
from iameval.reference.document import PolicyDocument

__all__ = ["Resource", "load_resource_policies", "resource_type", "trust_resources"]

# service -> resource type of an ARN whose resource part has no `type/` or `type:` prefix
_BARE = {"s3": "bucket", "sqs": "queue", "sns": "topic"}


def resource_type(arn: str) -> tuple[str, str]:
    """``(service, resource type)`` read loosely from an ARN: ``arn:aws:s3:::b`` -> ``("s3", "bucket")``,
    ``arn:aws:s3:::b/k`` -> ``("s3", "object")``, ``...:function:f`` -> ``("lambda", "function")``,
    ``...:key/id`` -> ``("kms", "key")``; the text before the first ``/`` or ``:`` of the resource part
    otherwise, ``""`` when there is none. :class:`AccountError` for text that is not an ARN."""
    fields = arn.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn" or not fields[2]:
        raise AccountError("", "", f"`{arn}` is not an arn")
    service, rest = fields[2], fields[5]
    if service == "s3" and fields[4] == "":
        return service, "object" if "/" in rest else "bucket"
    cut = min((i for i in (rest.find("/"), rest.find(":")) if i >= 0), default=-1)
    if cut < 0:
        return service, _BARE.get(service, "")
    return service, rest[:cut]


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource with a resource-based policy.

    ``service`` and ``resource_type`` come from the ARN (:func:`resource_type`); ``owner_account`` is the
    account the resource belongs to; ``location`` is ``file: /pointer`` of the policy; ``error`` says why the
    policy cannot be evaluated (``None``: it can).
    """

    arn: str
    service: str
    resource_type: str
    owner_account: str
    policy: PolicyDocument
    location: str = ""
    error: str | None = None

    @property
    def type(self) -> str:
        """``service:resource_type`` (``s3:bucket``, ``kms:key``, ``iam:role``)."""
        return f"{self.service}:{self.resource_type}"


def make_resource(arn: str, policy: PolicyDocument, owner_account: str, location: str = "") -> Resource:
    """A :class:`Resource`, its type read from the ARN and its policy validated as a resource-based one."""
    service, kind = resource_type(arn)
    problems = validate_policy(policy, kind="resource")
    error = "; ".join(f"{location}{e.get('pointer', '')}: {e.get('message', '')}" for e in problems) or None
    return Resource(arn, service, kind, owner_account, policy, location, error)


def trust_resources(account: Account) -> tuple[Resource, ...]:
    """Every role of an account as a resource (type ``iam:role``) whose policy is its trust policy."""
    return tuple(make_resource(p.arn, p.trust_policy, p.account_id, p.trust_location or "")
                 for p in account.roles if p.trust_policy is not None)


def load_resource_policies(path: str | os.PathLike[str], default_account: str | None = None
                           ) -> Mapping[str, Resource]:
    """The resources of a file or folder (see the module docstring), by ARN, in file order.
    :class:`AccountError` (file and JSON pointer) for a file of another shape, an ARN given twice, or an
    S3 resource without an owner account."""
    source = Path(path)
    files = sorted(source.rglob("*.json")) if source.is_dir() else [source]
    found: dict[str, Resource] = {}
    for file in files:
        top = Located(read_json(file), str(file))
        for arn_at, policy_at, account in _entries(top):
            arn = str(arn_at.value)
            if arn in found:
                raise arn_at.error(f"`{arn}` is given twice (first at {found[arn].location})")
            try:
                resource_type(arn)
            except AccountError as error:
                raise arn_at.error(error.message) from None
            owner = arn.split(":", 5)[4] or account or default_account
            if not owner:
                raise arn_at.error(f"no owner account for `{arn}`: give `account` in the file or "
                                   "default_account")
            found[arn] = make_resource(arn, decode_document(policy_at.value), owner, policy_at.where)
    return found


def _entries(top: Located) -> Iterable[tuple[Located, Located, str | None]]:
    """``(arn, policy, account)`` for each resource of a file, located."""
    value = top.obj()
    if "arn" in value:
        arn = top.child("arn")
        top.string("arn")
        policy = top.child("policy")
        if policy.value is None:
            raise top.error("missing `policy`")
        return [(arn, policy, top.optional_string("account"))]
    if "policies" in value:
        account = top.optional_string("account")
        held = top.child("policies")
        held.obj()
        return [(Located(key, top.file, held.child(key).path), held.child(key), account) for key in held.value]
    for key in value:
        if not key.startswith("arn:"):
            raise top.child(key).error("expected a resource arn as key (or the fields `arn` and `policy`, "
                                       "or `account` and `policies`)")
    return [(Located(key, top.file, top.child(key).path), top.child(key), None) for key in value]
