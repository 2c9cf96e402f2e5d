"""The request (IAM_RULES R1, R2): principal, action, resource, accounts and context.

The context is taken as complete (the engine derives no keys); :func:`principal_context` builds the keys AWS
sets for a principal, for callers who want them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iameval.errors import ErrorEntry, RequestError
from iameval.reference.document import error_entry
from iameval.reference.pattern import fold_case, split_arn

__all__ = ["Caller", "Request", "principal_context", "read_request"]

_ACCOUNT_ID = re.compile(r"^\d{12}\Z", re.ASCII)
_CANONICAL_ID = re.compile(r"^[0-9a-fA-F]{64}\Z")
_FIELDS = ("principal", "action", "resource", "context", "principal_account", "resource_account")


@dataclass(frozen=True)
class Request:
    """One request to authorize (R1). Accounts default from the ARNs when ``None``."""

    principal: str
    action: str
    resource: str = "*"
    context: Mapping[str, Any] = field(default_factory=dict)
    principal_account: str | None = None
    resource_account: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The request as a dict with the keys of a vector's ``request``."""
        return {
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "context": {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in self.context.items()},
            "principal_account": self.principal_account,
            "resource_account": self.resource_account,
        }


@dataclass(frozen=True)
class Caller:
    """The principal of a request, classified (R1, R5).

    kind: ``user``, ``role`` (the caller is a session of this role whose session ARN is named nowhere),
    ``session`` (assumed-role session), ``federated`` (federated-user session), ``root``, ``service``,
    ``anonymous``, ``canonical`` (S3 canonical user id) or ``other`` (any other ARN).
    """

    arn: str
    kind: str
    account: str | None
    partition: str | None = None
    role_name: str | None = None  # role and session
    role_path: str | None = None  # role only (a session ARN carries no path)

    @property
    def is_iam(self) -> bool:
        """An IAM identity of an account: identity policies, boundaries and SCPs can apply to it."""
        return self.kind in ("user", "role", "session", "federated", "root", "other")


def classify_principal(principal: str) -> Caller | None:
    """Read the principal string of a request; ``None`` when it is not a principal."""
    if principal in ("*", "anonymous"):
        return Caller(principal, "anonymous", None)
    fields = split_arn(principal)
    if fields is None:
        if _CANONICAL_ID.match(principal):
            return Caller(principal, "canonical", None)
        if "." in principal and ":" not in principal and "/" not in principal and " " not in principal:
            return Caller(principal, "service", None)  # events.amazonaws.com
        return None
    prefix, partition, service, _region, account, resource = fields
    if prefix != "arn" or not partition or not _ACCOUNT_ID.match(account):
        return None
    if service == "iam":
        if resource == "root":
            return Caller(principal, "root", account, partition)
        if resource.startswith("user/"):
            return Caller(principal, "user", account, partition)
        if resource.startswith("role/"):
            path, _, name = resource[len("role") :].rpartition("/")
            if not name:
                return None
            return Caller(principal, "role", account, partition, role_name=name, role_path=path + "/")
    if service == "sts":
        if resource.startswith("assumed-role/"):
            pieces = resource.split("/")
            if len(pieces) != 3 or not pieces[1] or not pieces[2]:
                return None
            return Caller(principal, "session", account, partition, role_name=pieces[1])
        if resource.startswith("federated-user/"):
            return Caller(principal, "federated", account, partition)
    return Caller(principal, "other", account, partition)


def _context(raw: Any, errors: list[ErrorEntry]) -> dict[str, str | tuple[str, ...]]:
    """R2: key names are case-insensitive; values a string (single-valued) or a list of strings (multivalued)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        errors.append(error_entry("wrong_type", ("context",), "`context` must be an object"))
        return {}
    out: dict[str, str | tuple[str, ...]] = {}
    for key, value in raw.items():
        path = ("context", key)
        if not isinstance(key, str) or not key:
            errors.append(error_entry("invalid_value", path, "context keys must be non-empty strings"))
            continue
        if isinstance(value, (list, tuple)):
            items = []
            for i, item in enumerate(value):
                text = _scalar(item)
                if text is None:
                    errors.append(error_entry("wrong_type", (*path, i), "context values must be strings"))
                else:
                    items.append(text)
            converted: str | tuple[str, ...] = tuple(items)
        else:
            text = _scalar(value)
            if text is None:
                errors.append(
                    error_entry("wrong_type", path, "context values must be strings or lists of strings")
                )
                continue
            converted = text
        low = fold_case(key)
        if low in out:
            errors.append(error_entry("json_duplicate_key", path, f"context key `{key}` is given twice"))
        out[low] = converted
    return out


LONE_SURROGATE = "is not valid text (lone surrogate)"


def _is_text(value: str) -> bool:
    """Whether a ``str`` is Unicode text: no lone surrogate (``"\\udc80"``), so it has a UTF-8 form."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def escaped(value: str) -> str:
    """``value`` with each lone surrogate written as an escape (``a\\udc80``), to name it in an error."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _unreadable(data: Mapping[str, Any]) -> list[ErrorEntry]:
    """Problems that stop a request from being read at all, reported alone: text that is not Unicode (a lone
    surrogate) in a field, a context key or value, and context keys that are not strings. Fields in the order
    of ``_FIELDS``, context keys in their order."""
    errors: list[ErrorEntry] = []
    for name in _FIELDS:
        value = data.get(name)
        if name == "context":
            if isinstance(value, Mapping):
                errors += _unreadable_context(value)
        elif isinstance(value, str) and not _is_text(value):
            errors.append(error_entry("invalid_value", (name,), f"`{name}` {LONE_SURROGATE}"))
    return errors


def _unreadable_context(context: Mapping[Any, Any]) -> list[ErrorEntry]:
    errors: list[ErrorEntry] = []
    for key, value in context.items():
        if not isinstance(key, str):
            shown = repr(key)
            message = f"context keys must be strings, not {type(key).__name__} `{shown}`"
            errors.append(error_entry("invalid_value", ("context", shown), message))
        elif not _is_text(key):
            shown = escaped(key)
            message = f"context key `{shown}` {LONE_SURROGATE}"
            errors.append(error_entry("invalid_value", ("context", shown), message))
        else:
            shown = key
        if isinstance(value, str) and not _is_text(value):
            errors.append(error_entry("invalid_value", ("context", shown), f"context value {LONE_SURROGATE}"))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, str) and not _is_text(item):
                    message = f"context value {LONE_SURROGATE}"
                    errors.append(error_entry("invalid_value", ("context", shown, i), message))
    return errors


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python converts (sys.int_info.default_max_str_digits)
            return None
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return repr(value)
    return None


@dataclass(frozen=True)
class ReadRequest:
    """A request checked and normalized for evaluation."""

    request: Request
    caller: Caller
    action: str  # lower-cased
    service: str  # lower-cased service prefix of the action
    resource: str
    resource_fields: list[str] | None  # None for "*"
    principal_account: str | None
    resource_account: str | None
    context: dict[str, str | tuple[str, ...]]


def read_request(req: Request | Mapping[str, Any]) -> ReadRequest:
    """Check a request (a :class:`Request` or a dict with its keys) and apply R1's account defaults."""
    errors: list[ErrorEntry] = []
    if isinstance(req, Request):
        data: Mapping[str, Any] = req.to_dict() | {"context": req.context}
    elif isinstance(req, Mapping):
        data = req
        for key in data:
            if key not in _FIELDS:
                errors.append(error_entry("unknown_element", (str(key),), f"unknown request field `{key}`"))
    else:
        raise RequestError([error_entry("wrong_type", (), "a request must be a `Request` or a dict")])
    unreadable = _unreadable(data)
    if unreadable:
        raise RequestError(unreadable)

    def text(name: str, required: bool) -> str | None:
        value = data.get(name)
        if value is None:
            if required:
                errors.append(error_entry("missing_element", (), f"a request needs `{name}`"))
            return None
        if not isinstance(value, str) or not value:
            errors.append(error_entry("wrong_type", (name,), f"`{name}` must be a non-empty string"))
            return None
        return value

    principal = text("principal", True)
    action = text("action", True)
    resource = text("resource", False) or "*"
    principal_account = text("principal_account", False)
    resource_account = text("resource_account", False)
    context = _context(data.get("context"), errors)

    caller = None
    if principal is not None:
        caller = classify_principal(principal)
        if caller is None:
            errors.append(
                error_entry(
                    "invalid_value", ("principal",), f"`{principal}` is not a principal ARN or service name"
                )
            )
    service = ""
    if action is not None:
        service, colon, name = action.partition(":")
        if not colon or not service or not name:
            errors.append(
                error_entry("invalid_value", ("action",), f"action `{action}` must be `service:Action`")
            )
    fields = None
    if resource != "*":
        fields = split_arn(resource)
        if fields is None or fields[0] != "arn":
            errors.append(
                error_entry("invalid_value", ("resource",), f"resource `{resource}` must be an ARN or `*`")
            )
    if errors or caller is None or action is None or principal is None:
        raise RequestError(errors)

    # R1: accounts default to the account field of the ARNs; S3 ARNs carry none, so the resource account
    # defaults to the principal's
    if principal_account is None:
        principal_account = caller.account
    if resource_account is None:
        resource_account = (fields[4] if fields is not None and fields[4] else None) or principal_account
    return ReadRequest(
        request=req if isinstance(req, Request) else Request(**{k: data[k] for k in _FIELDS if k in data}),
        caller=caller,
        action=fold_case(action),
        service=fold_case(service),
        resource=resource,
        resource_fields=fields,
        principal_account=principal_account,
        resource_account=resource_account,
        context=context,
    )


def principal_context(
    principal_arn: str,
    *,
    tags: Mapping[str, str] | None = None,
    user_id: str | None = None,
    role_arn: str | None = None,
) -> dict[str, str]:
    """The context keys AWS sets for a principal: ``aws:PrincipalArn``, ``aws:PrincipalAccount``,
    ``aws:PrincipalType``, ``aws:username`` (IAM users), ``aws:userid`` (when ``user_id`` is given; for a
    session ``ROLEID:SESSION``) and ``aws:PrincipalTag/KEY`` for each tag.

    For an assumed-role session ``aws:PrincipalArn`` is the role's ARN: pass ``role_arn`` (with its path) or it
    is rebuilt without a path from the session ARN.
    """
    caller = classify_principal(principal_arn)
    if caller is None:
        raise RequestError(
            [
                error_entry(
                    "invalid_value",
                    ("principal",),
                    f"`{principal_arn}` is not a principal ARN or service name",
                )
            ]
        )
    ctx: dict[str, str] = {}
    if caller.kind == "service":
        ctx["aws:PrincipalServiceName"] = principal_arn
        ctx["aws:PrincipalIsAWSService"] = "true"
        return ctx
    if caller.kind in ("anonymous", "canonical"):
        ctx["aws:PrincipalType"] = "Anonymous" if caller.kind == "anonymous" else "CanonicalUser"
        return ctx
    ctx["aws:PrincipalIsAWSService"] = "false"
    principal_type = {
        "user": "User",
        "role": "AssumedRole",
        "session": "AssumedRole",
        "federated": "FederatedUser",
        "root": "Account",
        "other": "User",
    }[caller.kind]
    arn = principal_arn
    if caller.kind == "session":
        arn = role_arn or f"arn:{caller.partition}:iam::{caller.account}:role/{caller.role_name}"
    ctx["aws:PrincipalArn"] = arn
    if caller.account:
        ctx["aws:PrincipalAccount"] = caller.account
    ctx["aws:PrincipalType"] = principal_type
    if caller.kind == "user":
        ctx["aws:username"] = principal_arn.rsplit("/", 1)[-1]
    if user_id is not None:
        ctx["aws:userid"] = user_id
    for key, value in (tags or {}).items():
        ctx[f"aws:PrincipalTag/{key}"] = value
    return ctx
