"""Condition values that a key's meaning constrains beyond its type.

``INVALID_KMS_KEY_VALUE`` (error), Access Analyzer's reference page: "The {{key}} condition key value must be a
valid KMS key ARN. ... A key ARN follows this format: ``arn:aws:kms:{{region}}:{{account-id}}:key/{{key-id}}``."
Implemented for the keys whose values S3 compares with the key ARN of SSE-KMS requests,
``s3:x-amz-server-side-encryption-aws-kms-key-id`` and its S3 Express twin (S3's guide: the key must be given as
its ARN; a key ID or an alias never matches). A value with a wildcard (``arn:aws:kms:*:111122223333:key/*``)
is valid when its fixed parts fit the format; a value with a policy variable is left alone (known only at
request time), as is a lone ``*`` (``EQUIVALENT_TO_NULL_FALSE`` covers it).
"""

from __future__ import annotations

import re

from iameval.lint.clauses import clauses
from iameval.lint.context import LintContext
from iameval.lint.registry import check

__all__ = ["is_kms_key_arn"]

#: condition keys whose values must be KMS key ARNs (lower case)
KMS_KEY_ARN_KEYS = frozenset({
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3express:x-amz-server-side-encryption-aws-kms-key-id",
})

# partition, service and resource type fixed or wildcarded; region and account free (``*`` or empty allowed)
_FIELD = r"[^:]*"
_KEY_ARN = re.compile(rf"arn:(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc|[*?]{_FIELD})"
                      rf":(?:kms|[^:]*[*?][^:]*):{_FIELD}:{_FIELD}:(?:key/.+|[^/]*[*?].*)", re.DOTALL)


def is_kms_key_arn(value: str) -> bool:
    """Whether a condition value is (or, with ``*``/``?``, may match only) a KMS key ARN
    ``arn:<partition>:kms:<region>:<account>:key/<key-id>``."""
    return _KEY_ARN.fullmatch(value) is not None


@check("conditions", "INVALID_KMS_KEY_VALUE", condition_only=True)
def kms_key_values(ctx: LintContext) -> None:
    """A value of ``s3:x-amz-server-side-encryption-aws-kms-key-id`` that is not a KMS key ARN (a key ID, an
    alias, an alias ARN)."""
    for st in ctx.statements:
        for c in clauses(st):
            if c.key_lower not in KMS_KEY_ARN_KEYS or c.operator is None or c.operator.family not in ("string", "arn"):
                continue
            for path, value in c.strings():
                if value == "*" or "${" in value or is_kms_key_arn(value):
                    continue
                ctx.report("INVALID_KMS_KEY_VALUE", path,
                           f"the `{c.key}` condition key value `{value}` must be a valid KMS key ARN",
                           hint="use the key ARN: arn:aws:kms:<region>:<account-id>:key/<key-id>")
