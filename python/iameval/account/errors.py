"""The error the account loaders raise for input they cannot read."""

from __future__ import annotations

from typing import Any

from iameval.errors import IamEvalError

__all__ = ["AccountError"]


class AccountError(IamEvalError, ValueError):
    """An account export (GAAD dump, organization, resource policies) cannot be loaded.

    ``file`` is the file (or folder) concerned, ``""`` when the input was an object in memory; ``pointer`` the
    RFC 6901 JSON pointer inside it (``""`` for the whole file); ``message`` one lowercase line. ``str()``
    gives ``file: pointer: message`` (``gaad.json: /RoleDetailList/3/Arn: ...``).
    """

    def __init__(self, file: str, pointer: str, message: str) -> None:
        self.file = file
        self.pointer = pointer
        self.message = message
        where = ": ".join(part for part in (file, pointer) if part)
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.file, self.pointer, self.message))
